"""The ``stratmap`` command line: the Typer app, the options commands share, and ``main()``.

Each command lives in ``stratmap.commands.<module>`` and imports what it needs inside its own body;
``main()`` imports only the module of the command being run, so ``stratmap validate`` starts fast.
"""

from __future__ import annotations

import copy
import importlib
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO

import typer

from stratmap import __version__

if TYPE_CHECKING:
    from stratmap.config import Config

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

COMMANDS: dict[str, str] = {
    "validate": "validate",
    "trace": "reading",
    "coverage": "reading",
    "status": "status",
    "render": "render",
    "diff": "diff",
    "record": "record",
    "init": "init",
    "fmt": "fmt",
    "rename": "rename",
    "schema": "schema",
    "rules": "rules",
    "rule": "rules",
}
"""Every command, in the order help lists them, and the module of ``stratmap.commands`` it lives in."""


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


_configs: list[Config] = []
"""The configuration of this run, once read (a list: cleared at the start of each run, never rebound)."""
_language_given: list[str] = []
"""The ``--lang`` of this run, if one was given (a list, as above)."""


def _command_language(value: Language | None) -> Language | None:
    """``--lang`` after the command; without any ``--lang``, the configured language (if it can be read)."""
    from stratmap.config import ConfigError, load_config
    from stratmap.i18n import set_language

    if value is not None:
        _language_given[:] = [value.value]
        set_language(value.value)
    elif not _language_given:
        try:
            _configs[:] = _configs or [load_config(Path.cwd())]  # read once: the command reuses it
        except ConfigError:  # the command that reads the configuration says what is wrong with it
            return value
        if _configs[0].lang is not None:
            set_language(_configs[0].lang)
    return value


_LANG_HELP = "Language of the messages: zh-TW or en (default: configured, else the locale)."
LangOption = Annotated[
    Language | None,
    typer.Option("--lang", callback=_command_language, is_eager=True, help=_LANG_HELP, show_default=False),
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Plan folders (data/110) or data folders (data/). Default: the configured or the repository's data/.",
        show_default=False,
    ),
]
YearOption = Annotated[
    int | None, typer.Option("--year", help="Plan year to use when several exist (default: configured, or latest).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and results, no summaries.")]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colour, whatever the terminal (as NO_COLOR=1).")]
FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]


def fail_usage(message: str) -> NoReturn:
    """End the command with a usage error (exit 2)."""
    sys.stderr.write(f"stratmap: error: {message}\n")
    raise typer.Exit(EXIT_USAGE)


def emit(write: Callable[[TextIO], None]) -> None:
    """Write a command's result to standard output; a reader that went away is not an error."""
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def list_written(verb: str, paths: list[Path], quiet: bool) -> None:
    """One line per file a command wrote, relative to the current folder; nothing with --quiet."""
    from stratmap.loading.discovery import shown_path

    if not quiet:
        emit(lambda out: out.writelines(f"{verb} {shown_path(p, Path.cwd()).as_posix()}\n" for p in paths))


def config() -> Config:
    """The configuration that applies here (stratmap.toml or [tool.stratmap]); a bad one ends the command."""
    from stratmap.config import ConfigError, load_config

    if not _configs:
        try:
            _configs.append(load_config(Path.cwd()))
        except ConfigError as error:
            fail_usage(str(error))
    return _configs[0]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"stratmap {__version__}\n")
        raise typer.Exit()


def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    lang: Annotated[Language | None, typer.Option("--lang", help=_LANG_HELP, show_default=False)] = None,
) -> None:
    """Keep a strategy map and its balanced scorecards as YAML files: validate, trace, render."""
    from stratmap.i18n import set_language

    _configs.clear()
    _language_given[:] = [lang.value] if lang is not None else []
    set_language(lang.value if lang is not None else None)


def _app_of(names: list[str]) -> typer.Typer:
    """The Typer app with the commands ``names``, each imported from its module in ``stratmap.commands``."""
    built = typer.Typer(
        name="stratmap",
        help="Keep a strategy map and its balanced scorecards as YAML files: validate, trace, render.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(_main)
    for name in names:
        module = importlib.import_module(f"stratmap.commands.{COMMANDS[name]}")
        built.command()(getattr(module, name))
    return built


def __getattr__(name: str) -> typer.Typer:
    """``stratmap.cli.app``: the whole app, every command registered (built on first use)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    whole = globals()["app"] = _app_of(list(COMMANDS))
    return whole


def _app_for(first: list[str]) -> Callable[[], object]:
    """The app to run: only the command the first argument names, with only its module imported; the whole
    app for anything else (no argument, ``--help``, ``--version``, a mistyped command), so help and
    suggestions are whole. An app set from outside (``cli.app = ...``) is run as it is, narrowed."""
    given = globals().get("app")
    if given is not None:
        return _only_the_chosen_command(given, first)
    return _app_of([first[0]] if first and first[0] in COMMANDS else list(COMMANDS))


def main() -> None:
    """Console entry point: run the app; never show a traceback to the user."""
    # stratmap's models need no third-party Pydantic plugin; looking them up costs ~20 ms of start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _escape_what_the_console_cannot_show()
    try:
        _app_for(sys.argv[1:2])()
    except KeyboardInterrupt:
        sys.stderr.write("stratmap: interrupted\n")
        sys.exit(130)
    except SystemExit as done:
        _flush_quietly()
        raise done
    except BrokenPipeError:  # the reader went away (stratmap ... | head): not stratmap's failure
        _silence_stdout()
        sys.exit(EXIT_OK)
    except OSError as error:  # the environment failed us: a full disk, an unwritable terminal
        _silence_stdout()
        sys.stderr.write(f"stratmap: error: {error.strerror or error}\n")
        sys.exit(EXIT_USAGE)
    except Exception as error:  # noqa: BLE001 - last resort: a bug must not print a traceback
        _internal_error(error)


def _internal_error(error: Exception) -> NoReturn:
    """Exit for a failure no command handled: a held-off signal (nothing written), else a bug."""
    from stratmap.files import Interrupted

    if isinstance(error, Interrupted):  # a signal held off while files were staged: nothing written
        sys.stderr.write(f"stratmap: interrupted ({error}); nothing was written\n")
        sys.exit(128 + error.signum)
    sys.stderr.write(
        f"stratmap: internal error: {type(error).__name__}: {error}\nPlease report this with the command you ran.\n"
    )
    sys.exit(EXIT_INTERNAL)


def _escape_what_the_console_cannot_show() -> None:
    """A character the console's encoding lacks (a Big5 console on Windows, ``PYTHONIOENCODING=cp950``,
    meets 响 or 𠀀) is written as an escape (``\\u54cd``) instead of ending the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _only_the_chosen_command(whole: Callable[[], object], first: list[str]) -> Callable[[], object]:
    """A copy of the app with only the command being run, when the first argument names one.

    Typer inspects the signature and type hints of every registered command on each start (~25 ms for
    ten); the others cannot be reached once the first argument has chosen. Anything else (no argument,
    ``--help``, ``--version``, a mistyped command) keeps them all, so help and suggestions are whole.
    """
    if not isinstance(whole, typer.Typer) or not first:
        return whole
    chosen = [info for info in whole.registered_commands if _command_name(info) == first[0]]
    if not chosen:
        return whole
    narrowed = copy.copy(whole)
    narrowed.registered_commands = chosen
    return narrowed


def _command_name(info: typer.models.CommandInfo) -> str:
    """The name a command is run by: its given name, or its function's with ``_`` as ``-`` (Typer's rule)."""
    callback = info.callback
    return info.name or (callback.__name__.replace("_", "-") if callback is not None else "")


def _flush_quietly() -> None:
    """Flush standard output before exiting, so a closed pipe is noticed here and not at shutdown."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as error:
        _silence_stdout()
        sys.stderr.write(f"stratmap: error: {error.strerror or error}\n")
        sys.exit(EXIT_USAGE)


def _silence_stdout() -> None:
    """Point standard output at the null device so Python's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
