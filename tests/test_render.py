"""``stratmap render``: golden pages, links that resolve, safe output, escaping, KPI status, templates."""

from __future__ import annotations

import html.parser
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import DOED, REPO, edit, stratmap
from test_bad_input import snapshot

GOLDEN = Path(__file__).resolve().parent / "golden" / "render"


HTML_110 = ["110.html", "110-city-map.svg", "110-doed-map.svg"]
"""What rendering data/110 as HTML writes: the page, then each map as an SVG of its own, in this order."""


def render(fmt: str, out: Path, *args: str | Path, cwd: Path = REPO) -> str:
    run = stratmap("render", "--format", fmt, "-o", out, *args, cwd=cwd)
    assert run.code == 0, run.err
    suffix = {"html": "html", "markdown": "md"}[fmt]
    written = out / f"110.{suffix}"
    shown = written.relative_to(cwd) if written.is_relative_to(cwd) else written
    maps = [shown.with_name(f"110-{name}-map.svg") for name in ("city", "doed")] if fmt == "html" else []
    assert run.out == "".join(f"wrote {path.as_posix()}\n" for path in [shown, *maps])
    return (out / f"110.{suffix}").read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "golden"), [("html", "110.html"), ("markdown", "110.md")])
def test_render_matches_golden(fmt: str, golden: str, tmp_path: Path, update_golden: bool) -> None:
    """Refresh with ``python -m pytest --update-golden`` after an intended change, and review the diff."""
    text = render(fmt, tmp_path)
    if update_golden:
        (GOLDEN / golden).write_text(text, encoding="utf-8")
    assert text == (GOLDEN / golden).read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_output_is_deterministic(fmt: str, tmp_path: Path) -> None:
    assert render(fmt, tmp_path / "a") == render(fmt, tmp_path / "b")


def test_default_output_folder_is_build_format(plan: Path) -> None:
    cwd = plan.parent.parent
    run = stratmap("render", cwd=cwd)
    assert run.code == 0 and run.out == "".join(f"wrote build/html/{name}\n" for name in HTML_110)
    run = stratmap("render", "--format", "markdown", cwd=cwd)
    assert run.code == 0 and run.out == "wrote build/markdown/110.md\n"


class Anchors(html.parser.HTMLParser):
    """Every id and every in-page link of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name in ("href", "src") and value:
                (self.links if value.startswith("#") else self.external).append(value)


def test_html_anchors_are_unique_and_every_link_lands(tmp_path: Path) -> None:
    page = Anchors()
    page.feed(render("html", tmp_path))
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    missing = sorted({link[1:] for link in page.links} - set(page.ids))
    assert missing == []
    assert page.external == [], "the page must be self-contained"
    for code in (
        "doed:BP2.1",
        "doed:BP2.1.1",
        "doed:BP2",
        "doed:B",
        "city:DP2.2",
        "city:DP2",
        "city:D",
        "doed:DP2.1",
        "city:DP2.1",
        "doed:SO1",
        "doed:S1",
        "doed:PA2.4",
        "city:TC3",
    ):
        assert code in page.ids, code
    assert "#city:DP2.2" in page.links and "#doed:BP2" in page.links


def test_markdown_anchors_are_unique_and_every_link_lands(tmp_path: Path) -> None:
    text = render("markdown", tmp_path)
    ids = re.findall(r'<a id="([^"]+)"></a>', text)
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert len(ids) == len(set(ids))
    assert sorted(set(links) - set(ids)) == []
    assert "```mermaid\nflowchart TB\n" in text
    assert '  doed_B -. 對應府級 .-> city_DP2["DP2 打造創業搖籃"]' in text


def test_every_kpi_and_action_plan_of_the_seed_is_on_both_pages(tmp_path: Path) -> None:
    html_page = render("html", tmp_path / "h")
    markdown = render("markdown", tmp_path / "m")
    themes = "".join(p.read_text(encoding="utf-8") for p in (REPO / "data" / "110" / DOED).glob("theme-*.yaml"))
    kpis = re.findall(r"- code: ([A-Z][CPLF][0-9]+\.[0-9]+)(?:  #.*)?\n", themes)
    plans = re.findall(r"\{code: ([A-Z][CPLF][0-9]+\.[0-9]+\.[0-9]+),", themes)
    assert (len(kpis), len(plans)) == (45, 61)
    for code in kpis + plans:
        assert f'id="doed:{code}"' in html_page, code
        assert f'<a id="doed:{code}"></a>' in markdown, code


def test_city_map_marks_what_the_department_feeds(tmp_path: Path) -> None:
    page = render("html", tmp_path)
    # a marked objective links to its row of the alignment matrix, which holds its anchor
    fed = re.findall(r'<span class="objective is-fed[^"]*"><a href="#city:([A-Z]{2}[0-9])"', page)
    assert fed == ["TC3", "AC2", "DC2", "DC3", "BP3", "DP1", "DP2", "DP3"]
    aligned = re.findall(r'<span class="objective[^"]* is-aligned"><a href="#city:([A-Z]{2}[0-9])"', page)
    assert aligned == ["AC2", "BP2", "DP1", "DP2", "DP3"]
    assert '<span class="objective" id="city:DP4">' in page
    for code in fed + aligned:
        assert page.count(f'id="city:{code}"') == 1, code


def test_validation_failure_renders_nothing(plan: Path) -> None:
    edit(plan / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.2]")
    run = stratmap("render", cwd=plan.parent.parent)
    assert run.code == 1 and run.out == ""
    assert "nothing rendered" in run.err and "R003" in run.err
    assert not (plan.parent.parent / "build").exists()


@pytest.mark.parametrize("output", ["data", "data/110", "data/110/site", ".", "data/../data"])
def test_output_may_not_overlap_the_data(plan: Path, output: str) -> None:
    cwd = plan.parent.parent
    before = snapshot(cwd)
    run = stratmap("render", "-o", output, cwd=cwd)
    assert run.code == 2 and "Traceback" not in run.err
    assert "overlaps the plan folder" in run.err or "contains the data folder" in run.err
    assert snapshot(cwd) == before


def test_render_replaces_its_page_and_touches_nothing_else(plan: Path) -> None:
    cwd = plan.parent.parent
    out = cwd / "site"
    out.mkdir()
    (out / "110.html").write_text("old", encoding="utf-8")
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    data_before = snapshot(plan)
    assert stratmap("render", "-o", "site", cwd=cwd).code == 0
    assert (out / "110.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir()) == sorted([*HTML_110, "keep.txt"])
    assert snapshot(plan) == data_before


def test_year_selects_one_plan(plan: Path) -> None:
    cwd = plan.parent.parent
    run = stratmap("render", "--year", "109", cwd=cwd)
    assert run.code == 2 and "no plan for year 109" in run.err
    written = "".join(f"wrote build/html/{name}\n" for name in HTML_110)
    assert stratmap("render", "--year", "110", cwd=cwd).out == written


HOSTILE = {
    "name: 打造創業搖籃\n": 'name: "<script>alert(1)</script> | A&B \\"q\\" \'s\\nnext | `x` *y* [z](http://e.vil)"\n',
    "name: 新設企業家數\n": 'name: "<img src=x onerror=alert(1)> # | -- \\n| cell"\n',
    "tags: [非營業基金考核指標]": 'tags: ["</td><td>", "a|b"]',
}


def hostile_plan(plan: Path) -> None:
    for old, new in HOSTILE.items():
        edit(plan / DOED / "theme-b.yaml", old, new)


def test_hostile_text_stays_text_in_html(plan: Path) -> None:
    hostile_plan(plan)
    page = render("html", plan.parent.parent / "out", cwd=plan.parent.parent)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | A&amp;B &#34;q&#34; &#39;s" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/td&gt;&lt;td&gt;" in page


def test_hostile_text_stays_text_in_markdown(plan: Path) -> None:
    hostile_plan(plan)
    text = render("markdown", plan.parent.parent / "out", cwd=plan.parent.parent)
    assert "<script>" not in text and "<img" not in text and "</td>" not in text
    scorecard = text[text.index('<a id="doed:B"></a>') : text.index('<a id="doed:C"></a>')]
    rows = [line for line in scorecard.splitlines() if line.startswith("|")]
    header_cells = len(re.split(r"(?<!\\)\|", rows[0]))
    assert all(len(re.split(r"(?<!\\)\|", row)) == header_cells for row in rows), "a table row was broken"
    assert r"&lt;script&gt;alert(1)&lt;/script&gt; \| A&amp;B" in text
    assert "[z](http://e.vil)" not in scorecard and r"\[z\](http&#58;//e.vil)" in scorecard


def test_kpi_status_from_direction_target_and_actual(plan: Path) -> None:
    """Targets in the theme file, actuals in measures.yaml: met, near, missed, no data (more in test_render_scores)."""
    theme = plan / DOED / "theme-a.yaml"
    edit(
        theme,
        "        name: 經貿拓銷金額\n",
        "        name: 經貿拓銷金額\n        unit: 億元\n        direction: higher\n        target: 100\n",
    )
    edit(
        theme,
        "        name: 產業國際交流合作案件數\n",
        "        name: 產業國際交流合作案件數\n        direction: higher\n        target: 30\n",
    )
    edit(
        theme,
        "        name: 預算執行差異率\n",
        "        name: 預算執行差異率\n        unit: '%'\n        direction: lower\n        target: 5\n",
    )
    measures = "kind: measures\nmeasures:\n  AP1.1: {'110': 120.5}\n  AP1.2: {'110': 12}\n  AF1.1: {'110': 4}\n"
    (plan / DOED / "measures.yaml").write_text(measures, encoding="utf-8")
    page = render("html", plan.parent.parent / "h", cwd=plan.parent.parent)
    card = page[page.index('id="doed:A"') : page.index('id="doed:B"')]
    statuses = re.findall(r'<td class="status status-([a-z_]+)" data-label="狀態">.*?</span> ([^<]+)</td>', card)
    assert statuses == [
        ("no_data", "無資料"),
        ("no_data", "無資料"),
        ("no_data", "無資料"),
        ("met", "達成"),
        ("missed", "未達成"),
        ("no_data", "無資料"),
        ("no_data", "無資料"),
        ("met", "達成"),
    ]
    assert '<td class="number" data-label="實際值">120.5<small> 億元</small></td>' in card
    assert '<td class="number rate" data-label="達成率">120.5%</td>' in card
    markdown = render("markdown", plan.parent.parent / "m", cwd=plan.parent.parent)
    assert "| 100 億元 (越高越好) | 120.5 億元 | 120.5% | ● 達成 |  |" in markdown
    assert "| 30 (越高越好) | 12 | 40.0% | ○ 未達成 |" in markdown
    other = page[page.index('id="doed:B"') :].split('id="doed:C"')[0]
    assert "無資料" in other, "a measured plan shows the status columns in every scorecard"


def test_templates_folder_overrides_by_name(plan: Path) -> None:
    cwd = plan.parent.parent
    custom = cwd / "my-templates" / "html"
    custom.mkdir(parents=True)
    (custom / "style.css").write_text("body { background: #123456; }\n", encoding="utf-8")
    page = render("html", cwd / "out", "--templates", "my-templates", cwd=cwd)
    assert "body { background: #123456; }" in page and "平衡計分卡" in page
    assert "--accent" not in page, "the override replaces the built-in style sheet"


def test_bad_templates_are_usage_errors(plan: Path) -> None:
    cwd = plan.parent.parent
    run = stratmap("render", "--templates", "nowhere", cwd=cwd)
    assert run.code == 2 and "nowhere: no such folder" in run.err
    broken = cwd / "broken" / "html"
    broken.mkdir(parents=True)
    (broken / "plan.html.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    run = stratmap("render", "--templates", "broken", cwd=cwd)
    assert run.code == 2 and "template error: " in run.err and ":2:" in run.err and "Traceback" not in run.err
    assert not (cwd / "build").exists()


def test_wheel_ships_the_templates(tmp_path: Path) -> None:
    """A non-editable install renders too: the templates are inside the wheel."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("stratmap-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("html/plan.html.j2", "html/macros.html.j2", "html/style.css", "markdown/plan.md.j2"):
        assert f"stratmap/templates/{name}" in names
