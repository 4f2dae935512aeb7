"""Print (CSS paged media): the values the page's ``@page`` rules print in its margins, made safe for CSS.

The running header names the department and the year, and the footer says 「第 n 頁／共 m 頁」; Chromium
(131 and later) draws ``@page`` margin boxes, so print and ``--format pdf`` carry them on every page.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from stratmap.i18n import N_
from stratmap.rendering.words import Words

_COUNTERS = ("{page}", "{pages}")
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;()-")


def css_string(value: object) -> Markup:
    """``value`` as a quoted CSS string: every character but plain letters, digits and a few marks is
    written as a CSS escape, so nothing in the data can end the string, the rule or the ``<style>`` element.
    Each escape ends with the one space CSS reads as its end, so a space after it is kept."""
    text = str(value)
    return Markup('"' + "".join(ch if ch in _PLAIN else f"\\{ord(ch):x} " for ch in text) + '"')


def page_numbers(words: Words) -> Markup:
    """The CSS ``content`` of the page-number box: ``"第 " counter(page) " 頁／共 " counter(pages) " 頁"``."""
    parts = re.split(r"(\{pages?\})", words(N_("Page {page} of {pages}")))
    return Markup(
        " ".join(f"counter({part[1:-1]})" if part in _COUNTERS else css_string(part) for part in parts if part)
    )
