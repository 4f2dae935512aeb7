"""What a trace shows of a measured scorecard: each KPI's target, latest actual and status, and the
status rolled up to the objectives, themes and city items it traces. Pure: no I/O, no formatting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from stratmap.linking.graph import Measure, Node, NodeKind, PlanGraph
from stratmap.model.periods import Period
from stratmap.scoring.kpi import KpiScore, Scoring, Status
from stratmap.scoring.rollup import RolledScore
from stratmap.scoring.scorecard import Scorer
from stratmap.tracing.standing import ROLLED_KINDS, kpis_of


@dataclass(frozen=True)
class KpiStanding:
    """A department KPI's score for the plan year and its most recent value."""

    score: KpiScore
    latest: Measure | None
    """The value of the most recent period recorded (the whole year's value when there is one)."""

    @property
    def shown(self) -> bool:
        """Whether there is anything to show: a target or a value."""
        return self.score.target is not None or self.latest is not None


@dataclass(frozen=True)
class RolledStanding:
    """A theme's, objective's or city item's status, rolled up from the department KPIs it holds or is fed by."""

    score: RolledScore
    kpis: list[KpiStanding]
    """The department KPIs rolled up, in link order."""

    @property
    def shown(self) -> bool:
        """Whether any of those KPIs has a target or a value."""
        return any(kpi.shown for kpi in self.kpis)

    def counts(self) -> dict[Status, int]:
        """How many of the KPIs stand at each status, in the order of ``Status``; zero counts left out."""
        found = Counter(kpi.score.status for kpi in self.kpis)
        return {status: found[status] for status in Status if found[status]}


class TraceScores:
    """Scores of the nodes a trace shows, computed when first asked for by the one ``Scorer`` that
    ``score_plan`` uses too: a trace shows a handful of KPIs, so it does not score the whole plan."""

    def __init__(self, graph: PlanGraph, scoring: Scoring | None = None, period: Period | None = None) -> None:
        self.graph = graph
        self.scorer = Scorer(graph, period or Period(graph.year or 0, 12, "year"), scoring or Scoring())

    def kpi(self, node: Node) -> KpiStanding | None:
        """The standing of a department KPI; None for any other node."""
        if node.kind is not NodeKind.KPI:
            return None
        measures = self.graph.measures_of(node)
        return KpiStanding(self.scorer.kpi(node), measures[-1] if measures else None)

    def rolled(self, node: Node) -> RolledStanding | None:
        """The rolled-up standing of a theme, objective, city theme, city objective or city KPI; else None."""
        if node.kind not in ROLLED_KINDS:
            return None
        standings = [standing for kpi in kpis_of(node) if (standing := self.kpi(kpi)) is not None]
        return RolledStanding(self.scorer.rolled(node), standings)

    def rolled_score(self, node: Node) -> RolledScore:
        """The node's score rolled up as ``score_plan`` rolls it."""
        return self.scorer.rolled(node)
