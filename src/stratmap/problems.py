"""Problems are values: every stage reports what it found as ``Problem``s."""

from __future__ import annotations

from collections.abc import Iterable
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
    name: str = field(compare=False)
    """The rule's stable English name (``duplicate-code``), stamped by the pipeline from the rule catalog."""
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    hint: str = field(compare=False, default="")


MAX_PER_FILE_AND_RULE = 100
"""More findings of one rule in one file than this are summed up in one line: a file of 700,000 unknown
keys gets 100 of them and "and 699,900 more", not a report nobody can read or wait for."""


class FindingCap:
    """Counts findings by file and rule, admits the first ``limit`` of each, and sums up the rest."""

    def __init__(self, limit: int = MAX_PER_FILE_AND_RULE) -> None:
        self.limit = limit
        self._counts: dict[tuple[Path, str], int] = {}
        self._last: dict[tuple[Path, str], Location] = {}

    def admits(self, path: Path, rule: str) -> bool:
        """Count one finding of ``rule`` in ``path``; whether it is among the first ``limit``."""
        group = (path, rule)
        count = self._counts[group] = self._counts.get(group, 0) + 1
        return count <= self.limit

    def keep(self, finding: Finding) -> Finding:
        """Note an admitted finding, so the summary of its group is placed after it."""
        group = (finding.location.path, finding.rule)
        last = self._last.get(group)
        if last is None or last < finding.location:
            self._last[group] = finding.location
        return finding

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """``findings`` in order of place, the first ``limit`` of each group, then the summaries."""
        ordered = sorted(findings, key=lambda f: (f.location, f.rule))
        return [self.keep(f) for f in ordered if self.admits(f.location.path, f.rule)] + self.summaries()

    def summaries(self) -> list[Finding]:
        """One finding per group that had more than ``limit``, saying how many more."""
        from stratmap.i18n import _

        return [
            Finding(rule, self._last.get((path, rule), Location(path)),
                    _("and {count} more of {rule} in this file").format(count=f"{count - self.limit:,}", rule=rule),
                    _("fix the ones above first; the rest are likely the same mistake"))
            for (path, rule), count in self._counts.items()
            if count > self.limit
        ]  # fmt: skip
