"""Shared configuration of every model: strict keys, immutable values."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-empty text as written in the source document."""


class StrictModel(BaseModel):
    """A model whose unknown keys are errors: a typo like ``nmae:`` must not pass."""

    model_config = ConfigDict(extra="forbid", frozen=True)
