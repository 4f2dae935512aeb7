"""Regenerate the README's screenshots (docs/images/) from data/110 and from the example plan with measures.

    python tools/screenshots.py            # needs the test extras (Playwright), Chromium and poppler-utils

Each picture is taken in a headless Chromium from the page ``stratmap render`` writes, at a desktop (1280 px)
or phone (390 px) width; the printed pages are Chromium's print of the same page, A4 landscape, turned into
pictures by pdftoppm. Nothing here is hand-edited: run it after a change to the pages and commit the result.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO / "docs" / "images"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]

SHOTS = [
    # (picture, plan, width, CSS selector of what to show)
    ("city-map-1280.png", "data/110", 1280, "#city-map .map-block"),
    ("department-map-1280.png", "data/110", 1280, "#doed-map"),
    ("alignment-1280.png", "data/110", 1280, "#alignment"),
    ("scorecard-390.png", "data/110", 390, "section.scorecard"),
    ("demo-city-map-1280.png", "examples/demo/data/110", 1280, "#city-map .map-block"),
    ("demo-department-map-1280.png", "examples/demo/data/110", 1280, "#doed-map"),
    ("demo-department-map-390.png", "examples/demo/data/110", 390, "#doed-map"),
    ("demo-summary-1280.png", "examples/demo/data/110", 1280, "#doed-summary"),
    ("demo-scorecard-1280.png", "examples/demo/data/110", 1280, "section.scorecard"),
]
PRINTED = [
    # (picture, plan, the page's heading that marks the printed page to show)
    ("print-department-map.png", "examples/demo/data/110", "臺北市政府產業發展局 110年策略地圖"),
]


def render(plan: str, out: Path) -> Path:
    """The HTML page of ``plan`` (a plan folder), written under ``out``."""
    command = [sys.executable, "-m", "stratmap", "render", "--format", "html", "-q", "-o", str(out), plan]
    subprocess.run(command, cwd=REPO, check=True)
    return out / f"{Path(plan).name}.html"


def printed_page(pdf: Path, heading: str) -> int:
    """The number of the printed page whose first lines hold ``heading``."""
    for number in range(1, 200):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True, text=True
        )
        if text.returncode != 0:
            break
        if heading in text.stdout.splitlines()[:4]:
            return number
    raise SystemExit(f"no printed page starts with {heading!r}")


def main() -> None:
    """Take every picture."""
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        work = Path(folder)
        pages = {plan: render(plan, work / str(index)) for index, plan in enumerate(sorted({s[1] for s in SHOTS}))}
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for picture, plan, width, selector in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
            page.goto(pages[plan].as_uri())
            page.locator(selector).first.screenshot(path=str(IMAGES / picture))
            page.close()
            print(f"wrote docs/images/{picture}")
        for picture, plan, heading in PRINTED:
            page = browser.new_page()
            page.goto(pages[plan].as_uri())
            pdf = work / f"{picture}.pdf"
            page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
            page.close()
            number = printed_page(pdf, heading)
            stem = work / "printed"  # pdftoppm -singlefile writes printed.png
            pages_png = ["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(number), "-l", str(number)]
            subprocess.run([*pages_png, str(pdf), str(stem)], check=True)
            shutil.copyfile(work / "printed.png", IMAGES / picture)
            print(f"wrote docs/images/{picture} (printed page {number})")
        browser.close()


if __name__ == "__main__":
    main()
