"""``stratmap trace`` and ``stratmap coverage``: read-only views of one plan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from stratmap.commands._shared import traced_plan
from stratmap.commands.options import (
    EXIT_PROBLEMS,
    FormatOption,
    LangOption,
    NoColorOption,
    PathsArgument,
    QuietOption,
    ReportFormat,
    YearOption,
    complain,
    emit,
    fail_usage,
)
from stratmap.i18n import N_, _


def plan_codes(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of trace's code: the codes of the plan trace would read (its PATHs and --year as
    typed so far), bare and qualified. Nothing when there is no plan or it does not validate; never an error."""
    try:
        return _codes_of_plan(ctx.params.get("paths"), ctx.params.get("year"), incomplete)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return []


def _codes_of_plan(paths: list[Path] | None, year: int | None, incomplete: str) -> list[str]:
    """The codes of the plan, from its trace index when the cache holds one for its files."""
    from stratmap.commands._shared import selector, stored_plan
    from stratmap.commands.options import config
    from stratmap.linking.graph import PlanGraph
    from stratmap.pipeline import check_plan, read_plan

    read = read_plan(selector().one(paths, year), Path.cwd(), config().settings())
    stored = stored_plan(read)
    graph: PlanGraph | None = stored.graph if stored is not None else None
    if stored is None:
        plan = check_plan(read.folder, Path.cwd(), read.settings, keep_graph=True, read=read)
        graph = plan.graph if not plan.errors else None
    if graph is None:
        return []
    codes = {name for node in graph.all_nodes() for name in (node.code.code, str(node.code))}
    return sorted(code for code in codes if code.startswith(incomplete))


def trace(
    code: Annotated[
        str,
        typer.Argument(
            metavar="<CODE>",
            help=N_("The code to follow: DP2.2, BP3.1.2, D, SO1; or city:DP2.1, doed:DP2.1."),
            autocompletion=plan_codes,
        ),
    ],
    paths: PathsArgument = None,
    output_format: FormatOption = ReportFormat.text,
    year: YearOption = None,
    quiet: QuietOption = False,
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
    graph, scored = traced_plan(paths, year, output_format, no_color)
    if query.namespace is not None and query.namespace not in graph.namespaces():
        complain(
            _("no namespace '{namespace}' in plan {year}; namespaces: {namespaces}").format(
                namespace=query.namespace, year=graph.year, namespaces=_(", ").join(graph.namespaces())
            )
        )
        raise typer.Exit(EXIT_PROBLEMS)
    matches = find_matches(graph, query.code, query.namespace)
    if not matches:
        complain(
            _("no code {code} in plan {year} ({folder})").format(
                code=query, year=graph.year, folder=graph.root.as_posix()
            )
        )
        suggestions = closest_codes(graph, query.code)
        if suggestions:
            sys.stderr.write("  " + _("closest: {codes}").format(codes=_(", ").join(suggestions)) + "\n")
        raise typer.Exit(EXIT_PROBLEMS)
    traces = [trace_node(graph, node) for node in matches]
    writer = Writer.on(sys.stdout, no_color)
    emit(lambda out: report("trace", output_format.value, writer, str(query), graph, traces, scored))


def coverage(
    paths: PathsArgument = None,
    output_format: FormatOption = ReportFormat.text,
    year: YearOption = None,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """List, for each city objective in the themes where a department has a role, the KPIs that feed it.

    City objectives that no department KPI feeds are listed at the end.

    Example: stratmap coverage --format markdown
    """
    from stratmap.reporting import Writer, report
    from stratmap.tracing.coverage import coverage_of

    graph, scored = traced_plan(paths, year, output_format, no_color)
    result = coverage_of(graph)
    writer = Writer.on(sys.stdout, no_color)
    emit(lambda out: report("coverage", output_format.value, writer, graph, result, scored))
