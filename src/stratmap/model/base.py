"""Shared configuration of every model: strict keys, immutable values."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-empty text as written in the source document."""

Number = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=36, decimal_places=12)]
"""A number exactly as written (``12.50`` stays ``12.50``; no binary rounding, no e-notation), of at most
36 digits, 12 of them at most after the point: ``1e999999999`` is refused, not expanded to a billion digits."""


class StrictModel(BaseModel):
    """A model whose unknown keys are errors: a typo like ``nmae:`` must not pass."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def unique(values: Sequence[object], what: str) -> None:
    """Raise a validation error naming the first value listed twice."""
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError(
                "duplicate_value", "{what} {value} is listed twice", {"what": what, "value": value}
            )
        seen.add(value)
