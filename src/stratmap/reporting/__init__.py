"""Report stage: print a check's result as text, JSON, GitHub annotations or SARIF."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from stratmap.pipeline import CheckResult

Reporter = Callable[[CheckResult, TextIO, bool], None]
"""A reporter writes ``result`` to a stream; the flag asks for colour."""


def reporter_for(name: str) -> Reporter:
    """The reporter for a ``--format`` value."""
    if name == "json":
        from stratmap.reporting.json_report import report
    elif name == "github":
        from stratmap.reporting.github import report
    elif name == "sarif":
        from stratmap.reporting.sarif import report
    else:
        from stratmap.reporting.text import report
    return report
