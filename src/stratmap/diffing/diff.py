"""Compare two linked plans item by item, by qualified code. Pure: no I/O, no formatting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind

COMPARED = (NodeKind.CITY_THEME, NodeKind.CITY_OBJECTIVE, NodeKind.CITY_KPI, NodeKind.THEME, NodeKind.OBJECTIVE,
            NodeKind.KPI, NodeKind.ACTION_PLAN)  # fmt: skip


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


@dataclass(frozen=True)
class Change:
    """One change; ``old``/``new`` are the item before and after (one of them for added/removed)."""

    kind: ChangeKind
    item_kind: str
    """``city_theme`` ... ``action_plan``, or ``city_reference`` / ``alignment`` for references."""
    old: Node | None
    new: Node | None
    target: str = ""
    """For a reference: the qualified code it points at."""

    @property
    def code(self) -> str:
        """The qualified code the change is about (the new one where there is one)."""
        node = self.new or self.old
        assert node is not None
        return str(node.code)


def diff_plans(old: PlanGraph, new: PlanGraph) -> list[Change]:
    """Every change from ``old`` to ``new``, in the new plan's order, removals last."""
    before = {node.code: node for node in old.of_kind(*COMPARED)}
    after = {node.code: node for node in new.of_kind(*COMPARED)}
    removed = [node for code, node in before.items() if code not in after]
    added = [node for code, node in after.items() if code not in before]
    moved = _moves(removed, added)
    changes: list[Change] = []
    for code, node in after.items():
        previous = before.get(code)
        if previous is None:
            if node in moved:
                changes.append(Change(ChangeKind.MOVED, node.kind.value, moved[node], node))
                changes.extend(_reference_changes(moved[node], node))
            elif node.kind is not NodeKind.CITY_KPI or node.declared:
                changes.append(Change(ChangeKind.ADDED, node.kind.value, None, node))
            continue
        if previous.name != node.name:
            changes.append(Change(ChangeKind.RENAMED, node.kind.value, previous, node))
        changes.extend(_reference_changes(previous, node))
    gone = set(moved.values())
    changes.extend(
        Change(ChangeKind.REMOVED, node.kind.value, node, None)
        for node in removed
        if node not in gone and (node.kind is not NodeKind.CITY_KPI or node.declared)
    )
    return changes


def _moves(removed: list[Node], added: list[Node]) -> dict[Node, Node]:
    """Pair a removed and an added item of the same kind, namespace and name, where that name is unique."""

    def key(node: Node) -> tuple[NodeKind, str, str]:
        return node.kind, node.code.namespace, node.name

    gone, new = Counter(map(key, removed)), Counter(map(key, added))
    by_key = {key(node): node for node in removed if gone[key(node)] == 1}
    return {node: by_key[key(node)] for node in added if new[key(node)] == 1 and key(node) in by_key}


def _reference_changes(old: Node, new: Node) -> list[Change]:
    changes = []
    for kind, label in ((ReferenceKind.FEEDS, "city_reference"), (ReferenceKind.ALIGNS_TO, "alignment")):
        before = [str(r.target_code) for r in old.outgoing if r.kind is kind]
        after = [str(r.target_code) for r in new.outgoing if r.kind is kind]
        changes += [Change(ChangeKind.REFERENCE_ADDED, label, old, new, t) for t in after if t not in before]
        changes += [Change(ChangeKind.REFERENCE_REMOVED, label, old, new, t) for t in before if t not in after]
    return changes
