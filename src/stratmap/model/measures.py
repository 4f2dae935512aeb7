"""``measures.yaml``: the actual values (實際值) of a department's KPIs for one plan year, kept apart from
the plan so that data officers and planners own different files."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from stratmap.model.base import Number, StrictModel, Text
from stratmap.model.codes import KpiCode
from stratmap.model.periods import Period

MeasuredValue = Annotated[Number | Text, Field(union_mode="left_to_right")]
"""A number, or the milestone stage reached."""


class Measurement(StrictModel):
    """A value with a note (備註), when the bare value needs explaining."""

    model_config = ConfigDict(defer_build=True)  # built when a plan has measures: no cost otherwise

    value: MeasuredValue
    note: Text | None = None


class MeasuresFile(StrictModel):
    """The actuals of one department for one plan year, by KPI code and period (``110``, ``110Q1``, ...)."""

    model_config = ConfigDict(defer_build=True)

    kind: Literal["measures"]
    measures: dict[KpiCode, dict[str, MeasuredValue | Measurement]] = Field(
        default_factory=dict, description="KPI code -> period -> value, or {value, note}."
    )
    note: Text | None = None

    @field_validator("measures")
    @classmethod
    def _periods_are_periods(
        cls, measures: dict[str, dict[str, MeasuredValue | Measurement]]
    ) -> dict[str, dict[str, MeasuredValue | Measurement]]:
        for values in measures.values():
            for period in values:
                if Period.parse(period) is None:
                    raise PydanticCustomError(
                        "period",
                        "'{period}' is not a period: write a year (110), half (110H1), quarter (110Q1), month (110M01)",
                        {"period": period},
                    )
        return measures
