"""Rules on references across the cascade: department to city, TOWS to objectives."""

from __future__ import annotations

from collections.abc import Iterator

from stratmap.i18n import N_, _
from stratmap.linking.graph import CITY, NodeKind, PlanGraph, QualifiedCode, ReferenceKind
from stratmap.model.codes import parent_code
from stratmap.problems import Finding
from stratmap.rules import graph_rule


@graph_rule(
    "R003",
    N_(
        """A city KPI reference or a theme alignment names an objective of the city map.

        Fails (no city objective ``DP9``)::

            city_kpis: [DP9.1]
            aligns_to: [DP9]

        Passes: ``city_kpis: [DP2.2]``, ``aligns_to: [DP2]``.
        """
    ),
    whole_plan=True,
)
def unknown_city_objective(graph: PlanGraph) -> Iterator[Finding]:
    for reference in graph.references:
        if reference.target is not None or reference.kind in (ReferenceKind.BECAME, ReferenceKind.DRIVES):
            continue
        code = reference.target_code.code
        objective_code = code if reference.kind is ReferenceKind.ALIGNS_TO else parent_code(code) or code
        if graph.find(QualifiedCode(CITY, objective_code)) is None:
            what = _("city KPI reference") if reference.kind is ReferenceKind.FEEDS else _("theme alignment")
            yield Finding(
                "R003",
                reference.location,
                _("{what} {code} names no city objective: the city map has no {objective}").format(
                    what=what, code=code, objective=objective_code
                ),
                closest_hint(graph, objective_code, NodeKind.CITY_OBJECTIVE),
            )


@graph_rule(
    "R004",
    N_(
        """Where a city objective lists its KPIs, a reference names one of them.

        Fails (city objective ``DP2`` lists ``DP2.1`` and ``DP2.2``)::

            city_kpis: [DP2.3]

        Passes: ``city_kpis: [DP2.2]``; or any ``DP2.n`` when ``DP2`` lists no KPIs at all.
        """
    ),
    whole_plan=True,
)
def unlisted_city_kpi(graph: PlanGraph) -> Iterator[Finding]:
    for reference in graph.references:
        if reference.target is not None or reference.kind is not ReferenceKind.FEEDS:
            continue
        objective = graph.find(QualifiedCode(CITY, parent_code(reference.target_code.code) or ""))
        if objective is not None:
            listed = ", ".join(child.code.code for child in objective.children)
            yield Finding(
                "R004",
                reference.location,
                _("city KPI {code} is not listed under city objective {objective} (it lists {listed})").format(
                    code=reference.target_code.code, objective=objective.code.code, listed=listed
                ),
                _("correct the reference, or add {code} to {objective} in the city map").format(
                    code=reference.target_code.code, objective=objective.code.code
                ),
            )


@graph_rule(
    "R009",
    N_(
        """A reference to a city KPI whose city objective lists no KPIs is likely a slip: often the department's
        own code pasted in (department BP2.1 is not city BP2.1). A warning: a city map may list only some KPIs.

        Warns (city objective ``BP2`` lists no KPIs)::

            city_kpis: [BP2.1]

        Passes: ``city_kpis: [DP2.2]`` where ``DP2`` lists ``DP2.2``.
        """
    ),
    whole_plan=True,
)
def city_kpi_of_an_objective_listing_none(graph: PlanGraph) -> Iterator[Finding]:
    for reference in graph.references:
        if reference.target is None or reference.kind is not ReferenceKind.FEEDS or reference.target.declared:
            continue
        objective = reference.target.parent
        if objective is None or any(child.declared for child in objective.children):
            continue
        own = graph.find(QualifiedCode(reference.source.code.namespace, reference.target_code.code))
        also = _(" ({code} is a {kind})").format(code=own.code, kind=own.kind.label) if own is not None else ""
        yield Finding(
            "R009",
            reference.location,
            _("city KPI {code} is not in the city map: city objective {objective} lists no KPIs").format(
                code=reference.target_code.code, objective=objective.code.code
            )
            + also,
            _("check that {code} is the city's code (府級KPI), or list it under {objective} in the city map").format(
                code=reference.target_code.code, objective=objective.code.code
            ),
        )


@graph_rule(
    "R008",
    N_(
        """An item names each city KPI or city objective once.

        Fails::

            city_kpis: [TC3.1, TC3.1]

        Passes: ``city_kpis: [TC3.1]``; or two different codes, ``city_kpis: [DP2.1, DP2.2]``.
        """
    ),
)
def duplicate_reference(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.all_nodes():
        seen: set[tuple[ReferenceKind, QualifiedCode]] = set()
        for reference in node.outgoing:
            key = (reference.kind, reference.target_code)
            if key in seen:
                yield Finding(
                    "R008",
                    reference.location,
                    _("{target} is listed twice for {kind} {code}").format(
                        target=reference.target_code.code, kind=node.kind.label, code=node.code.code
                    ),
                    _("remove the second one: it would count the same link twice"),
                )
            seen.add(key)


@graph_rule(
    "R005",
    N_(
        """A TOWS strategy links to an objective that exists.

        Fails (the department has no objective ``BP9``)::

            - number: 1
              text: 協助新創事業發展
              objective: BP9

        Passes: ``objective: BP2``; or no ``objective:`` when the strategy became none.
        """
    ),
    whole_plan=True,
)
def unknown_objective(graph: PlanGraph) -> Iterator[Finding]:
    for reference in graph.references:
        if reference.kind is ReferenceKind.BECAME and reference.target is None:
            code = reference.target_code
            side = _("city map") if code.is_city else _("department {id}").format(id=code.namespace)
            kind = NodeKind.CITY_OBJECTIVE if code.is_city else NodeKind.OBJECTIVE
            yield Finding(
                "R005",
                reference.location,
                _("TOWS strategy {strategy} links to {code}, which is no objective of the {side}").format(
                    strategy=reference.source.code.code, code=code.code, side=side
                ),
                closest_hint(graph, code.code, kind, code.namespace),
            )


@graph_rule(
    "R007",
    N_(
        """A department's roles name themes of the city map.

        Fails: ``city_roles: {lead: [Z]}`` when the city map has themes A-H.
        Passes: ``city_roles: {lead: [D], member: [A, B]}``.
        """
    ),
    whole_plan=True,
)
def unknown_city_theme(graph: PlanGraph) -> Iterator[Finding]:
    if graph.city_file is None:
        return
    for unit in graph.departments.values():
        for role, themes in (("lead", unit.lead), ("member", unit.member)):
            for i, theme in enumerate(themes):
                if graph.find(QualifiedCode(CITY, theme)) is None:
                    yield Finding(
                        "R007",
                        unit.file.location("city_roles", role, i),
                        _("department role names city theme {theme}, which the city map does not have").format(
                            theme=theme
                        ),
                        closest_hint(graph, theme, NodeKind.CITY_THEME),
                    )


@graph_rule(
    "N005",
    N_(
        """A theme aligns to a city objective in a city theme where the department has a role.

        Fails: theme aligned to ``GP1`` (city theme G) when the department leads D and is a member of A, B.
        Passes: ``aligns_to: [AC2]`` for a member of city theme A.
        """
    ),
    whole_plan=True,
)
def alignment_outside_role(graph: PlanGraph) -> Iterator[Finding]:
    for unit in graph.departments.values():
        roles = unit.roles
        for theme in unit.themes:
            for reference in theme.outgoing:
                target = reference.target
                if reference.kind is not ReferenceKind.ALIGNS_TO or target is None or target.parent is None:
                    continue
                city_theme = target.parent.code.code
                if city_theme not in roles:
                    yield Finding(
                        "N005",
                        reference.location,
                        _(
                            "theme {theme} aligns to {objective} in city theme {city_theme}, "
                            "where department {department} has no role"
                        ).format(
                            theme=theme.code.code, objective=target.code.code, city_theme=city_theme, department=unit.id
                        ),  # fmt: skip
                        _("add {city_theme} to city_roles in department.yaml, or align to another objective").format(
                            city_theme=city_theme
                        ),
                    )


def closest_hint(graph: PlanGraph, code: str, kind: NodeKind, namespace: str = CITY) -> str:
    """``did you mean BP2?``: the codes of ``kind`` in ``namespace`` closest to ``code``, or nothing."""
    import difflib

    known = [node.code.code for node in graph.of_kind(kind) if node.code.namespace == namespace]
    close = difflib.get_close_matches(code, known, n=3, cutoff=0.5)
    return _("did you mean {codes}?").format(codes=", ".join(close)) if close else ""
