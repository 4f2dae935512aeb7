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
    from stratmap.reporting.trace_report import trace_trees
    from stratmap.reporting.tree import write_text

    write_text(trace_trees(query, graph, traces, scores), writer.stream, writer.terminal, writer.colour)


def trace_markdown(
    writer: Writer, query: str, graph: PlanGraph, traces: list[Trace], scores: TraceScores | None
) -> None:
    """The traces as Markdown lists."""
    from stratmap.reporting.trace_report import trace_trees
    from stratmap.reporting.tree import write_markdown

    write_markdown(trace_trees(query, graph, traces, scores), writer.stream)


def trace_json(writer: Writer, query: str, graph: PlanGraph, traces: list[Trace], scores: TraceScores | None) -> None:
    """The traces as a JSON document."""
    from stratmap.reporting import trace_report

    _json(writer, trace_report.trace_json(query, graph, traces, scores))


def coverage_text(writer: Writer, graph: PlanGraph, coverage: Coverage, scores: TraceScores | None) -> None:
    """Coverage as trees: rich on a terminal, plain otherwise."""
    from stratmap.reporting.coverage_report import coverage_trees
    from stratmap.reporting.tree import write_text

    write_text(coverage_trees(graph, coverage, scores), writer.stream, writer.terminal, writer.colour)


def coverage_markdown(writer: Writer, graph: PlanGraph, coverage: Coverage, scores: TraceScores | None) -> None:
    """Coverage as Markdown lists."""
    from stratmap.reporting.coverage_report import coverage_trees
    from stratmap.reporting.tree import write_markdown

    write_markdown(coverage_trees(graph, coverage, scores), writer.stream)


def coverage_json(writer: Writer, graph: PlanGraph, coverage: Coverage, scores: TraceScores | None) -> None:
    """Coverage as a JSON document."""
    from stratmap.reporting import coverage_report

    _json(writer, coverage_report.coverage_json(graph, coverage, scores))


def status_text(writer: Writer, view: StatusReport) -> None:
    """The scorecard as a table on a terminal (or in colour), as aligned plain lines otherwise."""
    from stratmap.reporting.status_report import status_tables, write_plain, write_table

    tables = status_tables(view)
    if writer.terminal or writer.colour:
        write_table(tables, writer.stream, writer.colour)
    else:
        write_plain(tables, writer.stream)


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
    from stratmap.reporting.diff_report import diff_report, write_text

    write_text(diff_report(old, new, changes), writer.stream)


def diff_markdown(writer: Writer, old: PlanGraph, new: PlanGraph, changes: list[Change]) -> None:
    """The changes as a Markdown table."""
    from stratmap.reporting.diff_report import diff_report, write_markdown

    write_markdown(diff_report(old, new, changes), writer.stream)


def diff_json(writer: Writer, old: PlanGraph, new: PlanGraph, changes: list[Change]) -> None:
    """The changes as a JSON document."""
    from stratmap.reporting import diff_report

    _json(writer, diff_report.diff_json(old, new, changes))
