"""A measured scorecard (``stratmap status``) as a terminal table, aligned text, Markdown or JSON.

Text and Markdown draw the same ``StatusTables`` (``status_tables``); each writer only lays them out.

JSON (version 1): ``{"version", "plan", "year", "period", "scoring": {"near", "rollup"}, "kpis": [KPI],
"objectives": [ROLLED], "themes": [ROLLED], "perspectives": [ROLLED], "departments": [ROLLED],
"city_kpis": [CITY], "city_objectives": [CITY]}``; KPI = ``{"code", "name", "objective", "unit",
"direction", "weight", "period", "target", "target_to_date", "actual", "achievement", "status",
"values": [{"period",
"value", "note"}], "trend": [{"period", "value"}]}``; ROLLED = ``{"code", "name", "achievement",
"status", "measured", "parts"}`` (perspectives: ``department`` and ``perspective`` for code and name);
CITY = ROLLED with ``"fed_by": [{"code", "status"}]``. Codes are qualified (``doed:BP2.1``); numbers
are JSON numbers, stage names strings; achievement is a ratio (1 = 100%) rounded to 4 places.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from stratmap.i18n import N_, _
from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.model import DepartmentFile
from stratmap.reporting.escaping import escape_inline, printable
from stratmap.reporting.nodes import name_not_listed
from stratmap.reporting.numbers import format_number, format_percent, json_number, ratio_json
from stratmap.reporting.trace_report import STATUS_STYLES
from stratmap.scoring.history import EarlierMeasures, trend
from stratmap.scoring.kpi import KpiScore, Status
from stratmap.scoring.rollup import RolledScore
from stratmap.scoring.scorecard import Scorecard

JSON_VERSION = 1
_WORDS = {
    Status.MET: N_("達成 met"),
    Status.NEAR: N_("接近 near"),
    Status.MISSED: N_("未達成 missed"),
    Status.NO_DATA: N_("無資料 no data"),
}
"""A status in words: both languages in English (the scorecard's words are Chinese), the Chinese alone in Chinese."""


@dataclass(frozen=True)
class StatusReport:
    """What ``stratmap status`` shows: the plan, its scorecard, earlier years' values, and the filter."""

    graph: PlanGraph
    card: Scorecard
    earlier: EarlierMeasures
    off_track: bool = False

    def shown(self, status: Status) -> bool:
        """Whether a row of this status is shown (``--off-track``: near and missed only)."""
        return not self.off_track or status in (Status.NEAR, Status.MISSED)


def percent(achievement: Decimal | None) -> str:
    """達成率 as people read it: ``96.4%``; empty when there is no ratio."""
    return format_percent(achievement)


def value_text(value: Decimal | str | None) -> str:
    """A target or actual: a number with every digit, or a milestone stage."""
    if value is None:
        return ""
    return format_number(value) if isinstance(value, Decimal) else value


def target_text(score: KpiScore) -> str:
    """The target judged against: ``600``, or ``300 (year 600)`` (``300（全年 600）``) when the year's is pro-rated
    to date."""
    if score.target_to_date == score.target:
        return value_text(score.target)
    to_date, year = value_text(score.target_to_date), value_text(score.target)
    return _("{to_date} (year {year})").format(to_date=to_date, year=year)


def status_words(status: Status) -> str:
    """``達成 met`` (``達成`` in Chinese): the status in words, never colour alone."""
    return _(_WORDS[status])


def empty_message(graph: PlanGraph) -> str:
    """What to say of a plan with no targets and no actuals (the FY110 data as published)."""
    return _(
        "{plan}: no KPI has a target or an actual yet, so there is nothing to score.\n"
        "  Add 'target:' and 'direction:' to KPIs in the theme files and record actuals in\n"
        "  departments/<id>/measures.yaml (stratmap record); examples/demo shows a measured plan.\n"
    ).format(plan=graph.root.as_posix())


# ---- rows shared by every format ------------------------------------------------------------------------


def _department_name(graph: PlanGraph, department_id: str) -> str:
    model = graph.departments[department_id].file.model
    return model.name if isinstance(model, DepartmentFile) else department_id


def _kpi_nodes(view: StatusReport, department_id: str) -> list[Node]:
    department = view.graph.departments[department_id]
    return [
        kpi
        for theme in department.themes
        for objective in theme.children
        for kpi in objective.children
        if kpi.kind is NodeKind.KPI
    ]


def _objectives(view: StatusReport, department_id: str) -> list[Node]:
    return [o for theme in view.graph.departments[department_id].themes for o in theme.children]


def _city_nodes(view: StatusReport, kind: NodeKind) -> list[Node]:
    scores = view.card.city_kpis if kind is NodeKind.CITY_KPI else view.card.city_objectives
    return [node for node in view.graph.of_kind(kind) if scores[node].parts]


def _city_rows(view: StatusReport) -> list[tuple[Node, RolledScore]]:
    """Each city objective fed by a department KPI, followed by its city KPIs that are, as shown."""
    card, rows = view.card, []
    for objective in _city_nodes(view, NodeKind.CITY_OBJECTIVE):
        rows.append((objective, card.city_objectives[objective]))
        rows.extend((kpi, card.city_kpis[kpi]) for kpi in objective.children if card.city_kpis[kpi].parts)
    return [(node, score) for node, score in rows if view.shown(score.status)]


def period_words(card: Scorecard) -> str:
    """``plan year 110`` or ``the year to date at the end of 110Q2``."""
    if card.period.kind == "year" and card.period.last_month == 12:
        return _("plan year {year}").format(year=card.period.year)
    return _("the year to date at the end of {period}").format(period=card.period)


def _fed_by(node: Node) -> list[Node]:
    if node.kind is NodeKind.CITY_KPI:
        return node.sources(ReferenceKind.FEEDS)
    return [source for kpi in node.children for source in kpi.sources(ReferenceKind.FEEDS)]


# ---- JSON ------------------------------------------------------------------------------------------------


_number = json_number
_ratio = ratio_json


def _kpi_json(view: StatusReport, node: Node, score: KpiScore) -> dict[str, Any]:
    kpi = score.kpi
    return {
        "code": str(node.code),
        "name": node.name,
        "objective": str(node.parent.code) if node.parent else None,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "weight": _number(kpi.weight),
        "period": str(score.period),
        "target": _number(score.target),
        "target_to_date": _number(score.target_to_date),
        "actual": _number(score.actual),
        "achievement": _ratio(score.achievement),
        "status": score.status.value,
        "values": [{"period": str(m.period), "value": _number(m.value), "note": m.note} for m in score.values],
        "trend": [{"period": str(p.period), "value": _number(p.value)} for p in trend(view.graph, node, view.earlier)],
    }


def _rolled_json(code: str, name: str, score: RolledScore) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "achievement": _ratio(score.achievement),
        "status": score.status.value,
        "measured": score.measured,
        "parts": score.parts,
    }


def status_json(view: StatusReport) -> dict[str, Any]:
    """The scorecard as the documented JSON (version 1)."""
    card, graph = view.card, view.graph
    departments = list(graph.departments)
    city = []
    for kind in (NodeKind.CITY_KPI, NodeKind.CITY_OBJECTIVE):
        scores = card.city_kpis if kind is NodeKind.CITY_KPI else card.city_objectives
        city.append(
            [
                {
                    **_rolled_json(str(n.code), n.name, scores[n]),
                    "fed_by": [
                        {"code": str(s.code), "status": card.kpis[s].status.value} for s in _fed_by(n) if s in card.kpis
                    ],
                }
                for n in _city_nodes(view, kind)
                if view.shown(scores[n].status)
            ]
        )
    return {
        "version": JSON_VERSION,
        "plan": graph.root.as_posix(),
        "year": graph.year,
        "period": str(card.period),
        "scoring": {"near": float(card.scoring.near), "rollup": card.scoring.rollup},
        "kpis": [
            _kpi_json(view, n, card.kpis[n])
            for d in departments
            for n in _kpi_nodes(view, d)
            if view.shown(card.kpis[n].status)
        ],
        "objectives": [
            _rolled_json(str(o.code), o.name, card.objectives[o])
            for d in departments
            for o in _objectives(view, d)
            if view.shown(card.objectives[o].status)
        ],
        "themes": [
            _rolled_json(str(t.code), t.name, card.themes[t])
            for d in departments
            for t in graph.departments[d].themes
            if view.shown(card.themes[t].status)
        ],
        "perspectives": [
            {"department": d, "perspective": p.value, **_rolled_json(f"{d}:{p.value}", p.label, s)}
            for (d, p), s in card.perspectives.items()
            if view.shown(s.status)
        ],
        "departments": [_rolled_json(d, _department_name(graph, d), card.departments[d]) for d in departments],
        "city_kpis": city[0],
        "city_objectives": city[1],
    }


# ---- the tables text and Markdown show ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A line of a department's table: an objective (its rolled score) or a KPI (its target and actual)."""

    code: str
    name: str
    target: str
    actual: str
    achievement: str
    status: Status
    objective: bool


@dataclass(frozen=True)
class DepartmentTable:
    """A department's objectives and KPIs, and its overall score."""

    name: str
    id: str
    status: Status
    achievement: str
    rows: list[Row]


@dataclass(frozen=True)
class CityRow:
    """A city objective or KPI fed by department KPIs: its rolled status and the statuses feeding it."""

    code: str
    name: str
    kpi: bool
    status: Status
    achievement: str
    fed_by: list[tuple[str, Status]]


@dataclass(frozen=True)
class StatusTables:
    """What the text and Markdown scorecards show, in the order shown."""

    plan: str
    year: int | None
    period: str
    """``plan year 110``, ``the year to date at the end of 110Q2``."""
    departments: list[DepartmentTable]
    city: list[CityRow]


def status_tables(view: StatusReport) -> StatusTables:
    """The scorecard's rows (``--off-track`` applied), for every text and Markdown writer."""
    card, graph = view.card, view.graph
    departments = []
    for department_id in graph.departments:
        rolled = card.departments[department_id]
        name = _department_name(graph, department_id)
        rows = _department_rows(view, department_id)
        departments.append(DepartmentTable(name, department_id, rolled.status, percent(rolled.achievement), rows))
    city = [
        CityRow(
            str(node.code),
            node.name,
            node.kind is NodeKind.CITY_KPI,
            score.status,
            percent(score.achievement),
            [(str(s.code), card.kpis[s].status) for s in _fed_by(node) if s in card.kpis],
        )
        for node, score in _city_rows(view)
    ]
    return StatusTables(graph.root.as_posix(), graph.year, period_words(card), departments, city)


def _department_rows(view: StatusReport, department_id: str) -> list[Row]:
    card, rows = view.card, []
    for objective in _objectives(view, department_id):
        score = card.objectives[objective]
        if view.shown(score.status):
            rows.append(
                Row(
                    objective.code.code,
                    objective.name,
                    "",
                    "",
                    percent(score.achievement),
                    score.status,
                    objective=True,
                )
            )
        for kpi in objective.children:
            k = card.kpis[kpi]
            if view.shown(k.status):
                rows.append(
                    Row(
                        kpi.code.code,
                        kpi.name,
                        target_text(k),
                        value_text(k.actual),
                        percent(k.achievement),
                        k.status,
                        objective=False,
                    )
                )
    return rows


def _fed_words(row: CityRow, code: Callable[[str], str] = str) -> str:
    """``doed:BP2.1 達成, doed:BP1.1 接近``: the department KPIs feeding a city item and their statuses."""
    return _(", ").join(f"{code(kpi)} {status.label}" for kpi, status in row.fed_by)


# ---- Markdown --------------------------------------------------------------------------------------------


def status_markdown(view: StatusReport) -> str:
    """The scorecard as GitHub-flavoured Markdown: a table per department, then the city map's items."""
    tables, md = status_tables(view), escape_inline
    title = _("績效狀態 {year}年 ({period})").format(year=tables.year, period=tables.period)
    lines = [f"# {title}", ""]
    for table in tables.departments:
        lines += [
            f"## {md(table.name)} ({md(table.id)})",
            "",
            _("整體 overall: {status} {achievement}").format(
                status=status_words(table.status), achievement=table.achievement
            ),
            "",
            _markdown_row(
                (_("代碼 code"), _("名稱 name"), _("目標值 target"), _("實際值 actual"), "達成率", _("狀態 status"))
            ),
            "|---|---|---:|---:|---:|---|",
        ]
        for row in table.rows:
            if row.objective:
                lines.append(
                    f"| **{md(row.code)}** | **{md(row.name)}** | | | {row.achievement} | {status_words(row.status)} |"
                )
            else:
                lines.append(
                    _markdown_row(
                        (
                            md(row.code),
                            md(row.name),
                            md(row.target),
                            md(row.actual),
                            row.achievement,
                            status_words(row.status),
                        )
                    )
                )
        lines.append("")
    lines += [
        "## " + _("府級 city map"),
        "",
        _markdown_row((_("代碼 code"), _("名稱 name"), _("狀態 status"), _("局級KPI fed by"))),
        "|---|---|---|---|",
    ]
    for city in tables.city:
        status = f"{status_words(city.status)} {city.achievement}"
        lines.append(_markdown_row((md(city.code), md(city.name), status, _fed_words(city, md))))
    return "\n".join(lines) + "\n"


def _markdown_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


# ---- text ------------------------------------------------------------------------------------------------


def _headers() -> tuple[str, ...]:
    return (_("code"), _("name"), _("target 目標值"), _("actual 實際值"), "達成率", _("status 狀態"))


def _city_headers() -> tuple[str, ...]:
    return (_("code"), _("name"), _("status 狀態"), _("fed by 局級KPI"))


def _scorecard_of(tables: StatusTables) -> str:
    return _("{plan}: scorecard of {period}").format(plan=printable(tables.plan), period=tables.period)


def _overall(table: DepartmentTable) -> str:
    return _("overall {status} {achievement}").format(status=status_words(table.status), achievement=table.achievement)


def _city_title() -> str:
    return _("city map 府級: status of the department KPIs that feed it")


def write_plain(tables: StatusTables, out: TextIO) -> None:
    """The same rows as the terminal table, as aligned plain text: for pipes, files and CI logs, where a rich
    table of a city's thousands of KPIs costs seconds to lay out."""
    from rich.cells import cell_len

    out.write(_scorecard_of(tables) + "\n")
    for table in tables.departments:
        rows: list[tuple[str, ...]] = [_headers()]
        for row in table.rows:
            code = row.code if row.objective else "  " + row.code
            rows.append((code, row.name, row.target, row.actual, row.achievement, status_words(row.status)))
        overall = _("{department} ({id}): overall {status} {achievement}").format(
            department=printable(table.name),
            id=table.id,
            status=status_words(table.status),
            achievement=table.achievement,
        )
        out.write(f"\n{overall}\n")
        _write_columns(out, rows, right=(2, 3, 4), width=cell_len)
    city_rows: list[tuple[str, ...]] = [_city_headers()]
    for city in tables.city:
        status = f"{status_words(city.status)} {city.achievement}".strip()
        city_rows.append(
            (("  " if city.kpi else "") + city.code, city.name or name_not_listed(), status, _fed_words(city))
        )
    out.write(f"\n{_city_title()}\n")
    _write_columns(out, city_rows, right=(), width=cell_len)


def _write_columns(out: TextIO, rows: Sequence[tuple[str, ...]], right: tuple[int, ...], width: Any) -> None:
    """Rows as columns two spaces apart, wide characters counted as two (as terminals show them)."""
    cells = [[printable(cell) for cell in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(cells[0]))]
    for row in cells:
        padded = [
            " " * (widths[i] - width(cell)) + cell if i in right else cell + " " * (widths[i] - width(cell))
            for i, cell in enumerate(row)
        ]
        out.write("  ".join(padded).rstrip() + "\n")


def write_table(tables: StatusTables, out: TextIO, colour: bool) -> None:
    """The scorecard as rich tables, for a terminal: one per department, then the city map's items."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(
        file=out,
        no_color=not colour,
        highlight=False,
        width=max(100, Console(file=out).width),
        force_terminal=colour,
        emoji=False,
        markup=False,
    )

    def status_cell(status: Status, words: str) -> Text:
        return Text(words, style=STATUS_STYLES[status] if colour else "")

    console.print(_scorecard_of(tables))
    for table in tables.departments:
        shown = Table(title=printable(f"{table.name} ({table.id})"), caption=_overall(table))
        for header, justify in zip(_headers(), ("left", "left", "right", "right", "right", "left"), strict=True):
            shown.add_column(header, justify=justify)  # type: ignore[arg-type]
        for row in table.rows:
            style = "bold" if row.objective else ""
            code = row.code if row.objective else "  " + row.code
            shown.add_row(
                Text(code, style=style),
                Text(printable(row.name), style=style),
                printable(row.target),
                printable(row.actual),
                row.achievement,
                status_cell(row.status, status_words(row.status)),
            )
        console.print(shown)
    city = Table(title=_city_title())
    for header in _city_headers():
        city.add_column(header)
    for item in tables.city:
        city.add_row(
            ("  " if item.kpi else "") + item.code,
            printable(item.name or name_not_listed()),
            status_cell(item.status, f"{status_words(item.status)} {item.achievement}"),
            printable(_fed_words(item)),
        )
    console.print(city)
