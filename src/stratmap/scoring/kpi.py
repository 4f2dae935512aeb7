"""One KPI at one period: its value to date, its achievement (達成率) against the year's target, its status.

Achievement is actual / target when higher is better and target / actual when lower is better; it is
left out (None) where the ratio means nothing: a target of zero or below, or an actual below zero
(higher), or an actual of zero or below (lower). The status is then decided by comparison alone.
A KPI measured by milestones (完成工作項目) scores the percent of the stage reached against the
percent of the target stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import Literal

from stratmap.arithmetic import WIDE
from stratmap.linking.graph import Measure, Node
from stratmap.model.periods import Period, PeriodKind
from stratmap.model.theme import Kpi

ONE = Decimal(1)


class Status(StrEnum):
    """How a KPI, or anything rolled up from KPIs, stands against its target."""

    MET = "met"
    NEAR = "near"
    MISSED = "missed"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        """The word on the scorecard (Traditional Chinese)."""
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """Worse is lower: missed 0, near 1, met 2; no data last of all (3), since it is not a result."""
        return _RANKS[self]


_LABELS = {Status.MET: "達成", Status.NEAR: "接近", Status.MISSED: "未達成", Status.NO_DATA: "無資料"}
_RANKS = {Status.MISSED: 0, Status.NEAR: 1, Status.MET: 2, Status.NO_DATA: 3}


@dataclass(frozen=True)
class Scoring:
    """How scores are judged: from ``[tool.stratmap]`` (``near``, ``rollup``)."""

    near: Decimal = Decimal("0.9")
    """Achievement at or above this share of the target, short of it, is near (接近)."""
    rollup: Literal["weighted", "worst"] = "weighted"
    """Objectives and above: the weighted mean of their parts' achievement, or their worst status."""

    def status_of(self, achievement: Decimal) -> Status:
        """The status of an achievement ratio."""
        if achievement >= ONE:
            return Status.MET
        return Status.NEAR if achievement >= self.near else Status.MISSED


@dataclass(frozen=True)
class KpiScore:
    """A department KPI scored at one period."""

    node: Node
    period: Period
    target: Decimal | str | None
    """The year's target (年度目標值)."""
    target_to_date: Decimal | str | None
    """What the actual is judged against: the year's target, or for a KPI whose periods are summed, scored
    before the year ends, its share for the months so far (target x months / 12)."""
    actual: Decimal | str | None
    """The value to date: the year's explicit value, or the sub-periods so far, aggregated."""
    achievement: Decimal | None
    status: Status
    values: tuple[Measure, ...]
    """Every value of the plan year up to the period, in period order."""

    @property
    def kpi(self) -> Kpi:
        """The KPI as written in its theme file."""
        assert isinstance(self.node.source, Kpi)
        return self.node.source


def reporting_periods(kpi: Kpi) -> PeriodKind:
    """The kind of sub-period a KPI reports in (``quarter``...); ``year`` when it reports yearly or says nothing."""
    return kpi.period_kind


def score_kpi(node: Node, measures: Sequence[Measure], period: Period, scoring: Scoring) -> KpiScore:
    """Score a department KPI at ``period`` (the whole year, or the year to date at a sub-period)."""
    kpi = node.source
    assert isinstance(kpi, Kpi)
    so_far = tuple(m for m in measures if m.period.year == period.year and m.period.last_month <= period.last_month)
    actual = value_to_date(kpi, so_far, period)
    if kpi.basis == "milestones":
        achievement, status = _milestone_score(kpi, actual, scoring)
        return KpiScore(node, period, kpi.target, kpi.target, actual, achievement, status, so_far)
    target = target_to_date(kpi, period)
    achievement, status = _statistics_score(kpi, target, actual, scoring)
    return KpiScore(node, period, kpi.target, target, actual, achievement, status, so_far)


def target_to_date(kpi: Kpi, period: Period) -> Decimal | str | None:
    """The target the year to date is judged against: the year's, pro-rated by months for a KPI whose
    sub-periods are summed (a count such as 新設企業家數 at 110Q2 is judged against half the year's)."""
    target = kpi.target
    summed = kpi.aggregation == "sum" and reporting_periods(kpi) != "year"
    if not isinstance(target, Decimal) or not summed or period.last_month == 12:
        return target
    places = _decimals(target)
    with localcontext(WIDE):  # to two more decimals than the target was written with, none of them a trailing zero
        return _shortest((target * period.last_month / 12).quantize(Decimal(1).scaleb(-places - 2)), places)


def value_to_date(kpi: Kpi, measures: Sequence[Measure], period: Period) -> Decimal | str | None:
    """The value of ``kpi`` for the year to date at the end of ``period``: the sub-periods of its frequency
    from the start of the year to the period's end, combined by its aggregation (default ``last``, as
    cumulative 累計 figures are reported); for the whole year, a value written for the year wins."""
    if period.kind == "year":
        whole = [m.value for m in measures if m.period == period]
        if whole:
            return whole[-1]
    kind = reporting_periods(kpi)
    parts = [
        m.value
        for m in measures
        if m.period.kind == kind != "year" and m.period.year == period.year and m.period.last_month <= period.last_month
    ]
    if not parts:
        return None
    if kpi.basis == "milestones":
        return max((p for p in parts if isinstance(p, str)), key=lambda s: kpi.stage_percent(s) or 0, default=None)
    numbers = [p for p in parts if isinstance(p, Decimal)]
    if not numbers:
        return None
    aggregation = kpi.aggregation or "last"
    if aggregation == "sum":
        return sum(numbers, Decimal(0))
    if aggregation == "mean":  # at most two more decimals than the values were written with
        written = max(max(-int(n.as_tuple().exponent) for n in numbers), 0)
        with localcontext(WIDE):
            return _shortest(
                (sum(numbers, Decimal(0)) / len(numbers)).quantize(Decimal(1).scaleb(-written - 2)), written
            )
    return numbers[-1]


def _decimals(number: Decimal) -> int:
    return max(-int(number.as_tuple().exponent), 0)


def _shortest(number: Decimal, places: int) -> Decimal:
    """``number`` without trailing zeros, but with at least ``places`` decimals (``21.00`` -> ``21``, ``10.50`` ->
    ``10.5``; with 2 places ``0.6000`` -> ``0.60``): as many decimals as the value has, or as it was written with."""
    with localcontext(WIDE):
        return max(number.quantize(Decimal(1).scaleb(-places)), number.normalize(), key=_decimals)


def achievement_of(actual: Decimal, target: Decimal, direction: str) -> Decimal | None:
    """actual / target (higher is better) or target / actual (lower); None where the ratio means nothing."""
    if direction == "higher":
        return actual / target if target > 0 and actual >= 0 else None
    return target / actual if actual > 0 and target >= 0 else None


def _statistics_score(
    kpi: Kpi, target: Decimal | str | None, actual: Decimal | str | None, scoring: Scoring
) -> tuple[Decimal | None, Status]:
    if not isinstance(actual, Decimal) or not isinstance(target, Decimal) or kpi.direction is None:
        return None, Status.NO_DATA
    reached = actual >= target if kpi.direction == "higher" else actual <= target
    achievement = achievement_of(actual, target, kpi.direction)
    if reached:
        return achievement, Status.MET
    if achievement is None:
        return None, Status.MISSED
    return achievement, scoring.status_of(achievement)  # below 1: the target was not reached


def _milestone_score(kpi: Kpi, actual: Decimal | str | None, scoring: Scoring) -> tuple[Decimal | None, Status]:
    goal = kpi.stage_percent(str(kpi.target)) if kpi.target is not None else None
    reached = kpi.stage_percent(actual) if isinstance(actual, str) else None
    if goal is None or reached is None:
        return None, Status.NO_DATA
    achievement = reached / goal
    return achievement, Status.MET if reached >= goal else scoring.status_of(achievement)
