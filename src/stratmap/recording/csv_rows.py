"""Read a CSV of actual values and check every row against the plan, keeping the CSV's line numbers.

The CSV has a header naming its columns, ``kpi,period,actual[,note]`` or ``指標代碼,期別,實際值,備註``
(in any order; English names in any case), then one value per row. It is UTF-8, with or without a BOM.
Every row is checked, and every error reported, before anything is written.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from stratmap.i18n import N_, _
from stratmap.linking.graph import CITY, Node, NodeKind, PlanGraph, QualifiedCode
from stratmap.model.codes import normalise_width
from stratmap.model.periods import FREQUENCY_PERIODS, Period, PeriodKind
from stratmap.model.theme import Kpi

COLUMNS: dict[str, tuple[str, str]] = {
    "kpi": ("kpi", "指標代碼"),
    "period": ("period", "期別"),
    "actual": ("actual", "實際值"),
    "note": ("note", "備註"),
}
"""Each column, by its English and its Chinese header."""
REQUIRED = ("kpi", "period", "actual")
HEADER = N_("kpi,period,actual[,note] (or 指標代碼,期別,實際值,備註)")
"""The header, as messages name it (both spellings; translated where it is shown)."""

NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
"""A number as a spreadsheet exports it: digits, optionally a point and decimals; commas only between
groups of three digits (``12,345``, ``1,234,567.5``). No percent sign, no e-notation."""
_LOOSE_COMMAS = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?")
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters and bidirectional overrides: validate refuses them in any value (Y012)."""
_GREGORIAN = re.compile(r"(19[1-9][0-9]|2[0-9]{3})(.*)")
_SPAN: dict[PeriodKind, str] = {"half": "H1-{y}H2", "quarter": "Q1-{y}Q4", "month": "M01-{y}M12"}


@dataclass(frozen=True)
class RowError:
    """What is wrong with a line of the CSV (or with the whole file, at line 1)."""

    path: Path
    line: int
    message: str
    column: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        column = f":{self.column}" if self.column is not None else ""
        return f"{self.path.as_posix()}:{self.line}{column}: {self.message}"


@dataclass(frozen=True)
class Row:
    """One data row as written, its cells stripped; ``line`` is where it starts in the CSV."""

    line: int
    kpi: str
    period: str
    actual: str
    note: str


@dataclass(frozen=True)
class Value:
    """A checked row: the value to record for a department KPI and period."""

    line: int
    department: str
    kpi: str
    """The KPI's code in its department (``BP2.1``)."""
    period: Period
    value: Decimal | str
    """A number, or for a KPI measured by milestones the stage reached."""
    note: str | None

    @property
    def label(self) -> str:
        """``doed:BP2.1 110Q1``."""
        return f"{self.department}:{self.kpi} {self.period}"


def read_rows(raw: bytes, display: Path) -> tuple[list[Row], list[RowError]]:
    """The CSV's data rows, or what is wrong with its encoding, its header and its shape."""
    from stratmap.loading.reading import decode_text

    text = decode_text(raw, display)
    if not isinstance(text, str):  # not UTF-8: the very finding validate gives (Y003), Big5 named
        return [], [RowError(display, text.location.line, text.message, text.location.column, text.hint)]
    records, errors = _records(text, display)
    if errors:
        return [], errors
    if not records:
        message = _("the file is empty; its first line must be the header {header}").format(header=_(HEADER))
        return [], [RowError(display, 1, message)]
    header_line, header = records[0]
    columns, errors = _columns(header, display, header_line)
    if errors:
        return [], errors
    rows: list[Row] = []
    for line, cells in records[1:]:
        extra = [c for c in range(len(cells)) if cells[c] and (c >= len(header) or c not in columns.values())]
        if extra:
            message = _("a value in column {column}, which the header does not name").format(column=extra[0] + 1)
            errors.append(RowError(display, line, message))
            continue
        cell = {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}
        rows.append(Row(line, cell["kpi"], cell["period"], cell["actual"], cell.get("note", "")))
    return rows, errors


def _records(text: str, display: Path) -> tuple[list[tuple[int, list[str]]], list[RowError]]:
    """Every non-blank record with the line it starts on; blank lines and rows of empty cells are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return records, []
        except csv.Error as error:
            message = _("not valid CSV: {error}").format(error=error)
            return [], [RowError(display, line, message, hint=_("check the quotes on this line"))]
        stripped = [cell.strip() for cell in cells]
        if any(stripped):
            records.append((line, stripped))
        line = reader.line_num + 1


def _columns(header: list[str], display: Path, line: int) -> tuple[dict[str, int], list[RowError]]:
    """Column name -> index in the row; every unknown, repeated or missing column is an error."""
    by_header = {header.casefold(): name for name, headers in COLUMNS.items() for header in headers}
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    named = [(index, unicodedata.normalize("NFKC", cell).casefold()) for index, cell in enumerate(header) if cell]
    if not any(cell in by_header for _, cell in named):
        found = ",".join(header)
        message = _("the first line must be the header {header}; found: {found}").format(header=_(HEADER), found=found)
        return {}, [RowError(display, line, message)]
    for index, cell in named:
        name = by_header.get(cell)
        if name is None:
            message = _("unknown column '{column}'; the columns are {header}").format(
                column=header[index], header=_(HEADER)
            )
            errors.append(RowError(display, line, message))
        elif name in columns:
            errors.append(RowError(display, line, _("column '{column}' is given twice").format(column=header[index])))
        else:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            english, chinese = COLUMNS[name]
            message = _("no '{english}' column ({chinese}); the columns are {header}")
            errors.append(RowError(display, line, message.format(english=english, chinese=chinese, header=_(HEADER))))
    return columns, errors


def check_rows(rows: list[Row], graph: PlanGraph, year: int, display: Path) -> tuple[list[Value], list[RowError]]:
    """Each row as a value to record, or every error of every row: KPI, period, value, note, duplicates."""
    kpis: dict[str, list[Node]] = {}
    for kpi_node in graph.of_kind(NodeKind.KPI):
        kpis.setdefault(kpi_node.code.code, []).append(kpi_node)
    values: list[Value] = []
    errors: list[RowError] = []
    first_line: dict[tuple[str, str, Period], int] = {}
    for row in rows:
        found = [
            _("no {what}; give one, or remove the row").format(what=what) for what, cell in _required(row) if not cell
        ]
        node = _kpi(row.kpi, graph, kpis, found) if row.kpi else None
        kpi = node.source if node is not None and isinstance(node.source, Kpi) else None
        label = str(node.code) if node is not None else row.kpi
        period = _period(row.period, kpi, label, year, found) if row.period else None
        value = _value(row.actual, kpi, label, found) if row.actual else None
        note = _text(row.note, _("note"), found) if row.note else None
        if node is not None and period is not None:
            key = (node.code.namespace, node.code.code, period)
            if key in first_line:
                message = _("{kpi} {period} is given twice (first on line {line})")
                found.append(message.format(kpi=label, period=period, line=first_line[key]))
            first_line.setdefault(key, row.line)
        if found:
            errors.extend(RowError(display, row.line, message) for message in found)
        elif node is not None and period is not None and value is not None:
            values.append(Value(row.line, node.code.namespace, node.code.code, period, value, note))
    return values, errors


def _required(row: Row) -> list[tuple[str, str]]:
    return [
        (_("KPI code (指標代碼)"), row.kpi),
        (_("period (期別)"), row.period),
        (_("actual value (實際值)"), row.actual),
    ]


def _kpi(text: str, graph: PlanGraph, kpis: dict[str, list[Node]], found: list[str]) -> Node | None:
    """The department KPI ``text`` names (``BP2.1`` when only one department has it, or ``doed:BP2.1``)."""
    from stratmap.tracing.query import MalformedCode, parse_query

    try:
        query = parse_query(text)
    except MalformedCode:
        found.append(
            _("'{text}' is not a KPI code: write one such as BP2.1, or qualified, doed:BP2.1").format(text=text)
        )
        return None
    if query.namespace == CITY:
        found.append(
            _("{code} is in the city map; record the values of the department KPIs that feed it").format(code=query)
        )
        return None
    if query.namespace is not None and query.namespace not in graph.departments:
        message = _("no department '{department}' in plan {year}; departments: {departments}")
        found.append(
            message.format(department=query.namespace, year=graph.year, departments=_(", ").join(graph.departments))
        )
        return None
    namespaces = [query.namespace] if query.namespace is not None else list(graph.departments)
    candidates = [n for n in kpis.get(query.code, []) if n.code.namespace in namespaces]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        choices = _(" or ").join(str(n.code) for n in candidates)
        message = _("KPI {code} is in {count} departments; write which: {choices}")
        found.append(message.format(code=query.code, count=len(candidates), choices=choices))
        return None
    other = next((n for ns in namespaces for n in graph.nodes.get(QualifiedCode(ns, query.code), [])), None)
    if other is not None:
        found.append(_("{code} is a {kind}, not a KPI").format(code=other.code, kind=other.kind.label))
        return None
    close = difflib.get_close_matches(query.code, list(kpis), n=3)
    closest = _(", ").join(str(n.code) for c in close for n in kpis[c])
    suggestion = _("; closest: {codes}").format(codes=closest) if close else ""
    found.append(_("no KPI {code} in plan {year}").format(code=query, year=graph.year) + suggestion)
    return None


def _period(text: str, kpi: Kpi | None, label: str, year: int, found: list[str]) -> Period | None:
    """The period ``text`` names, if it lies in the plan year and fits the KPI's frequency."""
    folded = normalise_width(text).upper()
    period = Period.parse(folded)
    if period is None:
        gregorian = _GREGORIAN.fullmatch(folded)
        roc = f"{int(gregorian[1]) - 1911}{gregorian[2]}" if gregorian else ""
        hint = _("; periods use the 民國 year: {period}").format(period=roc) if gregorian else ""
        message = _(
            "'{text}' is not a period: write a year ({year}), half ({year}H1), quarter ({year}Q1) or month ({year}M01)"
        )
        found.append(message.format(text=text, year=year) + hint)
        return None
    if period.year != year:
        found.append(_("period {period} is not in plan year {year}").format(period=period, year=year))
        return None
    if kpi is None or period.kind == "year":
        return period
    if kpi.frequency is None:
        message = _(
            "{kpi} has no frequency, so it takes the year's value only ({year}); "
            "give it a 'frequency:' in its theme file to record {period}"
        )
        found.append(message.format(kpi=label, year=year, period=period))
        return None
    kind = FREQUENCY_PERIODS[kpi.frequency]
    if period.kind != kind:
        if kind == "year":
            message = _("{kpi} is measured {frequency}: write the year {year}, not {period}")
        else:
            message = _("{kpi} is measured {frequency}: write {span} or the year {year}, not {period}")
        span = f"{year}{_SPAN[kind].format(y=year)}"
        found.append(message.format(kpi=label, frequency=_(kpi.frequency), span=span, year=year, period=period))
        return None
    return period


def _value(text: str, kpi: Kpi | None, label: str, found: list[str]) -> Decimal | str | None:
    """A number for a KPI measured by statistics; one of its stages for a KPI measured by milestones."""
    if kpi is None:
        return None
    if kpi.basis == "milestones":
        stage = _text(text, _("stage"), found)
        if stage is not None and kpi.stage_percent(stage) is None:
            stages = _(", ").join(m.stage for m in kpi.milestones)
            found.append(
                _("'{text}' is not a stage of {kpi}; its stages: {stages}").format(text=text, kpi=label, stages=stages)
            )
            return None
        return stage
    return number(text, label, found)


def number(text: str, label: str, found: list[str]) -> Decimal | None:
    """``text`` as an exact number (full-width digits folded, thousands commas dropped), else None and why."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if NUMBER.fullmatch(folded):
        value = Decimal(folded.replace(",", "").lstrip("+"))
        return abs(value) if value.is_zero() else value
    if folded.endswith("%") and NUMBER.fullmatch(folded[:-1].rstrip()):
        message = _(
            "'{text}' is not a number: write {number}, without the percent sign "
            "(the KPI's unit says what the number counts)"
        )
        found.append(message.format(text=text, number=folded[:-1].rstrip()))
    elif _LOOSE_COMMAS.fullmatch(folded):
        message = _("'{text}' is not a number: commas may only separate thousands (12,345); decimals take a point")
        found.append(message.format(text=text))
    else:
        message = _("'{text}' is not a number, and {kpi} is measured by statistics: write a number such as 1,234.5")
        found.append(message.format(text=text, kpi=label))
    return None


def _text(text: str, what: str, found: list[str]) -> str | None:
    """A note or stage as YAML will hold it: line breaks as ``\\n``; control characters refused."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    hidden = _HIDDEN.search(text)
    if hidden:
        code = f"U+{ord(hidden.group()):04X}"
        found.append(_("the {what} holds the control character {code}; remove it").format(what=what, code=code))
        return None
    return text or None
