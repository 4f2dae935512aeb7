"""Print the changes between two plans as text, JSON, or Markdown fit for a pull-request comment."""

from __future__ import annotations

import json
from typing import Any, TextIO

from stratmap.diffing.diff import Change, ChangeKind
from stratmap.linking.graph import Node, PlanGraph
from stratmap.reporting.escaping import escape_inline, printable
from stratmap.reporting.nodes import node_json
from stratmap.reporting.numbers import format_number

JSON_VERSION = 1
_ITEM_LABELS = {
    "city_theme": "city theme",
    "city_objective": "city objective",
    "city_kpi": "city KPI",
    "theme": "theme",
    "objective": "objective",
    "kpi": "KPI",
    "action_plan": "action plan",
    "city_reference": "city KPI reference",
    "alignment": "theme alignment",
}


def _before_after(change: Change) -> tuple[str, str]:
    old, new = change.old, change.new
    if change.kind in (ChangeKind.REFERENCE_ADDED, ChangeKind.REFERENCE_REMOVED):
        assert new is not None
        arrow = f"{new.code} → {change.target}"
        return ("", arrow) if change.kind is ChangeKind.REFERENCE_ADDED else (arrow, "")
    return (_named(old) if old else "", _named(new) if new else "")


def _named(node: Node) -> str:
    return f"{node.code} {node.name}".strip()


def change_line(change: Change) -> str:
    """One line of text per change."""
    before, after = _before_after(change)
    what = _ITEM_LABELS.get(change.item_kind, change.item_kind)
    if change.kind is ChangeKind.RENAMED:
        assert change.old is not None and change.new is not None
        body = f"{change.new.code}: {change.old.name} → {change.new.name}"
    elif change.kind is ChangeKind.MOVED:
        body = f"{before} → {after}"
    else:
        body = after or before
    return printable(f"{change.kind.value:<17} {what:<18} {body}")


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
                what = _ITEM_LABELS.get(c.item_kind, c.item_kind)
                out.write(f"| {c.kind.value} | {what} | {escape_inline(before)} | {escape_inline(after)} |\n")
        return
    out.write(printable(f"{title}: {count}") + "\n")
    for c in changes:
        out.write("  " + change_line(c) + "\n")
