"""``stratmap status``: the measured scorecard."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stratmap.commands._shared import open_graph_of, selected_plan
from stratmap.commands.options import (
    FormatOption,
    LangOption,
    NoColorOption,
    PathsArgument,
    QuietOption,
    ReportFormat,
    YearOption,
    config,
    emit,
    fail_usage,
)
from stratmap.i18n import N_, _

if TYPE_CHECKING:
    from stratmap.loading.discovery import PlanFolder
    from stratmap.model.periods import Period


def status(
    paths: PathsArgument = None,
    output_format: FormatOption = ReportFormat.text,
    year: YearOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="<PERIOD>",
            help=N_("Score the year to date at the end of this period: 110Q2, 110H1, 110M07."),
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="<DATE>", help=N_("Score the year to date at this date (2021-07-15 or 110-07-15).")
        ),
    ] = None,
    off_track: Annotated[bool, typer.Option("--off-track", help=N_("Show only what is near or missed."))] = False,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Show the measured scorecard: each KPI's target, actual, 達成率 and status, rolled up to objectives,
    themes and departments, and the city KPIs and objectives with the statuses that feed them.

    Without --period or --as-of the whole plan year is scored (the year to date, while it runs).

    Exit status: 0 shown (also when nothing is measured yet), 1 a plan that does not validate,
    2 usage error.

    Example: stratmap status --period 110Q2 --off-track
    """
    from stratmap.loading.discovery import earlier_plans
    from stratmap.reporting import Writer, report
    from stratmap.reporting.progress import plan_progress
    from stratmap.reporting.status_report import StatusReport, empty_message
    from stratmap.scoring.history import earlier_measures
    from stratmap.scoring.scorecard import score_plan

    asked = _period_asked(period, as_of)
    folder = selected_plan(paths, year)
    earlier_years = earlier_plans(folder)
    files = len(folder.files) + sum(_files_read(plan) for plan in earlier_years)
    with plan_progress(1 + len(earlier_years), files, quiet) as progress:
        graph = open_graph_of(folder, no_color)
        progress.plan_done(len(folder.files))
        chosen = _period_in(graph.year or 0, asked, period, as_of)
        card = score_plan(graph, chosen, config().scoring())
        if not card.has_targets and not card.has_actuals and output_format is not ReportFormat.json:
            message = empty_message(graph)
        else:
            message = None
            earlier = earlier_measures(
                folder, Path.cwd(), on_year=lambda done: progress.plan_done(_files_read(done)), years=earlier_years
            )
    if message is not None:
        emit(lambda out: out.writelines([message]))
        return
    view = StatusReport(graph, card, earlier, off_track)
    writer = Writer.on(sys.stdout, no_color)
    emit(lambda out: report("status", output_format.value, writer, view))


def _files_read(plan: PlanFolder) -> int:
    """The files a trend reads of an earlier year: each measures file and the department file beside it."""
    from stratmap.scoring.history import MEASURES_FILE

    return 2 * sum(1 for path in plan.files if path.name == MEASURES_FILE)


def _period_asked(period: str | None, as_of: str | None) -> Period | datetime.date | None:
    """What ``--period`` or ``--as-of`` asks for (a period, or a date), checked before the plan is read."""
    from stratmap.model.periods import Period, parse_date

    date = parse_date(as_of) if as_of is not None else None
    if as_of is not None and date is None:
        fail_usage(_("--as-of {date}: not a date; write 2021-07-15 or 110-07-15").format(date=as_of))
    chosen = Period.parse(period) if period is not None else None
    if period is not None and chosen is None:
        fail_usage(_("--period {period}: not a period; write 110, 110H1, 110Q2 or 110M07").format(period=period))
    if chosen is not None and date is not None:
        fail_usage(_("give --period or --as-of, not both"))
    return chosen if chosen is not None else date


def _period_in(
    plan_year: int, asked: Period | datetime.date | None, period: str | None, as_of: str | None
) -> Period | None:
    """The period to score in ``plan_year``: the one asked for, the months ended by a date, or None (the year)."""
    from stratmap.model.periods import Period, months_ended

    if isinstance(asked, Period):
        if asked.year != plan_year:
            fail_usage(_("--period {period} is not in plan year {year}").format(period=period, year=plan_year))
        return asked
    if isinstance(asked, datetime.date):
        ended = months_ended(plan_year, asked)
        if ended == 0:
            fail_usage(
                _("--as-of {date}: no month of plan year {year} has ended by then").format(date=as_of, year=plan_year)
            )
        return Period(plan_year, ended, "year" if ended == 12 else "month")
    return None
