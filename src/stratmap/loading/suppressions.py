"""Inline suppression: ``# stratmap: ignore[N001] 原文如此`` silences those rules on that line only.

For a finding that is right in general but wrong for one item the plan writes as its document does
(a numbering gap printed that way). The comment names the rules (codes or names) and, after them, why.
Problems that stop a file loading are never silenced: nothing in that file was checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from stratmap.problems import Finding
from stratmap.rules.catalog import RULES

MARK = b"stratmap: ignore["
_COMMENT = re.compile(r"#\s*stratmap:\s*ignore\[([^\]\n]*)\]")

Suppressions = Mapping[Path, Mapping[int, frozenset[str]]]
"""By file as shown, by 1-based line: the rule codes silenced there."""


def suppressed_on_lines(raw: bytes) -> dict[int, frozenset[str]]:
    """The rule codes each line of a file's bytes silences (names are turned into codes; unknown words
    are left out, so a typo silences nothing)."""
    if MARK not in raw:  # the usual case, decided without decoding
        return {}
    by_name = {rule.name: code for code, rule in RULES.items()}
    found: dict[int, frozenset[str]] = {}
    for number, line in enumerate(raw.decode("utf-8", "replace").split("\n"), start=1):
        for match in _COMMENT.finditer(line):
            words = [word.strip() for word in match.group(1).split(",")]
            codes = {word.upper() if word.upper() in RULES else by_name.get(word, "") for word in words}
            found[number] = found.get(number, frozenset()) | frozenset(codes - {""})
    return found


def without_suppressed(findings: Iterable[Finding], suppressions: Suppressions) -> list[Finding]:
    """The findings not silenced by a comment on their own line."""
    return [
        finding
        for finding in findings
        if finding.rule not in suppressions.get(finding.location.path, {}).get(finding.location.line, frozenset())
    ]
