"""Rules on codes and on the files that make up a plan."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from stratmap.i18n import N_, _
from stratmap.linking.graph import Node, NodeKind, PlanGraph
from stratmap.model.codes import parent_code
from stratmap.problems import Finding
from stratmap.rules import graph_rule

CODED_KINDS = (
    NodeKind.CITY_THEME,
    NodeKind.CITY_OBJECTIVE,
    NodeKind.CITY_KPI,
    NodeKind.THEME,
    NodeKind.OBJECTIVE,
    NodeKind.KPI,
    NodeKind.ACTION_PLAN,
)
_DIGITS = "0123456789"
"""The digits a code's last number is written in (ASCII only, as the code patterns allow)."""


@cache
def _counting(count: int) -> frozenset[int]:
    return frozenset(range(1, count + 1))


@graph_rule(
    "R001",
    N_(
        """A code names one thing in its namespace.

        Fails (two KPIs ``doed:AC1.1``)::

            - code: AC1.1
              name: 與本市企業或產業團體辦理產業發展相關計畫或交流之場次
            - code: AC1.1
              name: 公司及商業登記服務滿意度

        Passes: ``AC1.1`` and ``AC2.1``. ``city:DP2.1`` and ``doed:DP2.1`` never clash.
        """
    ),
)
def duplicate_code(graph: PlanGraph) -> Iterator[Finding]:
    for code, nodes in graph.nodes.items():
        for node in nodes[1:]:
            yield Finding(
                "R001",
                node.location,
                _("{kind} code {code} is already used at {where}").format(
                    kind=node.kind.label, code=code, where=nodes[0].location
                ),
                _("give each item its own code"),
            )


@graph_rule(
    "R002",
    N_(
        """A code starts with its parent's code.

        Fails (KPI ``AC2.1`` under objective ``AC1``)::

            - code: AC1
              kpis:
                - code: AC2.1

        Passes: ``AC1.1`` under ``AC1``; ``AC1`` in theme ``A``; ``AC1.1.1`` under ``AC1.1``.
        Cross-cutting city objectives (``TC1``) sit in no theme and are coded with ``T``.
        """
    ),
)
def code_prefix(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.of_kind(*CODED_KINDS):
        expected = node.parent.code.code if node.parent is not None else None
        if node.kind is NodeKind.CITY_OBJECTIVE and node.parent is None:
            expected = "T"
        actual = parent_code(node.code.code)
        if expected is not None and actual != expected:
            yield Finding(
                "R002",
                node.location,
                _("{kind} {code} does not start with {expected}, the code of the item it sits in").format(
                    kind=node.kind.label, code=node.code.code, expected=expected
                ),
                _("renumber it as {code} or move it").format(code=f"{expected}{node.code.code[len(actual or '') :]}"),
            )


@graph_rule(
    "R006",
    N_(
        """A plan has one ``plan.yaml``, one city map, and each theme file sits beside its department.

        Fails: ``departments/doed/theme-a.yaml`` with no ``department.yaml`` in that folder;
        a ``plan.yaml`` that says ``year: 111`` in folder ``110``.
        Passes: the layout of ``data/110``.
        """
    ),
    whole_plan=True,
)
def plan_structure(graph: PlanGraph) -> Iterator[Finding]:
    for gap in graph.gaps:
        yield Finding("R006", gap.location, gap.message, gap.hint)
    if graph.plan_file is not None and graph.year is not None and graph.folder_name != str(graph.year):
        yield Finding(
            "R006",
            graph.plan_file.location("year"),
            _("plan year {year} does not match its folder '{folder}'").format(
                year=graph.year, folder=graph.folder_name
            ),
            _("name the folder after the plan year, or correct the year"),
        )


@graph_rule(
    "N001",
    N_(
        """Codes among siblings count 1, 2, 3 without skipping.

        Fails: the finance objective of theme B coded ``BF2`` with no ``BF1``; KPI ``CP1.2`` with no ``CP1.1``.
        Passes: ``BF1``; ``CP1.1``, ``CP1.2``.
        City KPIs are not checked: a city map may list only the KPIs departments reference.
        """
    ),
)
def numbering_gap(graph: PlanGraph) -> Iterator[Finding]:
    siblings: dict[tuple[str, str], list[Node]] = {}
    for node in graph.of_kind(NodeKind.CITY_OBJECTIVE, NodeKind.OBJECTIVE, NodeKind.KPI, NodeKind.ACTION_PLAN):
        code = node.code.code
        stem = code.rstrip(_DIGITS)
        if len(stem) < len(code):
            siblings.setdefault((node.code.namespace, stem), []).append(node)
    for (_namespace, stem), nodes in siblings.items():
        numbered = [(int(node.code.code[len(stem) :]), node) for node in nodes]
        if {number for number, _node in numbered} == _counting(len(numbered)):
            continue  # 1, 2, ... n: the usual case, decided without sorting
        expected = 1
        for number, node in sorted(numbered, key=lambda pair: pair[0]):
            if number > expected:  # report each gap once, at the first code after it
                skipped = number - expected
                yield Finding(
                    "N001",
                    node.location,
                    _("{kind} {code} skips {skipped}").format(
                        kind=node.kind.label, code=node.code.code, skipped=f"{stem}{expected}"
                    )
                    + (_(" (and {count} more)").format(count=skipped - 1) if skipped > 1 else ""),
                    _("number it {code} if the skip is a mistake").format(code=f"{stem}{expected}"),
                )
            expected = max(expected, number + 1)
