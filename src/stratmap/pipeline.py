"""The pipeline every command shares: import -> link -> check, one plan folder at a time.

Heavy modules (YAML, Pydantic, the linker, the rules) are imported only when a plan must really be
loaded: a plan whose files are unchanged since the last check is answered from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratmap.config import Settings
from stratmap.loading.discovery import PlanFolder, find_plans, plan_of_year, recency, shown_path
from stratmap.problems import Finding, Location, Problem, Severity

if TYPE_CHECKING:
    from stratmap.linking.graph import PlanGraph
    from stratmap.loading.cache import Cache


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
        from stratmap.linking.graph import NodeKind, ReferenceKind

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


@dataclass(frozen=True)
class _Source:
    """A file of the plan as read: its shown path and its bytes (or why they could not be read)."""

    path: Path
    raw: bytes | Finding


def check_plan(folder: PlanFolder, cwd: Path, settings: Settings, keep_graph: bool = False) -> PlanResult:
    """Load every file of ``folder``, link them, run the rules; problems sorted.

    An unchanged plan (same bytes, same settings, same stratmap) is answered from the cache, unless
    the graph is wanted (``keep_graph``); then only the unchanged files' parsing is skipped.
    """
    from stratmap.loading.cache import Cache, cache_folder, content_key
    from stratmap.loading.reading import read_bytes

    root = shown_path(folder.root, cwd)
    shown = [shown_path(path, cwd) for path in folder.files]
    sources = [_Source(display, read_bytes(path, display)) for path, display in zip(folder.files, shown, strict=True)]
    where = cache_folder(folder.root)
    cache = Cache(where) if where is not None else None
    plan_key = content_key(
        repr((str(root), folder.name, sorted(settings.severity_overrides.items()), folder.unreadable)).encode(),
        *(s.path.as_posix().encode() + b"\0" + (s.raw if isinstance(s.raw, bytes) else b"\1") for s in sources),
    )
    cached = _result_from_cache(folder, cache.get("plans", plan_key)) if cache is not None else None
    if cached is not None and not keep_graph:
        return cached
    unreadable = [
        Finding("Y001", Location(shown_path(path, cwd)), f"cannot open folder: {reason}",
                "the files in it were not checked; make it readable")
        for path, reason in folder.unreadable
    ]  # fmt: skip
    result = _check_loaded(folder, root, sources, unreadable, settings, cache, run_rules=cached is None)
    if cached is not None:  # the rules' verdict on these very bytes is known: only the graph was wanted
        cached.graph = result.graph
        return cached
    if cache is not None and all(isinstance(s.raw, bytes) for s in sources):
        cache.put("plans", plan_key, _result_to_cache(result))
    if not keep_graph:
        result.graph = None
    return result


def _check_loaded(
    folder: PlanFolder,
    root: Path,
    sources: list[_Source],
    findings: list[Finding],
    settings: Settings,
    cache: Cache | None,
    run_rules: bool = True,
) -> PlanResult:
    """Load, link and check (``run_rules``); the ``findings`` so far are the plan's unreadable folders."""
    from stratmap.linking.linker import link_plan
    from stratmap.loading.cache import content_key
    from stratmap.loading.loader import FailedFile, LoadedFile, load_bytes
    from stratmap.rules import run_graph_rules

    loaded: list[LoadedFile] = []
    for source in sources:
        if isinstance(source.raw, Finding):
            findings.append(source.raw)
            continue
        outcome = load_bytes(source.raw, source.path, cache, content_key(source.raw))
        if isinstance(outcome, FailedFile):
            findings.extend(outcome.findings)
        else:
            loaded.append(outcome)
    complete = not findings
    graph = link_plan(root, loaded, folder.name)
    if run_rules:
        findings.extend(run_graph_rules(graph, whole_plan=complete))
    return PlanResult(folder, sorted(_with_severity(findings, settings)), PlanCounts.of(graph) if complete else None,
                      graph)  # fmt: skip


def _result_to_cache(result: PlanResult) -> tuple[Any, ...]:
    problems = tuple(
        (p.location.path.as_posix(), p.location.line, p.location.column, p.rule, p.severity.value, p.message, p.hint)
        for p in result.problems
    )
    counts = tuple(vars(result.counts).values()) if result.counts else None
    return problems, counts


def _result_from_cache(folder: PlanFolder, entry: Any) -> PlanResult | None:
    try:
        problems, counts = entry
        return PlanResult(
            folder,
            [Problem(Location(Path(path), line, column), rule, Severity(severity), message, hint)
             for path, line, column, rule, severity, message, hint in problems],
            PlanCounts(*counts) if counts is not None else None,
        )  # fmt: skip
    except (TypeError, ValueError):
        return None


def check_paths(paths: list[Path], cwd: Path, settings: Settings) -> CheckResult:
    """Check every plan the PATHs name (see ``loading.discovery``)."""
    return CheckResult([check_plan(folder, cwd, settings) for folder in find_plans(paths, cwd)])


def open_plan(paths: list[Path], year: int | None, cwd: Path, settings: Settings) -> PlanResult:
    """Check the one plan a command works on, keeping its graph: the ``year`` asked for, or the latest."""
    plans = find_plans(paths, cwd)
    folder = max(plans, key=recency) if year is None else plan_of_year(plans, year)
    return check_plan(folder, cwd, settings, keep_graph=True)


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
