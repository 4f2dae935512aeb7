"""Escape text from the data, so that it is shown as text and never acts as markup or a forged line."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
_LEADING = re.compile(r"^([#+=-]|[0-9]+[.)])")


def escape_inline(text: str) -> str:
    """Text safe inside a Markdown paragraph, list item or table cell: one line, no markup, no HTML."""
    one_line = " ".join(text.split())
    escaped = _SPECIAL.sub(r"\\\1", one_line.replace("&", "&amp;"))
    return _LEADING.sub(r"\\\1", escaped)


def printable(text: str) -> str:
    """Text on one line, with control characters shown as escapes (``\\n``), for terminals and logs."""
    return "".join(ch if ch.isprintable() or ch in " \u3000" else ch.encode("unicode_escape").decode() for ch in text)
