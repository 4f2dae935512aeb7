"""The page as it is printed (issue 13): Chromium prints data/110's page, and the measured example plan's, to
A4 landscape as a person would (print preview, CSS page size, backgrounds); pdftotext reads each page back.

Checked: a cover that names the department, the year, the edition and its date; every page carries the
department, the year and 「第 n 頁／共 m 頁」; each strategy map with its legend on one page; no heading is the
last thing on a page. ``.ci/run`` installs Chromium and poppler-utils (pdftotext, pdfinfo)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PLAN_110, REPO, stratmap
from test_render_browser import browser, require  # noqa: F401 - pytest fixture, used by name

DEMO_110 = REPO / "examples" / "demo" / "data" / "110"
DEPARTMENT = PLAN_110 / "departments" / "doed" / "department.yaml"
HEADINGS = "() => [...document.querySelectorAll('h1, h2, h3, h4, tr.perspective th')].map(h => h.textContent.trim())"
"""The page's headings, and the scorecards' perspective rows that head their KPIs."""


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of ``pdf``, in reading order (pdftotext -layout)."""
    require("pdftotext (poppler-utils)", shutil.which("pdftotext") is not None)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        for n in range(1, count + 1)
    ]


def printed(browser: Any, html: Path, pdf: Path) -> tuple[list[str], list[str]]:  # noqa: F811 - the fixture
    """Print ``html`` as Chromium's print preview does (A4 landscape from the page's CSS) and read it back:
    the text of each page, and the page's headings."""
    page = browser.new_page()
    page.goto(html.as_uri())
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    headings = page.evaluate(
        "() => [...document.querySelectorAll('h1, h2, h3, h4, tr.perspective th')].map(h => h.textContent.trim())"
    )
    page.close()
    return pdf_pages(pdf), headings


@pytest.fixture(scope="module")
def print_of(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], tuple[list[str], list[str]]]:  # noqa: F811
    """Render a plan to HTML and print it: (the text of each page, the page's headings)."""
    done: dict[Path, tuple[list[str], list[str]]] = {}

    def make(plan: Path) -> tuple[list[str], list[str]]:
        if plan not in done:
            out = tmp_path_factory.mktemp("print")
            run = stratmap("render", "--format", "html", "-o", out, plan)
            assert run.code == 0, run.err
            done[plan] = printed(browser, out / f"{plan.name}.html", out / f"{plan.name}.pdf")
        return done[plan]

    return make


def objective_codes(plan: Path) -> dict[str, set[str]]:
    """Every objective code of each map: ``city`` and each department's id, from the YAML itself."""
    maps: dict[str, set[str]] = {}
    city = yaml.safe_load((plan / "city.yaml").read_text(encoding="utf-8"))
    codes = {o["code"] for o in city.get("cross_cutting_objectives", [])}
    codes |= {o["code"] for theme in city["themes"] for o in theme.get("objectives", [])}
    maps["city"] = codes
    for folder in sorted((plan / "departments").iterdir()):
        department = yaml.safe_load((folder / "department.yaml").read_text(encoding="utf-8"))
        own: set[str] = set()
        for theme_file in folder.glob("theme-*.yaml"):
            theme = yaml.safe_load(theme_file.read_text(encoding="utf-8"))
            own |= {o["code"] for o in theme.get("objectives", [])}
        maps[department["id"]] = own
    return maps


def body_lines(page: str) -> list[str]:
    """The page's lines without the running head (first line) and the page number (last line)."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return lines[1:-1]


@pytest.mark.parametrize("plan", [PLAN_110, DEMO_110], ids=["data-110", "demo-110"])
def test_every_page_names_the_department_the_year_and_page_n_of_m(
    print_of: Callable[[Path], tuple[list[str], list[str]]], plan: Path
) -> None:
    pages, _ = print_of(plan)
    department = yaml.safe_load(DEPARTMENT.read_text(encoding="utf-8"))["name"]
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert re.sub(r"\s+", " ", lines[0]) == f"{department} 110年度", (number, lines[0])
        assert lines[-1] == f"第 {number} 頁／共 {len(pages)} 頁", (number, lines[-1])


def test_the_cover_names_the_department_year_edition_and_date(
    print_of: Callable[[Path], tuple[list[str], list[str]]],
) -> None:
    pages, _ = print_of(PLAN_110)
    document = yaml.safe_load(DEPARTMENT.read_text(encoding="utf-8"))["document"]
    cover = " ".join(body_lines(pages[0]))
    assert "策略地圖與平衡計分卡" in cover
    assert "臺北市政府產業發展局" in cover and "110年度" in cover
    assert document["edition"] in cover
    assert f"{document['year']}年{document['month']}月" in cover
    assert "臺北市政府110年度策略地圖" not in cover, "the cover is a page of its own"


@pytest.mark.parametrize("plan", [PLAN_110, DEMO_110], ids=["data-110", "demo-110"])
def test_each_map_is_on_one_page_with_its_legend(
    print_of: Callable[[Path], tuple[list[str], list[str]]], plan: Path
) -> None:
    pages, _ = print_of(plan)
    measured = plan == DEMO_110
    for key, codes in objective_codes(plan).items():
        title = "臺北市政府110年度策略地圖" if key == "city" else "臺北市政府產業發展局 110年策略地圖"
        starts = [n for n, page in enumerate(pages) if title in body_lines(page)[:2]]
        assert len(starts) == 1, (key, starts)
        page = pages[starts[0]]
        words = set(re.findall(r"[A-Z]{1,2}[CPLF]\d+", page))
        assert codes <= words, (key, sorted(codes - words))
        if key == "city":
            assert "（府）局級KPI對應其府級KPI；（應）局級策略主題對應之。" in page
        if measured:
            assert "圖例（狀態）" in page, key
            assert "● 達成" in page and "○ 未達成" in page, key


@pytest.mark.parametrize("plan", [PLAN_110, DEMO_110], ids=["data-110", "demo-110"])
def test_no_heading_is_the_last_thing_on_a_page(
    print_of: Callable[[Path], tuple[list[str], list[str]]], plan: Path
) -> None:
    pages, headings = print_of(plan)
    assert headings
    for number, page in enumerate(pages, start=1):
        lines = body_lines(page)
        assert lines, f"page {number} is empty"
        last = re.sub(r"\s+", " ", lines[-1])
        assert not any(last == re.sub(r"\s+", " ", heading) for heading in headings), (number, last)


HOSTILE_NAME = '產業局"; } </style><script>document.title="x"</script><style> @page { @top-left { content: "偽'
"""A department name that tries to end the running head's CSS string, its rule and the page's ``<style>``."""


def test_a_name_that_carries_css_and_markup_stays_text_in_the_running_head(
    browser: Any,  # noqa: F811
    plan: Path,
    tmp_path: Path,
) -> None:
    """The running head prints the data in CSS: a hostile name is escaped there, so the page keeps one
    ``<style>``, no script, and every printed page is headed by the name exactly as written."""
    department = plan / "departments" / "doed" / "department.yaml"
    text = department.read_text(encoding="utf-8").replace("name: 臺北市政府產業發展局", f"name: '{HOSTILE_NAME}'", 1)
    department.write_text(text, encoding="utf-8")
    run = stratmap("render", "--format", "html", "-o", tmp_path / "out", plan, cwd=plan.parent.parent)
    assert run.code == 0, run.err
    html = (tmp_path / "out" / "110.html").read_text(encoding="utf-8")
    assert html.count("</style>") == 1 and "<script" not in html
    pages, _ = printed(browser, tmp_path / "out" / "110.html", tmp_path / "110.pdf")
    expected = re.sub(r"\s+", " ", f"{HOSTILE_NAME} 110年度")
    for number, page in enumerate(pages, start=1):
        head = re.sub(r"\s+", " ", page.splitlines()[0].strip())
        assert head == expected, (number, head)
