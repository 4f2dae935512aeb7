"""Print a coverage report as text (a tree), JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any, TextIO

from stratmap.linking.graph import PlanGraph
from stratmap.reporting.nodes import describe, node_json
from stratmap.reporting.numbers import format_number
from stratmap.reporting.trace_report import JSON_VERSION, add_score, contribution_json
from stratmap.reporting.tree import Branch, write_trees
from stratmap.tracing.coverage import Coverage, ObjectiveCoverage
from stratmap.tracing.scores import TraceScores


def coverage_branches(coverage: Coverage, scores: TraceScores | None = None) -> list[Branch]:
    """One tree per city theme with a department role, the cross-cutting objectives, then what nothing feeds.

    With ``scores``, objectives and KPIs that have targets or values show their status, as in a trace."""
    branches = []
    for theme in coverage.themes:
        roles = ", ".join(f"{department}: {role}" for department, role in theme.roles.items())
        branch = Branch(f"{describe(theme.theme)}  ({roles})")
        for entry in theme.objectives:
            _objective_branch(branch, entry, scores)
        branches.append(branch)
    if coverage.cross_cutting:
        branch = Branch("cross-cutting city objectives")
        for entry in coverage.cross_cutting:
            _objective_branch(branch, entry, scores)
        branches.append(branch)
    unfed = coverage.unfed
    total = format_number(len(coverage.objectives))
    summary = Branch(f"not fed by any department KPI: {format_number(len(unfed))} of {total} city objectives")
    for node in unfed:
        summary.add(describe(node))
    branches.append(summary)
    return branches


def _objective_branch(parent: Branch, entry: ObjectiveCoverage, scores: TraceScores | None) -> None:
    branch = parent.add(describe(entry.objective) + ("" if entry.fed else "  — not fed"))
    add_score(branch, entry.objective, scores)
    for c in entry.contributions:
        add_score(branch.add(f"{describe(c.kpi)}  (feeds {c.city_kpi.code}; in {c.theme.code})"), c.kpi, scores)
    for theme in entry.aligned_themes:
        branch.add(f"aligned: {describe(theme)}")


def coverage_json(graph: PlanGraph, coverage: Coverage, scores: TraceScores | None = None) -> dict[str, Any]:
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


def write_coverage(
    graph: PlanGraph,
    coverage: Coverage,
    output_format: str,
    out: TextIO,
    terminal: bool,
    colour: bool,
    scores: TraceScores | None = None,
) -> None:
    """Write a coverage report in the chosen format."""
    if output_format == "json":
        json.dump(coverage_json(graph, coverage, scores), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    title = f"Coverage of the city map (plan {graph.year})"
    write_trees(title, "", coverage_branches(coverage, scores), output_format, out, terminal, colour)
