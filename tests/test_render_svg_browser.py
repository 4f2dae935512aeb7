"""The SVG strategy maps in a real headless Chromium (issue 13), at a desktop and a phone width: visible,
every objective box inside its lane and its column, and no line of text outside its box.

Uses the browser and page fixtures of ``test_render_browser`` (skipped without Chromium, failed in CI)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from test_render_browser import browser, page_path  # noqa: F401 - pytest fixtures, used by name

GEOMETRY = """() => {
  const maps = [...document.querySelectorAll('svg.map-svg')];
  const problems = [];
  let objectives = 0;
  for (const svg of maps) {
    const own = svg.getBoundingClientRect();
    if (!(own.width > 0 && own.height > 0) || getComputedStyle(svg).visibility === 'hidden') {
      problems.push({hidden: svg.dataset.map});
    }
    const lanes = {};
    for (const lane of svg.querySelectorAll('rect.lane')) lanes[lane.dataset.lane] = lane.getBoundingClientRect();
    const columns = {};
    for (const header of svg.querySelectorAll('g.header')) {
      columns[header.dataset.theme] = header.querySelector('rect').getBoundingClientRect();
    }
    for (const group of svg.querySelectorAll('g.box')) {
      const rect = group.querySelector('rect');
      const box = rect.getBoundingClientRect();
      const local = rect.getBBox();
      if (group.classList.contains('objective')) {
        objectives += 1;
        const lane = lanes[group.dataset.perspective];
        if (!lane || box.top < lane.top - 0.5 || box.bottom > lane.bottom + 0.5) {
          problems.push({notInLane: group.dataset.code});
        }
        const column = columns[group.dataset.theme];
        if (group.dataset.theme && (!column || box.left < column.left - 0.5 || box.right > column.right + 0.5)) {
          problems.push({notInColumn: group.dataset.code});
        }
      }
      for (const text of group.querySelectorAll('text')) {
        const t = text.getBBox();
        if (t.x < local.x - 0.5 || t.y < local.y - 0.5 || t.x + t.width > local.x + local.width + 0.5
            || t.y + t.height > local.y + local.height + 0.5) {
          const where = group.dataset.code || group.dataset.lane || group.dataset.theme;
          problems.push({overflow: text.textContent.slice(0, 30), where, text: [t.x, t.y, t.width, t.height],
            box: [local.x, local.y, local.width, local.height]});
        }
      }
    }
  }
  return {maps: maps.map(svg => svg.dataset.map), objectives, problems,
          scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_maps_are_drawn_with_boxes_in_lanes_and_columns_and_no_overflow(
    browser: Any,  # noqa: F811
    page_path: Path,  # noqa: F811
    width: int,
) -> None:
    for url in (page_path, page_path.with_name("110-doed-map.svg"), page_path.with_name("110-city-map.svg")):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url.as_uri())
        page.wait_for_load_state("load")
        shown = page.evaluate(GEOMETRY)
        page.close()
        if url.suffix == ".html":
            assert shown["maps"] == ["city", "doed"]
            assert shown["scrollWidth"] <= shown["viewport"], "the page is no wider than the screen"
        assert shown["objectives"] >= 40
        assert shown["problems"] == [], f"{url.name} at {width} px"
