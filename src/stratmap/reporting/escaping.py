"""Escape text from the data, so that it is shown as text and never acts as markup or a forged line."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
_LEADING = re.compile(r"^([#+=-]|[0-9]+[.)])(?=\s|$)")


def escape_inline(text: str) -> str:
    """Text safe inside a Markdown paragraph, list item or table cell: one line, no markup, no HTML."""
    one_line = printable(" ".join(text.split()))
    entities = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _SPECIAL.sub(r"\\\1", entities)
    return _LEADING.sub(r"\\\1", escaped)


def printable(text: str) -> str:
    """Text on one line, with control characters shown as escapes (``\\n``), for terminals and logs."""
    return "".join(ch if ch.isprintable() or ch in " \u3000" else ch.encode("unicode_escape").decode() for ch in text)


def mermaid_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label (``A["..."]``): one line, quotes and markup as entities."""
    one_line = " ".join(text.split())
    for char, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        one_line = one_line.replace(char, entity)
    return one_line


def mermaid_id(anchor: str) -> str:
    """A Mermaid node id for a qualified code: ``doed:BP2.1`` -> ``doed_BP2_1``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", anchor)
