"""``stratmap render``: one HTML, Markdown or PDF page per plan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stratmap.commands._shared import selector
from stratmap.commands.options import (
    EXIT_PROBLEMS,
    LangOption,
    NoColorOption,
    PathsArgument,
    QuietOption,
    RenderFormat,
    complain,
    config,
    fail_usage,
    jobs_option,
    list_written,
)
from stratmap.i18n import N_, _

if TYPE_CHECKING:
    from stratmap.files import StagedFiles
    from stratmap.loading.discovery import PlanFolder
    from stratmap.rendering.batch import PlanRendered


def render(
    paths: PathsArgument = None,
    output_format: Annotated[
        RenderFormat, typer.Option("--format", "-f", help=N_("html, markdown or pdf."))
    ] = RenderFormat.html,
    year: Annotated[
        int | None,
        typer.Option("--year", metavar="<YEAR>", help=N_("Render this plan year only (default: every plan).")),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="<PATH>", help=N_("Output folder (default: build/<format>/).")),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", metavar="<PATH>", help=N_("Folder of templates overriding the built-in ones by name.")
        ),
    ] = None,
    browser: Annotated[
        Path | None,
        typer.Option(
            "--browser",
            metavar="<PATH>",
            help=N_(
                "The Chromium, Chrome or Edge that prints --format pdf "
                "(default: 'STRATMAP_BROWSER', else 'chromium' or another on PATH)."
            ),
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        jobs_option(N_("Render plan years in N processes (default: one per core when the plans are large).")),
    ] = None,
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Render the strategy maps and balanced scorecards of each plan as one HTML, Markdown or PDF page.

    Writes <output>/<year>.html, <output>/<year>.md or <output>/<year>.pdf, each replaced whole; nothing
    is rendered when a plan does not validate. The output folder may not overlap the strategy data. A PDF
    is the HTML page printed by a headless Chromium, with JavaScript and the network off.

    Example: stratmap render --format pdf -o build/pdf
    """
    from stratmap.files import StagedFiles, UnsafeOutput, check_output_folder
    from stratmap.loading.discovery import UsageError
    from stratmap.reporting import Writer, report
    from stratmap.results import CheckResult

    configured, plans = config(), selector()
    target = output or (configured.output or Path("build")) / output_format.value
    if templates is not None and not templates.is_dir():
        fail_usage(_("--templates {folder}: no such folder").format(folder=templates))
    printer = _printer(browser) if output_format is RenderFormat.pdf else None
    if browser is not None and printer is None:
        fail_usage(_("--browser is only for --format pdf"))
    try:
        found = plans.plans(paths)
        check_output_folder(target, [folder.root for folder in found])  # every plan found, rendered or not
        folders = plans.of_year(found, paths, year)
    except (UsageError, UnsafeOutput) as error:
        fail_usage(str(error))
    page_format = "html" if printer is not None else output_format.value  # a PDF is the HTML page, printed
    with StagedFiles(target) as staged:
        outcomes, unwritable = _render_all(staged, page_format, templates, folders, printer is not None, jobs, quiet)
        failed = [outcome.result for outcome in outcomes if not outcome.valid]
        if failed:
            complain(_("nothing rendered; fix these first:"))
            report("validate", "text", Writer.on(sys.stderr, no_color), CheckResult(failed))
            raise typer.Exit(EXIT_PROBLEMS)
        stopped = next((outcome.stopped for outcome in outcomes if outcome.stopped), unwritable)
        if stopped is not None:
            fail_usage(stopped)
        try:
            for outcome in outcomes:
                for name in outcome.staged:
                    staged.adopt(name)
            if printer is not None:
                html = {name: text for outcome in outcomes for name, text in outcome.html.items()}
                for name, data in _print(html, *printer).items():
                    staged.add(name, data)
            written = staged.commit()
        except OSError as error:
            fail_usage(_cannot_write(target, error))
    list_written(_("wrote {path}"), written, quiet)


def _render_all(
    staged: StagedFiles,
    page_format: str,
    templates: Path | None,
    folders: list[PlanFolder],
    printing: bool,
    jobs: int | None,
    quiet: bool,
) -> tuple[list[PlanRendered], str | None]:
    """Check, render and stage every plan, one plan's graph alive at a time in each process (in worker processes
    on a large corpus, or ``jobs``); and why nothing can be written, if the staging folder cannot be made."""
    from stratmap.i18n import chosen
    from stratmap.pipeline import workers_for
    from stratmap.rendering.batch import RenderJob, render_in_workers, render_plans
    from stratmap.rendering.words import page_language
    from stratmap.reporting.progress import plan_progress

    staging, unwritable = None, None
    try:
        staging = staged.folder()
    except OSError as error:
        unwritable = _cannot_write(staged.output, error)
    configured = config()
    job = RenderJob(
        page_format,
        templates,
        configured.settings(),
        configured.scoring(),
        Path.cwd(),
        page_language(),
        chosen(),
        staging,
        printing,
    )
    with plan_progress(len(folders), sum(len(f.files) for f in folders), quiet) as progress:

        def done(folder: PlanFolder) -> None:
            progress.plan_done(len(folder.files))

        workers = workers_for(folders, jobs)
        outcomes = render_in_workers(job, folders, workers, done) if workers > 1 else None
        if outcomes is None:
            outcomes = render_plans(job, folders, done)
    return outcomes, unwritable


def _cannot_write(target: Path, error: OSError) -> str:
    return _("cannot write to {folder}: {reason}").format(folder=target, reason=error.strerror or error)


def _printer(browser: Path | None) -> tuple[Path, float]:
    """The browser that prints PDF and the seconds it has; none found ends the command (exit 2)."""
    from stratmap.rendering.pdf import PrintFailure, find_browser, timeout

    try:
        return find_browser(browser), timeout()
    except PrintFailure as error:
        fail_usage(str(error))


def _print(html: dict[str, str], browser: Path, seconds: float) -> dict[str, bytes]:
    """The HTML pages printed to ``<year>.pdf``: all, or none (a browser that fails, crashes or takes too long
    ends the command, exit 2). The maps' SVG files are not needed."""
    from stratmap.rendering.pdf import PrintFailure, print_pages

    try:
        return print_pages(html, browser, seconds)
    except PrintFailure as error:
        fail_usage(str(error))
