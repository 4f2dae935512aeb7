"""Score a whole plan at one period: every department KPI, and every level above it, on both maps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.model.codes import Perspective
from stratmap.model.periods import Period
from stratmap.model.theme import Objective
from stratmap.scoring.kpi import KpiScore, Scoring, score_kpi
from stratmap.scoring.rollup import Part, RolledScore, roll_up


@dataclass
class Scorecard:
    """The scores of one plan at one period. Nodes are keys by identity."""

    period: Period
    scoring: Scoring
    kpis: dict[Node, KpiScore] = field(default_factory=dict)
    objectives: dict[Node, RolledScore] = field(default_factory=dict)
    themes: dict[Node, RolledScore] = field(default_factory=dict)
    perspectives: dict[tuple[str, Perspective], RolledScore] = field(default_factory=dict)
    departments: dict[str, RolledScore] = field(default_factory=dict)
    city_kpis: dict[Node, RolledScore] = field(default_factory=dict)
    city_objectives: dict[Node, RolledScore] = field(default_factory=dict)
    city_themes: dict[Node, RolledScore] = field(default_factory=dict)

    @property
    def has_targets(self) -> bool:
        """Whether any KPI of the plan has a target for its year."""
        return any(score.target is not None for score in self.kpis.values())

    @property
    def has_actuals(self) -> bool:
        """Whether any KPI of the plan has a value recorded up to the period."""
        return any(score.values for score in self.kpis.values())


def objective_weight(node: Node) -> Decimal | None:
    """An objective node's weight: as written, else the sum of its KPIs' weights when every KPI has one."""
    assert isinstance(node.source, Objective)
    return node.source.total_weight


class Scorer:
    """Scores nodes of one plan when first asked for, each once: what every level rolls up from is decided
    here alone, for the whole scorecard (``score_plan``) and for the few nodes a trace shows."""

    def __init__(self, graph: PlanGraph, period: Period, scoring: Scoring) -> None:
        self.graph, self.period, self.scoring = graph, period, scoring
        self._kpis: dict[Node, KpiScore] = {}
        self._rolled: dict[Node, RolledScore] = {}

    def kpi(self, node: Node) -> KpiScore:
        """A department KPI's score."""
        if node not in self._kpis:
            self._kpis[node] = score_kpi(node, self.graph.measures_of(node), self.period, self.scoring)
        return self._kpis[node]

    def rolled(self, node: Node) -> RolledScore:
        """A theme's, objective's or city item's score, rolled up from its parts."""
        if node not in self._rolled:
            self._rolled[node] = roll_up(self.parts(node), self.scoring)
        return self._rolled[node]

    def parts(self, node: Node) -> list[Part]:
        """What a node rolls up from: an objective its KPIs (weighted), a theme its objectives (weighted), a
        city KPI or objective the department KPIs feeding it, a city theme its city objectives."""
        if node.kind is NodeKind.OBJECTIVE:
            return [self._kpi_part(kpi, weighted=True) for kpi in node.children if kpi.kind is NodeKind.KPI]
        if node.kind is NodeKind.THEME:
            return [self.rolled(o).as_part(objective_weight(o)) for o in node.children]
        if node.kind is NodeKind.CITY_KPI:
            return [self._kpi_part(kpi) for kpi in node.sources(ReferenceKind.FEEDS) if kpi.kind is NodeKind.KPI]
        if node.kind is NodeKind.CITY_OBJECTIVE:
            feeding = [kpi for city_kpi in node.children for kpi in city_kpi.sources(ReferenceKind.FEEDS)]
            return [self._kpi_part(kpi) for kpi in feeding if kpi.kind is NodeKind.KPI]
        return [self.rolled(o).as_part() for o in node.children if o.kind is NodeKind.CITY_OBJECTIVE]

    def _kpi_part(self, node: Node, weighted: bool = False) -> Part:
        score = self.kpi(node)
        return Part(score.status, score.achievement, score.kpi.weight if weighted else None)


def score_plan(graph: PlanGraph, period: Period | None = None, scoring: Scoring | None = None) -> Scorecard:
    """Score every KPI at ``period`` (default: the whole plan year) and roll the scores up."""
    scoring = scoring or Scoring()
    period = period or Period(graph.year or 0, 12, "year")
    scorer = Scorer(graph, period, scoring)
    card = Scorecard(period, scoring)
    for node in graph.of_kind(NodeKind.KPI):
        card.kpis[node] = scorer.kpi(node)
    by_perspective: dict[tuple[str, Perspective], list[Part]] = defaultdict(list)
    for department in graph.departments.values():
        department_parts = []
        for theme in department.themes:
            card.themes[theme] = scorer.rolled(theme)
            for objective in theme.children:
                card.objectives[objective] = scorer.rolled(objective)
                part = card.objectives[objective].as_part(objective_weight(objective))
                department_parts.append(part)
                if objective.perspective is not None:
                    by_perspective[(department.id, objective.perspective)].append(part)
        card.departments[department.id] = roll_up(department_parts, scoring)
    card.perspectives = {key: roll_up(parts, scoring) for key, parts in by_perspective.items()}
    for kind, scores in ((NodeKind.CITY_KPI, card.city_kpis), (NodeKind.CITY_OBJECTIVE, card.city_objectives)):
        scores.update((node, scorer.rolled(node)) for node in graph.of_kind(kind))
    card.city_themes = {theme: scorer.rolled(theme) for theme in graph.city_themes}
    return card
