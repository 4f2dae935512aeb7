"""What a check found, as every reporter reads it: per plan and over all plans named.

A leaf: it imports only the problem values and, for type hints, the plan folder and graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stratmap.problems import Problem, Severity

if TYPE_CHECKING:
    from stratmap.linking.graph import PlanGraph
    from stratmap.loading.discovery import PlanFolder


@dataclass(frozen=True)
class PlanCounts:
    """What a plan holds, as reported after a clean check."""

    themes: int
    objectives: int
    kpis: int
    action_plans: int
    city_references: int


@dataclass
class PlanResult:
    """The outcome of checking one plan folder."""

    folder: PlanFolder
    problems: list[Problem] = field(default_factory=list)
    counts: PlanCounts | None = None
    """What the plan holds; None when a file failed to load."""
    graph: PlanGraph | None = None
    """The linked plan, when the command asked to keep it."""

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)


@dataclass
class CheckResult:
    """The outcome of checking every plan a command named."""

    plans: list[PlanResult]

    @property
    def problems(self) -> list[Problem]:
        """Every problem, sorted by file, line, column and rule."""
        return sorted(p for plan in self.plans for p in plan.problems)

    @property
    def errors(self) -> int:
        """Errors over all plans."""
        return sum(plan.errors for plan in self.plans)

    @property
    def warnings(self) -> int:
        """Warnings over all plans."""
        return sum(plan.warnings for plan in self.plans)

    def exit_code(self, strict: bool) -> int:
        """0 when clean, 1 when there are errors (or warnings, with ``strict``)."""
        return 1 if self.errors or (strict and self.warnings) else 0
