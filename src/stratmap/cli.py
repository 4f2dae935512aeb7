"""The ``stratmap`` command line: the Typer app, its table of commands, and ``main()``.

Each command lives in ``stratmap.commands.<module>`` and imports what it needs inside its own body; the
options they share are in ``stratmap.commands.options``. ``main()`` imports only the module of the
command being run, so ``stratmap validate`` starts fast.
"""

from __future__ import annotations

import copy
import importlib
import os
import sys
from collections.abc import Callable
from typing import Annotated, NoReturn

import typer

from stratmap import __version__
from stratmap.commands.localised import LocalisedCommand, LocalisedGroup
from stratmap.commands.options import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    LANG_HELP,
    NO_COLOR_HELP,
    QUIET_HELP,
    Language,
    complain,
    run,
    silence_stdout,
)
from stratmap.i18n import N_, _

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

APP_HELP = N_("Keep a strategy map and its balanced scorecards as YAML files: validate, trace, render.")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"stratmap {__version__}\n")
        raise typer.Exit()


def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=N_("Show the version and exit."))
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=QUIET_HELP)] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help=NO_COLOR_HELP)] = False,
    lang: Annotated[Language | None, typer.Option("--lang", help=LANG_HELP, show_default=False)] = None,
) -> None:
    """Keep a strategy map and its balanced scorecards as YAML files: validate, trace, render."""
    from stratmap.i18n import set_language

    run.quiet, run.no_color = quiet, no_color  # the app's main() has reset the run
    if lang is not None:
        run.language = lang.value
        set_language(lang.value)


def _app_of(names: list[str]) -> typer.Typer:
    """The Typer app with the commands ``names``, each imported from its module in ``stratmap.commands``."""
    built = typer.Typer(
        name="stratmap",
        cls=LocalisedGroup,
        help=APP_HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(_main)
    for name in names:
        module = importlib.import_module(f"stratmap.commands.{COMMANDS[name]}")
        built.command(cls=LocalisedCommand)(getattr(module, name))
    return built


def __getattr__(name: str) -> typer.Typer:
    """``stratmap.cli.app``: the whole app, every command registered (built on first use)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    whole = globals()["app"] = _app_of(list(COMMANDS))
    return whole


def _app_for(first: list[str]) -> Callable[..., object]:
    """The app to run: only the command the first argument names, with only its module imported; the whole
    app for anything else (no argument, ``--help``, ``--version``, a mistyped command), so help and
    suggestions are whole. An app set from outside (``cli.app = ...``) is run as it is, narrowed."""
    given = globals().get("app")
    if given is not None:
        return _only_the_chosen_command(given, first)
    return _app_of([first[0]] if first and first[0] in COMMANDS else list(COMMANDS))


def _command_named(args: list[str]) -> list[str]:
    """The command a command line runs (``stratmap -q --lang en validate``), if its options before it are
    the app's and the command is one of ``COMMANDS``; else nothing (the whole app is built)."""
    for index, arg in enumerate(args):
        if arg in COMMANDS:
            return [arg]
        if not arg.startswith("-") and not (index > 0 and args[index - 1] == "--lang"):
            break
    return []


def main() -> None:
    """Console entry point: run the app; never show a traceback to the user."""
    # stratmap's models need no third-party Pydantic plugin; looking them up costs ~20 ms of start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _escape_what_the_console_cannot_show()
    try:
        _app_for(_command_named(sys.argv[1:]))(prog_name="stratmap")  # python -m stratmap too: one name in usage
    except KeyboardInterrupt:
        complain(_("interrupted"))
        sys.exit(130)
    except SystemExit as done:
        _flush_quietly()
        raise done
    except BrokenPipeError:  # the reader went away (stratmap ... | head): not stratmap's failure
        silence_stdout()
        sys.exit(EXIT_OK)
    except OSError as error:  # the environment failed us: a full disk, an unwritable terminal
        silence_stdout()
        complain(error.strerror or str(error))
        sys.exit(EXIT_USAGE)
    except Exception as error:  # noqa: BLE001 - last resort: a bug must not print a traceback
        _internal_error(error)


def _internal_error(error: Exception) -> NoReturn:
    """Exit for a failure no command handled: a held-off signal (nothing written), else a bug."""
    from stratmap.files import Interrupted

    if isinstance(error, Interrupted):  # a signal held off while files were staged: nothing written
        complain(_("interrupted ({signal}); nothing was written").format(signal=error))
        sys.exit(128 + error.signum)
    complain(
        _("internal error: {kind}: {error}").format(kind=type(error).__name__, error=error)
        + "\n"
        + _("Please report this with the command you ran.")
    )
    sys.exit(EXIT_INTERNAL)


def _escape_what_the_console_cannot_show() -> None:
    """A character the console's encoding lacks (a Big5 console on Windows, ``PYTHONIOENCODING=cp950``,
    meets 响 or 𠀀) is written as an escape (``\\u54cd``) instead of ending the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _only_the_chosen_command(whole: Callable[..., object], first: list[str]) -> Callable[..., object]:
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
        silence_stdout()
    except OSError as error:
        silence_stdout()
        complain(error.strerror or str(error))
        sys.exit(EXIT_USAGE)
