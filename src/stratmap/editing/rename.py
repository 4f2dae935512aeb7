"""``stratmap rename``: renumber a code, its children and every reference to it, in ruamel.yaml round-trip mode.

The graph says where each code to change was written: the renamed items (their ``code:`` values), the
references to them (``city_kpis``, ``aligns_to``, TOWS ``objective``/``city_objective``), a department's
``city_roles`` and its measures file's keys. Each file is loaded in round-trip mode, the value written at
each of those places is replaced, and :func:`keep_untouched` takes back every other line byte for byte.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.tokens import CommentToken

from stratmap.editing.roundtrip import LayoutError, dump, keep_untouched, load_document, split_document
from stratmap.i18n import N_, _
from stratmap.linking.graph import CITY, Node, NodeKind, PlanGraph, QualifiedCode
from stratmap.loading.loader import LoadedFile
from stratmap.model.codes import OBJECTIVE_PATTERN, CodeLevel, level_of, parent_code
from stratmap.model.department import DepartmentFile
from stratmap.problems import Location
from stratmap.tracing.query import MalformedCode, parse_query

RENAMED_KINDS = (NodeKind.CITY_THEME, NodeKind.CITY_OBJECTIVE, NodeKind.CITY_KPI, NodeKind.THEME,
                 NodeKind.OBJECTIVE, NodeKind.KPI, NodeKind.ACTION_PLAN)  # fmt: skip
_ACTION = N_("stratmap rename cannot rename the code")
"""What a refused rename could not do (translated where it is shown)."""


_LEVELS = {CodeLevel.THEME: N_("theme"), CodeLevel.OBJECTIVE: N_("objective"), CodeLevel.KPI: N_("KPI"),
           CodeLevel.ACTION_PLAN: N_("action plan")}  # fmt: skip
"""The levels of codes, as a refused rename names them."""


class RenameError(Exception):
    """A rename refused: unknown, ambiguous or taken code, or against the numbering rules (exit 2)."""


@dataclass(frozen=True)
class _Change:
    """A file's old and new text."""

    path: Path
    """The file as the graph shows it (relative to the current folder when it can be)."""
    target: Path
    """Where the file is written."""
    old: str
    new: str


class RenameEdit:
    """The files a rename changes: their old and new texts."""

    def __init__(self, changes: list[_Change]) -> None:
        self._changes = changes

    def diff(self) -> str:
        """A unified diff of every changed file (``a/PATH``, ``b/PATH``), as shown without ``--write``."""
        parts: list[str] = []
        for change in self._changes:
            shown = change.path.as_posix()
            lines = difflib.unified_diff(
                change.old.splitlines(keepends=True), change.new.splitlines(keepends=True), f"a/{shown}", f"b/{shown}"
            )
            parts.extend(line if line.endswith("\n") else line + "\n" for line in lines)
        return "".join(parts)

    def new_texts(self) -> dict[Path, str]:
        """Each changed file's new text, by path."""
        return {change.target: change.new for change in self._changes}


@dataclass
class _Spot:
    """A code written at ``location`` that becomes ``new``."""

    location: Location
    old: str
    new: str


@dataclass(frozen=True)
class _Move:
    """A department KPI (already given its new code) moving into another objective of its department."""

    kpi: Node
    new_code: str
    objective: Node


@dataclass
class _FileEdit:
    """The codes to change in one file, and the measures keys to rename in it."""

    path: Path
    spots: list[_Spot] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    """Old -> new keys of ``measures:`` (a measures file)."""


def plan_rename(graph: PlanGraph, old: str, new: str, cwd: Path) -> RenameEdit:
    """The edit that renames ``old`` to ``new`` in ``graph``'s plan; raises :class:`RenameError`."""
    node = _the_node(graph, old)
    target = _new_code(node, new)
    if target == node.code:
        raise RenameError(_("{old} is already coded {new}; nothing to rename").format(old=old, new=target))
    renames = _renames(node, target)
    _check_free(graph, node, renames)
    move = _move_of(graph, node, target)
    if move is None:
        _check_prefix(node, target)
    edits: dict[Path, _FileEdit] = {}

    def at(location: Location, old_code: str, new_code: str) -> None:
        edits.setdefault(location.path, _FileEdit(location.path)).spots.append(_Spot(location, old_code, new_code))

    for renamed in [node, *node.descendants()]:
        if renamed.declared:
            at(renamed.location, renamed.code.code, renames[renamed.code].code)
    for reference in graph.references:
        if reference.target_code in renames:
            at(reference.location, reference.target_code.code, renames[reference.target_code].code)
    if node.kind is NodeKind.CITY_THEME:
        for place in _city_roles(graph, node.code.code):
            at(place, node.code.code, target.code)
    _rename_measures(graph, node.code.namespace, renames, edits)
    return RenameEdit(_edited(edits, move, cwd))


def _the_node(graph: PlanGraph, text: str) -> Node:
    """The item ``text`` names: qualified, or bare when only one namespace has it."""
    query = _parsed(text)
    namespaces = [query.namespace] if query.namespace else graph.namespaces()
    found = [
        node
        for namespace in namespaces
        for node in graph.nodes.get(QualifiedCode(namespace, query.code), [])
        if node.kind in RENAMED_KINDS
    ]
    if not found:
        message = _(
            "no theme, objective, KPI or action plan is coded {code} in this plan; check the code with 'stratmap trace'"
        )
        raise RenameError(message.format(code=text))
    if len(found) > 1:
        listed = _(", ").join(_("{code} ({kind})").format(code=node.code, kind=node.kind.label) for node in found)
        message = _("{code} names {count} items: {listed}; qualify it, as in {example}")
        raise RenameError(message.format(code=text, count=len(found), listed=listed, example=found[0].code))
    return found[0]


def _parsed(text: str) -> Any:
    try:
        return parse_query(text)
    except MalformedCode as error:
        raise RenameError(str(error)) from error


def _new_code(node: Node, text: str) -> QualifiedCode:
    """The new code, in the item's own namespace and at its level."""
    query = _parsed(text)
    if query.namespace and query.namespace != node.code.namespace:
        message = _("{code} cannot become {new}: a rename stays in its namespace ({namespace}); write {example}")
        example = f"{node.code.namespace}:{query.code}"
        raise RenameError(message.format(code=node.code, new=text, namespace=node.code.namespace, example=example))
    level = level_of(node.code.code)
    if level_of(query.code) != level:
        message = _("{new} is not a {level} code, as {code} ({kind}) needs")
        raise RenameError(
            message.format(
                new=query.code, level=_(_LEVELS[level]) if level else "", code=node.code, kind=node.kind.label
            )
        )
    return QualifiedCode(node.code.namespace, query.code)


def _renames(node: Node, target: QualifiedCode) -> dict[QualifiedCode, QualifiedCode]:
    """The item and every item below it, old code -> new code (``BP2.1.1`` -> ``BP4.1.1``)."""
    old = node.code.code
    return {
        item.code: QualifiedCode(item.code.namespace, target.code + item.code.code[len(old) :])
        for item in [node, *node.descendants()]
    }


def _check_free(graph: PlanGraph, node: Node, renames: dict[QualifiedCode, QualifiedCode]) -> None:
    """No new code may name an item that keeps its code."""
    moving = {id(item) for item in [node, *node.descendants()]}
    for new in renames.values():
        taken = [item for item in graph.nodes.get(new, []) if id(item) not in moving]
        if taken:
            message = _(
                "{code} is already used by the {kind} at {where}; choose a free code, or rename that item first"
            )
            raise RenameError(message.format(code=new, kind=taken[0].kind.label, where=taken[0].location))


def _check_prefix(node: Node, target: QualifiedCode) -> None:
    """The new code starts with its parent's code (rule R002) and an objective's letter is its perspective."""
    new = target.code
    expected = node.parent.code.code if node.parent is not None else None
    if node.kind is NodeKind.CITY_OBJECTIVE and node.parent is None:
        expected = "T"
    if expected is not None and parent_code(new) != expected:
        message = _(
            "{code} ({kind}) sits in {parent}: its new code must start with {parent} (rule R002 code-prefix), "
            "as in {example}"
        ).format(
            code=node.code, kind=node.kind.label, parent=expected, example=expected + node.code.code[len(expected) :]
        )
        if node.kind is NodeKind.KPI:
            message += _("; to move a KPI, name an objective of its department that exists")
        raise RenameError(message)
    match = OBJECTIVE_PATTERN.fullmatch(new)
    if match and node.perspective is not None and match[2] != node.perspective.value:
        message = _(
            "{code} is a {perspective} ({letter}) objective: its new code must have {letter} as its second letter, "
            "as in {example}"
        )
        letter = node.perspective.value
        raise RenameError(
            message.format(
                code=node.code, perspective=node.perspective.label, letter=letter, example=f"{new[0]}{letter}{match[3]}"
            )
        )


def _move_of(graph: PlanGraph, node: Node, target: QualifiedCode) -> _Move | None:
    """A department KPI renamed under another objective that exists moves there; anything else stays put."""
    if node.kind is not NodeKind.KPI or node.parent is None or parent_code(target.code) == node.parent.code.code:
        return None
    objective = graph.find(QualifiedCode(target.namespace, parent_code(target.code) or ""))
    if objective is None or objective.kind is not NodeKind.OBJECTIVE:
        return None
    return _Move(node, target.code, objective)


def _city_roles(graph: PlanGraph, theme: str) -> Iterator[Location]:
    """Where departments name the city theme as one they lead or take part in."""
    for unit in graph.departments.values():
        model = unit.file.model
        assert isinstance(model, DepartmentFile)
        for role in ("lead", "member"):
            for index, code in enumerate(getattr(model.city_roles, role)):
                if code == theme:
                    yield unit.file.location("city_roles", role, index)


def _rename_measures(
    graph: PlanGraph, namespace: str, renames: dict[QualifiedCode, QualifiedCode], edits: dict[Path, _FileEdit]
) -> None:
    """The measures file's keys of the renamed KPIs."""
    unit = graph.departments.get(namespace)
    if namespace == CITY or unit is None or unit.measures_file is None:
        return
    keys = {
        code: renames[QualifiedCode(namespace, code)].code
        for code in unit.measures
        if QualifiedCode(namespace, code) in renames
    }
    if keys:
        file: LoadedFile = unit.measures_file
        edits.setdefault(file.path, _FileEdit(file.path)).keys.update(keys)


class _Loaded:
    """One data file loaded in round-trip mode, and the 0-based body lines its edits touch."""

    def __init__(self, path: Path, cwd: Path) -> None:
        self.path = path
        self.target = path if path.is_absolute() else cwd / path
        self.original = self.target.read_text(encoding="utf-8")
        self.document = split_document(self.original, path)
        self.yaml, self.data = load_document(self.document)
        self.skipped = self.document.prefix.count("\n")  # the graph counts lines from the file's start
        self.places = dict(_scalar_places(self.data))
        self.touched: set[int] = set()

    def place(self, location: Location, code: str) -> tuple[Any, Any]:
        """The container and key (or index) of the value ``code`` written at ``location``."""
        found = self.places.get((location.line - 1 - self.skipped, location.column - 1))
        if found is None or str(found[0][found[1]]) != code:
            message = _(
                "{where}: cannot find {code} where the plan says it is written; validate the plan and try again"
            )
            raise RenameError(message.format(where=location, code=code))
        return found

    def replace(self, spot: _Spot) -> None:
        """Write the spot's new code in place of the old, in the same style (plain or quoted)."""
        container, key = self.place(spot.location, spot.old)
        old = container[key]
        container[key] = type(old)(spot.new) if isinstance(old, ScalarString) else spot.new
        self.touched.add(spot.location.line - 1 - self.skipped)

    def change(self) -> _Change:
        """The file's old and new text, every line no edit touched as it was."""
        dumped = dump(self.yaml, self.data)
        body = "".join(keep_untouched(self.document.lines, dumped, self.touched, self.path, _(_ACTION)))
        return _Change(self.path, self.target, self.original, self.document.with_body(body))


def _edited(edits: dict[Path, _FileEdit], move: _Move | None, cwd: Path) -> list[_Change]:
    """Every file with its codes changed (and a KPI moved), every other line as it was."""
    paths = sorted({*edits, *([move.objective.location.path] if move else [])})
    try:
        loaded = {path: _Loaded(path, cwd) for path in paths}
        for path, edit in edits.items():
            for spot in edit.spots:
                loaded[path].replace(spot)
            loaded[path].touched |= _rename_keys(loaded[path].data, edit.keys)
        if move is not None:
            _move_kpi(move, loaded)
        return [loaded[path].change() for path in paths]
    except LayoutError as error:
        raise RenameError(str(error)) from error


def _move_kpi(move: _Move, loaded: dict[Path, _Loaded]) -> None:
    """Take the KPI's entry out of its objective's ``kpis`` and append it to the other objective's.

    The comment lines after an entry (``# 學習成長構面`` before the next objective) are kept by ruamel.yaml
    on the entry's last value, so they are handed to whatever now stands last in their place."""
    assert move.kpi.parent is not None
    source = loaded[move.kpi.location.path]
    kpi, _ = source.place(move.kpi.location, move.new_code)
    objective, _ = source.place(move.kpi.parent.location, move.kpi.parent.code.code)
    kpis = objective["kpis"]
    index = next(i for i, item in enumerate(kpis) if item is kpi)
    source.touched |= _entry_lines(source, kpis, index)
    last = index == len(kpis) - 1
    trailing = _take_trailing(kpi) if last else ""
    del kpis[index]
    if not kpis:
        source.touched.add(objective.lc.key("kpis")[0])
        del objective["kpis"]
    _give_trailing(kpis[-1] if kpis else objective, trailing)

    destination = loaded[move.objective.location.path]
    into, _ = destination.place(move.objective.location, move.objective.code.code)
    target_kpis = into.get("kpis")
    if isinstance(target_kpis, CommentedSeq) and target_kpis:
        trailing = _take_trailing(target_kpis[-1])
    else:
        trailing = _take_trailing(into)
        if "kpis" in into:  # kpis: [] or null
            destination.touched.add(into.lc.key("kpis")[0])
        target_kpis = into["kpis"] = CommentedSeq()
    target_kpis.append(kpi)
    _give_trailing(kpi, trailing)


def _entry_lines(loaded: _Loaded, entries: CommentedSeq, index: int) -> set[int]:
    """The 0-based lines of a block sequence's entry: from its ``-`` to the line before the next entry (the
    last entry: to its last more indented line, leaving the comment lines after it)."""
    start, column = entries.lc.item(index)
    if index + 1 < len(entries):
        return set(range(start, entries.lc.item(index + 1)[0]))
    dash = column - 2
    lines = loaded.document.lines
    end = start + 1
    for number in range(start + 1, len(lines)):
        content = lines[number].lstrip(" ")
        if content.strip():
            if len(lines[number]) - len(content) <= dash:
                break
            end = number + 1
    return set(range(start, end))


def _tail_chain(node: Any) -> list[tuple[Any, Any]]:
    """The last entries of a block mapping or sequence, followed into the block collections nested in them."""
    chain: list[tuple[Any, Any]] = []
    while isinstance(node, CommentedMap | CommentedSeq) and node and not node.fa.flow_style():
        key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        chain.append((node, key))
        node = node[key]
    return chain


def _take_trailing(node: Any) -> str:
    """Remove and return the comment lines after ``node`` (its last value's line end left in place)."""
    taken = ""
    for container, key in reversed(_tail_chain(node)):
        slot = 2 if isinstance(container, CommentedMap) else 0
        item = container.ca.items.get(key)
        token = item[slot] if item and len(item) > slot else None
        if isinstance(token, CommentToken) and not taken:
            head, newline, rest = token.value.partition("\n")
            token.value, taken = head + newline, rest
        for end in container.ca.end or []:
            taken += " " * end.column + end.value
        container.ca.end = []
    return taken


def _give_trailing(node: Any, text: str) -> None:
    """Put comment lines after ``node``'s last value."""
    if not text:
        return
    chain = _tail_chain(node)
    if not chain:
        raise LayoutError(
            _("cannot keep the comment {comment} in place; move the KPI by hand").format(comment=repr(text.strip()))
        )
    container, key = chain[-1]
    if isinstance(container, CommentedSeq):
        if container.ca.comment is None:  # ruamel.yaml writes a sequence's end comments only beside these
            container.ca.comment = [None, None]
        for line in text.splitlines(keepends=True):
            indent = len(line) - len(line.lstrip(" "))
            container.ca.end = [*(container.ca.end or []), CommentToken(line.lstrip(" "), CommentMark(indent))]
        return
    item = container.ca.items.setdefault(key, [None, None, None, None])
    if isinstance(item[2], CommentToken):
        item[2].value += text
    else:
        item[2] = CommentToken("\n" + text, CommentMark(0), None)


def _scalar_places(node: Any) -> Iterator[tuple[tuple[int, int], tuple[Any, Any]]]:
    """``(line, column)`` (0-based) of each value in the document -> its container and key or index."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if key in node.lc.data:
                yield tuple(node.lc.value(key)), (node, key)
            yield from _scalar_places(value)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            yield tuple(node.lc.item(index)), (node, index)
            yield from _scalar_places(value)


def _rename_keys(data: CommentedMap, keys: dict[str, str]) -> set[int]:
    """Rename keys of ``measures:`` in place, keeping their order and comments; the lines touched."""
    measures = data.get("measures")
    touched: set[int] = set()
    if not keys or not isinstance(measures, CommentedMap):
        return touched
    for position, key in enumerate(list(measures)):
        new = keys.get(str(key))
        if new is None:
            continue
        touched.add(measures.lc.key(key)[0])
        comment = measures.ca.items.pop(key, None)
        value = measures.pop(key)
        new_key = type(key)(new) if isinstance(key, ScalarString) else new
        measures.insert(position, new_key, value)
        if comment is not None:
            measures.ca.items[new_key] = comment
    return touched
