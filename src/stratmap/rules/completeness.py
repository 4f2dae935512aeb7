"""Rules on whether the map is filled in: every objective measured, every KPI acted on."""

from __future__ import annotations

from collections.abc import Iterator

from stratmap.i18n import N_, _
from stratmap.linking.graph import NodeKind, PlanGraph
from stratmap.model.codes import Perspective
from stratmap.problems import Finding
from stratmap.rules import graph_rule


@graph_rule(
    "N002",
    N_(
        """A department objective has at least one KPI.

        Fails::

            - code: AC2
              perspective: C
              name: 提升公司與商業登記服務品質

        Passes: the same objective with ``kpis: [{code: AC2.1, name: 公司及商業登記服務滿意度}]``.
        """
    ),
)
def objective_without_kpi(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.of_kind(NodeKind.OBJECTIVE):
        if not node.children:
            yield Finding(
                "N002",
                node.location,
                _("objective {code} {name} has no KPI").format(code=node.code.code, name=node.name),
                _("add the KPI that measures it"),
            )


@graph_rule(
    "N003",
    N_(
        """A department KPI has at least one action plan.

        Fails: ``{code: AC2.1, name: 公司及商業登記服務滿意度}`` with no ``action_plans``.
        Passes: the same KPI with ``action_plans: [{code: AC2.1.1, name: 公司及商業登記服務}]``.
        """
    ),
)
def kpi_without_action_plan(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.of_kind(NodeKind.KPI):
        if not node.children:
            yield Finding(
                "N003",
                node.location,
                _("KPI {code} {name} has no action plan").format(code=node.code.code, name=node.name),
                _("add the action plan that moves it"),
            )


@graph_rule(
    "N004",
    N_(
        """A department theme has objectives in all four perspectives (顧客, 內部流程, 學習成長, 財務).

        Fails: a theme with customer, process and learning objectives but no finance objective.
        Passes: every theme of ``data/110``.
        """
    ),
)
def theme_missing_perspective(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.of_kind(NodeKind.THEME):
        present = {child.perspective for child in node.children}
        for perspective in Perspective:
            if perspective not in present:
                yield Finding(
                    "N004",
                    node.location,
                    _("theme {code} {name} has no objective in the {perspective} ({letter}) perspective").format(
                        code=node.code.code, name=node.name, perspective=perspective.label, letter=perspective.value
                    ),
                    _("add one, or record in a note why the theme has none"),
                )
