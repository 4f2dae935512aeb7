"""The Jinja environment: built-in templates, a user folder that overrides them by name, escaping by format.

HTML is autoescaped. Markdown has no autoescaping in Jinja, so every value printed into a
Markdown template is escaped by ``finalize`` unless a filter marked it as already safe.

Templates are read only from inside their folder: a template (or a folder on its way) that is a
symbolic link leading out of it is refused, so ``{% include %}`` can never show ``/etc/passwd``.
"""

from __future__ import annotations

import html
import os
import stat
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import BaseLoader, ChoiceLoader, Environment, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.ext import InternationalizationExtension
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from stratmap.rendering.paged import css_string, page_numbers
from stratmap.rendering.words import PageWords
from stratmap.reporting.escaping import escape_inline, mermaid_id, mermaid_label
from stratmap.reporting.numbers import format_number

BUILT_IN = Path(__file__).resolve().parent.parent / "templates"
"""Templates inside the installed package (the wheel ships the repository's ``templates/`` here)."""
SOURCE_TREE = Path(__file__).resolve().parents[3] / "templates"
"""The repository's ``templates/``, used when running from a source checkout."""
MAX_TEMPLATE_BYTES = 8 * 1024 * 1024
"""A template larger than this is refused (as a strategy file over 8 MiB is)."""


class MarkdownSafe(str):
    """Markdown that a filter built on purpose; printed as it is."""


class UnsafeTemplate(TemplateError):
    """A template that may not be read: a link out of its folder, not a regular file, too large."""


class ConfinedLoader(BaseLoader):
    """Load templates from one folder, refusing any whose real path lies outside it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = Path(os.path.realpath(folder))

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The template's text, its file name as shown to people, and whether it is unchanged."""
        path = self.folder.joinpath(*split_template_path(template))  # '..' is TemplateNotFound
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.root):
            raise UnsafeTemplate(
                f"{path} leads to {real}, outside the template folder {self.folder}; "
                "templates are read only from inside their folder"
            )
        try:
            # The real path has no link left to follow; O_NONBLOCK keeps a pipe from hanging the open.
            descriptor = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            raise TemplateNotFound(template) from None
        except OSError as error:
            raise UnsafeTemplate(f"{path}: cannot open ({error.strerror})") from None
        with open(descriptor, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                if stat.S_ISDIR(info.st_mode):
                    raise TemplateNotFound(template)
                raise UnsafeTemplate(f"{path} is not a regular file")
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise UnsafeTemplate(f"{path} is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB")
            data = stream.read(MAX_TEMPLATE_BYTES + 1)
        if len(data) > MAX_TEMPLATE_BYTES:
            raise UnsafeTemplate(f"{path} is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB")
        try:
            source = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UnsafeTemplate(f"{path} is not UTF-8 (byte {error.start})") from None

        def uptodate() -> bool:
            try:
                return os.stat(real).st_mtime_ns == info.st_mtime_ns
            except OSError:
                return False

        return source, str(path), uptodate


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


def _markdown_code(value: Any) -> MarkdownSafe:
    """Text in code style. Not a code span: inside backticks ``&amp;`` and ``\\[`` would show as written."""
    return MarkdownSafe(f"<code>{escape_inline(str(value))}</code>")


def _markdown_link(target: Any, text: Any = None) -> MarkdownSafe:
    """``[code](#anchor)`` for a ``view.Link``: the code (or ``text``) escaped, the anchor URL-quoted."""
    shown = _finalize_markdown(target.code if text is None else text)
    return MarkdownSafe(f"[{shown}](#{quote(target.anchor, safe=':.')})")


def _markdown_anchor(target: Any) -> MarkdownSafe:
    """An empty HTML anchor that GitHub keeps, so links to the item's qualified code land on it."""
    return MarkdownSafe(f'<a id="{html.escape(target.anchor, quote=True)}"></a>')


def _markdown_refs(notes: Any) -> MarkdownSafe:
    """Marks pointing to footnotes (``view.Footnote``): an anchor to come back to, and the number linking down."""
    marks = []
    for note in notes:
        number = int(note.number)
        marks.append(f'<a id="ref-{number}"></a><sup>[{number}](#note-{number})</sup>')
    return MarkdownSafe("".join(marks))


def _page_gettext(words: PageWords, markdown: bool) -> tuple[Callable[..., str], Callable[..., str]]:
    """``gettext`` and ``ngettext`` for the templates, in the page's language. A message is always a format
    (``%(year)s``, ``%%``); the variables are escaped for the format (HTML, Markdown) unless already safe,
    and the translation itself is taken as it is (it comes from stratmap's catalog, not from the data)."""

    def formatted(text: str, variables: dict[str, Any]) -> str:
        if markdown:
            return MarkdownSafe(text % {name: _finalize_markdown(value) for name, value in variables.items()})
        return Markup(text) % variables

    def gettext(message: str, /, **variables: Any) -> str:
        return formatted(words(message), variables)

    def ngettext(singular: str, plural: str, count: int, /, **variables: Any) -> str:
        variables.setdefault("num", count)
        return formatted(words.ngettext(singular, plural, count), variables)

    return gettext, ngettext


_INTERNAL_TYPES = (
    types.FunctionType,
    types.MethodType,
    type,
    types.CodeType,
    types.TracebackType,
    types.FrameType,
    types.GeneratorType,
    types.CoroutineType,
    types.AsyncGeneratorType,
)
"""The kinds of object whose attributes the sandbox judges one by one (``jinja2.sandbox.is_internal_attribute``)."""


class PageEnvironment(SandboxedEnvironment):
    """The sandbox, with a quicker ``a.b`` for the common case: a page reads hundreds of thousands of
    attributes of the view's plain objects. The answer is the sandbox's own: for an object that is none of
    ``_INTERNAL_TYPES``, an attribute not starting with ``_`` is safe, and only a method (``str.format``) is
    wrapped; everything else is left to the sandbox."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain: dict[type, bool] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` for a template, as the sandbox answers it."""
        kind = type(obj)
        plain = self._plain.get(kind)
        if plain is None:
            plain = self._plain[kind] = not issubclass(kind, _INTERNAL_TYPES)
        if plain and not attribute.startswith("_"):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)
            if not isinstance(value, (types.MethodType, types.BuiltinMethodType)):
                return value
        return super().getattr(obj, attribute)


def environment(
    output_format: str, user_templates: Path | None, words: PageWords | None = None
) -> SandboxedEnvironment:
    """The environment for ``html`` or ``markdown``; ``user_templates`` wins over the built-in ones.

    ``_`` (and ``gettext``, ``ngettext``, ``{% trans %}``) speak the page's language (``words``: Chinese
    unless ``--lang en``); ``html_lang`` is the page's ``<html lang>``."""
    loaders: list[BaseLoader] = [ConfinedLoader(user_templates)] if user_templates is not None else []
    loaders.append(ConfinedLoader(built_in_templates()))
    markdown = output_format == "markdown"
    env = PageEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=not markdown,
        finalize=_finalize_markdown if markdown else None,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[InternationalizationExtension],
    )
    words = words or PageWords()
    gettext, ngettext = _page_gettext(words, markdown)
    # newstyle: ``{% trans %}`` passes its variables to gettext, which formats and escapes them itself
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(gettext=gettext, ngettext=ngettext)  # as they are, not wrapped again by Jinja
    env.globals["html_lang"] = words.html_language
    env.globals["page_numbers"] = page_numbers(words)  # print: 「第 n 頁／共 m 頁」 as CSS
    env.filters["css_string"] = css_string
    env.filters["mermaid"] = _mermaid
    env.filters["mermaid_id"] = _mermaid_id
    env.filters["md_escape"] = lambda value: MarkdownSafe(escape_inline(str(value)))
    env.filters["md_code"] = _markdown_code
    env.filters["md_link"] = _markdown_link
    env.filters["md_anchor"] = _markdown_anchor
    env.filters["md_refs"] = _markdown_refs
    env.filters["number"] = format_number
    return env
