"""Print a trace as text (a tree), JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any, TextIO

from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.reporting.nodes import describe, node_json
from stratmap.reporting.tree import HEADER, Branch, write_trees
from stratmap.tracing.trace import CITY_KINDS, Contribution, Trace

JSON_VERSION = 1


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
    if trace.aligned_themes:
        aligned = root.add("department themes aligned to it", HEADER)
        for pair in trace.aligned_themes:
            aligned.add(f"{describe(pair.theme)}  (aligns to {pair.objective.code})")
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


def contribution_json(c: Contribution) -> dict[str, Any]:
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
        "aligned_themes": [
            {"theme": node_json(pair.theme), "objective": node_json(pair.objective)} for pair in trace.aligned_themes
        ],
        "contributions": [contribution_json(c) for c in trace.contributions],
    }


def write_trace(
    query: str, graph: PlanGraph, traces: list[Trace], output_format: str, out: TextIO, terminal: bool, colour: bool
) -> None:
    """Write the traces of every match in the chosen format."""
    if output_format == "json":
        json.dump(trace_json(query, graph, traces), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    intro = ""
    if len(traces) > 1:
        names = " or ".join(str(trace.node.code) for trace in traces)
        intro = f"{query} is a code in {len(traces)} namespaces; they are different things. Trace one with: {names}"
    title = f"Trace of {query} (plan {graph.year})"
    write_trees(title, intro, [trace_branch(trace) for trace in traces], output_format, out, terminal, colour)
