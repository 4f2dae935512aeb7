"""``stratmap record``: actual values from a CSV file into the measures files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stratmap.commands._shared import checked_graph, open_graph, selector
from stratmap.commands.options import (
    EXIT_OK,
    EXIT_PROBLEMS,
    LangOption,
    NoColorOption,
    QuietOption,
    complain,
    emit,
    fail_usage,
    list_written,
)
from stratmap.i18n import N_, _

if TYPE_CHECKING:
    from stratmap.recording.record import Recording


def record(
    plan: Annotated[
        Path,
        typer.Argument(metavar="<PLAN>", help=N_("The plan to record into: a plan folder (data/110) or a year (110).")),
    ],
    csv_file: Annotated[
        Path,
        typer.Argument(
            metavar="<FILE.csv>",
            help=N_("Actual values: columns kpi,period,actual[,note] (or 指標代碼,期別,實際值,備註)."),
        ),
    ],
    write: Annotated[
        bool, typer.Option("--write", help=N_("Write the measures files (default: show the diff)."))
    ] = False,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Record actual values (實際值) from a CSV file into the departments' measures files.

    The CSV is UTF-8 (a BOM is fine); KPI codes are bare (BP2.1) or qualified (doed:BP2.1); periods are
    110, 110H1, 110Q1 or 110M01 as the KPI's frequency allows; numbers may have thousands commas (12,345).
    Every row is checked first: any bad row is reported with its CSV line and nothing is written.
    Without --write, prints the diff of every file that would change. Only measures files are written.

    Exit status: 0 recorded (or nothing to record), 1 bad rows, a CSV not in UTF-8 (Big5: convert it, as
    validate says) or a plan that does not validate, 2 usage error (no such CSV or plan, a measures file
    stratmap cannot edit without changing more than its values, a write that failed).

    Example: stratmap record 110 actuals-110Q1.csv --write
    """
    from stratmap.loading.discovery import UsageError, shown_path
    from stratmap.recording import record as recording

    try:
        folder = selector().named(plan)
        raw = recording.read_csv(csv_file)
    except (UsageError, recording.RecordError) as error:
        fail_usage(str(error))
    graph = open_graph([folder], None, no_color)
    display = shown_path(csv_file, Path.cwd())
    try:
        prepared = recording.prepare(graph, raw, display)
    except recording.RecordError as error:
        fail_usage(str(error))
    if isinstance(prepared, list):
        recording.write_errors(prepared, display, sys.stderr)
        raise typer.Exit(EXIT_PROBLEMS)
    if not prepared.files:
        emit(lambda out: out.writelines([recording.nothing_to_record(prepared, display) + "\n"]))
        raise typer.Exit(EXIT_OK)
    if not write:
        _show(prepared, display)
        raise typer.Exit(EXIT_OK)
    try:
        written = recording.write_recording(prepared)
    except OSError as error:
        fail_usage(
            _("cannot write the measures files (none was changed): {reason}").format(reason=error.strerror or error)
        )
    emit(lambda out: recording.write_changes(prepared, display, out))
    list_written(_("wrote {path}"), written, quiet)
    if checked_graph([folder], None, no_color) is None:
        complain(_("the plan does not validate after recording; this is a bug in stratmap record"))
        raise typer.Exit(EXIT_PROBLEMS)
    done = _("{summary}; {folder} validates").format(
        summary=recording.summary(prepared, True), folder=graph.root.as_posix()
    )
    emit(lambda out: out.writelines([done + "\n"]))


def _show(prepared: Recording, display: Path) -> None:
    """What recording would change, written nowhere: the diff of each file, the changes and a summary."""
    from stratmap.recording import record as recording

    emit(lambda out: out.writelines([edit.diff() for edit in prepared.files]))
    emit(lambda out: recording.write_changes(prepared, display, out))
    shown = _("{summary}; run with --write to write").format(summary=recording.summary(prepared, False))
    emit(lambda out: out.writelines([shown + "\n"]))
