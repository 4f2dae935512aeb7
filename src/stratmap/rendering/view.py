"""What the pages show, as plain data built from the graph; the templates only lay it out.

Every item carries its qualified code (``doed:BP2.1``), which is its anchor on the page, and
every reference carries the qualified code of its target, so a trace can be followed by clicking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stratmap.linking.graph import Department, Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.model import CityMapFile, DepartmentFile
from stratmap.model.codes import Perspective
from stratmap.model.theme import ActionPlan, Kpi
from stratmap.rendering.status import KpiStatus, kpi_status
from stratmap.reporting.numbers import format_number
from stratmap.tracing.trace import tows_behind

PERSPECTIVES = list(Perspective)


@dataclass(frozen=True)
class Link:
    """A reference to another item: its code as shown, and its anchor."""

    code: str
    anchor: str
    name: str = ""


def link(node: Node) -> Link:
    """A link to ``node``."""
    return Link(node.code.code, str(node.code), node.name)


@dataclass
class ObjectiveCell:
    """An objective as it stands on a strategy map."""

    link: Link
    fed: bool = False
    """City map only: a department KPI feeds one of its KPIs."""
    aligned: bool = False
    """City map only: a department theme answers to it."""


@dataclass
class MapColumn:
    """One theme of a strategy map: its objectives by perspective."""

    link: Link
    aligns_to: list[Link]
    cells: dict[Perspective, list[ObjectiveCell]]


@dataclass
class KpiRow:
    """A KPI line of a scorecard."""

    link: Link
    city_kpis: list[Link]
    tags: list[str]
    unit: str
    direction: str
    baseline: str
    target: str
    actual: str
    status: KpiStatus
    action_plans: list[ActionPlanRow]


@dataclass
class ActionPlanRow:
    """An action plan line of a scorecard."""

    link: Link
    owner: str
    budget: str


@dataclass
class ObjectiveRows:
    """An objective of a scorecard with its KPIs."""

    link: Link
    kpis: list[KpiRow]
    tows: list[Link]


@dataclass
class Scorecard:
    """The balanced scorecard of one department theme, grouped by perspective."""

    link: Link
    aligns_to: list[Link]
    perspectives: dict[Perspective, list[ObjectiveRows]]
    has_measures: bool
    """Whether any KPI has a unit, baseline, target or actual to show."""


@dataclass
class TowsCell:
    """A TOWS strategy and the objective it became."""

    link: Link
    became: list[Link]


@dataclass
class TowsQuadrantView:
    """A quadrant of the TOWS matrix: its title as printed and its strategies."""

    title: str
    cells: list[TowsCell]


@dataclass
class PolicyAxisView:
    """A policy axis with its English name and strategies."""

    link: Link
    english_name: str
    strategies: list[Link]


@dataclass
class AlignmentRow:
    """A city KPI and the department KPIs that feed it."""

    city_kpi: Link
    city_objective: Link
    kpis: list[Link]


@dataclass
class DepartmentView:
    """Everything a department's page shows."""

    id: str
    model: DepartmentFile
    map_columns: list[MapColumn]
    scorecards: list[Scorecard]
    tows_factors: dict[str, list[Link]]
    tows_quadrants: dict[str, TowsQuadrantView]
    """``SO``, ``WO``, ``ST``, ``WT``."""
    policy_axes: list[PolicyAxisView]


@dataclass
class CityView:
    """The city strategy map with the objectives the departments feed marked."""

    model: CityMapFile
    columns: list[MapColumn]
    cross_cutting: list[ObjectiveCell]


@dataclass
class PlanView:
    """One plan year: the city map and each department."""

    year: int | None
    city: CityView | None
    departments: list[DepartmentView] = field(default_factory=list)
    alignment: list[AlignmentRow] = field(default_factory=list)
    """City KPIs, in city-map order, with every department KPI that feeds them."""


def plan_view(graph: PlanGraph) -> PlanView:
    """Build the page data of one linked plan."""
    city = None
    if graph.city_file is not None:
        assert isinstance(graph.city_file.model, CityMapFile)
        city = CityView(
            graph.city_file.model,
            [_map_column(theme, city_side=True) for theme in graph.city_themes],
            [_objective_cell(node, city_side=True) for node in graph.cross_cutting],
        )
    departments = [_department_view(unit) for unit in graph.departments.values()]
    return PlanView(graph.year, city, departments, _alignment(graph))


def _objective_cell(node: Node, city_side: bool) -> ObjectiveCell:
    if not city_side:
        return ObjectiveCell(link(node))
    fed = any(kpi.sources(ReferenceKind.FEEDS) for kpi in node.children)
    aligned = bool(node.sources(ReferenceKind.ALIGNS_TO))
    return ObjectiveCell(link(node), fed, aligned)


def _aligned_to(theme: Node) -> list[Link]:
    return [link(target) for target in theme.targets(ReferenceKind.ALIGNS_TO)]


def _map_column(theme: Node, city_side: bool) -> MapColumn:
    cells: dict[Perspective, list[ObjectiveCell]] = {p: [] for p in PERSPECTIVES}
    for objective in theme.children:
        if objective.perspective is not None:
            cells[objective.perspective].append(_objective_cell(objective, city_side))
    return MapColumn(link(theme), [] if city_side else _aligned_to(theme), cells)


def _department_view(unit: Department) -> DepartmentView:
    model = unit.file.model
    assert isinstance(model, DepartmentFile)
    themes = sorted(unit.themes, key=lambda theme: theme.code.code)
    factors: dict[str, list[Link]] = {"S": [], "W": [], "O": [], "T": []}
    quadrants = (
        {key.upper(): TowsQuadrantView(q.title or "", []) for key, q in model.tows.quadrants} if model.tows else {}
    )
    for node in unit.tows:
        if node.kind is NodeKind.TOWS_FACTOR:
            factors[node.code.code[0]].append(link(node))
        else:
            became = [link(target) for target in node.targets(ReferenceKind.BECAME)]
            quadrants[node.code.code[:2]].cells.append(TowsCell(link(node), became))
    return DepartmentView(
        id=unit.id,
        model=model,
        map_columns=[_map_column(theme, city_side=False) for theme in themes],
        scorecards=[_scorecard(theme) for theme in themes],
        tows_factors=factors,
        tows_quadrants=quadrants,
        policy_axes=[
            PolicyAxisView(
                link(axis), getattr(axis.source, "english_name", None) or "", [link(s) for s in axis.children]
            )
            for axis in unit.policy_axes
        ],
    )


def _scorecard(theme: Node) -> Scorecard:
    perspectives: dict[Perspective, list[ObjectiveRows]] = {p: [] for p in PERSPECTIVES}
    has_measures = False
    for objective in theme.children:
        rows = []
        for kpi_node in objective.children:
            kpi = kpi_node.source
            assert isinstance(kpi, Kpi)
            has_measures = has_measures or any(
                value is not None for value in (kpi.unit, kpi.baseline, kpi.target, kpi.actual)
            )
            rows.append(_kpi_row(kpi_node, kpi))
        if objective.perspective is not None:
            perspectives[objective.perspective].append(
                ObjectiveRows(link(objective), rows, [link(s) for s in tows_behind(objective)])
            )
    return Scorecard(link(theme), _aligned_to(theme), perspectives, has_measures)


def _kpi_row(node: Node, kpi: Kpi) -> KpiRow:
    plans = []
    for plan_node in node.children:
        plan = plan_node.source
        assert isinstance(plan, ActionPlan)
        plans.append(ActionPlanRow(link(plan_node), plan.owner or "", format_number(plan.budget)))
    return KpiRow(
        link=link(node),
        city_kpis=[link(target) for target in node.targets(ReferenceKind.FEEDS)],
        tags=list(kpi.tags),
        unit=kpi.unit or "",
        direction={"higher": "越高越好", "lower": "越低越好"}.get(kpi.direction or "", ""),
        baseline=format_number(kpi.baseline),
        target=format_number(kpi.target),
        actual=format_number(kpi.actual),
        status=kpi_status(kpi),
        action_plans=plans,
    )


def _alignment(graph: PlanGraph) -> list[AlignmentRow]:
    """City KPIs, in city-map order, with the department KPIs that feed them."""
    rows = []
    for node in graph.of_kind(NodeKind.CITY_KPI):
        feeding = [link(kpi) for kpi in node.sources(ReferenceKind.FEEDS)]
        if feeding and node.parent is not None:
            rows.append(AlignmentRow(link(node), link(node.parent), feeding))
    return rows
