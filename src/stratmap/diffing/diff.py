"""Compare two linked plans item by item, by qualified code, and field by field. Pure: no I/O, no formatting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum, StrEnum
from typing import TypeAlias

from pydantic import BaseModel

from stratmap.linking.graph import Department, Measure, Node, NodeKind, PlanGraph, QualifiedCode, ReferenceKind
from stratmap.model.city import CityKpi, CityObjective, CityTheme
from stratmap.model.department import DepartmentFile, PolicyAxis, TowsFactor, TowsStrategy
from stratmap.model.periods import Period
from stratmap.model.theme import ActionPlan, Kpi, Objective, ThemeFile

COMPARED = (NodeKind.CITY_THEME, NodeKind.CITY_OBJECTIVE, NodeKind.CITY_KPI, NodeKind.THEME, NodeKind.OBJECTIVE,
            NodeKind.KPI, NodeKind.ACTION_PLAN, NodeKind.TOWS_FACTOR, NodeKind.TOWS_STRATEGY, NodeKind.POLICY_AXIS,
            NodeKind.POLICY_STRATEGY)  # fmt: skip

Value: TypeAlias = "Decimal | int | str | None | tuple[Value, ...] | dict[str, Value]"
"""A field's value as plain data: numbers stay ``Decimal`` (``12.50`` equals ``12.5``), lists are tuples,
models are dicts of their fields."""

NODE_FIELDS: tuple[tuple[type[BaseModel], tuple[str, ...]], ...] = (
    (Kpi, ("unit", "direction", "baseline", "target", "targets", "formula", "basis", "milestones", "frequency",
           "aggregation", "weight", "owner", "data_source", "tags", "note")),
    (ActionPlan, ("owner", "budget", "note")),
    (Objective, ("perspective", "weight", "note")),
    (ThemeFile, ("note",)),
    (CityTheme, ("note",)),
    (CityObjective, ("perspective", "note")),
    (CityKpi, ("note",)),
    (TowsFactor, ("note",)),
    (TowsStrategy, ("note",)),
    (PolicyAxis, ("english_name", "note")),
)  # fmt: skip
"""The fields compared for each kind of item, besides its code and name (moves and renames) and its
references (city KPIs, alignments, TOWS links), which have changes of their own."""

DEPARTMENT_FIELDS = ("name", "short_name", "mission", "vision", "core_values", "city_roles.lead",
                     "city_roles.member", "city_roles.note", "document.title", "document.edition", "document.year",
                     "document.month", "tows.slogan", "tows.quadrants.so.title", "tows.quadrants.wo.title",
                     "tows.quadrants.st.title", "tows.quadrants.wt.title", "note")  # fmt: skip
"""Fields of ``department.yaml`` compared (dotted: a field inside a field); its TOWS items and policy axes
are compared as items."""
CITY_MAP_FIELDS = ("title", "mission", "vision", "core_values", "note")
PLAN_FIELDS = ("title", "note")


class ChangeKind(StrEnum):
    """What happened to an item between the old and the new plan."""

    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    """Same code, another name."""
    MOVED = "moved"
    """Same name and kind, another code (renumbered or moved to another objective or theme)."""
    REFERENCE_ADDED = "reference added"
    REFERENCE_REMOVED = "reference removed"
    CHANGED = "changed"
    """A field of an item has another value (``field``, ``old_value``, ``new_value``); a measured value too."""


@dataclass(frozen=True)
class Change:
    """One change; ``old``/``new`` are the item before and after (one of them for added/removed).

    For a measured value ``old``/``new`` are its KPI; for a department, the city map or the plan file, which
    are not nodes, both are None and ``item_id`` names the item."""

    kind: ChangeKind
    item_kind: str
    """``city_theme`` ... ``policy_strategy``; ``city_reference``, ``alignment``, ``tows_link`` or
    ``drives_link`` for references; ``measure`` for a measured value; ``department``, ``city_map`` or ``plan``."""
    old: Node | None
    new: Node | None
    target: str = ""
    """For a reference: the qualified code it points at."""
    field: str = ""
    """For ``changed``: the field (``target``, ``city_roles.lead``), or for a measure its period (``110Q3``,
    ``110Q3.note``)."""
    old_value: Value = None
    new_value: Value = None
    item_id: str = ""
    """The id of an item that is not a node: the department's id, ``city`` or ``plan``."""
    item_name: str = ""
    """The name of an item that is not a node (a department added or removed)."""

    @property
    def code(self) -> str:
        """The qualified code the change is about (the new one where there is one)."""
        if self.item_id:
            return self.item_id
        node = self.new or self.old
        assert node is not None
        return str(node.code)


def diff_plans(old: PlanGraph, new: PlanGraph) -> list[Change]:
    """Every change from ``old`` to ``new``: the plan file, the city map and the departments' own fields, then
    item by item in the new plan's order (each item's move or rename, fields, references, measured values),
    then what was removed."""
    before = {node.code: node for node in old.of_kind(*COMPARED)}
    after = {node.code: node for node in new.of_kind(*COMPARED)}
    removed = [node for code, node in before.items() if code not in after]
    added = [node for code, node in after.items() if code not in before]
    moved = _moves(removed, added)
    renumbered = {previous.code: node.code for node, previous in moved.items()}
    changes = list(_file_changes(old, new))
    for code, node in after.items():
        previous = before.get(code) or moved.get(node)
        if previous is None:
            if node.kind is not NodeKind.CITY_KPI or node.declared:
                changes.append(Change(ChangeKind.ADDED, node.kind.value, None, node))
            changes.extend(_measure_changes(old, new, None, node))
            continue
        if previous.code != node.code:
            changes.append(Change(ChangeKind.MOVED, node.kind.value, previous, node))
        elif previous.name != node.name:
            changes.append(Change(ChangeKind.RENAMED, node.kind.value, previous, node))
        changes.extend(_field_changes(previous, node))
        changes.extend(_reference_changes(previous, node, renumbered))
        changes.extend(_measure_changes(old, new, previous, node))
    gone = set(moved.values())
    for node in removed:
        if node in gone:
            continue
        if node.kind is not NodeKind.CITY_KPI or node.declared:
            changes.append(Change(ChangeKind.REMOVED, node.kind.value, node, None))
        changes.extend(_measure_changes(old, new, node, None))
    changes.extend(
        Change(ChangeKind.REMOVED, "department", None, None, item_id=unit.id, item_name=_name(unit))
        for unit in old.departments.values()
        if unit.id not in new.departments
    )
    return changes


def _name(unit: Department) -> str:
    model = unit.file.model
    return model.name if isinstance(model, DepartmentFile) else ""


def plain(value: object) -> Value:
    """A field's value as plain data (see ``Value``)."""
    if value is None or isinstance(value, Decimal | int):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, Sequence):
        return tuple(plain(item) for item in value)
    return str(value)


def _moves(removed: list[Node], added: list[Node]) -> dict[Node, Node]:
    """Pair a removed and an added item of the same kind, namespace and name, where that name is unique."""

    def key(node: Node) -> tuple[NodeKind, str, str]:
        return node.kind, node.code.namespace, node.name

    gone, new = Counter(map(key, removed)), Counter(map(key, added))
    by_key = {key(node): node for node in removed if gone[key(node)] == 1}
    return {node: by_key[key(node)] for node in added if new[key(node)] == 1 and key(node) in by_key}


def _reference_changes(old: Node, new: Node, renumbered: Mapping[QualifiedCode, QualifiedCode]) -> list[Change]:
    """References added or removed; a reference to an item that moved, following it, is no change."""
    changes = []
    kinds = ((ReferenceKind.FEEDS, "city_reference"), (ReferenceKind.ALIGNS_TO, "alignment"),
             (ReferenceKind.BECAME, "tows_link"), (ReferenceKind.DRIVES, "drives_link"))  # fmt: skip
    for kind, label in kinds:
        before = [str(renumbered.get(r.target_code, r.target_code)) for r in old.outgoing if r.kind is kind]
        after = [str(r.target_code) for r in new.outgoing if r.kind is kind]
        changes += [Change(ChangeKind.REFERENCE_ADDED, label, old, new, t) for t in after if t not in before]
        changes += [Change(ChangeKind.REFERENCE_REMOVED, label, old, new, t) for t in before if t not in after]
    return changes


def _field_changes(old: Node, new: Node) -> Iterator[Change]:
    """The compared fields of an item whose value differs."""
    for model, fields in NODE_FIELDS:
        if isinstance(old.source, model) and isinstance(new.source, model):
            for name in fields:
                before, after = plain(getattr(old.source, name)), plain(getattr(new.source, name))
                if before != after:
                    yield Change(ChangeKind.CHANGED, new.kind.value, old, new, field=name, old_value=before,
                                 new_value=after)  # fmt: skip
            return


def _file_changes(old: PlanGraph, new: PlanGraph) -> Iterator[Change]:
    """Fields of the plan file, the city map and each department file; departments added."""
    sides: list[tuple[str, str, object, object, tuple[str, ...]]] = [
        ("plan", "plan", _model(old.plan_file), _model(new.plan_file), PLAN_FIELDS),
        ("city_map", "city", _model(old.city_file), _model(new.city_file), CITY_MAP_FIELDS),
    ]
    for unit in new.departments.values():
        previous = old.departments.get(unit.id)
        if previous is None:
            yield Change(ChangeKind.ADDED, "department", None, None, item_id=unit.id, item_name=_name(unit))
            continue
        sides.append(("department", unit.id, previous.file.model, unit.file.model, DEPARTMENT_FIELDS))
    for item, item_id, before, after, fields in sides:
        if before is None or after is None:
            continue
        for name in fields:
            old_value, new_value = plain(_dotted(before, name)), plain(_dotted(after, name))
            if old_value != new_value:
                yield Change(ChangeKind.CHANGED, item, None, None, field=name, old_value=old_value,
                             new_value=new_value, item_id=item_id)  # fmt: skip


def _model(file: object) -> object:
    return getattr(file, "model", None)


def _dotted(model: object, path: str) -> object:
    """``city_roles.lead`` of a model; None where a part on the way is missing."""
    value = model
    for name in path.split("."):
        value = getattr(value, name, None)
    return value


def _measure_changes(old: PlanGraph, new: PlanGraph, before: Node | None, after: Node | None) -> list[Change]:
    """Measured values of a KPI added, changed or removed, period by period (the value, then its note).

    Only between two editions of one plan year: the values of different years are different periods,
    and listing every one as removed and added would bury the revision in noise."""
    node = after or before
    if node is None or node.kind is not NodeKind.KPI or old.year != new.year:
        return []
    old_values = _by_period(old.measures_of(before)) if before is not None else {}
    new_values = _by_period(new.measures_of(after)) if after is not None else {}
    changes = []
    for period in sorted(old_values.keys() | new_values.keys()):
        was, now = old_values.get(period), new_values.get(period)
        pairs = (
            (str(period), plain(was.value) if was else None, plain(now.value) if now else None),
            (f"{period}.note", was.note if was else None, now.note if now else None),
        )
        for name, old_value, new_value in pairs:
            if old_value != new_value:
                changes.append(Change(ChangeKind.CHANGED, "measure", before, after, field=name,
                                      old_value=old_value, new_value=new_value))  # fmt: skip
    return changes


def _by_period(measures: Sequence[Measure]) -> dict[Period, Measure]:
    return {measure.period: measure for measure in measures}
