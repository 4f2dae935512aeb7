"""``stratmap validate``: check the strategy files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from stratmap.commands._shared import selector
from stratmap.commands.options import (
    LangOption,
    NoColorOption,
    PathsArgument,
    QuietOption,
    ValidateFormat,
    config,
    emit,
    fail_usage,
    jobs_option,
)
from stratmap.i18n import N_, _


def validate(
    paths: PathsArgument = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help=N_("Output format."))
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help=N_("Fail on warnings too."))] = False,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="<RULE>", help=N_("Rule code or name not to report (repeatable).")),
    ] = None,
    error: Annotated[
        list[str] | None,
        typer.Option("--error", metavar="<RULE>", help=N_("Rule code or name to report as an error (repeatable).")),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="<DATE>",
            help=N_("Warn of periods ended by this date without an actual (2021-07-15 or 110-07-15)."),
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        jobs_option(N_("Check plan years in N processes (default: one per core when the plans are large).")),
    ] = None,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Check the strategy files: YAML, schemas and every cross-file reference.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or configuration error.

    Example: stratmap validate data/110 --format github
    """
    from stratmap.config import ConfigError
    from stratmap.loading.discovery import UsageError, find_plans
    from stratmap.pipeline import check_folders
    from stratmap.reporting import Writer, report
    from stratmap.reporting.progress import plan_progress

    date = None
    if as_of is not None:  # the models are imported only when a date is given: a cached verdict needs none
        from stratmap.model.periods import parse_date

        date = parse_date(as_of)
        if date is None:
            fail_usage(_("--as-of {date}: not a date; write 2021-07-15 or 110-07-15").format(date=as_of))
    try:
        settings = config().settings(ignore or [], error or [], as_of=date)
        folders = find_plans(selector().paths(paths), Path.cwd())
        with plan_progress(len(folders), sum(len(f.files) for f in folders), quiet) as progress:
            done = progress.plan_done
            result = check_folders(folders, Path.cwd(), settings, lambda folder: done(len(folder.files)), jobs)
    except (UsageError, ConfigError) as failure:
        fail_usage(str(failure))
    shown = "quiet" if quiet and output_format is ValidateFormat.text else output_format.value
    writer = Writer.on(sys.stdout, no_color)
    emit(lambda out: report("validate", shown, writer, result))
    raise typer.Exit(result.exit_code(strict))
