"""Render a linked plan with the templates, a page at a time (``batch`` stages the pages and ``StagedFiles``
puts them in place, all or none)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from jinja2 import Template, TemplateError, TemplateSyntaxError
from markupsafe import Markup

from stratmap.i18n import _
from stratmap.linking.graph import PlanGraph
from stratmap.rendering.svg import plan_maps
from stratmap.rendering.templates import environment
from stratmap.rendering.view import PERSPECTIVES, plan_view
from stratmap.rendering.words import PERSPECTIVE_WORDS, PageWords
from stratmap.reporting.escaping import printable
from stratmap.scoring.history import EarlierMeasures
from stratmap.scoring.kpi import Scoring

PAGE_TEMPLATES = {"html": "html/plan.html.j2", "markdown": "markdown/plan.md.j2"}
SUFFIXES = {"html": ".html", "markdown": ".md"}


class TemplateFailure(Exception):
    """A template that cannot be loaded or fails while rendering: ``FILE:LINE: what went wrong`` (exit 2)."""


class PageRenderer:
    """Renders the page of one plan at a time, so that a plan's graph can be let go before the next is read.

    An HTML page shows its strategy maps as SVG (``maps`` in the template), and each map is also a file of
    its own beside the page, for slides: ``<year>-city-map.svg``, ``<year>-<department>-map.svg``.
    The maps draw each objective's ``drives:`` links as arrows (cause and effect, from the linked graph).

    The pages speak Chinese unless ``--lang en`` or the configuration asks for English (``words``).
    The template is loaded by the first page; one that fails raises ``TemplateFailure``."""

    def __init__(
        self,
        output_format: str,
        user_templates: Path | None,
        scoring: Scoring | None = None,
        words: PageWords | None = None,
    ) -> None:
        self.output_format = output_format
        self.user_templates = user_templates
        self.scoring = scoring
        self.words = words or PageWords()
        self.perspective_labels = {p: self.words(PERSPECTIVE_WORDS[p.value]) for p in PERSPECTIVES}
        self._template: Template | None = None

    def template(self) -> Template:
        """The page template, loaded once."""
        if self._template is None:
            page_template = PAGE_TEMPLATES[self.output_format]
            with _template_errors(page_template):
                loaded = environment(self.output_format, self.user_templates, self.words)
                self._template = loaded.get_template(page_template)
        return self._template

    def pages(self, graph: PlanGraph, history: EarlierMeasures | None) -> list[tuple[str, Iterator[str]]]:
        """The page of ``graph`` (then, for HTML, its maps as files), its trends from ``history``: each file's
        name and its text in pieces made as they are read, so that a page need not be held whole to be written.
        A template failing while read raises ``TemplateFailure``."""
        template, words = self.template(), self.words
        view = plan_view(graph, self.scoring, history, words)  # outside the guard: a failure here is stratmap's
        name = f"{graph.folder_name}{SUFFIXES[self.output_format]}"
        arrows = _drives_arrows(graph)
        files: list[tuple[str, Iterator[str]]] = []
        maps: dict[str, Markup] = {}
        if self.output_format == "html":
            # svg.py escapes every word of the data for XML itself, so the drawings are safe to print as they are
            maps = {key: Markup(svg) for key, svg in plan_maps(view, words, arrows).items()}  # noqa: S704
            standalone = plan_maps(view, words, arrows, page=name, standalone=True)
            files = [(f"{graph.folder_name}-{key}-map.svg", iter((svg,))) for key, svg in standalone.items()]
        where = template.filename or PAGE_TEMPLATES[self.output_format]
        with _template_errors(where):
            text = template.generate(
                plan=view, perspectives=PERSPECTIVES, perspective_labels=self.perspective_labels, maps=maps
            )
        return [(name, _guarded(text, where)), *files]


def _guarded(pieces: Iterator[str], where: str) -> Iterator[str]:
    """The pieces of a page, a template's failure on the way turned into ``TemplateFailure``."""
    with _template_errors(where):
        yield from pieces


def _drives_arrows(graph: PlanGraph) -> dict[str, list[tuple[str, str]]]:
    """Each map's cause-and-effect arrows (``city`` or a department id → pairs of objective codes)."""
    return {
        namespace: [(source.code.code, target.code.code) for source, target in graph.drives_edges(namespace)]
        for namespace in graph.namespaces()
    }


@contextmanager
def _template_errors(fallback_file: str) -> Iterator[None]:
    """Turn any failure of loading or rendering a template into a ``TemplateFailure`` naming file and line."""
    try:
        yield
    except TemplateSyntaxError as error:
        where = f"{error.filename or error.name or fallback_file}:{error.lineno}"
        raise TemplateFailure(printable(f"{where}: {error.message or error}")) from None
    except TemplateError as error:
        what = error.message or type(error).__name__
        raise TemplateFailure(printable(f"{_position(error.__traceback__, fallback_file)}: {what}")) from None
    except RecursionError as error:
        where = _position(error.__traceback__, fallback_file)
        raise TemplateFailure(f"{where}: " + _("templates include or call each other without end")) from None
    except Exception as error:  # noqa: BLE001 - a template may fail in any way (OverflowError, TypeError, ...)
        what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise TemplateFailure(printable(f"{_position(error.__traceback__, fallback_file)}: {what}")) from None


def _position(traceback: TracebackType | None, fallback_file: str) -> str:
    """``FILE:LINE`` of the innermost template frame of a rendering traceback (Jinja rewrites them so)."""
    where = fallback_file
    while traceback is not None:
        frame = traceback.tb_frame
        if "__jinja_exception__" in frame.f_globals:  # a frame Jinja made to stand for a template line
            where = f"{frame.f_code.co_filename}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return where
