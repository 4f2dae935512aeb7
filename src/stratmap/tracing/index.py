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

import binascii
import re
import sys
from array import array as Array
from decimal import Decimal, InvalidOperation
from itertools import chain, compress, repeat
from operator import is_, le, lt, sub
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


class StoredItem:
    """What reports read of a node's item besides the node: its tags."""

    __slots__ = ("tags",)

    def __init__(self, tags: list[str]) -> None:
        self.tags = tags


class StoredPerspective:
    """A perspective as the trace index keeps it: its letter and its name on the scorecards."""

    __slots__ = ("value", "label")

    def __init__(self, value: str, label: str) -> None:
        self.value, self.label = value, label


class Indexed:
    """A plan as its trace index holds it: the verdict, and the graph and scores when it validates."""

    __slots__ = ("result", "graph", "scores")

    def __init__(
        self, result: PlanResult, graph: IndexedGraph | None = None, scores: StoredScores | None = None
    ) -> None:
        self.result, self.graph, self.scores = result, graph, scores


# ---- writing ---------------------------------------------------------------------------------------


def index_of(result: PlanResult, scores: TraceScores | None) -> dict[str, Any]:
    """The trace index of a checked plan: its verdict, and its graph and scores (all of them) when it validates."""
    from stratmap.pipeline import result_to_cache

    graph = result.graph
    if result.errors or graph is None or scores is None:
        return {"verdict": result_to_cache(result), "graph": None}
    return {"verdict": result_to_cache(result), "graph": _graph_data(graph, scores)}


def _graph_data(graph: PlanGraph, scores: TraceScores) -> dict[str, Any]:
    """The graph column by column (one list per field of the nodes and of the references), relations as flat
    lists of node and reference numbers with each node's start: cheap to check and to read back in part."""
    from stratmap.model.codes import Perspective
    from stratmap.scoring.kpi import Status

    nodes = graph.all_nodes()
    number = {node: i for i, node in enumerate(nodes)}
    if any(node.parent is not None and number[node.parent] >= i for i, node in enumerate(nodes)):
        raise TypeError("a parent listed after its child")  # never in a plan that validates
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

    def path(location: Location) -> int:
        return paths.setdefault(location.path.as_posix(), len(paths))

    def flat(lists: list[list[int]]) -> tuple[list[int], list[int]]:
        starts, items = [0], []
        for numbers in lists:
            items.extend(numbers)
            starts.append(len(items))
        return items, starts

    children, children_at = flat([[number[child] for child in node.children] for node in nodes])
    outgoing, outgoing_at = flat([[ref_number[id(r)] for r in node.outgoing] for node in nodes])
    incoming, incoming_at = flat([[ref_number[id(r)] for r in node.incoming] for node in nodes])
    kpis = [(node, standing) for node in nodes if (standing := scores.kpi(node)) is not None]
    rolled = [(node, scores.rolled_score(node)) for node in nodes if node.kind in ROLLED_KINDS]
    data: dict[str, Any] = {
        "year": graph.year,
        "folder_name": graph.folder_name,
        "measured": graph.is_measured(),
        "paths": [],  # filled below, once every location has its number
        "statuses": [[status.value, status.label] for status in statuses],
        "perspectives": [[perspective.value, perspective.label] for perspective in perspectives],
        "kind": [node.kind.value for node in nodes],
        "namespace": [node.code.namespace for node in nodes],
        "code": [node.code.code for node in nodes],
        "name": [node.name for node in nodes],
        "path": [path(node.location) for node in nodes],
        "line": [node.location.line for node in nodes],
        "column": [node.location.column for node in nodes],
        "parent": [number[node.parent] if node.parent is not None else -1 for node in nodes],
        "perspective": [perspectives.index(node.perspective) if node.perspective else -1 for node in nodes],
        "declared": [node.declared for node in nodes],
        "group": [node.group for node in nodes],
        "tags": [_tags(node) for node in nodes],
        "children": children,
        "children_at": children_at,
        "outgoing": outgoing,
        "outgoing_at": outgoing_at,
        "incoming": incoming,
        "incoming_at": incoming_at,
        "ref_kind": [r.kind.value for r in references],
        "ref_source": [number[r.source] for r in references],
        "ref_namespace": [r.target_code.namespace for r in references],
        "ref_code": [r.target_code.code for r in references],
        "ref_path": [path(r.location) for r in references],
        "ref_line": [r.location.line for r in references],
        "ref_column": [r.location.column for r in references],
        "ref_target": [number[r.target] if r.target is not None else -1 for r in references],
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
        "kpi_node": [number[node] for node, _ in kpis],
        "kpi_target": [_value(standing.score.target) for _, standing in kpis],
        "kpi_actual": [_value(standing.score.actual) for _, standing in kpis],
        "kpi_achievement": [_value(standing.score.achievement) for _, standing in kpis],
        "kpi_status": [statuses.index(standing.score.status) for _, standing in kpis],
        "kpi_period": [str(standing.latest.period) if standing.latest else None for _, standing in kpis],
        "kpi_latest": [_value(standing.latest.value) if standing.latest else None for _, standing in kpis],
        "kpi_unit": [standing.score.kpi.unit for _, standing in kpis],
        "kpi_aggregation": [standing.score.kpi.aggregation for _, standing in kpis],
        "rolled_node": [number[node] for node, _ in rolled],
        "rolled_achievement": [_value(score.achievement) for _, score in rolled],
        "rolled_status": [statuses.index(score.status) for _, score in rolled],
    }
    data["paths"] = list(paths)
    for name in _PACKED:
        data[name] = _packed(data[name])
    return data


def _packed(numbers: list[int]) -> str:
    """Whole numbers as base64 of 32-bit little-endian integers: read back at C speed, unlike JSON's."""
    array = Array("i", numbers)
    if sys.byteorder == "big":
        array.byteswap()
    return binascii.b2a_base64(array.tobytes(), newline=False).decode("ascii")


def _unpacked(text: Any) -> list[int]:
    """Numbers ``_packed`` wrote."""
    _check(type(text) is str)
    raw = binascii.a2b_base64(text, strict_mode=True)
    _check(len(raw) % 4 == 0)
    array = Array("i")
    array.frombytes(raw)
    if sys.byteorder == "big":
        array.byteswap()
    return array.tolist()


def _tags(node: Node) -> list[str]:
    tags = getattr(node.source, "tags", None)
    return [str(tag) for tag in tags] if isinstance(tags, list) else []


def _value(value: Decimal | str | None) -> str | None:
    """A target, actual or ratio as plain data: ``d1.50`` for a number (every digit kept), ``s`` and the name
    for a milestone stage."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"d{value}"
    if isinstance(value, str):
        return f"s{value}"
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


_TEXT: set[type] = {str}
_MAYBE: set[type] = {str, type(None)}
_INT: set[type] = {int}
_BOOL: set[type] = {bool}
_LIST: set[type] = {list}
"""The types the items of a column may have: text, text or nothing, whole number, yes or no, list."""
_NODE_COLUMNS = {
    "kind": _TEXT, "namespace": _TEXT, "code": _TEXT, "name": _TEXT, "path": _INT, "line": _INT, "column": _INT,
    "parent": _INT, "perspective": _INT, "declared": _BOOL, "group": _TEXT, "tags": _LIST,
}  # fmt: skip
_REFERENCE_COLUMNS = {
    "ref_kind": _TEXT, "ref_source": _INT, "ref_namespace": _TEXT, "ref_code": _TEXT, "ref_path": _INT,
    "ref_line": _INT, "ref_column": _INT, "ref_target": _INT,
}  # fmt: skip
_KPI_COLUMNS = {
    "kpi_node": _INT, "kpi_target": _MAYBE, "kpi_actual": _MAYBE, "kpi_achievement": _MAYBE, "kpi_status": _INT,
    "kpi_period": _MAYBE, "kpi_latest": _MAYBE, "kpi_unit": _MAYBE, "kpi_aggregation": _MAYBE,
}  # fmt: skip
"""The score of each department KPI."""
_ROLLED_COLUMNS = {"rolled_node": _INT, "rolled_achievement": _MAYBE, "rolled_status": _INT}
_RELATIONS = {"children": "parent", "outgoing": "ref_source", "incoming": "ref_target"}
"""Each relation listed node by node, and the column that names the node it belongs to."""
_KINDS = {kind.value: kind for kind in NodeKind}
_PACKED = [
    *(name for columns in (_NODE_COLUMNS, _REFERENCE_COLUMNS, _KPI_COLUMNS, _ROLLED_COLUMNS)
      for name, allowed in columns.items() if allowed is _INT),
    *_RELATIONS, *(f"{relation}_at" for relation in _RELATIONS),
]  # fmt: skip
"""The columns of whole numbers, stored packed (``_packed``)."""
_GRAPH_KEYS = {
    "year", "folder_name", "measured", "paths", "statuses", "perspectives", "city_themes", "cross_cutting",
    "departments", *_NODE_COLUMNS, *_REFERENCE_COLUMNS, *_KPI_COLUMNS, *_ROLLED_COLUMNS,
    *_RELATIONS, *(f"{relation}_at" for relation in _RELATIONS),
}  # fmt: skip


class _Store:
    """The checked columns of an index, and the nodes and references made from them so far: a trace reads a
    few hundred of a plan's thousands of nodes, so each is made when first reached."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.count = len(data["kind"])
        self.paths = [Path(text) for text in data["paths"]]
        self.perspectives = [StoredPerspective(value, label) for value, label in data["perspectives"]]
        self.kinds: list[NodeKind] = data["kinds"]
        self.nodes: list[_IndexedNode | None] = [None] * self.count
        self.references: list[Reference | None] = [None] * len(data["ref_kind"])

    def node(self, i: int) -> _IndexedNode:
        """Node ``i``, made on first use (its relations are made when first read)."""
        found = self.nodes[i]
        if found is None:
            data = self.data
            location = Location(self.paths[data["path"][i]], data["line"][i], data["column"][i])
            code = QualifiedCode(data["namespace"][i], data["code"][i])
            found = _IndexedNode(self.kinds[i], code, data["name"][i], location, StoredItem(data["tags"][i]))
            found.declared, found.group = data["declared"][i], data["group"][i]
            if data["perspective"][i] >= 0:  # reports read a perspective's value and label only
                found.perspective = cast("Perspective", self.perspectives[data["perspective"][i]])
            found.store, found.number, found.wired = self, i, False
            self.nodes[i] = found
        return found

    def reference(self, r: int) -> Reference:
        """Reference ``r``, made on first use."""
        found = self.references[r]
        if found is None:
            data = self.data
            target = data["ref_target"][r]
            found = self.references[r] = Reference(
                ReferenceKind(data["ref_kind"][r]),
                self.node(data["ref_source"][r]),
                QualifiedCode(data["ref_namespace"][r], data["ref_code"][r]),
                Location(self.paths[data["ref_path"][r]], data["ref_line"][r], data["ref_column"][r]),
                self.node(target) if target >= 0 else None,
            )
        return found

    def related(self, relation: str, i: int) -> list[int]:
        """The numbers of node ``i``'s children, outgoing or incoming references."""
        starts = self.data[f"{relation}_at"]
        return list(self.data[relation][starts[i] : starts[i + 1]])

    def wire(self, node: _IndexedNode) -> None:
        """Give ``node`` its parent, children and references."""
        i = node.number
        parent = self.data["parent"][i]
        _PARENT.__set__(node, self.node(parent) if parent >= 0 else None)
        _CHILDREN.__set__(node, [self.node(child) for child in self.related("children", i)])
        _OUTGOING.__set__(node, [self.reference(r) for r in self.related("outgoing", i)])
        _INCOMING.__set__(node, [self.reference(r) for r in self.related("incoming", i)])


_PARENT: Any = Node.__dict__["parent"]
_CHILDREN: Any = Node.__dict__["children"]
_OUTGOING: Any = Node.__dict__["outgoing"]
_INCOMING: Any = Node.__dict__["incoming"]
"""The slots of ``Node`` behind the relations that ``_IndexedNode`` fills when first read."""


class _IndexedNode(Node):
    """A node of a trace index: its parent, children and references are made from the index when first read."""

    __slots__ = ("store", "number", "wired")

    store: _Store
    number: int
    wired: bool

    def _wire(self) -> None:
        if not getattr(self, "wired", True):
            self.wired = True
            self.store.wire(self)

    @property
    def parent(self) -> Node | None:
        self._wire()
        found: Node | None = _PARENT.__get__(self)
        return found

    @parent.setter
    def parent(self, value: Node | None) -> None:
        _PARENT.__set__(self, value)

    @property
    def children(self) -> list[Node]:
        self._wire()
        found: list[Node] = _CHILDREN.__get__(self)
        return found

    @children.setter
    def children(self, value: list[Node]) -> None:
        _CHILDREN.__set__(self, value)

    @property
    def outgoing(self) -> list[Reference]:
        self._wire()
        found: list[Reference] = _OUTGOING.__get__(self)
        return found

    @outgoing.setter
    def outgoing(self, value: list[Reference]) -> None:
        _OUTGOING.__set__(self, value)

    @property
    def incoming(self) -> list[Reference]:
        self._wire()
        found: list[Reference] = _INCOMING.__get__(self)
        return found

    @incoming.setter
    def incoming(self, value: list[Reference]) -> None:
        _INCOMING.__set__(self, value)


class IndexedGraph(PlanGraph):
    """A plan rebuilt from its trace index: its nodes made as they are reached; no files, no models. (Not a
    dataclass of its own: it adds no field to compare or show.)"""

    measured: bool = False
    """Whether any department KPI had a target or an actual when the index was made."""
    store: _Store | None = None

    def is_measured(self) -> bool:
        """Whether any department KPI has a target (of any year) or a recorded actual value."""
        return self.measured

    def all_nodes(self) -> list[Node]:
        """Every node, in the order they were linked."""
        if self.store is None:
            return super().all_nodes()
        return [self.store.node(i) for i in range(self.store.count)]

    def of_kind(self, *kinds: NodeKind) -> list[Node]:
        """Every node of the given kinds, in link order."""
        if self.store is None:
            return super().of_kind(*kinds)
        return [self.store.node(i) for i, kind in enumerate(self.store.kinds) if kind in kinds]

    def with_code(self, code: str) -> list[Node]:
        """Every node whose code (in any namespace) is ``code``, in link order."""
        if self.store is None:
            return super().with_code(code)
        return [self.store.node(i) for i, found in enumerate(self.store.data["code"]) if found == code]

    def find(self, code: QualifiedCode) -> Node | None:
        """The first node with this qualified code, if any."""
        found = [node for node in self.with_code(code.code) if node.code == code]
        return found[0] if found else None


def _graph_from(data: Any, root: Path) -> tuple[IndexedGraph, StoredScores]:
    if type(data) is not dict or set(data) != _GRAPH_KEYS:
        raise _Refused
    _check_columns(data)
    store = _Store(data)
    graph = IndexedGraph(root, data["folder_name"], data["year"], None, None)
    graph.measured, graph.store = data["measured"], store
    graph.city_themes = [store.node(_index(i, store.nodes)) for i in _list(data["city_themes"])]
    graph.cross_cutting = [store.node(_index(i, store.nodes)) for i in _list(data["cross_cutting"])]
    for row in _list(data["departments"]):
        identifier, lead, member, themes, tows, axes = _list(row)
        _check(type(identifier) is str and identifier not in graph.departments)
        # trace and coverage read a department's roles and nodes, never its file
        department = Department(identifier, cast("LoadedFile", None), _strings(lead), _strings(member))
        department.themes = [store.node(_index(i, store.nodes)) for i in _list(themes)]
        department.tows = [store.node(_index(i, store.nodes)) for i in _list(tows)]
        department.policy_axes = [store.node(_index(i, store.nodes)) for i in _list(axes)]
        graph.departments[identifier] = department
    return graph, _scores(data, store)


def _check_columns(data: dict[str, Any]) -> None:
    """Every column of the right length and type, every number in range, parents before their children (so no
    chain of parents comes back to itself), each node the child of its parent alone, and each reference listed
    by the node it leaves and the node it reaches."""
    for name in _PACKED:
        data[name] = _unpacked(data[name])
    year = data["year"]
    _check((year is None or type(year) is int) and type(data["folder_name"]) is str)
    _check(type(data["measured"]) is bool)
    paths = _strings(data["paths"])
    _pairs(data["perspectives"])
    _pairs(data["statuses"])
    count, references = len(_list(data["kind"])), len(_list(data["ref_kind"]))
    kpis, rolled = len(_list(data["kpi_node"])), len(_list(data["rolled_node"]))
    for columns, length in (
        (_NODE_COLUMNS, count),
        (_REFERENCE_COLUMNS, references),
        (_KPI_COLUMNS, kpis),
        (_ROLLED_COLUMNS, rolled),
    ):
        for name, allowed in columns.items():
            column = _list(data[name])
            _check(len(column) == length and set(map(type, column)) <= allowed)
    _check(set(map(type, chain.from_iterable(data["tags"]))) <= _TEXT)
    data["kinds"] = list(map(_KINDS.__getitem__, data["kind"]))
    _check(set(data["ref_kind"]) <= set(ReferenceKind))
    _in_range(data["path"] + data["ref_path"], 0, len(paths))
    _in_range(data["line"] + data["column"] + data["ref_line"] + data["ref_column"], 1, None)
    _in_range(data["perspective"], -1, len(data["perspectives"]))
    _in_range(data["ref_source"], 0, count)
    _in_range(data["ref_target"], -1, count)
    parents = data["parent"]
    _in_range(parents, -1, None)
    _check(all(map(lt, parents, range(count))))
    above, up = parents, [*parents, -1]  # up[-1]: above the top there is nothing
    for _ in range(MAX_DEPTH):
        above = list(map(up.__getitem__, above))
    _check(above.count(-1) == count)
    for relation, owner_column in _RELATIONS.items():
        items, starts = _list(data[relation]), _list(data[f"{relation}_at"])
        _check(len(starts) == count + 1)
        _check(starts[0] == 0 and starts[-1] == len(items) and all(map(le, starts, starts[1:])))
        _in_range(items, 0, count if relation == "children" else references)
        owners = chain.from_iterable(map(repeat, range(count), map(sub, starts[1:], starts[:-1])))
        _check(list(map(data[owner_column].__getitem__, items)) == list(owners))
    _check(sorted(data["children"]) == list(compress(range(count), map(le, repeat(0), parents))))
    _check_scores(data, data["kinds"])


def _in_range(numbers: list[int], low: int, high: int | None) -> None:
    """Every number at least ``low`` and below ``high`` (no bound: None)."""
    if numbers:
        _check(min(numbers) >= low and (high is None or max(numbers) < high))


def _scores(data: dict[str, Any], store: _Store) -> StoredScores:
    """The stored scores, each made when a report first asks for it."""
    statuses = [StoredStatus(value, label, rank) for rank, (value, label) in enumerate(data["statuses"])]
    kpis = {number: row for row, number in enumerate(data["kpi_node"])}
    rolled = {number: row for row, number in enumerate(data["rolled_node"])}

    def kpi(node: Node) -> StoredKpiStanding | None:
        row = kpis.get(_number_of(node))
        if row is None:
            return None
        period, latest = data["kpi_period"][row], data["kpi_latest"][row]
        score = StoredKpiScore(
            StoredKpi(data["kpi_unit"][row], data["kpi_aggregation"][row]),
            _decoded(data["kpi_target"][row]),
            _decoded(data["kpi_actual"][row]),
            _number(_decoded(data["kpi_achievement"][row])),
            statuses[data["kpi_status"][row]],
        )
        measure = StoredMeasure(period, _present(_decoded(latest))) if period is not None else None
        return StoredKpiStanding(score, measure)

    def rolled_score(node: Node) -> StoredRolledScore | None:
        row = rolled.get(_number_of(node))
        if row is None:
            return None
        achievement = _number(_decoded(data["rolled_achievement"][row]))
        return StoredRolledScore(achievement, statuses[data["rolled_status"][row]])

    return StoredScores(kpi, rolled_score)


def _check_scores(data: dict[str, Any], kinds: list[NodeKind]) -> None:
    """Exactly one score for every KPI and every rolled-up item, each value a number or a stage as written."""
    every = range(len(kinds))
    _check(data["kpi_node"] == list(compress(every, map(is_, kinds, repeat(NodeKind.KPI)))))
    _check(data["rolled_node"] == list(compress(every, map(frozenset(ROLLED_KINDS).__contains__, kinds))))
    _in_range(data["kpi_status"] + data["rolled_status"], 0, len(data["statuses"]))
    for name in ("kpi_target", "kpi_actual", "kpi_achievement", "kpi_latest", "rolled_achievement"):
        values = [value for value in data[name] if value is not None]
        ratio = name.endswith("achievement")
        _check({value[:1] for value in values} <= ({"d"} if ratio else {"d", "s"}))
        numbers = [value for value in values if value[0] == "d"]
        _check(not numbers or bool(_NUMBERS.fullmatch("\n".join(numbers))))
    _check(all((p is None) == (v is None) for p, v in zip(data["kpi_period"], data["kpi_latest"], strict=True)))


def _number_of(node: Node) -> int:
    """The number of a node of a trace index."""
    return node.number if isinstance(node, _IndexedNode) else -1


_NUMBER = r"d-?[0-9]{1,40}(?:\.[0-9]{1,40})?(?:E[+-][0-9]{1,3})?"
"""A stored number: as ``str(Decimal)`` writes a finite one, no longer than any the scorer makes."""
_NUMBERS = re.compile(f"(?:{_NUMBER}\n)*{_NUMBER}")
"""Stored numbers, one a line."""


def _decoded(value: str | None) -> Decimal | str | None:
    """A value as ``_value`` wrote it (checked by ``_check_scores``)."""
    if value is None:
        return None
    return Decimal(value[1:]) if value[0] == "d" else value[1:]


def _present(value: Decimal | str | None) -> Decimal | str:
    """A value checked to be there (a latest actual has one)."""
    if value is None:
        raise _Refused
    return value


def _number(value: Decimal | str | None) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


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
