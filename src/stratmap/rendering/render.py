"""Render linked plans with the templates and write the pages, atomically, under the output folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stratmap.files import write_atomically
from stratmap.linking.graph import PlanGraph
from stratmap.model.codes import PERSPECTIVE_LABELS
from stratmap.rendering.templates import environment
from stratmap.rendering.view import PERSPECTIVES, plan_view

PAGE_TEMPLATES = {"html": "html/plan.html.j2", "markdown": "markdown/plan.md.j2"}
SUFFIXES = {"html": ".html", "markdown": ".md"}


@dataclass(frozen=True)
class RenderedPage:
    """A page's file name under the output folder, and its text."""

    name: str
    text: str


def render_pages(graphs: list[PlanGraph], output_format: str, user_templates: Path | None) -> list[RenderedPage]:
    """Render one page per plan; nothing is written here."""
    template = environment(output_format, user_templates).get_template(PAGE_TEMPLATES[output_format])
    pages = []
    for graph in graphs:
        text = template.render(
            plan=plan_view(graph),
            perspectives=PERSPECTIVES,
            perspective_labels=PERSPECTIVE_LABELS,
        )
        pages.append(RenderedPage(f"{graph.folder_name}{SUFFIXES[output_format]}", text))
    return pages


def write_pages(pages: list[RenderedPage], output: Path) -> list[Path]:
    """Write every page under ``output`` (created if needed), each replaced whole."""
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for page in pages:
        target = output / page.name
        write_atomically(target, page.text)
        written.append(target)
    return written
