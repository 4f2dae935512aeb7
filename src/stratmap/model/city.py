"""``city.yaml``: the city government's strategy map, one per plan year."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from stratmap.model.base import StrictModel, Text
from stratmap.model.codes import (
    DRIVES_DESCRIPTION,
    DrivenCode,
    KpiCode,
    ObjectiveCode,
    Perspective,
    PerspectiveField,
    ThemeCode,
)


class CityKpi(StrictModel):
    """A city KPI (府級KPI). The seed names city KPIs only by code."""

    code: KpiCode
    name: Text | None = None
    note: Text | None = None


class CityObjective(StrictModel):
    """A city strategy objective, e.g. ``DP2 打造創業搖籃``."""

    code: ObjectiveCode
    perspective: PerspectiveField
    name: Text
    drives: list[DrivenCode] = Field(default_factory=list, description=DRIVES_DESCRIPTION)
    kpis: list[CityKpi] | None = Field(
        default=None, description="The objective's KPIs. When listed, department references must name one of them."
    )
    note: Text | None = None

    @model_validator(mode="after")
    def _perspective_matches_code(self) -> CityObjective:
        check_perspective(self.code, self.perspective)
        return self


class CityTheme(StrictModel):
    """A city strategy theme (策略主題), e.g. ``D 優化產業勞動``."""

    code: ThemeCode
    name: Text
    objectives: list[CityObjective]
    note: Text | None = None


class CityMapFile(StrictModel):
    """The city strategy map (e.g. 臺北市政府110年度策略地圖)."""

    kind: Literal["city_map"]
    title: Text
    mission: Text
    vision: Text
    core_values: list[Text]
    themes: list[CityTheme]
    cross_cutting_objectives: list[CityObjective] = Field(
        default_factory=list, description="Objectives shared by every theme (TC1-TC4), coded with the letter T."
    )
    note: Text | None = None


def check_perspective(code: str, perspective: Perspective) -> None:
    """Raise when the perspective stated disagrees with the code's letter."""
    if code[1] != perspective.value:
        raise PydanticCustomError(
            "perspective_mismatch",
            "objective {code} says perspective {stated} but its code has '{letter}'",
            {"code": code, "stated": perspective.value, "letter": code[1]},
        )
