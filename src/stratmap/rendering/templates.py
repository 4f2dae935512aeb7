"""The Jinja environment: built-in templates, a user folder that overrides them by name, escaping by format.

HTML is autoescaped. Markdown has no autoescaping in Jinja, so every value printed into a
Markdown template is escaped by ``finalize`` unless a filter marked it as already safe.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from stratmap.reporting.escaping import escape_inline, mermaid_id, mermaid_label

BUILT_IN = Path(__file__).resolve().parent.parent / "templates"
"""Templates inside the installed package (the wheel ships the repository's ``templates/`` here)."""
SOURCE_TREE = Path(__file__).resolve().parents[3] / "templates"
"""The repository's ``templates/``, used when running from a source checkout."""


class MarkdownSafe(str):
    """Markdown that a filter built on purpose; printed as it is."""


def built_in_templates() -> Path:
    """Where the built-in templates are: in the package when installed, else in the source tree."""
    return BUILT_IN if BUILT_IN.is_dir() else SOURCE_TREE


def _finalize_markdown(value: Any) -> str:
    if isinstance(value, MarkdownSafe):
        return value
    return escape_inline("" if value is None else str(value))


def _mermaid(value: Any) -> MarkdownSafe:
    return MarkdownSafe(mermaid_label(str(value)))


def _mermaid_id(value: Any) -> MarkdownSafe:
    return MarkdownSafe(mermaid_id(str(value)))


def _markdown_link(target: Any) -> MarkdownSafe:
    """``[code](#anchor)`` for a ``view.Link``: the code escaped, the anchor URL-quoted."""
    return MarkdownSafe(f"[{escape_inline(target.code)}](#{quote(target.anchor, safe=':.')})")


def _markdown_anchor(target: Any) -> MarkdownSafe:
    """An empty HTML anchor that GitHub keeps, so links to the item's qualified code land on it."""
    return MarkdownSafe(f'<a id="{html.escape(target.anchor, quote=True)}"></a>')


def environment(output_format: str, user_templates: Path | None) -> SandboxedEnvironment:
    """The environment for ``html`` or ``markdown``; ``user_templates`` wins over the built-in ones."""
    loaders = [FileSystemLoader(str(user_templates))] if user_templates is not None else []
    loaders.append(FileSystemLoader(str(built_in_templates())))
    markdown = output_format == "markdown"
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=not markdown,
        finalize=_finalize_markdown if markdown else None,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["mermaid"] = _mermaid
    env.filters["mermaid_id"] = _mermaid_id
    env.filters["md_escape"] = lambda value: MarkdownSafe(escape_inline(str(value)))
    env.filters["md_link"] = _markdown_link
    env.filters["md_anchor"] = _markdown_anchor
    return env
