"""The city map leads down to what the departments put under it, in the document's own words (issue 13):
each city objective the departments answer to has one place on the page — its row of the alignment matrix —
listing the department themes aligned to it and, for each of its KPIs, the department KPIs feeding it; the
department's part in each city theme (主政/成員) is marked on the map; codes that cross maps read 「府 DP2.1」
and 「局 DP2.1」 (or the department's name), never ``city:``/``doed:``; unnamed city KPIs say 「名稱未列」."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import PLAN_110, stratmap
from test_second_department import add_second_department

DEPARTMENT = PLAN_110 / "departments" / "doed" / "department.yaml"


class Page(HTMLParser):
    """The page's text as shown (not inside ``<style>`` or ``<title>``), its ids, and its source."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.visible: list[str] = []
        self.ids: list[str] = []
        self.raw = text
        self._hidden = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = dict(attrs).get("id")
        if ident:
            self.ids.append(ident)
        if tag in ("style", "script", "title"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.visible.append(data.strip())


def row_group(page: Page, anchor: str) -> str:
    """The alignment matrix's rows of the city objective ``anchor`` (HTML)."""
    groups = [g for g in re.findall(r"<tbody>(.*?)</tbody>", page.raw, re.DOTALL) if f'id="{anchor}"' in g]
    assert len(groups) == 1, anchor
    return groups[0]


def links(html: str) -> list[tuple[str, str]]:
    """Each link's (href, text)."""
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)


def city_headers(page: Page) -> dict[str, str]:
    """The city map's theme headers in the SVG: theme letter -> the words drawn (over wrapped lines)."""
    city = re.search(r'<svg[^>]*data-map="city">(.*?)</svg>', page.raw, re.DOTALL)
    assert city is not None
    headers = re.findall(r'<g class="box header" data-theme="([A-H])">(.*?)</g>', city.group(1))
    return {theme: re.sub(r"<title>.*?</title>|<[^>]+>|\s", "", body) for theme, body in headers}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Page:
    out = tmp_path_factory.mktemp("html")
    run = stratmap("render", "--format", "html", "-o", out)
    assert run.code == 0, run.err
    return Page((out / "110.html").read_text(encoding="utf-8"))


def test_a_city_objective_leads_to_the_themes_and_kpis_that_feed_it(page: Page) -> None:
    """DP2 打造創業搖籃: theme B aligns to it (theme-b.yaml ``aligns_to: [DP2]``), BP1.1 feeds DP2.1 and BP2.1
    feeds DP2.2 (``city_kpis``), as the document's 府級KPI marks say."""
    assert page.ids.count("city:DP2") == 1, "one place to land on"
    rows = row_group(page, "city:DP2")
    found = links(rows)
    assert ("#doed:B", "局 B") in found
    assert ("#doed:BP1.1", "局 BP1.1") in found
    assert ("#doed:BP2.1", "局 BP2.1") in found
    assert "打造創業搖籃" in rows and 'id="city:DP2.1"' in rows and 'id="city:DP2.2"' in rows


def test_every_city_objective_the_department_answers_to_is_in_the_matrix(page: Page) -> None:
    """From the YAML: every theme's ``aligns_to`` and every KPI's ``city_kpis`` lead to a row that links back."""
    folder = PLAN_110 / "departments" / "doed"
    expected: dict[str, set[str]] = {}
    for theme_file in sorted(folder.glob("theme-*.yaml")):
        theme = yaml.safe_load(theme_file.read_text(encoding="utf-8"))
        for target in theme.get("aligns_to", []):
            expected.setdefault(target, set()).add(f"#doed:{theme['code']}")
        for objective in theme["objectives"]:
            for kpi in objective.get("kpis", []):
                for city_kpi in kpi.get("city_kpis", []):
                    expected.setdefault(city_kpi.rsplit(".", 1)[0], set()).add(f"#doed:{kpi['code']}")
    assert len(expected) >= 9
    for objective, hrefs in expected.items():
        found = {href for href, _ in links(row_group(page, f"city:{objective}"))}
        assert hrefs <= found, (objective, sorted(hrefs - found))


def test_the_map_marks_the_departments_part_in_each_city_theme(page: Page) -> None:
    roles = yaml.safe_load(DEPARTMENT.read_text(encoding="utf-8"))["city_roles"]
    assert roles["lead"] and roles["member"]
    marked = {theme: ("（主政）" in words, "（成員）" in words) for theme, words in city_headers(page).items()}
    assert len(marked) == 8
    for theme, (lead, member) in marked.items():
        assert lead == (theme in roles["lead"]), theme
        assert member == (theme in roles["member"]), theme


def test_unnamed_city_kpis_say_name_not_listed(page: Page) -> None:
    city = yaml.safe_load((PLAN_110 / "city.yaml").read_text(encoding="utf-8"))
    objectives = [o for t in city["themes"] for o in t.get("objectives", [])] + city["cross_cutting_objectives"]
    unnamed = [k["code"] for o in objectives for k in o.get("kpis", []) if not k.get("name")]
    assert unnamed
    cells = dict(re.findall(r'<td id="city:([A-Z]{2}\d+\.\d+)"[^>]*>(.*?)</td>', page.raw))
    assert len(cells) >= 13
    for code, cell in cells.items():
        assert ("（名稱未列）" in cell) == (code in unnamed), code


def test_readers_never_see_namespace_slugs(page: Page) -> None:
    slugs = [text for text in page.visible if re.search(r"\b(city|doed):", text)]
    assert slugs == []
    assert "→" in " ".join(page.visible)  # the TOWS strategies that became objectives
    assert any(re.fullmatch(r"局 [A-E][CPLF]\d+(\.\d+)?", text) for text in page.visible)


def test_with_two_departments_the_label_is_the_departments_name(plan: Path, tmp_path: Path) -> None:
    add_second_department(plan)
    run = stratmap("render", "--format", "html", "-o", tmp_path / "out", plan, cwd=plan.parent.parent)
    assert run.code == 0, run.err
    two = Page((tmp_path / "out" / "110.html").read_text(encoding="utf-8"))
    short = yaml.safe_load(DEPARTMENT.read_text(encoding="utf-8"))["short_name"]
    found = links(row_group(two, "city:DP2"))
    assert ("#doed:BP2.1", f"{short} BP2.1") in found  # 產業局 BP2.1: its short name
    assert ("#dol:DP2.1", "臺北市政府勞動局 DP2.1") in found  # no short name: its name
    words = city_headers(two)["D"]
    assert f"{short}主政" in words and "臺北市政府勞動局成員" in words
