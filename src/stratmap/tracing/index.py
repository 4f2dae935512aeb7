"""A plan's trace index: what ``trace`` and ``coverage`` read of a checked plan, kept as plain data in the cache.

When trace or coverage check a plan with its graph, the plan's verdict and, when it validates, its nodes
(kind, qualified code, name, location, parent and children, perspective, tags, quadrant), their references,
the departments' roles and the scores of every KPI and rolled-up item are stored under the plan's key (the
key of its verdict) and the scoring settings. A later run whose files hash the same rebuilds light nodes
from the entry and reports without YAML, Pydantic, the linker or the rules.

Entries are signed like every cache entry; reading one checks every field's type and every index's range,
and that parents and children form trees: anything else is a miss, and the plan is checked again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from stratmap.linking.graph import Department, Node, NodeKind, PlanGraph, QualifiedCode, Reference, ReferenceKind
from stratmap.problems import Location
from stratmap.tracing.standing import (
    ROLLED_KINDS,
    StoredKpi,
    StoredKpiScore,
    StoredKpiStanding,
    StoredMeasure,
    StoredRolledScore,
    StoredScores,
    StoredStatus,
)

if TYPE_CHECKING:
    from stratmap.caching import Cache
    from stratmap.loading.discovery import PlanFolder
    from stratmap.loading.loader import LoadedFile
    from stratmap.model.codes import Perspective
    from stratmap.results import PlanResult
    from stratmap.tracing.scores import TraceScores

KIND = "traces"
"""The kind of cache entry a trace index is stored as."""
NUMBER_CHARACTERS = 80
"""A stored number longer than this is refused (the scorer writes none so long)."""
MAX_DEPTH = 8
"""Levels below a theme a stored node may sit at (a plan has four: theme, objective, KPI, action plan)."""


def index_key(cache: Cache, plan_key: str, scoring: str) -> str:
    """The key of a plan's trace index: the plan's key (its verdict's) and the scoring settings its scores
    were made with."""
    return cache.key_of(plan_key.encode(), scoring.encode())


@dataclass
class IndexedGraph(PlanGraph):
    """A plan rebuilt from its trace index: its nodes and references, no files, no models."""

    measured: bool = False
    """Whether any department KPI had a target or an actual when the index was made."""

    def is_measured(self) -> bool:
        """Whether any department KPI has a target (of any year) or a recorded actual value."""
        return self.measured


@dataclass(frozen=True)
class StoredItem:
    """What reports read of a node's item besides the node: its tags."""

    tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoredPerspective:
    """A perspective as the trace index keeps it: its letter and its name on the scorecards."""

    value: str
    label: str


@dataclass
class Indexed:
    """A plan as its trace index holds it: the verdict, and the graph and scores when it validates."""

    result: PlanResult
    graph: IndexedGraph | None = None
    scores: StoredScores | None = None


# ---- writing ---------------------------------------------------------------------------------------


def index_of(result: PlanResult, scores: TraceScores | None) -> dict[str, Any]:
    """The trace index of a checked plan: its verdict, and its graph and scores (all of them) when it validates."""
    from stratmap.pipeline import result_to_cache

    graph = result.graph
    if result.errors or graph is None or scores is None:
        return {"verdict": result_to_cache(result), "graph": None}
    return {"verdict": result_to_cache(result), "graph": _graph_data(graph, scores)}


def _graph_data(graph: PlanGraph, scores: TraceScores) -> dict[str, Any]:
    from stratmap.model.codes import Perspective
    from stratmap.scoring.kpi import Status

    nodes = graph.all_nodes()
    number = {node: i for i, node in enumerate(nodes)}
    references = list(graph.references)
    seen = set(map(id, references))
    for node in nodes:
        for reference in (*node.outgoing, *node.incoming):
            if id(reference) not in seen:
                seen.add(id(reference))
                references.append(reference)
    ref_number = {id(reference): i for i, reference in enumerate(references)}
    paths: dict[str, int] = {}
    perspectives, statuses = list(Perspective), list(Status)

    def place(location: Location) -> list[int]:
        return [paths.setdefault(location.path.as_posix(), len(paths)), location.line, location.column]

    node_rows = []
    for node in nodes:
        tags = getattr(node.source, "tags", None)
        node_rows.append(
            [
                node.kind.value,
                node.code.namespace,
                node.code.code,
                node.name,
                *place(node.location),
                number[node.parent] if node.parent is not None else -1,
                perspectives.index(node.perspective) if node.perspective is not None else -1,
                node.declared,
                node.group,
                [str(tag) for tag in tags] if isinstance(tags, list) else [],
                [number[child] for child in node.children],
                [ref_number[id(reference)] for reference in node.outgoing],
                [ref_number[id(reference)] for reference in node.incoming],
            ]
        )
    reference_rows = [
        [
            reference.kind.value,
            number[reference.source],
            reference.target_code.namespace,
            reference.target_code.code,
            *place(reference.location),
            number[reference.target] if reference.target is not None else -1,
        ]
        for reference in references
    ]
    kpis = []
    rolled = []
    for node in nodes:
        standing = scores.kpi(node)
        if standing is not None:
            score, latest = standing.score, standing.latest
            kpis.append(
                [
                    number[node],
                    _value(score.target),
                    _value(score.actual),
                    _value(score.achievement),
                    statuses.index(score.status),
                    [str(latest.period), _value(latest.value)] if latest is not None else None,
                    score.kpi.unit,
                    score.kpi.aggregation,
                ]
            )
        if node.kind in ROLLED_KINDS:
            rolled_score = scores.rolled_score(node)
            rolled.append([number[node], _value(rolled_score.achievement), statuses.index(rolled_score.status)])
    return {
        "year": graph.year,
        "folder_name": graph.folder_name,
        "measured": graph.is_measured(),
        "paths": list(paths),
        "statuses": [[status.value, status.label] for status in statuses],
        "perspectives": [[perspective.value, perspective.label] for perspective in perspectives],
        "nodes": node_rows,
        "references": reference_rows,
        "city_themes": [number[node] for node in graph.city_themes],
        "cross_cutting": [number[node] for node in graph.cross_cutting],
        "departments": [
            [
                department.id,
                list(department.lead),
                list(department.member),
                [number[node] for node in department.themes],
                [number[node] for node in department.tows],
                [number[node] for node in department.policy_axes],
            ]
            for department in graph.departments.values()
        ],
        "kpis": kpis,
        "rolled": rolled,
    }


def _value(value: Decimal | str | None) -> list[str] | None:
    """A target, actual or ratio as plain data: ``["d", "1.50"]`` for a number (every digit kept), ``["s", ...]``
    for a milestone stage."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return ["d", str(value)]
    if isinstance(value, str):
        return ["s", value]
    raise TypeError(f"not a target or actual: {value!r}")


# ---- reading ---------------------------------------------------------------------------------------


class _Refused(Exception):
    """The entry is not exactly what ``index_of`` writes."""


def from_index(entry: Any, folder: PlanFolder, root: Path) -> Indexed | None:
    """A plan back from its trace index, or None unless every field has exactly its type and every index
    points where it may (a miss: the plan is checked again)."""
    from stratmap.pipeline import result_from_cache

    try:
        if type(entry) is not dict or set(entry) != {"verdict", "graph"}:
            return None
        result = result_from_cache(folder, entry["verdict"])
        if result is None:
            return None
        if entry["graph"] is None:
            return Indexed(result) if result.errors else None
        if result.errors:
            return None
        graph, scores = _graph_from(entry["graph"], root)
        return Indexed(result, graph, scores)
    except (_Refused, TypeError, ValueError, KeyError, IndexError, InvalidOperation, RecursionError):
        return None


_GRAPH_KEYS = {
    "year", "folder_name", "measured", "paths", "statuses", "perspectives", "nodes", "references",
    "city_themes", "cross_cutting", "departments", "kpis", "rolled",
}  # fmt: skip


def _graph_from(data: Any, root: Path) -> tuple[IndexedGraph, StoredScores]:
    if type(data) is not dict or set(data) != _GRAPH_KEYS:
        raise _Refused
    year = data["year"]
    _check(year is None or type(year) is int)
    _check(type(data["folder_name"]) is str and type(data["measured"]) is bool)
    paths = [Path(text) for text in _strings(data["paths"])]
    statuses = [StoredStatus(value, label, rank) for rank, (value, label) in enumerate(_pairs(data["statuses"]))]
    perspectives = [StoredPerspective(value, label) for value, label in _pairs(data["perspectives"])]
    rows = _list(data["nodes"])
    references_rows = _list(data["references"])
    graph = IndexedGraph(root, data["folder_name"], year, None, None, measured=data["measured"])
    nodes = [_node(row, paths, perspectives) for row in rows]
    references = [_reference(row, nodes, paths) for row in references_rows]
    parents: list[int] = []
    for node, row in zip(nodes, rows, strict=True):
        parent, children, outgoing, incoming = row[7], row[12], row[13], row[14]
        parents.append(_index(parent, nodes, allow_none=True))
        node.parent = nodes[parent] if parent >= 0 else None
        node.children = [nodes[_index(child, nodes)] for child in _list(children)]
        node.outgoing = [references[_index(i, references)] for i in _list(outgoing)]
        node.incoming = [references[_index(i, references)] for i in _list(incoming)]
        _check(all(reference.source is node for reference in node.outgoing))
        _check(all(reference.target is node for reference in node.incoming))
        graph.add_node(node)
    _check_trees(nodes, parents)
    graph.references = references
    graph.city_themes = [nodes[_index(i, nodes)] for i in _list(data["city_themes"])]
    graph.cross_cutting = [nodes[_index(i, nodes)] for i in _list(data["cross_cutting"])]
    for row in _list(data["departments"]):
        identifier, lead, member, themes, tows, axes = _list(row)
        _check(type(identifier) is str and identifier not in graph.departments)
        # trace and coverage read a department's roles and nodes, never its file
        department = Department(identifier, cast("LoadedFile", None), _strings(lead), _strings(member))
        department.themes = [nodes[_index(i, nodes)] for i in _list(themes)]
        department.tows = [nodes[_index(i, nodes)] for i in _list(tows)]
        department.policy_axes = [nodes[_index(i, nodes)] for i in _list(axes)]
        graph.departments[identifier] = department
    return graph, _scores(data, nodes, statuses)


def _node(row: Any, paths: list[Path], perspectives: list[StoredPerspective]) -> Node:
    kind, namespace, code, name, path, line, column, _, perspective, declared, group, tags = _list(row)[:12]
    _check(len(row) == 15 and all(type(text) is str for text in (namespace, code, name, group)))
    _check(type(declared) is bool)
    node = Node(NodeKind(kind), QualifiedCode(namespace, code), name, _location(paths, path, line, column), None)
    node.source = StoredItem(_strings(tags))
    if _index(perspective, perspectives, allow_none=True) >= 0:
        node.perspective = cast("Perspective", perspectives[perspective])  # reports read its value and label only
    node.declared, node.group = declared, group
    return node


def _reference(row: Any, nodes: list[Node], paths: list[Path]) -> Reference:
    kind, source, namespace, code, path, line, column, target = _list(row)
    _check(type(namespace) is str and type(code) is str)
    found = nodes[_index(target, nodes, allow_none=True)] if target != -1 else None
    location = _location(paths, path, line, column)
    return Reference(ReferenceKind(kind), nodes[_index(source, nodes)], QualifiedCode(namespace, code), location, found)


def _location(paths: list[Path], path: Any, line: Any, column: Any) -> Location:
    _check(type(line) is int and type(column) is int and line > 0 and column > 0)
    return Location(paths[_index(path, paths)], line, column)


def _check_trees(nodes: list[Node], parents: list[int]) -> None:
    """Each node is the child of its parent alone, listed once, and no chain of parents comes back to itself:
    the ancestors and descendants of every node are finite."""
    listed = [-1] * len(nodes)
    position = {id(node): i for i, node in enumerate(nodes)}
    for i, node in enumerate(nodes):
        for child in node.children:
            j = position[id(child)]
            _check(listed[j] == -1 and parents[j] == i)
            listed[j] = i
    _check(all(listed[i] == parent for i, parent in enumerate(parents)))
    depth = [-1] * len(nodes)
    for start in range(len(nodes)):
        chain: list[int] = []
        i = start
        while i >= 0 and depth[i] < 0:
            _check(len(chain) <= len(nodes))
            chain.append(i)
            i = parents[i]
        base = depth[i] if i >= 0 else -1
        for step, j in enumerate(reversed(chain)):
            depth[j] = base + step + 1
        _check(len(set(chain)) == len(chain))
    _check(all(level < MAX_DEPTH for level in depth))


def _scores(data: dict[str, Any], nodes: list[Node], statuses: list[StoredStatus]) -> StoredScores:
    kpis: dict[Node, StoredKpiStanding] = {}
    for row in _list(data["kpis"]):
        number, target, actual, achievement, status, latest, unit, aggregation = _list(row)
        node = nodes[_index(number, nodes)]
        _check(node.kind is NodeKind.KPI and node not in kpis)
        _check((unit is None or type(unit) is str) and (aggregation is None or type(aggregation) is str))
        measure = None
        if latest is not None:
            period, value = _list(latest)
            _check(type(period) is str)
            measure = StoredMeasure(period, _required(_decoded(value)))
        score = StoredKpiScore(
            StoredKpi(unit, aggregation),
            _decoded(target),
            _decoded(actual),
            _number(_decoded(achievement)),
            statuses[_index(status, statuses)],
        )
        kpis[node] = StoredKpiStanding(score, measure)
    rolled: dict[Node, StoredRolledScore] = {}
    for row in _list(data["rolled"]):
        number, achievement, status = _list(row)
        node = nodes[_index(number, nodes)]
        _check(node.kind in ROLLED_KINDS and node not in rolled)
        rolled[node] = StoredRolledScore(_number(_decoded(achievement)), statuses[_index(status, statuses)])
    _check(all(node in kpis for node in nodes if node.kind is NodeKind.KPI))
    _check(all(node in rolled for node in nodes if node.kind in ROLLED_KINDS))
    return StoredScores(kpis, rolled)


def _decoded(value: Any) -> Decimal | str | None:
    if value is None:
        return None
    tag, text = _list(value)
    _check(type(text) is str)
    if tag == "s":
        return str(text)
    _check(tag == "d" and len(text) <= NUMBER_CHARACTERS)
    number = Decimal(text)
    _check(number.is_finite())
    return number


def _number(value: Decimal | str | None) -> Decimal | None:
    _check(not isinstance(value, str))
    return cast("Decimal | None", value)


def _required(value: Decimal | str | None) -> Decimal | str:
    if value is None:
        raise _Refused
    return value


def _check(condition: bool) -> None:
    if not condition:
        raise _Refused


def _list(value: Any) -> list[Any]:
    _check(type(value) is list)
    return cast("list[Any]", value)


def _strings(value: Any) -> list[str]:
    items = _list(value)
    _check(all(type(item) is str for item in items))
    return items


def _pairs(value: Any) -> list[tuple[str, str]]:
    pairs = [tuple(_strings(pair)) for pair in _list(value)]
    _check(all(len(pair) == 2 for pair in pairs))
    return cast("list[tuple[str, str]]", pairs)


def _index(value: Any, items: list[Any], allow_none: bool = False) -> int:
    """``value`` as an index into ``items``; -1 (none) only where ``allow_none``."""
    _check(type(value) is int and (0 <= value < len(items) or (allow_none and value == -1)))
    return cast("int", value)
