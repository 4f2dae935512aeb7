"""What the pages show, as plain data built from the graph and its scores; the templates only lay it out.

Every item carries its qualified code (``doed:BP2.1``), which is its anchor on the page, and
every reference carries the qualified code of its target, so a trace can be followed by clicking.
Every ``note:`` of the data becomes a footnote, numbered in reading order across the page and
listed under the section it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stratmap.i18n import N_
from stratmap.linking.graph import Department, Measure, Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.model import CityMapFile, DepartmentFile, MeasuresFile, PlanFile
from stratmap.model.codes import Perspective
from stratmap.model.theme import ActionPlan, Kpi, Objective
from stratmap.rendering.status import (
    LegendEntry,
    StatusView,
    legend,
    rolled_view,
    rollup_rule,
    status_view,
)
from stratmap.rendering.trend import Sparkline, shown_value, sparkline, trend_text
from stratmap.rendering.words import PERSPECTIVE_WORDS, PageWords, Words
from stratmap.reporting.numbers import format_number
from stratmap.scoring.history import EarlierMeasures, trend
from stratmap.scoring.kpi import KpiScore, Scoring, Status
from stratmap.scoring.rollup import RolledScore
from stratmap.scoring.scorecard import Scorecard as Scores
from stratmap.scoring.scorecard import objective_weight, score_plan
from stratmap.tracing.trace import tows_behind

PERSPECTIVES = list(Perspective)
FREQUENCIES = {"monthly": N_("monthly"), "quarterly": N_("quarterly"), "half-yearly": N_("half-yearly"),
               "yearly": N_("yearly")}  # fmt: skip
"""每月, 每季, 每半年, 每年 on a Chinese page."""
AGGREGATIONS = {"sum": N_("sum of the periods"), "mean": N_("mean of the periods"),
                "last": N_("latest period (cumulative)")}  # fmt: skip
"""各期加總, 各期平均, 最新一期（累計值） on a Chinese page."""
DIRECTIONS = {"higher": N_("higher is better"), "lower": N_("lower is better")}
"""越高越好, 越低越好 on a Chinese page."""


@dataclass(frozen=True)
class Link:
    """A reference to another item: its code as shown, and its anchor."""

    code: str
    anchor: str
    name: str = ""
    label: str = ""
    """The code as a reader tells the maps apart (「府 DP2.1」, 「局 DP2.1」), where a link crosses maps."""

    @property
    def shown(self) -> str:
        """What the link reads: its ``label`` where it crosses maps, else its code."""
        return self.label or self.code


def link(node: Node) -> Link:
    """A link to ``node``."""
    return Link(node.code.code, str(node.code), node.name)


@dataclass(frozen=True)
class Footnote:
    """A ``note:`` of the data: its number on the page, what it is about, and its text."""

    number: int
    subject: str
    text: str
    marked: bool = True
    """Whether a mark in the text points to it (and so it links back); notes of whole files have none."""


class Footnotes:
    """Numbers the notes of a page in reading order."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, section: list[Footnote], subject: str, text: str | None, marked: bool = True) -> list[Footnote]:
        """Number ``text`` (if any), list it in ``section``; the footnotes to mark where it belongs."""
        if not text:
            return []
        self.count += 1
        note = Footnote(self.count, subject, text, marked)
        section.append(note)
        return [note]


def _note_of(model: object) -> str | None:
    note = getattr(model, "note", None)
    return note if isinstance(note, str) else None


@dataclass
class ObjectiveCell:
    """An objective as it stands on a strategy map."""

    link: Link
    fed: bool = False
    """City map only: a department KPI feeds one of its KPIs."""
    aligned: bool = False
    """City map only: a department theme answers to it."""
    status: StatusView | None = None
    """Its rolled-up status, when the plan is measured and something is rolled into it."""
    notes: list[Footnote] = field(default_factory=list)


@dataclass
class MapColumn:
    """One theme of a strategy map: its objectives by perspective."""

    link: Link
    aligns_to: list[Link]
    cells: dict[Perspective, list[ObjectiveCell]]
    status: StatusView | None = None
    notes: list[Footnote] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    """City map only: the departments' part in the theme (「主政」, 「成員」; with the department's name when
    the plan has several)."""


@dataclass(frozen=True)
class Detail:
    """One labelled fact of a KPI (單位, 頻率, 衡量標準, ...)."""

    label: str
    value: str


@dataclass
class KpiRow:
    """A KPI line of a scorecard."""

    link: Link
    city_kpis: list[Link]
    tags: list[str]
    details: list[Detail]
    """Unit, baseline, formula, basis, frequency, aggregation, weight, owner, data source, later targets."""
    unit: str
    baseline: str
    direction: str
    target: str
    actual: str
    as_of: str
    """The last period the actual covers, when not the whole year (``110Q3``)."""
    status: StatusView
    trend: str
    """The values in words, when there are two or more (``109: 1,200 → 110Q1: 300``)."""
    sparkline: Sparkline | None
    action_plans: list[ActionPlanRow]
    notes: list[Footnote] = field(default_factory=list)
    value_notes: list[Footnote] = field(default_factory=list)
    """Notes of its recorded values, marked beside the actual."""


@dataclass
class ActionPlanRow:
    """An action plan line of a scorecard."""

    link: Link
    owner: str
    budget: str
    notes: list[Footnote] = field(default_factory=list)


@dataclass
class ObjectiveRows:
    """An objective of a scorecard with its KPIs."""

    link: Link
    kpis: list[KpiRow]
    tows: list[Link]
    weight: str = ""
    status: StatusView | None = None
    notes: list[Footnote] = field(default_factory=list)


@dataclass
class Summary:
    """A rolled-up score with how many of its KPIs are met, near, missed and without data."""

    label: str
    link: Link | None
    status: StatusView
    met: int
    near: int
    missed: int
    no_data: int

    @property
    def kpis(self) -> int:
        """How many KPIs the score is made of."""
        return self.met + self.near + self.missed + self.no_data


@dataclass
class Scorecard:
    """The balanced scorecard of one department theme, grouped by perspective."""

    link: Link
    aligns_to: list[Link]
    perspectives: dict[Perspective, list[ObjectiveRows]]
    has_measures: bool
    """Whether the plan has targets or actuals: then target, actual, 達成率, status and trend are shown."""
    summary: Summary | None = None
    notes: list[Footnote] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)


@dataclass
class TowsCell:
    """A TOWS strategy and the objective it became."""

    link: Link
    became: list[Link]
    notes: list[Footnote] = field(default_factory=list)


@dataclass
class TowsQuadrantView:
    """A quadrant of the TOWS matrix: its title as printed and its strategies."""

    title: str
    cells: list[TowsCell]
    notes: list[Footnote] = field(default_factory=list)


@dataclass
class TowsFactorView:
    """A strength, weakness, opportunity or threat."""

    link: Link
    notes: list[Footnote] = field(default_factory=list)

    @property
    def code(self) -> str:
        """Its code (``S1``)."""
        return self.link.code

    @property
    def name(self) -> str:
        """Its text."""
        return self.link.name

    @property
    def anchor(self) -> str:
        """Its anchor (``doed:S1``)."""
        return self.link.anchor


@dataclass
class PolicyAxisView:
    """A policy axis with its English name and strategies."""

    link: Link
    english_name: str
    strategies: list[Link]
    notes: list[Footnote] = field(default_factory=list)


@dataclass
class StepView:
    """A step by which the map was built."""

    step: int
    name: str
    inputs: list[str]
    questions: list[str]
    notes: list[Footnote] = field(default_factory=list)


@dataclass
class AlignedKpi:
    """A department KPI feeding a city KPI, with its status when the plan is measured."""

    link: Link
    status: StatusView | None

    @property
    def code(self) -> str:
        """The KPI's code (as a ``Link`` has it, for templates written before statuses)."""
        return self.link.code

    @property
    def anchor(self) -> str:
        """The KPI's anchor (``doed:BP2.1``)."""
        return self.link.anchor

    @property
    def name(self) -> str:
        """The KPI's name."""
        return self.link.name


@dataclass
class AlignmentRow:
    """A city KPI and the department KPIs that feed it."""

    city_kpi: Link
    city_objective: Link
    kpis: list[AlignedKpi]
    status: StatusView | None = None
    notes: list[Footnote] = field(default_factory=list)


@dataclass
class CityObjectiveLinks:
    """A city objective and what the departments put under it: the themes that align to it and, for each of
    its KPIs, the department KPIs that feed it. The city map's boxes lead here."""

    objective: Link
    themes: list[Link]
    kpis: list[AlignmentRow]


@dataclass(frozen=True)
class StatusGroup:
    """The objectives of a map with one status (``key``), for the Mermaid diagram's classes."""

    key: str
    links: list[Link]


@dataclass
class DepartmentView:
    """Everything a department's page shows."""

    id: str
    model: DepartmentFile
    map_columns: list[MapColumn]
    scorecards: list[Scorecard]
    tows_factors: dict[str, list[TowsFactorView]]
    tows_quadrants: dict[str, TowsQuadrantView]
    """``SO``, ``WO``, ``ST``, ``WT``."""
    policy_axes: list[PolicyAxisView]
    steps: list[StepView] = field(default_factory=list)
    summary: list[Summary] = field(default_factory=list)
    """The department, then each theme, then each perspective; empty when the plan is not measured."""
    status: StatusView | None = None
    status_groups: list[StatusGroup] = field(default_factory=list)
    """The map's objectives by status, in the order met, near, missed, no data; only statuses present."""
    notes: dict[str, list[Footnote]] = field(default_factory=dict)
    """Marks by place: ``department``, ``document``, ``roles``, ``tows``."""
    map_title: str = ""
    """What its strategy map is called: its document's title, or 「<name>策略地圖」."""
    edition: str = ""
    """Its document's title, edition and date (「…110年策略地圖（…修訂版平衡計分卡），110年10月」)."""
    footnotes: list[Footnote] = field(default_factory=list)
    """Notes of the department itself (and of its measures file), under its heading."""
    tows_footnotes: list[Footnote] = field(default_factory=list)
    axes_footnotes: list[Footnote] = field(default_factory=list)


@dataclass
class CityView:
    """The city strategy map with the objectives the departments feed marked."""

    model: CityMapFile
    columns: list[MapColumn]
    cross_cutting: list[ObjectiveCell]
    notes: list[Footnote] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)


@dataclass
class PlanView:
    """One plan year: the city map and each department."""

    year: int | None
    city: CityView | None
    departments: list[DepartmentView] = field(default_factory=list)
    title: str = ""
    """The plan file's title, if any (the example plan's says 示範資料)."""
    measured: bool = False
    """Whether any KPI has a target or an actual: only then are statuses, colours and legends shown."""
    legend: list[LegendEntry] = field(default_factory=list)
    rollup_rule: str = ""
    as_of: str = ""
    """The latest period any value was recorded for (``110Q4``)."""
    footnotes: list[Footnote] = field(default_factory=list)
    """Notes of the plan file, under the page heading."""
    alignment_footnotes: list[Footnote] = field(default_factory=list)
    city_links: list[CityObjectiveLinks] = field(default_factory=list)
    """The alignment matrix: each city objective the departments answer to, in city-map order, with the
    department themes aligning to it and its KPIs with every department KPI that feeds them."""
    running_head: str = ""
    """What every printed page says at its top: the departments (or the city map) and the year."""


@dataclass
class _Context:
    """What every part of a page is built from."""

    graph: PlanGraph
    scores: Scores
    measured: bool
    earlier: EarlierMeasures
    notes: Footnotes
    words: Words
    """The page's words (Chinese unless ``--lang en``)."""
    nodes: dict[str, Node] = field(default_factory=dict)
    """The first node of each qualified code, by anchor."""

    def note_of(self, anchor: str) -> str | None:
        """The note of the item with this anchor."""
        node = self.nodes.get(anchor)
        return _note_of(node.source) if node is not None else None

    def crossing(self, node: Node) -> Link:
        """A link to ``node`` from another map, labelled as the document writes it: 「府 DP2.1」 for the city's,
        「局 DP2.1」 for the department's (its short name, or name, when the plan has several departments)."""
        code = node.code.code
        if node.code.is_city:
            label = self.words(N_("City {code}")).format(code=code)
        elif len(self.graph.departments) > 1:
            label = f"{self.department_name(node.code.namespace)} {code}"
        else:
            label = self.words(N_("Dept. {code}")).format(code=code)
        return Link(code, str(node.code), node.name, label)

    def department_name(self, department_id: str) -> str:
        """The department's short name, else its name, else its id."""
        unit = self.graph.departments.get(department_id)
        model = unit.file.model if unit is not None else None
        if isinstance(model, DepartmentFile):
            return model.short_name or model.name
        return department_id


def plan_view(
    graph: PlanGraph,
    scoring: Scoring | None = None,
    earlier: EarlierMeasures | None = None,
    words: Words | None = None,
) -> PlanView:
    """Build the page data of one linked plan, scored with ``scoring``; ``earlier`` years give the trends;
    the words the page data hold (statuses, legends, KPI details) are ``words`` (default: the page language's)."""
    scores = score_plan(graph, scoring=scoring)
    measured = scores.has_targets or scores.has_actuals
    context = _Context(graph, scores, measured, earlier or {}, Footnotes(), words or PageWords())
    for node in graph.all_nodes():
        context.nodes.setdefault(str(node.code), node)
    view = PlanView(graph.year, None, measured=measured)
    if measured:
        view.legend = legend(context.words, scores.scoring)
        view.rollup_rule = rollup_rule(context.words, scores.scoring)
        periods = [m.period for unit in graph.departments.values() for ms in unit.measures.values() for m in ms]
        view.as_of = str(max(periods)) if periods else ""
    if graph.plan_file is not None and isinstance(graph.plan_file.model, PlanFile):
        view.title = graph.plan_file.model.title or ""
        context.notes.add(view.footnotes, "plan.yaml", graph.plan_file.model.note, marked=False)
    if graph.city_file is not None:
        view.city = _city_view(context, graph.city_file.model)
    view.city_links = _city_links(context, view, _alignment(context, view))
    view.departments = [_department_view(context, unit) for unit in graph.departments.values()]
    view.running_head = _running_head(context.words, view)
    return view


def _running_head(words: Words, view: PlanView) -> str:
    """The departments (or the city map) and the year, as plain text: the template escapes it for HTML,
    and for CSS where it goes into ``@page``."""
    names = [d.model.name for d in view.departments]
    if not names and view.city is not None:
        names = [view.city.model.title]
    year = words(N_("Year %(year)s")) % {"year": view.year} if view.year is not None else ""
    return "　".join(part for part in (words(N_(", ")).join(names), year) if part)


def _edition(words: Words, model: DepartmentFile) -> str:
    """The department's document as the cover and its section name it: title, edition, year and month."""
    document = model.document
    if document is None:
        return ""
    edition = words(N_("(%(text)s)")) % {"text": document.edition} if document.edition else ""
    if document.month:
        date = words(N_(", year %(year)s month %(month)s")) % {"year": document.year, "month": document.month}
    else:
        date = words(N_(", year %(year)s")) % {"year": document.year}
    return document.title + edition + date


def _city_view(context: _Context, model: object) -> CityView:
    assert isinstance(model, CityMapFile)
    city = CityView(model, [], [])
    city.notes = context.notes.add(city.footnotes, "city.yaml", model.note)
    city.columns = [_map_column(context, theme, city_side=True) for theme in context.graph.city_themes]
    city.cross_cutting = [_objective_cell(context, node) for node in context.graph.cross_cutting]
    for column in city.columns:  # the table's reading order: the header row, then row by row
        column.notes = context.notes.add(city.footnotes, column.link.code, context.note_of(column.link.anchor))
    for cell in city.cross_cutting:
        cell.notes = _cell_notes(context, cell, city.footnotes)
    for perspective in PERSPECTIVES:
        for column in city.columns:
            for cell in column.cells[perspective]:
                cell.notes = _cell_notes(context, cell, city.footnotes)
    return city


def _cell_notes(context: _Context, cell: ObjectiveCell, section: list[Footnote]) -> list[Footnote]:
    return context.notes.add(section, cell.link.code, context.note_of(cell.link.anchor))


def _objective_cell(context: _Context, node: Node) -> ObjectiveCell:
    """An objective box; on the city map marked when fed or aligned to; coloured by status when measured."""
    city_side = node.code.is_city
    rolled = (context.scores.city_objectives if city_side else context.scores.objectives).get(node)
    status = rolled_view(context.words, rolled) if context.measured else None
    if not city_side:
        return ObjectiveCell(link(node), status=status)
    fed = any(kpi.sources(ReferenceKind.FEEDS) for kpi in node.children)
    aligned = bool(node.sources(ReferenceKind.ALIGNS_TO))
    return ObjectiveCell(link(node), fed, aligned, status)


def _aligned_to(theme: Node) -> list[Link]:
    return [link(target) for target in theme.targets(ReferenceKind.ALIGNS_TO)]


def _map_column(context: _Context, theme: Node, city_side: bool) -> MapColumn:
    cells: dict[Perspective, list[ObjectiveCell]] = {p: [] for p in PERSPECTIVES}
    for objective in theme.children:
        if objective.perspective is not None:
            cells[objective.perspective].append(_objective_cell(context, objective))
    rolled = (context.scores.city_themes if city_side else context.scores.themes).get(theme)
    if city_side and not any(
        context.scores.city_objectives[o].parts for o in theme.children if o in context.scores.city_objectives
    ):
        rolled = None  # no department KPI feeds any of its objectives: nothing to judge
    status = rolled_view(context.words, rolled) if context.measured else None
    column = MapColumn(link(theme), [] if city_side else _aligned_to(theme), cells, status)
    if city_side:
        column.roles = _roles(context, theme.code.code)
    return column


def _roles(context: _Context, theme: str) -> list[str]:
    """Each department's part in a city theme: 「主政」 or 「成員」, named when the plan has several departments."""
    roles = []
    several = len(context.graph.departments) > 1
    for unit in context.graph.departments.values():
        model = unit.file.model
        if not isinstance(model, DepartmentFile):
            continue
        for role, themes in ((N_("lead"), model.city_roles.lead), (N_("member"), model.city_roles.member)):
            if theme in themes:
                word = context.words(role)
                roles.append(f"{context.department_name(unit.id)} {word}" if several else word)
    return roles


def _department_view(context: _Context, unit: Department) -> DepartmentView:
    model = unit.file.model
    assert isinstance(model, DepartmentFile)
    themes = sorted(unit.themes, key=lambda theme: theme.code.code)
    view = DepartmentView(unit.id, model, [], [], {"S": [], "W": [], "O": [], "T": []}, {}, [])
    notes = context.notes
    view.notes = {"department": [], "document": [], "roles": [], "tows": []}
    view.edition = _edition(context.words, model)
    if model.document is not None:
        view.map_title = model.document.title
    else:
        view.map_title = context.words(N_("%(department)s strategy map")) % {"department": model.name}
    view.notes["department"] = notes.add(view.footnotes, model.name, model.note)
    if model.document is not None:
        view.notes["document"] = notes.add(view.footnotes, model.document.title, model.document.note)
    view.notes["roles"] = notes.add(view.footnotes, context.words(N_("City themes")), model.city_roles.note)
    if unit.measures_file is not None and isinstance(unit.measures_file.model, MeasuresFile):
        notes.add(view.footnotes, unit.measures_file.path.name, unit.measures_file.model.note, marked=False)
    view.map_columns = [_map_column(context, theme, city_side=False) for theme in themes]
    if context.measured:
        view.status = rolled_view(context.words, context.scores.departments.get(unit.id))
        view.summary = _summaries(context, unit, themes)
        view.status_groups = _status_groups(view.map_columns)
    view.scorecards = [_scorecard(context, theme) for theme in themes]
    _tows(context, unit, model, view)
    for axis in unit.policy_axes:
        english = getattr(axis.source, "english_name", None) or ""
        axis_view = PolicyAxisView(link(axis), english, [link(s) for s in axis.children])
        axis_view.notes = notes.add(view.axes_footnotes, axis.name, _note_of(axis.source))
        view.policy_axes.append(axis_view)
    for step in model.document.construction_steps if model.document else []:
        step_view = StepView(step.step, step.name, list(step.inputs), list(step.questions))
        step_view.notes = notes.add(view.axes_footnotes, f"STEP{step.step}", step.note)
        view.steps.append(step_view)
    return view


def _status_groups(columns: list[MapColumn]) -> list[StatusGroup]:
    cells = [cell for column in columns for p in PERSPECTIVES for cell in column.cells[p] if cell.status]
    groups = []
    for status in Status:
        links = [cell.link for cell in cells if cell.status is not None and cell.status.key == status.value]
        if links:
            groups.append(StatusGroup(status.value, links))
    return groups


def _tows(context: _Context, unit: Department, model: DepartmentFile, view: DepartmentView) -> None:
    """The TOWS matrix, its notes numbered as the table reads: S and W, then O with SO and WO, T with ST and WT."""
    if model.tows is None:
        return
    notes = context.notes
    view.notes["tows"] = notes.add(view.tows_footnotes, "TOWS", model.tows.note)
    quadrant_notes = {key.upper(): quadrant.note for key, quadrant in model.tows.quadrants}
    view.tows_quadrants = {key.upper(): TowsQuadrantView(q.title or "", []) for key, q in model.tows.quadrants}
    factors: dict[str, list[TowsFactorView]] = view.tows_factors
    for node in unit.tows:
        if node.kind is NodeKind.TOWS_FACTOR:
            factors[node.code.code[0]].append(TowsFactorView(link(node)))
        else:
            became = [context.crossing(target) for target in node.targets(ReferenceKind.BECAME)]
            view.tows_quadrants[node.code.code[:2]].cells.append(TowsCell(link(node), became))
    sources = {str(node.code): node.source for node in unit.tows}
    for group in ("S", "W"):
        for factor in factors[group]:
            factor.notes = notes.add(view.tows_footnotes, factor.code, _note_of(sources.get(factor.anchor)))
    for outer in ("O", "T"):
        for factor in factors[outer]:
            factor.notes = notes.add(view.tows_footnotes, factor.code, _note_of(sources.get(factor.anchor)))
        for inner in ("S", "W"):
            quadrant = view.tows_quadrants.get(inner + outer)
            if quadrant is None:
                continue
            quadrant.notes = notes.add(view.tows_footnotes, inner + outer, quadrant_notes.get(inner + outer))
            for cell in quadrant.cells:
                cell.notes = notes.add(view.tows_footnotes, cell.link.code, _note_of(sources.get(cell.link.anchor)))


def _counts(scores: list[KpiScore]) -> dict[Status, int]:
    return {status: sum(1 for score in scores if score.status is status) for status in Status}


def _summary(
    words: Words, label: str, target: Link | None, rolled: RolledScore | None, kpis: list[KpiScore]
) -> Summary:
    counts = _counts(kpis)
    if rolled is not None:
        status = status_view(words, rolled.status, rolled.achievement)
    else:
        status = status_view(words, Status.NO_DATA)
    return Summary(
        label, target, status, counts[Status.MET], counts[Status.NEAR], counts[Status.MISSED], counts[Status.NO_DATA]
    )


def _summaries(context: _Context, unit: Department, themes: list[Node]) -> list[Summary]:
    """The department's rolled score, each theme's and each perspective's, with their KPIs counted by status."""
    scores = context.scores

    def kpis_of(nodes: list[Node]) -> list[KpiScore]:
        return [scores.kpis[n] for n in nodes if n.kind is NodeKind.KPI and n in scores.kpis]

    every = [node for theme in themes for node in theme.descendants()]
    name = unit.file.model.name if isinstance(unit.file.model, DepartmentFile) else unit.id
    words = context.words
    rows = [_summary(words, name, None, scores.departments.get(unit.id), kpis_of(every))]
    for theme in themes:
        rows.append(_summary(words, theme.name, link(theme), scores.themes.get(theme), kpis_of(theme.descendants())))
    for perspective in PERSPECTIVES:
        nodes = [node for node in every if node.perspective is perspective]
        rolled = scores.perspectives.get((unit.id, perspective))
        if rolled is not None:
            label = words(N_("%(perspective)s perspective")) % {"perspective": words(PERSPECTIVE_WORDS[perspective])}
            rows.append(_summary(words, label, None, rolled, kpis_of(nodes)))
    return rows


def _scorecard(context: _Context, theme: Node) -> Scorecard:
    card = Scorecard(link(theme), _aligned_to(theme), {p: [] for p in PERSPECTIVES}, context.measured)
    card.notes = context.notes.add(card.footnotes, theme.code.code, _note_of(theme.source))
    if context.measured:
        kpis = [context.scores.kpis[n] for n in theme.descendants() if n in context.scores.kpis]
        card.summary = _summary(context.words, theme.name, link(theme), context.scores.themes.get(theme), kpis)
    for perspective in PERSPECTIVES:  # the order the page reads, so that notes are numbered in it
        for objective in theme.children:
            if objective.perspective is not perspective:
                continue
            card.perspectives[perspective].append(_objective_rows(context, objective, card.footnotes))
    return card


def _objective_rows(context: _Context, objective: Node, section: list[Footnote]) -> ObjectiveRows:
    model = objective.source
    assert isinstance(model, Objective)
    weight = objective_weight(objective)
    rolled = context.scores.objectives.get(objective)
    rows = ObjectiveRows(
        link(objective),
        [],
        [link(s) for s in tows_behind(objective)],
        weight=f"{format_number(weight)}%" if weight is not None else "",
        status=rolled_view(context.words, rolled) if context.measured else None,
    )
    rows.notes = context.notes.add(section, objective.code.code, model.note)
    rows.kpis = [_kpi_row(context, node, section) for node in objective.children]
    return rows


def _details(words: Words, kpi: Kpi) -> list[Detail]:
    """The facts of a KPI besides its values, in a fixed order; only those written."""
    details = [
        Detail(words(N_("Unit")), kpi.unit or ""),
        Detail(words(N_("Baseline")), format_number(kpi.baseline)),
        Detail(words(N_("Formula")), kpi.formula or ""),
    ]
    separator = words(N_(", "))
    if kpi.basis == "milestones":
        stages = separator.join(f"{m.stage} {format_number(m.percent)}%" for m in kpi.milestones)
        details.append(
            Detail(words(N_("Assessment")), words(N_("work items completed: {stages}")).format(stages=stages))
        )
    later = [words(N_("{year}: {value}")).format(year=year, value=shown_value(words, kpi, target))
             for year, target in sorted(kpi.targets.items())]  # fmt: skip
    details += [
        Detail(words(N_("Frequency")), _word(words, FREQUENCIES, kpi.frequency)),
        Detail(words(N_("Annual value")), _word(words, AGGREGATIONS, kpi.aggregation)),
        Detail(words(N_("Weight")), f"{format_number(kpi.weight)}%" if kpi.weight is not None else ""),
        Detail(words(N_("Owner")), kpi.owner or ""),
        Detail(words(N_("Data source")), kpi.data_source or ""),
        Detail(words(N_("Targets by year")), separator.join(later)),
    ]
    return [detail for detail in details if detail.value]


def _word(words: Words, table: dict[str, str], key: str | None) -> str:
    """The page's word for a value of the data (``quarterly`` -> 每季), or "" for none."""
    message = table.get(key or "")
    return words(message) if message else ""


def _actual(words: Words, kpi: Kpi, score: KpiScore) -> str:
    """The value to date as the scoring gives it (as written, or summed, or a mean with two more decimals)."""
    return shown_value(words, kpi, score.actual) if score.actual is not None else ""


def _as_of(score: KpiScore) -> str:
    """The last period the value to date covers, when it ends before the period scored (the year)."""
    if score.actual is None or not score.values:
        return ""
    last = score.values[-1].period
    if any(m.period == score.period for m in score.values) or last.last_month >= score.period.last_month:
        return ""
    return str(last)


def _kpi_row(context: _Context, node: Node, section: list[Footnote]) -> KpiRow:
    kpi = node.source
    assert isinstance(kpi, Kpi)
    score = context.scores.kpis[node]
    points = trend(context.graph, node, context.earlier) if context.measured else []
    words = context.words
    row = KpiRow(
        link=link(node),
        city_kpis=[link(target) for target in node.targets(ReferenceKind.FEEDS)],
        tags=list(kpi.tags),
        details=_details(words, kpi),
        unit=kpi.unit or "",
        baseline=format_number(kpi.baseline),
        direction=_word(words, DIRECTIONS, kpi.direction),
        target=shown_value(words, kpi, kpi.target) if kpi.target is not None else "",
        actual=_actual(words, kpi, score),
        as_of=_as_of(score),
        status=status_view(words, score.status, score.achievement),
        trend=trend_text(words, kpi, points) if len(points) >= 2 else "",
        sparkline=sparkline(words, kpi, points, context.graph.year),
        action_plans=[],
    )
    row.notes = context.notes.add(section, node.code.code, kpi.note)
    row.value_notes = [
        note for measure in context.graph.measures_of(node) for note in _value_note(context, section, node, measure)
    ]
    for plan_node in node.children:
        plan = plan_node.source
        assert isinstance(plan, ActionPlan)
        plan_row = ActionPlanRow(link(plan_node), plan.owner or "", format_number(plan.budget))
        plan_row.notes = context.notes.add(section, plan_node.code.code, plan.note)
        row.action_plans.append(plan_row)
    return row


def _value_note(context: _Context, section: list[Footnote], node: Node, measure: Measure) -> list[Footnote]:
    subject = context.words(N_("{code} {period} actual")).format(code=node.code.code, period=measure.period)
    return context.notes.add(section, subject, measure.note, marked=context.measured)


def _alignment(context: _Context, view: PlanView) -> list[AlignmentRow]:
    """City KPIs, in city-map order, with the department KPIs that feed them (and their statuses)."""
    rows = []
    scores = context.scores
    for node in context.graph.of_kind(NodeKind.CITY_KPI):
        feeding = node.sources(ReferenceKind.FEEDS)
        if not feeding or node.parent is None:
            if view.city is not None:
                context.notes.add(view.city.footnotes, node.code.code, _note_of(node.source), marked=False)
            continue
        kpis = [
            AlignedKpi(
                context.crossing(kpi),
                status_view(context.words, scores.kpis[kpi].status, scores.kpis[kpi].achievement)
                if context.measured and kpi in scores.kpis
                else None,
            )
            for kpi in feeding
        ]
        row = AlignmentRow(link(node), link(node.parent), kpis)
        row.status = rolled_view(context.words, scores.city_kpis.get(node)) if context.measured else None
        rows.append(row)
    return rows


def _city_links(context: _Context, view: PlanView, alignment: list[AlignmentRow]) -> list[CityObjectiveLinks]:
    """The city objectives the departments answer to, in city-map order: the department themes aligning to
    each, and its KPIs with the department KPIs feeding them (the alignment rows), their notes numbered in
    the order the matrix shows them."""
    rows: dict[str, list[AlignmentRow]] = {}
    for row in alignment:
        rows.setdefault(row.city_objective.anchor, []).append(row)
    found = []
    in_themes = [
        objective
        for theme in context.graph.city_themes
        for perspective in PERSPECTIVES
        for objective in theme.children
        if objective.perspective is perspective
    ]
    for objective in [*context.graph.cross_cutting, *in_themes]:
        themes = [context.crossing(theme) for theme in objective.sources(ReferenceKind.ALIGNS_TO)]
        kpis = rows.get(str(objective.code), [])
        if themes or kpis:
            found.append(CityObjectiveLinks(link(objective), themes, kpis))
    for row in (row for entry in found for row in entry.kpis):
        row.notes = context.notes.add(view.alignment_footnotes, row.city_kpi.code, context.note_of(row.city_kpi.anchor))
    return found
