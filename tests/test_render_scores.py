"""Issue 10, the rendered pages: measured scorecards (target, actual, 達成率, status in words and colour,
sparklines, KPI facts), footnotes for every note, coloured strategy maps with a legend, summaries."""

from __future__ import annotations

import html.parser
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import DOED, REPO, copy_plan, edit, stratmap
from test_render import Anchors

THEME_A = DOED / "theme-a.yaml"
MEASURES = DOED / "measures.yaml"

KPI_FACTS = {
    "AC1.1": (
        "        unit: 場\n        direction: higher\n        baseline: 36\n        target: 40\n"
        "        targets: {111: 44}\n        formula: 辦理場次加總\n        frequency: quarterly\n"
        "        aggregation: sum\n        weight: 20\n        owner: 綜合企劃科\n        data_source: 活動辦理紀錄\n"
        "        note: 含線上交流場次\n"
    ),
    "AC2.1": "        unit: '%'\n        direction: higher\n        target: 90\n        frequency: yearly\n",
    "AC3.1": "        unit: '%'\n        direction: higher\n        target: 90\n        frequency: yearly\n",
    "AP1.1": (
        "        unit: 億元\n        direction: higher\n        target: 12.50\n        frequency: quarterly\n"
        "        aggregation: last\n"
    ),
    "AP1.2": "        unit: 件\n        direction: higher\n        target: 30\n        frequency: quarterly\n",
    "AP2.1": (
        "        unit: '%'\n        direction: higher\n        target: 95\n        frequency: half-yearly\n"
        "        aggregation: mean\n"
    ),
    "AL1.1": (
        "        basis: milestones\n        milestones:\n          - {stage: 規劃, percent: 30}\n"
        "          - {stage: 開班, percent: 60}\n          - {stage: 結訓, percent: 100}\n"
        "        target: 結訓\n        frequency: quarterly\n"
    ),
    "AF1.1": "        unit: '%'\n        direction: lower\n        target: 5\n        frequency: yearly\n",
}
"""KPI facts written into theme A: met, near, missed and no data; a milestone KPI; a lower-is-better KPI."""

MEASURES_110 = """\
kind: measures
note: 本檔為測試用虛構數值
measures:
  AC1.1: {110Q1: 8, 110Q2: 12, 110Q3: 10, 110Q4: 12}
  AC2.1: {'110': 86.4}
  AC3.1: {'110': 70}
  AP1.1:
    110Q1: 3.10
    110Q4: {value: 12.50, note: 含跨境電商平台拓銷金額}
  AP2.1: {110H1: 89, 110H2: 91}
  AL1.1: {110Q2: 規劃, 110Q3: 開班}
  AF1.1: {'110': 4}
"""

EXPECTED = {
    # KPI: (target, actual, 達成率, status class, status word)
    "AC1.1": ("40 場", "42 場", "105.0%", "met", "達成"),
    "AC2.1": ("90 %", "86.4 %", "96.0%", "near", "接近"),
    "AC3.1": ("90 %", "70 %", "77.8%", "missed", "未達成"),
    "AP1.1": ("12.50 億元", "12.50 億元", "100.0%", "met", "達成"),
    "AP1.2": ("30 件", "", "", "no_data", "無資料"),
    "AP2.1": ("95 %", "90 %", "94.7%", "near", "接近"),  # the mean of 89 and 91
    "AL1.1": ("結訓（100%）", "開班（60%）", "60.0%", "missed", "未達成"),
    "AF1.1": ("5 %", "4 %", "125.0%", "met", "達成"),
}


def measured_plan(plan: Path) -> Path:
    """Give theme A of a copy of data/110 targets and facts, every objective a weight (AC1 20, the
    other 40 objectives 2 each: 100 in all), notes on the theme and an action plan, and a measures file."""
    theme = plan / THEME_A
    for code, facts in KPI_FACTS.items():
        text = theme.read_text(encoding="utf-8")
        start = text.index(f"      - code: {code}\n")
        name_end = text.index("\n", text.index("        name: ", start)) + 1
        theme.write_text(text[:name_end] + facts + text[name_end:], encoding="utf-8")
    edit(theme, "name: 健全商貿環境\n", "name: 健全商貿環境\nnote: 主題備註：疫情期間改採線上辦理\n")
    edit(
        theme,
        "{code: AC1.1.1, name: 辦理本府與工商業界交流活動計畫}",
        "{code: AC1.1.1, name: 辦理本府與工商業界交流活動計畫, note: 與商業處合辦}",
    )
    for path in sorted((plan / DOED).glob("theme-*.yaml")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(\n    perspective: [CPLF]\n)", r"\1    weight: 2\n", text)
        path.write_text(text, encoding="utf-8")
    edit(theme, "    perspective: C\n    weight: 2\n", "    perspective: C\n    weight: 20\n")
    (plan / MEASURES).write_text(MEASURES_110, encoding="utf-8")
    return plan


def render(cwd: Path, fmt: str = "html", *args: str) -> str:
    """Render the plans under ``cwd/data`` and return the FY110 page."""
    run = stratmap("render", "--format", fmt, "-o", "out", *args, cwd=cwd)
    assert run.code == 0, run.err
    return (cwd / "out" / ("110.html" if fmt == "html" else "110.md")).read_text(encoding="utf-8")


class Rows(html.parser.HTMLParser):
    """The text of every cell of every table row, by the cell's ``data-label``, with its class and id."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.cell: str | None = None
        self.in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "tr":
            self.rows.append({})
        elif tag == "td" and self.rows:
            self.cell = values.get("data-label") or ""
            self.rows[-1][self.cell] = ""
            self.rows[-1][self.cell + "@class"] = values.get("class") or ""
            if values.get("id"):
                self.rows[-1]["@id"] = values["id"] or ""
        elif tag == "br" and self.cell is not None:
            self.rows[-1][self.cell] += "\n"
        elif tag == "sup":
            self.in_mark = True  # a footnote mark, not the cell's value
        elif tag == "svg" and self.cell is not None:
            self.rows[-1][self.cell + "@svg"] = values.get("aria-label") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = None
        elif tag == "sup":
            self.in_mark = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None and self.rows and not self.in_mark:
            self.rows[-1][self.cell] += data


def kpi_rows(page: str, theme: str = "A", after: str = "B") -> dict[str, dict[str, str]]:
    """The scorecard rows of one theme, by KPI code."""
    card = page[page.index(f'<section id="doed:{theme}"') : page.index(f'<section id="doed:{after}"')]
    parser = Rows()
    parser.feed(card)
    found = {}
    for row in parser.rows:
        kpi = next((row[key] for key in row if key == "@id" and row[key].count(".") == 1), None)
        if kpi is not None:
            found[kpi.removeprefix("doed:")] = row
    return found


@pytest.fixture
def measured(plan: Path) -> Path:
    """data/110 with targets and measures in theme A; the folder to run stratmap in."""
    measured_plan(plan)
    run = stratmap("validate", "--format", "json", cwd=plan.parent.parent)
    assert run.json()["errors"] == 0, run.out
    return plan.parent.parent


def test_scorecard_rows_show_target_actual_rate_and_status(measured: Path) -> None:
    rows = kpi_rows(render(measured))
    for code, (target, actual, rate, key, word) in EXPECTED.items():
        row = rows[code]
        assert row["目標值"].split("\n")[0] == target, code
        assert row["實際值"].split("\n")[0] == actual, code
        assert row["達成率"] == rate, code
        assert row["狀態@class"] == f"status status-{key}", code
        assert row["狀態"].split() == [{"met": "●", "near": "◐", "missed": "○", "no_data": "－"}[key], word], code
    assert "越低越好" in rows["AF1.1"]["目標值"] and "越高越好" in rows["AC1.1"]["目標值"]
    assert rows["AC1.1"]["實際值"] == "42 場", "the whole year is reported: no 'to date' period"
    assert rows["AL1.1"]["實際值"] == "開班（60%）\n至 110Q3"
    assert rows["AP1.1"]["實際值"].startswith("12.50 億元"), "12.50 stays 12.50"


def test_kpi_facts_are_shown(measured: Path) -> None:
    page = render(measured)
    rows = kpi_rows(page)
    facts = rows["AC1.1"]["KPI"]
    for text in (
        "單位場",
        "基準值36",
        "衡量標準辦理場次加總",
        "頻率每季",
        "年度值各期加總",
        "權重20%",
        "負責綜合企劃科",
        "資料來源活動辦理紀錄",
        "分年目標值111年 44",
    ):
        assert text in facts, text
    assert "評估方式完成工作項目：規劃 30%、開班 60%、結訓 100%" in rows["AL1.1"]["KPI"]
    objective = page[page.index('id="doed:AC1" class="objective-cell"') :]
    assert "權重 20%" in objective[: objective.index("</td>")]


def test_every_note_is_a_numbered_footnote_with_a_way_back(measured: Path) -> None:
    page = render(measured)
    notes = re.findall(r'<li id="note-([0-9]+)" value="\1"><span class="note-subject">([^<]*)</span>：([^<]*)', page)
    numbers = [int(number) for number, _, _ in notes]
    assert numbers == list(range(1, len(numbers) + 1)), "numbered in reading order, each once"
    by_subject = {subject: (int(number), text.strip()) for number, subject, text in notes}
    assert by_subject["A"][1] == "主題備註：疫情期間改採線上辦理"
    assert by_subject["AC1.1"][1] == "含線上交流場次"
    assert by_subject["AC1.1.1"][1] == "與商業處合辦"
    assert by_subject["AP1"][1].startswith("平衡計分卡印作")  # the errata notes of data/110
    assert by_subject["AP1.1 110Q4 實際值"][1] == "含跨境電商平台拓銷金額"
    assert by_subject["measures.yaml"][1] == "本檔為測試用虛構數值"
    assert by_subject["DP4.1"][1].startswith("印作「DP4.」")
    assert by_subject["WT4"][1].startswith("成為策略目標 EP2")
    # Reading order: the department's own notes, then theme A's heading, its KPI, action plan, objective AP1.
    order = [by_subject[s][0] for s in ("府級策略主題", "A", "AC1.1", "AC1.1.1", "AP1", "AP1.1 110Q4 實際值")]
    assert order == sorted(order)
    # Each mark links down, and each marked note links back; the note sits under its own scorecard.
    card_a = page[page.index('<section id="doed:A"') : page.index('<section id="doed:B"')]
    number = by_subject["AP1.1 110Q4 實際值"][0]
    assert f'<a href="#note-{number}" id="ref-{number}">{number}</a>' in card_a
    assert f'<a class="back" href="#ref-{number}"' in card_a and f'id="note-{number}"' in card_a
    anchors = Anchors()
    anchors.feed(page)
    assert len(anchors.ids) == len(set(anchors.ids))
    assert sorted({link[1:] for link in anchors.links} - set(anchors.ids)) == []


def test_department_map_boxes_carry_their_status(measured: Path) -> None:
    page = render(measured)
    department_map = page[page.index('<section id="doed-map"') : page.index('<section id="doed-summary"')]
    found = re.findall(r'<a class="objective status-([a-z_]+)" href="#doed:(A[CPLF][0-9])">', department_map)
    boxes = {code: key for key, code in found}
    assert boxes == {
        "AC1": "met",
        "AC2": "near",
        "AC3": "missed",
        "AP1": "met",
        "AP2": "near",
        "AL1": "missed",
        "AF1": "met",
    }
    box = re.search(r'<a class="objective status-near" href="#doed:AC2">(.*?)</a>', department_map)
    assert box is not None
    assert '<span class="status-tag status-near"><span class="symbol" aria-hidden="true">◐</span> 接近 96.0%' in box[1]
    assert re.search(r'<a class="objective status-no_data" href="#doed:BC1">', department_map), "no data is shown too"
    assert 'class="legend"' in department_map and "達成率 90% 以上、未達 100%" in department_map
    city_map = page[page.index('<section id="city-map"') : page.index('<section id="alignment"')]
    assert 'class="legend"' in city_map
    assert re.search(r'<span class="objective is-fed status-met"><a href="#city:TC3"', city_map), "fed by AC1.1 (met)"
    assert '<span class="objective" id="city:DP4">' in city_map, "fed by nothing: no status"


def test_summaries_per_department_and_theme(measured: Path) -> None:
    page = render(measured)
    summary = page[page.index('<section id="doed-summary"') : page.index('<section id="doed:A"')]
    parser = Rows()
    parser.feed(summary)
    rows = [row for row in parser.rows if row]
    theme_a = rows[1]
    assert (theme_a["狀態"].split(), theme_a["KPI數"], theme_a["達成"], theme_a["接近"]) == (
        ["◐", "接近"],
        "8",
        "3",
        "2",
    )
    assert (theme_a["未達成"], theme_a["無資料"]) == ("2", "1")
    # Weighted mean of the objectives (AC1 weighs 20, the others 2), each KPI counted at most 100%.
    ac = [Decimal(1), Decimal("0.96"), Decimal(70) / 90]
    rest = [Decimal(1), Decimal(90) / 95, Decimal("0.6"), Decimal(1)]
    expected = (20 * ac[0] + 2 * (ac[1] + ac[2]) + 2 * sum(rest)) / (20 + 2 * 6)
    assert theme_a["達成率"] == f"{(expected * 100).quantize(Decimal('0.1'))}%"
    assert "KPI 8 項：達成 3、接近 2、未達成 2、無資料 1" in page


def test_markdown_shows_the_same_in_text(measured: Path) -> None:
    text = render(measured, "markdown")
    assert "| 40 場 (越高越好) | 42 場 | 105.0% | ● 達成 | 110Q1: 8 → 110Q2: 12 → 110Q3: 10 → 110Q4: 12 |" in text
    assert (
        "| 結訓（100%） | 開班（60%） (至 110Q3) | 60.0% | ○ 未達成 | 110Q2: 規劃（30%） → 110Q3: 開班（60%） |" in text
    )
    assert "| 5 % (越低越好) | 4 % | 125.0% | ● 達成 |  |" in text
    assert "| 30 件 (越高越好) |  |  | － 無資料 |  |" in text
    assert re.search(
        r'\[\*\*AP1\*\*|<a id="doed:AP1"></a>\*\*AP1\*\* 提升國際經貿交流與連結<a id="ref-[0-9]+"></a><sup>', text
    )
    notes = re.findall(r'^([0-9]+)\. <a id="note-\1"></a>\*\*([^*]+)\*\*：', text, re.MULTILINE)
    assert [int(n) for n, _ in notes] == list(range(1, len(notes) + 1))
    assert "AP1.1 110Q4 實際值" in [subject for _, subject in notes]
    assert "  classDef met fill:#e4f3ea" in text and "  class doed_AC1,doed_AP1,doed_AF1 met" in text
    assert 'doed_AC2["AC2 提升公司與商業登記服務品質 ◐ 接近 96#46;0#37;"]' in text or (
        'doed_AC2["AC2 提升公司與商業登記服務品質 ◐ 接近 96.0#37;"]' in text
    )
    assert "[BC1](#doed:BC1) 完善創業服務辦公室輔導服務 － 無資料" in text
    assert "圖例（狀態）：● 達成：達成率 100% 以上" in text
    assert "| 臺北市政府產業發展局 |" in text and "| [A](#doed:A) 健全商貿環境 |" in text


def test_a_plan_without_targets_or_actuals_shows_no_status(tmp_path: Path) -> None:
    page = render_data_110(tmp_path, "html")
    marks = (
        'class="legend"',
        'class="col-rate"',
        'class="status',
        'class="sparkline"',
        'class="summary',
        'class="card-summary"',
        'status-met"',
        'status-missed"',
    )
    for absent in marks:
        assert absent not in page, absent
    markdown = render_data_110(tmp_path, "markdown")
    for absent in ("圖例", "| 達成率 |", "classDef", "績效摘要", "主題達成率"):
        assert absent not in markdown, absent


def render_data_110(tmp_path: Path, fmt: str) -> str:
    run = stratmap("render", "--format", fmt, "-o", tmp_path / fmt)
    assert run.code == 0, run.err
    return (tmp_path / fmt / ("110.html" if fmt == "html" else "110.md")).read_text(encoding="utf-8")


@pytest.fixture
def two_years(plan: Path) -> Path:
    """data/109 (values only: 36 sessions for AC1.1 in the year) and data/110 measured; the folder to run in."""
    earlier = copy_plan(plan, "109", 109)
    (earlier / MEASURES).write_text("kind: measures\nmeasures:\n  AC1.1: {'109': 36}\n", encoding="utf-8")
    measured_plan(plan)
    return plan.parent.parent


@pytest.mark.parametrize("args", [[], ["--year", "110"], ["data/110"]])
def test_sparkline_follows_the_kpi_into_earlier_years(two_years: Path, args: list[str]) -> None:
    page = render(two_years, "html", *args)
    row = kpi_rows(page)["AC1.1"]
    assert row["趨勢@svg"] == "趨勢 109: 36 → 110Q1: 8 → 110Q2: 12 → 110Q3: 10 → 110Q4: 12"
    svg = re.search(r'<td class="trend" data-label="趨勢">(<svg .*?</svg>)</td>', page)
    assert svg is not None
    assert svg[1].startswith(
        '<svg class="sparkline" width="88" height="26" viewBox="0 0 88 26" role="img" aria-label="'
    )
    assert "<title>趨勢 109: 36 → 110Q1: 8" in svg[1]
    assert svg[1].count("<circle ") == 5 and svg[1].count('class="earlier"') == 1
    assert '<polyline points="3.0,3.0 24.5,23.0 46.0,15.0 67.5,19.0 89.0,15.0"' not in svg[1]  # stays inside 88
    points = re.search(r'<polyline points="([^"]+)"', svg[1])
    assert points is not None
    coordinates = [tuple(map(float, pair.split(","))) for pair in points[1].split()]
    assert all(0 <= x <= 88 and 0 <= y <= 26 for x, y in coordinates)
    assert coordinates[0][1] == 3.0, "36 is the highest value: at the top"
    assert coordinates[1][1] == 23.0, "8 is the lowest: at the bottom"
    markdown = render(two_years, "markdown", *args)
    assert "| 109: 36 → 110Q1: 8 → 110Q2: 12 → 110Q3: 10 → 110Q4: 12 |" in markdown


def test_no_sparkline_with_fewer_than_two_numeric_points(measured: Path) -> None:
    rows = kpi_rows(render(measured))
    assert "趨勢@svg" not in rows["AC2.1"] and rows["AC2.1"]["趨勢"] == "", "one yearly value only"
    assert "趨勢@svg" not in rows["AP1.2"], "no value at all"
    assert rows["AL1.1"]["趨勢@svg"] == "趨勢 110Q2: 規劃（30%） → 110Q3: 開班（60%）", "stage percents are drawn"


def test_thresholds_and_rollup_from_the_configuration(measured: Path) -> None:
    (measured / "stratmap.toml").write_text('near = 95\nrollup = "worst"\n', encoding="utf-8")
    page = render(measured)
    rows = kpi_rows(page)
    assert rows["AP2.1"]["狀態@class"] == "status status-missed", "94.7% is below a near of 95%"
    assert rows["AC2.1"]["狀態@class"] == "status status-near"
    assert "達成率 95% 以上、未達 100%" in page
    assert "取其所屬 KPI 之最差狀態" in page
    assert re.search(r'<a class="objective status-missed" href="#doed:AP1">', page) is None
    assert re.search(r'<a class="objective status-met" href="#doed:AP1">', page), "AP1.2 has no data: left out"


def test_notes_and_values_stay_text(measured: Path) -> None:
    plan = measured / "data" / "110"
    edit(plan / MEASURES, "note: 含跨境電商平台拓銷金額", 'note: "<script>alert(1)</script> | **x** @someone #12"')
    edit(plan / THEME_A, "note: 含線上交流場次", 'note: "<img src=x onerror=alert(1)>"')
    page = render(measured)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    text = render(measured, "markdown")
    assert "<script>" not in text and "<img" not in text
    assert r"&lt;script&gt;alert(1)&lt;/script&gt; \| \*\*x\*\* @<!-- -->someone #<!-- -->12" in text


def test_measured_pages_are_deterministic(measured: Path) -> None:
    first = render(measured), render(measured, "markdown")
    shutil.rmtree(measured / "out")
    assert (render(measured), render(measured, "markdown")) == first


def test_number_formats() -> None:
    from stratmap.reporting.numbers import format_number, format_percent

    assert format_number(Decimal("12.50")) == "12.50"
    assert format_number(Decimal("0.00")) == "0.00"
    assert format_number(Decimal("-0")) == "0"
    assert format_number(Decimal("1234567.890")) == "1,234,567.890"
    assert format_number(Decimal("1E+3")) == "1,000"
    assert format_percent(Decimal("0.96428")) == "96.4%"
    assert format_percent(Decimal("0.96450")) == "96.5%"
    assert format_percent(Decimal("12.3456")) == "1,234.6%"
    assert format_percent(Decimal(0)) == "0.0%"
    assert format_percent(None) == ""


def test_the_repository_plan_has_no_measures() -> None:
    """data/110 gains no values (issue 10): its pages stay unmeasured."""
    assert not (REPO / "data" / "110" / MEASURES).exists()


DEMO = REPO / "examples" / "demo" / "data"
"""The example plan with invented values (示範資料), FY110 and FY111."""
GOLDEN_DEMO = Path(__file__).resolve().parent / "golden" / "render" / "demo"


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_demo_pages_match_golden(fmt: str, tmp_path: Path, update_golden: bool) -> None:
    """Refresh with ``python -m pytest --update-golden`` after an intended change (of the pages or of the
    example plan), and review the diff."""
    run = stratmap("render", "--format", fmt, "-o", tmp_path, DEMO)
    assert run.code == 0, run.err
    pages = sorted(path.name for path in tmp_path.iterdir())
    suffix = "html" if fmt == "html" else "md"
    maps = [f"{year}-{name}-map.svg" for year in (110, 111) for name in ("city", "doed")] if fmt == "html" else []
    assert pages == sorted([f"110.{suffix}", f"111.{suffix}", *maps])
    for name in [f"110.{suffix}", f"111.{suffix}"]:
        text = (tmp_path / name).read_text(encoding="utf-8")
        if update_golden:
            GOLDEN_DEMO.mkdir(parents=True, exist_ok=True)
            (GOLDEN_DEMO / name).write_text(text, encoding="utf-8")
        assert text == (GOLDEN_DEMO / name).read_text(encoding="utf-8"), name
        assert "示範資料" in text, "the example plan says it is invented"
