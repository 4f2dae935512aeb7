"""Rendering many plans in bounded memory: each plan is checked, rendered and its pages staged before the next
plan is read, so only one plan's graph is alive at a time; on a large corpus, runs of consecutive plan years
are rendered in worker processes, one per core, into the same staging folder."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratmap.config import Settings
from stratmap.loading.discovery import PlanFolder
from stratmap.results import PlanResult
from stratmap.scoring.kpi import Scoring

if TYPE_CHECKING:
    from stratmap.linking.graph import Measure, PlanGraph
    from stratmap.rendering.render import PageRenderer

    KnownMeasures = dict[Path, dict[tuple[str, str], Sequence[Measure]]]


@dataclass(frozen=True)
class RenderJob:
    """What rendering a plan needs besides the plan: sent whole to each worker process."""

    page_format: str
    templates: Path | None
    settings: Settings
    scoring: Scoring | None
    cwd: Path
    page_language: str
    """The pages' language (``--lang`` or the configuration)."""
    messages: str | None
    """The language chosen for stratmap's own messages, if any (a template error is told in it)."""
    staging: Path | None
    """The folder the pages are staged in; None when it could not be made (then plans are only checked)."""
    printing: bool
    """For --format pdf: the HTML pages are kept, to print, instead of staged."""


@dataclass
class PlanRendered:
    """One plan's outcome: its check (without the graph), and the names of the pages staged for it."""

    result: PlanResult
    valid: bool
    staged: list[str] = field(default_factory=list)
    html: dict[str, str] = field(default_factory=dict)
    stopped: str | None = None
    """Why this plan's pages were not made: a template failed, or the staging folder could not be written."""


def render_plans(
    job: RenderJob, folders: Sequence[PlanFolder], on_plan: Callable[[PlanFolder], None] | None = None
) -> list[PlanRendered]:
    """Check each plan in order, keeping its graph only while its page is rendered and staged. Once a plan
    fails or a page cannot be made, the later plans are only checked (their verdicts are still wanted)."""
    from stratmap.pipeline import Targets, check_plan
    from stratmap.rendering.render import PageRenderer
    from stratmap.rendering.words import PageWords

    renderer = PageRenderer(job.page_format, job.templates, job.scoring, PageWords(job.page_language))
    targets: dict[Path, Targets] = {}
    measures: KnownMeasures = {}
    outcomes: list[PlanRendered] = []
    for folder in folders:
        result = check_plan(folder, job.cwd, job.settings, keep_graph=True, known_targets=targets)
        graph, result.graph = result.graph, None
        outcome = PlanRendered(result, valid=not result.errors and graph is not None)
        going = all(o.valid and o.stopped is None for o in outcomes)
        if graph is not None and outcome.valid and going:
            _render_one(job, renderer, graph, folder, measures, outcome)
        outcomes.append(outcome)
        del graph, result
        gc.collect()  # the graph links parents and children both ways: only a collection frees it
        if on_plan is not None:
            on_plan(folder)
    return outcomes


def _render_one(
    job: RenderJob,
    renderer: PageRenderer,
    graph: PlanGraph,
    folder: PlanFolder,
    measures: KnownMeasures,
    outcome: PlanRendered,
) -> None:
    """Render one plan's page(s) and stage them (or keep the HTML, to print); a failure is noted in ``outcome``."""
    from stratmap.files import stage_file
    from stratmap.i18n import _
    from stratmap.rendering.render import TemplateFailure
    from stratmap.scoring.history import earlier_measures, measures_by_code

    if job.staging is None:
        outcome.stopped = ""  # the caller knows why: the output folder
        return
    try:
        pages = renderer.pages(graph, earlier_measures(folder, job.cwd, measures))
        for name, text in pages:
            if job.printing:
                if name.endswith(".html"):  # a PDF needs no map files
                    outcome.html[name] = "".join(text)
                continue
            try:
                stage_file(job.staging, name, text)  # the page made as it is written, never held whole
            except OSError as error:
                reason = error.strerror or error
                outcome.stopped = _("cannot write to {folder}: {reason}").format(
                    folder=job.staging.parent, reason=reason
                )
                return
            outcome.staged.append(name)
    except TemplateFailure as error:
        outcome.stopped = _("template error: {error}").format(error=error)
        return
    measures[folder.root.resolve()] = measures_by_code(graph)  # the next year's trends: no need to read again


def render_in_workers(
    job: RenderJob, folders: Sequence[PlanFolder], workers: int, on_plan: Callable[[PlanFolder], None]
) -> list[PlanRendered] | None:
    """``render_plans`` over runs of consecutive plan years in ``workers`` spawned processes (a year's targets
    and measures pass on to the next), in order; None when no process can be started here. Leaving early
    (a signal) stops the workers before the caller removes the staging folder they write into."""
    import multiprocessing
    import queue

    from stratmap.pipeline import consecutive_runs

    chunks = consecutive_runs(folders, workers)
    context = multiprocessing.get_context("spawn")
    try:
        heard: Any = context.Queue()
        pool = context.Pool(workers, initializer=_start_worker, initargs=(heard, job.messages))
    except (OSError, ValueError, NotImplementedError):
        return None
    by_name = {folder.name: folder for folder in folders}
    try:
        pending = [pool.apply_async(_render_run, (job, chunk)) for chunk in chunks]
        while not all(result.ready() for result in pending):
            try:
                on_plan(by_name[heard.get(timeout=0.1)])
            except queue.Empty:
                pass
        outcomes = [outcome for result in pending for outcome in result.get()]
        while True:
            try:
                on_plan(by_name[heard.get_nowait()])
            except queue.Empty:
                break
        pool.close()
    except BaseException:
        pool.terminate()  # before the staging folder goes: no worker may still write into it
        raise
    finally:
        pool.join()
    return outcomes


_heard: list[Any] = []
"""In a worker: the queue that tells the main process of each plan done."""


def _start_worker(heard: Any, messages: str | None) -> None:
    """A worker leaves Ctrl-C to the main process, which stops it; it speaks the main process's language."""
    import signal

    from stratmap.i18n import set_language

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_language(messages)
    _heard.append(heard)


def _render_run(job: RenderJob, folders: list[PlanFolder]) -> list[PlanRendered]:
    """In a worker: consecutive plan years rendered in order, each plan's name told when done."""
    return render_plans(job, folders, lambda folder: _heard[0].put(folder.name))
