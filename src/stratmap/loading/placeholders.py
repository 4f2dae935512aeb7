"""Placeholders: what ``stratmap init`` writes where a person must write the plan (「待填」).

A value still holding one is an error (S007): a scaffold must not pass as a plan. Items named by a
placeholder are not real either, so coverage and trace leave them out (``Node.is_placeholder``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stratmap.i18n import _
from stratmap.loading.positions import ParsedYaml
from stratmap.problems import Finding, FindingCap, Location

PLACEHOLDER = "待填"
"""The mark init's scaffold puts in every value to fill in (``待填：策略主題``)."""


def placeholder_findings(text: str, parsed: ParsedYaml, display: Path) -> tuple[Finding, ...]:
    """S007 at each value that still holds the placeholder, up to the cap per file.

    Fails: ``name: 待填：策略主題`` (as ``stratmap init`` writes it).
    Passes: ``name: 打造創業搖籃``.
    """
    if PLACEHOLDER not in text:  # the usual case, decided without walking the data
        return ()
    cap = FindingCap()
    found = []
    for path, value in _texts(parsed.data, ()):
        if PLACEHOLDER in value and cap.admits(display, "S007"):
            key = next((str(part) for part in reversed(path) if isinstance(part, str)), "value")
            found.append(cap.keep(Finding(
                "S007", Location(display, *parsed.positions.of_value(path)),
                _("'{key}' still holds the placeholder 「{placeholder}」: {value}").format(
                    key=key, placeholder=PLACEHOLDER, value=value
                ),
                _("write the real value from the plan, or delete the item if the plan has none"),
            )))  # fmt: skip
    return (*found, *cap.summaries())


def _texts(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text value under ``value`` with its data path, in document order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))
