"""Score a whole plan at one period: every department KPI, and every level above it, on both maps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.model.codes import Perspective
from stratmap.model.periods import Period
from stratmap.model.theme import Kpi, Objective
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


def score_plan(graph: PlanGraph, period: Period | None = None, scoring: Scoring | None = None) -> Scorecard:
    """Score every KPI at ``period`` (default: the whole plan year) and roll the scores up."""
    scoring = scoring or Scoring()
    period = period or Period(graph.year or 0, 12, "year")
    card = Scorecard(period, scoring)
    for node in graph.of_kind(NodeKind.KPI):
        card.kpis[node] = score_kpi(node, graph.measures_of(node), period, scoring)
    by_perspective: dict[tuple[str, Perspective], list[Part]] = defaultdict(list)
    by_department: dict[str, list[Part]] = defaultdict(list)
    for department in graph.departments.values():
        for theme in department.themes:
            objective_parts = []
            for objective in theme.children:
                kpi_parts = []
                for kpi_node in objective.children:
                    score = card.kpis[kpi_node]
                    assert isinstance(kpi_node.source, Kpi)
                    kpi_parts.append(Part(score.status, score.achievement, kpi_node.source.weight))
                rolled = card.objectives[objective] = roll_up(kpi_parts, scoring)
                part = rolled.as_part(objective_weight(objective))
                objective_parts.append(part)
                if objective.perspective is not None:
                    by_perspective[(department.id, objective.perspective)].append(part)
                by_department[department.id].append(part)
            card.themes[theme] = roll_up(objective_parts, scoring)
        card.departments[department.id] = roll_up(by_department[department.id], scoring)
    card.perspectives = {key: roll_up(parts, scoring) for key, parts in by_perspective.items()}
    _score_city(graph, card)
    return card


def _score_city(graph: PlanGraph, card: Scorecard) -> None:
    """City KPIs from the department KPIs that feed them; city objectives and themes from those."""
    for city_kpi in graph.of_kind(NodeKind.CITY_KPI):
        feeding = [card.kpis[source] for source in city_kpi.sources(ReferenceKind.FEEDS) if source in card.kpis]
        card.city_kpis[city_kpi] = roll_up([Part(s.status, s.achievement) for s in feeding], card.scoring)
    objectives = graph.of_kind(NodeKind.CITY_OBJECTIVE)
    for objective in objectives:
        feeding = [
            card.kpis[source]
            for city_kpi in objective.children
            for source in city_kpi.sources(ReferenceKind.FEEDS)
            if source in card.kpis
        ]
        card.city_objectives[objective] = roll_up([Part(s.status, s.achievement) for s in feeding], card.scoring)
    for theme in graph.city_themes:
        parts = [card.city_objectives[o].as_part() for o in theme.children if o in card.city_objectives]
        card.city_themes[theme] = roll_up(parts, card.scoring)
