"""Print a measured scorecard (``stratmap status``) as a terminal table, JSON or Markdown.

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

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from stratmap.linking.graph import Node, NodeKind, PlanGraph, ReferenceKind
from stratmap.model import DepartmentFile
from stratmap.reporting.escaping import escape_inline, printable
from stratmap.reporting.numbers import format_number, format_percent, json_number, ratio_json
from stratmap.reporting.trace_report import STATUS_STYLES
from stratmap.scoring.history import EarlierMeasures, trend
from stratmap.scoring.kpi import KpiScore, Status
from stratmap.scoring.rollup import RolledScore
from stratmap.scoring.scorecard import Scorecard

JSON_VERSION = 1
_ENGLISH = {Status.MET: "met", Status.NEAR: "near", Status.MISSED: "missed", Status.NO_DATA: "no data"}


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
    """The target judged against: ``600``, or ``300 (年 600)`` when the year's is pro-rated to date."""
    if score.target_to_date == score.target:
        return value_text(score.target)
    return f"{value_text(score.target_to_date)} (年 {value_text(score.target)})"


def status_words(status: Status) -> str:
    """``達成 met``: the status in both words, never colour alone."""
    return f"{status.label} {_ENGLISH[status]}"


def write_status(view: StatusReport, output_format: str, out: TextIO, colour: bool) -> None:
    """Write the scorecard in ``text``, ``json`` or ``markdown``."""
    if output_format == "json":
        json.dump(status_json(view), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif output_format == "markdown":
        out.write(status_markdown(view))
    else:
        terminal = bool(getattr(out, "isatty", lambda: False)())
        (_write_table if terminal or colour else _write_plain)(view, out, colour)


def empty_message(graph: PlanGraph) -> str:
    """What to say of a plan with no targets and no actuals (the FY110 data as published)."""
    return (
        f"{graph.root.as_posix()}: no KPI has a target or an actual yet, so there is nothing to score.\n"
        "  Add 'target:' and 'direction:' to KPIs in the theme files and record actuals in\n"
        "  departments/<id>/measures.yaml (stratmap record); examples/demo shows a measured plan.\n"
    )


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
        return f"plan year {card.period.year}"
    return f"the year to date at the end of {card.period}"


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


# ---- Markdown --------------------------------------------------------------------------------------------


def _md(text: str) -> str:
    return escape_inline(text)


def status_markdown(view: StatusReport) -> str:
    """The scorecard as GitHub-flavoured Markdown: a table per department, then the city map's items."""
    card, graph = view.card, view.graph
    lines = [f"# 績效狀態 {graph.year}年 ({period_words(card)})", ""]
    for department_id in graph.departments:
        rolled = card.departments[department_id]
        lines += [
            f"## {_md(_department_name(graph, department_id))} ({_md(department_id)})",
            "",
            f"整體 overall: {status_words(rolled.status)} {percent(rolled.achievement)}",
            "",
            "| 代碼 code | 名稱 name | 目標值 target | 實際值 actual | 達成率 | 狀態 status |",
            "|---|---|---:|---:|---:|---|",
        ]
        for objective in _objectives(view, department_id):
            score = card.objectives[objective]
            if view.shown(score.status):
                lines.append(
                    f"| **{_md(objective.code.code)}** | **{_md(objective.name)}** | | | "
                    f"{percent(score.achievement)} | {status_words(score.status)} |"
                )
            for kpi in objective.children:
                k = card.kpis[kpi]
                if view.shown(k.status):
                    lines.append(
                        f"| {_md(kpi.code.code)} | {_md(kpi.name)} | {_md(target_text(k))} | "
                        f"{_md(value_text(k.actual))} | {percent(k.achievement)} | {status_words(k.status)} |"
                    )
        lines.append("")
    lines += ["## 府級 city map", "", "| 代碼 code | 名稱 name | 狀態 status | 局級KPI fed by |", "|---|---|---|---|"]
    for node, score in _city_rows(view):
        fed = ", ".join(f"{_md(str(s.code))} {card.kpis[s].status.label}" for s in _fed_by(node) if s in card.kpis)
        lines.append(
            f"| {_md(str(node.code))} | {_md(node.name)} | {status_words(score.status)} "
            f"{percent(score.achievement)} | {fed} |"
        )
    return "\n".join(lines) + "\n"


# ---- terminal ----------------------------------------------------------------------------------------------


def _write_plain(view: StatusReport, out: TextIO, colour: bool) -> None:
    """The same rows as the terminal table, as aligned plain text: for pipes, files and CI logs, where a rich
    table of a city's thousands of KPIs costs seconds to lay out."""
    from rich.cells import cell_len

    card, graph = view.card, view.graph
    out.write(f"{printable(graph.root.as_posix())}: scorecard of {period_words(card)}\n")
    header = ("code", "name", "target 目標值", "actual 實際值", "達成率", "status 狀態")
    for department_id in graph.departments:
        rows: list[tuple[str, ...]] = [header]
        for objective in _objectives(view, department_id):
            score = card.objectives[objective]
            if view.shown(score.status):
                rows.append((objective.code.code, objective.name, "", "", percent(score.achievement),
                             status_words(score.status)))  # fmt: skip
            for kpi in objective.children:
                k = card.kpis[kpi]
                if view.shown(k.status):
                    rows.append(("  " + kpi.code.code, kpi.name, target_text(k), value_text(k.actual),
                                 percent(k.achievement), status_words(k.status)))  # fmt: skip
        rolled = card.departments[department_id]
        out.write(f"\n{printable(_department_name(graph, department_id))} ({department_id}): overall "
                  f"{status_words(rolled.status)} {percent(rolled.achievement)}\n")  # fmt: skip
        _write_columns(out, rows, right=(2, 3, 4), width=cell_len)
    rows = [("code", "name", "status 狀態", "fed by 局級KPI")]
    for node, score in _city_rows(view):
        fed = ", ".join(f"{s.code} {card.kpis[s].status.label}" for s in _fed_by(node) if s in card.kpis)
        indent = "  " if node.kind is NodeKind.CITY_KPI else ""
        rows.append((indent + str(node.code), node.name or "(name not listed)",
                     f"{status_words(score.status)} {percent(score.achievement)}".strip(), fed))  # fmt: skip
    out.write("\ncity map 府級: status of the department KPIs that feed it\n")
    _write_columns(out, rows, right=(), width=cell_len)


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


def _write_table(view: StatusReport, out: TextIO, colour: bool) -> None:
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
    card, graph = view.card, view.graph

    def status_cell(status: Status) -> Text:
        return Text(status_words(status), style=STATUS_STYLES[status] if colour else "")

    console.print(f"{printable(graph.root.as_posix())}: scorecard of {period_words(card)}")
    for department_id in graph.departments:
        rolled = card.departments[department_id]
        table = Table(
            title=printable(f"{_department_name(graph, department_id)} ({department_id})"),
            caption=f"overall {status_words(rolled.status)} {percent(rolled.achievement)}",
        )
        for header, justify in (
            ("code", "left"),
            ("name", "left"),
            ("target 目標值", "right"),
            ("actual 實際值", "right"),
            ("達成率", "right"),
            ("status 狀態", "left"),
        ):
            table.add_column(header, justify=justify)  # type: ignore[arg-type]
        for objective in _objectives(view, department_id):
            score = card.objectives[objective]
            if view.shown(score.status):
                table.add_row(
                    Text(objective.code.code, style="bold"),
                    Text(printable(objective.name), style="bold"),
                    "",
                    "",
                    percent(score.achievement),
                    status_cell(score.status),
                )
            for kpi in objective.children:
                k = card.kpis[kpi]
                if view.shown(k.status):
                    table.add_row(
                        "  " + kpi.code.code,
                        printable(kpi.name),
                        printable(target_text(k)),
                        printable(value_text(k.actual)),
                        percent(k.achievement),
                        status_cell(k.status),
                    )
        console.print(table)
    city = Table(title="city map 府級: status of the department KPIs that feed it")
    for header in ("code", "name", "status 狀態", "fed by 局級KPI"):
        city.add_column(header)
    for node, score in _city_rows(view):
        fed = ", ".join(f"{s.code} {card.kpis[s].status.label}" for s in _fed_by(node) if s in card.kpis)
        indent = "  " if node.kind is NodeKind.CITY_KPI else ""
        city.add_row(
            indent + str(node.code),
            printable(node.name or "(name not listed)"),
            Text(
                f"{status_words(score.status)} {percent(score.achievement)}",
                style=STATUS_STYLES[score.status] if colour else "",
            ),
            printable(fed),
        )
    console.print(city)
