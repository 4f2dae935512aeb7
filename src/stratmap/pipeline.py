"""The pipeline every command shares: import -> link -> check, one plan folder at a time.

Heavy modules (YAML, Pydantic, the linker, the rules) are imported only when a plan must really be
loaded: a plan whose files are unchanged since the last check is answered from the cache.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratmap.config import Settings
from stratmap.loading.discovery import (
    PlanFolder,
    default_data_folder,
    find_plans,
    plan_folder_named,
    plan_of_year,
    previous_plan,
    recency,
    shown_path,
)
from stratmap.problems import Finding, FindingCap, Location, Problem, Severity
from stratmap.results import CheckResult, PlanCounts, PlanResult

if TYPE_CHECKING:
    from decimal import Decimal

    from stratmap.caching import Cache
    from stratmap.linking.graph import PlanGraph, QualifiedCode


@dataclass(frozen=True)
class _Source:
    """A file of the plan as read: its shown path and its bytes (or why they could not be read)."""

    path: Path
    raw: bytes | Finding


Targets = dict["QualifiedCode", "tuple[Decimal | str | None, dict[int, Decimal | str]]"]
"""Each department KPI's target of its plan year and the targets it set for later years, by qualified code."""


class ReadPlan:
    """A plan folder's files as read (bytes, or why not), the cache it may use and the key its verdict (and
    its trace index) are stored under: bytes of all its files, the settings, the previous year's stamps.
    (A plain class: a warm trace imports it, and a dataclass costs a millisecond of start-up.)"""

    def __init__(
        self,
        folder: PlanFolder,
        settings: Settings,
        root: Path,
        sources: list[_Source],
        repository: Path,
        cache: Cache | None,
        key: str,
        earlier: PlanFolder | None,
    ) -> None:
        self.folder, self.settings, self.root, self.sources = folder, settings, root, sources
        self.repository, self.cache, self.earlier = repository, cache, earlier
        self.key = key
        """The plan's cache key; "" without a cache."""

    @property
    def readable(self) -> bool:
        """Whether every file of the plan could be read."""
        return all(isinstance(s.raw, bytes) for s in self.sources)


def read_plan(folder: PlanFolder, cwd: Path, settings: Settings) -> ReadPlan:
    """Read every file of ``folder`` and key the plan for the cache; nothing is parsed."""
    from stratmap.caching import open_cache
    from stratmap.loading.discovery import repository_of
    from stratmap.loading.reading import read_bytes

    root = shown_path(folder.root, cwd)
    shown = [shown_path(path, cwd) for path in folder.files]
    repository = repository_of(folder.root)
    sources = [
        _Source(display, read_bytes(path, display, repository))
        for path, display in zip(folder.files, shown, strict=True)
    ]
    cache = open_cache(folder.root, repository)
    earlier = previous_plan(folder)
    plan_key = ""
    if cache is not None:
        plan_key = cache.key_of(
            repr((str(root), folder.name, sorted(settings.severity_overrides.items()), folder.unreadable)).encode(),
            repr((settings.as_of, _stamps(earlier))).encode(),
            *(s.path.as_posix().encode() + b"\0" + (s.raw if isinstance(s.raw, bytes) else b"\1") for s in sources),
        )
    return ReadPlan(folder, settings, root, sources, repository, cache, plan_key, earlier)


def check_plan(
    folder: PlanFolder,
    cwd: Path,
    settings: Settings,
    keep_graph: bool = False,
    known_targets: dict[Path, Targets] | None = None,
    read: ReadPlan | None = None,
) -> PlanResult:
    """Load every file of ``folder``, link them, run the rules; problems sorted.

    An unchanged plan (same bytes, same settings, same build of stratmap) is answered from the signed
    cache. When the graph is wanted (``keep_graph``) the rules always run on it: a cached verdict is
    never paired with a freshly built graph; only the unchanged files' parsing is skipped.
    The previous plan year's targets (for the rule on lowered targets) come from ``known_targets`` (plans
    checked earlier in this run, by resolved folder) or are loaded; the plan's own are added there.
    ``read`` is the plan as ``read_plan`` read it, when the caller has read it already.
    """
    read = read or read_plan(folder, cwd, settings)
    root, sources, cache, plan_key = read.root, read.sources, read.cache, read.key
    repository, earlier = read.repository, read.earlier
    if cache is not None and not keep_graph:
        cached = result_from_cache(folder, cache.get("plans", plan_key))
        if cached is not None:
            return cached
    unreadable = [
        Finding("Y001", Location(shown_path(path, cwd)), reason, hint) for path, reason, hint in folder.unreadable
    ]
    context = _Context(settings, cache, cwd, repository, earlier, known_targets if known_targets is not None else {})
    with _collector_paused():
        result = _check_loaded(folder, root, sources, unreadable, context)
    if cache is not None:
        # without the graph this run follows a miss; with it, the entry may be there already
        stored = keep_graph and cache.holds("plans", plan_key)
        if read.readable and not stored:
            cache.put("plans", plan_key, result_to_cache(result))
        cache.evict()
    if not keep_graph:
        result.graph = None
    return result


_frozen: list[bool] = []
"""Whether the collector has frozen what the first check imported (a list: set once, never rebound)."""


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a plan is built: the graph is many small objects that
    live as long as the plan, and collecting during the build scans them again and again (measured at
    about 40% of a cold run on the decade corpus). The collector resumes when the plan is done.

    The first time, the modules a check needs are imported and everything alive is frozen (``gc.freeze``):
    Pydantic's schemas and the rest of what was imported live as long as the process, and would otherwise
    be scanned again by the collection that follows the pause (18 ms of a 0.5 s run on a small plan).
    """
    if not gc.isenabled():
        yield
        return
    if not _frozen:
        import stratmap.linking.linker
        import stratmap.loading.loader
        import stratmap.rules  # noqa: F401

        gc.freeze()
        _frozen.append(True)
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@dataclass(frozen=True)
class _Context:
    """What checking one plan needs besides its files."""

    settings: Settings
    cache: Cache | None
    cwd: Path
    repository: Path
    earlier: PlanFolder | None
    known_targets: dict[Path, Targets]


def _stamps(folder: PlanFolder | None) -> list[tuple[str, int, int]]:
    """Name, size and modification time of each file of a plan folder: enough to notice any change to the
    previous year that a cached verdict of this year depends on, without reading it."""
    if folder is None:
        return []
    stamps = []
    for path in folder.files:
        try:
            info = path.stat()
        except OSError:
            continue
        stamps.append((path.as_posix(), info.st_size, info.st_mtime_ns))
    return stamps


def _check_loaded(
    folder: PlanFolder, root: Path, sources: list[_Source], findings: list[Finding], context: _Context
) -> PlanResult:
    """Load, link and check; the ``findings`` so far are the plan's unreadable folders.

    Whatever stops a file from loading is an error whatever its configured severity: nothing in that
    file is checked, so the run must not pass.
    """
    from stratmap.linking.linker import link_plan
    from stratmap.loading.loader import FailedFile, LoadedFile, load_bytes
    from stratmap.loading.suppressions import suppressed_on_lines, without_suppressed
    from stratmap.rules import run_graph_rules

    loaded: list[LoadedFile] = []
    notes: list[Finding] = []
    for source in sources:
        if isinstance(source.raw, Finding):
            findings.append(source.raw)
            continue
        outcome = load_bytes(source.raw, source.path, context.cache)
        notes.extend(outcome.notes)
        if isinstance(outcome, FailedFile):
            findings.extend(outcome.findings)
        else:
            loaded.append(outcome)
    complete = not findings
    graph = link_plan(root, loaded, folder.name)
    graph.as_of = context.settings.as_of
    own_targets = targets_of(graph)
    context.known_targets[folder.root.resolve()] = own_targets
    if own_targets and context.earlier is not None:
        graph.earlier_targets = context.known_targets.get(context.earlier.root.resolve()) or _load_targets(
            context.earlier, context
        )
    problems = [_problem(f, Severity.ERROR) for f in findings]
    notes.extend(FindingCap().apply(run_graph_rules(graph, whole_plan=complete)))
    silenced = {s.path: suppressed_on_lines(s.raw) for s in sources if isinstance(s.raw, bytes)}
    problems += _with_severity(without_suppressed(notes, silenced), context.settings)
    return PlanResult(folder, sorted(problems), counts_of(graph) if complete else None, graph)


def counts_of(graph: PlanGraph) -> PlanCounts:
    """Count the department side of a linked plan."""
    from stratmap.linking.graph import NodeKind, ReferenceKind

    return PlanCounts(
        themes=len(graph.of_kind(NodeKind.THEME)),
        objectives=len(graph.of_kind(NodeKind.OBJECTIVE)),
        kpis=len(graph.of_kind(NodeKind.KPI)),
        action_plans=len(graph.of_kind(NodeKind.ACTION_PLAN)),
        city_references=sum(1 for r in graph.references if r.kind is ReferenceKind.FEEDS),
    )


def targets_of(graph: PlanGraph) -> Targets:
    """The targets of each department KPI of a linked plan (its year's and later years'), by qualified code."""
    from stratmap.linking.graph import NodeKind
    from stratmap.model.theme import Kpi

    return {
        node.code: (node.source.target, dict(node.source.targets))
        for node in graph.of_kind(NodeKind.KPI)
        if isinstance(node.source, Kpi) and (node.source.target is not None or node.source.targets)
    }


def _load_targets(earlier: PlanFolder, context: _Context) -> Targets:
    """The targets of a plan year not checked in this run: its files loaded (from the cache when they can
    be) and linked; files that fail to load are left out (validating that year is not this plan's work)."""
    from stratmap.linking.linker import link_plan
    from stratmap.loading.loader import LoadedFile, load_bytes
    from stratmap.loading.reading import read_bytes

    loaded = []
    for path in earlier.files:
        shown = shown_path(path, context.cwd)
        raw = read_bytes(path, shown, context.repository)
        if isinstance(raw, bytes):
            outcome = load_bytes(raw, shown, context.cache)
            if isinstance(outcome, LoadedFile):
                loaded.append(outcome)
    targets = targets_of(link_plan(shown_path(earlier.root, context.cwd), loaded, earlier.name))
    context.known_targets[earlier.root.resolve()] = targets
    return targets


def result_to_cache(result: PlanResult) -> list[Any]:
    """A plan's verdict (problems and counts) as plain data for a signed entry."""
    problems = [
        [p.location.path.as_posix(), p.location.line, p.location.column, p.rule, p.severity.value, p.message, p.hint]
        for p in result.problems
    ]
    counts = list(vars(result.counts).values()) if result.counts else None
    return [problems, counts]


def result_from_cache(folder: PlanFolder, entry: Any) -> PlanResult | None:
    """A plan's verdict back from a signed entry, or None unless every field has exactly its type."""
    from stratmap.rules.catalog import RULES

    try:
        problems, counts = entry
        result = PlanResult(folder, [], None)
        for path, line, column, rule, severity, message, hint in problems:
            if not (type(path) is str and type(line) is int and type(column) is int and line > 0 and column > 0
                    and rule in RULES and type(message) is str and type(hint) is str):  # fmt: skip
                return None
            at = Location(Path(path), line, column)
            result.problems.append(Problem(at, rule, RULES[rule].name, Severity(severity), message, hint))
        if counts is not None:
            if not (type(counts) is list and len(counts) == 5 and all(type(n) is int and n >= 0 for n in counts)):
                return None
            result.counts = PlanCounts(*counts)
        return result
    except (TypeError, ValueError):
        return None


def check_folders(
    folders: list[PlanFolder],
    cwd: Path,
    settings: Settings,
    on_plan: Callable[[PlanFolder], None] | None = None,
    jobs: int | None = 1,
) -> CheckResult:
    """Check each plan folder, in order; ``on_plan`` hears of each one done (for a progress bar).

    Plan years are independent, so with ``jobs`` above 1 they are checked in that many worker processes
    (``None``: one per core, when the plans are large enough to pay for starting them); the result is the
    same, in the same order. Workers are spawned, not forked: nothing of this process is shared with them."""
    workers = workers_for(folders, jobs)
    if workers > 1:
        try:
            return _check_in_workers(folders, cwd, settings, on_plan, workers)
        except _PoolFailed:
            pass  # no processes to be had here (a sandbox, no /dev/shm): the same work, in this process
    known_targets: dict[Path, Targets] = {}
    results = []
    for folder in folders:
        results.append(check_plan(folder, cwd, settings, known_targets=known_targets))
        if on_plan is not None:
            on_plan(folder)
    return CheckResult(results)


PARALLEL_BYTES = 4 * 1024 * 1024
"""With ``jobs`` left to stratmap, plans are checked (or rendered) in parallel only when their files hold this much:
below it, starting a worker (a new interpreter importing Pydantic and the models, about 0.4 s) costs more than it
saves."""


def workers_for(folders: Sequence[PlanFolder], jobs: int | None) -> int:
    """How many worker processes to use: ``jobs`` if given (at most one per plan), else one per core for large
    runs, else 1. validate and render both decide so."""
    if len(folders) < 2:
        return 1
    if jobs is not None:
        return max(1, min(jobs, len(folders)))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    size = 0
    for folder in folders:
        for path in folder.files:
            try:
                size += path.stat().st_size
            except OSError:
                pass
    return min(cores, len(folders)) if size >= PARALLEL_BYTES else 1


def consecutive_runs(folders: Sequence[PlanFolder], workers: int) -> list[list[PlanFolder]]:
    """``folders`` cut into ``workers`` runs of consecutive plan years, as even as can be: a worker passes a
    year's targets (and measures) on to the next, so only the first year of each run needs the year before
    it loaded again. Splitting year by year would load every previous year twice (measured: 1.6x the CPU)."""
    size, extra = divmod(len(folders), workers)
    runs, start = [], 0
    for index in range(workers):
        end = start + size + (1 if index < extra else 0)
        runs.append(list(folders[start:end]))
        start = end
    return runs


class _PoolFailed(Exception):
    """The worker processes could not be started or died; the caller checks in this process instead."""


def _check_in_workers(
    folders: list[PlanFolder],
    cwd: Path,
    settings: Settings,
    on_plan: Callable[[PlanFolder], None] | None,
    workers: int,
) -> CheckResult:
    """Each worker checks a run of consecutive plan years (``consecutive_runs``), as one process would: a
    year's targets pass on to the next (the rule on lowered targets needs them)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = consecutive_runs(folders, workers)
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, ValueError, NotImplementedError) as failure:
        raise _PoolFailed from failure
    results: list[PlanResult] = []
    try:
        with pool:
            futures = [pool.submit(_check_run, chunk, cwd, settings) for chunk in chunks]
            for chunk, future in zip(chunks, futures, strict=True):
                results += future.result()
                for folder in chunk:
                    if on_plan is not None:
                        on_plan(folder)
    except (BrokenProcessPool, OSError) as failure:
        raise _PoolFailed from failure
    return CheckResult(results)


def _check_run(folders: list[PlanFolder], cwd: Path, settings: Settings) -> list[PlanResult]:
    """Consecutive plan years, checked in a worker process in order, each year's targets kept for the next."""
    known_targets: dict[Path, Targets] = {}
    return [check_plan(folder, cwd, settings, known_targets=known_targets) for folder in folders]


@dataclass(frozen=True)
class PlanSelector:
    """From what a command was given (PATHs, ``--year``) and what is configured (data folder, year) to the
    plan folders it works on. PATHs given win over the configured data folder and year; with neither,
    the repository's data/ is used."""

    data: Path | None
    """The configured data folder, if any."""
    year: int | None
    """The configured plan year, if any."""
    cwd: Path

    def paths(self, given: list[Path] | None) -> list[Path]:
        """The PATHs given, else the configured data folder, else none (the repository's data/)."""
        if given:
            return list(given)
        return [shown_path(self.data, self.cwd)] if self.data is not None else []

    def year_wanted(self, given: list[Path] | None, year: int | None) -> int | None:
        """The ``--year`` given, else the configured year unless PATHs were given."""
        return year if year is not None or given else self.year

    def plans(self, given: list[Path] | None) -> list[PlanFolder]:
        """Every plan folder the PATHs (or the data folder) hold."""
        return find_plans(self.paths(given), self.cwd)

    def of_year(self, plans: list[PlanFolder], given: list[Path] | None, year: int | None) -> list[PlanFolder]:
        """``plans``, or only the one of the year wanted."""
        wanted = self.year_wanted(given, year)
        return plans if wanted is None else [plan_of_year(plans, wanted)]

    def one(self, given: list[Path] | None, year: int | None) -> PlanFolder:
        """The one plan a command works on: of the year wanted, or the latest."""
        plans = self.plans(given)
        wanted = self.year_wanted(given, year)
        return max(plans, key=recency) if wanted is None else plan_of_year(plans, wanted)

    def data_folder(self) -> Path:
        """The configured data folder, else the repository's data/."""
        return self.data or default_data_folder(self.cwd)

    def named(self, given: Path) -> Path:
        """One plan folder: ``given`` itself, or a year (``110``) looked up in the data folder."""
        return plan_folder_named(given, self.data_folder)


def open_plan(paths: list[Path], year: int | None, cwd: Path, settings: Settings) -> PlanResult:
    """Check the one plan a command works on, keeping its graph: the ``year`` asked for, or the latest."""
    return check_plan(PlanSelector(None, None, cwd).one(paths, year), cwd, settings, keep_graph=True)


def _with_severity(findings: list[Finding], settings: Settings) -> list[Problem]:
    problems = []
    for finding in findings:
        severity = settings.severity(finding.rule)
        if severity is not None:
            problems.append(_problem(finding, severity))
    return problems


def _problem(finding: Finding, severity: Severity) -> Problem:
    """A finding as a problem: its severity, and its rule's name stamped from the catalog (as yamllint does)."""
    from stratmap.rules.catalog import RULES

    return Problem(finding.location, finding.rule, RULES[finding.rule].name, severity, finding.message, finding.hint)


__all__ = [
    "CheckResult",
    "Location",
    "PlanCounts",
    "PlanResult",
    "PlanSelector",
    "ReadPlan",
    "check_folders",
    "check_plan",
    "open_plan",
    "read_plan",
    "shown_path",
]
