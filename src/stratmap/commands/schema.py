"""``stratmap schema``: the JSON Schema of each kind of strategy file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stratmap.commands.options import LangOption, NoColorOption, QuietOption, fail_usage, list_written
from stratmap.i18n import N_, _


def schema(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="<PATH>", help=N_("Folder to write the schemas into."))
    ] = Path("schemas"),
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Write the JSON Schema of each kind of strategy file (plan, city map, department, theme).

    Editors use them through the '# yaml-language-server: $schema=...' line of each data file.

    Example: stratmap schema -o schemas
    """
    from stratmap.schema_export import write_schemas

    try:
        written = write_schemas(output)
    except OSError as error:
        fail_usage(
            _("cannot write schemas to {folder}: {reason}").format(folder=output, reason=error.strerror or error)
        )
    list_written(_("wrote {path}"), written, quiet)
