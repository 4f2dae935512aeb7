"""``stratmap diff``: what changed between two plans."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from stratmap.commands._shared import checked_graph, selector
from stratmap.commands.options import (
    EXIT_OK,
    EXIT_PROBLEMS,
    FormatOption,
    LangOption,
    NoColorOption,
    QuietOption,
    ReportFormat,
    emit,
    fail_usage,
)
from stratmap.i18n import N_


def diff(
    old: Annotated[
        Path, typer.Argument(metavar="OLD", help=N_("The earlier plan: a plan folder (data/110) or a year (110)."))
    ],
    new: Annotated[Path, typer.Argument(metavar="NEW", help=N_("The later plan: a plan folder or a year."))],
    output_format: FormatOption = ReportFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help=N_("Exit 1 when there are changes (as git diff)."))
    ] = False,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Show what changed between two plans: items added, removed, renamed or moved, every field changed
    (targets, weights, units, owners, tags, budgets, mission, city roles ...), references, and measured values.

    Exit status: 0 (with --exit-code: 0 no change, 1 changes), 1 a plan does not validate, 2 usage error.

    Example: stratmap diff data/110 data/111 --format markdown
    """
    from stratmap.diffing.diff import diff_plans
    from stratmap.loading.discovery import UsageError
    from stratmap.reporting import Writer, report

    plans = selector()
    try:
        sides = [plans.named(side) for side in (old, new)]
    except UsageError as error:
        fail_usage(str(error))
    before, after = (checked_graph([side], None, no_color) for side in sides)  # both sides' errors are shown
    if before is None or after is None:
        raise typer.Exit(EXIT_PROBLEMS)
    changes = diff_plans(before, after)
    writer = Writer.on(sys.stdout, no_color)
    emit(lambda out: report("diff", output_format.value, writer, before, after, changes))
    raise typer.Exit(EXIT_PROBLEMS if exit_code and changes else EXIT_OK)
