"""A trace as trees (for text and Markdown alike) and as JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from stratmap.i18n import _, ngettext
from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.reporting.nodes import describe, node_json
from stratmap.reporting.numbers import format_number, format_percent, json_number, ratio_json
from stratmap.reporting.tree import HEADER, Branch, Trees
from stratmap.tracing.trace import CITY_KINDS, CityGoal, Contribution, Trace

if TYPE_CHECKING:
    from stratmap.tracing.standing import KpiStandingShown, RolledStandingShown, Scores

JSON_VERSION = 1
STATUS_STYLES = {"met": "green", "near": "yellow", "missed": "red", "no_data": "dim"}
"""The colour of a score line in a terminal, by ``Status``; the status is always written out too."""
_AGGREGATED = {"sum": "累計", "mean": "平均"}
"""How a year-to-date value made from sub-periods is named, where it differs from the latest value."""
NONE = "—"
"""Shown where a target or an actual is missing."""


def trace_branch(trace: Trace, scores: Scores | None = None) -> Branch:
    """The trace as a tree: the node (and its score), then what is above it, the city goals, below, and what
    feeds it. Score lines appear only where a KPI concerned has a target or a value."""
    root = Branch(describe(trace.node) + f"  ({trace.node.location})")
    add_score(root, trace.node, scores)
    _section(root, _("in"), trace.above)
    _section(root, _("TOWS strategies") if trace.node.kind is NodeKind.TOWS_FACTOR else _("from TOWS"), trace.tows)
    _section(root, _("became"), trace.became)
    _section(root, _("drives"), trace.drives)
    _section(root, _("driven by"), trace.driven_by)
    _city_goals(root, trace.city_goals)
    if trace.below:
        down = root.add(_("contains"), HEADER)
        for node in trace.below:
            _subtree(down, node, scores)
    if trace.aligned_themes:
        aligned = root.add(_("department themes aligned to it"), HEADER)
        for pair in trace.aligned_themes:
            aligned.add(
                _("{theme}  (aligns to {objective})").format(theme=describe(pair.theme), objective=pair.objective.code)
            )
    if trace.contributions:
        fed = root.add(_("fed by department KPIs"), HEADER)
        several_targets = len({c.city_kpi.code for c in trace.contributions}) > 1
        for contribution in trace.contributions:
            _contribution(fed, contribution, several_targets, scores)
    elif trace.node.kind in CITY_KINDS:
        root.add(_("fed by department KPIs: none"))
    return root


def _city_goals(root: Branch, city_goals: list[CityGoal]) -> None:
    """The city KPIs and objectives served, each with what lies above it."""
    if not city_goals:
        return
    goals = root.add(_("serves city goals"), HEADER)
    for goal in city_goals:
        if goal.via is ReferenceKind.FEEDS:
            how = _("via {kpi}").format(kpi=goal.source.code)
        else:
            how = _("theme {theme} aligns to it").format(theme=goal.source.code)
        branch = goals.add(f"{describe(goal.target)}  ({how})")
        for node in goal.above:
            branch.add(_in(node))


def _in(node: Node) -> str:
    """``in department objective doed:BP2 ...``: a node a line sits in."""
    return _("in {node}").format(node=describe(node))


def _section(root: Branch, title: str, nodes: list[Node]) -> None:
    """A headed list of nodes, left out when there are none."""
    if nodes:
        section = root.add(title, HEADER)
        for node in nodes:
            section.add(describe(node))


def _subtree(parent: Branch, node: Node, scores: Scores | None) -> None:
    branch = parent.add(describe(node))
    if node.kind is NodeKind.KPI:
        add_score(branch, node, scores)
    for child in node.children:
        _subtree(branch, child, scores)


def _contribution(parent: Branch, contribution: Contribution, show_target: bool, scores: Scores | None) -> None:
    label = describe(contribution.kpi)
    if show_target:
        label = _("{kpi}  (feeds {city_kpi})").format(kpi=label, city_kpi=contribution.city_kpi.code)
    branch = parent.add(label)
    add_score(branch, contribution.kpi, scores)
    branch.add(_in(contribution.objective))
    branch.add(_in(contribution.theme))
    for node in contribution.tows:
        branch.add(_("from {node}").format(node=describe(node)))
    for node in contribution.action_plans:
        branch.add(describe(node))


def add_score(branch: Branch, node: Node, scores: Scores | None) -> None:
    """Add the node's score line under ``branch``, when there is something to show (a KPI concerned has a
    target or a value)."""
    if scores is None:
        return
    standing = scores.kpi(node)
    if standing is not None and standing.shown:
        branch.add(kpi_score_text(standing), STATUS_STYLES[standing.score.status.value])
        return
    rolled = scores.rolled(node)
    if rolled is not None and rolled.shown:
        branch.add(rolled_score_text(node, rolled), STATUS_STYLES[rolled.score.status.value])


def kpi_score_text(standing: KpiStandingShown) -> str:
    """``目標 1,500 家 · 實際 110Q3: 454 家 (累計 1,234 家) · 達成率 82.3% · 未達成``: target, latest actual (with the
    year to date when the sub-periods add up to another value), achievement and status."""
    score = standing.score
    unit = score.kpi.unit
    parts = [f"目標 {value_text(score.target, unit)}"]
    latest = standing.latest
    if latest is None:
        parts.append(f"實際 {NONE}")
    else:
        actual = f"實際 {latest.period}: {value_text(latest.value, unit)}"
        aggregation = score.kpi.aggregation
        if score.actual is not None and score.actual != latest.value and aggregation in _AGGREGATED:
            actual += f" ({_AGGREGATED[aggregation]} {value_text(score.actual, unit)})"
        parts.append(actual)
    if score.achievement is not None:
        parts.append(f"達成率 {percent_text(score.achievement)}")
    parts.append(score.status.label)
    return " · ".join(parts)


def rolled_score_text(node: Node, rolled: RolledStandingShown) -> str:
    """``fed: 接近 · 達成率 93.5% · of 3 department KPIs: 達成 1, 接近 1, 無資料 1`` (city items), or
    ``rolled up: ...`` (department themes and objectives)."""
    city = node.kind in CITY_KINDS
    status = rolled.score.status.label
    parts = [_("fed: {status}").format(status=status) if city else _("rolled up: {status}").format(status=status)]
    if rolled.score.achievement is not None:
        parts.append(f"達成率 {percent_text(rolled.score.achievement)}")
    counts = _(", ").join(f"{status.label} {format_number(n)}" for status, n in rolled.counts().items())
    total, n = format_number(len(rolled.kpis)), len(rolled.kpis)
    if city:
        parts.append(
            ngettext("of {total} department KPI: {counts}", "of {total} department KPIs: {counts}", n).format(
                total=total, counts=counts
            )
        )
    else:
        parts.append(
            ngettext("of {total} KPI: {counts}", "of {total} KPIs: {counts}", n).format(total=total, counts=counts)
        )
    return " · ".join(parts)


def value_text(value: Decimal | str | None, unit: str | None = None) -> str:
    """A target or actual as shown, with every digit (as scoring gives it), and its unit."""
    if value is None:
        return NONE
    if isinstance(value, str):
        return value
    shown = format_number(value)
    if not unit:
        return shown
    return f"{shown}{unit}" if unit in ("%", "％") else f"{shown} {unit}"


def percent_text(ratio: Decimal) -> str:
    """An achievement ratio as a percent to 0.1, as ``stratmap status`` shows it: ``82.3%``, ``105.0%``."""
    return format_percent(ratio)


def score_json(standing: KpiStandingShown) -> dict[str, Any]:
    """The score fields of a KPI's JSON node (see README, "trace --format json")."""
    score, latest = standing.score, standing.latest
    achievement = score.achievement
    return {
        "target": json_number(score.target),
        "actual": json_number(score.actual),
        "latest": {"period": str(latest.period), "value": json_number(latest.value)} if latest else None,
        "achievement": ratio_json(achievement),
        "status": score.status.value,
    }


def trace_json(query: str, graph: PlanGraph, traces: list[Trace], scores: Scores | None = None) -> dict[str, Any]:
    """The documented JSON shape of a trace (see README, "trace --format json")."""
    return {
        "version": JSON_VERSION,
        "query": query,
        "plan": graph.root.as_posix(),
        "year": graph.year,
        "matches": [_trace_json(trace, scores) for trace in traces],
    }


def scored_node_json(node: Node, scores: Scores | None) -> dict[str, Any]:
    """``node_json``, with the score fields for a department KPI when the plan was scored."""
    standing = scores.kpi(node) if scores is not None else None
    return {**node_json(node), **score_json(standing)} if standing is not None else node_json(node)


def _tree_json(node: Node, scores: Scores | None) -> dict[str, Any]:
    return {**scored_node_json(node, scores), "children": [_tree_json(child, scores) for child in node.children]}


def contribution_json(c: Contribution, scores: Scores | None = None) -> dict[str, Any]:
    """A department KPI feeding a city KPI, as JSON."""

    def as_json(node: Node) -> dict[str, Any]:
        return scored_node_json(node, scores)

    return {
        "city_kpi": as_json(c.city_kpi),
        "kpi": as_json(c.kpi),
        "objective": as_json(c.objective),
        "theme": as_json(c.theme),
        "action_plans": [as_json(n) for n in c.action_plans],
        "tows": [as_json(n) for n in c.tows],
    }


def _trace_json(trace: Trace, scores: Scores | None) -> dict[str, Any]:
    def as_json(node: Node) -> dict[str, Any]:
        return scored_node_json(node, scores)

    return {
        "node": as_json(trace.node),
        "above": [as_json(n) for n in trace.above],
        "tows": [as_json(n) for n in trace.tows],
        "became": [as_json(n) for n in trace.became],
        "drives": [str(n.code) for n in trace.drives],
        "driven_by": [str(n.code) for n in trace.driven_by],
        "city_goals": [
            {
                "via": goal.via.value,
                "source": as_json(goal.source),
                "target": as_json(goal.target),
                "above": [as_json(n) for n in goal.above],
            }
            for goal in trace.city_goals
        ],
        "below": [_tree_json(n, scores) for n in trace.below],
        "aligned_themes": [
            {"theme": as_json(pair.theme), "objective": as_json(pair.objective)} for pair in trace.aligned_themes
        ],
        "contributions": [contribution_json(c, scores) for c in trace.contributions],
    }


def trace_trees(query: str, graph: PlanGraph, traces: list[Trace], scores: Scores | None = None) -> Trees:
    """The traces of every match as trees, for text and Markdown alike; with ``scores``, KPIs show their scores."""
    intro = ""
    if len(traces) > 1:
        names = _(" or ").join(str(trace.node.code) for trace in traces)
        intro = _("{query} is a code in {count} namespaces; they are different things. Trace one with: {names}").format(
            query=query, count=len(traces), names=names
        )
    title = _("Trace of {query} (plan {year})").format(query=query, year=graph.year)
    return Trees(title, intro, [trace_branch(trace, scores) for trace in traces])
