"""Fuzz the real CLI with mutated copies of the shipped plan (issue 9): it must never crash, mislocate or write.

Each example copies ``data/110`` into a fresh temporary folder, applies random mutations to its files
(``plan.yaml``, ``city.yaml``, ``departments/doed/*.yaml``): one to four of any kind, or, in about half the
examples, up to three that mostly keep the YAML well formed, so that rules, render and trace see odd plans
that load. Then it runs the real commands on the copy:
``stratmap validate --format json`` and ``--format text`` or ``github`` with ``STRATMAP_NO_CACHE=1``; in
some examples ``validate`` again with the cache on (cold, then warm) in a temporary ``STRATMAP_CACHE_DIR``;
``stratmap render --format html|markdown -o <out>``; ``stratmap trace <code>`` (``DP2.2`` most often).
The mutations: byte flips and truncation; lines moved, duplicated and deleted; indentation changed, tabs;
random Unicode, bidirectional and invisible marks (U+202E, U+200B, U+2066, U+FEFF ...), odd line breaks and
control characters inserted anywhere; full-width punctuation (：，［］) and codes (ＤＰ２.２); 100,000-character
scalars; flow collections hundreds of levels deep (``[[[[...]]]]``, ``{a: {a: ...}}``), unclosed ones too;
anchors and aliases, nested up to past the alias limit; keys renamed, codes swapped, list items duplicated
or deleted, schema keys added with edge values (``1e308``, ``.nan``, 400 digits, full-width digits), KPI
measures from ordinary to absurd; BOMs, UTF-16, Big5, CRLF and CR line ends; document markers; markup
(``<script>``, ``<img onerror=...>``); whole files copied over others.

Every command must:

- exit 0 or 1 (never 2, 3 or a signal) and print no traceback and no "internal error";
- in JSON, text and GitHub output alike, give every problem the path of a file of the copy and a line and
  column inside that file; report the same problems in each, sorted, with exit 1 exactly when there are
  errors; the text report shows no raw control or invisible character;
- give the same report with the cache, cold and warm, as without it;
- leave every file of the copy as it was (names, bytes, modes, modification times), write nothing into
  the folder it runs in but the ``-o`` folder, and no cache with ``STRATMAP_NO_CACHE=1``;
- render and trace only a plan that validates (saying why otherwise, with located problems); render
  exactly one page, with no tag or event handler from the data, the same bytes with and without the cache;
  every node of a JSON trace located inside the copy.

The commands run in this process through the real ``stratmap.cli.main``, whose last-resort handler turns
any exception into exit 3 and "internal error", so a crash fails the test just as from a shell; a command
costs ~25 ms instead of ~0.4 s for a subprocess. A crash of the interpreter itself (a signal) would end
pytest instead; run each command as a subprocess with ``STRATMAP_FUZZ_SUBPROCESS=1`` to see it as a
failing example. A command running longer than 60 s fails the test too.

By default the test runs 30 examples, a few seconds (derandomized when ``CI`` is set, so CI runs the same
examples every time). Longer runs::

    STRATMAP_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py
    STRATMAP_FUZZ_EXAMPLES=200 STRATMAP_FUZZ_SUBPROCESS=1 python -m pytest tests/test_fuzz.py
    STRATMAP_FUZZ_SHRINK=0 ...          # report the first failure as found, without minutes of shrinking
    python -m pytest tests/test_fuzz.py --hypothesis-show-statistics    # which rules the examples reached
    python -m pytest tests/test_fuzz.py --hypothesis-seed=N             # replay a run

A failure prints the shrunk mutations (``Mutation(kind, file, at, to, text)``: ``at`` and ``to`` pick
places modulo the file's size), each command with its output, and a ``@reproduce_failure`` blob. No
example database is kept (``.hypothesis/`` would land in the working tree); ``STRATMAP_FUZZ_DATABASE=DIR``
keeps one there.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from conftest import PLAN_110, Run, stratmap

EXAMPLES = int(os.environ.get("STRATMAP_FUZZ_EXAMPLES", "30"))
IN_SUBPROCESS = os.environ.get("STRATMAP_FUZZ_SUBPROCESS", "") not in ("", "0")
DATABASE = os.environ.get("STRATMAP_FUZZ_DATABASE")
SHRINK = os.environ.get("STRATMAP_FUZZ_SHRINK", "1") != "0"
COMMAND_SECONDS = 60
"""A command taking longer than this is a hang (the slowest fuzzed command takes well under a second)."""

FILES = tuple(sorted(p.relative_to(PLAN_110).as_posix() for p in PLAN_110.rglob("*.yaml")))
"""The plan's files, relative to the plan folder: plan.yaml, city.yaml, departments/doed/*.yaml."""
SHIPPED = sorted(f"110/{p.relative_to(PLAN_110).as_posix()}" for p in PLAN_110.rglob("*") if p.is_file())
"""Every file of the shipped plan (ERRATA.md too), as found under ``data/`` of a copy."""
PLAN = Path("data") / "110"
"""Where the copy lies inside each example's work folder (the commands run in that folder)."""
BOM = b"\xef\xbb\xbf"

# ---- mutations --------------------------------------------------------------------------------------

MARKS = (
    "\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u200c", "\u200d",
    "\u200e", "\u200f", "\u061c", "\ufeff", "\u2060", "\u00ad", "\u00a0", "\u3000", "\u2028", "\u2029",
    "\x85", "\t", "\r", "\r\n", "\x00", "\x07", "\x1b", "\x7f", "\ufffd", "\U0001f600", "\u0301", "\ufffe",
)  # fmt: skip
"""Bidirectional overrides and isolates, invisible and zero-width marks, odd line breaks, controls."""
FULL_WIDTH = dict(zip(":,[]{}-#&*!|>'\"?% ", "：，［］｛｝－＃＆＊！｜＞＇＂？％\u3000", strict=True))
SNIPPETS = (
    *FULL_WIDTH.values(), "&a ", "*a", "&a", "!!str ", "!!int ", "!!python/object/apply:os.system ['true'] ",
    "!secret ", "? ", "- ", ": ", " #", "|", ">-", "'", '"', "\\", "\\e", '"\\u202e"', "%", "@", "`", "{",
    "}", "[", "]", ",", "---", "...", "--- |\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "<<: *a", "kind: plan",
    "kind: theme", "kind: city_map", "kind: department", "year: 111", "code: DP2.2", "city_kpis: [DP2.2]",
    "aligns_to: [ZZ9]", "note: x", "~", "null", ".inf", ".nan", "1e999", "0x1F", "2.10", "true", "yes",
    "ＤＰ２.２", "ｂｐ２.１", "DP4.", "A1.1.1.1.1", "9" * 50, "doed:", "city:", "臺北市", "長" * 40,
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "<!--", "-->",
    "<zz>", "<ZZ/>", "{{ 7 * 7 }}", "{% raw %}", "&amp;", "&#60;", "@team", "https://example.org", "| a |", "```",
)  # fmt: skip
"""Text that means something to YAML, to the schema or to the codes."""

TEXT = st.one_of(
    st.sampled_from(MARKS),
    st.sampled_from(SNIPPETS),
    st.text(max_size=12),
    st.text(st.characters(codec="utf-8"), max_size=12),
    st.lists(st.sampled_from(MARKS + SNIPPETS), min_size=2, max_size=4).map("".join),
)


def _huge(text: str) -> str:
    piece = text or "長"
    return (piece * (100_000 // len(piece) + 1))[:100_000]


def _deep(to: int, text: str) -> str:
    depth = 100 + to % 600
    shape = len(text) % 5
    if shape == 0:
        return "[" * depth + "]" * depth
    if shape == 1:
        return "{a: " * depth + "x" + "}" * depth
    if shape == 2:
        return "[{a: " * (depth // 2) + "x" + "}]" * (depth // 2)
    if shape == 3:
        return "[" * depth  # never closed
    return "".join(" " * i + "- \n" for i in range(0, depth, 3))


def _laughs(levels: int) -> str:
    """Nested aliases: 9 ** levels values, past the 200,000 limit from level 6 on."""
    lines = ["laugh0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"laugh{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


KEY_VALUE = re.compile(r"^(?P<lead>[ \t]*(?:- )?)(?P<key>[^\s:#][^:#\n]*?):(?P<gap>[ \t]+)(?P<value>[^\n]*)", re.M)
CODE = re.compile(r"(?<![\w.])(?:[A-Z]{1,2}[0-9]+(?:\.[0-9]+)*|PA[0-9]+(?:\.[0-9]+)?|[A-H])(?![\w.])")
KINDS = (
    "flip", "byte", "truncate", "move_line", "dup_line", "del_line", "indent", "tab", "insert", "value",
    "huge", "deep", "alias", "laughs", "fullwidth", "swap_code", "code", "key", "bom", "line_ends",
    "encoding", "document", "splice", "empty", "field", "dup_block", "del_block", "measures", "set", "swap_value",
    "quoted",
)  # fmt: skip
GENTLE_KINDS = ("quoted", "swap_code", "code", "field", "measures", "set", "swap_value", "dup_block", "del_block")
"""Kinds that mostly keep the YAML well formed: plans that load, so that rules, render and trace see odd ones."""
FIELDS = (
    "unit", "direction", "baseline", "target", "actual", "formula", "frequency", "owner", "data_source", "budget",
    "note", "tags", "city_kpis", "aligns_to", "perspective", "code", "name", "year", "kind", "action_plans",
)  # fmt: skip
"""Keys of the schema (some where they do not belong)."""
VALUES = (
    "0", "-0", "1", "-1", "0.5", "100", "1e308", "-1e308", "1.8e308", "1e-320", "9" * 400, "-" + "9" * 400,
    "1_000", "0x10", "0o7", "+5", ".5", "5.", ".inf", "-.inf", ".nan", "１２３", "١٢٣", "²", "1,000", "NT$100",
    "higher", "lower", "Higher", "monthly", "quarterly", "yearly", "weekly", "[]", "[1, 2]", "[DP2.2, DP2.2]",
    "[非營業基金考核指標, 非營業基金考核指標]", "{}", "''", "~", "true", "2021-01-01", "P", "C", "Z", "[A1, ｂｐ２.１]",
)  # fmt: skip
"""Values at the edges of what the schema takes: numbers that overflow or are not numbers, codes, lists."""


@dataclass(frozen=True)
class Mutation:
    """One change to one file; ``at`` and ``to`` pick places (taken modulo the file's size), ``text`` what goes in."""

    kind: str
    file: str
    at: int = 0
    to: int = 0
    text: str = ""

    def apply(self, files: dict[str, bytes]) -> None:
        """Change ``files`` (path relative to the plan folder -> bytes) in place."""
        raw = files[self.file]
        if self.kind in _BYTE_MUTATIONS:
            files[self.file] = _BYTE_MUTATIONS[self.kind](self, raw, files)
        else:
            text = raw.decode("utf-8", "surrogateescape")  # bytes that are not UTF-8 survive as they are
            files[self.file] = _TEXT_MUTATIONS[self.kind](self, text).encode("utf-8", "surrogateescape")


def _flip(m: Mutation, raw: bytes, _: dict[str, bytes]) -> bytes:
    if not raw:
        return bytes([m.to % 256])
    i = m.at % len(raw)
    return raw[:i] + bytes([raw[i] ^ (1 + m.to % 255)]) + raw[i + 1 :]


def _byte(m: Mutation, raw: bytes, _: dict[str, bytes]) -> bytes:
    i = m.at % (len(raw) + 1)
    return raw[:i] + bytes([m.to % 256]) + raw[i + 1 :]


def _encoding(m: Mutation, raw: bytes, _: dict[str, bytes]) -> bytes:
    text = raw.decode("utf-8", "replace")
    codec = ("utf-16", "utf-16-be", "big5", "utf-32", "latin-1")[m.to % 5]
    return text.encode(codec, "replace")


def _bom(m: Mutation, raw: bytes, _: dict[str, bytes]) -> bytes:
    mark = (BOM, BOM + BOM, b"\xff\xfe", b"\xfe\xff", "\ufeff".encode())[m.to % 5]
    i = 0 if m.at % 2 == 0 else m.at % (len(raw) + 1)
    return raw[:i] + mark + raw[i:]


def _line_ends(m: Mutation, raw: bytes, _: dict[str, bytes]) -> bytes:
    return raw.replace(b"\n", (b"\r\n", b"\r", b"\n\r", "\u2028".encode(), b"\xc2\x85")[m.to % 5])


def _splice(m: Mutation, raw: bytes, files: dict[str, bytes]) -> bytes:
    other = files[FILES[m.to % len(FILES)]]
    return other if m.at % 2 == 0 else raw + b"\n" + other


_BYTE_MUTATIONS: dict[str, Callable[[Mutation, bytes, dict[str, bytes]], bytes]] = {
    "flip": _flip,
    "byte": _byte,
    "truncate": lambda m, raw, _: raw[: m.at % (len(raw) + 1)],
    "encoding": _encoding,
    "bom": _bom,
    "line_ends": _line_ends,
    "splice": _splice,
    "empty": lambda m, raw, _: (b"", b"# only a comment\n", b"---\n", b"...\n", b"\n\n", b"~\n")[m.to % 6],
}


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _move_line(m: Mutation, text: str) -> str:
    lines = _lines(text)
    moved = lines.pop(m.at % len(lines))
    lines.insert(m.to % (len(lines) + 1), moved)
    return "\n".join(lines)


def _dup_line(m: Mutation, text: str) -> str:
    lines = _lines(text)
    i = m.at % len(lines)
    lines[i:i] = [lines[i]] * (1 + m.to % 3)
    return "\n".join(lines)


def _del_line(m: Mutation, text: str) -> str:
    lines = _lines(text)
    del lines[m.at % len(lines) : m.at % len(lines) + 1 + m.to % 3]
    return "\n".join(lines)


def _indent(m: Mutation, text: str) -> str:
    lines = _lines(text)
    i = m.at % len(lines)
    delta = m.to % 9 - 4
    if delta >= 0:
        lines[i] = " " * (delta or 1) + lines[i]
    else:
        stripped = lines[i].lstrip(" ")
        lead = len(lines[i]) - len(stripped)
        lines[i] = " " * max(0, lead + delta) + stripped
    return "\n".join(lines)


def _tab(m: Mutation, text: str) -> str:
    lines = _lines(text)
    i = m.at % len(lines)
    stripped = lines[i].lstrip(" ")
    lead = len(lines[i]) - len(stripped)
    shape = m.to % 4
    if shape == 0:
        lines[i] = "\t" * max(1, lead // 2) + stripped
    elif shape == 1:
        lines[i] = " " * lead + "\t" + stripped
    elif shape == 2:
        lines[i] = lines[i].replace(": ", ":\t", 1)
    else:
        lines[i] = lines[i] + "\t"
    return "\n".join(lines)


def _insert(m: Mutation, text: str) -> str:
    i = m.at % (len(text) + 1)
    return text[:i] + m.text + text[i:]


def _pick(pattern: re.Pattern[str], text: str, at: int) -> re.Match[str] | None:
    found = list(pattern.finditer(text))
    return found[at % len(found)] if found else None


def _replace_value(text: str, at: int, value: str) -> str:
    match = _pick(KEY_VALUE, text, at)
    if match is None:
        return text + f"\nextra: {value}\n"
    return text[: match.start("value")] + value + text[match.end("value") :]


def _quoted(value: str, style: int) -> str:
    if style == 0:
        return value  # plain: may well break the YAML
    if style == 1:
        return json.dumps(value, ensure_ascii=False)  # a double-quoted YAML scalar
    return "'" + value.replace("'", "''") + "'"


def _value(m: Mutation, text: str) -> str:
    return _replace_value(text, m.at, _quoted(m.text, m.to % 3))


def _quoted_value(m: Mutation, text: str) -> str:
    return _replace_value(text, m.at, _quoted(m.text, 1))


def _huge_value(m: Mutation, text: str) -> str:
    return _replace_value(text, m.at, _quoted(_huge(m.text), m.to % 3))


def _deep_value(m: Mutation, text: str) -> str:
    return _replace_value(text, m.at, _deep(m.to, m.text))


def _alias(m: Mutation, text: str) -> str:
    """An anchor on one value or collection and an alias to it in place of another value (maybe before it)."""
    found = list(KEY_VALUE.finditer(text))
    if not found:
        return text + "a: &a x\nb: *a\n"
    source, target = found[m.at % len(found)], found[m.to % len(found)]
    name = "a" if m.to % 2 else "anchor_" + str(m.at % 7)
    if source.start() == target.start():
        return text[: source.start("value")] + f"&{name} " + text[source.start("value") :]
    edits = sorted(
        [
            (source.start("value"), source.start("value"), f"&{name} "),
            (target.start("value"), target.end("value"), f"*{name}"),
        ],
        reverse=True,
    )
    for start, end, new in edits:
        text = text[:start] + new + text[end:]
    return text


def _laughs_insert(m: Mutation, text: str) -> str:
    return text.rstrip("\n") + "\n" + _laughs(1 + m.to % 8)


def _fullwidth(m: Mutation, text: str) -> str:
    chars = [i for i, ch in enumerate(text) if ch in FULL_WIDTH]
    if not chars:
        return text
    i = chars[m.at % len(chars)]
    return text[:i] + FULL_WIDTH[text[i]] + text[i + 1 :]


def _swap_code(m: Mutation, text: str) -> str:
    found = list(CODE.finditer(text))
    if not found:
        return text
    target, source = found[m.at % len(found)], found[m.to % len(found)]
    return text[: target.start()] + source.group() + text[target.end() :]


def _code(m: Mutation, text: str) -> str:
    target = _pick(CODE, text, m.at)
    if target is None:
        return text
    code = target.group()
    shape = m.to % 4
    if shape == 0:
        new = m.text
    elif shape == 1:
        new = code.translate({ord(c): ord(c) + 0xFEE0 for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"})
    elif shape == 2:
        new = code + "." + str(m.to % 1000)
    else:
        new = code.lower() + m.text
    return text[: target.start()] + new + text[target.end() :]


def _key(m: Mutation, text: str) -> str:
    target = _pick(KEY_VALUE, text, m.at)
    if target is None:
        return text
    keys = [k.group("key") for k in KEY_VALUE.finditer(text)]
    new = m.text if m.to % 2 else keys[m.to % len(keys)]
    return text[: target.start("key")] + new + text[target.end("key") :]


def _document(m: Mutation, text: str) -> str:
    lines = _lines(text)
    marker = ("---", "...", "--- !!map", "%YAML 1.2", "--- &a", "---\n---", "? ", "- ")[m.to % 8]
    lines.insert(m.at % (len(lines) + 1), marker)
    return "\n".join(lines)


NAME_LINE = re.compile(r"^(?P<indent> *)(?:- )?name: [^\n]*$", re.M)
ITEM_LINE = re.compile(r"^(?P<indent> *)- ", re.M)


def _field(m: Mutation, text: str) -> str:
    """A schema key with an edge value, beside the name of an objective, KPI, action plan or file."""
    target = _pick(NAME_LINE, text, m.at)
    if target is None:
        return text
    indent = target["indent"] + ("  " if target.group().lstrip().startswith("- ") else "")
    key = FIELDS[m.to % len(FIELDS)]
    value = VALUES[(m.to // len(FIELDS)) % len(VALUES)] if m.to % 5 else _quoted(m.text, 1)
    return text[: target.end()] + f"\n{indent}{key}: {value}" + text[target.end() :]


KPI_NAME = re.compile(r"^(?P<indent> *)- code: [A-Z]{2}[0-9]+\.[0-9]+\n(?P=indent)  name: [^\n]*$", re.M)
NUMBERS = ("0", "-0", "1", "-1", "0.5", "100", "1e308", "-1e308", "1e-320", "9" * 400, ".nan", "1_000", "")


def _measures(m: Mutation, text: str) -> str:
    """Direction, baseline, target, actual and unit on a KPI, from ordinary to absurd (status is computed from them)."""
    target = _pick(KPI_NAME, text, m.at)
    if target is None:
        return text
    indent = target["indent"] + "  "
    digits = [(m.to // len(NUMBERS) ** i) % len(NUMBERS) for i in range(3)]
    lines = [f"direction: {('higher', 'lower', 'Higher', '')[m.to % 4]}", f"unit: {_quoted(m.text, 1)}"]
    lines += [f"{key}: {NUMBERS[d]}" for key, d in zip(("baseline", "target", "actual"), digits, strict=True)]
    return text[: target.end()] + "".join(f"\n{indent}{line}" for line in lines) + text[target.end() :]


def _block(text: str, at: int) -> tuple[int, int] | None:
    """Start and end of the list item (with everything indented under it) picked by ``at``."""
    item = _pick(ITEM_LINE, text, at)
    if item is None:
        return None
    width = len(item["indent"])
    end = text.find("\n", item.start())
    while end != -1:
        following = text.find("\n", end + 1)
        line = text[end + 1 : following if following != -1 else len(text)]
        if line.strip() and (len(line) - len(line.lstrip(" ")) < width or line[width:].startswith("- ")):
            break
        end = following
    return item.start(), end if end != -1 else len(text)


def _set(m: Mutation, text: str) -> str:
    """The value of some ``key: value`` line replaced by an edge value, or by another line's value."""
    if m.to % 3 == 0:
        other = _pick(KEY_VALUE, text, m.to // 3)
        value = other["value"] if other is not None else ""
    else:
        value = VALUES[m.to % len(VALUES)]
    return _replace_value(text, m.at, value)


def _swap_value(m: Mutation, text: str) -> str:
    """The values of two ``key: value`` lines swapped (a year for a code, a name for a perspective ...)."""
    found = list(KEY_VALUE.finditer(text))
    if not found:
        return text
    first, second = sorted((found[m.at % len(found)], found[m.to % len(found)]), key=lambda match: match.start())
    if first.start() == second.start():
        return text
    return (
        text[: first.start("value")]
        + second["value"]
        + text[first.end("value") : second.start("value")]
        + first["value"]
        + text[second.end("value") :]
    )


def _dup_block(m: Mutation, text: str) -> str:
    found = _block(text, m.at)
    if found is None:
        return text
    start, end = found
    return text[:end] + "\n" + text[start:end] + text[end:]


def _del_block(m: Mutation, text: str) -> str:
    found = _block(text, m.at)
    if found is None:
        return text
    start, end = found
    return text[:start] + text[end + 1 :]


_TEXT_MUTATIONS: dict[str, Callable[[Mutation, str], str]] = {
    "move_line": _move_line,
    "dup_line": _dup_line,
    "del_line": _del_line,
    "indent": _indent,
    "tab": _tab,
    "insert": _insert,
    "value": _value,
    "huge": _huge_value,
    "deep": _deep_value,
    "alias": _alias,
    "laughs": _laughs_insert,
    "fullwidth": _fullwidth,
    "swap_code": _swap_code,
    "code": _code,
    "key": _key,
    "document": _document,
    "field": _field,
    "dup_block": _dup_block,
    "del_block": _del_block,
    "measures": _measures,
    "set": _set,
    "quoted": _quoted_value,
    "swap_value": _swap_value,
}
assert set(_BYTE_MUTATIONS) | set(_TEXT_MUTATIONS) == set(KINDS)

MUTATION = st.builds(
    Mutation,
    kind=st.sampled_from(KINDS),
    file=st.sampled_from(FILES),
    at=st.integers(0, 10**6),
    to=st.integers(0, 10**6),
    text=TEXT,
)
GENTLE_MUTATION = st.builds(
    Mutation,
    kind=st.sampled_from(GENTLE_KINDS),
    file=st.sampled_from(FILES),
    at=st.integers(0, 10**6),
    to=st.integers(0, 10**6),
    text=TEXT,
)


@dataclass(frozen=True)
class Case:
    """What one example does: the mutations, and which commands run besides ``validate --format json``."""

    mutations: list[Mutation]
    report: str  # validate's second format: text or github
    cache: bool  # also validate with the cache on, cold then warm; render and trace run with it on
    render: str | None  # render's format, or no render
    trace: str | None  # the code to trace, or no trace
    trace_json: bool


CASES = st.builds(
    Case,
    mutations=st.one_of(st.lists(MUTATION, min_size=1, max_size=4), st.lists(GENTLE_MUTATION, min_size=1, max_size=3)),
    report=st.sampled_from(["text", "github"]),
    cache=st.booleans(),
    render=st.sampled_from([None, "html", "html", "markdown"]),
    trace=st.sampled_from([None, "DP2.2", "DP2.2", "doed:BP2.1", "city:DP2.1", "SO1", "PA2.4", "B", "S1"]),
    trace_json=st.booleans(),
)

# ---- running the CLI --------------------------------------------------------------------------------


class CommandHung(BaseException):
    """Raised by the alarm in a command that runs too long; not an Exception, so main() does not catch it."""


def _hung(signum: int, frame: FrameType | None) -> None:
    raise CommandHung(f"a command ran longer than {COMMAND_SECONDS} s")


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_commands: dict[int, Any] = {}


def _click_command(app: Any) -> Any:
    """The Click command Typer builds from ``app`` on every call (~0.2 s of evaluating annotations), built once."""
    from typer.main import get_command

    if id(app) not in _commands:
        _commands[id(app)] = get_command(app)
    return _commands[id(app)]


def run_in_process(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run ``stratmap ARGS`` through its console entry point in this process, as ``python -m stratmap`` would.

    ``main()`` is the real one, with its last-resort handler; only the Click command it calls is built once.
    """
    import stratmap.cli as cli

    app = cli.app
    out, err = io.StringIO(), io.StringIO()
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    alarm = hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGALRM, _hung) if alarm else None
    code: int = 0
    try:
        sys.argv = ["stratmap", *args]
        os.chdir(cwd)
        if alarm:
            signal.alarm(COMMAND_SECONDS)
        cli.app = _click_command(app)
        with _environment({"NO_COLOR": "1", **env}), redirect_stdout(out), redirect_stderr(err):
            try:
                cli.main()
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        cli.app = app
        if alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        os.chdir(saved_cwd)
        sys.argv = saved_argv
    return Run(code, out.getvalue(), err.getvalue())


def run(args: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run one command (in this process, or as a subprocess with STRATMAP_FUZZ_SUBPROCESS=1) and note it."""
    started = time.perf_counter()
    done = stratmap(*args, cwd=cwd, env=env) if IN_SUBPROCESS else run_in_process(args, cwd, env)
    seconds = time.perf_counter() - started
    shown = {k: v for k, v in env.items() if k.startswith("STRATMAP")}
    note(f"$ {' '.join(f'{k}={v}' for k, v in shown.items())} stratmap {' '.join(args)}  # {seconds:.2f} s")
    note(f"exit {done.code}\n--- stdout\n{done.out[:3000]}\n--- stderr\n{done.err[:3000]}")
    assert seconds < COMMAND_SECONDS, f"stratmap {' '.join(args)} took {seconds:.0f} s"
    return done


# ---- what must hold ---------------------------------------------------------------------------------

Snapshot = dict[str, tuple[str, int, int] | str]


def snapshot(folder: Path) -> Snapshot:
    """Every file and folder under ``folder``: each file's SHA-256, mode and modification time."""
    seen: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        name = path.relative_to(folder).as_posix()
        if stat.S_ISREG(info.st_mode):
            seen[name] = (hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mode, info.st_mtime_ns)
        else:
            seen[name] = f"{stat.filemode(info.st_mode)}"
    return seen


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def check_clean_exit(done: Run) -> None:
    """Exit 0 or 1 and no sign of a crash."""
    both = done.out + done.err
    assert "Traceback (most recent call last)" not in both, "a traceback was printed"
    assert "internal error" not in both, "stratmap reported an internal error"
    assert done.code in (0, 1), f"exit status {done.code}, expected 0 or 1"


def check_position(work: Path, path: str, line: int, column: int, what: str) -> None:
    """``path`` names a file of the plan copy; ``line`` and ``column`` lie inside it."""
    assert isinstance(line, int) and isinstance(column, int), f"{what}: line/column not numbers"
    assert line >= 1 and column >= 1, f"{what}: line {line}, column {column}"
    target = (work / path).resolve()
    assert target.is_relative_to((work / PLAN).resolve()), f"{what}: {path} is not in the plan copy"
    assert target.is_file(), f"{what}: {path} is not a file of the copy"
    raw = target.read_bytes()
    raw = raw[len(BOM) :] if raw.startswith(BOM) else raw
    text = raw.decode("utf-8", "replace")
    lines = text.split("\n")  # stratmap counts lines as editors and git do: only "\n" ends one
    assert line <= len(lines), f"{what}: line {line} past the end of {path} ({len(lines)} lines)"
    assert column <= len(lines[line - 1]) + 1, (
        f"{what}: column {column} past the end of line {line} of {path} ({len(lines[line - 1])} characters)"
    )


NAMED_KEY = re.compile(r"(?:^|\(|: )(?:unknown key|duplicate key) '([A-Za-z_][A-Za-z0-9_]*)'")


def check_points_at_key(work: Path, problem: dict[str, Any]) -> None:
    """An unknown or duplicate key is located where that key is written (so no line break was miscounted)."""
    named = NAMED_KEY.search(problem["message"])
    if named is None or problem["rule"] not in ("S002", "Y006"):
        return
    raw = (work / problem["path"]).read_bytes()
    text = (raw[len(BOM) :] if raw.startswith(BOM) else raw).decode("utf-8", "replace")
    line = text.split("\n")[problem["line"] - 1]
    there = line[problem["column"] - 1 :].lstrip("\"'")
    assert there.startswith(named[1]), (
        f"{problem['rule']} {problem['message'][:100]!r} at {problem['path']}:{problem['line']}:{problem['column']}, "
        f"where the line reads {line[:120]!r}"
    )


PROBLEM_LINE = re.compile(
    r"^(?P<where>\S.*?:[0-9]+:[0-9]+): (?:error|warning) (?P<rule>[YSRN][0-9]{3}) .* \[[a-z0-9-]+\]$"
)
GITHUB_LINE = re.compile(
    r"^::(?:error|warning) file=(?P<path>[^,]+),line=(?P<line>[0-9]+),col=(?P<col>[0-9]+),"
    r"title=(?P<rule>[YSRN][0-9]{3}) [a-z0-9-]+::"
)
TOTAL_LINE = re.compile(r"^(?:All checks passed\.|Found [0-9]+ errors? and [0-9]+ warnings?\.)$")
SUMMARY = f"{PLAN.as_posix()}: "


def check_json_report(done: Run, work: Path) -> list[tuple[str, str]]:
    """The JSON report is well formed and locates every problem; returns ``(path:line:col, rule)`` of each."""
    report = json.loads(done.out)
    problems = report["problems"]
    assert report["version"] == 1 and len(report["plans"]) == 1
    errors = sum(1 for p in problems if p["severity"] == "error")
    assert report["errors"] == errors and report["warnings"] == len(problems) - errors
    assert done.code == (1 if errors else 0), "exit status disagrees with the errors reported"
    if report["plans"][0]["counts"] is None:
        assert errors, "a file failed to load yet no error was reported"
    order = [(p["path"], p["line"], p["column"]) for p in problems]
    assert order == sorted(order), "problems are not sorted by file, line and column"
    for p in problems:
        assert re.fullmatch(r"[YSRN][0-9]{3}", p["rule"]) and p["severity"] in ("error", "warning"), p
        assert isinstance(p["message"], str) and p["message"].strip(), f"empty message: {p}"
        check_position(work, p["path"], p["line"], p["column"], f"problem {p['rule']} {p['message'][:200]!r}")
        check_points_at_key(work, p)
    return [(f"{p['path']}:{p['line']}:{p['column']}", p["rule"]) for p in problems]


def check_text_report(text: str) -> list[tuple[str, str]]:
    """Every line of a text report is a located problem, a hint, the plan's summary or the total."""
    located = []
    lines = text.split("\n")
    assert lines[-1] == "", "the report does not end with a newline"
    hidden = [ch for ch in text if not ch.isprintable() and ch not in "\n \u3000"]
    assert not hidden, f"the text report shows raw control or invisible characters {hidden[:5]}"
    for line in lines[:-1]:
        match = PROBLEM_LINE.match(line)
        if match:
            located.append((match["where"], match["rule"]))
        else:
            assert line.startswith(("  help: ", SUMMARY)) or TOTAL_LINE.match(line), f"unlocated line {line!r}"
    assert TOTAL_LINE.match(lines[-2]), "the report does not end with the total"
    return located


def check_github_report(text: str, work: Path) -> list[tuple[str, str]]:
    """Every line is an annotation with file, line and column inside the copy, or the plan's summary."""
    located = []
    lines = text.split("\n")
    assert lines[-1] == "", "the report does not end with a newline"
    for line in lines[:-1]:
        match = GITHUB_LINE.match(line)
        if match:
            path = match["path"].replace("%2C", ",").replace("%3A", ":").replace("%25", "%")
            check_position(work, path, int(match["line"]), int(match["col"]), f"annotation {line[:200]!r}")
            located.append((f"{path}:{match['line']}:{match['col']}", match["rule"]))
        else:
            assert line.startswith(SUMMARY), f"not an annotation: {line!r}"
    return located


TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
FORBIDDEN_TAGS = {
    "script", "img", "iframe", "frame", "svg", "math", "object", "embed", "form", "base", "link", "input", "button",
    "textarea", "video", "audio", "source", "marquee", "zz",
}  # fmt: skip
"""Tags no template writes (``zz`` is planted by the mutations): in a page they can only come from the data."""


OWN_SVG = re.compile(r'<svg (?:xmlns="http://www.w3.org/2000/svg" class="map-svg"|class="sparkline")')
"""The drawings stratmap writes itself (each strategy map, a KPI's sparkline): the one ``svg`` a page may hold."""


def check_page(page: Path) -> None:
    """Text from the data never becomes markup in a rendered page or map: no script, image, frame or event
    handler."""
    text = OWN_SVG.sub("", page.read_text(encoding="utf-8"))
    tags = sorted({tag.lower() for tag in TAG.findall(text)} & FORBIDDEN_TAGS)
    assert not tags, f"{page.name} holds tags from the data: {tags}"
    handler = re.search(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", text)
    assert handler is None, f"{page.name} holds an event handler: {handler.group()[:200] if handler else ''}"


def check_trace_json(done: Run, work: Path) -> None:
    """Every node a JSON trace shows stands at a place inside the copy."""
    report = json.loads(done.out)
    assert report["version"] == 1 and report["matches"]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "path" in value and "line" in value:
                check_position(work, value["path"], value["line"], value["column"], f"node {value.get('id')}")
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(report["matches"])


# ---- the test ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the module; each example works in a fresh folder inside it and removes it after."""
    return tmp_path_factory.mktemp("fuzz")


def write_mutated_copy(work: Path, mutations: list[Mutation]) -> None:
    files = {name: (PLAN_110 / name).read_bytes() for name in FILES}
    for mutation in mutations:
        mutation.apply(files)
    shutil.copytree(PLAN_110, work / PLAN)
    for name, content in files.items():
        if content != (PLAN_110 / name).read_bytes():
            (work / PLAN / name).write_bytes(content)
            note(f"{name} mutated: {len(content)} bytes, first differing bytes around offset "
                 f"{_first_difference((PLAN_110 / name).read_bytes(), content)}")  # fmt: skip


def _first_difference(old: bytes, new: bytes) -> str:
    i = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    return f"{i}: {old[max(0, i - 40) : i + 60]!r} -> {new[max(0, i - 40) : i + 60]!r}"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=DirectoryBasedExampleDatabase(DATABASE) if DATABASE else None,
    derandomize=bool(os.environ.get("CI")) and not DATABASE,
    print_blob=True,
    phases=list(Phase) if SHRINK else [phase for phase in Phase if phase is not Phase.shrink],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(case=CASES)
def test_mutated_plan_is_reported_never_crashes_never_written(fuzz_root: Path, case: Case) -> None:
    example = Path(tempfile.mkdtemp(dir=fuzz_root))
    try:
        check_case(example / "work", example / "cache", case)
    finally:
        shutil.rmtree(example, ignore_errors=True)


def check_case(work: Path, cache: Path, case: Case) -> None:
    """Run the commands ``case`` asks for in ``work``, on a mutated copy of the plan, with the cache in ``cache``."""
    write_mutated_copy(work, case.mutations)
    plan, out = work / PLAN, work / "out"
    before = snapshot(plan)
    no_cache = {"STRATMAP_NO_CACHE": "1", "STRATMAP_CACHE_DIR": str(cache)}
    with_cache = {"STRATMAP_NO_CACHE": "", "STRATMAP_CACHE_DIR": str(cache)}

    def unchanged(after: str) -> None:
        assert snapshot(plan) == before, f"{after} changed, added or removed a file of the plan copy"
        extra = sorted({p.name for p in work.iterdir()} - {"data", "out", "out2"})
        assert not extra, f"{after} wrote {extra} into the folder it ran in"
        assert files_under(work / "data") == SHIPPED, f"{after} wrote into data/"

    # validate, as JSON: the reference every other run is compared with
    reference = run(["validate", "--format", "json", str(PLAN)], work, no_cache)
    check_clean_exit(reference)
    located = check_json_report(reference, work)
    valid = reference.code == 0
    event("the mutated plan validates" if valid else "the mutated plan does not validate")
    for rule in sorted({rule for _, rule in located}):
        event(f"reported {rule}")
    unchanged("validate")
    assert not cache.exists(), "STRATMAP_NO_CACHE=1, yet a cache was written"

    # validate, as text or GitHub annotations: the same problems, each located
    second = run(["validate", "--format", case.report, str(PLAN)], work, no_cache)
    check_clean_exit(second)
    assert second.code == reference.code, f"--format {case.report} exits differently from --format json"
    if case.report == "text":
        assert check_text_report(second.out) == located, "text and JSON report different problems"
    else:
        assert check_github_report(second.out, work) == located, "GitHub and JSON report different problems"
    unchanged(f"validate --format {case.report}")

    # the cache, cold then warm, answers exactly as the files do
    env = no_cache
    if case.cache:
        env = with_cache
        for state in ("cold", "warm"):
            cached = run(["validate", "--format", "json", str(PLAN)], work, with_cache)
            check_clean_exit(cached)
            assert cached.code == reference.code, f"exit status differs with a {state} cache"
            assert cached.out == reference.out, f"the report differs with a {state} cache"
            assert cached.err == reference.err, f"standard error differs with a {state} cache"
            unchanged(f"validate with a {state} cache")
        assert files_under(cache), "the cache was not used"

    if case.render is not None:
        done = run(["render", "--format", case.render, "-o", str(out), str(PLAN)], work, env)
        check_clean_exit(done)
        unchanged(f"render --format {case.render}")
        page = {"html": "110.html", "markdown": "110.md"}[case.render]
        if valid:
            event("rendered")
            assert done.code == 0, "render refused a plan that validates"
            written = files_under(out)  # the page, and for HTML each map as an SVG of its own (city, departments)
            maps = [name for name in written if re.fullmatch(r"110-[^/]+-map\.svg", name)]
            assert sorted(written) == sorted([page, *maps]), "render wrote something besides the page and maps"
            assert not maps or case.render == "html", "maps are written beside HTML pages only"
            lines = done.out.splitlines()
            assert lines[0] == f"wrote out/{page}" and sorted(lines[1:]) == sorted(f"wrote out/{m}" for m in maps)
            for name in [page, *maps]:
                check_page(out / name)
            if case.cache:  # the same page with the cache off: output is deterministic
                again = run(["render", "--format", case.render, "-o", str(work / "out2"), str(PLAN)], work, no_cache)
                check_clean_exit(again)
                unchanged(f"render --format {case.render} without the cache")
                assert sorted(files_under(work / "out2")) == sorted(written), "render wrote something else"
                for name in written:
                    assert (work / "out2" / name).read_bytes() == (out / name).read_bytes(), "not deterministic"
        else:
            assert done.code == 1, "render accepted a plan that does not validate"
            assert not out.exists() or not files_under(out), "render wrote a page for a plan that does not validate"
            assert done.err.startswith("stratmap: error: nothing rendered; fix these first:\n")
            assert sorted(check_text_report(done.err.split("\n", 1)[1])) == sorted(located)
    assert not out.exists() or case.render is not None, "something wrote the render folder"

    if case.trace is not None:
        args = ["trace", case.trace, str(PLAN), *(["--format", "json"] if case.trace_json else [])]
        done = run(args, work, env)
        check_clean_exit(done)
        unchanged(f"trace {case.trace}")
        if not valid:
            assert done.code == 1 and done.out == "", "trace traced a plan that does not validate"
            assert done.err.startswith(f"stratmap: error: {PLAN.as_posix()} does not validate; fix these first:\n")
            assert sorted(check_text_report(done.err.split("\n", 1)[1])) == sorted(located)
        elif done.code == 0:
            event("traced")
            assert done.out.strip(), "trace exited 0 but printed nothing"
            if case.trace_json:
                check_trace_json(done, work)
        else:
            assert done.out == "" and done.err.startswith(
                ("stratmap: error: no code", "stratmap: error: no namespace")
            ), "trace failed without saying why"
