"""Escape text from the data, so that it is shown as text and never acts as markup or a forged line."""

from __future__ import annotations

import re
import string

_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
_LEADING = re.compile(r"^([#+=-]|[0-9]+[.)])(?=\s|$)")
_SCHEME = re.compile(r":(?=//)")
_WWW = re.compile(r"(www)\.", re.IGNORECASE)
_MENTION = re.compile(r"@")
_REFERENCE = re.compile(r"(#|\bGH-)(?=[0-9])", re.IGNORECASE)
BREAK = "<!-- -->"
"""An empty HTML comment: invisible, yet it splits the text GitHub scans for @mentions and #123 references."""

_MERMAID_PLAIN = frozenset(" .,-_/")
"""ASCII punctuation left as it is in a Mermaid label; every other one becomes an entity code."""
_MERMAID_PLACEHOLDERS = {"\ufb02\u00b0": "\ufb02\u2060\u00b0", "\u00b6\u00df": "\u00b6\u2060\u00df"}
"""``ﬂ°`` and ``¶ß`` are Mermaid's own stand-ins for ``&`` and ``;`` while it parses: a word joiner splits them."""


def escape_inline(text: str) -> str:
    """Text safe inside a Markdown paragraph, list item or table cell: one line, no markup, no HTML.

    Autolinks (``https://...``, ``www.``, e-mail addresses) and GitHub's @mentions and ``#123``
    references are broken too, so a name can never link elsewhere or notify anyone.
    """
    one_line = printable(" ".join(text.split()))
    entities = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _LEADING.sub(r"\\\1", _SPECIAL.sub(r"\\\1", entities))
    return neutralise_links(escaped)


def neutralise_links(markdown: str) -> str:
    """Break GFM autolinks, @mentions and ``#123`` references in already escaped Markdown text.

    GitHub finds mentions and references in the rendered page, after entities are decoded, so an
    entity (``&#64;``) is not enough there: an empty comment after the ``@`` or ``#`` is.
    """
    text = _REFERENCE.sub(lambda match: match.group(1) + BREAK, markdown)  # first: the entities below hold '#'
    text = _MENTION.sub("@" + BREAK, text)
    text = _SCHEME.sub("&#58;", text)
    return _WWW.sub(r"\1&#46;", text)


def printable(text: str) -> str:
    """Text on one line, with control characters shown as escapes (``\\n``), for terminals and logs."""
    return "".join(ch if ch.isprintable() or ch in " \u3000" else ch.encode("unicode_escape").decode() for ch in text)


def mermaid_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label (``A["..."]``): one line, no directive, entity or markup.

    Mermaid obeys ``%%{init: ...}%%`` anywhere in a diagram and decodes ``#quot;``-style entity
    codes, so ``#``, ``%``, quotes, brackets and every other ASCII punctuation but ``.,-_/`` (and
    anything unprintable) are written as numeric entity codes (``#35;``), which it shows as text.
    Mermaid decodes its own stand-ins (``ﬂ°°60¶ß`` shows ``<``) once more after that: they are split.
    """
    one_line = " ".join(text.split())
    for placeholder, split in _MERMAID_PLACEHOLDERS.items():
        one_line = one_line.replace(placeholder, split)
    return "".join(f"#{ord(ch)};" if _mermaid_entity_wanted(ch) else ch for ch in one_line)


def _mermaid_entity_wanted(ch: str) -> bool:
    if ch in string.punctuation:
        return ch not in _MERMAID_PLAIN
    return not ch.isprintable()


def mermaid_id(anchor: str) -> str:
    """A Mermaid node id for a qualified code: ``doed:BP2.1`` -> ``doed_BP2_1``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", anchor)
