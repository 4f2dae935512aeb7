"""The ``stratmap`` command line. Thin: it fills options, runs the pipeline, picks a reporter."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from stratmap import __version__

app = typer.Typer(
    name="stratmap",
    help="Keep a strategy map and its balanced scorecards as YAML files: validate, trace, render.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class ValidateFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    github = "github"


def _fail_usage(message: str) -> NoReturn:
    sys.stderr.write(f"stratmap: error: {message}\n")
    raise typer.Exit(EXIT_USAGE)


def _colour_wanted(stream: object) -> bool:
    return "NO_COLOR" not in os.environ and bool(getattr(stream, "isatty", lambda: False)())


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"stratmap {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Keep a strategy map and its balanced scorecards as YAML files: validate, trace, render."""


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Plan folders (data/110) or data folders (data/). Default: the repository's data/.", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check the strategy files: YAML, schemas and every cross-file reference.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.

    Example: stratmap validate data/110 --format github
    """
    from stratmap.config import Settings
    from stratmap.loading.discovery import UsageError
    from stratmap.pipeline import check_paths
    from stratmap.reporting import reporter_for

    try:
        result = check_paths(list(paths or []), Path.cwd(), Settings())
    except UsageError as error:
        _fail_usage(str(error))
    reporter_for(output_format.value)(result, sys.stdout, _colour_wanted(sys.stdout))
    raise typer.Exit(result.exit_code(strict))


@app.command()
def schema(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the schemas into.")] = Path("schemas"),
) -> None:
    """Write the JSON Schema of each kind of strategy file (plan, city map, department, theme).

    Editors use them through the '# yaml-language-server: $schema=...' line of each data file.

    Example: stratmap schema -o schemas
    """
    from stratmap.schema_export import write_schemas

    try:
        written = write_schemas(output)
    except OSError as error:
        _fail_usage(f"cannot write schemas to {output}: {error.strerror or error}")
    for path in written:
        sys.stdout.write(f"wrote {path.as_posix()}\n")


def main() -> None:
    """Console entry point: run the app; never show a traceback to the user."""
    # stratmap's models need no third-party Pydantic plugin; looking them up costs ~20 ms of start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("stratmap: interrupted\n")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as error:  # noqa: BLE001 - last resort: a bug must not print a traceback
        sys.stderr.write(
            f"stratmap: internal error: {type(error).__name__}: {error}\nPlease report this with the command you ran.\n"
        )
        sys.exit(EXIT_INTERNAL)
