"""Problems are values: every stage reports what it found as ``Problem``s."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How much a problem matters; set by configuration, never by a rule."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column, as editors count them."""

    path: Path
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path.as_posix()}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
    """What a rule or a loading stage found, before severity is assigned."""

    rule: str
    location: Location
    message: str
    hint: str = ""


@dataclass(frozen=True, order=True)
class Problem:
    """A finding with its severity, ready to report."""

    location: Location
    rule: str
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    hint: str = field(compare=False, default="")

    @property
    def name(self) -> str:
        """The rule's readable name, e.g. ``duplicate-code``."""
        from stratmap.rules.catalog import RULES

        return RULES[self.rule].name
