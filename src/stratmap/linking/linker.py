"""Build the ``PlanGraph`` of one plan folder from its loaded files. No I/O here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from stratmap.linking.graph import (
    CITY,
    Department,
    Measure,
    Node,
    NodeKind,
    PlanGraph,
    QualifiedCode,
    Reference,
    ReferenceKind,
    StructureGap,
)
from stratmap.loading.loader import LoadedFile
from stratmap.model import CityMapFile, DepartmentFile, MeasuresFile, PlanFile, ThemeFile
from stratmap.model.city import CityObjective
from stratmap.model.codes import Perspective, parent_code
from stratmap.model.measures import Measurement
from stratmap.model.periods import Period
from stratmap.problems import Location

TOWS_FACTORS = ("strengths", "weaknesses", "opportunities", "threats")


def link_plan(root: Path, files: Sequence[LoadedFile], folder_name: str | None = None) -> PlanGraph:
    """Link every loaded file of one plan folder into one graph (``folder_name`` defaults to the root's)."""
    plans = [f for f in files if isinstance(f.model, PlanFile)]
    cities = [f for f in files if isinstance(f.model, CityMapFile)]
    plan_file = plans[0] if plans else None
    year = plan_file.model.year if plan_file and isinstance(plan_file.model, PlanFile) else None
    graph = PlanGraph(
        root=root,
        folder_name=folder_name if folder_name is not None else root.name,
        year=year,
        plan_file=plan_file,
        city_file=cities[0] if cities else None,
    )
    _require_one(graph, plans, "plan", root, "plan.yaml")
    _require_one(graph, cities, "city map", root, "city.yaml")
    if graph.city_file is not None:
        _add_city(graph, graph.city_file)
    _add_departments(graph, [f for f in files if isinstance(f.model, DepartmentFile)])
    _add_themes(graph, [f for f in files if isinstance(f.model, ThemeFile)])
    _add_measures(graph, [f for f in files if isinstance(f.model, MeasuresFile)])
    for reference in graph.references:
        _resolve(graph, reference)
    return graph


def _require_one(graph: PlanGraph, found: list[LoadedFile], what: str, root: Path, usual: str) -> None:
    if not found:
        graph.gaps.append(
            StructureGap(
                Location(root / usual),
                f"the plan has no {what} file",
                f"add {usual} with 'kind: {what.replace(' ', '_')}'",
            )
        )
    for extra in found[1:]:
        graph.gaps.append(
            StructureGap(
                extra.location(),
                f"a second {what} file in one plan (the first is {found[0].path.as_posix()})",
                "keep one",
            )
        )


def _add(graph: PlanGraph, node: Node) -> Node:
    graph.add_node(node)
    if node.parent is not None:
        node.parent.children.append(node)
    return node


def _place(
    graph: PlanGraph,
    kind: NodeKind,
    code: QualifiedCode,
    name: str,
    where: Location,
    source: object,
    parent: Node | None = None,
    perspective: Perspective | None = None,
) -> Node:
    """Create a node where its code was written and add it to the graph (and to its parent)."""
    return _add(graph, Node(kind, code, name, where, source, parent=parent, perspective=perspective))


def _add_city(graph: PlanGraph, file: LoadedFile) -> None:
    city = file.model
    assert isinstance(city, CityMapFile)
    for t, theme in enumerate(city.themes):
        theme_node = _place(
            graph,
            NodeKind.CITY_THEME,
            QualifiedCode(CITY, theme.code),
            theme.name,
            file.location("themes", t, "code"),
            theme,
        )
        graph.city_themes.append(theme_node)
        for o, objective in enumerate(theme.objectives):
            _add_city_objective(graph, file, objective, ("themes", t, "objectives", o), theme_node)
    for o, objective in enumerate(city.cross_cutting_objectives):
        graph.cross_cutting.append(_add_city_objective(graph, file, objective, ("cross_cutting_objectives", o), None))


def _add_city_objective(
    graph: PlanGraph, file: LoadedFile, objective: CityObjective, path: tuple[str | int, ...], theme: Node | None
) -> Node:
    node = _place(
        graph,
        NodeKind.CITY_OBJECTIVE,
        QualifiedCode(CITY, objective.code),
        objective.name,
        file.location(*path, "code"),
        objective,
        theme,
        objective.perspective,
    )
    _refer_drives(graph, node, objective.drives, file, path)
    for k, kpi in enumerate(objective.kpis or []):
        _place(
            graph,
            NodeKind.CITY_KPI,
            QualifiedCode(CITY, kpi.code),
            kpi.name or "",
            file.location(*path, "kpis", k, "code"),
            kpi,
            node,
            objective.perspective,
        )
    return node


def _add_departments(graph: PlanGraph, files: list[LoadedFile]) -> None:
    for file in files:
        department = file.model
        assert isinstance(department, DepartmentFile)
        if department.id in graph.departments:
            first = graph.departments[department.id].file
            graph.gaps.append(
                StructureGap(
                    file.location("id"),
                    f"department id '{department.id}' is used twice (also in {first.path.as_posix()})",
                    "give each department its own id",
                )
            )
            continue
        roles = department.city_roles
        unit = Department(department.id, file, lead=list(roles.lead), member=list(roles.member))
        graph.departments[department.id] = unit
        _add_tows(graph, unit, file, department)
        for a, axis in enumerate(department.policy_axes):
            code = f"PA{axis.number}"
            axis_node = _place(
                graph, NodeKind.POLICY_AXIS, QualifiedCode(department.id, code), axis.name,
                file.location("policy_axes", a, "name"), axis,
            )  # fmt: skip
            unit.policy_axes.append(axis_node)
            for n, strategy in enumerate(axis.strategies, start=1):
                _place(
                    graph, NodeKind.POLICY_STRATEGY, QualifiedCode(department.id, f"{code}.{n}"), strategy,
                    file.location("policy_axes", a, "strategies", n - 1), strategy, axis_node,
                )  # fmt: skip


def _add_tows(graph: PlanGraph, unit: Department, file: LoadedFile, department: DepartmentFile) -> None:
    if department.tows is None:
        return
    namespace = department.id
    for group in TOWS_FACTORS:
        for f, factor in enumerate(getattr(department.tows, group)):
            unit.tows.append(
                _place(
                    graph,
                    NodeKind.TOWS_FACTOR,
                    QualifiedCode(namespace, factor.code),
                    factor.text,
                    file.location("tows", group, f, "code"),
                    factor,
                )
            )
    for quadrant, cell in department.tows.quadrants:
        for s, strategy in enumerate(cell.strategies):
            path = ("tows", "quadrants", quadrant, "strategies", s)
            node = _place(
                graph, NodeKind.TOWS_STRATEGY, QualifiedCode(namespace, f"{quadrant.upper()}{strategy.number}"),
                strategy.text, file.location(*path, "number"), strategy,
            )  # fmt: skip
            node.group = cell.title or ""
            unit.tows.append(node)
            if strategy.objective:
                _refer(graph, ReferenceKind.BECAME, node, QualifiedCode(namespace, strategy.objective),
                       file.location(*path, "objective"))  # fmt: skip
            if strategy.city_objective:
                _refer(graph, ReferenceKind.BECAME, node, QualifiedCode(CITY, strategy.city_objective),
                       file.location(*path, "city_objective"))  # fmt: skip


def _department_beside(graph: PlanGraph, file: LoadedFile, what: str) -> Department | None:
    """The department whose department.yaml stands in the same folder as ``file``; a gap when there is none."""
    for unit in graph.departments.values():
        if unit.file.path.parent == file.path.parent:
            return unit
    graph.gaps.append(StructureGap(file.location("kind"), f"{what} file has no department file beside it",
                                   "put the department's department.yaml in the same folder"))  # fmt: skip
    return None


def _add_themes(graph: PlanGraph, files: list[LoadedFile]) -> None:
    for file in files:
        theme = file.model
        assert isinstance(theme, ThemeFile)
        unit = _department_beside(graph, file, "theme")
        if unit is not None:
            unit.themes.append(_add_theme(graph, unit.id, file, theme))


def _add_measures(graph: PlanGraph, files: list[LoadedFile]) -> None:
    """Each department's actual values, by KPI code in period order; one measures file per department."""
    for file in files:
        unit = _department_beside(graph, file, "measures")
        if unit is None:
            continue
        if unit.measures_file is not None:
            first = unit.measures_file.path.as_posix()
            graph.gaps.append(StructureGap(file.location("kind"), f"a second measures file for one department (the "
                                           f"first is {first})", "keep one measures file per department"))  # fmt: skip
            continue
        unit.measures_file = file
        unit.measures = measures_of_file(file)


def measures_of_file(file: LoadedFile) -> dict[str, list[Measure]]:
    """The values of a loaded measures file, by KPI code, each KPI's in period order."""
    measures = file.model
    assert isinstance(measures, MeasuresFile)
    found: dict[str, list[Measure]] = {}
    for code, values in measures.measures.items():
        recorded = []
        for period_text, given in values.items():
            period = Period.parse(period_text)
            assert period is not None  # the model refuses anything else
            value, note = (given.value, given.note) if isinstance(given, Measurement) else (given, None)
            recorded.append(Measure(code, period, value, note, file.location("measures", code, period_text)))
        found[code] = sorted(recorded, key=lambda measure: measure.period)
    return found


def _add_theme(graph: PlanGraph, namespace: str, file: LoadedFile, theme: ThemeFile) -> Node:
    """One department theme: its objectives, KPIs, action plans and references to the city map."""
    theme_node = _place(
        graph, NodeKind.THEME, QualifiedCode(namespace, theme.code), theme.name, file.location("code"), theme
    )
    for a, aligned in enumerate(theme.aligns_to):
        _refer(graph, ReferenceKind.ALIGNS_TO, theme_node, QualifiedCode(CITY, aligned), file.location("aligns_to", a))
    for o, objective in enumerate(theme.objectives):
        o_path = ("objectives", o)
        perspective = objective.perspective
        objective_node = _place(
            graph,
            NodeKind.OBJECTIVE,
            QualifiedCode(namespace, objective.code),
            objective.name,
            file.location(*o_path, "code"),
            objective,
            theme_node,
            perspective,
        )
        _refer_drives(graph, objective_node, objective.drives, file, o_path)
        for k, kpi in enumerate(objective.kpis):
            k_path = (*o_path, "kpis", k)
            kpi_node = _place(
                graph,
                NodeKind.KPI,
                QualifiedCode(namespace, kpi.code),
                kpi.name,
                file.location(*k_path, "code"),
                kpi,
                objective_node,
                perspective,
            )
            for c, city_kpi in enumerate(kpi.city_kpis):
                _refer(
                    graph,
                    ReferenceKind.FEEDS,
                    kpi_node,
                    QualifiedCode(CITY, city_kpi),
                    file.location(*k_path, "city_kpis", c),
                )
            for p, plan in enumerate(kpi.action_plans):
                _place(
                    graph,
                    NodeKind.ACTION_PLAN,
                    QualifiedCode(namespace, plan.code),
                    plan.name,
                    file.location(*k_path, "action_plans", p, "code"),
                    plan,
                    kpi_node,
                    perspective,
                )
    return theme_node


def _refer(graph: PlanGraph, kind: ReferenceKind, source: Node, target: QualifiedCode, where: Location) -> None:
    reference = Reference(kind, source, target, where)
    source.outgoing.append(reference)
    graph.references.append(reference)


def _refer_drives(
    graph: PlanGraph, objective: Node, drives: Sequence[str], file: LoadedFile, path: tuple[str | int, ...]
) -> None:
    """One reference per code of an objective's ``drives:``, in its own namespace, where the code is written."""
    for d, driven in enumerate(drives):
        target = QualifiedCode(objective.code.namespace, driven)
        _refer(graph, ReferenceKind.DRIVES, objective, target, file.location(*path, "drives", d))


def _resolve(graph: PlanGraph, reference: Reference) -> None:
    """Point the reference at its node; a city KPI the city map does not list is implied."""
    target = graph.find(reference.target_code)
    if target is None and reference.kind is ReferenceKind.FEEDS:
        objective = graph.find(QualifiedCode(CITY, parent_code(reference.target_code.code) or ""))
        if objective is not None and isinstance(objective.source, CityObjective) and objective.source.kpis is None:
            target = _add(
                graph,
                Node(
                    NodeKind.CITY_KPI,
                    reference.target_code,
                    "",
                    objective.location,
                    None,
                    parent=objective,
                    perspective=objective.perspective,
                    declared=False,
                ),
            )
    if target is not None and _fits(reference, target):
        reference.target = target
        target.incoming.append(reference)


def _fits(reference: Reference, target: Node) -> bool:
    """Whether the node found is of the kind the reference asks for."""
    wanted = {
        ReferenceKind.FEEDS: (NodeKind.CITY_KPI,),
        ReferenceKind.ALIGNS_TO: (NodeKind.CITY_OBJECTIVE,),
        ReferenceKind.BECAME: (NodeKind.OBJECTIVE, NodeKind.CITY_OBJECTIVE),
        ReferenceKind.DRIVES: (reference.source.kind,),  # an objective of the same map, as its namespace says
    }[reference.kind]
    return target.kind in wanted
