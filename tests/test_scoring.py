"""Scoring, case by case: each status (higher and lower is better, zero and negative values, milestones),
each aggregation of sub-periods, each roll-up mode and the near threshold. Pure functions, no files;
the CLI over real files is in ``test_status.py``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from stratmap.linking.graph import Measure, Node, NodeKind, QualifiedCode
from stratmap.model.periods import Period, months_ended, parse_date
from stratmap.model.theme import Kpi
from stratmap.problems import Location
from stratmap.scoring.kpi import Scoring, Status, achievement_of, score_kpi, value_to_date
from stratmap.scoring.rollup import Part, roll_up

HERE = Location(__import__("pathlib").Path("x.yaml"))
YEAR = Period(110, 12, "year")


def kpi(**fields: Any) -> Node:
    model = Kpi.model_validate({"code": "BP2.1", "name": "新設企業家數", **fields})
    return Node(NodeKind.KPI, QualifiedCode("doed", "BP2.1"), model.name, HERE, model)


def measures(**values: Any) -> list[Measure]:
    """``measures(Q1=3, Y=10)``: values by period of plan year 110 (Y the whole year)."""
    found = []
    for key, value in values.items():
        period = Period.parse("110" if key == "Y" else f"110{key}")
        assert period is not None
        found.append(Measure("BP2.1", period, value if isinstance(value, str) else Decimal(str(value)), None, HERE))
    return sorted(found, key=lambda m: m.period)


def score(node: Node, given: list[Measure], period: Period = YEAR, near: str = "0.9") -> tuple[Any, Status]:
    result = score_kpi(node, given, period, Scoring(near=Decimal(near)))
    return result.achievement, result.status


# ---- one KPI -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "target", "actual", "achievement", "status"),
    [
        ("higher", 100, 120, Decimal("1.2"), Status.MET),
        ("higher", 100, 100, Decimal(1), Status.MET),
        ("higher", 100, 95, Decimal("0.95"), Status.NEAR),
        ("higher", 100, 90, Decimal("0.9"), Status.NEAR),
        ("higher", 100, 89, Decimal("0.89"), Status.MISSED),
        ("lower", 10, 8, Decimal("1.25"), Status.MET),
        ("lower", 10, 11, Decimal(10) / Decimal(11), Status.NEAR),
        ("lower", 10, 20, Decimal("0.5"), Status.MISSED),
        # zero and negative values: no ratio, the status by comparison alone
        ("higher", 0, 0, None, Status.MET),
        ("higher", 0, -1, None, Status.MISSED),
        ("higher", -5, -3, None, Status.MET),
        ("higher", 10, -3, None, Status.MISSED),
        ("lower", 0, 0, None, Status.MET),
        ("lower", 5, 0, None, Status.MET),
        ("lower", 0, 2, Decimal(0), Status.MISSED),
        ("lower", -2, -1, None, Status.MISSED),
    ],
)
def test_status_of_a_kpi(direction: str, target: int, actual: int, achievement: Decimal | None, status: Status) -> None:
    node = kpi(direction=direction, target=str(target))
    assert score(node, measures(Y=actual)) == (achievement, status)


def test_no_data_without_actual_target_or_direction() -> None:
    assert score(kpi(direction="higher", target="100"), [])[1] is Status.NO_DATA
    assert score(kpi(direction="higher"), measures(Y=5))[1] is Status.NO_DATA
    assert score(kpi(target="100"), measures(Y=5))[1] is Status.NO_DATA


def test_the_near_threshold_comes_from_the_settings() -> None:
    node = kpi(direction="higher", target="100")
    assert score(node, measures(Y=85))[1] is Status.MISSED
    assert score(node, measures(Y=85), near="0.8")[1] is Status.NEAR


MILESTONES = [
    {"stage": "完成規劃", "percent": "30"},
    {"stage": "完成招標", "percent": "60"},
    {"stage": "完工啟用", "percent": "100"},
]


@pytest.mark.parametrize(
    ("target", "reached", "achievement", "status"),
    [
        ("完成招標", "完工啟用", Decimal(100) / Decimal(60), Status.MET),
        ("完成招標", "完成招標", Decimal(1), Status.MET),
        ("完工啟用", "完成招標", Decimal("0.6"), Status.MISSED),
        ("完成招標", "完成規劃", Decimal("0.5"), Status.MISSED),
    ],
)
def test_milestone_kpi(target: str, reached: str, achievement: Decimal, status: Status) -> None:
    node = kpi(basis="milestones", milestones=MILESTONES, target=target, frequency="quarterly")
    assert score(node, measures(Q1="完成規劃", Q2=reached)) == (achievement, status)


def test_milestone_near_with_a_lower_threshold() -> None:
    node = kpi(basis="milestones", milestones=MILESTONES, target="完工啟用")
    assert score(node, measures(Y="完成招標"), near="0.6")[1] is Status.NEAR


# ---- the year's value from its sub-periods ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [("sum", Decimal(100)), ("mean", Decimal(25)), ("last", Decimal(40)), (None, Decimal(40))],
)
def test_aggregation_of_sub_periods(aggregation: str | None, expected: Decimal) -> None:
    node = kpi(frequency="quarterly", **({"aggregation": aggregation} if aggregation else {}))
    values = measures(Q1=10, Q2=20, Q3=30, Q4=40)
    assert value_to_date(node.source, values, YEAR) == expected


def test_an_explicit_yearly_value_wins_over_the_sub_periods() -> None:
    node = kpi(frequency="quarterly", aggregation="sum")
    assert value_to_date(node.source, measures(Q1=10, Q2=20, Y=99), YEAR) == Decimal(99)


def test_year_to_date_at_a_sub_period() -> None:
    node = kpi(frequency="quarterly", aggregation="sum", direction="higher", target="100")
    values = measures(Q1=10, Q2=20, Q3=30)
    q2 = Period(110, 6, "quarter")
    assert value_to_date(node.source, values, q2) == Decimal(30)
    result = score_kpi(node, values, q2, Scoring())
    assert result.actual == Decimal(30) and [str(m.period) for m in result.values] == ["110Q1", "110Q2"]


def test_values_of_another_frequency_are_not_aggregated() -> None:
    node = kpi(frequency="quarterly", aggregation="sum")
    assert value_to_date(node.source, measures(M01=5, Q1=10), YEAR) == Decimal(10)


# ---- roll-up -------------------------------------------------------------------------------------------------


def test_weighted_roll_up_caps_each_part_and_uses_the_weights() -> None:
    parts = [Part(Status.MET, Decimal(2), Decimal(10)), Part(Status.MISSED, Decimal("0.5"), Decimal(30))]
    rolled = roll_up(parts, Scoring())
    assert rolled.achievement == Decimal("0.625") and rolled.status is Status.MISSED
    assert (rolled.measured, rolled.parts) == (2, 2)


def test_weighted_roll_up_is_equal_when_a_weight_is_missing() -> None:
    parts = [Part(Status.MET, Decimal(1), Decimal(10)), Part(Status.NEAR, Decimal("0.9"), None)]
    assert roll_up(parts, Scoring()).achievement == Decimal("0.95")
    assert roll_up(parts, Scoring()).status is Status.NEAR


def test_worst_roll_up_takes_the_worst_status() -> None:
    parts = [Part(Status.MET, Decimal(1)), Part(Status.NEAR, Decimal("0.95")), Part(Status.MISSED, Decimal("0.2"))]
    rolled = roll_up(parts, Scoring(rollup="worst"))
    assert rolled.status is Status.MISSED and rolled.achievement == Decimal("0.2")
    assert roll_up(parts[:2], Scoring(rollup="worst")).status is Status.NEAR


def test_parts_without_data_are_left_out_and_none_left_is_no_data() -> None:
    parts = [Part(Status.NO_DATA, None), Part(Status.MET, Decimal("1.5"))]
    assert roll_up(parts, Scoring()).status is Status.MET
    assert roll_up(parts, Scoring()).measured == 1
    assert roll_up([Part(Status.NO_DATA, None)], Scoring()).status is Status.NO_DATA
    assert roll_up([], Scoring()).status is Status.NO_DATA


def test_parts_without_a_ratio_count_as_all_or_nothing() -> None:
    parts = [Part(Status.MET, None), Part(Status.MISSED, None)]
    assert roll_up(parts, Scoring()).achievement == Decimal("0.5")


# ---- periods and dates ---------------------------------------------------------------------------------------


def test_achievement_ratio() -> None:
    assert achievement_of(Decimal(50), Decimal(100), "higher") == Decimal("0.5")
    assert achievement_of(Decimal(50), Decimal(100), "lower") == Decimal(2)
    assert achievement_of(Decimal(50), Decimal(0), "higher") is None


def test_dates_in_both_calendars_and_months_ended() -> None:
    assert parse_date("2021-07-15") == parse_date("110-07-15") == parse_date("110/7/15")
    assert parse_date("110-02-30") is None and parse_date("soon") is None
    assert months_ended(110, parse_date("2021-07-15")) == 6  # type: ignore[arg-type]
    assert months_ended(110, parse_date("2021-07-31")) == 7  # type: ignore[arg-type]
    assert months_ended(110, parse_date("2020-12-31")) == 0  # type: ignore[arg-type]
    assert months_ended(110, parse_date("2022-03-01")) == 12  # type: ignore[arg-type]


def test_a_mean_keeps_two_more_decimals_than_its_values() -> None:
    node = kpi(frequency="quarterly", aggregation="mean")
    assert value_to_date(
        node.source, measures(Q1=Decimal("96.1"), Q2=Decimal("96.2"), Q3=Decimal("96.0")), YEAR
    ) == Decimal("96.1")
    assert str(value_to_date(node.source, measures(Q1=1, Q2=2, Q3=2), YEAR)) == "1.67"


def test_a_mean_drops_trailing_zeros_but_keeps_the_written_decimals() -> None:
    node = kpi(frequency="quarterly", aggregation="mean")
    assert str(value_to_date(node.source, measures(Q1=Decimal("87.2"), Q2=Decimal("87.4")), YEAR)) == "87.3"
    assert str(value_to_date(node.source, measures(Q1=Decimal("2.50"), Q2=Decimal("2.50")), YEAR)) == "2.50"
    assert str(value_to_date(node.source, measures(Q1=100, Q2=100), YEAR)) == "100"
