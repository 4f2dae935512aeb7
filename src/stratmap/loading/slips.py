"""Full-width punctuation that a Chinese input method types where YAML syntax is expected.

``：，［］｛｝－`` and the ideographic space U+3000 look like YAML's ``:,[]{}-`` and a space, but YAML
reads them as text: ``unit： 億元`` is no key and ``［DP2.2］`` no list. Such a slip either breaks the
parse, and libyaml then blames a later line in its own words, or silently changes what the file means.
Only a character standing where syntax stands is a candidate (key position, indentation, flow-collection
punctuation, list dash, a ``，`` between the unquoted items of a ``[...]`` list), never one inside text; the
reader then confirms each candidate against the parse. Messages are in the language of the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from stratmap.i18n import _


def might_slip(text: str) -> bool:
    """Whether ``text`` may hold a slip; False for ordinary Chinese text, quickly (``str.find`` is far faster
    than a regular expression, and the shipped plan holds no candidate at all)."""
    return (
        any(char in text for char in _ALWAYS_LOOKED_AT)
        or any(True for _index in _after_ascii(text))
        or any(True for _index in _in_flow_lists(text))
    )


_ALWAYS_LOOKED_AT = "［］｛｝－\u3000"


def _after_ascii(text: str) -> Iterator[int]:
    """Each ``：`` after an ASCII character, each ``，`` between ASCII characters: in Chinese text they
    stand between Chinese characters, in a slip after a key or between codes."""
    for char in "：，":
        index = text.find(char)
        while index > 0:
            before = text[index - 1]
            if (before.isascii() and before != "\n") or before == "\u3000":
                after = text[index + 1 : index + 3].lstrip(" \u3000")
                if char == "：" or (after and after[0].isascii() and after[0].isalnum()):
                    yield index
            index = text.find(char, index + 1)


def _in_flow_lists(text: str) -> Iterator[int]:
    """Each ``，`` with a ``[`` before it on its line: in ``tags: [非營業基金考核指標，府級]`` it parts two items
    of Chinese words, where YAML reads one item holding the comma."""
    index = text.find("，")
    while index > 0:
        line_start = text.rfind("\n", 0, index) + 1
        if "[" in text[line_start:index] or "［" in text[line_start:index]:
            yield index
        index = text.find("，", index + 1)


_LEAD = "[ \u3000]*(?:[-－][ \u3000]+)*"
"""Indentation and list dashes before a line's content."""
_SPACE_BEFORE = re.compile(" *")
_DASH_BEFORE = re.compile(_LEAD)
_KEY_BEFORE = re.compile(f"(?:^{_LEAD}|[{{,｛，][ \u3000]*)([a-z_][A-Za-z0-9_]*)[ \u3000]*\\Z")
_ITEM_BEFORE = re.compile("([\\[{,［｛，]|[:：] )[ \u3000]*([A-Za-z0-9_][A-Za-z0-9_.\\-]*)[ \u3000]*\\Z")
_ITEM_AFTER = re.compile("[ \u3000]*[A-Za-z0-9_]")
_WORDS_BEFORE = re.compile(
    "[\\[［,，][ \u3000]*([^\\[\\]［］{}｛｝,，:：'\"#&*!|>%@`\\s][^\\[\\]［］{}｛｝,，:：'\"#\n]*)\\Z"
)
"""An unquoted item of a flow list (after its ``[`` or ``,``) up to a ``，``: words, not only a code."""
_WORDS_AFTER = re.compile("[ \u3000]*[^\\s\\]］,，#]")
_OPEN_BEFORE = re.compile(f"(?:^{_LEAD}|[:：][ \u3000]+|[\\[{{,][ \u3000]*)\\Z")
_CLOSE_AFTER = {
    "［": re.compile("[^\n]*([\\]］])[ \u3000]*(?:[ \t]#[^\n]*)?\\Z"),
    "｛": re.compile("[^\n]*([}｝])[ \u3000]*(?:[ \t]#[^\n]*)?\\Z"),
}
_CODE_END = re.compile("[A-Za-z0-9_.\\-]\\Z")
_HALF_WIDTH = {"：": ":", "，": ",", "［": "[", "］": "]", "｛": "{", "｝": "}", "－": "-", "\u3000": " "}


@dataclass(frozen=True)
class Slip:
    """A full-width character where YAML syntax is expected.

    ``index`` is where it stands; ``start`` where the YAML token it spoils begins, which is where the parse
    puts a scalar if the slip went unnoticed (None for a closing bracket, never at a token's start);
    ``repairs`` the indices to turn half-width, ``space`` whether a space must follow the repaired colon.
    """

    index: int
    kind: str
    start: int | None
    repairs: tuple[int, ...]
    space: bool = False


def find_slips(text: str) -> list[Slip]:
    """Every candidate slip in ``text``, in order of place."""
    indices = sorted({*_after_ascii(text), *_in_flow_lists(text)})
    for char in _ALWAYS_LOOKED_AT:
        index = text.find(char)
        while index >= 0:
            indices.append(index)
            index = text.find(char, index + 1)
    found = []
    for index in sorted(indices):
        line_start = text.rfind("\n", 0, index) + 1
        line_end = text.find("\n", index)
        slip = _slip_at(text, index, text[line_start:index], text[index + 1 : len(text) if line_end < 0 else line_end])
        if slip is not None:
            found.append(slip)
    return found


def _slip_at(text: str, index: int, before: str, after: str) -> Slip | None:
    char = text[index]
    if char == "\u3000":
        if not _SPACE_BEFORE.fullmatch(before):
            return None
        run = after[: len(after) - len(after.lstrip(" \u3000"))]
        spaces = (index + 1 + offset for offset, ch in enumerate(run) if ch == "\u3000")
        return Slip(index, "space", index, (index, *spaces))
    if char == "－":
        if not _DASH_BEFORE.fullmatch(before) or not (after == "" or after[0] in " \u3000"):
            return None
        return Slip(index, "dash", index, (index,))
    if char == "：":
        key = _KEY_BEFORE.search(before)
        if key is None:
            return None
        start = index - len(before) + key.start(1)
        return Slip(index, "colon", start, (index,), space=not after or after[0] not in " \u3000")
    if char == "，":
        return _comma_at(index, before, after)
    if char in _CLOSE_AFTER:
        close = _CLOSE_AFTER[char].match(after)
        if close is None or not _OPEN_BEFORE.search(before):
            return None
        end = index + 1 + close.start(1)
        repairs = (index, end) if text[end] in _HALF_WIDTH else (index,)
        return Slip(index, "bracket" if char == "［" else "brace", index, repairs)
    if _CODE_END.search(before):  # a closing bracket or brace right after a code
        return Slip(index, "bracket" if char == "］" else "brace", None, (index,))
    return None


def _comma_at(index: int, before: str, after: str) -> Slip | None:
    item = _ITEM_BEFORE.search(before)
    if item is not None and _ITEM_AFTER.match(after):
        # after ': ' the item may be a block value, where '，' is text: only a failed parse can tell
        item_start = None if item.group(1)[0] in ":：" else index - len(before) + item.start(2)
        return Slip(index, "comma", item_start, (index,))
    words = _WORDS_BEFORE.search(before)
    if words is not None and _WORDS_AFTER.match(after):
        # the parse confirms it only where a list item starts at these words (not inside text)
        return Slip(index, "words_comma", index - len(before) + words.start(1), (index,))
    return None


def repaired(text: str, slips: list[Slip], wide: bool = False) -> tuple[str, int]:
    """``text`` with ``slips`` turned half-width, and how many characters that inserted; ``wide`` turns each
    ideographic space into two spaces, as wide as it shows."""
    chars = list(text)
    inserted = 0
    for slip in slips:
        for index in slip.repairs:
            chars[index] = "  " if wide and chars[index] == "\u3000" else _HALF_WIDTH.get(chars[index], chars[index])
            inserted += len(chars[index]) - 1
        if slip.space:
            chars[slip.index] += " "
            inserted += 1
    return "".join(chars), inserted


def slip_message(slip: Slip) -> str:
    """The one-line fix."""
    if slip.kind == "colon" and slip.space:
        return _("replace the full-width colon with ': ', a colon and a space")
    if slip.kind == "colon":
        return _("replace the full-width colon with ':'")
    if slip.kind in ("comma", "words_comma"):
        return _("replace the full-width comma with ','")
    if slip.kind == "bracket":
        return _("replace the full-width brackets with '[' and ']'")
    if slip.kind == "brace":
        return _("replace the full-width braces with '{' and '}'")
    if slip.kind == "dash":
        return _("replace the full-width hyphen-minus with '-'")
    return _("replace the full-width spaces in the indentation with ordinary spaces")


def slip_hint(slip: Slip) -> str:
    """Why it happened, and for a comma between words what to write when it belongs to the text."""
    if slip.kind == "words_comma":
        return _(
            "a Chinese input method typed full-width punctuation; if the '，' belongs to the text, "
            "put the item in quotes"
        )
    return _("a Chinese input method typed full-width punctuation")
