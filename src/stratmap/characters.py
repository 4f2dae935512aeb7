"""Characters that can make text on screen differ from the text in the file: shared by every check."""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u2060-\u2064\ufeff\U000e0000-\U000e007f]")
"""Invisible and direction marks: soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width
spaces and joiners, left/right marks, word joiner and invisible operators, zero-width no-break space
(a byte order mark anywhere but the start), and tag characters. Two texts that look the same can differ
by one of them: refused in codes, warned about in text."""


def describe(character: str) -> str:
    """``U+200B (ZERO WIDTH SPACE)``."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" ({name})" if name else "")
