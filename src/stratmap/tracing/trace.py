"""What a trace shows for one node: where it sits, the city goals above it, what lies below and feeds it.

Pure functions over ``PlanGraph``: no I/O, no formatting. Reporters turn a ``Trace`` into text,
JSON or Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind

CITY_KINDS = (NodeKind.CITY_THEME, NodeKind.CITY_OBJECTIVE, NodeKind.CITY_KPI)
TOWS_QUADRANT_FACTORS = {"SO": ("S", "O"), "WO": ("W", "O"), "ST": ("S", "T"), "WT": ("W", "T")}


@dataclass
class CityGoal:
    """A city KPI or objective a department item serves, and what lies above it."""

    via: ReferenceKind
    """``feeds`` (a KPI's 府級KPI) or ``aligns_to`` (its theme's 對應府級 objective)."""
    source: Node
    """The department KPI or theme that makes the link."""
    target: Node
    above: list[Node]


@dataclass
class Contribution:
    """A department KPI that feeds a city KPI, with where it sits and what moves it."""

    city_kpi: Node
    kpi: Node
    objective: Node
    theme: Node
    action_plans: list[Node]
    tows: list[Node]
    """TOWS strategies that became the KPI's objective."""


@dataclass
class Trace:
    """Everything ``stratmap trace`` shows for one node."""

    node: Node
    above: list[Node] = field(default_factory=list)
    """The node's parents within its namespace, nearest first."""
    tows: list[Node] = field(default_factory=list)
    """TOWS strategies behind the node's objective (or the strategies of a TOWS factor's quadrants)."""
    became: list[Node] = field(default_factory=list)
    """For a TOWS strategy: the objectives it became."""
    city_goals: list[CityGoal] = field(default_factory=list)
    below: list[Node] = field(default_factory=list)
    """The node's children (the tree goes on through their ``children``)."""
    aligned_themes: list[Node] = field(default_factory=list)
    """Department themes aligned to the city objective(s) traced."""
    contributions: list[Contribution] = field(default_factory=list)
    """Department KPIs feeding the city KPI(s) traced."""


def find_matches(graph: PlanGraph, code: str, namespace: str | None) -> list[Node]:
    """Every node with this code, in every namespace unless one is named; city first."""
    order = {name: i for i, name in enumerate(graph.namespaces())}
    found = [
        node
        for node in graph.all_nodes()
        if node.code.code == code and (namespace is None or node.code.namespace == namespace)
    ]
    return sorted(found, key=lambda node: order.get(node.code.namespace, len(order)))


def trace_node(graph: PlanGraph, node: Node) -> Trace:
    """The trace of one node, whatever its kind."""
    trace = Trace(node, above=node.ancestors(), below=list(node.children))
    if node.kind in CITY_KINDS:
        _trace_city(trace)
    elif node.kind is NodeKind.TOWS_STRATEGY:
        trace.became = [ref.target for ref in node.outgoing if ref.target is not None]
        for became in trace.became:
            if became.kind is NodeKind.OBJECTIVE:
                trace.city_goals.extend(_city_goals(became))
    elif node.kind is NodeKind.TOWS_FACTOR:
        trace.tows = _strategies_of_factor(graph, node)
    elif node.kind in (NodeKind.THEME, NodeKind.OBJECTIVE, NodeKind.KPI, NodeKind.ACTION_PLAN):
        objective = _objective_of(node)
        trace.tows = tows_behind(objective) if objective is not None else []
        trace.city_goals = _city_goals(node)
    return trace


def tows_behind(objective: Node) -> list[Node]:
    """TOWS strategies that became this objective."""
    return [ref.source for ref in objective.incoming if ref.kind is ReferenceKind.BECAME]


def contributions_to(city_kpi: Node) -> list[Contribution]:
    """Every department KPI that references this city KPI, in link order."""
    found = []
    for reference in city_kpi.incoming:
        if reference.kind is not ReferenceKind.FEEDS:
            continue
        kpi = reference.source
        objective, theme = kpi.ancestors()[:2]
        found.append(Contribution(city_kpi, kpi, objective, theme, list(kpi.children), tows_behind(objective)))
    return found


def _trace_city(trace: Trace) -> None:
    node = trace.node
    in_scope = [node, *node.descendants()]
    if node.kind is NodeKind.CITY_KPI and node.parent is not None:
        in_scope.insert(0, node.parent)  # the themes aligned to a KPI's objective answer for the KPI too
    for item in in_scope:
        if item.kind is NodeKind.CITY_KPI and item in (node, *node.descendants()):
            trace.contributions.extend(contributions_to(item))
        if item.kind is NodeKind.CITY_OBJECTIVE:
            trace.aligned_themes.extend(ref.source for ref in item.incoming if ref.kind is ReferenceKind.ALIGNS_TO)
            trace.tows.extend(ref.source for ref in item.incoming if ref.kind is ReferenceKind.BECAME)


def _objective_of(node: Node) -> Node | None:
    for item in (node, *node.ancestors()):
        if item.kind is NodeKind.OBJECTIVE:
            return item
    return None


def _city_goals(node: Node) -> list[CityGoal]:
    """City KPIs the node's KPIs feed, then the city objectives its theme aligns to."""
    chain = [node, *node.ancestors()]
    kpis = [item for item in chain if item.kind is NodeKind.KPI]
    if not kpis:
        kpis = [item for item in node.descendants() if item.kind is NodeKind.KPI]
    goals = []
    for kpi in kpis:
        for ref in kpi.outgoing:
            if ref.kind is ReferenceKind.FEEDS and ref.target is not None:
                goals.append(CityGoal(ref.kind, kpi, ref.target, ref.target.ancestors()))
    theme = chain[-1]
    for ref in theme.outgoing:
        if ref.kind is ReferenceKind.ALIGNS_TO and ref.target is not None:
            goals.append(CityGoal(ref.kind, theme, ref.target, ref.target.ancestors()))
    return goals


def _strategies_of_factor(graph: PlanGraph, factor: Node) -> list[Node]:
    """The strategies of the TOWS quadrants a factor's group makes (S1 -> the SO and ST strategies)."""
    letter = factor.code.code[0]
    return [
        strategy
        for strategy in graph.of_kind(NodeKind.TOWS_STRATEGY)
        if strategy.code.namespace == factor.code.namespace
        and letter in TOWS_QUADRANT_FACTORS.get(strategy.code.code[:2], ())
    ]
