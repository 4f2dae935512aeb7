"""The language stratmap speaks: Traditional Chinese (zh-TW) or English, through gettext catalogs.

Messages are written in English in the code (``_("All checks passed.")``) and translated by the
compiled catalog ``locale/zh_TW/LC_MESSAGES/stratmap.mo`` in the package. The language is chosen the
usual way: ``--lang`` (``set_language``), else the ``lang`` configuration key, else ``LC_ALL``,
``LC_MESSAGES``, ``LANG`` (``zh_TW``, ``zh_Hant``, ``zh_HK``, ``zh_MO`` → Chinese), else English.
Machine formats (json, sarif, github) keep their English rule names and add the localized message.
"""

from __future__ import annotations

import gettext
import os
import sys
from functools import cache
from pathlib import Path

LANGUAGES = ("zh-TW", "en")
"""The languages stratmap speaks, as ``--lang`` takes them."""
LOCALE_FOLDER = Path(__file__).resolve().parent / "locale"
DOMAIN = "stratmap"

_chosen: list[str] = []
"""The language set by ``--lang`` or configuration for this run (a list: set, never rebound)."""


def set_language(language: str | None) -> None:
    """Speak ``language`` (``zh-TW`` or ``en``) from now on; None goes back to the environment's choice."""
    _chosen.clear()
    if language:
        _chosen.append(normalise(language))
    _catalog.cache_clear()


def normalise(language: str) -> str:
    """``zh-TW``, ``zh_TW.UTF-8``, ``zh_Hant``, ``zh-hk`` → ``zh-TW``; ``en``, ``C``, ``POSIX``, others → ``en``."""
    tag = language.split(".")[0].split("@")[0].replace("_", "-").lower()
    if tag.startswith("zh") and (tag in ("zh", "zh-tw", "zh-hk", "zh-mo") or "hant" in tag):
        return "zh-TW"
    return "en"


def chosen() -> str | None:
    """The language ``--lang`` or the ``lang`` configuration key chose for this run, if any (rendered
    pages are Chinese unless one of these asks for English: the locale of a build machine is not theirs)."""
    return _chosen[0] if _chosen else None


def language() -> str:
    """The language of this run."""
    if _chosen:
        return _chosen[0]
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return normalise(value)
    return "en"


@cache
def _catalog(chosen: str) -> gettext.NullTranslations:
    if chosen == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_FOLDER, languages=[chosen.replace("-", "_")], fallback=True)


def _(message: str) -> str:
    """``message`` in the language of this run."""
    return _catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the language of this run."""
    return _catalog(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it here (it is translated where it is shown)."""
    return message


TYPER_MESSAGES = (
    N_("Usage: "),
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("default: {default}"),
    N_("required"),
    N_("(dynamic)"),
    N_("env var: {var}"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
    N_("Try '{command} {option}' for help."),
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
)
"""The words of Typer and its Click that stratmap's help and usage errors show, for the catalog: Typer
says its own through ``speak_for_typer``; the rest are translated where stratmap formats help."""


def speak_for_typer() -> None:
    """Let Typer say its words (``Options``, ``[default: …]``, ``Missing command.``) through stratmap's
    catalog, in the language of the run when they are said. Typer's Click has no gettext of its own."""
    import typer.core

    typer.core._ = _  # type: ignore[attr-defined]
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        rich_utils._ = _  # type: ignore[attr-defined]
