"""Which city objectives the departments' KPIs feed, in the city themes where a department has a role."""

from __future__ import annotations

from dataclasses import dataclass, field

from stratmap.linking.graph import Node, NodeKind, PlanGraph
from stratmap.tracing.trace import Contribution, aligned_themes, contributions_to


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
    def objectives(self) -> list[ObjectiveCoverage]:
        """Every objective covered: those of the themes, then the cross-cutting ones."""
        return [o for t in self.themes for o in t.objectives] + self.cross_cutting

    @property
    def unfed(self) -> list[Node]:
        """City objectives covered that no department KPI feeds."""
        return [o.objective for o in self.objectives if not o.fed]


def coverage_of(graph: PlanGraph) -> Coverage:
    """Coverage of every city theme that a department leads or takes part in."""
    roles: dict[str, dict[str, str]] = {}
    for department in graph.departments.values():
        for letter, role in department.roles.items():
            roles.setdefault(letter, {})[department.id] = role
    themes = []
    for city_theme in graph.city_themes:
        if city_theme.code.code not in roles:
            continue
        objectives = [_objective_coverage(o) for o in city_theme.children if not o.is_placeholder]
        themes.append(ThemeCoverage(city_theme, dict(sorted(roles[city_theme.code.code].items())), objectives))
    return Coverage(themes, [_objective_coverage(objective) for objective in graph.cross_cutting])


def _objective_coverage(objective: Node) -> ObjectiveCoverage:
    contributions = [c for kpi in objective.children if kpi.kind is NodeKind.CITY_KPI for c in contributions_to(kpi)]
    return ObjectiveCoverage(objective, contributions, aligned_themes(objective))
