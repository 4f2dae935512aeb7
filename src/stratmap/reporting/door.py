"""The writer function of each (command, format) the registry in ``stratmap.reporting`` names.

Each takes the command's ``Writer`` and what the command found; the format is chosen by the registry,
never here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stratmap.diffing.diff import Change
    from stratmap.linking.graph import PlanGraph
    from stratmap.reporting import Writer
    from stratmap.reporting.status_report import StatusReport
    from stratmap.results import CheckResult
    from stratmap.tracing.coverage import Coverage
    from stratmap.tracing.scores import TraceScores
    from stratmap.tracing.trace import Trace


def _json(writer: Writer, document: dict[str, Any]) -> None:
    """A JSON document, indented, keys in the order built."""
    json.dump(document, writer.stream, ensure_ascii=False, indent=2)
    writer.stream.write("\n")


def check_text(writer: Writer, result: CheckResult) -> None:
    """Every problem with its hint, then the plans' summaries and a total."""
    from stratmap.reporting.text import report

    report(result, writer.stream, writer.colour)


def check_quiet(writer: Writer, result: CheckResult) -> None:
    """Only the problems, one line each (``--quiet``)."""
    from stratmap.reporting.text import problem_line

    writer.stream.writelines(problem_line(p) + "\n" for p in result.problems)


def check_json(writer: Writer, result: CheckResult) -> None:
    """The check as a stable JSON document."""
    from stratmap.reporting.json_report import as_json

    _json(writer, as_json(result))


def check_github(writer: Writer, result: CheckResult) -> None:
    """GitHub Actions annotations."""
    from stratmap.reporting.github import report

    report(result, writer.stream, writer.colour)


def check_sarif(writer: Writer, result: CheckResult) -> None:
    """A SARIF 2.1.0 log."""
    from stratmap.reporting.sarif import as_sarif

    _json(writer, as_sarif(result))


def trace_text(writer: Writer, query: str, graph: PlanGraph, traces: list[Trace], scores: TraceScores | None) -> None:
    """The traces as trees: rich on a terminal, plain otherwise."""
    from stratmap.reporting.trace_report import write_trace

    write_trace(query, graph, traces, "text", writer.stream, writer.terminal, writer.colour, scores)


def trace_markdown(
    writer: Writer, query: str, graph: PlanGraph, traces: list[Trace], scores: TraceScores | None
) -> None:
    """The traces as Markdown lists."""
    from stratmap.reporting.trace_report import write_trace

    write_trace(query, graph, traces, "markdown", writer.stream, writer.terminal, writer.colour, scores)


def trace_json(writer: Writer, query: str, graph: PlanGraph, traces: list[Trace], scores: TraceScores | None) -> None:
    """The traces as a JSON document."""
    from stratmap.reporting import trace_report

    _json(writer, trace_report.trace_json(query, graph, traces, scores))


def coverage_text(writer: Writer, graph: PlanGraph, coverage: Coverage, scores: TraceScores | None) -> None:
    """Coverage as trees: rich on a terminal, plain otherwise."""
    from stratmap.reporting.coverage_report import write_coverage

    write_coverage(graph, coverage, "text", writer.stream, writer.terminal, writer.colour, scores)


def coverage_markdown(writer: Writer, graph: PlanGraph, coverage: Coverage, scores: TraceScores | None) -> None:
    """Coverage as Markdown lists."""
    from stratmap.reporting.coverage_report import write_coverage

    write_coverage(graph, coverage, "markdown", writer.stream, writer.terminal, writer.colour, scores)


def coverage_json(writer: Writer, graph: PlanGraph, coverage: Coverage, scores: TraceScores | None) -> None:
    """Coverage as a JSON document."""
    from stratmap.reporting import coverage_report

    _json(writer, coverage_report.coverage_json(graph, coverage, scores))


def status_text(writer: Writer, view: StatusReport) -> None:
    """The scorecard as a table on a terminal (or in colour), as plain lines otherwise."""
    from stratmap.reporting.status_report import write_status

    write_status(view, "text", writer.stream, writer.colour)


def status_markdown(writer: Writer, view: StatusReport) -> None:
    """The scorecard as Markdown tables."""
    from stratmap.reporting import status_report

    writer.stream.write(status_report.status_markdown(view))


def status_json(writer: Writer, view: StatusReport) -> None:
    """The scorecard as a JSON document."""
    from stratmap.reporting import status_report

    _json(writer, status_report.status_json(view))


def diff_text(writer: Writer, old: PlanGraph, new: PlanGraph, changes: list[Change]) -> None:
    """One line per change."""
    from stratmap.reporting.diff_report import write_diff

    write_diff(old, new, changes, "text", writer.stream)


def diff_markdown(writer: Writer, old: PlanGraph, new: PlanGraph, changes: list[Change]) -> None:
    """The changes as a Markdown table."""
    from stratmap.reporting.diff_report import write_diff

    write_diff(old, new, changes, "markdown", writer.stream)


def diff_json(writer: Writer, old: PlanGraph, new: PlanGraph, changes: list[Change]) -> None:
    """The changes as a JSON document."""
    from stratmap.reporting import diff_report

    _json(writer, diff_report.diff_json(old, new, changes))
