"""Rules on targets, weights and measured values (實際值): what a measured scorecard needs to be sound."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from stratmap.i18n import N_, _
from stratmap.linking.graph import Department, Node, NodeKind, PlanGraph
from stratmap.model.periods import periods_of
from stratmap.model.theme import Kpi, Objective
from stratmap.problems import Finding, Location
from stratmap.rules import graph_rule

_KIND_WORDS = {
    "year": N_("the whole year"),
    "half": N_("a half year"),
    "quarter": N_("a quarter"),
    "month": N_("a month"),
}
_FREQUENCY_WORDS = {"year": N_("yearly"), "half": N_("half-yearly"), "quarter": N_("quarterly"), "month": N_("monthly")}


def _kpis_by_code(graph: PlanGraph, department: Department) -> dict[str, Node]:
    return {
        node.code.code: node
        for theme in department.themes
        for objective in theme.children
        for node in objective.children
        if node.kind is NodeKind.KPI
    }


def _kpi(node: Node) -> Kpi:
    assert isinstance(node.source, Kpi)
    return node.source


@graph_rule(
    "M001",
    N_(
        """A measured value's period lies in the plan year and fits the KPI's frequency.

        Fails (plan year 110, ``BP2.1`` measured ``frequency: quarterly``)::

            measures:
              BP2.1: {109Q4: 12, 110M01: 3}

        Passes: ``BP2.1: {110Q1: 12, 110: 40}`` (any frequency may also give the whole year's value).
        A KPI with no ``frequency`` is measured yearly.
        """
    ),
)
def period_mismatch(graph: PlanGraph) -> Iterator[Finding]:
    for department in graph.departments.values():
        kpis = _kpis_by_code(graph, department)
        for code, measures in department.measures.items():
            node = kpis.get(code)
            for measure in measures:
                if graph.year is not None and measure.period.year != graph.year:
                    yield Finding(
                        "M001",
                        measure.location,
                        _("period {period} of {code} lies outside the plan year {year}").format(
                            period=measure.period, code=code, year=graph.year
                        ),
                        _("record it in the measures file of {year}").format(year=measure.period.year),
                    )
                    continue
                if node is None:
                    continue
                allowed = _kpi(node).period_kind
                if measure.period.kind not in ("year", allowed):
                    yield Finding(
                        "M001",
                        measure.location,
                        _("{code} is measured {frequency}; {period} is {kind}").format(
                            code=code,
                            frequency=_(_FREQUENCY_WORDS[allowed]),
                            period=measure.period,
                            kind=_(_KIND_WORDS[measure.period.kind]),
                        ),
                        _("record it under a period of the KPI's frequency, or change its 'frequency:'"),
                    )


@graph_rule(
    "M002",
    N_(
        """A measures file names KPIs of its own department.

        Fails (the department has no KPI ``BP9.1``): ``measures: {BP9.1: {110: 3}}``.
        Passes: ``measures: {BP2.1: {110: 3}}``.
        """
    ),
    whole_plan=True,
)
def unknown_measured_kpi(graph: PlanGraph) -> Iterator[Finding]:
    for department in graph.departments.values():
        kpis = _kpis_by_code(graph, department)
        file = department.measures_file
        for code in department.measures:
            if code not in kpis and file is not None:
                where = Location(file.path, *file.positions.of_key(("measures", code)))
                yield Finding(
                    "M002",
                    where,
                    _("{code} is not a KPI of department {department}").format(code=code, department=department.id),
                    _("correct the code; the department's KPIs are in its theme files"),
                )


@graph_rule(
    "M003",
    N_(
        """A measured value is a number, or for a KPI evaluated by milestones one of its stages.

        Fails: ``BP2.1: {110: 很多}`` for a KPI of statistics; ``BP3.1: {110: 完工}`` when its stages are
        完成規劃, 完成招標, 完工啟用. Passes: ``BP2.1: {110: 1234}``; ``BP3.1: {110: 完成招標}``.
        """
    ),
)
def measure_value(graph: PlanGraph) -> Iterator[Finding]:
    for department in graph.departments.values():
        kpis = _kpis_by_code(graph, department)
        for code, measures in department.measures.items():
            node = kpis.get(code)
            if node is None:
                continue
            kpi = _kpi(node)
            stages = [milestone.stage for milestone in kpi.milestones]
            for measure in measures:
                if kpi.basis == "statistics" and not isinstance(measure.value, Decimal):
                    yield Finding(
                        "M003",
                        measure.location,
                        _("{code} {period}: '{value}' is not a number").format(
                            code=code, period=measure.period, value=measure.value
                        ),
                        _("write the value as a number such as 1234 or 95.5, without units or %"),
                    )
                elif kpi.basis == "milestones" and str(measure.value) not in stages:
                    yield Finding(
                        "M003",
                        measure.location,
                        _("{code} {period}: '{value}' is not one of its stages").format(
                            code=code, period=measure.period, value=measure.value
                        ),
                        _("write the stage reached: {stages}").format(stages=", ".join(stages)),
                    )


@graph_rule(
    "M004",
    N_(
        """A KPI with a numeric target says whether higher or lower is better.

        Fails: ``{code: BP2.1, name: 新設企業家數, target: 1200}``.
        Passes: the same KPI with ``direction: higher``. KPIs evaluated by milestones need no direction.
        """
    ),
)
def target_without_direction(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.of_kind(NodeKind.KPI):
        kpi = _kpi(node)
        if kpi.basis == "statistics" and kpi.direction is None and (kpi.target is not None or kpi.targets):
            yield Finding(
                "M004",
                node.location,
                _("KPI {code} has a target but no direction").format(code=node.code.code),
                _("add 'direction: higher' or 'direction: lower' (越高越好／越低越好)"),
            )


@graph_rule(
    "M005",
    N_(
        """A target lowered from the previous plan year's says why in a ``note:`` (下修目標值應分析原因).

        Fails (110: ``target: 1200``, higher is better)::

            - {code: BP2.1, name: 新設企業家數, direction: higher, target: 1000}

        Passes: the same with ``note: 因疫情下修目標值`` beside it, or ``target: 1200`` or more. Where the
        previous plan set this year's target ahead (110: ``targets: {111: 1300}``), that is the target
        compared: 111 ``target: 1250`` is lowered.
        """
    ),
)
def target_lowered(graph: PlanGraph) -> Iterator[Finding]:
    for node in graph.of_kind(NodeKind.KPI):
        kpi = _kpi(node)
        earlier = graph.earlier_targets.get(node.code)
        if earlier is None or kpi.target is None or kpi.note:
            continue
        last_year, planned = earlier
        before = planned.get(graph.year or 0, last_year)  # what last year's plan set for this year, if it did
        if before is None:
            continue
        lowered = False
        if kpi.basis == "milestones" and isinstance(before, str) and isinstance(kpi.target, str):
            old, new = kpi.stage_percent(before), kpi.stage_percent(kpi.target)
            lowered = old is not None and new is not None and new < old
        elif isinstance(before, Decimal) and isinstance(kpi.target, Decimal) and kpi.direction is not None:
            lowered = kpi.target < before if kpi.direction == "higher" else kpi.target > before
        if lowered:
            yield Finding(
                "M005",
                node.location,
                _("KPI {code}'s target {target} is lower than the {before} of last year's plan").format(
                    code=node.code.code, target=kpi.target, before=before
                ),
                _("say why in a 'note:' on the KPI (下修目標值應分析原因)"),
            )


@graph_rule(
    "M006",
    N_(
        """Given weights add up: an objective's weight is the sum of its KPIs' weights, and a department's
        weights make 100 (權重: each KPI a percent of the whole department plan).

        Fails: objective ``weight: 20`` whose KPIs weigh 10 and 5; a department whose objectives weigh 95
        in all; one KPI of an objective weighted and another not. Passes: 15 = 10 + 5, and 100 in all.
        """
    ),
    whole_plan=True,
)
def weights_add_up(graph: PlanGraph) -> Iterator[Finding]:
    for department in graph.departments.values():
        objectives = [o for theme in department.themes for o in theme.children if o.kind is NodeKind.OBJECTIVE]
        if not any(
            o.source.weight is not None or any(_kpi(k).weight is not None for k in o.children) for o in objectives
        ):
            continue
        total = Decimal(0)
        for objective in objectives:
            kpi_weights = [_kpi(k).weight for k in objective.children]
            given = [w for w in kpi_weights if w is not None]
            if given and len(given) != len(kpi_weights):
                yield Finding(
                    "M006",
                    objective.location,
                    _("some KPIs of {objective} have a weight and some do not").format(objective=objective.code.code),
                    _("give every KPI of the objective a weight, or none"),
                )
            declared = objective.source.weight
            if declared is not None and given and len(given) == len(kpi_weights) and sum(given) != declared:
                yield Finding(
                    "M006",
                    objective.location,
                    _("objective {objective} weighs {declared} but its KPIs weigh {given}").format(
                        objective=objective.code.code, declared=declared, given=sum(given)
                    ),
                    _("make the objective's weight the sum of its KPIs'"),
                )
            weight = objective.source.total_weight if isinstance(objective.source, Objective) else None
            if weight is None:
                yield Finding(
                    "M006",
                    objective.location,
                    _("objective {objective} has no weight while other objectives of {department} do").format(
                        objective=objective.code.code, department=department.id
                    ),
                    _("give it a weight, or its KPIs weights"),
                )
            else:
                total += weight
        if total != 100:
            where = department.file.location("id")
            yield Finding(
                "M006",
                where,
                _("the weights of department {department} add up to {total}, not 100").format(
                    department=department.id, total=total
                ),
                _("each weight is a percent of the whole department plan"),
            )


@graph_rule(
    "M007",
    N_(
        """With ``--as-of DATE``, every period of a KPI's frequency that has ended by then has a value.

        Fails (``--as-of 2021-07-15``, ``BP2.1`` quarterly, measures ``{110Q1: 300}``): 110Q2 ended on
        2021-06-30 without a value. Passes: ``{110Q1: 300, 110Q2: 310}``, or the year's value ``110``.
        Only KPIs with a target are expected to be measured.
        """
    ),
)
def missing_actual(graph: PlanGraph) -> Iterator[Finding]:
    if graph.as_of is None or graph.year is None:
        return
    for node in graph.of_kind(NodeKind.KPI):
        kpi = _kpi(node)
        if kpi.target is None:
            continue
        recorded = {measure.period for measure in graph.measures_of(node)}
        due = [p for p in periods_of(graph.year, kpi.period_kind) if p.ends() <= graph.as_of]
        missing = [p for p in due if p not in recorded and not any(r.kind == "year" for r in recorded)]
        if missing:
            names = ", ".join(str(p) for p in missing)
            yield Finding(
                "M007",
                node.location,
                _("KPI {code} has no actual for {periods}, ended by {date}").format(
                    code=node.code.code, periods=names, date=graph.as_of.isoformat()
                ),
                _("record the values in the department's measures file"),
            )
