"""``stratmap schema``: the JSON Schema of each kind of strategy file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stratmap.cli import LangOption, QuietOption, fail_usage, list_written


def schema(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the schemas into.")] = Path("schemas"),
    quiet: QuietOption = False,
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
        fail_usage(f"cannot write schemas to {output}: {error.strerror or error}")
    list_written("wrote", written, quiet)
