"""What a trace shows for one node: where it sits, the city goals above it, what lies below and feeds it.

Pure functions over ``PlanGraph``: no I/O, no formatting. Reporters turn a ``Trace`` into text,
JSON or Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind

CITY_KINDS = (NodeKind.CITY_THEME, NodeKind.CITY_OBJECTIVE, NodeKind.CITY_KPI)


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
class AlignedTheme:
    """A department theme and the city objective it is aligned to (對應府級)."""

    theme: Node
    objective: Node


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
    drives: list[Node] = field(default_factory=list)
    """For an objective: the objectives of its map it supports (its ``drives:``, cause and effect)."""
    driven_by: list[Node] = field(default_factory=list)
    """For an objective: the objectives of its map that support it."""
    city_goals: list[CityGoal] = field(default_factory=list)
    below: list[Node] = field(default_factory=list)
    """The node's children (the tree goes on through their ``children``)."""
    aligned_themes: list[AlignedTheme] = field(default_factory=list)
    """Department themes aligned to the city objective(s) traced (for a city KPI: its objective)."""
    contributions: list[Contribution] = field(default_factory=list)
    """Department KPIs feeding the city KPI(s) traced."""


def find_matches(graph: PlanGraph, code: str, namespace: str | None) -> list[Node]:
    """Every node with this code, in every namespace unless one is named; city first."""
    order = {name: i for i, name in enumerate(graph.namespaces())}
    found = [node for node in graph.with_code(code) if namespace is None or node.code.namespace == namespace]
    return sorted(found, key=lambda node: order.get(node.code.namespace, len(order)))


def trace_node(graph: PlanGraph, node: Node) -> Trace:
    """The trace of one node, whatever its kind."""
    trace = Trace(node, above=node.ancestors(), below=list(node.children))
    if node.kind in (NodeKind.OBJECTIVE, NodeKind.CITY_OBJECTIVE):
        trace.drives, trace.driven_by = graph.drives(node), graph.driven_by(node)
    if node.kind in CITY_KINDS:
        _trace_city(trace)
    elif node.kind is NodeKind.TOWS_STRATEGY:
        trace.became = node.targets(ReferenceKind.BECAME)
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
    """TOWS strategies that became this objective (department or city)."""
    return objective.sources(ReferenceKind.BECAME)


def aligned_themes(objective: Node) -> list[Node]:
    """Department themes aligned to this city objective (scaffold placeholders left out)."""
    return [theme for theme in objective.sources(ReferenceKind.ALIGNS_TO) if not theme.is_placeholder]


def contributions_to(city_kpi: Node) -> list[Contribution]:
    """Every department KPI that references this city KPI, in link order."""
    found = []
    for kpi in city_kpi.sources(ReferenceKind.FEEDS):
        objective, theme = kpi.ancestors()[:2]
        if kpi.is_placeholder or objective.is_placeholder or theme.is_placeholder:
            continue  # a scaffold item, not yet a real part of the plan
        found.append(Contribution(city_kpi, kpi, objective, theme, list(kpi.children), tows_behind(objective)))
    return found


def closest_codes(graph: PlanGraph, code: str, limit: int = 3) -> list[str]:
    """Qualified codes most like ``code``: the same level first (as many dots), then by spelling."""
    import difflib

    def likeness(candidate: str) -> tuple[bool, float]:
        return candidate.count(".") == code.count("."), difflib.SequenceMatcher(None, code, candidate).ratio()

    by_code: dict[str, set[str]] = {}
    for node in graph.all_nodes():
        by_code.setdefault(node.code.code, set()).add(str(node.code))
    closest = sorted(by_code, key=lambda candidate: (likeness(candidate), candidate), reverse=True)[:limit]
    return [qualified for candidate in closest for qualified in sorted(by_code[candidate])]


def _trace_city(trace: Trace) -> None:
    """Department KPIs feeding the city KPIs in scope; themes and TOWS strategies aimed at its objectives."""
    node = trace.node
    scope = [node, *node.descendants()]
    objectives = [item for item in scope if item.kind is NodeKind.CITY_OBJECTIVE]
    if node.kind is NodeKind.CITY_KPI and node.parent is not None:
        objectives = [node.parent]  # the themes aligned to a KPI's objective answer for the KPI too
    trace.contributions = [c for item in scope if item.kind is NodeKind.CITY_KPI for c in contributions_to(item)]
    trace.aligned_themes = [AlignedTheme(theme, o) for o in objectives for theme in aligned_themes(o)]
    trace.tows = [strategy for objective in objectives for strategy in tows_behind(objective)]


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
    theme = chain[-1]
    fed = [(ReferenceKind.FEEDS, kpi, target) for kpi in kpis for target in kpi.targets(ReferenceKind.FEEDS)]
    aligned = [(ReferenceKind.ALIGNS_TO, theme, target) for target in theme.targets(ReferenceKind.ALIGNS_TO)]
    return [CityGoal(kind, source, target, target.ancestors()) for kind, source, target in fed + aligned]


def _strategies_of_factor(graph: PlanGraph, factor: Node) -> list[Node]:
    """The strategies of the quadrants a factor's letter makes (S1 -> the SO and ST strategies)."""
    letter = factor.code.code[0]
    return [
        strategy
        for strategy in graph.of_kind(NodeKind.TOWS_STRATEGY)
        if strategy.code.namespace == factor.code.namespace and letter in strategy.code.code[:2]
    ]
