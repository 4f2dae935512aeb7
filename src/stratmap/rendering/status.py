"""How a score is shown: the status as a word, a symbol and a colour class (never colour alone), the
achievement (達成率) as a percentage, and the legend of the maps. The scores come from ``stratmap.scoring``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from stratmap.reporting.numbers import HUNDRED, format_number, format_percent
from stratmap.scoring.kpi import Scoring, Status
from stratmap.scoring.rollup import RolledScore

SYMBOLS = {Status.MET: "●", Status.NEAR: "◐", Status.MISSED: "○", Status.NO_DATA: "－"}
"""A shape per status, so that it reads without colour and in black-and-white print."""


@dataclass(frozen=True)
class StatusView:
    """A status as the pages show it: ``key`` is the CSS class suffix (``met``, ``no_data``)."""

    key: str
    label: str
    symbol: str
    achievement: str = ""
    """達成率 with one decimal (``96.4%``); empty when there is none."""

    @property
    def text(self) -> str:
        """Symbol, word and achievement on one line: ``◐ 接近 96.4%``."""
        return " ".join(part for part in (self.symbol, self.label, self.achievement) if part)


def status_view(status: Status, achievement: Decimal | None = None) -> StatusView:
    """The view of a status and its achievement."""
    return StatusView(status.value, status.label, SYMBOLS[status], format_percent(achievement))


def rolled_view(score: RolledScore | None) -> StatusView | None:
    """A rolled-up score's view; None when nothing was rolled into it (no part to judge)."""
    if score is None or score.parts == 0:
        return None
    return status_view(score.status, score.achievement)


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a status and when it applies."""

    status: StatusView
    meaning: str


def legend(scoring: Scoring) -> list[LegendEntry]:
    """The legend of the maps, with the configured threshold of near (接近)."""
    near = format_number((scoring.near * HUNDRED).normalize())
    return [
        LegendEntry(status_view(Status.MET), "達成率 100% 以上"),
        LegendEntry(status_view(Status.NEAR), f"達成率 {near}% 以上、未達 100%"),
        LegendEntry(status_view(Status.MISSED), f"達成率未達 {near}%"),
        LegendEntry(status_view(Status.NO_DATA), "尚無目標值或實際值"),
    ]


def rollup_rule(scoring: Scoring) -> str:
    """How an objective's status is made from its KPIs, in words."""
    if scoring.rollup == "worst":
        return "策略目標、主題與機關之狀態取其所屬 KPI 之最差狀態。"
    return "策略目標、主題與機關之達成率為所屬 KPI 達成率之加權平均（每項至多計 100%）。"
