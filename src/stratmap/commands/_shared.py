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
    from stratmap.pipeline import PlanSelector
    from stratmap.tracing.scores import TraceScores


def selector() -> PlanSelector:
    """The plan selector of this run: the configured data folder and year, from the current folder."""
    from stratmap.pipeline import PlanSelector

    configured = config()
    return PlanSelector(configured.data, configured.year, Path.cwd())


def open_graph(
    paths: list[Path] | None, year: int | None, no_color: bool = False, ignore: tuple[str, ...] = ()
) -> PlanGraph:
    """The linked plan a read-only command works on; validation errors end the command (exit 1)."""
    graph = checked_graph(paths, year, no_color, ignore)
    if graph is None:
        raise typer.Exit(EXIT_PROBLEMS)
    return graph


def checked_graph(
    paths: list[Path] | None, year: int | None, no_color: bool = False, ignore: tuple[str, ...] = ()
) -> PlanGraph | None:
    """The linked plan, or None after printing why it does not validate."""
    from stratmap.loading.discovery import UsageError
    from stratmap.pipeline import check_plan
    from stratmap.reporting import Writer, report
    from stratmap.results import CheckResult

    try:
        folder = selector().one(paths, year)
        plan = check_plan(folder, Path.cwd(), config().settings(ignore=ignore), keep_graph=True)
    except UsageError as error:
        fail_usage(str(error))
    if plan.errors or plan.graph is None:
        complain(_("{folder} does not validate; fix these first:").format(folder=plan.folder.root.as_posix()))
        report("validate", "text", Writer.on(sys.stderr, no_color), CheckResult([plan]))
        return None
    return plan.graph


def scores(graph: PlanGraph, output_format: ReportFormat) -> TraceScores | None:
    """The scores trace and coverage show; None for text when no department KPI has a target or an actual
    (machine formats always carry a KPI's score fields, null when there is nothing to score)."""
    if output_format is ReportFormat.text and not graph.is_measured():
        return None
    from stratmap.tracing.scores import TraceScores

    return TraceScores(graph, config().scoring())
