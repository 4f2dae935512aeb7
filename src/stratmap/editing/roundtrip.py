"""ruamel.yaml's round-trip mode as every edit of a data file uses it.

ruamel.yaml keeps comments, key order and quoting, but re-emits every line: spaces that align values
would be closed up, a flow list re-spaced. So an edit loads a document (:func:`load_document`),
changes its data, notes which original lines it may rewrite, and :func:`keep_untouched` lines the
dumped text up against the original and takes back every other line byte for byte. A line that
would change though no edit touched it is refused (:class:`LayoutError`), and nothing is written.
"""

from __future__ import annotations

import difflib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from stratmap.i18n import _

_PREFIX = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n|%[^\n]*\n)*---[ \t]*(?:#[^\n]*)?\n")
"""Comments and directives up to an explicit document start (``---``), kept as they are."""
_SUFFIX = re.compile(r"^\.\.\.[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*\Z", re.MULTILINE)
"""An explicit document end (``...``) and the comments after it."""
MODELINE = re.compile(r"(#\s*yaml-language-server:\s*\$schema=)(\S*)")
"""The schema line editors read (``# yaml-language-server: $schema=PATH``): its prefix, then the path."""
MODELINE_START = "# yaml-language-server: $schema="
"""How stratmap writes the schema line, before the path."""
SCHEMAS_FOLDER = "schemas"
"""The folder of the JSON Schemas in a repository (``stratmap schema`` writes it)."""
WIDTH = 1_000_000
"""Never fold a long line."""


def find_schemas(start: Path, kind: str, fallback: Path | None = None) -> Path | None:
    """The ``schemas/`` folder a data file's modeline points at: the nearest one holding the schema of
    ``kind`` (``department``, ``measures``, ...) in ``start`` or a folder above it, up to the repository
    root; else ``fallback`` (None when none is given)."""
    from stratmap.loading.discovery import up_to_repository
    from stratmap.model import SCHEMA_NAMES

    name = SCHEMA_NAMES[kind]
    found = (f / SCHEMAS_FOLDER for f in up_to_repository(start.resolve()) if (f / SCHEMAS_FOLDER / name).is_file())
    return next(found, fallback)


def schema_line(folder: Path, schemas: Path, kind: str) -> str:
    """The modeline (without its line end) of a file of ``kind`` in ``folder``, pointing at its schema in
    ``schemas``: ``# yaml-language-server: $schema=../../schemas/department.schema.json``."""
    from stratmap.model import SCHEMA_NAMES

    relative = Path(os.path.relpath(schemas / SCHEMA_NAMES[kind], folder.resolve())).as_posix()
    return f"{MODELINE_START}{relative}"


class LayoutError(Exception):
    """A file that cannot be edited without changing lines the edit does not touch, or cannot be read."""


@dataclass
class Document:
    """A data file's text split for editing: what ruamel.yaml sees (``body``) and what is kept around it."""

    display: Path
    bom: str
    newline: str
    prefix: str
    body: str
    suffix: str

    @property
    def lines(self) -> list[str]:
        """The body's lines, with their line ends."""
        return self.body.splitlines(keepends=True)

    def with_body(self, body: str) -> str:
        """The whole file's text with a new body: BOM, CRLF line ends, ``---`` and ``...`` as they were."""
        return self.bom + (self.prefix + body + self.suffix).replace("\n", self.newline)


def split_document(original: str, display: Path) -> Document:
    """Split a data file's text; a BOM, CRLF line ends, an explicit ``---`` (and what stands before it)
    and ``...`` (and what follows) are kept aside."""
    bom = "\ufeff" if original.startswith("\ufeff") else ""
    text = original.removeprefix(bom)
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    prefix_match = _PREFIX.match(text)
    prefix = prefix_match.group() if prefix_match else ""
    suffix_match = _SUFFIX.search(text, len(prefix))
    suffix = suffix_match.group() if suffix_match else ""
    return Document(display, bom, newline, prefix, text[len(prefix) : len(text) - len(suffix)], suffix)


def round_trip_yaml() -> YAML:
    """A ruamel.yaml round-trip instance that keeps quotes and never folds a line."""
    yaml = YAML()  # round-trip mode
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    return yaml


def load_document(document: Document, yaml: YAML | None = None) -> tuple[YAML, CommentedMap]:
    """The body loaded in round-trip mode, with the instance set to the indentation the file uses."""
    yaml = yaml or round_trip_yaml()
    try:
        data = yaml.load(document.body)
    except YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        message = _("{file}: ruamel.yaml cannot read the file to edit it: {problem}")
        raise LayoutError(message.format(file=f"{document.display}{where}", problem=problem)) from error
    if not isinstance(data, CommentedMap):
        raise LayoutError(_("{file}: not a mapping of keys such as 'kind:'").format(file=document.display))
    mapping, offset = guess_indentation(document.lines)
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yaml, data


_KEY_LINE = re.compile(r"^( *)[^\s#-][^#]*:\s*(#.*)?$")
"""A block mapping key with nothing after its colon but maybe a comment: its value follows, indented."""


def guess_indentation(lines: list[str]) -> tuple[int, int]:
    """(mapping indent, sequence dash offset) the file uses: how far a block value is indented under its
    key, and how far a list's dash stands in from the key that holds the list. The most common of each
    wins; (2, 2) when the file shows neither, as the shipped data is written (``objectives:`` then
    ``  - code: BC1``). (ruamel.yaml's own guess reads the first nested block only, and misreads some.)"""
    mappings: dict[int, int] = {}
    offsets: dict[int, int] = {}
    for index, line in enumerate(lines[:-1]):
        key = _KEY_LINE.match(line.rstrip("\n"))
        if key is None:
            continue
        following = next((n for n in lines[index + 1 :] if n.strip() and not n.lstrip().startswith("#")), "")
        step = len(following) - len(following.lstrip(" ")) - len(key.group(1))
        if following.lstrip(" ").startswith("- "):
            offsets[step] = offsets.get(step, 0) + 1
        elif step > 0:
            mappings[step] = mappings.get(step, 0) + 1
    mapping = max(mappings, key=lambda step: mappings[step]) if mappings else 2
    offset = max(offsets, key=lambda step: offsets[step]) if offsets else 2
    return mapping, max(offset, 0)


def dump(yaml: YAML, data: Any) -> list[str]:
    """The data as ruamel.yaml writes it, in lines with their ends."""
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().splitlines(keepends=True)


def keep_untouched(original: list[str], dumped: list[str], touched: set[int], display: Path, action: str) -> list[str]:
    """Line ``dumped`` up against ``original`` (ignoring spaces but the indentation); take every original
    line back, and refuse to lose one that is not in ``touched`` (0-based lines the edit may rewrite).

    ``action`` names the edit in the refusal: "stratmap rename cannot rename ... without rewriting".
    """

    def squash(line: str) -> str:  # the indentation, then the text without spaces; "" for a blank line
        text = "".join(line.split())
        return line[: len(line) - len(line.lstrip(" "))] + text if text else ""

    matcher = difflib.SequenceMatcher(None, [squash(line) for line in original], [squash(line) for line in dumped],
                                      autojunk=False)  # fmt: skip
    kept: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept.extend(original[i1:i2])
            continue
        lost = next((index for index in range(i1, i2) if index not in touched), None)
        if lost is not None:
            message = _(
                "{where}: {action} without rewriting this line, which it does not change: {line}; "
                "make the change by hand"
            )
            where = f"{display}:{lost + 1}"
            raise LayoutError(message.format(where=where, action=action, line=repr(original[lost].strip())))
        kept.extend(dumped[j1:j2])
    return kept


def block_lines(lines: list[str], mapping: CommentedMap, key: Any) -> set[int]:
    """The 0-based lines of a block entry of ``mapping``: its key's line and the more indented lines after
    it (a list written level with the key included; comment lines not); none for a key the file did not have."""
    if key not in mapping.lc.data:  # added by the edit: nothing original to rewrite
        return set()
    line, column = mapping.lc.key(key)
    span = {line}
    for index in range(line + 1, len(lines)):
        content = lines[index].lstrip(" ")
        if not content.strip() or content.startswith("#"):
            continue
        if len(lines[index]) - len(content) <= column and not content.startswith("- "):
            break
        span.add(index)
    return span
