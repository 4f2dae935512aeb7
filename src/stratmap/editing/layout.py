"""``stratmap fmt``: one canonical layout for the data files (the shipped ``data/110`` is in it).

- The first line is the schema modeline, ``# yaml-language-server: $schema=...``: one found among the
  file's leading comments is moved there as written; a missing one is added, pointing at ``schemas/``.
- Keys stand in the schema's order (the fields of the file's Pydantic model, at every level), but for the
  next level of the cascade, which comes last, after ``note``, so that a file reads from the top down (a
  city map's cross-cutting objectives and themes, objectives, KPIs, action plans, measures). Keys the
  schema does not know (``validate`` reports them) follow the known ones, in their own order; the keys
  of free mappings (measures by KPI and period, targets by year) keep theirs.
- Two-space indentation: a mapping by 2, a sequence's items by 4 with the dash at 2 (``  - code: BC1``).
- Action plans are flow mappings (``- {code: BC1.1.1, name: ...}``) and lists of codes flow sequences
  (``[DC3.1]``), unless they hold a comment, which a flow collection cannot keep. Every other collection
  keeps its style: the city map writes its objectives both ways.
- A comment at the end of a line stands two spaces after the value; a comment on a line of its own is
  indented as the line below it, and moves with the key below it (the file's header stays first).
- A Chinese word the schema accepts for a value is written as that value: ``perspective: 內部流程`` as
  ``perspective: P``, ``direction: 越高越好`` as ``higher``, ``frequency: 每季`` as ``quarterly`` (the
  ``Words`` of the models' fields); only the word itself is replaced.

The keys of each block mapping are put in order line by line, each with the comment lines above it; the
result is loaded and dumped by ruamel.yaml's round-trip mode with the indentation and flow styles above.
A new text must read back (PyYAML) to the very values of the old one (its Chinese words read as the values
they stand for) and hold the same comments, or it is not written. If any file cannot be formatted, nothing
is written at all.
"""

from __future__ import annotations

import functools
import types
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml as pyyaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from stratmap.editing.roundtrip import (
    MODELINE,
    SCHEMAS_FOLDER,
    Document,
    LayoutError,
    dump,
    find_schemas,
    load_document,
    schema_line,
    split_document,
)
from stratmap.i18n import _
from stratmap.loading.discovery import UsageError, find_plans, repository_of, shown_path
from stratmap.model import FILE_KINDS
from stratmap.model.codes import ActionPlanCode, DrivenCode, KpiCode, ObjectiveCode, ThemeCode, words_of
from stratmap.model.theme import ActionPlan
from stratmap.problems import Finding

_LEVEL_BELOW = ("cross_cutting_objectives", "themes", "objectives", "kpis", "action_plans", "measures")
"""Fields that hold the next level of the cascade (or a measures file's values): they come last, in this
order, so that a file reads from the top down (as the shipped files and the printed map have it)."""
_FLOW_MODELS: tuple[type[BaseModel], ...] = (ActionPlan,)
"""Models whose mappings are written in flow style."""
_CODE_TYPES: tuple[Any, ...] = (ThemeCode, ObjectiveCode, KpiCode, ActionPlanCode, DrivenCode)
"""Item types of the lists written in flow style."""


@dataclass
class FormatOutcome:
    """What fmt did (or, with ``check``, would do)."""

    changed: list[Path] = field(default_factory=list)
    """Files rewritten (or that would be), as found."""
    errors: list[str] = field(default_factory=list)
    """``FILE:LINE:COL: message`` for each file that cannot be formatted; nothing of it is written."""


class _Unformattable(Exception):
    """A file fmt cannot format: ``FILE:LINE:COL: message``."""


def format_files(paths: list[Path], cwd: Path, check: bool) -> FormatOutcome:
    """Format the data files under ``paths`` (data folders, plan folders or files; none: the repository's
    ``data/``). With ``check``, or when any file cannot be formatted, nothing is written. Raises
    ``UsageError`` for a PATH that does not exist or holds no plan."""
    outcome = FormatOutcome()
    targets = _targets(paths, cwd, outcome.errors)  # a PATH that holds no plan: UsageError (exit 2)
    texts: dict[Path, bytes] = {}
    for path, plan_root in targets:
        try:
            original = path.read_bytes()
            new = _formatted(path, original, plan_root, cwd)
        except OSError as error:
            message = _("{file}: cannot read it ({reason})")
            outcome.errors.append(message.format(file=shown_path(path, cwd), reason=error.strerror or error))
            continue
        except _Unformattable as error:
            outcome.errors.append(str(error))
            continue
        if new != original:
            texts[path] = new
    if outcome.errors and not check:
        if texts:
            message = _(
                "nothing was written ({count} file(s) to reformat): correct the files above, "
                "then run stratmap fmt again"
            )
            outcome.errors.append(message.format(count=len(texts)))
        return outcome
    outcome.changed = list(texts)
    if not check and texts:
        from stratmap.files import write_all_or_none

        write_all_or_none(texts)
    return outcome


def _targets(paths: list[Path], cwd: Path, errors: list[str]) -> list[tuple[Path, Path]]:
    """Each file to format once, with its plan folder: the files named, and every file of the folders named."""
    found: dict[Path, tuple[Path, Path]] = {}
    for given in paths or [Path()]:
        named = [given] if paths else []
        for plan in find_plans(named, cwd):
            errors.extend(f"{shown_path(where, cwd)}: {why}; {what}" for where, why, what in plan.unreadable)
            files = [given] if named and given.is_file() else list(plan.files)
            for path in files:
                if not path.name.endswith((".yaml", ".yml")):
                    message = _("{file}: not a data file; stratmap fmt formats .yaml and .yml files only")
                    raise UsageError(message.format(file=path))
                if path.is_symlink():
                    message = _("{file}: a symbolic link; fmt writes no file through a link")
                    errors.append(message.format(file=shown_path(path, cwd)))
                    continue
                found.setdefault(path.resolve(), (path, plan.root))
    return list(found.values())


def _formatted(path: Path, original: bytes, plan_root: Path, cwd: Path) -> bytes:
    """The file's bytes in the canonical layout; raises :class:`_Unformattable`."""
    display = shown_path(path, cwd)
    text = _read_safely(original, display)
    document = split_document(text, display)
    offset = document.prefix.count("\n")
    yaml, data = _load(document, offset)
    kind = _kind(data, display, offset)
    canonical = _canonical_values(document.body, FILE_KINDS[kind])
    if canonical != document.body:
        document = replace(document, body=canonical)
        text = document.with_body(canonical)  # what the new text must read back to
    body = _arranged(document.body, FILE_KINDS[kind])
    try:
        yaml, data = _load(Document(display, "", "\n", "", body, ""), offset)
    except _Unformattable:
        raise _Unformattable(_bug(display)) from None
    _set_flow_styles(data, FILE_KINDS[kind])
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.Emitter = _Emitter
    body = _indent_comments("".join(dump(yaml, data)))
    modeline = _schema_line(path, plan_root, kind)
    prefix, body = _with_modeline(document.prefix, body, modeline)
    new = Document(display, document.bom, document.newline, prefix, body, document.suffix).with_body(body)
    _check_kept(text, new, display)
    return new.encode("utf-8")


def _read_safely(original: bytes, display: Path) -> str:
    """The file's text, once the reader every command uses has found it safe and bounded (UTF-8, no
    unsafe tags, duplicate keys or alias bombs, not too deep: the Y rules), before ruamel.yaml sees it."""
    from stratmap.loading.reading import decode_text
    from stratmap.loading.yaml_reader import parse_yaml

    text = decode_text(original, display)
    parsed = parse_yaml(text, display) if isinstance(text, str) else text
    if isinstance(parsed, Finding):
        hint = parsed.hint or _("correct it there and run stratmap fmt again")
        raise _Unformattable(f"{parsed.location}: {parsed.message} [{parsed.rule}]" + _("; ") + hint)
    assert isinstance(text, str)
    return ("\ufeff" if original.startswith(b"\xef\xbb\xbf") else "") + text.removeprefix("\ufeff")


def _load(document: Document, offset: int) -> tuple[YAML, CommentedMap]:
    """The document in round-trip mode; a YAML error as ``FILE:LINE:COL`` (``offset``: lines before the body)."""
    try:
        return load_document(document)
    except LayoutError as error:
        cause = error.__cause__
        mark = getattr(cause, "problem_mark", None) or getattr(cause, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        where = f"{document.display}:{line + offset}:{column}"
        if isinstance(cause, YAMLError):
            problem = getattr(cause, "problem", None) or str(cause).splitlines()[0]
            message = _("not valid YAML: {problem}; correct it there and run stratmap fmt again").format(
                problem=problem
            )
        else:
            reason = str(error).removeprefix(f"{document.display}: ")
            message = _("{reason}; fmt formats strategy files only").format(reason=reason)
        raise _Unformattable(f"{where}: {message}") from None


def _kind(data: CommentedMap, display: Path, offset: int) -> str:
    """The file's ``kind:``, one fmt knows the key order of."""
    kind = data.get("kind")
    if isinstance(kind, str) and kind in FILE_KINDS:
        return kind
    line, column = data.lc.key("kind") if "kind" in data else (0, 0)
    message = _("{where}: kind {kind} is not one of {kinds}; fmt formats strategy files only: give the file its kind")
    where = f"{display}:{line + 1 + offset}:{column + 1}"
    raise _Unformattable(message.format(where=where, kind=repr(kind), kinds=", ".join(FILE_KINDS)))


# --- values: Chinese words as the values they stand for ---------------------------------------------------


def _canonical_values(body: str, model: type[BaseModel]) -> str:
    """``body`` with each Chinese word a field accepts for a value (``內部流程``) replaced by that value
    (``P``), in place: nothing else of the text changes."""
    spans: set[tuple[int, int, str]] = set()
    pending: list[tuple[Node, Any]] = [(_round_trip().compose(body), model)]
    seen: set[int] = set()
    while pending:
        node, shape = pending.pop()
        if id(node) in seen:  # an alias: its anchor's node is walked once
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            here = _model_of(shape)
            for key, value in node.value:
                found = here.model_fields.get(key.value) if here is not None and isinstance(key.value, str) else None
                words = words_of(found.annotation, found.metadata) if found is not None else None
                if words is not None and isinstance(value, ScalarNode) and value.value in words.table:
                    start, end = value.start_mark.index, value.end_mark.index
                    if body[start:end].strip("'\"") == value.value:  # the word alone: no tag, no anchor
                        spans.add((start, end, words.table[value.value]))
                pending.append((value, _field_shape(here, shape, key.value)))
        elif isinstance(node, SequenceNode):
            pending.extend((item, _items_of(shape)) for item in node.value)
    for start, end, value in sorted(spans, reverse=True):
        body = body[:start] + value + body[end:]
    return body


# --- key order, line by line ---------------------------------------------------------------------------


def _arranged(body: str, model: type[BaseModel]) -> str:
    """``body`` with the keys of every block mapping in the schema's order; comment lines go with the key
    below them."""
    root = _round_trip().compose(body)
    lines = body.splitlines(keepends=True)
    first, end = root.start_mark.line, _last(root) + 1
    return "".join(lines[:first] + _render(root, model, lines) + lines[end:])


def _round_trip() -> YAML:
    return YAML()


def _render(node: Node, shape: Any, lines: list[str]) -> list[str]:
    """The lines of ``node`` (from its first line to its last), its block mappings' keys put in order."""
    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        return _render_mapping(node, shape, lines)
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        out: list[str] = []
        position = node.start_mark.line
        for item in node.value:
            if _empty(item):
                continue
            out += lines[position : item.start_mark.line] + _render(item, _items_of(shape), lines)
            position = _last(item) + 1
        return out
    return lines[node.start_mark.line : _last(node) + 1]


def _render_mapping(node: MappingNode, shape: Any, lines: list[str]) -> list[str]:
    """A block mapping's lines with its entries (each with the comment lines above it) in the schema's order."""
    model = _model_of(shape)
    leads: list[list[str]] = []
    bodies: list[list[str]] = []
    position = node.start_mark.line
    for key, value in node.value:
        leads.append(lines[position : key.start_mark.line])
        child = _field_shape(model, shape, key.value)
        end = _entry_end(key, value)
        if isinstance(value, MappingNode | SequenceNode) and not value.flow_style and value.value:
            bodies.append(lines[key.start_mark.line : value.start_mark.line] + _render(value, child, lines))
        else:
            bodies.append(lines[key.start_mark.line : end])
        position = end
    order = sorted(range(len(bodies)), key=lambda index: _rank(model, node.value[index][0].value, index))
    if order[0] != 0:
        column = node.value[0][0].start_mark.column
        opener = bodies[0][0][:column]  # "  - " when the mapping is a sequence's item
        bodies[0][0] = " " * column + bodies[0][0][column:]
        bodies[order[0]][0] = opener + bodies[order[0]][0][column:]
    out = leads[0] + (leads[order[0]] if order[0] != 0 else []) + bodies[order[0]]
    for index in order[1:]:
        out += leads[index] + bodies[index]
    return out


def _entry_end(key: Node, value: Node) -> int:
    """The line after a mapping entry (an empty value's mark stands at the next token)."""
    return key.end_mark.line + 1 if _empty(value) else _last(value) + 1


def _empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.start_mark.index == node.end_mark.index


def _last(node: Node) -> int:
    """The last line holding the node's text."""
    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        key, value = node.value[-1]
        return _entry_end(key, value) - 1
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        return _last(node.value[-1])
    mark = node.end_mark
    return int(mark.line if mark.column > 0 or mark.line == node.start_mark.line else mark.line - 1)


def _rank(model: type[BaseModel] | None, key: Any, index: int) -> tuple[int, int]:
    """Known keys by their field's place; unknown keys after them, in their own order."""
    names = _field_order(model) if model is not None else []
    return (names.index(key), 0) if key in names else (len(names), index)


@functools.cache
def _field_order(model: type[BaseModel]) -> list[str]:
    """The model's fields in order, the next level of the cascade last (after ``note``)."""
    names = list(model.model_fields)
    below = [name for name in _LEVEL_BELOW if name in names]
    rest = [name for name in names if name not in below and name != "note"]
    return rest + ["note"] * ("note" in names) + below


# --- shapes: what the schema says a node holds -----------------------------------------------------------


def _options(shape: Any) -> Iterator[Any]:
    """The types a field's annotation allows, unwrapping ``Annotated`` and unions."""
    origin = typing.get_origin(shape)
    if origin is typing.Annotated:
        yield from _options(typing.get_args(shape)[0])
    elif origin is typing.Union or origin is types.UnionType:
        for option in typing.get_args(shape):
            yield from _options(option)
    elif shape is not None:
        yield shape


def _model_of(shape: Any) -> type[BaseModel] | None:
    return next((o for o in _options(shape) if isinstance(o, type) and issubclass(o, BaseModel)), None)


def _items_of(shape: Any) -> Any:
    """What the items of a list hold."""
    return next((typing.get_args(o)[0] for o in _options(shape) if typing.get_origin(o) is list), None)


def _field_shape(model: type[BaseModel] | None, shape: Any, key: Any) -> Any:
    """What the value under ``key`` holds: a model's field, or a free mapping's values."""
    if model is not None:
        found = model.model_fields.get(key) if isinstance(key, str) else None
        return found.annotation if found is not None else None
    return next((typing.get_args(o)[1] for o in _options(shape) if typing.get_origin(o) is dict), None)


# --- styles and comments -------------------------------------------------------------------------------


def _set_flow_styles(node: Any, shape: Any) -> None:
    """Action plans as flow mappings and lists of codes as flow sequences, where they hold no comment; the
    keys of flow mappings in order."""
    if isinstance(node, CommentedMap):
        model = _model_of(shape)
        if model in _FLOW_MODELS and not _holds_comments(node) and None not in node.values():  # no "key: null"
            node.fa.set_flow_style()
        if node.fa.flow_style():  # a block mapping's keys are in order already, line by line
            for _, key in sorted((_rank(model, key, index), key) for index, key in enumerate(node)):
                node.move_to_end(key)
        for key, value in node.items():
            _set_flow_styles(value, _field_shape(model, shape, key))
    elif isinstance(node, CommentedSeq):
        items = _items_of(shape)
        if items in _CODE_TYPES and not _holds_comments(node) and not any(isinstance(v, list | dict) for v in node):
            node.fa.set_flow_style()
        for value in node:
            _set_flow_styles(value, items)


def _holds_comments(node: CommentedMap | CommentedSeq) -> bool:
    return any(True for _ in _comment_tokens(node))


def _comment_tokens(node: Any) -> Iterator[Any]:
    """Every comment token ruamel.yaml attached to ``node`` and the nodes in it."""
    if not isinstance(node, CommentedMap | CommentedSeq):
        return
    attached = [*(node.ca.comment or []), *node.ca.items.values(), *(getattr(node.ca, "end", None) or [])]
    while attached:
        item = attached.pop()
        if isinstance(item, list):
            attached.extend(item)
        elif item is not None:
            yield item
    for value in node.values() if isinstance(node, CommentedMap) else node:
        yield from _comment_tokens(value)


class _Emitter(RoundTripEmitter):
    """ruamel.yaml's round-trip emitter, writing an end-of-line comment two spaces after its value."""

    def write_comment(self, comment: Any, pre: bool = False) -> None:
        """Write a comment; one after a value (not on a line of its own) at two spaces from it."""
        if self.column and comment.value and not comment.value.startswith("\n"):
            comment.start_mark.column = self.column + 2
        super().write_comment(comment, pre)


def _indent_comments(body: str) -> str:
    """Each comment on a line of its own indented as the next line that is not one."""
    lines = body.splitlines(keepends=True)
    inside = _scalar_lines(body)
    indent = 0
    for index in reversed(range(len(lines))):
        text = lines[index].lstrip(" ")
        if index in inside or not text.strip():
            continue
        if text.startswith("#"):
            lines[index] = " " * indent + text
        else:
            indent = len(lines[index]) - len(text)
    return "".join(lines)


def _scalar_lines(body: str) -> set[int]:
    """The lines that continue a scalar of several lines (a ``#`` there is text, not a comment)."""
    found: set[int] = set()
    pending = [_round_trip().compose(body)]
    while pending:
        node = pending.pop()
        if isinstance(node, ScalarNode):
            found.update(range(node.start_mark.line + 1, _last(node) + 1))
        elif isinstance(node, MappingNode):
            pending.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    return found


# --- the schema line -----------------------------------------------------------------------------------


def _schema_line(path: Path, plan_root: Path, kind: str) -> str:
    """The modeline a file without one gets: the repository's ``schemas/`` folder, relative to the file."""
    folder = path.resolve().parent
    schemas = find_schemas(folder, kind, fallback=repository_of(plan_root) / SCHEMAS_FOLDER)
    assert schemas is not None
    return schema_line(folder, schemas, kind) + "\n"


def _with_modeline(prefix: str, body: str, modeline: str) -> tuple[str, str]:
    """``prefix`` and ``body`` with the modeline first: the one among the leading comments, else ``modeline``."""
    parts = [prefix.splitlines(keepends=True), body.splitlines(keepends=True)]
    for lines in parts:
        for index, line in enumerate(lines):
            if MODELINE.match(line.strip()):
                modeline = lines.pop(index).strip() + "\n"
                break
            if line.strip() and not line.lstrip().startswith(("#", "%", "---")):
                break
        else:
            continue
        break
    parts[0 if prefix else 1].insert(0, modeline)
    return "".join(parts[0]), "".join(parts[1])


def _check_kept(old: str, new: str, display: Path) -> None:
    """Refuse a new text that does not hold the old one's values and comments."""
    try:
        values = pyyaml.safe_load(old.removeprefix("\ufeff"))
    except pyyaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else "1:1"
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        message = _("{where}: not valid YAML: {problem}; correct it there")
        raise _Unformattable(message.format(where=f"{display}:{where}", problem=problem)) from None
    try:
        same = pyyaml.safe_load(new.removeprefix("\ufeff")) == values
    except pyyaml.YAMLError:
        same = False
    if not same or _comments(old) != _comments(new):
        raise _Unformattable(_bug(display))


def _bug(display: Path) -> str:
    message = _(
        "{where}: stratmap fmt would change a value or lose a comment here (a bug in stratmap); "
        "the file is left as it is: please report it"
    )
    return message.format(where=f"{display}:1:1")


def _comments(text: str) -> Counter[str]:
    """The comment lines of a text, as ruamel.yaml reads them, however placed; the modeline aside."""
    document = split_document(text, Path())
    try:
        _, data = load_document(document)
    except LayoutError:
        return Counter()
    header = [line for line in document.prefix.splitlines() if line.lstrip().startswith("#")]
    seen: dict[int, Any] = {id(token): token for token in _comment_tokens(data)}
    found = [line.strip() for token in seen.values() for line in token.value.splitlines()]
    return Counter(line for line in header + found if line.startswith("#") and not MODELINE.match(line))
