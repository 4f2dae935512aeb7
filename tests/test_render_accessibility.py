"""axe-core, the accessibility engine browsers' audits use, on the rendered pages in a real Chromium at a desktop
and a phone width (issue 13): no violation, the WCAG 2.2 touch-target rule included.

``.ci/run`` installs ``axe-core@4`` with npm under ``build/node/`` (beside Mermaid)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import PLAN_110, REPO, stratmap
from test_render_browser import browser, require  # noqa: F401 - pytest fixture, used by name

AXE_JS = REPO / "build" / "node" / "node_modules" / "axe-core" / "axe.min.js"
DEMO_110 = REPO / "examples" / "demo" / "data" / "110"

RUN_AXE = """async () => {
  const result = await axe.run(document, {
    resultTypes: ['violations'],
    rules: {'target-size': {enabled: true}, 'region': {enabled: true}},
  });
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    where: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').slice(0, 240)),
  }));
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """data/110's page and the measured example plan's, rendered to HTML."""
    found = {}
    for name, plan in (("data-110", PLAN_110), ("demo-110", DEMO_110)):
        out = tmp_path_factory.mktemp(name)
        run = stratmap("render", "--format", "html", "-o", out, plan)
        assert run.code == 0, run.err
        found[name] = out / "110.html"
    return found


def violations(browser: Any, page_file: Path, width: int) -> list[dict[str, Any]]:  # noqa: F811
    """What axe-core finds wrong with ``page_file`` at ``width`` CSS pixels."""
    require("axe-core (npm)", AXE_JS.is_file())
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(page_file.as_uri())
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
        found: list[dict[str, Any]] = page.evaluate(RUN_AXE)
        return found
    finally:
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["data-110", "demo-110"])
def test_axe_finds_no_violation(browser: Any, pages: dict[str, Path], name: str, width: int) -> None:  # noqa: F811
    assert violations(browser, pages[name], width) == []


def test_axe_would_see_unreadable_links_and_small_targets(
    browser: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The check can fail: links told by colour alone and 16 px targets, as the page had them before."""
    page_file = tmp_path / "bad.html"
    page_file.write_text(
        '<!DOCTYPE html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>t</title>'
        "<style>a{color:#0b5cad;text-decoration:none} body{color:#1d2430}"
        " .t a{display:inline-block;width:16px;height:16px}"
        '</style></head><body><main><p>文字 <a href="#x">連結</a> 文字</p>'
        '<div class="t"><a href="#a">A</a><a href="#b">B</a><a href="#c">C</a></div></main></body></html>',
        encoding="utf-8",
    )
    rules = {v["rule"] for v in violations(browser, page_file, 1280)}
    assert {"link-in-text-block", "target-size"} <= rules
