"""``stratmap trace`` and ``stratmap coverage``: read-only views of one plan."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from stratmap.cli import (
    EXIT_PROBLEMS,
    FormatOption,
    LangOption,
    NoColorOption,
    PathsArgument,
    ReportFormat,
    YearOption,
    emit,
    fail_usage,
)
from stratmap.commands._shared import open_graph, scores


def trace(
    code: Annotated[str, typer.Argument(help="The code to follow: DP2.2, BP3.1.2, D, SO1; or city:DP2.1, doed:DP2.1.")],
    paths: PathsArgument = None,
    output_format: FormatOption = ReportFormat.text,
    year: YearOption = None,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Follow a code up to the city goal it serves and down to the action plans that move it.

    A code that exists both in the city map and in a department (DP2.1) shows both, each under
    its namespace; qualify it (city:DP2.1, doed:DP2.1) to select one. A KPI with a target or
    actuals shows its target, latest actual, 達成率 and status; a city KPI or objective, the
    status of the department KPIs feeding it.
    Exit status: 0 traced, 1 unknown code or a plan that does not validate, 2 malformed code or usage error.

    Example: stratmap trace DP2.2 --format json
    """
    from stratmap.reporting import Writer, report
    from stratmap.tracing.query import MalformedCode, parse_query
    from stratmap.tracing.trace import closest_codes, find_matches, trace_node

    try:
        query = parse_query(code)
    except MalformedCode as error:
        fail_usage(str(error))
    graph = open_graph(paths, year, no_color)
    if query.namespace is not None and query.namespace not in graph.namespaces():
        sys.stderr.write(
            f"stratmap: no namespace '{query.namespace}' in plan {graph.year}; "
            f"namespaces: {', '.join(graph.namespaces())}\n"
        )
        raise typer.Exit(EXIT_PROBLEMS)
    matches = find_matches(graph, query.code, query.namespace)
    if not matches:
        sys.stderr.write(f"stratmap: no code {query} in plan {graph.year} ({graph.root.as_posix()})\n")
        suggestions = closest_codes(graph, query.code)
        if suggestions:
            sys.stderr.write(f"  closest: {', '.join(suggestions)}\n")
        raise typer.Exit(EXIT_PROBLEMS)
    traces = [trace_node(graph, node) for node in matches]
    scored = scores(graph, output_format)
    writer = Writer.on(sys.stdout, no_color)
    emit(lambda out: report("trace", output_format.value, writer, str(query), graph, traces, scored))


def coverage(
    paths: PathsArgument = None,
    output_format: FormatOption = ReportFormat.text,
    year: YearOption = None,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """List, for each city objective in the themes where a department has a role, the KPIs that feed it.

    City objectives that no department KPI feeds are listed at the end.

    Example: stratmap coverage --format markdown
    """
    from stratmap.reporting import Writer, report
    from stratmap.tracing.coverage import coverage_of

    graph = open_graph(paths, year, no_color)
    result = coverage_of(graph)
    scored = scores(graph, output_format)
    writer = Writer.on(sys.stdout, no_color)
    emit(lambda out: report("coverage", output_format.value, writer, graph, result, scored))
