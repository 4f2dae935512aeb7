"""The ``stratmap`` command line. Thin: it fills options, runs the pipeline, picks a reporter."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO

import typer

from stratmap import __version__

if TYPE_CHECKING:
    from stratmap.linking.graph import PlanGraph

app = typer.Typer(
    name="stratmap",
    help="Keep a strategy map and its balanced scorecards as YAML files: validate, trace, render.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class ValidateFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    github = "github"


class TraceFormat(StrEnum):
    """Output formats of ``trace`` and ``coverage``."""

    text = "text"
    json = "json"
    markdown = "markdown"


PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Plan folders (data/110) or data folders (data/). Default: the repository's data/.", show_default=False
    ),
]
YearOption = Annotated[
    int | None, typer.Option("--year", help="Plan year to use when several exist (default: the latest).")
]


def _fail_usage(message: str) -> NoReturn:
    sys.stderr.write(f"stratmap: error: {message}\n")
    raise typer.Exit(EXIT_USAGE)


def _emit(write: Callable[[TextIO], None]) -> None:
    """Write a command's result to standard output; a reader that went away is not an error."""
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def _colour_wanted(stream: object) -> bool:
    # no-color.org: NO_COLOR set to any non-empty value turns colour off.
    return not os.environ.get("NO_COLOR") and bool(getattr(stream, "isatty", lambda: False)())


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"stratmap {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Keep a strategy map and its balanced scorecards as YAML files: validate, trace, render."""


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Plan folders (data/110) or data folders (data/). Default: the repository's data/.", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check the strategy files: YAML, schemas and every cross-file reference.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage error.

    Example: stratmap validate data/110 --format github
    """
    from stratmap.config import Settings
    from stratmap.loading.discovery import UsageError
    from stratmap.pipeline import check_paths
    from stratmap.reporting import reporter_for

    try:
        result = check_paths(list(paths or []), Path.cwd(), Settings())
    except UsageError as error:
        _fail_usage(str(error))
    _emit(lambda out: reporter_for(output_format.value)(result, out, _colour_wanted(out)))
    raise typer.Exit(result.exit_code(strict))


def _open_plan(paths: list[Path] | None, year: int | None) -> PlanGraph:
    """The linked plan a read-only command works on; validation errors end the command (exit 1)."""
    from stratmap.config import Settings
    from stratmap.loading.discovery import UsageError
    from stratmap.pipeline import CheckResult, open_plan
    from stratmap.reporting import reporter_for

    try:
        plan = open_plan(list(paths or []), year, Path.cwd(), Settings())
    except UsageError as error:
        _fail_usage(str(error))
    if plan.errors or plan.graph is None:
        sys.stderr.write(f"stratmap: {plan.folder.root.as_posix()} does not validate; fix these first:\n")
        reporter_for("text")(CheckResult([plan]), sys.stderr, _colour_wanted(sys.stderr))
        raise typer.Exit(EXIT_PROBLEMS)
    return plan.graph


@app.command()
def trace(
    code: Annotated[str, typer.Argument(help="The code to follow: DP2.2, BP3.1.2, D, SO1; or city:DP2.1, doed:DP2.1.")],
    paths: PathsArgument = None,
    output_format: Annotated[TraceFormat, typer.Option("--format", "-f", help="Output format.")] = TraceFormat.text,
    year: YearOption = None,
) -> None:
    """Follow a code up to the city goal it serves and down to the action plans that move it.

    A code that exists both in the city map and in a department (DP2.1) shows both, each under
    its namespace; qualify it (city:DP2.1, doed:DP2.1) to select one.
    Exit status: 0 traced, 1 unknown code or a plan that does not validate, 2 malformed code or usage error.

    Example: stratmap trace DP2.2 --format json
    """
    from stratmap.tracing.query import MalformedCode, parse_query
    from stratmap.tracing.trace import closest_codes, find_matches, trace_node

    try:
        query = parse_query(code)
    except MalformedCode as error:
        _fail_usage(str(error))
    graph = _open_plan(paths, year)
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
    from stratmap.reporting.trace_report import write_trace

    traces = [trace_node(graph, node) for node in matches]
    _emit(
        lambda out: write_trace(str(query), graph, traces, output_format.value, out, out.isatty(), _colour_wanted(out))
    )


@app.command()
def coverage(
    paths: PathsArgument = None,
    output_format: Annotated[TraceFormat, typer.Option("--format", "-f", help="Output format.")] = TraceFormat.text,
    year: YearOption = None,
) -> None:
    """List, for each city objective in the themes where a department has a role, the KPIs that feed it.

    City objectives that no department KPI feeds are listed at the end.

    Example: stratmap coverage --format markdown
    """
    from stratmap.reporting.coverage_report import write_coverage
    from stratmap.tracing.coverage import coverage_of

    graph = _open_plan(paths, year)
    result = coverage_of(graph)
    _emit(lambda out: write_coverage(graph, result, output_format.value, out, out.isatty(), _colour_wanted(out)))


class RenderFormat(StrEnum):
    """Output formats of ``render``."""

    html = "html"
    markdown = "markdown"


@app.command()
def render(
    paths: PathsArgument = None,
    output_format: Annotated[
        RenderFormat, typer.Option("--format", "-f", help="html or markdown.")
    ] = RenderFormat.html,
    year: Annotated[
        int | None, typer.Option("--year", help="Render this plan year only (default: every plan).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output folder (default: build/<format>/).")
    ] = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Folder of templates overriding the built-in ones by name.")
    ] = None,
) -> None:
    """Render the strategy maps and balanced scorecards of each plan as one HTML or Markdown page.

    Writes <output>/<year>.html or <output>/<year>.md, each replaced whole; nothing is rendered
    when a plan does not validate. The output folder may not overlap the strategy data.

    Example: stratmap render --format html -o build/html
    """
    from jinja2 import TemplateError, TemplateSyntaxError

    from stratmap.config import Settings
    from stratmap.files import UnsafeOutput, check_output_folder
    from stratmap.loading.discovery import UsageError, find_plans
    from stratmap.pipeline import CheckResult, check_plan
    from stratmap.rendering.render import render_pages, write_pages
    from stratmap.reporting import reporter_for

    target = output if output is not None else Path("build") / output_format.value
    if templates is not None and not templates.is_dir():
        _fail_usage(f"--templates {templates}: no such folder")
    try:
        folders = find_plans(list(paths or []), Path.cwd())
        if year is not None:
            folders = [folder for folder in folders if folder.name == str(year)]
            if not folders:
                raise UsageError(f"no plan for year {year}")
        check_output_folder(target, [folder.root for folder in folders])
    except (UsageError, UnsafeOutput) as error:
        _fail_usage(str(error))
    results = [check_plan(folder, Path.cwd(), Settings()) for folder in folders]
    failed = CheckResult([r for r in results if r.errors or r.graph is None])
    if failed.plans:
        sys.stderr.write("stratmap: nothing rendered; fix these first:\n")
        reporter_for("text")(failed, sys.stderr, _colour_wanted(sys.stderr))
        raise typer.Exit(EXIT_PROBLEMS)
    try:
        pages = render_pages([r.graph for r in results if r.graph is not None], output_format.value, templates)
    except TemplateSyntaxError as error:
        _fail_usage(f"template error: {error.filename or error.name}:{error.lineno}: {error.message}")
    except TemplateError as error:
        _fail_usage(f"template error: {error.message or error}")
    try:
        written = write_pages(pages, target)
    except OSError as error:
        _fail_usage(f"cannot write to {target}: {error.strerror or error}")
    _emit(lambda out: out.writelines(f"wrote {path.as_posix()}\n" for path in written))


@app.command()
def schema(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the schemas into.")] = Path("schemas"),
) -> None:
    """Write the JSON Schema of each kind of strategy file (plan, city map, department, theme).

    Editors use them through the '# yaml-language-server: $schema=...' line of each data file.

    Example: stratmap schema -o schemas
    """
    from stratmap.schema_export import write_schemas

    try:
        written = write_schemas(output)
    except OSError as error:
        _fail_usage(f"cannot write schemas to {output}: {error.strerror or error}")
    for path in written:
        sys.stdout.write(f"wrote {path.as_posix()}\n")


def main() -> None:
    """Console entry point: run the app; never show a traceback to the user."""
    # stratmap's models need no third-party Pydantic plugin; looking them up costs ~20 ms of start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("stratmap: interrupted\n")
        sys.exit(130)
    except SystemExit as done:
        _flush_quietly()
        raise done
    except BrokenPipeError:  # the reader went away (stratmap ... | head): not stratmap's failure
        _silence_stdout()
        sys.exit(EXIT_OK)
    except OSError as error:  # the environment failed us: a full disk, an unwritable terminal
        _silence_stdout()
        sys.stderr.write(f"stratmap: error: {error.strerror or error}\n")
        sys.exit(EXIT_USAGE)
    except Exception as error:  # noqa: BLE001 - last resort: a bug must not print a traceback
        sys.stderr.write(
            f"stratmap: internal error: {type(error).__name__}: {error}\nPlease report this with the command you ran.\n"
        )
        sys.exit(EXIT_INTERNAL)


def _flush_quietly() -> None:
    """Flush standard output before exiting, so a closed pipe is noticed here and not at shutdown."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as error:
        _silence_stdout()
        sys.stderr.write(f"stratmap: error: {error.strerror or error}\n")
        sys.exit(EXIT_USAGE)


def _silence_stdout() -> None:
    """Point standard output at the null device so Python's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
