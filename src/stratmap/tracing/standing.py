"""What a trace or coverage report reads of a KPI's score, as shapes both the live scorer (``scores``) and a
plan's trace index (``index``) fill. A leaf: nothing here imports the models or the scoring."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from stratmap.linking.graph import Node, NodeKind, ReferenceKind

ROLLED_KINDS = (NodeKind.THEME, NodeKind.OBJECTIVE, NodeKind.CITY_THEME, NodeKind.CITY_OBJECTIVE, NodeKind.CITY_KPI)
"""Kinds of node whose status is rolled up from the department KPIs below or feeding them."""


class StatusShown(Protocol):
    """A status as reports show it: its stable value (``met``) and its word on the scorecard (達成)."""

    @property
    def value(self) -> str: ...

    @property
    def label(self) -> str: ...


class KpiTerms(Protocol):
    """What a score line reads of the KPI as written: its unit and how sub-periods add up."""

    @property
    def unit(self) -> str | None: ...

    @property
    def aggregation(self) -> str | None: ...


class KpiScoreShown(Protocol):
    """A department KPI's score as reports show it."""

    @property
    def kpi(self) -> KpiTerms: ...

    @property
    def target(self) -> Decimal | str | None: ...

    @property
    def actual(self) -> Decimal | str | None: ...

    @property
    def achievement(self) -> Decimal | None: ...

    @property
    def status(self) -> StatusShown: ...


class MeasureShown(Protocol):
    """The latest actual of a KPI: its period (shown as ``110Q3``) and value."""

    @property
    def period(self) -> object: ...

    @property
    def value(self) -> Decimal | str: ...


class RolledScoreShown(Protocol):
    """A rolled-up score as reports show it."""

    @property
    def achievement(self) -> Decimal | None: ...

    @property
    def status(self) -> StatusShown: ...


class KpiStandingShown(Protocol):
    """A department KPI's score and latest actual."""

    @property
    def score(self) -> KpiScoreShown: ...

    @property
    def latest(self) -> MeasureShown | None: ...

    @property
    def shown(self) -> bool: ...


class RolledStandingShown(Protocol):
    """A theme's, objective's or city item's rolled-up score and the department KPIs it rolls up from."""

    @property
    def score(self) -> RolledScoreShown: ...

    @property
    def kpis(self) -> Sequence[KpiStandingShown]: ...

    @property
    def shown(self) -> bool: ...

    def counts(self) -> Mapping[Any, int]: ...


class Scores(Protocol):
    """The scores a trace or coverage report shows, node by node."""

    def kpi(self, node: Node) -> KpiStandingShown | None: ...

    def rolled(self, node: Node) -> RolledStandingShown | None: ...


def kpis_of(node: Node) -> list[Node]:
    """The department KPIs a node's status rolls up from: those it holds, or (city) those feeding it."""
    if node.kind in (NodeKind.THEME, NodeKind.OBJECTIVE):
        return [item for item in node.descendants() if item.kind is NodeKind.KPI]
    city_kpis = [item for item in (node, *node.descendants()) if item.kind is NodeKind.CITY_KPI]
    found: list[Node] = []
    for city_kpi in city_kpis:
        found.extend(kpi for kpi in city_kpi.sources(ReferenceKind.FEEDS) if kpi not in found)
    return found


# The classes below are plain, not dataclasses: a warm trace imports them, and making a dataclass costs a
# millisecond or more of start-up each.


class StoredStatus:
    """A status as the trace index keeps it: value and label, in the order of ``scoring.kpi.Status``."""

    __slots__ = ("value", "label", "rank")

    def __init__(self, value: str, label: str, rank: int) -> None:
        self.value, self.label = value, label
        self.rank = rank
        """Its place in the order of ``Status`` (counts are listed in that order)."""


class StoredKpi:
    """The unit and aggregation of a KPI, as written."""

    __slots__ = ("unit", "aggregation")

    def __init__(self, unit: str | None, aggregation: str | None) -> None:
        self.unit, self.aggregation = unit, aggregation


class StoredKpiScore:
    """A department KPI's score for the plan year, as the trace index keeps it."""

    __slots__ = ("kpi", "target", "actual", "achievement", "status")

    def __init__(
        self,
        kpi: StoredKpi,
        target: Decimal | str | None,
        actual: Decimal | str | None,
        achievement: Decimal | None,
        status: StoredStatus,
    ) -> None:
        self.kpi, self.target, self.actual, self.achievement, self.status = kpi, target, actual, achievement, status


class StoredMeasure:
    """The latest actual of a KPI: its period as shown and its value."""

    __slots__ = ("period", "value")

    def __init__(self, period: str, value: Decimal | str) -> None:
        self.period, self.value = period, value


class StoredRolledScore:
    """A rolled-up score, as the trace index keeps it."""

    __slots__ = ("achievement", "status")

    def __init__(self, achievement: Decimal | None, status: StoredStatus) -> None:
        self.achievement, self.status = achievement, status


class StoredKpiStanding:
    """A department KPI's score and latest actual, from the trace index."""

    __slots__ = ("score", "latest")

    def __init__(self, score: StoredKpiScore, latest: StoredMeasure | None) -> None:
        self.score, self.latest = score, latest

    @property
    def shown(self) -> bool:
        """Whether there is anything to show: a target or a value."""
        return self.score.target is not None or self.latest is not None


class StoredRolledStanding:
    """A rolled-up standing, from the trace index."""

    __slots__ = ("score", "kpis")

    def __init__(self, score: StoredRolledScore, kpis: list[StoredKpiStanding]) -> None:
        self.score, self.kpis = score, kpis

    @property
    def shown(self) -> bool:
        """Whether any of the KPIs rolled up has a target or a value."""
        return any(kpi.shown for kpi in self.kpis)

    def counts(self) -> dict[StoredStatus, int]:
        """How many of the KPIs stand at each status, in the order of ``Status``; zero counts left out."""
        found: dict[StoredStatus, int] = {}
        for kpi in self.kpis:
            found[kpi.score.status] = found.get(kpi.score.status, 0) + 1
        return dict(sorted(found.items(), key=lambda pair: pair[0].rank))


class StoredScores:
    """The scores of a plan as its trace index holds them (computed by the live scorer when it was stored)."""

    def __init__(
        self,
        kpi_of: Callable[[Node], StoredKpiStanding | None],
        rolled_of: Callable[[Node], StoredRolledScore | None],
    ) -> None:
        self._kpi_of = kpi_of
        self._rolled_of = rolled_of

    def kpi(self, node: Node) -> StoredKpiStanding | None:
        """The standing of a department KPI; None for any other node."""
        return self._kpi_of(node) if node.kind is NodeKind.KPI else None

    def rolled(self, node: Node) -> StoredRolledStanding | None:
        """The rolled-up standing of a theme, objective, city theme, city objective or city KPI; else None."""
        score = self._rolled_of(node) if node.kind in ROLLED_KINDS else None
        if score is None:
            return None
        standings = [standing for kpi in kpis_of(node) if (standing := self.kpi(kpi)) is not None]
        return StoredRolledStanding(score, standings)
