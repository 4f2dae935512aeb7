"""The strategy maps drawn as SVG: perspective lanes by theme columns, one linked box per objective.

Deterministic (the same plan gives the same bytes) and without JavaScript. The boxes are sized by an
estimate of the text's width (a CJK or full-width character 1 em, other characters a little over half
an em), so that every line stays inside its box in any ordinary font; all boxes of a lane row share
one height. Every word from the data is escaped for XML here: the result may be marked safe in HTML.

The maps read top to bottom: the city's cross-cutting objectives (TC) in a band, the theme headers,
then the lanes in the document's order (顧客 C, 內部流程 P, 學習成長 L, 財務 F), and, for a measured
plan in a standalone file, the legend. A status is always written in the box (symbol, word, 達成率) as
well as coloured. Cause-and-effect edges (objective codes, from → to) are drawn as arrows between boxes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from stratmap.i18n import N_
from stratmap.model.codes import Perspective
from stratmap.rendering.status import LegendEntry, StatusView
from stratmap.rendering.view import PERSPECTIVES, CityView, MapColumn, ObjectiveCell, PlanView
from stratmap.rendering.words import PERSPECTIVE_WORDS, Words

FONT_FAMILY = (
    "'Noto Sans TC', 'Noto Sans CJK TC', 'Microsoft JhengHei', 'PingFang TC', 'Heiti TC', "
    "'Source Han Sans TC', 'WenQuanYi Micro Hei', system-ui, sans-serif"
)
FONT = 14
"""Font size of names, headers and labels (px of the drawing)."""
SMALL = 12
"""Font size of statuses, city alignments and legend meanings."""
LINE = 1.5
"""Line height, in em: room for the tall ascent and descent of CJK fonts."""
PAD = 8
BOX = 196
"""Width of an objective box."""
COLUMN = 216
LABEL = 112
"""Width of the lane labels on the left."""
GAP = 10
MARGIN = 12
MAX_LINES = 40
"""A name longer than this many lines is cut with … (the whole name is in the box's ``<title>``)."""

FILLS = {
    "met": ("#e4f3ea", "#0f7b3f"),
    "near": ("#fdf1d3", "#8a5a00"),
    "missed": ("#fce9e7", "#b42318"),
    "no_data": ("#f1f3f6", "#5a6472"),
}
"""Fill and stroke of a box by status key (the page's colours)."""
PLAIN = ("#ffffff", "#c9d1db")
INK, MUTED, BAND, ACCENT, FED, ALIGNED = "#1d2430", "#5a6472", "#eef2f6", "#0b5cad", "#0f7b3f", "#8a5a00"
LANES = ("#fbfcfd", "#f4f6f9")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile("[^A-Za-z0-9_-]")


def xml(text: str) -> str:
    """``text`` escaped for XML text and attributes; characters XML cannot hold become U+FFFD."""
    text = _NOT_XML.sub("\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("'", "&#39;")


def char_width(ch: str) -> float:
    """The estimated advance of ``ch`` in em: CJK and full-width 1, capitals and wide letters 0.72, others 0.55."""
    width = _WIDTHS.get(ch)
    if width is None:
        width = _WIDTHS[ch] = _char_width(ch)
    return width


_WIDTHS: dict[str, float] = {}
"""Each character's width once worked out: a page measures hundreds of thousands of characters, few distinct."""


def _char_width(ch: str) -> float:
    if unicodedata.combining(ch):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch.isascii():
        return 0.72 if ch.isupper() or ch in "MWmw@%&" else 0.55
    return 0.72


def text_width(text: str, size: float) -> float:
    """The estimated width of ``text`` at font ``size``."""
    return sum(map(char_width, text)) * size


def _tokens(text: str) -> list[str]:
    """Words of ASCII letters and digits, spaces, and every other character alone (CJK breaks anywhere)."""
    return re.findall(r"[A-Za-z0-9.,:;!?'\"()\[\]/+\-_%]+|\s+|.", text)


def wrap(text: str, width: float, size: float, max_lines: int = MAX_LINES) -> list[str]:
    """``text`` in lines no wider than ``width`` by the estimate; an over-long word is broken anywhere;
    beyond ``max_lines`` the last line ends with …."""
    lines: list[str] = []
    line = ""
    for token in _tokens(" ".join(text.split())):
        if token.isspace() and not line:
            continue
        if text_width(line + token, size) <= width:
            line += token
            continue
        if token.isspace():
            lines.append(line.rstrip())
            line = ""
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        for ch in token:
            if text_width(line + ch, size) > width and line:
                lines.append(line)
                line = ""
            line += ch
    if line.strip() or not lines:
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines


@dataclass
class _Line:
    text: str
    size: float
    bold: bool = False
    colour: str = INK
    marks: list[tuple[str, str]] = field(default_factory=list)
    """Marks after the text (city boxes: (K), (T)) with their colours."""


@dataclass
class _Box:
    """A box to draw: where, what it says, how it looks and where it links."""

    lines: list[_Line]
    kind: str
    x: float = 0
    y: float = 0
    width: float = BOX
    height: float = 0
    fill: tuple[str, str] = PLAIN
    href: str = ""
    classes: str = ""
    title: str = ""
    data: dict[str, str] = field(default_factory=dict)


def _height(lines: list[_Line]) -> float:
    return 2 * PAD + sum(line.size * LINE for line in lines)


def _wrapped(text: str, width: float, size: float, bold: bool = False, colour: str = INK) -> list[_Line]:
    return [_Line(part, size, bold, colour) for part in wrap(text, width, size)]


def _status_line(status: StatusView | None, width: float) -> list[_Line]:
    if status is None:
        return []
    return _wrapped(status.text, width, SMALL, bold=True, colour=FILLS.get(status.key, PLAIN)[1])


@dataclass(frozen=True)
class MapWords:
    """The words of a map in the page's language."""

    perspectives: Mapping[Perspective, str]
    shared: str
    aligns_to: str
    legend_title: str
    fed: str
    aligned: str
    marks_caption: str
    roles_format: str
    separator: str

    def roles(self, roles: Sequence[str]) -> str:
        """The departments' parts in a city theme, as one line: 「（主政）」."""
        return self.roles_format.format(roles=self.separator.join(roles))

    @classmethod
    def of(cls, words: Words) -> MapWords:
        """The words of the maps in ``words``' language."""
        return cls(
            {p: f"{words(PERSPECTIVE_WORDS[p.value])} {p.value}" for p in PERSPECTIVES},
            words(N_("Shared objectives")),
            words(N_("Aligns to city")),
            words(N_("Legend (status)")),
            words(N_("(K)")),
            words(N_("(T)")),
            words(N_("(K) a department KPI feeds its city KPI; (T) a department theme aligns to it.")),
            words(N_("({roles})")),
            words(N_(", ")),
        )


def map_svg(
    key: str,
    label: str,
    columns: Sequence[MapColumn],
    words: MapWords,
    *,
    cross_cutting: Sequence[ObjectiveCell] = (),
    legend: Sequence[LegendEntry] = (),
    edges: Sequence[tuple[str, str]] = (),
    page: str = "",
    standalone: bool = False,
    city: bool = False,
) -> str:
    """One strategy map as an SVG document (``standalone``, with an XML declaration) or element (inline).

    ``key`` makes the ids inside unique on a page; ``label`` names the map (``aria-label``, ``<title>``);
    ``legend`` is drawn when given (a measured plan in a standalone file: the page has its own); ``edges``
    are (from, to) pairs of objective codes (``BP2`` or ``doed:BP2``), drawn as arrows; codes not on the
    map are left out. Links go to ``page#anchor`` (``page`` empty: the same page)."""
    key = _KEY.sub("-", key) or "map"
    count = max(len(columns), 1)
    width = 2 * MARGIN + LABEL + count * COLUMN
    inner = BOX - 2 * PAD
    boxes: list[_Box] = []
    backgrounds: list[str] = []
    y: float = MARGIN

    def cell_box(cell: ObjectiveCell, perspective: str, theme: str) -> _Box:
        lines = [_Line(cell.link.code, FONT, bold=True, colour=ACCENT)]
        if cell.fed:
            lines[0].marks.append((words.fed, FED))
        if cell.aligned:
            lines[0].marks.append((words.aligned, ALIGNED))
        lines += _wrapped(cell.link.name, inner, FONT) + _status_line(cell.status, inner)
        classes = "objective" + (" is-fed" if cell.fed else "") + (" is-aligned" if cell.aligned else "")
        title = f"{cell.link.code} {cell.link.name}" + (f" {cell.status.text}" if cell.status else "")
        return _Box(
            lines, "objective",
            fill=FILLS.get(cell.status.key, PLAIN) if cell.status else PLAIN,
            href=f"{page}#{cell.link.anchor}",
            classes=classes + (f" status-{cell.status.key}" if cell.status else ""),
            title=title,
            data={"code": cell.link.code, "anchor": cell.link.anchor, "perspective": perspective, "theme": theme},
        )  # fmt: skip

    def lane(y: float, height: float, text: str, name: str, shade: str) -> None:
        backgrounds.append(
            f'<rect class="lane" data-lane="{xml(name)}" x="{MARGIN}" y="{_n(y)}" width="{width - 2 * MARGIN}" '
            f'height="{_n(height)}" fill="{shade}" stroke="#c9d1db"/>'
        )
        label_lines = _wrapped(text, LABEL - 2 * PAD, FONT, bold=True, colour=MUTED)
        boxes.append(_Box(label_lines, "label", MARGIN, y, LABEL, height, (shade, shade), data={"lane": name}))

    if cross_cutting:  # the city's shared objectives, a band across the top
        band_boxes = [cell_box(cell, "TC", "") for cell in cross_cutting]
        row = max(_height(box.lines) for box in band_boxes)
        rows = (len(band_boxes) + count - 1) // count
        band = 2 * GAP + rows * row + (rows - 1) * GAP
        lane(y, band, words.shared, "TC", BAND)
        for index, box in enumerate(band_boxes):
            box.x = _column_x(index % count) + (COLUMN - BOX) / 2
            box.y = y + GAP + (index // count) * (row + GAP)
            box.height = row
        boxes += band_boxes
        y += band + GAP

    headers = []
    for index, column in enumerate(columns):
        lines = _wrapped(f"{column.link.code} {column.link.name}", COLUMN - 2 * PAD - 4, FONT, bold=True)
        if column.roles:  # the department's part in a city theme: 主政, 成員
            lines += _wrapped(words.roles(column.roles), COLUMN - 2 * PAD - 4, SMALL, bold=True, colour=ALIGNED)
        for target in column.aligns_to:
            lines += _wrapped(f"{words.aligns_to} {target.code} {target.name}", COLUMN - 2 * PAD - 4, SMALL,
                              colour=MUTED)  # fmt: skip
        lines += _status_line(column.status, COLUMN - 2 * PAD - 4)
        headers.append(
            _Box(
                lines,
                "header",
                _column_x(index) + 2,
                y,
                COLUMN - 4,
                fill=(BAND, "#c9d1db"),
                href=f"{page}#{column.link.anchor}" if not city else "",
                title=f"{column.link.code} {column.link.name}",
                data={"theme": column.link.code},
            )  # fmt: skip
        )
    header_height = max((_height(box.lines) for box in headers), default=0)
    for box in headers:
        box.height = header_height
    boxes += headers
    y += header_height + GAP

    for shade_index, perspective in enumerate(PERSPECTIVES):
        cells = [
            [cell_box(cell, perspective.value, column.link.code) for cell in column.cells[perspective]]
            for column in columns
        ]
        every = [box for stack in cells for box in stack]
        row = max((_height(box.lines) for box in every), default=_height([_Line("", FONT)]))
        deepest = max((len(stack) for stack in cells), default=0) or 1
        height = 2 * GAP + deepest * row + (deepest - 1) * GAP
        lane(y, height, words.perspectives[perspective], perspective.value, LANES[shade_index % 2])
        for index, stack in enumerate(cells):
            for depth, box in enumerate(stack):
                box.x = _column_x(index) + (COLUMN - BOX) / 2
                box.y = y + GAP + depth * (row + GAP)
                box.height = row
        boxes += every
        y += height

    legend_parts: list[str] = []
    if legend:
        y += GAP
        legend_parts, y = _legend(legend, words.legend_title, y, width)
    if city and standalone:
        note = _wrapped(words.marks_caption, width - 2 * MARGIN, SMALL, colour=MUTED)
        boxes.append(_Box(note, "note", MARGIN, y + GAP / 2, width - 2 * MARGIN, _height(note), (BAND, BAND)))
        y += _height(note) + GAP
    height = y + MARGIN

    places: dict[str, _Box] = {}
    for box in boxes:
        if box.kind == "objective":
            places.setdefault(box.data["code"], box)
            places.setdefault(box.data["anchor"], box)
    arrows = [_arrow(places[a], places[b], key) for a, b in edges if a in places and b in places and a != b]

    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    size = f' width="{_n(width)}" height="{_n(height)}"'
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map-svg" viewBox="0 0 {_n(width)} {_n(height)}"{size} '
        f'aria-label="{xml(label)}" font-family="{xml(FONT_FAMILY)}" data-map="{key}">'
        f"<title>{xml(label)}</title>"
    )
    if arrows:
        out.append(
            f'<defs><marker id="{key}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{INK}"/></marker></defs>'
        )
    out.append(f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>')
    out += backgrounds
    out += [_draw(box) for box in boxes]
    if arrows:
        out.append(f'<g class="edges" fill="none" stroke="{INK}" stroke-width="1.6">{"".join(arrows)}</g>')
    out += legend_parts
    out.append("</svg>")
    if standalone:
        out.append("\n")
    return "".join(out)


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zero (the same number is always written the same)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _column_x(index: int) -> float:
    return MARGIN + LABEL + index * COLUMN


def _draw(box: _Box) -> str:
    fill, stroke = box.fill
    data = "".join(f' data-{name}="{xml(value)}"' for name, value in sorted(box.data.items()))
    parts = [f'<g class="box {box.kind}"{data}>']
    if box.title:
        parts.append(f"<title>{xml(box.title)}</title>")
    radius = ' rx="4"' if box.kind in ("objective", "header") else ""
    width = "2" if box.kind == "objective" and box.fill != PLAIN else "1"
    if box.kind == "objective" and "is-fed" in box.classes and box.fill == PLAIN:
        stroke, width = FED, "2"
    parts.append(
        f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" height="{_n(box.height)}"{radius} '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>'
    )
    top = box.y + PAD
    for line in box.lines:
        baseline = top + line.size * 1.16  # the ascent of CJK fonts; the descent fits in the rest of LINE
        weight = ' font-weight="700"' if line.bold else ""
        marks = "".join(
            f'<tspan fill="{colour}" font-size="{SMALL}"> {xml(mark)}</tspan>' for mark, colour in line.marks
        )
        parts.append(
            f'<text x="{_n(box.x + PAD)}" y="{_n(baseline)}" font-size="{_n(line.size)}"{weight} fill="{line.colour}">'
            f"{xml(line.text)}{marks}</text>"
        )
        top += line.size * LINE
    parts.append("</g>")
    drawn = "".join(parts)
    if box.href:
        classes = f' class="{xml(box.classes)}"' if box.classes else ""
        return f'<a href="{xml(box.href)}"{classes}>{drawn}</a>'  # href first: the table's links read class first
    return drawn


def _arrow(start: _Box, end: _Box, key: str) -> str:
    """A straight arrow from the edge of ``start`` to the edge of ``end``, leaving by the side facing it."""
    sx, sy = start.x + start.width / 2, start.y + start.height / 2
    ex, ey = end.x + end.width / 2, end.y + end.height / 2
    if end.y >= start.y + start.height:  # below
        sy, ey = start.y + start.height, end.y
    elif end.y + end.height <= start.y:  # above
        sy, ey = start.y, end.y + end.height
    elif ex > sx:  # same row, to the right
        sx, ex = start.x + start.width, end.x
    else:
        sx, ex = start.x, end.x + end.width
    code_from, code_to = start.data["code"], end.data["code"]
    return (
        f'<path class="edge" data-from="{xml(code_from)}" data-to="{xml(code_to)}" '
        f'd="M{_n(sx)} {_n(sy)}L{_n(ex)} {_n(ey)}" marker-end="url(#{key}-arrow)"/>'
    )


def _legend(entries: Sequence[LegendEntry], title: str, y: float, width: float) -> tuple[list[str], float]:
    """The legend of statuses: a swatch and the status in words for each, with its meaning."""
    parts = [f'<g class="map-legend"><text x="{MARGIN}" y="{_n(y + FONT * 1.16)}" font-size="{FONT}" '
             f'font-weight="700" fill="{MUTED}">{xml(title)}</text>']  # fmt: skip
    y += FONT * LINE + 4
    for entry in entries:
        fill, stroke = FILLS.get(entry.status.key, PLAIN)
        text = f"{entry.status.text} {entry.meaning}"
        lines = wrap(text, width - 2 * MARGIN - 30, SMALL)
        parts.append(
            f'<rect x="{MARGIN}" y="{_n(y)}" width="20" height="{SMALL + 2}" rx="3" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="2"/>'
        )
        for line in lines:
            parts.append(
                f'<text x="{MARGIN + 28}" y="{_n(y + SMALL * 1.16)}" font-size="{SMALL}" fill="{INK}">'
                f"{xml(line)}</text>"
            )
            y += SMALL * LINE
        y += 2
    parts.append("</g>")
    return parts, y


def plan_maps(
    view: PlanView,
    words: Words,
    edges: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    *,
    page: str = "",
    standalone: bool = False,
) -> dict[str, str]:
    """Every map of a plan: ``city`` and each department's id, drawn for the page (inline, without a legend:
    the page shows it) or ``standalone`` (for slides, with the legend; links to ``page``).
    ``edges`` are cause-and-effect pairs by map (``city`` or a department id)."""
    chosen = MapWords.of(words)
    edges = edges or {}
    legend: Sequence[LegendEntry] = view.legend if standalone and view.measured else ()
    maps = {}
    if view.city is not None:
        city: CityView = view.city
        maps["city"] = map_svg(
            "city", city.model.title, city.columns, chosen, cross_cutting=city.cross_cutting, legend=legend,
            edges=edges.get("city", ()), page=page, standalone=standalone, city=True,
        )  # fmt: skip
    for department in view.departments:
        maps[department.id] = map_svg(
            department.id, department.map_title, department.map_columns, chosen, legend=legend,
            edges=edges.get(department.id, ()), page=page, standalone=standalone,
        )  # fmt: skip
    return maps
