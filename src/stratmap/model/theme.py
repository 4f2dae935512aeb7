"""A department theme file: objectives, KPIs and action plans of one theme."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from stratmap.model.base import StrictModel, Text, unique
from stratmap.model.city import check_perspective
from stratmap.model.codes import ActionPlanCode, KpiCode, ObjectiveCode, Perspective, ThemeCode

Direction = Literal["higher", "lower"]
Frequency = Literal["monthly", "quarterly", "half-yearly", "yearly"]


class ActionPlan(StrictModel):
    """An action plan (行動計畫) that moves a KPI."""

    code: ActionPlanCode
    name: Text
    owner: Text | None = None
    budget: float | None = Field(default=None, ge=0, description="Budget in New Taiwan dollars.")
    note: Text | None = None


class Kpi(StrictModel):
    """A department KPI (關鍵績效指標) with the city KPIs it feeds."""

    code: KpiCode
    name: Text
    city_kpis: list[KpiCode] = Field(
        default_factory=list, description="City KPIs this KPI feeds (府級KPI), by city code."
    )
    tags: list[Text] = Field(default_factory=list, description="Labels such as 非營業基金考核指標.")
    unit: Text | None = None
    direction: Direction | None = Field(default=None, description="Whether a higher or a lower value is better.")
    baseline: float | None = None
    target: float | None = None
    actual: float | None = None
    formula: Text | None = None
    frequency: Frequency | None = None
    owner: Text | None = None
    data_source: Text | None = None
    action_plans: list[ActionPlan] = []
    note: Text | None = None

    @field_validator("tags")
    @classmethod
    def _tags_once_each(cls, tags: list[str]) -> list[str]:
        unique(tags, "tag")
        return tags


class Objective(StrictModel):
    """A department strategy objective (策略目標) in one perspective."""

    code: ObjectiveCode
    perspective: Perspective
    name: Text
    kpis: list[Kpi] = []
    note: Text | None = None

    @model_validator(mode="after")
    def _perspective_matches_code(self) -> Objective:
        check_perspective(self.code, self.perspective)
        return self


class ThemeFile(StrictModel):
    """One department strategy theme (策略主題) and its scorecard."""

    kind: Literal["theme"]
    code: ThemeCode
    name: Text
    aligns_to: list[ObjectiveCode] = Field(
        min_length=1, description="City objective(s) the theme answers to (對應府級), by city code."
    )
    objectives: list[Objective]
    note: Text | None = None
