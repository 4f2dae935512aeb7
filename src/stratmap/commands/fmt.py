"""``stratmap fmt``: one layout for the data files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from stratmap.commands._shared import selector
from stratmap.commands.options import (
    EXIT_PROBLEMS,
    LangOption,
    NoColorOption,
    PathsArgument,
    QuietOption,
    fail_usage,
    list_written,
)
from stratmap.i18n import N_, _


def fmt(
    paths: PathsArgument = None,
    check: Annotated[
        bool, typer.Option("--check", help=N_("Change nothing; list the files fmt would rewrite and exit 1 if any."))
    ] = False,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Give the data files one layout: keys in the schema's order, two-space indentation, action plans in
    flow style, the schema line first; every comment kept.

    Exit status: 0 nothing (more) to change, 1 files to reformat (--check) or a file that cannot be read
    as YAML (nothing written), 2 usage error.

    Example: stratmap fmt --check
    """
    from stratmap.editing.layout import format_files
    from stratmap.loading.discovery import UsageError

    named = selector().paths(paths)
    try:
        outcome = format_files(named, Path.cwd(), check=check)
    except UsageError as error:
        fail_usage(str(error))
    except OSError as error:
        fail_usage(_("cannot write: {reason}").format(reason=error.strerror or error))
    for problem in outcome.errors:
        sys.stderr.write(f"{problem}\n")
    verb = _("would reformat {path}") if check else _("reformatted {path}")
    list_written(verb, outcome.changed, quiet and not check)
    if outcome.errors or (check and outcome.changed):
        raise typer.Exit(EXIT_PROBLEMS)
