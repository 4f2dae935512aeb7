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
    list_written,
)
from stratmap.i18n import N_, _

if TYPE_CHECKING:
    from stratmap.rendering.render import RenderedPage


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
    from stratmap.files import UnsafeOutput, check_output_folder
    from stratmap.loading.discovery import UsageError
    from stratmap.pipeline import check_plan
    from stratmap.rendering.render import TemplateFailure, render_pages, write_pages
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
    results = [check_plan(folder, Path.cwd(), configured.settings(), keep_graph=True) for folder in folders]
    failed = CheckResult([r for r in results if r.errors or r.graph is None])
    if failed.plans:
        complain(_("nothing rendered; fix these first:"))
        report("validate", "text", Writer.on(sys.stderr, no_color), failed)
        raise typer.Exit(EXIT_PROBLEMS)
    from stratmap.scoring.history import earlier_measures

    earlier = [earlier_measures(folder, Path.cwd()) for folder in folders]  # earlier years, for the trends
    try:
        graphs = [r.graph for r in results if r.graph is not None]
        page_format = "html" if printer is not None else output_format.value  # a PDF is the HTML page, printed
        pages = render_pages(graphs, page_format, templates, configured.scoring(), earlier)
    except TemplateFailure as error:
        fail_usage(_("template error: {error}").format(error=error))
    try:
        written = write_pages(pages, target) if printer is None else _print(pages, target, *printer)
    except OSError as error:
        fail_usage(_("cannot write to {folder}: {reason}").format(folder=target, reason=error.strerror or error))
    list_written(_("wrote {path}"), written, quiet)


def _printer(browser: Path | None) -> tuple[Path, float]:
    """The browser that prints PDF and the seconds it has; none found ends the command (exit 2)."""
    from stratmap.rendering.pdf import PrintFailure, find_browser, timeout

    try:
        return find_browser(browser), timeout()
    except PrintFailure as error:
        fail_usage(str(error))


def _print(pages: list[RenderedPage], target: Path, browser: Path, seconds: float) -> list[Path]:
    """The HTML pages printed to ``<year>.pdf`` under ``target``: all written, or none (a browser that fails,
    crashes or takes too long ends the command, exit 2). The maps' SVG files are not needed."""
    from stratmap.rendering.pdf import PrintFailure, print_pages
    from stratmap.rendering.render import write_files

    try:
        pdfs = print_pages({page.name: page.text for page in pages if page.name.endswith(".html")}, browser, seconds)
    except PrintFailure as error:
        fail_usage(str(error))
    return write_files(pdfs, target)
