"""What every command shares on the command line: exit statuses, option types, the error line, output.

Command modules import from here, never from ``stratmap.cli`` (which imports them). Help texts are
English msgids marked with ``N_``; ``stratmap.commands.localised`` translates them when help is shown.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TextIO

import typer

from stratmap.i18n import N_, _

if TYPE_CHECKING:
    from stratmap.config import Config

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class ValidateFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class ReportFormat(StrEnum):
    """Output formats of ``trace``, ``coverage`` and ``diff``."""

    text = "text"
    json = "json"
    markdown = "markdown"


class Language(StrEnum):
    """The languages of ``--lang``: those ``stratmap.i18n.LANGUAGES`` lists."""

    zh_TW = "zh-TW"
    en = "en"


class RenderFormat(StrEnum):
    """Output formats of ``render``."""

    html = "html"
    markdown = "markdown"
    pdf = "pdf"


@dataclass
class Run:
    """What this run was told before the command (``stratmap -q --no-color --lang en validate``) and what
    it read once; reset by the app's callback at the start of each run."""

    quiet: bool = False
    no_color: bool = False
    language: str | None = None
    configs: list[Config] | None = None

    def reset(self) -> None:
        self.quiet, self.no_color, self.language, self.configs = False, False, None, None


run = Run()
"""The state of this run (one object, reset, never rebound)."""


def _command_language(value: Language | None) -> Language | None:
    """``--lang`` after the command; without any ``--lang``, the configured language (if it can be read)."""
    from stratmap.config import ConfigError, load_config
    from stratmap.i18n import set_language

    if value is not None:
        run.language = value.value
        set_language(value.value)
    elif run.language is None:
        try:
            run.configs = run.configs or [load_config(Path.cwd())]  # read once: the command reuses it
        except ConfigError:  # the command that reads the configuration says what is wrong with it
            return value
        if run.configs[0].lang is not None:
            set_language(run.configs[0].lang)
    return value


def language_of_run(args: Sequence[str]) -> str | None:
    """The language a command line asks for before its options are processed, so that help and usage
    errors speak it too: its ``--lang`` wherever it stands (``--help --lang en``), else the configured
    one. The options' callbacks set it again as they are processed."""
    from stratmap.config import ConfigError, load_config
    from stratmap.i18n import LANGUAGES

    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        if value in LANGUAGES:
            return value
    try:
        run.configs = run.configs or [load_config(Path.cwd())]
    except ConfigError:  # the command that reads the configuration says what is wrong with it
        return None
    return run.configs[0].lang


def _quiet_before(value: bool) -> bool:
    """``-q`` given after the command, or before it."""
    return value or run.quiet


def _no_color_before(value: bool) -> bool:
    """``--no-color`` given after the command, or before it."""
    return value or run.no_color


LANG_HELP = N_("Language of the messages: zh-TW or en (default: configured, else the locale).")
QUIET_HELP = N_("Print only problems and results, no summaries.")
NO_COLOR_HELP = N_("No colour, whatever the terminal (as NO_COLOR=1).")
PATHS_HELP = N_("Plan folders (data/110) or data folders (data/). Default: the configured or the repository's data/.")

LangOption = Annotated[
    Language | None,
    typer.Option("--lang", callback=_command_language, is_eager=True, help=LANG_HELP, show_default=False),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", callback=_quiet_before, help=QUIET_HELP)]
NoColorOption = Annotated[bool, typer.Option("--no-color", callback=_no_color_before, help=NO_COLOR_HELP)]
PathsArgument = Annotated[list[Path] | None, typer.Argument(metavar="[PATH]...", help=PATHS_HELP, show_default=False)]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year", metavar="<YEAR>", help=N_("Plan year to use when several exist (default: configured, or latest).")
    ),
]
FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help=N_("Output format."))]


def jobs_option(help_text: str) -> Any:  # typer.Option is typed as returning Any
    """``--jobs N`` / ``-j N``, the worker processes of validate and render (``help_text`` says which work)."""
    return typer.Option("--jobs", "-j", min=1, metavar="<N>", help=help_text)


def error_line(message: str) -> str:
    """``message`` as stratmap says an error: ``stratmap: error: …`` (``stratmap: 錯誤：…``), one line."""
    return _("stratmap: error: {message}").format(message=message) + "\n"


def complain(message: str) -> None:
    """Say an error on standard error, in stratmap's one style."""
    sys.stderr.write(error_line(message))


def fail_usage(message: str) -> NoReturn:
    """End the command with a usage error (exit 2)."""
    complain(message)
    raise typer.Exit(EXIT_USAGE)


def emit(write: Callable[[TextIO], None]) -> None:
    """Write a command's result to standard output; a reader that went away is not an error."""
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()


def list_written(verb: str, paths: list[Path], quiet: bool) -> None:
    """One line per file a command wrote (``verb`` a translated format with ``{path}``), relative to the
    current folder; nothing with --quiet."""
    from stratmap.loading.discovery import shown_path

    if not quiet:
        emit(lambda out: out.writelines(verb.format(path=shown_path(p, Path.cwd()).as_posix()) + "\n" for p in paths))


def config() -> Config:
    """The configuration that applies here (stratmap.toml or [tool.stratmap]); a bad one ends the command."""
    from stratmap.config import ConfigError, load_config

    if not run.configs:
        try:
            run.configs = [load_config(Path.cwd())]
        except ConfigError as error:
            fail_usage(str(error))
    return run.configs[0]


def silence_stdout() -> None:
    """Point standard output at the null device so Python's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
