"""Print a trace or a coverage report as text (a tree), JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any, TextIO

from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.reporting.nodes import describe, node_json
from stratmap.reporting.tree import Branch, markdown_lines, plain_lines, write_rich
from stratmap.tracing.coverage import Coverage, ObjectiveCoverage
from stratmap.tracing.trace import CITY_KINDS, Contribution, Trace

JSON_VERSION = 1
HEADER = "dim italic"


# ---- trace ----------------------------------------------------------------------------------


def trace_branch(trace: Trace) -> Branch:
    """The trace as a tree: the node, then what is above it, the city goals, below, and what feeds it."""
    root = Branch(describe(trace.node) + f"  ({trace.node.location})")
    _section(root, "in", trace.above)
    _section(root, "TOWS strategies" if trace.node.kind is NodeKind.TOWS_FACTOR else "from TOWS", trace.tows)
    _section(root, "became", trace.became)
    if trace.city_goals:
        goals = root.add("serves city goals", HEADER)
        for goal in trace.city_goals:
            how = (
                f"via {goal.source.code}"
                if goal.via is ReferenceKind.FEEDS
                else f"theme {goal.source.code} aligns to it"
            )
            branch = goals.add(f"{describe(goal.target)}  ({how})")
            for node in goal.above:
                branch.add("in " + describe(node))
    if trace.below:
        down = root.add("contains", HEADER)
        for node in trace.below:
            _subtree(down, node)
    _section(root, "department themes aligned to it", trace.aligned_themes)
    if trace.contributions:
        fed = root.add("fed by department KPIs", HEADER)
        several_targets = len({c.city_kpi.code for c in trace.contributions}) > 1
        for contribution in trace.contributions:
            _contribution(fed, contribution, show_target=several_targets)
    elif trace.node.kind in CITY_KINDS:
        root.add("fed by department KPIs: none")
    return root


def _section(root: Branch, title: str, nodes: list[Node]) -> None:
    """A headed list of nodes, left out when there are none."""
    if nodes:
        section = root.add(title, HEADER)
        for node in nodes:
            section.add(describe(node))


def _subtree(parent: Branch, node: Node) -> None:
    branch = parent.add(describe(node))
    for child in node.children:
        _subtree(branch, child)


def _contribution(parent: Branch, contribution: Contribution, show_target: bool) -> None:
    label = describe(contribution.kpi)
    if show_target:
        label += f"  (feeds {contribution.city_kpi.code})"
    branch = parent.add(label)
    branch.add("in " + describe(contribution.objective))
    branch.add("in " + describe(contribution.theme))
    for node in contribution.tows:
        branch.add("from " + describe(node))
    for node in contribution.action_plans:
        branch.add(describe(node))


def trace_json(query: str, graph: PlanGraph, traces: list[Trace]) -> dict[str, Any]:
    """The documented JSON shape of a trace (see README, "trace --format json")."""
    return {
        "version": JSON_VERSION,
        "query": query,
        "plan": graph.root.as_posix(),
        "year": graph.year,
        "matches": [_trace_json(trace) for trace in traces],
    }


def _tree_json(node: Node) -> dict[str, Any]:
    return {**node_json(node), "children": [_tree_json(child) for child in node.children]}


def _contribution_json(c: Contribution) -> dict[str, Any]:
    return {
        "city_kpi": node_json(c.city_kpi),
        "kpi": node_json(c.kpi),
        "objective": node_json(c.objective),
        "theme": node_json(c.theme),
        "action_plans": [node_json(n) for n in c.action_plans],
        "tows": [node_json(n) for n in c.tows],
    }


def _trace_json(trace: Trace) -> dict[str, Any]:
    return {
        "node": node_json(trace.node),
        "above": [node_json(n) for n in trace.above],
        "tows": [node_json(n) for n in trace.tows],
        "became": [node_json(n) for n in trace.became],
        "city_goals": [
            {
                "via": goal.via.value,
                "source": node_json(goal.source),
                "target": node_json(goal.target),
                "above": [node_json(n) for n in goal.above],
            }
            for goal in trace.city_goals
        ],
        "below": [_tree_json(n) for n in trace.below],
        "aligned_themes": [node_json(n) for n in trace.aligned_themes],
        "contributions": [_contribution_json(c) for c in trace.contributions],
    }


def write_trace(
    query: str, graph: PlanGraph, traces: list[Trace], output_format: str, out: TextIO, terminal: bool, colour: bool
) -> None:
    """Write the traces of every match in the chosen format."""
    if output_format == "json":
        json.dump(trace_json(query, graph, traces), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    branches = [trace_branch(trace) for trace in traces]
    heading = _matches_heading(query, traces)
    if output_format == "markdown":
        out.write(f"# Trace of `{query}` (plan {graph.year})\n\n")
        if heading:
            out.write(heading + "\n\n")
        for branch in branches:
            out.write("\n".join(markdown_lines(branch)) + "\n\n")
        return
    if heading:
        out.write(heading + "\n\n")
    if terminal:
        write_rich(branches, out, colour)
        return
    out.write("\n\n".join("\n".join(plain_lines(branch)) for branch in branches) + "\n")


def _matches_heading(query: str, traces: list[Trace]) -> str:
    if len(traces) < 2:
        return ""
    names = [str(trace.node.code) for trace in traces]
    return (
        f"{query} is a code in {len(traces)} namespaces; they are different things. "
        f"Trace one with: {' or '.join(names)}"
    )


# ---- coverage -------------------------------------------------------------------------------


def coverage_branches(coverage: Coverage) -> list[Branch]:
    """One tree per city theme with a department role, then the cross-cutting objectives."""
    branches = []
    for theme in coverage.themes:
        roles = ", ".join(f"{department}: {role}" for department, role in theme.roles.items())
        branch = Branch(f"{describe(theme.theme)}  ({roles})")
        for entry in theme.objectives:
            _objective_branch(branch, entry)
        branches.append(branch)
    if coverage.cross_cutting:
        branch = Branch("cross-cutting city objectives")
        for entry in coverage.cross_cutting:
            _objective_branch(branch, entry)
        branches.append(branch)
    unfed = coverage.unfed
    summary = Branch(
        f"not fed by any department KPI: {len(unfed)} of "
        f"{sum(len(t.objectives) for t in coverage.themes)} city objectives in these themes"
    )
    for node in unfed:
        summary.add(describe(node))
    branches.append(summary)
    return branches


def _objective_branch(parent: Branch, entry: ObjectiveCoverage) -> None:
    branch = parent.add(describe(entry.objective) + ("" if entry.fed else "  — not fed"))
    for c in entry.contributions:
        branch.add(f"{describe(c.kpi)}  (feeds {c.city_kpi.code}; in {c.theme.code})")
    for theme in entry.aligned_themes:
        branch.add(f"aligned: {describe(theme)}")


def coverage_json(graph: PlanGraph, coverage: Coverage) -> dict[str, Any]:
    """The documented JSON shape of a coverage report."""

    def objective(entry: ObjectiveCoverage) -> dict[str, Any]:
        return {
            "objective": node_json(entry.objective),
            "fed": entry.fed,
            "contributions": [_contribution_json(c) for c in entry.contributions],
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
    graph: PlanGraph, coverage: Coverage, output_format: str, out: TextIO, terminal: bool, colour: bool
) -> None:
    """Write a coverage report in the chosen format."""
    if output_format == "json":
        json.dump(coverage_json(graph, coverage), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    branches = coverage_branches(coverage)
    if output_format == "markdown":
        out.write(f"# Coverage of the city map (plan {graph.year})\n\n")
        for branch in branches:
            out.write("\n".join(markdown_lines(branch)) + "\n\n")
        return
    if terminal:
        write_rich(branches, out, colour)
        return
    out.write("\n\n".join("\n".join(plain_lines(branch)) for branch in branches) + "\n")
