"""Whether a KPI met its target, from its direction, target and actual value."""

from __future__ import annotations

from enum import StrEnum

from stratmap.model.theme import Kpi


class KpiStatus(StrEnum):
    """The three states a scorecard shows."""

    MET = "met"
    NOT_MET = "not met"
    NO_DATA = "no data"


def kpi_status(kpi: Kpi) -> KpiStatus:
    """Met or not met when direction, target and actual are all known; otherwise no data."""
    if kpi.direction is None or kpi.target is None or kpi.actual is None:
        return KpiStatus.NO_DATA
    if kpi.direction == "higher":
        return KpiStatus.MET if kpi.actual >= kpi.target else KpiStatus.NOT_MET
    return KpiStatus.MET if kpi.actual <= kpi.target else KpiStatus.NOT_MET
