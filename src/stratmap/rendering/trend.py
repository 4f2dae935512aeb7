"""A KPI's trend as the pages show it: text (``109: 1,200 → 110Q1: 300``) and an inline SVG sparkline.

The sparkline is plain data (coordinates with one decimal, computed with Decimal), so the same values
always give the same bytes; the template draws it. A milestone KPI is drawn by its stages' percents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from stratmap.i18n import N_
from stratmap.model.theme import Kpi
from stratmap.rendering.words import Words
from stratmap.reporting.numbers import format_number
from stratmap.scoring.history import Point

WIDTH = 88
HEIGHT = 26
PAD = 3
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Dot:
    """A point of the sparkline; ``earlier`` for an earlier plan year's value."""

    x: str
    y: str
    earlier: bool


@dataclass(frozen=True)
class Sparkline:
    """An SVG sparkline: its size, the polyline's points, a dot per value, and the values in words."""

    width: int
    height: int
    points: str
    dots: list[Dot]
    label: str


def shown_value(words: Words, kpi: Kpi, value: Decimal | str) -> str:
    """A value as written (``1,200``), or a milestone stage with its percent (``完成設計（60%）``)."""
    if isinstance(value, Decimal):
        return format_number(value)
    percent = kpi.stage_percent(value)
    if percent is None:
        return value
    return words(N_("{stage} ({percent}%)")).format(stage=value, percent=format_number(percent))


def trend_text(words: Words, kpi: Kpi, points: Sequence[Point]) -> str:
    """``109: 1,200 → 110Q1: 300 → 110Q2: 320``."""
    return " → ".join(f"{point.period}: {shown_value(words, kpi, point.value)}" for point in points)


def sparkline(words: Words, kpi: Kpi, points: Sequence[Point], year: int | None) -> Sparkline | None:
    """The sparkline of the numeric points (stage percents for milestones); None with fewer than two."""
    numeric: list[tuple[Decimal, bool]] = []
    for point in points:
        value = point.value if isinstance(point.value, Decimal) else kpi.stage_percent(point.value)
        if value is not None and value.is_finite():
            numeric.append((value, year is not None and point.period.year < year))
    if len(numeric) < 2:
        return None
    low = min(value for value, _ in numeric)
    high = max(value for value, _ in numeric)
    step = Decimal(WIDTH - 2 * PAD) / (len(numeric) - 1)
    span = Decimal(HEIGHT - 2 * PAD)
    dots = []
    for index, (value, earlier) in enumerate(numeric):
        x = PAD + step * index
        y = Decimal(HEIGHT) / 2 if high == low else PAD + (high - value) / (high - low) * span
        dots.append(Dot(_coordinate(x), _coordinate(y), earlier))
    points_text = " ".join(f"{dot.x},{dot.y}" for dot in dots)
    return Sparkline(WIDTH, HEIGHT, points_text, dots, words(N_("Trend")) + " " + trend_text(words, kpi, points))


def _coordinate(value: Decimal) -> str:
    return f"{value.quantize(TENTH, rounding=ROUND_HALF_UP):f}"
