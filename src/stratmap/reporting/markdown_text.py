"""Escape text from the data so that Markdown shows it as text, never as markup."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
_LEADING = re.compile(r"^([#+=-]|[0-9]+[.)])")


def escape_inline(text: str) -> str:
    """Text safe inside a Markdown paragraph, list item or table cell: one line, no markup, no HTML."""
    one_line = " ".join(text.split())
    escaped = _SPECIAL.sub(r"\\\1", one_line.replace("&", "&amp;"))
    return _LEADING.sub(r"\\\1", escaped)
