"""Measurement periods (期別) as planning staff write them: ``110``, ``110H1``, ``110Q3``, ``110M07``."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["year", "half", "quarter", "month"]
_KIND_BY_LETTER: dict[str, PeriodKind] = {"H": "half", "Q": "quarter", "M": "month"}
_PARTS = {"H": ("1", "2"), "Q": ("1", "2", "3", "4"), "M": tuple(f"{m:02d}" for m in range(1, 13))}
"""What may follow each letter: ``H1``/``H2``, ``Q1``-``Q4``, ``M01``-``M12``."""
_MONTHS_IN = {"year": 12, "half": 6, "quarter": 3, "month": 1}
FREQUENCY_PERIODS: dict[str, PeriodKind] = {
    "yearly": "year",
    "half-yearly": "half",
    "quarterly": "quarter",
    "monthly": "month",
}
"""The sub-period each frequency of measurement reports in; every frequency may also give the year."""
ROC_OFFSET = 1911
"""民國 year + 1911 = Gregorian year."""


@dataclass(frozen=True, order=True)
class Period:
    """A span of a plan year; ordered by year, then by when it ends, the whole year last."""

    year: int
    last_month: int
    """The month (1-12) in which the period ends."""
    kind: PeriodKind

    @classmethod
    def parse(cls, text: str) -> Period | None:
        """The period ``text`` names (a 民國 year, then nothing for the whole year, ``H1``/``H2``, ``Q1``-``Q4``
        or ``M01``-``M12``), or None when it is not written as a period. (Parsed by hand: a regular
        expression for it costs ~8 ms to compile at every start.)"""
        return _parse(text) if len(text) <= _REMEMBERED else _parse.__wrapped__(text)

    @property
    def first_month(self) -> int:
        """The month (1-12) in which the period starts."""
        return self.last_month - _MONTHS_IN[self.kind] + 1

    def ends(self) -> datetime.date:
        """The last day of the period, in the Gregorian calendar."""
        year = self.year + ROC_OFFSET
        if self.last_month == 12:
            return datetime.date(year, 12, 31)
        return datetime.date(year, self.last_month + 1, 1) - datetime.timedelta(days=1)

    def __str__(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "month":
            return f"{self.year}M{self.last_month:02d}"
        letter = "H" if self.kind == "half" else "Q"
        return f"{self.year}{letter}{self.last_month // _MONTHS_IN[self.kind]}"


_REMEMBERED = 16
"""Periods are a few characters long; longer texts are parsed (and refused) without being remembered."""


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> Period | None:
    """``Period.parse``, remembered: a measures file names the same few periods for every KPI, and a
    Period is immutable, so one object serves every mention."""
    year = text[:3].rstrip("HQM")
    while year and not year.isdecimal():
        year = year[:-1]
    rest = text[len(year) :]
    if not (year.isascii() and year.isdecimal() and year[0] != "0"):
        return None
    if not rest:
        return Period(int(year), 12, "year")
    letter, number = rest[0], rest[1:]
    if number not in _PARTS.get(letter, ()):
        return None
    kind = _KIND_BY_LETTER[letter]
    return Period(int(year), int(number) * _MONTHS_IN[kind], kind)


def periods_of(year: int, kind: PeriodKind) -> list[Period]:
    """Every period of ``kind`` in a plan year, in order."""
    step = _MONTHS_IN[kind]
    return [Period(year, month, kind) for month in range(step, 13, step)]


def parse_date(text: str) -> datetime.date | None:
    """A date written ``2021-07-15`` or, in the 民國 calendar, ``110-07-15`` / ``110/07/15``; None otherwise."""
    match = re.fullmatch(r"([0-9]{1,4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})", text.strip())
    if match is None:
        return None
    year, month, day = (int(group) for group in match.groups())
    if year < 1000:
        year += ROC_OFFSET
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def months_ended(plan_year: int, as_of: datetime.date) -> int:
    """How many months of a plan year have ended by ``as_of`` (0 to 12)."""
    first = datetime.date(plan_year + ROC_OFFSET, 1, 1)
    if as_of < first:
        return 0
    if as_of.year > first.year:
        return 12
    ended = as_of.month if (as_of + datetime.timedelta(days=1)).month != as_of.month else as_of.month - 1
    return ended
