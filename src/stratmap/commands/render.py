"""``stratmap render``: one HTML, Markdown or PDF page per plan."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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
    from stratmap.files import StagedFiles
    from stratmap.linking.graph import PlanGraph
    from stratmap.loading.discovery import PlanFolder
    from stratmap.results import PlanResult


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
    from stratmap.files import StagedFiles, UnsafeOutput, check_output_folder
    from stratmap.loading.discovery import UsageError

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
        run = _Run(page_format, templates, staged, printer is not None)
        run.render_all(folders, quiet)
        run.finish(no_color)
        try:
            if printer is not None:
                for name, data in _print(run.html, *printer).items():
                    staged.add(name, data)
            written = staged.commit()
        except OSError as error:
            fail_usage(_cannot_write(target, error))
    list_written(_("wrote {path}"), written, quiet)


class _Run:
    """One render: each plan checked (its graph kept), its page(s) rendered and staged, its graph let go, and
    then the next plan; the plans that fail and the first failure to render or write, told once all are checked."""

    def __init__(self, page_format: str, templates: Path | None, staged: StagedFiles, printing: bool) -> None:
        from stratmap.rendering.render import PageRenderer

        self.renderer = PageRenderer(page_format, templates, config().scoring())
        self.staged, self.printing = staged, printing
        self.failed: list[PlanResult] = []
        self.stopped: str | None = None
        """Why pages stopped being made (a template or the output folder failed): exit 2, unless a plan fails."""
        self.html: dict[str, str] = {}
        """The HTML pages to print, for --format pdf."""

    def render_all(self, folders: list[PlanFolder], quiet: bool) -> None:
        """Check and render each plan in turn; only one plan's graph is alive at a time."""
        import gc

        from stratmap.pipeline import Targets, check_plan
        from stratmap.reporting.progress import plan_progress

        settings, cwd = config().settings(), Path.cwd()
        targets: dict[Path, Targets] = {}
        measures: dict[Path, Any] = {}
        with plan_progress(len(folders), sum(len(f.files) for f in folders), quiet) as progress:
            for folder in folders:
                result = check_plan(folder, cwd, settings, keep_graph=True, known_targets=targets)
                graph, result.graph = result.graph, None
                if result.errors or graph is None:
                    self.failed.append(result)
                elif not self.failed and self.stopped is None:
                    self._render(graph, folder, measures)
                del graph, result
                gc.collect()  # the graph links parents and children both ways: only a collection frees it
                progress.plan_done(len(folder.files))

    def _render(self, graph: PlanGraph, folder: PlanFolder, measures: dict[Path, Any]) -> None:
        """Render the page(s) of one plan and stage them (keep the HTML, to print); note a failure."""
        from stratmap.rendering.render import TemplateFailure
        from stratmap.scoring.history import earlier_measures

        try:
            pages = self.renderer.render(graph, earlier_measures(folder, Path.cwd(), measures))
        except TemplateFailure as error:
            self.stopped = _("template error: {error}").format(error=error)
            return
        try:
            for page in pages:
                if not self.printing:
                    self.staged.add(page.name, page.text.encode("utf-8"))
                elif page.name.endswith(".html"):  # a PDF needs no map files
                    self.html[page.name] = page.text
        except OSError as error:
            self.stopped = _cannot_write(self.staged.output, error)

    def finish(self, no_color: bool) -> None:
        """End the command if a plan failed (exit 1) or a page could not be made or written (exit 2)."""
        from stratmap.reporting import Writer, report
        from stratmap.results import CheckResult

        if self.failed:
            complain(_("nothing rendered; fix these first:"))
            report("validate", "text", Writer.on(sys.stderr, no_color), CheckResult(self.failed))
            raise typer.Exit(EXIT_PROBLEMS)
        if self.stopped is not None:
            fail_usage(self.stopped)


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
