"""A department theme file: objectives, KPIs and action plans of one theme."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from stratmap.i18n import N_
from stratmap.model.base import Number, StrictModel, Text, unique
from stratmap.model.city import check_perspective
from stratmap.model.codes import (
    DRIVES_DESCRIPTION,
    ActionPlanCode,
    DrivenCode,
    KpiCode,
    ObjectiveCode,
    PerspectiveField,
    ThemeCode,
    Words,
)
from stratmap.model.periods import FREQUENCY_PERIODS, PeriodKind

DIRECTION_WORDS = Words((("越高越好", "higher"), ("越低越好", "lower")))
"""The Chinese words for a KPI's direction."""
FREQUENCY_WORDS = Words((("每月", "monthly"), ("每季", "quarterly"), ("每半年", "half-yearly"), ("每年", "yearly")))
"""The Chinese words for a KPI's frequency."""
Direction = Annotated[Literal["higher", "lower"], DIRECTION_WORDS]
"""Which way is better, in English or in Chinese (``越高越好`` is read as ``higher``)."""
Frequency = Annotated[Literal["monthly", "quarterly", "half-yearly", "yearly"], FREQUENCY_WORDS]
"""How often a KPI is measured, in English or in Chinese (``每季`` is read as ``quarterly``)."""
Aggregation = Literal["sum", "mean", "last"]
Basis = Literal["statistics", "milestones"]
Weight = Annotated[
    Decimal, Field(ge=0, le=100, allow_inf_nan=False, description="權重: percent of the department plan.")
]
Target = Annotated[Number | Text, Field(union_mode="left_to_right")]
"""A number, or for a KPI measured by milestones the name of the stage to reach."""


class ActionPlan(StrictModel):
    """An action plan (行動計畫) that moves a KPI."""

    code: ActionPlanCode
    name: Text
    owner: Text | None = None
    budget: Number | None = Field(default=None, ge=0, description="Budget in New Taiwan dollars.")
    note: Text | None = None


class Milestone(StrictModel):
    """A stage of a KPI evaluated by work completed (完成工作項目), with the share of the work it stands for."""

    stage: Text
    percent: Decimal = Field(gt=0, le=100, allow_inf_nan=False)


class Kpi(StrictModel):
    """A department KPI (關鍵績效指標) with the city KPIs it feeds."""

    code: KpiCode
    name: Text
    city_kpis: list[KpiCode] = Field(
        default_factory=list, description="City KPIs this KPI feeds (府級KPI), by city code."
    )
    tags: list[Text] = Field(default_factory=list, description="Labels such as 非營業基金考核指標.")
    unit: Text | None = None
    direction: Direction | None = Field(
        default=None,
        description="Whether a higher or a lower value is better: higher 越高越好, lower 越低越好 (either form).",
    )
    baseline: Number | None = None
    target: Target | None = Field(default=None, description="年度目標值: the target of the plan year.")
    targets: dict[Annotated[int, Field(ge=1, le=999)], Target] = Field(
        default_factory=dict, description="分年目標值: targets of later plan years, by 民國 year."
    )
    formula: Text | None = Field(default=None, description="衡量標準: how the value is computed.")
    basis: Basis = Field(
        default="statistics", description="評估體制: statistics (統計數據) or milestones (完成工作項目)."
    )
    milestones: list[Milestone] = Field(default_factory=list, description="Stages, in order, for basis: milestones.")
    frequency: Frequency | None = Field(
        default=None,
        description="How often the KPI is measured (衡量頻率): monthly 每月, quarterly 每季, half-yearly 每半年, "
        "yearly 每年 (either form).",
    )
    aggregation: Aggregation | None = Field(
        default=None, description="How sub-period values make the year's value (default: last, 累計值)."
    )
    weight: Weight | None = None
    owner: Text | None = None
    data_source: Text | None = None
    action_plans: list[ActionPlan] = []
    note: Text | None = None

    @field_validator("tags")
    @classmethod
    def _tags_once_each(cls, tags: list[str]) -> list[str]:
        unique(tags, "tag")
        return tags

    @model_validator(mode="after")
    def _targets_fit_the_basis(self) -> Kpi:
        if self.basis == "statistics":
            if self.milestones:
                raise PydanticCustomError(
                    "basis", "milestones are given but basis is statistics; write basis: milestones"
                )
            for year, target in [(None, self.target), *self.targets.items()]:
                if isinstance(target, str):
                    raise PydanticCustomError(
                        "basis",
                        "target{year} '{target}' is not a number{why}",
                        {"year": f" of {year}" if year else "", "target": target, "why": _why_not_a_number(target)},
                    )
            return self
        stages = [milestone.stage for milestone in self.milestones]
        if not stages:
            raise PydanticCustomError("basis", "basis: milestones needs its milestones: a stage and percent each")
        unique(stages, "stage")
        percents = [milestone.percent for milestone in self.milestones]
        if percents != sorted(set(percents)):
            raise PydanticCustomError("basis", "milestone percents must rise from stage to stage")
        for year, target in [(None, self.target), *self.targets.items()]:
            if target is not None and str(target) not in stages:
                raise PydanticCustomError(
                    "basis",
                    "target{year} '{target}' is not one of the stages: {stages}",
                    {"year": f" of {year}" if year else "", "target": str(target), "stages": ", ".join(stages)},
                )
        return self

    @property
    def period_kind(self) -> PeriodKind:
        """The kind of sub-period the KPI reports in (``quarter``...); ``year`` when yearly or not said."""
        return FREQUENCY_PERIODS[self.frequency] if self.frequency else "year"

    def stage_percent(self, stage: str) -> Decimal | None:
        """The percent a milestone stage stands for, or None when the KPI has no such stage."""
        return next((m.percent for m in self.milestones if m.stage == stage), None)


def _why_not_a_number(text: str) -> str:
    """Why text that looks numeric is still refused as a number, or "" for text that is no number at all."""
    try:
        number = Decimal(text)
    except ArithmeticError:
        return ""
    if not number.is_finite():
        return N_(": a target is a finite number")
    return N_(": numbers have at most 24 digits before the point and 12 after")


class Objective(StrictModel):
    """A department strategy objective (策略目標) in one perspective."""

    code: ObjectiveCode
    perspective: PerspectiveField
    name: Text
    weight: Weight | None = None
    drives: list[DrivenCode] = Field(default_factory=list, description=DRIVES_DESCRIPTION)
    kpis: list[Kpi] = []
    note: Text | None = None

    @property
    def total_weight(self) -> Decimal | None:
        """The objective's weight: as written, else the sum of its KPIs' when every KPI has one."""
        if self.weight is not None:
            return self.weight
        weights = [kpi.weight for kpi in self.kpis]
        if weights and all(weight is not None for weight in weights):
            return sum((weight for weight in weights if weight is not None), Decimal(0))
        return None

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
