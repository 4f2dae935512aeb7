"""Which city objectives the departments' KPIs feed, in the city themes where a department has a role."""

from __future__ import annotations

from dataclasses import dataclass, field

from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.model import DepartmentFile
from stratmap.tracing.trace import Contribution, contributions_to


@dataclass
class ObjectiveCoverage:
    """One city objective: the department KPIs feeding its KPIs, and the themes aligned to it."""

    objective: Node
    contributions: list[Contribution] = field(default_factory=list)
    aligned_themes: list[Node] = field(default_factory=list)

    @property
    def fed(self) -> bool:
        """Whether any department KPI feeds one of the objective's KPIs."""
        return bool(self.contributions)


@dataclass
class ThemeCoverage:
    """A city theme and the departments' roles in it."""

    theme: Node
    roles: dict[str, str]
    """Department id -> ``lead`` or ``member``."""
    objectives: list[ObjectiveCoverage]


@dataclass
class Coverage:
    """Coverage of a plan: one entry per city theme in which some department has a role."""

    themes: list[ThemeCoverage]
    cross_cutting: list[ObjectiveCoverage]
    """The objectives every theme shares (TC1-TC4)."""

    @property
    def unfed(self) -> list[Node]:
        """City objectives of the covered themes that no department KPI feeds."""
        return [o.objective for t in self.themes for o in t.objectives if not o.fed]


def coverage_of(graph: PlanGraph) -> Coverage:
    """Coverage of every city theme that a department leads or takes part in."""
    roles: dict[str, dict[str, str]] = {}
    for department in graph.departments.values():
        model = department.file.model
        assert isinstance(model, DepartmentFile)
        for letter in model.city_roles.member:
            roles.setdefault(letter, {})[department.id] = "member"
        for letter in model.city_roles.lead:
            roles.setdefault(letter, {})[department.id] = "lead"
    themes = []
    for city_theme in graph.city_themes:
        if city_theme.code.code not in roles:
            continue
        objectives = [_objective_coverage(objective) for objective in city_theme.children]
        themes.append(ThemeCoverage(city_theme, dict(sorted(roles[city_theme.code.code].items())), objectives))
    return Coverage(themes, [_objective_coverage(objective) for objective in graph.cross_cutting])


def _objective_coverage(objective: Node) -> ObjectiveCoverage:
    entry = ObjectiveCoverage(objective)
    for kpi in objective.children:
        if kpi.kind is NodeKind.CITY_KPI:
            entry.contributions.extend(contributions_to(kpi))
    entry.aligned_themes = [r.source for r in objective.incoming if r.kind is ReferenceKind.ALIGNS_TO]
    return entry
