"""The linked strategy plan: nodes for every coded item, references between them.

Every code is qualified by its namespace: ``city`` for the city map, the
department's id (``doed``) for a department's files. ``city:DP2.1`` and
``doed:DP2.1`` are different nodes, whatever they look like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stratmap.i18n import N_
from stratmap.loading.placeholders import PLACEHOLDER
from stratmap.problems import Location

if TYPE_CHECKING:
    import datetime
    from decimal import Decimal

    from stratmap.loading.loader import LoadedFile
    from stratmap.model.codes import Perspective
    from stratmap.model.periods import Period

CITY = "city"


@dataclass(frozen=True, order=True)
class QualifiedCode:
    """A code and the namespace it lives in: ``city:DP2.1`` or ``doed:DP2.1``."""

    namespace: str
    code: str

    def __str__(self) -> str:
        return f"{self.namespace}:{self.code}"

    @property
    def is_city(self) -> bool:
        """Whether the code belongs to the city map."""
        return self.namespace == CITY


class NodeKind(StrEnum):
    """What a node of the graph stands for."""

    CITY_THEME = "city_theme"
    CITY_OBJECTIVE = "city_objective"
    CITY_KPI = "city_kpi"
    THEME = "theme"
    OBJECTIVE = "objective"
    KPI = "kpi"
    ACTION_PLAN = "action_plan"
    TOWS_FACTOR = "tows_factor"
    TOWS_STRATEGY = "tows_strategy"
    POLICY_AXIS = "policy_axis"
    POLICY_STRATEGY = "policy_strategy"

    @property
    def label(self) -> str:
        """How the kind is named to people, in the language of this run."""
        from stratmap.i18n import _

        return _(_KIND_LABELS[self])


_KIND_LABELS = {
    NodeKind.CITY_THEME: N_("city theme"),
    NodeKind.CITY_OBJECTIVE: N_("city objective"),
    NodeKind.CITY_KPI: N_("city KPI"),
    NodeKind.THEME: N_("department theme"),
    NodeKind.OBJECTIVE: N_("department objective"),
    NodeKind.KPI: N_("department KPI"),
    NodeKind.ACTION_PLAN: N_("action plan"),
    NodeKind.TOWS_FACTOR: N_("TOWS factor"),
    NodeKind.TOWS_STRATEGY: N_("TOWS strategy"),
    NodeKind.POLICY_AXIS: N_("policy axis"),
    NodeKind.POLICY_STRATEGY: N_("policy strategy"),
}


class ReferenceKind(StrEnum):
    """How one node points at another across the cascade."""

    FEEDS = "feeds"
    """A department KPI feeds a city KPI (府級KPI)."""
    ALIGNS_TO = "aligns_to"
    """A department theme answers to a city objective (對應府級)."""
    BECAME = "became"
    """A TOWS strategy became an objective."""
    DRIVES = "drives"
    """An objective supports another of the same map (``drives:``, cause and effect)."""


@dataclass(eq=False, slots=True)
class Node:
    """A coded item of the plan. Identity is the object: duplicates stay distinct nodes."""

    kind: NodeKind
    code: QualifiedCode
    name: str
    location: Location
    source: Any
    """The model object the node was built from (``Kpi``, ``CityObjective``, ...)."""
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    perspective: Perspective | None = None
    declared: bool = True
    """False for a city KPI known only because a department references it."""
    group: str = ""
    """The group a node is shown under where its code does not say it: a TOWS strategy's quadrant title."""
    outgoing: list[Reference] = field(default_factory=list)
    incoming: list[Reference] = field(default_factory=list)

    @property
    def is_placeholder(self) -> bool:
        """Whether the item is still init's scaffold (its name holds 「待填」): not a real part of the plan."""
        return PLACEHOLDER in self.name

    def targets(self, kind: ReferenceKind) -> list[Node]:
        """The nodes this node's references of ``kind`` resolved to (unresolved ones left out)."""
        return [ref.target for ref in self.outgoing if ref.kind is kind and ref.target is not None]

    def sources(self, kind: ReferenceKind) -> list[Node]:
        """The nodes whose references of ``kind`` point at this node."""
        return [ref.source for ref in self.incoming if ref.kind is kind]

    def ancestors(self) -> list[Node]:
        """Parents from the nearest up to the theme."""
        found: list[Node] = []
        node = self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    def descendants(self) -> list[Node]:
        """Every node below this one, depth first in source order."""
        found: list[Node] = []
        for child in self.children:
            found.append(child)
            found.extend(child.descendants())
        return found


@dataclass(eq=False, slots=True)
class Reference:
    """A link across the cascade; ``target`` is None when nothing answers to the code."""

    kind: ReferenceKind
    source: Node
    target_code: QualifiedCode
    location: Location
    target: Node | None = None


@dataclass(frozen=True, slots=True)
class Measure:
    """One actual value (實際值) of a department KPI for one period, where it was written."""

    kpi_code: str
    period: Period
    value: Decimal | str
    """A number, or the milestone stage reached."""
    note: str | None
    location: Location


@dataclass
class Department:
    """A department's frame file and its theme nodes."""

    id: str
    file: LoadedFile
    lead: list[str] = field(default_factory=list)
    """City themes the department leads (主政)."""
    member: list[str] = field(default_factory=list)
    """City themes the department takes part in (成員)."""
    themes: list[Node] = field(default_factory=list)
    tows: list[Node] = field(default_factory=list)
    policy_axes: list[Node] = field(default_factory=list)
    measures_file: LoadedFile | None = None
    measures: dict[str, list[Measure]] = field(default_factory=dict)
    """By KPI code (the department's own), each KPI's values in period order."""

    @property
    def roles(self) -> dict[str, str]:
        """City theme -> ``lead`` or ``member``."""
        return {**{theme: "member" for theme in self.member}, **{theme: "lead" for theme in self.lead}}


@dataclass
class StructureGap:
    """A file that has no place in the plan, or a file the plan lacks."""

    location: Location
    message: str
    hint: str = ""


@dataclass
class PlanGraph:
    """One plan year, linked."""

    root: Path
    folder_name: str
    """The plan folder's own name, which should be its year (``110``)."""
    year: int | None
    plan_file: LoadedFile | None
    city_file: LoadedFile | None
    city_themes: list[Node] = field(default_factory=list)
    cross_cutting: list[Node] = field(default_factory=list)
    departments: dict[str, Department] = field(default_factory=dict)
    nodes: dict[QualifiedCode, list[Node]] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    gaps: list[StructureGap] = field(default_factory=list)
    earlier_targets: dict[QualifiedCode, tuple[Decimal | str | None, dict[int, Decimal | str]]] = field(
        default_factory=dict
    )
    """The previous plan year's targets of each department KPI (its own year's, and those it set for later
    years), by qualified code, for the rule on lowered targets; filled by the pipeline when this plan has
    targets."""
    as_of: datetime.date | None = None
    """The date a check is made as of (``--as-of``): periods ended by then should have actuals."""
    _selections: dict[tuple[NodeKind, ...], list[Node]] = field(default_factory=dict, repr=False, compare=False)

    def measures_of(self, node: Node) -> list[Measure]:
        """The actual values recorded for a department KPI, in period order."""
        department = self.departments.get(node.code.namespace)
        return department.measures.get(node.code.code, []) if department is not None else []

    def find(self, code: QualifiedCode) -> Node | None:
        """The first node with this qualified code, if any."""
        found = self.nodes.get(code)
        return found[0] if found else None

    def add_node(self, node: Node) -> None:
        """Index a node by its code (the linker's one way to add one)."""
        self.nodes.setdefault(node.code, []).append(node)
        self._selections.clear()

    def is_measured(self) -> bool:
        """Whether any department KPI has a target (of any year) or a recorded actual value."""
        return any(department.measures for department in self.departments.values()) or any(
            getattr(node.source, "target", None) is not None or getattr(node.source, "targets", None)
            for node in self.of_kind(NodeKind.KPI)
        )

    def all_nodes(self) -> list[Node]:
        """Every node, in the order they were linked."""
        return [node for nodes in self.nodes.values() for node in nodes]

    def with_code(self, code: str) -> list[Node]:
        """Every node whose code is ``code``, in any namespace, in the order they were linked."""
        return [node for node in self.all_nodes() if node.code.code == code]

    def of_kind(self, *kinds: NodeKind) -> list[Node]:
        """Every node of the given kinds, in link order (each selection made once: rules ask often)."""
        selection = self._selections.get(kinds)
        if selection is None:
            selection = self._selections[kinds] = [node for node in self.all_nodes() if node.kind in kinds]
        return list(selection)

    def drives(self, node: Node) -> list[Node]:
        """The objectives ``node`` supports (its ``drives:``), each once, in the order listed; codes that name
        no objective of its map left out."""
        return _once(node.targets(ReferenceKind.DRIVES))

    def driven_by(self, node: Node) -> list[Node]:
        """The objectives that support ``node`` (name it in their ``drives:``), each once, in document order."""
        return _once(node.sources(ReferenceKind.DRIVES))

    def drives_references(self, namespace: str | None = None) -> list[Reference]:
        """Every ``drives:`` code written (of one namespace, or all), in document order, resolved or not, each
        with the place it was written: for rules that report at the code."""
        return [
            reference
            for reference in self.references
            if reference.kind is ReferenceKind.DRIVES
            and (namespace is None or reference.source.code.namespace == namespace)
        ]

    def drives_edges(self, namespace: str) -> list[tuple[Node, Node]]:
        """The cause-and-effect links of one namespace (``city`` or a department's id) as (supporting,
        supported) objectives, in document order, each pair once; codes that name no objective left out."""
        pairs = [(r.source, r.target) for r in self.drives_references(namespace) if r.target is not None]
        return list(dict.fromkeys(pairs))

    def namespaces(self) -> list[str]:
        """``city`` first, then the departments' ids."""
        return [CITY, *self.departments]


def _once(nodes: list[Node]) -> list[Node]:
    """The nodes in order, each the first time only (a code listed twice is one link; nodes hash by identity)."""
    return list(dict.fromkeys(nodes))
