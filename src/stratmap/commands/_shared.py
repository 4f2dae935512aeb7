"""What several commands share: the one plan they work on, checked, and the scores trace and coverage show."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from stratmap.commands.options import EXIT_PROBLEMS, ReportFormat, complain, config, fail_usage
from stratmap.i18n import _

if TYPE_CHECKING:
    from stratmap.linking.graph import PlanGraph
    from stratmap.loading.discovery import PlanFolder
    from stratmap.pipeline import PlanSelector, ReadPlan
    from stratmap.results import PlanResult
    from stratmap.tracing.index import Indexed
    from stratmap.tracing.standing import Scores


def selector() -> PlanSelector:
    """The plan selector of this run: the configured data folder and year, from the current folder."""
    from stratmap.pipeline import PlanSelector

    configured = config()
    return PlanSelector(configured.data, configured.year, Path.cwd())


def open_graph(
    paths: list[Path] | None, year: int | None, no_color: bool = False, ignore: tuple[str, ...] = ()
) -> PlanGraph:
    """The linked plan a read-only command works on; validation errors end the command (exit 1)."""
    return open_graph_of(selected_plan(paths, year), no_color, ignore)


def open_graph_of(folder: PlanFolder, no_color: bool = False, ignore: tuple[str, ...] = ()) -> PlanGraph:
    """The linked plan of ``folder``; validation errors end the command (exit 1)."""
    graph = checked_graph_of(folder, no_color, ignore)
    if graph is None:
        raise typer.Exit(EXIT_PROBLEMS)
    return graph


def checked_graph(
    paths: list[Path] | None, year: int | None, no_color: bool = False, ignore: tuple[str, ...] = ()
) -> PlanGraph | None:
    """The linked plan, or None after printing why it does not validate."""
    return checked_graph_of(selected_plan(paths, year), no_color, ignore)


def selected_plan(paths: list[Path] | None, year: int | None) -> PlanFolder:
    """The one plan a read-only command works on (the ``year`` asked for, or the latest); none ends the
    command (exit 2)."""
    from stratmap.loading.discovery import UsageError

    try:
        return selector().one(paths, year)
    except UsageError as error:
        fail_usage(str(error))


def checked_graph_of(folder: PlanFolder, no_color: bool = False, ignore: tuple[str, ...] = ()) -> PlanGraph | None:
    """The linked plan of ``folder``, or None after printing why it does not validate."""
    from stratmap.loading.discovery import UsageError
    from stratmap.pipeline import check_plan

    try:
        plan = check_plan(folder, Path.cwd(), config().settings(ignore=ignore), keep_graph=True)
    except UsageError as error:
        fail_usage(str(error))
    if plan.errors or plan.graph is None:
        _does_not_validate(plan, no_color)
        return None
    return plan.graph


def _does_not_validate(plan: PlanResult, no_color: bool) -> None:
    """Say that the plan does not validate, and its problems, on standard error."""
    from stratmap.reporting import Writer, report
    from stratmap.results import CheckResult

    complain(_("{folder} does not validate; fix these first:").format(folder=plan.folder.root.as_posix()))
    report("validate", "text", Writer.on(sys.stderr, no_color), CheckResult([plan]))


def traced_plan(
    paths: list[Path] | None, year: int | None, output_format: ReportFormat, no_color: bool = False
) -> tuple[PlanGraph, Scores | None]:
    """The linked plan trace and coverage show, and the scores they show: None for text when no department KPI
    has a target or an actual (machine formats always carry a KPI's score fields, null when there is nothing to
    score). A plan that does not validate ends the command (exit 1), as ``open_graph`` does.

    An unchanged plan is answered from its trace index (``tracing.index``): its files are read and hashed,
    nothing is parsed or validated. Otherwise the plan is checked and its index stored for the next run."""
    from stratmap.loading.discovery import UsageError
    from stratmap.pipeline import read_plan

    try:
        read = read_plan(selector().one(paths, year), Path.cwd(), config().settings())
    except UsageError as error:
        fail_usage(str(error))
    stored = stored_plan(read)
    if stored is None:
        return _checked_and_indexed(read, output_format, no_color)
    if stored.graph is None:
        _does_not_validate(stored.result, no_color)
        raise typer.Exit(EXIT_PROBLEMS)
    measured = output_format is not ReportFormat.text or stored.graph.is_measured()
    return stored.graph, stored.scores if measured else None


def _scoring() -> str:
    """The settings a plan's scores depend on (``near``, ``rollup``), as part of its trace index's key."""
    configured = config()
    return repr((configured.near, configured.rollup))


def stored_plan(read: ReadPlan) -> Indexed | None:
    """The plan as its trace index holds it, when the cache has a sound entry for exactly these files."""
    if read.cache is None:
        return None
    from stratmap.tracing.index import KIND, from_index, index_key

    return from_index(read.cache.get(KIND, index_key(read.cache, read.key, _scoring())), read.folder, read.root)


def _checked_and_indexed(
    read: ReadPlan, output_format: ReportFormat, no_color: bool
) -> tuple[PlanGraph, Scores | None]:
    """Check the plan with its graph and store its trace index (its verdict, and when it validates, its nodes
    and every KPI's and rolled-up item's score)."""
    from stratmap.pipeline import check_plan

    plan = check_plan(read.folder, Path.cwd(), read.settings, keep_graph=True, read=read)
    everything = None
    if not plan.errors and plan.graph is not None:
        from stratmap.tracing.scores import TraceScores

        everything = TraceScores(plan.graph, config().scoring())
    if read.cache is not None and read.readable:
        from stratmap.tracing.index import KIND, index_key, index_of

        try:
            entry = index_of(plan, everything)
        except (TypeError, ArithmeticError):  # a value it cannot hold, a KPI it cannot score: checked next time
            entry = None
        if entry is not None:
            read.cache.put(KIND, index_key(read.cache, read.key, _scoring()), entry)
            read.cache.evict()
    if plan.errors or plan.graph is None or everything is None:
        _does_not_validate(plan, no_color)
        raise typer.Exit(EXIT_PROBLEMS)
    measured = output_format is not ReportFormat.text or plan.graph.is_measured()
    return plan.graph, everything if measured else None
