"""How a score is shown: the status as a word, a symbol and a colour class (never colour alone), the
achievement (達成率) as a percentage, and the legend of the maps. The scores come from ``stratmap.scoring``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from stratmap.i18n import N_
from stratmap.rendering.words import Words
from stratmap.reporting.numbers import HUNDRED, format_number, format_percent
from stratmap.scoring.kpi import Scoring, Status
from stratmap.scoring.rollup import RolledScore

SYMBOLS = {Status.MET: "●", Status.NEAR: "◐", Status.MISSED: "○", Status.NO_DATA: "－"}
"""A shape per status, so that it reads without colour and in black-and-white print."""
LABELS = {Status.MET: N_("Met"), Status.NEAR: N_("Near"), Status.MISSED: N_("Missed"), Status.NO_DATA: N_("No data")}
"""The word of each status on the pages (達成, 接近, 未達成, 無資料 in Chinese)."""


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


def status_view(words: Words, status: Status, achievement: Decimal | None = None) -> StatusView:
    """The view of a status and its achievement, in the page's words."""
    return StatusView(status.value, words(LABELS[status]), SYMBOLS[status], format_percent(achievement))


def rolled_view(words: Words, score: RolledScore | None) -> StatusView | None:
    """A rolled-up score's view; None when nothing was rolled into it (no part to judge)."""
    if score is None or score.parts == 0:
        return None
    return status_view(words, score.status, score.achievement)


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a status and when it applies."""

    status: StatusView
    meaning: str


def legend(words: Words, scoring: Scoring) -> list[LegendEntry]:
    """The legend of the maps, with the configured threshold of near (接近)."""
    near = format_number((scoring.near * HUNDRED).normalize())
    return [
        LegendEntry(status_view(words, Status.MET), words(N_("achievement 100% or more"))),
        LegendEntry(
            status_view(words, Status.NEAR), words(N_("achievement {near}% or more, below 100%")).format(near=near)
        ),
        LegendEntry(status_view(words, Status.MISSED), words(N_("achievement below {near}%")).format(near=near)),
        LegendEntry(status_view(words, Status.NO_DATA), words(N_("no target or actual yet"))),
    ]


def rollup_rule(words: Words, scoring: Scoring) -> str:
    """How an objective's status is made from its KPIs, in words."""
    if scoring.rollup == "worst":
        return words(N_("The status of objectives, themes and departments is the worst status of their KPIs."))
    return words(
        N_(
            "The achievement of objectives, themes and departments is the weighted mean of their KPIs' "
            "achievements (each counted at most 100%)."
        )
    )
