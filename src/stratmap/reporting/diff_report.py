"""Print the changes between two plans as text, JSON, or Markdown fit for a pull-request comment."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, TextIO

from stratmap.diffing.diff import Change, ChangeKind, Value
from stratmap.linking.graph import Node, PlanGraph
from stratmap.reporting.escaping import escape_inline, printable
from stratmap.reporting.nodes import node_json
from stratmap.reporting.numbers import format_number, json_number

JSON_VERSION = 1
_ITEM_LABELS = {
    "city_theme": "city theme",
    "city_objective": "city objective",
    "city_kpi": "city KPI",
    "theme": "theme",
    "objective": "objective",
    "kpi": "KPI",
    "action_plan": "action plan",
    "tows_factor": "TOWS factor",
    "tows_strategy": "TOWS strategy",
    "policy_axis": "policy axis",
    "policy_strategy": "policy strategy",
    "city_reference": "city KPI reference",
    "alignment": "theme alignment",
    "tows_link": "TOWS link",
    "measure": "measure",
    "department": "department",
    "city_map": "city map",
    "plan": "plan",
}
NONE = "(none)"
"""Shown for a field with no value, and for a measured value that is not there."""


def _before_after(change: Change) -> tuple[str, str]:
    old, new = change.old, change.new
    if change.kind in (ChangeKind.REFERENCE_ADDED, ChangeKind.REFERENCE_REMOVED):
        assert new is not None
        arrow = f"{new.code} → {change.target}"
        return ("", arrow) if change.kind is ChangeKind.REFERENCE_ADDED else (arrow, "")
    if change.kind is ChangeKind.CHANGED:
        return value_text(change.old_value), value_text(change.new_value)
    if change.item_id:  # a department added or removed
        named = f"{change.item_id} {change.item_name}".strip()
        return ("", named) if change.kind is ChangeKind.ADDED else (named, "")
    return (_named(old) if old else "", _named(new) if new else "")


def _named(node: Node) -> str:
    return f"{node.code} {node.name}".strip()


def value_text(value: Value) -> str:
    """A field's value as written in YAML's flow style: ``1,500``, ``[A, B]``, ``{112: 1,600}``; ``(none)``."""
    if value is None:
        return NONE
    return _flow(value)


def _flow(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, Decimal | int):
        return format_number(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    return value


def _item(change: Change) -> str:
    """``KPI doed:BP2.1 target``: the item and field a ``changed`` record is about."""
    return f"{_ITEM_LABELS.get(change.item_kind, change.item_kind)} {change.code} {change.field}"


def change_line(change: Change) -> str:
    """One line of text per change."""
    before, after = _before_after(change)
    what = _ITEM_LABELS.get(change.item_kind, change.item_kind)
    if change.kind is ChangeKind.RENAMED:
        assert change.old is not None and change.new is not None
        body = f"{change.new.code}: {change.old.name or NONE} → {change.new.name or NONE}"
    elif change.kind in (ChangeKind.MOVED, ChangeKind.CHANGED):
        body = f"{before} → {after}"
        if change.kind is ChangeKind.CHANGED:
            body = f"{change.code} {change.field}: {body}"
    else:
        body = after or before
    return printable(f"{change.kind.value:<17} {what:<18} {body}")


def _json_value(value: Value) -> Any:
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return json_number(value)
    return value


def diff_json(old: PlanGraph, new: PlanGraph, changes: list[Change]) -> dict[str, Any]:
    """The documented JSON shape of a diff."""
    return {
        "version": JSON_VERSION,
        "old": {"plan": old.root.as_posix(), "year": old.year},
        "new": {"plan": new.root.as_posix(), "year": new.year},
        "changes": [
            {
                "change": c.kind.value,
                "item": c.item_kind,
                "id": c.code,
                "old": node_json(c.old) if c.old else None,
                "new": node_json(c.new) if c.new else None,
                "target": c.target or None,
                "field": c.field or None,
                "old_value": _json_value(c.old_value),
                "new_value": _json_value(c.new_value),
            }
            for c in changes
        ],
    }


def write_diff(old: PlanGraph, new: PlanGraph, changes: list[Change], output_format: str, out: TextIO) -> None:
    """Write the changes in the chosen format."""
    if output_format == "json":
        json.dump(diff_json(old, new, changes), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    title = f"{old.root.as_posix()} (plan {old.year}) → {new.root.as_posix()} (plan {new.year})"
    count = f"{format_number(len(changes))} change{'' if len(changes) == 1 else 's'}"
    if output_format == "markdown":
        out.write(f"### stratmap diff: {escape_inline(title)}\n\n{count}\n")
        if changes:
            out.write("\n| change | item | before | after |\n|---|---|---|---|\n")
            for c in changes:
                before, after = _before_after(c)
                what = _item(c) if c.kind is ChangeKind.CHANGED else _ITEM_LABELS.get(c.item_kind, c.item_kind)
                out.write(
                    f"| {c.kind.value} | {escape_inline(what)} | {escape_inline(before)} | {escape_inline(after)} |\n"
                )
        return
    out.write(printable(f"{title}: {count}") + "\n")
    for c in changes:
        out.write("  " + change_line(c) + "\n")
