"""The ``stratmap`` command line. Thin: it reads options and configuration, runs a stage, picks a reporter.

Every command imports what it needs inside its own body, so ``stratmap --help`` stays fast.
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO

import typer

from stratmap import __version__

if TYPE_CHECKING:
    from stratmap.config import Config
    from stratmap.linking.graph import PlanGraph
    from stratmap.tracing.scores import TraceScores

app = typer.Typer(
    name="stratmap",
    help="Keep a strategy map and its balanced scorecards as YAML files: validate, trace, render.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class ValidateFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class ReportFormat(StrEnum):
    """Output formats of ``trace``, ``coverage`` and ``diff``."""

    text = "text"
    json = "json"
    markdown = "markdown"


class RenderFormat(StrEnum):
    """Output formats of ``render``."""

    html = "html"
    markdown = "markdown"


PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Plan folders (data/110) or data folders (data/). Default: the configured or the repository's data/.",
        show_default=False,
    ),
]
YearOption = Annotated[
    int | None, typer.Option("--year", help="Plan year to use when several exist (default: configured, or latest).")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and results, no summaries.")]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colour, whatever the terminal (as NO_COLOR=1).")]


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


def _list_written(verb: str, paths: list[Path], quiet: bool) -> None:
    """One line per file a command wrote, relative to the current folder; nothing with --quiet."""
    from stratmap.loading.discovery import shown_path

    if not quiet:
        _emit(lambda out: out.writelines(f"{verb} {shown_path(p, Path.cwd()).as_posix()}\n" for p in paths))


def _colour_wanted(stream: object, no_color: bool = False) -> bool:
    # no-color.org: NO_COLOR set to any non-empty value turns colour off.
    return not no_color and not os.environ.get("NO_COLOR") and bool(getattr(stream, "isatty", lambda: False)())


def _config() -> Config:
    """The configuration that applies here (stratmap.toml or [tool.stratmap]); a bad one ends the command."""
    from stratmap.config import ConfigError, load_config

    try:
        return load_config(Path.cwd())
    except ConfigError as error:
        _fail_usage(str(error))


def _paths(paths: list[Path] | None, config: Config) -> list[Path]:
    """The PATHs given, else the configured data folder, else none (the repository's data/)."""
    from stratmap.loading.discovery import shown_path

    if paths:
        return list(paths)
    return [shown_path(config.data, Path.cwd())] if config.data is not None else []


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
    paths: PathsArgument = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Rule code not to report (repeatable).")] = None,
    error: Annotated[
        list[str] | None, typer.Option("--error", help="Rule code to report as an error (repeatable).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Warn of periods ended by this date without an actual (2021-07-15 or 110-07-15)."),
    ] = None,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
) -> None:
    """Check the strategy files: YAML, schemas and every cross-file reference.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or configuration error.

    Example: stratmap validate data/110 --format github
    """
    from stratmap.config import ConfigError
    from stratmap.loading.discovery import UsageError
    from stratmap.pipeline import check_paths
    from stratmap.reporting import reporter_for

    date = None
    if as_of is not None:  # the models are imported only when a date is given: a cached verdict needs none
        from stratmap.model.periods import parse_date

        date = parse_date(as_of)
        if date is None:
            _fail_usage(f"--as-of {as_of}: not a date; write 2021-07-15 or 110-07-15")
    config = _config()
    try:
        settings = config.settings(ignore or [], error or [], as_of=date)
        result = check_paths(_paths(paths, config), Path.cwd(), settings)
    except (UsageError, ConfigError) as failure:
        _fail_usage(str(failure))
    if quiet and output_format is ValidateFormat.text:
        from stratmap.reporting.text import problem_line

        _emit(lambda out: out.writelines(problem_line(p) + "\n" for p in result.problems))
    else:
        _emit(lambda out: reporter_for(output_format.value)(result, out, _colour_wanted(out, no_color)))
    raise typer.Exit(result.exit_code(strict))


def _scores(graph: PlanGraph, output_format: ReportFormat) -> TraceScores | None:
    """The scores trace and coverage show; None for text when no department KPI has a target or an actual
    (machine formats always carry a KPI's score fields, null when there is nothing to score)."""
    if output_format is ReportFormat.text and not graph.is_measured():
        return None
    from stratmap.tracing.scores import TraceScores

    return TraceScores(graph, _config().scoring())


def _open_plan(
    paths: list[Path] | None, year: int | None, no_color: bool = False, ignore: tuple[str, ...] = ()
) -> PlanGraph:
    """The linked plan a read-only command works on; validation errors end the command (exit 1)."""
    graph = _checked_plan(paths, year, no_color, ignore)
    if graph is None:
        raise typer.Exit(EXIT_PROBLEMS)
    return graph


def _checked_plan(
    paths: list[Path] | None, year: int | None, no_color: bool = False, ignore: tuple[str, ...] = ()
) -> PlanGraph | None:
    """The linked plan, or None after printing why it does not validate."""
    from stratmap.loading.discovery import UsageError
    from stratmap.pipeline import CheckResult, open_plan
    from stratmap.reporting import reporter_for

    config = _config()
    try:
        year = year if year is not None or paths else config.year  # a PATH given wins over the configured year
        plan = open_plan(_paths(paths, config), year, Path.cwd(), config.settings(ignore=ignore))
    except UsageError as error:
        _fail_usage(str(error))
    if plan.errors or plan.graph is None:
        sys.stderr.write(f"stratmap: {plan.folder.root.as_posix()} does not validate; fix these first:\n")
        reporter_for("text")(CheckResult([plan]), sys.stderr, _colour_wanted(sys.stderr, no_color))
        return None
    return plan.graph


@app.command()
def trace(
    code: Annotated[str, typer.Argument(help="The code to follow: DP2.2, BP3.1.2, D, SO1; or city:DP2.1, doed:DP2.1.")],
    paths: PathsArgument = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    year: YearOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Follow a code up to the city goal it serves and down to the action plans that move it.

    A code that exists both in the city map and in a department (DP2.1) shows both, each under
    its namespace; qualify it (city:DP2.1, doed:DP2.1) to select one. A KPI with a target or
    actuals shows its target, latest actual, 達成率 and status; a city KPI or objective, the
    status of the department KPIs feeding it.
    Exit status: 0 traced, 1 unknown code or a plan that does not validate, 2 malformed code or usage error.

    Example: stratmap trace DP2.2 --format json
    """
    from stratmap.tracing.query import MalformedCode, parse_query
    from stratmap.tracing.trace import closest_codes, find_matches, trace_node

    try:
        query = parse_query(code)
    except MalformedCode as error:
        _fail_usage(str(error))
    graph = _open_plan(paths, year, no_color)
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
    scores = _scores(graph, output_format)
    fmt = output_format.value
    _emit(
        lambda out: write_trace(
            str(query), graph, traces, fmt, out, out.isatty(), _colour_wanted(out, no_color), scores
        )
    )


@app.command()
def coverage(
    paths: PathsArgument = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    year: YearOption = None,
    no_color: NoColorOption = False,
) -> None:
    """List, for each city objective in the themes where a department has a role, the KPIs that feed it.

    City objectives that no department KPI feeds are listed at the end.

    Example: stratmap coverage --format markdown
    """
    from stratmap.reporting.coverage_report import write_coverage
    from stratmap.tracing.coverage import coverage_of

    graph = _open_plan(paths, year, no_color)
    result = coverage_of(graph)
    scores = _scores(graph, output_format)
    fmt = output_format.value
    _emit(lambda out: write_coverage(graph, result, fmt, out, out.isatty(), _colour_wanted(out, no_color), scores))


@app.command()
def status(
    paths: PathsArgument = None,
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    year: YearOption = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Score the year to date at the end of this period: 110Q2, 110H1, 110M07."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Score the year to date at this date (2021-07-15 or 110-07-15)."),
    ] = None,
    off_track: Annotated[bool, typer.Option("--off-track", help="Show only what is near or missed.")] = False,
    no_color: NoColorOption = False,
) -> None:
    """Show the measured scorecard: each KPI's target, actual, 達成率 and status, rolled up to objectives,
    themes and departments, and the city KPIs and objectives with the statuses that feed them.

    Without --period or --as-of the whole plan year is scored (the year to date, while it runs).
    Exit status: 0 shown (also when nothing is measured yet), 1 a plan that does not validate,
    2 usage error.

    Example: stratmap status --period 110Q2 --off-track
    """
    from stratmap.loading.discovery import PlanFolder
    from stratmap.model.periods import Period, months_ended, parse_date
    from stratmap.reporting.status_report import StatusReport, empty_message, write_status
    from stratmap.scoring.history import earlier_measures
    from stratmap.scoring.scorecard import score_plan

    date = parse_date(as_of) if as_of is not None else None
    if as_of is not None and date is None:
        _fail_usage(f"--as-of {as_of}: not a date; write 2021-07-15 or 110-07-15")
    chosen = Period.parse(period) if period is not None else None
    if period is not None and chosen is None:
        _fail_usage(f"--period {period}: not a period; write 110, 110H1, 110Q2 or 110M07")
    if chosen is not None and date is not None:
        _fail_usage("give --period or --as-of, not both")
    graph = _open_plan(paths, year, no_color)
    plan_year = graph.year or 0
    if chosen is not None and chosen.year != plan_year:
        _fail_usage(f"--period {period} is not in plan year {plan_year}")
    if date is not None:
        ended = months_ended(plan_year, date)
        if ended == 0:
            _fail_usage(f"--as-of {as_of}: no month of plan year {plan_year} has ended by then")
        chosen = Period(plan_year, ended, "year" if ended == 12 else "month")
    card = score_plan(graph, chosen, _config().scoring())
    if not card.has_targets and not card.has_actuals and output_format is not ReportFormat.json:
        message = empty_message(graph)
        _emit(lambda out: out.writelines([message]))
        return
    view = StatusReport(graph, card, earlier_measures(PlanFolder(graph.root, ()), Path.cwd()), off_track)
    fmt = output_format.value
    _emit(lambda out: write_status(view, fmt, out, _colour_wanted(out, no_color)))


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
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
) -> None:
    """Render the strategy maps and balanced scorecards of each plan as one HTML or Markdown page.

    Writes <output>/<year>.html or <output>/<year>.md, each replaced whole; nothing is rendered
    when a plan does not validate. The output folder may not overlap the strategy data.

    Example: stratmap render --format html -o build/html
    """
    from stratmap.files import UnsafeOutput, check_output_folder
    from stratmap.loading.discovery import UsageError, find_plans, plan_of_year
    from stratmap.pipeline import CheckResult, check_plan
    from stratmap.rendering.render import TemplateFailure, render_pages, write_pages
    from stratmap.reporting import reporter_for

    config = _config()
    year = year if year is not None or paths else config.year  # a PATH given wins over the configured year
    target = output or (config.output or Path("build")) / output_format.value
    if templates is not None and not templates.is_dir():
        _fail_usage(f"--templates {templates}: no such folder")
    try:
        folders = find_plans(_paths(paths, config), Path.cwd())
        check_output_folder(target, [folder.root for folder in folders])  # every plan found, rendered or not
        if year is not None:
            folders = [plan_of_year(folders, year)]
    except (UsageError, UnsafeOutput) as error:
        _fail_usage(str(error))
    results = [check_plan(folder, Path.cwd(), config.settings(), keep_graph=True) for folder in folders]
    failed = CheckResult([r for r in results if r.errors or r.graph is None])
    if failed.plans:
        sys.stderr.write("stratmap: nothing rendered; fix these first:\n")
        reporter_for("text")(failed, sys.stderr, _colour_wanted(sys.stderr, no_color))
        raise typer.Exit(EXIT_PROBLEMS)
    from stratmap.scoring.history import earlier_measures

    earlier = [earlier_measures(folder, Path.cwd()) for folder in folders]  # earlier years, for the trends
    try:
        graphs = [r.graph for r in results if r.graph is not None]
        pages = render_pages(graphs, output_format.value, templates, config.scoring(), earlier)
    except TemplateFailure as error:
        _fail_usage(f"template error: {error}")
    try:
        written = write_pages(pages, target)
    except OSError as error:
        _fail_usage(f"cannot write to {target}: {error.strerror or error}")
    _list_written("wrote", written, quiet)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier plan: a plan folder (data/110) or a year (110).")],
    new: Annotated[Path, typer.Argument(help="The later plan: a plan folder or a year.")],
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are changes (as git diff).")
    ] = False,
    no_color: NoColorOption = False,
) -> None:
    """Show what changed between two plans: items added, removed, renamed or moved, every field changed
    (targets, weights, units, owners, tags, budgets, mission, city roles ...), references, and measured values.

    Exit status: 0 (with --exit-code: 0 no change, 1 changes), 1 a plan does not validate, 2 usage error.

    Example: stratmap diff data/110 data/111 --format markdown
    """
    from stratmap.diffing.diff import diff_plans
    from stratmap.loading.discovery import UsageError, default_data_folder, plan_folder_named
    from stratmap.reporting.diff_report import write_diff

    config = _config()
    try:
        sides = [plan_folder_named(side, lambda: config.data or default_data_folder(Path.cwd())) for side in (old, new)]
    except UsageError as error:
        _fail_usage(str(error))
    before, after = (_checked_plan([side], None, no_color) for side in sides)  # both sides' errors are shown
    if before is None or after is None:
        raise typer.Exit(EXIT_PROBLEMS)
    changes = diff_plans(before, after)
    _emit(lambda out: write_diff(before, after, changes, output_format.value, out))
    raise typer.Exit(EXIT_PROBLEMS if exit_code and changes else EXIT_OK)


@app.command()
def record(
    plan: Annotated[Path, typer.Argument(help="The plan to record into: a plan folder (data/110) or a year (110).")],
    csv_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv", help="Actual values: columns kpi,period,actual[,note] (or 指標代碼,期別,實際值,備註)."
        ),
    ],
    write: Annotated[bool, typer.Option("--write", help="Write the measures files (default: show the diff).")] = False,
    no_color: NoColorOption = False,
) -> None:
    """Record actual values (實際值) from a CSV file into the departments' measures files.

    The CSV is UTF-8 (a BOM is fine); KPI codes are bare (BP2.1) or qualified (doed:BP2.1); periods are
    110, 110H1, 110Q1 or 110M01 as the KPI's frequency allows; numbers may have thousands commas (12,345).
    Every row is checked first: any bad row is reported with its CSV line and nothing is written.
    Without --write, prints the diff of every file that would change. Only measures files are written.
    Exit status: 0 recorded (or nothing to record), 1 bad rows, a CSV not in UTF-8 (Big5: convert it, as
    validate says) or a plan that does not validate, 2 usage error (no such CSV or plan, a measures file
    stratmap cannot edit without changing more than its values, a write that failed).

    Example: stratmap record 110 actuals-110Q1.csv --write
    """
    from stratmap.loading.discovery import UsageError, default_data_folder, plan_folder_named, shown_path
    from stratmap.recording import record as recording

    config = _config()
    try:
        folder = plan_folder_named(plan, lambda: config.data or default_data_folder(Path.cwd()))
        raw = recording.read_csv(csv_file)
    except (UsageError, recording.RecordError) as error:
        _fail_usage(str(error))
    graph = _open_plan([folder], None, no_color)
    display = shown_path(csv_file, Path.cwd())
    try:
        prepared = recording.prepare(graph, raw, display)
    except recording.RecordError as error:
        _fail_usage(str(error))
    if isinstance(prepared, list):
        recording.write_errors(prepared, display, sys.stderr)
        raise typer.Exit(EXIT_PROBLEMS)
    if not prepared.files:
        _emit(lambda out: out.writelines([recording.nothing_to_record(prepared, display) + "\n"]))
        raise typer.Exit(EXIT_OK)
    if not write:
        _emit(lambda out: out.writelines([edit.diff() for edit in prepared.files]))
        _emit(lambda out: recording.write_changes(prepared, display, out))
        _emit(lambda out: out.writelines([f"{recording.summary(prepared, False)}; run with --write to write\n"]))
        raise typer.Exit(EXIT_OK)
    try:
        written = recording.write_recording(prepared)
    except OSError as error:
        _fail_usage(f"cannot write the measures files (none was changed): {error.strerror or error}")
    _emit(lambda out: recording.write_changes(prepared, display, out))
    _list_written("wrote", written, False)
    if _checked_plan([folder], None, no_color) is None:
        sys.stderr.write("stratmap: the plan does not validate after recording; this is a bug in stratmap record\n")
        raise typer.Exit(EXIT_PROBLEMS)
    _emit(lambda out: out.writelines([f"{recording.summary(prepared, True)}; {graph.root.as_posix()} validates\n"]))


@app.command()
def init(
    folder: Annotated[
        Path,
        typer.Argument(help="A new year folder (data/111, or just 111), or an existing one to add a department to."),
    ],
    from_plan: Annotated[
        str | None,
        typer.Option("--from", help="Start the new year as a copy of this plan (a year such as 110, or its folder)."),
    ] = None,
    department: Annotated[
        str | None, typer.Option("--department", "-d", help="The new department's id (default: configured, or 'dept').")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the files init writes (never deletes).")] = False,
    quiet: QuietOption = False,
) -> None:
    """Start a plan year: a copy of last year's (--from), or a scaffold that validates once filled in;
    or add a department to an existing year (--department).

    With --from, every strategy file is carried over with its comments; the year changes, each KPI's
    target for the new year (targets:) becomes its target, and measured values stay behind. Without
    it, the files hold 待填 placeholders, which validate reports (S007) until they are filled in.
    Exit status: 0 written, 1 the plan copied from does not validate, 2 usage error (nothing written).

    Example: stratmap init 111 --from 110
    """
    from stratmap.loading.discovery import PLAN_FILE, UsageError, default_data_folder, plan_folder_named, shown_path
    from stratmap.scaffold import ScaffoldError, new_department, new_year, write_files

    config = _config()
    if department is not None and not department:
        _fail_usage("--department needs an id: lower-case letters, digits and '-', e.g. --department doed")
    try:
        data = lambda: config.data or default_data_folder(Path.cwd())  # noqa: E731 - looked up only when needed
        source = shown_path(plan_folder_named(Path(from_plan), data), Path.cwd()) if from_plan else None
        target = _new_year_folder(folder, (lambda: source.parent) if source is not None else data)
        if (target / PLAN_FILE).is_file() and (source is not None or department is None):
            shown = shown_path(target, Path.cwd()).as_posix()
            _fail_usage(
                f"{shown} already holds a plan; nothing was written. To add a department to it: "
                f"stratmap init {shown} --department ID"
            )
        if source is not None:
            if department is not None:
                _fail_usage("--from copies every department; add a new one afterwards with --department ID")
            files = _next_year(source, target, force)
        elif (target / PLAN_FILE).is_file():
            # a year still being filled in from init's scaffold may take another department
            graph = _open_plan([target], None, ignore=("S007",))
            files = new_department(target, department or "", graph, force, Path.cwd())
        else:
            files = new_year(target, department or config.department or "dept", force, Path.cwd())
        written = write_files(files)
    except (ScaffoldError, UsageError) as error:
        _fail_usage(str(error))
    except OSError as error:
        _fail_usage(f"cannot write to {folder}: {error.strerror or error}; nothing was written")
    _list_written("created", written, quiet)


def _new_year_folder(folder: Path, data_folder: Callable[[], Path]) -> Path:
    """The folder a new year goes into: ``folder`` as given, or a bare year (``111``) in the data folder."""
    from stratmap.loading.discovery import UsageError, shown_path, year_of

    if not folder.exists() and len(folder.parts) == 1 and year_of(folder.name) is not None:
        try:
            return shown_path(data_folder() / folder.name, Path.cwd())
        except UsageError:  # no data folder around: the year folder goes where it was named
            return folder
    return folder


def _next_year(source: Path, target: Path, force: bool) -> dict[Path, str]:
    """The files of ``target`` copied from the plan in ``source``, which must validate."""
    from stratmap.editing.new_year import NewYearError, next_year_files
    from stratmap.loading.discovery import find_plans
    from stratmap.scaffold import ScaffoldError

    if target.exists() and any(target.iterdir()) and not force:
        raise ScaffoldError(f"{target} already has files; nothing was written (use --force to add to it)")
    _open_plan([source], None)  # a plan that does not validate is not copied (exit 1, with its problems)
    try:
        return next_year_files(find_plans([source], Path.cwd())[0], target, Path.cwd())
    except NewYearError as error:
        raise ScaffoldError(str(error)) from error


@app.command()
def fmt(
    paths: PathsArgument = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; list the files fmt would rewrite and exit 1 if any.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Give the data files one layout: keys in the schema's order, two-space indentation, action plans in
    flow style, the schema line first; every comment kept.

    Exit status: 0 nothing (more) to change, 1 files to reformat (--check) or a file that cannot be read
    as YAML (nothing written), 2 usage error.

    Example: stratmap fmt --check
    """
    from stratmap.editing.layout import format_files
    from stratmap.loading.discovery import UsageError

    config = _config()
    try:
        outcome = format_files(_paths(paths, config), Path.cwd(), check=check)
    except UsageError as error:
        _fail_usage(str(error))
    except OSError as error:
        _fail_usage(f"cannot write: {error.strerror or error}")
    for problem in outcome.errors:
        sys.stderr.write(f"{problem}\n")
    verb = "would reformat" if check else "reformatted"
    _list_written(verb, outcome.changed, quiet and not check)
    if outcome.errors or (check and outcome.changed):
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
def rename(
    old: Annotated[str, typer.Argument(help="The code to renumber: BP2.1, doed:BP2, city:DP2.2.")],
    new: Annotated[str, typer.Argument(help="Its new code: BP4.1, doed:BP4, city:DP2.5 (or doed:CP3.2 to move).")],
    paths: PathsArgument = None,
    write: Annotated[
        bool, typer.Option("--write", help="Write the files (all or none); without it, show a diff.")
    ] = False,
    year: YearOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Renumber a theme, objective, KPI or action plan, with its children and every reference to it.

    Without --write, prints the change as a unified diff and writes nothing. A KPI renamed into another
    objective (doed:AP2.1 -> doed:CP3.2) moves there with its action plans and measurements.
    Exit status: 0 renamed (or shown), 1 the plan does not validate, 2 a code that is unknown, ambiguous,
    taken or against the numbering rules.

    Example: stratmap rename doed:BP2.1 doed:BP2.3 --write
    """
    from stratmap.editing.rename import RenameError, plan_rename
    from stratmap.files import write_all_or_none

    graph = _open_plan(paths, year, no_color)
    try:
        edit = plan_rename(graph, old, new, Path.cwd())
    except RenameError as error:
        _fail_usage(str(error))
    if not write:
        _emit(lambda out: out.writelines([edit.diff()]))
        return
    try:
        write_all_or_none({path: text.encode("utf-8") for path, text in edit.new_texts().items()})
    except OSError as error:
        _fail_usage(f"cannot write: {error.strerror or error}; nothing was written")
    _list_written("rewrote", list(edit.new_texts()), False)


@app.command()
def schema(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the schemas into.")] = Path("schemas"),
    quiet: QuietOption = False,
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
    _list_written("wrote", written, quiet)


@app.command()
def rules() -> None:
    """List every rule: code, name, default severity and what it finds.

    Example: stratmap rules
    """
    from stratmap.config import DEFAULT_SEVERITY
    from stratmap.rules.catalog import RULES

    _emit(lambda out: out.writelines(
        f"{code}  {info.name:<26} {DEFAULT_SEVERITY[code].value:<8} {info.summary}\n" for code, info in RULES.items()
    ))  # fmt: skip


@app.command()
def rule(
    code: Annotated[str, typer.Argument(help="A rule's code or name: N001, numbering-gap.", metavar="CODE")],
) -> None:
    """Show one rule: what it finds, its default severity, a failing and a passing example.

    Example: stratmap rule N001
    """
    from stratmap.reporting.rule_docs import find_rule, rule_text

    found = find_rule(code)
    if found is None:
        _fail_usage(f"no rule '{code}'; 'stratmap rules' lists them all")
    _emit(lambda out: out.writelines([rule_text(found)]))


def main() -> None:
    """Console entry point: run the app; never show a traceback to the user."""
    # stratmap's models need no third-party Pydantic plugin; looking them up costs ~20 ms of start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _escape_what_the_console_cannot_show()
    try:
        _only_the_chosen_command(app, sys.argv[1:2])()
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
        from stratmap.files import Interrupted

        if isinstance(error, Interrupted):  # a signal held off while files were staged: nothing written
            sys.stderr.write(f"stratmap: interrupted ({error}); nothing was written\n")
            sys.exit(128 + error.signum)
        sys.stderr.write(
            f"stratmap: internal error: {type(error).__name__}: {error}\nPlease report this with the command you ran.\n"
        )
        sys.exit(EXIT_INTERNAL)


def _escape_what_the_console_cannot_show() -> None:
    """A character the console's encoding lacks (a Big5 console on Windows, ``PYTHONIOENCODING=cp950``,
    meets 响 or 𠀀) is written as an escape (``\\u54cd``) instead of ending the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _only_the_chosen_command(whole: Callable[[], object], first: list[str]) -> Callable[[], object]:
    """A copy of the app with only the command being run, when the first argument names one.

    Typer inspects the signature and type hints of every registered command on each start (~25 ms for
    ten); the others cannot be reached once the first argument has chosen. Anything else (no argument,
    ``--help``, ``--version``, a mistyped command) keeps them all, so help and suggestions are whole.
    """
    if not isinstance(whole, typer.Typer) or not first:
        return whole
    chosen = [info for info in whole.registered_commands if _command_name(info) == first[0]]
    if not chosen:
        return whole
    narrowed = copy.copy(whole)
    narrowed.registered_commands = chosen
    return narrowed


def _command_name(info: typer.models.CommandInfo) -> str:
    """The name a command is run by: its given name, or its function's with ``_`` as ``-`` (Typer's rule)."""
    callback = info.callback
    return info.name or (callback.__name__.replace("_", "-") if callback is not None else "")


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
