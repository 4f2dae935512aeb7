"""The changes between two plans as text, JSON, or Markdown fit for a pull-request comment.

Text and Markdown both draw the rows ``diff_rows`` makes; JSON keeps the identifiers (``renamed``, ``kpi``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from stratmap.diffing.diff import Change, ChangeKind, Value
from stratmap.i18n import N_, _, ngettext
from stratmap.linking.graph import Node, PlanGraph
from stratmap.reporting.escaping import escape_inline, printable
from stratmap.reporting.nodes import node_json
from stratmap.reporting.numbers import format_number, json_number

JSON_VERSION = 1
_ITEM_LABELS = {
    "city_theme": N_("city theme"),
    "city_objective": N_("city objective"),
    "city_kpi": N_("city KPI"),
    "theme": N_("theme"),
    "objective": N_("objective"),
    "kpi": N_("KPI"),
    "action_plan": N_("action plan"),
    "tows_factor": N_("TOWS factor"),
    "tows_strategy": N_("TOWS strategy"),
    "policy_axis": N_("policy axis"),
    "policy_strategy": N_("policy strategy"),
    "city_reference": N_("city KPI reference"),
    "alignment": N_("theme alignment"),
    "tows_link": N_("TOWS link"),
    "drives_link": N_("drives link"),
    "measure": N_("measure"),
    "department": N_("department"),
    "city_map": N_("city map"),
    "plan": N_("plan"),
}
"""How each kind of item is named in text and Markdown (JSON keeps the key)."""
_CHANGE_WORDS = {
    ChangeKind.ADDED: N_("added"),
    ChangeKind.REMOVED: N_("removed"),
    ChangeKind.RENAMED: N_("renamed"),
    ChangeKind.MOVED: N_("moved"),
    ChangeKind.REFERENCE_ADDED: N_("reference added"),
    ChangeKind.REFERENCE_REMOVED: N_("reference removed"),
    ChangeKind.CHANGED: N_("changed"),
}
"""How each kind of change is named in text and Markdown (JSON keeps the value)."""
NONE = N_("(none)")
"""Shown for a field with no value, and for a measured value that is not there (translated where shown)."""


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
        return _(NONE)
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


def _what(change: Change) -> str:
    """The kind of item a change is about, named: ``KPI``, ``action plan``."""
    return _(_ITEM_LABELS[change.item_kind]) if change.item_kind in _ITEM_LABELS else change.item_kind


@dataclass(frozen=True)
class DiffRow:
    """One change as text and Markdown show it."""

    change: str
    """The kind of change, named: ``renamed``."""
    what: str
    """The kind of item: ``objective``."""
    item: str
    """The item as the Markdown table names it: ``what``, or for ``changed`` with its code and field."""
    before: str
    after: str
    body: str
    """What the text line says after the change and the item: ``doed:BP2: 舊名 → 新名``."""


@dataclass(frozen=True)
class DiffReport:
    """The changes between two plans, as text and Markdown show them."""

    title: str
    """``data/110 (plan 110) → data/111 (plan 111)``."""
    count: str
    """``3 changes``."""
    rows: list[DiffRow]


def diff_row(change: Change) -> DiffRow:
    """One change, named and described for people."""
    before, after = _before_after(change)
    what = _what(change)
    item = what
    if change.kind is ChangeKind.RENAMED:
        assert change.old is not None and change.new is not None
        old_name, new_name = change.old.name or _(NONE), change.new.name or _(NONE)
        body = f"{change.new.code}: {old_name} → {new_name}"
    elif change.kind is ChangeKind.MOVED:
        body = f"{before} → {after}"
    elif change.kind is ChangeKind.CHANGED:
        body = f"{change.code} {change.field}: {before} → {after}"
        item = f"{what} {change.code} {change.field}"
    else:
        body = after or before
    return DiffRow(_(_CHANGE_WORDS[change.kind]), what, item, before, after, body)


def diff_report(old: PlanGraph, new: PlanGraph, changes: list[Change]) -> DiffReport:
    """The changes as text and Markdown show them: a title, how many, one row each."""
    title = _("{old} (plan {old_year}) → {new} (plan {new_year})").format(
        old=old.root.as_posix(), old_year=old.year, new=new.root.as_posix(), new_year=new.year
    )
    count = ngettext("{count} change", "{count} changes", len(changes)).format(count=format_number(len(changes)))
    return DiffReport(title, count, [diff_row(change) for change in changes])


def _padded(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` columns, wide characters counted as two (as terminals show them)."""
    from rich.cells import cell_len

    return text + " " * (width - cell_len(text))


def write_text(report: DiffReport, out: TextIO) -> None:
    """A line with the plans and the count, then one line per change, its words in aligned columns."""
    from rich.cells import cell_len

    change_width = max(cell_len(_(word)) for word in _CHANGE_WORDS.values())
    what_width = max(cell_len(_(label)) for label in _ITEM_LABELS.values())
    out.write(printable(_("{title}: {count}").format(title=report.title, count=report.count)) + "\n")
    for row in report.rows:
        line = f"{_padded(row.change, change_width)} {_padded(row.what, what_width)} {row.body}"
        out.write("  " + printable(line) + "\n")


def write_markdown(report: DiffReport, out: TextIO) -> None:
    """A heading with the plans, the count, and a table of the changes."""
    heading = _("stratmap diff: {title}").format(title=escape_inline(report.title))
    out.write(f"### {heading}\n\n{report.count}\n")
    if not report.rows:
        return
    out.write("\n| " + " | ".join((_("change"), _("item"), _("before"), _("after"))) + " |\n|---|---|---|---|\n")
    for row in report.rows:
        cells = (row.change, escape_inline(row.item), escape_inline(row.before), escape_inline(row.after))
        out.write("| " + " | ".join(cells) + " |\n")


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
