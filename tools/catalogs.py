"""Keep the message catalogs in step with the code: extract, merge into each language, compile.

    python tools/catalogs.py            # after changing a message: refresh stratmap.pot and zh_TW,
                                        # then translate the new entries in the .po and run it again
    python tools/catalogs.py --check    # what the tests run: the catalogs are complete and compiled

Needs Babel (in the test extras). The compiled ``.mo`` files are committed, so an installed stratmap
needs no Babel.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "stratmap"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("zh_TW",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def command_docstrings() -> list[str]:
    """The help of every command: its function's docstring, as Typer shows it (``inspect.getdoc``)."""
    import importlib
    import inspect

    sys.path.insert(0, str(PACKAGE.parent))  # this checkout's stratmap, whatever is installed
    cli = importlib.import_module("stratmap.cli")
    docstrings = []
    for name, module in cli.COMMANDS.items():
        doc = inspect.getdoc(getattr(importlib.import_module(f"stratmap.commands.{module}"), name))
        if doc:
            docstrings.append(doc)
    return docstrings


def extracted() -> Catalog:
    """Every message marked in the package's code, and every command's help, sorted."""
    catalog = Catalog(project="stratmap", fuzzy=False)
    method_map = [("**.py", "python")]
    for _filename, _line, message, _comments, _context in extract_from_dir(PACKAGE, method_map, keywords=KEYWORDS):
        catalog.add(message)
    for doc in command_docstrings():
        catalog.add(doc)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "stratmap.po"


def merged(template: Catalog, language: str) -> Catalog:
    """The language's catalog with the template's messages: translations kept, new ones empty, gone ones dropped."""
    path = po_path(language)
    catalog = read_po(path.open("rb"), locale=language) if path.is_file() else Catalog(locale=language)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def serialised_po(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, omit_header=True, no_location=True, sort_output=True, width=120)
    return out.getvalue()


def serialised_mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _messages(catalog: Catalog) -> dict[str, str]:
    """Each message of a catalog and its translation (the header aside); a plural message once for each of
    its forms, as ``msgid[n]``."""
    found = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            found.update({f"{message.id[0]}[{index}]": str(form) for index, form in enumerate(forms)})
        else:
            found[str(message.id)] = str(message.string)
    return found


def _untranslated(catalog: Catalog) -> list[str]:
    """The messages of a catalog with no translation (a plural one, with any form missing)."""
    missing = []
    for message in catalog:
        forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if message.id and not all(forms):
            missing.append(message.id[0] if isinstance(message.id, (list, tuple)) else message.id)
    return missing


def _compiled_messages(path: Path) -> dict[str, str]:
    """Each message of a compiled catalog and its translation, as gettext reads it (the header aside)."""
    import gettext

    with path.open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    messages = compiled._catalog  # type: ignore[attr-defined]
    return {f"{key[0]}[{key[1]}]" if isinstance(key, tuple) else key: value for key, value in messages.items() if key}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a catalog is stale")
    args = parser.parse_args()
    template = extracted()
    problems = []
    for language in LANGUAGES:
        catalog = merged(template, language)
        untranslated = _untranslated(catalog)
        po, mo = serialised_po(catalog), serialised_mo(catalog)
        mo_path = po_path(language).with_suffix(".mo")
        if args.check:  # messages, not bytes: another Babel version writes other headers and wrapping
            committed = read_po(po_path(language).open("rb"), locale=language) if po_path(language).is_file() else None
            if committed is None or _messages(committed) != _messages(catalog):
                problems.append(f"{po_path(language)} is not up to date with the code")
            if not mo_path.is_file() or _compiled_messages(mo_path) != _messages(catalog):
                problems.append(f"{mo_path} is not compiled from its .po")
        else:
            po_path(language).parent.mkdir(parents=True, exist_ok=True)
            po_path(language).write_bytes(po)
            mo_path.write_bytes(mo)
        problems += [f"{language}: no translation for {message!r}" for message in untranslated]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
