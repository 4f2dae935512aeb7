"""The pipeline every command shares: import -> link -> check, one plan folder at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from stratmap.config import Settings
from stratmap.linking.graph import NodeKind, PlanGraph, ReferenceKind
from stratmap.linking.linker import link_plan
from stratmap.loading.discovery import PlanFolder, UsageError, find_plans, recency, shown_path
from stratmap.loading.loader import FailedFile, LoadedFile, load_file
from stratmap.problems import Finding, Location, Problem, Severity


@dataclass(frozen=True)
class PlanCounts:
    """What a plan holds, as reported after a clean check."""

    themes: int
    objectives: int
    kpis: int
    action_plans: int
    city_references: int

    @classmethod
    def of(cls, graph: PlanGraph) -> PlanCounts:
        """Count the department side of the graph."""
        return cls(
            themes=len(graph.of_kind(NodeKind.THEME)),
            objectives=len(graph.of_kind(NodeKind.OBJECTIVE)),
            kpis=len(graph.of_kind(NodeKind.KPI)),
            action_plans=len(graph.of_kind(NodeKind.ACTION_PLAN)),
            city_references=sum(1 for r in graph.references if r.kind is ReferenceKind.FEEDS),
        )


@dataclass
class PlanResult:
    """The outcome of checking one plan folder."""

    folder: PlanFolder
    problems: list[Problem] = field(default_factory=list)
    graph: PlanGraph | None = None
    """The linked plan (of the files that loaded)."""
    complete: bool = True
    """False when a file failed to load: references across files were then not checked."""

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    @property
    def counts(self) -> PlanCounts | None:
        """What the plan holds, when every file loaded."""
        return PlanCounts.of(self.graph) if self.graph is not None and self.complete else None


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


def check_plan(folder: PlanFolder, cwd: Path, settings: Settings) -> PlanResult:
    """Load every file of ``folder``, link them, run the rules; problems sorted."""
    loaded: list[LoadedFile] = []
    findings = [
        Finding("Y001", Location(shown_path(path, cwd)), f"cannot open folder: {reason}",
                "the files in it were not checked; make it readable")
        for path, reason in folder.unreadable
    ]  # fmt: skip
    for path in folder.files:
        outcome = load_file(path, shown_path(path, cwd))
        if isinstance(outcome, FailedFile):
            findings.extend(outcome.findings)
        else:
            loaded.append(outcome)
    from stratmap.rules import run_graph_rules

    result = PlanResult(folder, complete=not findings)
    result.graph = link_plan(shown_path(folder.root, cwd), loaded, folder.name)
    findings.extend(run_graph_rules(result.graph, whole_plan=result.complete))
    result.problems = sorted(_with_severity(findings, settings))
    return result


def check_paths(paths: list[Path], cwd: Path, settings: Settings) -> CheckResult:
    """Check every plan the PATHs name (see ``loading.discovery``)."""
    return CheckResult([check_plan(folder, cwd, settings) for folder in find_plans(paths, cwd)])


def open_plan(paths: list[Path], year: int | None, cwd: Path, settings: Settings) -> PlanResult:
    """Check the one plan a command works on: the ``year`` asked for, or the latest the PATHs name."""
    plans = find_plans(paths, cwd)
    if year is None:
        return check_plan(max(plans, key=recency), cwd, settings)
    for folder in plans:
        if folder.name == str(year):
            return check_plan(folder, cwd, settings)
    raise UsageError(f"no plan for year {year}; the plans here are: {', '.join(p.name for p in plans)}")


def _with_severity(findings: list[Finding], settings: Settings) -> list[Problem]:
    problems = []
    for finding in findings:
        severity = settings.severity(finding.rule)
        if severity is not None:
            problems.append(Problem(finding.location, finding.rule, severity, finding.message, finding.hint))
    return problems


__all__ = [
    "CheckResult",
    "Location",
    "PlanCounts",
    "PlanResult",
    "check_paths",
    "check_plan",
    "open_plan",
    "shown_path",
]
