"""Rolling scores up: objectives from KPIs, themes and perspectives from objectives, the department from
its objectives, and city KPIs and objectives from the department KPIs that feed them.

``weighted`` (default): the weighted mean of the parts' achievement, each part counted at most 100%
so that one KPI far over target cannot hide one that missed; weights are the parts' ``weight`` when
every part has one, else equal. ``worst``: the worst status of the parts. Parts with no data are left
out; with none left the result is no data. A part whose ratio means nothing (a zero target) counts as
100% when met and 0% when missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from stratmap.scoring.kpi import ONE, Scoring, Status


@dataclass(frozen=True)
class Part:
    """One part of a roll-up: its status, achievement and weight (None when not given)."""

    status: Status
    achievement: Decimal | None
    weight: Decimal | None = None

    @property
    def capped(self) -> Decimal:
        """The achievement counted in a roll-up: at most 100%; 100% or 0% when there is no ratio."""
        if self.achievement is None:
            return ONE if self.status is Status.MET else Decimal(0)
        return min(self.achievement, ONE)


@dataclass(frozen=True)
class RolledScore:
    """A score made of parts: the rolled achievement, its status, and how many parts had data of how many."""

    achievement: Decimal | None
    status: Status
    measured: int
    parts: int

    def as_part(self, weight: Decimal | None = None) -> Part:
        """This score as a part of the level above."""
        return Part(self.status, self.achievement, weight)


NO_PARTS = RolledScore(None, Status.NO_DATA, 0, 0)


def roll_up(parts: Sequence[Part], scoring: Scoring) -> RolledScore:
    """Combine parts as ``scoring.rollup`` says."""
    measured = [part for part in parts if part.status is not Status.NO_DATA]
    if not measured:
        return RolledScore(None, Status.NO_DATA, 0, len(parts))
    if scoring.rollup == "worst":
        worst = min(measured, key=lambda part: (part.status.rank, part.capped))
        return RolledScore(min(part.capped for part in measured), worst.status, len(measured), len(parts))
    weights = [part.weight for part in measured]
    if any(weight is None for weight in weights) or sum(w for w in weights if w is not None) <= 0:
        weights = [ONE] * len(measured)
    total = sum((w for w in weights if w is not None), Decimal(0))
    achievement = sum((w * part.capped for w, part in zip(weights, measured, strict=True) if w is not None), Decimal(0))
    achievement /= total
    return RolledScore(achievement, scoring.status_of(achievement), len(measured), len(parts))
