"""``department.yaml``: who the department is and how it built its map."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from stratmap.model.base import StrictModel, Text, unique
from stratmap.model.codes import DepartmentId, ObjectiveCode, ThemeCode


class ConstructionStep(StrictModel):
    """One step (STEP1-STEP5) by which the department built its map."""

    step: int = Field(ge=1)
    name: Text
    inputs: list[Text] = []
    questions: list[Text] = []
    note: Text | None = None


class SourceDocument(StrictModel):
    """The published document the files transcribe."""

    title: Text
    edition: Text | None = None
    year: int = Field(ge=1, le=999)
    month: int | None = Field(default=None, ge=1, le=12)
    construction_steps: list[ConstructionStep] = []

    @field_validator("construction_steps")
    @classmethod
    def _steps_once_each(cls, steps: list[ConstructionStep]) -> list[ConstructionStep]:
        unique([step.step for step in steps], "step")
        return steps

    note: Text | None = None


class CityRoles(StrictModel):
    """The department's part in the city map's themes."""

    lead: list[ThemeCode] = Field(default_factory=list, description="City themes the department leads (主政機關).")
    member: list[ThemeCode] = Field(
        default_factory=list, description="City themes the department takes part in (成員)."
    )
    note: Text | None = None


class PolicyAxis(StrictModel):
    """A policy axis (產業政策主軸) with its strategies (推動策略)."""

    number: int = Field(ge=1)
    name: Text
    english_name: Text | None = None
    strategies: list[Text]
    note: Text | None = None


class TowsFactor(StrictModel):
    """A strength, weakness, opportunity or threat (S1, W2, O3, T4)."""

    code: Annotated[str, Field(pattern=r"^[SWOT][1-9][0-9]{0,2}$")]
    text: Text
    note: Text | None = None


class Strength(TowsFactor):
    """A strength (優勢): S1, S2, ..."""

    code: Annotated[str, Field(pattern=r"^S[1-9][0-9]{0,2}$")]


class Weakness(TowsFactor):
    """A weakness (劣勢): W1, W2, ..."""

    code: Annotated[str, Field(pattern=r"^W[1-9][0-9]{0,2}$")]


class Opportunity(TowsFactor):
    """An opportunity (機會): O1, O2, ..."""

    code: Annotated[str, Field(pattern=r"^O[1-9][0-9]{0,2}$")]


class Threat(TowsFactor):
    """A threat (威脅): T1, T2, ..."""

    code: Annotated[str, Field(pattern=r"^T[1-9][0-9]{0,2}$")]


class TowsStrategy(StrictModel):
    """A strategy of a TOWS quadrant, linked to the objective it became."""

    number: int = Field(ge=1)
    text: Text
    objective: ObjectiveCode | None = Field(
        default=None, description="The department objective this strategy became, by department code."
    )
    city_objective: ObjectiveCode | None = Field(
        default=None, description="A city objective the strategy names, where it became no department objective."
    )
    note: Text | None = None


class TowsQuadrant(StrictModel):
    """One quadrant of the TOWS matrix: its title as printed and its strategies."""

    title: Text | None = Field(default=None, description="The quadrant's title, e.g. 掌握機會，發揮優勢.")
    strategies: list[TowsStrategy] = []
    note: Text | None = None


class TowsQuadrants(StrictModel):
    """The four quadrants of the TOWS matrix."""

    so: TowsQuadrant = Field(default_factory=TowsQuadrant, description="Strengths x opportunities.")
    wo: TowsQuadrant = Field(default_factory=TowsQuadrant, description="Weaknesses x opportunities.")
    st: TowsQuadrant = Field(default_factory=TowsQuadrant, description="Strengths x threats.")
    wt: TowsQuadrant = Field(default_factory=TowsQuadrant, description="Weaknesses x threats.")


class Tows(StrictModel):
    """The department's TOWS analysis."""

    slogan: Text | None = None
    strengths: list[Strength] = []
    weaknesses: list[Weakness] = []
    opportunities: list[Opportunity] = []
    threats: list[Threat] = []
    quadrants: TowsQuadrants = Field(default_factory=TowsQuadrants)
    note: Text | None = None


class DepartmentFile(StrictModel):
    """A department of the city government and the frame of its map."""

    kind: Literal["department"]
    id: DepartmentId = Field(description="Short id that qualifies the department's codes, e.g. ``doed:DP2.1``.")
    name: Text
    short_name: Text | None = None
    document: SourceDocument | None = None
    mission: Text
    vision: Text
    core_values: list[Text]
    city_roles: CityRoles = CityRoles()
    policy_axes: list[PolicyAxis] = []
    tows: Tows | None = None
    note: Text | None = None
