"""``stratmap rename``: renumber a code with its children and every reference to it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stratmap.commands._shared import open_graph
from stratmap.commands.options import (
    LangOption,
    NoColorOption,
    PathsArgument,
    QuietOption,
    YearOption,
    emit,
    fail_usage,
    list_written,
)
from stratmap.i18n import N_, _


def rename(
    old: Annotated[str, typer.Argument(metavar="OLD", help=N_("The code to renumber: BP2.1, doed:BP2, city:DP2.2."))],
    new: Annotated[
        str,
        typer.Argument(metavar="NEW", help=N_("Its new code: BP4.1, doed:BP4, city:DP2.5 (or doed:CP3.2 to move).")),
    ],
    paths: PathsArgument = None,
    write: Annotated[
        bool, typer.Option("--write", help=N_("Write the files (all or none); without it, show a diff."))
    ] = False,
    year: YearOption = None,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Renumber a theme, objective, KPI or action plan, with its children and every reference to it.

    Without --write, prints the change as a unified diff and writes nothing. A KPI renamed into another
    objective (doed:AP2.1 -> doed:CP3.2) moves there with its action plans and measurements.

    Exit status: 0 renamed (or shown), 1 the plan does not validate, 2 a code that is unknown, ambiguous,
    taken or against the numbering rules.

    Example: stratmap rename doed:BP2.1 doed:BP2.3 --write
    """
    from stratmap.editing.rename import RenameError, plan_rename
    from stratmap.files import write_all_or_none

    graph = open_graph(paths, year, no_color)
    try:
        edit = plan_rename(graph, old, new, Path.cwd())
    except RenameError as error:
        fail_usage(str(error))
    if not write:
        emit(lambda out: out.writelines([edit.diff()]))
        return
    try:
        write_all_or_none({path: text.encode("utf-8") for path, text in edit.new_texts().items()})
    except OSError as error:
        fail_usage(_("cannot write: {reason}; nothing was written").format(reason=error.strerror or error))
    list_written(_("rewrote {path}"), list(edit.new_texts()), quiet)
