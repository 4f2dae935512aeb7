"""``plan.yaml``: the plan year that a folder of strategy files describes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from stratmap.model.base import StrictModel, Text


class PlanFile(StrictModel):
    """The plan of one year (民國 year), e.g. ``data/110/plan.yaml``."""

    kind: Literal["plan"]
    year: int = Field(ge=1, le=999, description="Plan year in the Republic of China calendar (110 = 2021).")
    title: Text | None = None
    note: Text | None = None
