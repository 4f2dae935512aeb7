"""A coverage report as trees (for text and Markdown alike) and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stratmap.i18n import N_, _
from stratmap.linking.graph import PlanGraph
from stratmap.reporting.nodes import describe, node_json
from stratmap.reporting.numbers import format_number
from stratmap.reporting.trace_report import JSON_VERSION, add_score, contribution_json
from stratmap.reporting.tree import Branch, Trees
from stratmap.tracing.coverage import Coverage, ObjectiveCoverage

if TYPE_CHECKING:
    from stratmap.tracing.standing import Scores

ROLES = {"lead": N_("lead"), "member": N_("member")}
"""A department's role in a city theme (主政/成員), as shown."""


def coverage_branches(coverage: Coverage, scores: Scores | None = None) -> list[Branch]:
    """One tree per city theme with a department role, the cross-cutting objectives, then what nothing feeds.

    With ``scores``, objectives and KPIs that have targets or values show their status, as in a trace."""
    branches = []
    for theme in coverage.themes:
        roles = _(", ").join(
            _("{department}: {role}").format(department=department, role=_(ROLES.get(role, role)))
            for department, role in theme.roles.items()
        )
        branch = Branch(f"{describe(theme.theme)}  ({roles})")
        for entry in theme.objectives:
            _objective_branch(branch, entry, scores)
        branches.append(branch)
    if coverage.cross_cutting:
        branch = Branch(_("cross-cutting city objectives"))
        for entry in coverage.cross_cutting:
            _objective_branch(branch, entry, scores)
        branches.append(branch)
    unfed = coverage.unfed
    summary = Branch(
        _("not fed by any department KPI: {count} of {total} city objectives").format(
            count=format_number(len(unfed)), total=format_number(len(coverage.objectives))
        )
    )
    for node in unfed:
        summary.add(describe(node))
    branches.append(summary)
    return branches


def _objective_branch(parent: Branch, entry: ObjectiveCoverage, scores: Scores | None) -> None:
    label = describe(entry.objective)
    branch = parent.add(label if entry.fed else _("{objective}  — not fed").format(objective=label))
    add_score(branch, entry.objective, scores)
    for c in entry.contributions:
        line = _("{kpi}  (feeds {city_kpi}; in {theme})").format(
            kpi=describe(c.kpi), city_kpi=c.city_kpi.code, theme=c.theme.code
        )
        add_score(branch.add(line), c.kpi, scores)
    for theme in entry.aligned_themes:
        branch.add(_("aligned: {theme}").format(theme=describe(theme)))


def coverage_json(graph: PlanGraph, coverage: Coverage, scores: Scores | None = None) -> dict[str, Any]:
    """The documented JSON shape of a coverage report (department KPI nodes with their scores, as in a trace)."""

    def objective(entry: ObjectiveCoverage) -> dict[str, Any]:
        return {
            "objective": node_json(entry.objective),
            "fed": entry.fed,
            "contributions": [contribution_json(c, scores) for c in entry.contributions],
            "aligned_themes": [node_json(n) for n in entry.aligned_themes],
        }

    return {
        "version": JSON_VERSION,
        "plan": graph.root.as_posix(),
        "year": graph.year,
        "themes": [
            {"theme": node_json(t.theme), "roles": t.roles, "objectives": [objective(o) for o in t.objectives]}
            for t in coverage.themes
        ],
        "cross_cutting": [objective(o) for o in coverage.cross_cutting],
        "unfed": [str(node.code) for node in coverage.unfed],
    }


def coverage_trees(graph: PlanGraph, coverage: Coverage, scores: Scores | None = None) -> Trees:
    """The coverage report as trees, for text and Markdown alike."""
    title = _("Coverage of the city map (plan {year})").format(year=graph.year)
    return Trees(title, "", coverage_branches(coverage, scores))
