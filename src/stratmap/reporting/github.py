"""GitHub Actions workflow commands: each problem becomes an annotation on the pull request."""

from __future__ import annotations

from typing import TextIO

from stratmap.reporting.text import plan_summary
from stratmap.results import CheckResult


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(result: CheckResult, out: TextIO, colour: bool) -> None:
    """``::error file=...,line=...,col=...,title=...::message`` per problem, then the summaries."""
    for p in result.problems:
        message = p.message + (f" ({p.hint})" if p.hint else "")
        out.write(
            f"::{p.severity.value} file={_escape_property(p.location.path.as_posix())},"
            f"line={p.location.line},col={p.location.column},"
            f"title={_escape_property(f'{p.rule} {p.name}')}::{_escape_data(message)}\n"
        )
    for plan in result.plans:
        out.write(plan_summary(plan) + "\n")
