"""How a node of the graph is named to people and to scripts, the same in every format."""

from __future__ import annotations

from typing import Any

from stratmap.i18n import _
from stratmap.linking.graph import Node, NodeKind


def name_not_listed() -> str:
    """Shown for a city KPI the city map lists without a name."""
    return _("(name not listed)")


def tags_of(node: Node) -> list[str]:
    """A KPI's tags (非營業基金考核指標, ...); nothing for other nodes."""
    tags = getattr(node.source, "tags", None)
    return list(tags) if node.kind is NodeKind.KPI and tags else []


def describe(node: Node) -> str:
    """One line: kind, qualified code, name, then perspective, tags or quadrant where they apply."""
    parts = [node.kind.label, str(node.code)]
    if node.name:
        parts.append(node.name)
    elif node.kind is NodeKind.CITY_KPI:
        parts.append(name_not_listed() if node.declared else _("(not listed in the city map)"))
    if node.kind in (NodeKind.CITY_OBJECTIVE, NodeKind.OBJECTIVE) and node.perspective is not None:
        parts.append(f"({node.perspective.label})")
    parts.extend(f"[{tag}]" for tag in tags_of(node))
    if node.group:
        parts.append(f"({node.group})")
    return " ".join(parts)


def node_json(node: Node) -> dict[str, Any]:
    """The node as plain data, with the same keys for every kind."""
    return {
        "id": str(node.code),
        "namespace": node.code.namespace,
        "code": node.code.code,
        "kind": node.kind.value,
        "name": node.name,
        "perspective": node.perspective.value if node.perspective else None,
        "tags": tags_of(node),
        "path": node.location.path.as_posix(),
        "line": node.location.line,
        "column": node.location.column,
    }
