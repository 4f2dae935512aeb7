"""The Markdown page's strategy-map diagrams, drawn by the real Mermaid library as GitHub draws them (Mermaid 11,
strict security, in headless Chromium), and the page's table of contents.

GitHub draws a Mermaid diagram no wider than its text column, scaled down: a diagram must be narrow at its natural
size to be read there. So each theme of a department map has its own diagram, its perspectives stacked as lanes.
``.ci/run`` installs Debian's ``chromium`` and ``fonts-noto-cjk``, then ``mermaid@11`` under ``build/node/``.
A drawn diagram is saved under ``build/screenshots/`` for people to look at.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from conftest import DOED, PLAN_110, REPO, edit, stratmap
from stratmap.reporting.escaping import mermaid_label
from test_render_browser import SCREENSHOTS, browser, require  # noqa: F401 - browser: a pytest fixture

MERMAID_JS = REPO / "build" / "node" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
"""Mermaid 11, as GitHub draws it; ``.ci/run`` installs it with npm (``npm install --prefix build/node mermaid@11``)."""
DEMO = REPO / "examples" / "demo" / "data"
"""The example plan with invented values (示範資料), measured: its diagrams carry status words and colours."""
MAX_WIDTH = 1000
"""About the width of GitHub's text column: a wider diagram is scaled down until its text is too small to read."""
LANES = {"顧客": "C", "內部流程": "P", "學習成長": "L", "財務": "F"}
"""The perspectives in the document's order, top to bottom, as the Chinese page names its lanes (「顧客 C」)."""

DRAW = """async (texts) => {
  mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
  const drawn = [];
  for (const [index, text] of texts.entries()) {
    const {svg} = await mermaid.render(`diagram${index}`, text);
    const holder = document.createElement('div');
    holder.innerHTML = svg;
    document.body.append(holder);
    const root = holder.querySelector('svg');
    const box = element => {
      const r = element.getBoundingClientRect();
      return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    };
    const labels = [...root.querySelectorAll('.nodeLabel')];
    drawn.push({
      width: root.viewBox.baseVal.width,
      maxWidth: root.style.maxWidth,
      clusters: [...root.querySelectorAll('g.cluster')].map(cluster => ({
        label: cluster.querySelector('.cluster-label').textContent.replace(/\\u2060/g, '').trim(),
        ...box(cluster.querySelector('rect')),
      })),
      nodes: [...root.querySelectorAll('g.node')].map(node => ({
        label: node.textContent.replace(/\\u2060/g, '').trim(),
        ...box(node),
      })),
      labels: labels.map(label => label.textContent.replace(/\\u2060/g, '')),
      hidden: labels.filter(label => getComputedStyle(label).display === 'none' || !label.getClientRects().length)
        .length,
      style: root.querySelector('style').textContent,
      elements: [...root.querySelectorAll('*')].map(element => element.localName),
    });
  }
  return drawn;
}"""


def diagrams(markdown: str) -> list[str]:
    """The Mermaid diagrams of a Markdown page, in the page's order."""
    return re.findall(r"```mermaid\n(.*?)```", markdown, re.DOTALL)


def draw_all(browser: Any, texts: list[str], folder: Path, screenshot: str | None = None) -> list[dict[str, Any]]:
    """Draw Mermaid diagrams in a page from file://, as GitHub does (strict security), loading nothing else;
    ``screenshot``: save the page, in a column as wide as GitHub's, under that name in ``build/screenshots/``."""
    require("mermaid (npm)", MERMAID_JS.is_file())
    html_page = folder / "mermaid.html"
    html_page.write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><script src="{MERMAID_JS.as_uri()}"></script>'
        '<body style="max-width: 880px; margin: 16px auto; font-family: sans-serif"></body>\n',
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(html_page.as_uri())
    drawn: list[dict[str, Any]] = page.evaluate(DRAW, texts)
    assert requests == [html_page.as_uri(), MERMAID_JS.as_uri()], "Mermaid must load nothing from the network"
    if screenshot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / screenshot), full_page=True)
    page.close()
    return drawn


def draw(browser: Any, diagram: str, folder: Path) -> dict[str, Any]:
    """One diagram, drawn."""
    (drawn,) = draw_all(browser, [diagram], folder)
    return drawn


def department_maps(plan: Path) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Each department's themes in the document's order (A, B, …), each with its objectives' perspectives
    (``{"AC1": "C", …}``), read from the YAML files themselves, not from the page."""
    maps: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for folder in sorted((plan / "departments").iterdir()):
        department = yaml.safe_load((folder / "department.yaml").read_text(encoding="utf-8"))
        themes = []
        for path in sorted(folder.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if data.get("kind") == "theme":
                objectives = {o["code"]: LANES.get(o["perspective"], o["perspective"]) for o in data["objectives"]}
                themes.append((data["code"], objectives))
        maps[department["id"]] = sorted(themes)
    return maps


def department_sections(markdown: str) -> dict[str, str]:
    """Each department's part of a Markdown page, by the department's id (its ``## `` heading's anchor)."""
    parts = re.split(r'\n<a id="([^"]+)"></a>\n\n## ', markdown)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def inside(node: dict[str, Any], cluster: dict[str, Any]) -> bool:
    return bool(
        cluster["left"] <= node["left"]
        and node["right"] <= cluster["right"]
        and cluster["top"] <= node["top"]
        and node["bottom"] <= cluster["bottom"]
    )


def map_problems(drawn: list[dict[str, Any]], themes: list[tuple[str, dict[str, str]]]) -> list[str]:
    """How a department's drawn diagrams fail the map: too wide, an objective missing or outside its lane, lanes
    not in the order C, P, L, F top to bottom, themes not in the document's order."""
    problems = []
    seen_themes = []
    for number, diagram in enumerate(drawn, 1):
        width = max(diagram["width"], float(diagram["maxWidth"].removesuffix("px") or "inf"))
        if not 0 < width <= MAX_WIDTH:
            problems.append(f"diagram {number} is {width} px wide at natural size")
        lanes = [c for c in diagram["clusters"] if c["label"].split(" ")[0] in LANES]
        theme_boxes = sorted(
            (c for c in diagram["clusters"] if re.match(r"[A-Z] ", c["label"])), key=lambda c: (c["top"], c["left"])
        )
        for theme_box in theme_boxes:
            code = theme_box["label"].split(" ")[0]
            seen_themes.append(code)
            own = sorted((lane for lane in lanes if inside(lane, theme_box)), key=lambda lane: lane["top"])
            order = [lane["label"].split(" ")[-1] for lane in own]
            if order != sorted(order, key="CPLF".index) or len(set(order)) != len(order):
                problems.append(f"theme {code}: lanes {order} top to bottom, not in the order C, P, L, F")
            for earlier, later in zip(own, own[1:], strict=False):
                if earlier["bottom"] > later["top"]:
                    problems.append(f"theme {code}: lanes {earlier['label']} and {later['label']} overlap")
            expected = dict(themes).get(code, {})
            shown = {}
            for node in diagram["nodes"]:
                if inside(node, theme_box):
                    lane = next((lane["label"].split(" ")[-1] for lane in own if inside(node, lane)), "no lane")
                    shown[node["label"].split(" ")[0]] = lane
            if shown != expected:
                problems.append(f"theme {code}: objectives by lane {shown}, expected {expected}")
    if seen_themes != [code for code, _ in themes]:
        problems.append(f"themes {seen_themes}, expected {[code for code, _ in themes]} in the document's order")
    return problems


def check_page(browser: Any, page: Path, plan: Path, screenshot: str) -> None:
    """Every department map of ``page`` (rendered from ``plan``) drawn narrow, with lanes, whole and in order."""
    sections = department_sections(page.read_text(encoding="utf-8"))
    maps = department_maps(plan)
    assert maps and set(maps) <= set(sections), f"departments {sorted(maps)} not all on the page"
    for department, themes in maps.items():
        texts = diagrams(sections[department])
        assert texts, f"{department}: no diagram"
        drawn = draw_all(browser, texts, page.parent, screenshot=f"{screenshot}-{department}.png")
        problems = map_problems(drawn, themes)
        assert problems == [], f"{department}: {problems}"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Markdown pages of data/110 and of the example plan (110 and 111, measured)."""
    found = {}
    out = tmp_path_factory.mktemp("md")
    run = stratmap("render", "--format", "markdown", "-o", out / "110")
    assert run.code == 0, run.err
    found["110"] = out / "110" / "110.md"
    run = stratmap("render", "--format", "markdown", "-o", out / "demo", DEMO)
    assert run.code == 0, run.err
    for year in ("110", "111"):
        found[f"demo-{year}"] = out / "demo" / f"{year}.md"
    return found


@pytest.mark.parametrize(("page", "plan"), [("110", PLAN_110), ("demo-110", DEMO / "110"), ("demo-111", DEMO / "111")])
def test_department_maps_are_narrow_diagrams_with_lanes(
    browser: Any, pages: dict[str, Path], page: str, plan: Path
) -> None:
    """Each diagram ≤ 1,000 px wide at natural size; every objective of a department map in its theme's box and its
    perspective's lane; lanes C, P, L, F top to bottom; themes in the document's order."""
    check_page(browser, pages[page], plan, f"markdown-{page}-mermaid")


def test_the_check_finds_a_wide_diagram_and_lanes_out_of_order(browser: Any, pages: dict[str, Path]) -> None:
    """The checks are real: one diagram for every theme is too wide; lanes stacked F, L, P, C are out of order."""
    (themes,) = department_maps(PLAN_110).values()
    texts = diagrams(department_sections(pages["110"].read_text(encoding="utf-8"))[DOED.name])
    joined = "flowchart LR\n" + "".join(text.removeprefix("flowchart TB\n") for text in texts)
    problems = map_problems(draw_all(browser, [joined], pages["110"].parent), themes)
    assert any("px wide" in problem for problem in problems), problems
    upside_down = [re.sub(r"(doed_[A-Z]_)([CPLF]) ~~~ (doed_[A-Z]_)([CPLF])", r"\3\4 ~~~ \1\2", t) for t in texts]
    problems = map_problems(draw_all(browser, upside_down, pages["110"].parent), themes)
    assert any("not in the order C, P, L, F" in problem for problem in problems), problems


def contents_problems(markdown: str) -> list[str]:
    """The ``##`` and ``###`` headings without an anchor just above them that the table of contents links to."""
    lines = markdown.splitlines()
    first = next(index for index, line in enumerate(lines) if line.startswith("## "))
    contents = [line for line in lines[:first] if re.match(r"\s*- \[", line)]
    problems = []
    for index, line in enumerate(lines):
        if re.match(r"#{2,3} ", line):
            anchor = re.fullmatch(r'<a id="([^"]+)"></a>', lines[index - 2]) if lines[index - 1] == "" else None
            target = f"](#{quote(anchor.group(1), safe=':.')})" if anchor else None
            if target is None or not any(target in entry for entry in contents):
                problems.append(line)
    return problems


@pytest.mark.parametrize("page", ["110", "demo-110", "demo-111"])
def test_the_contents_list_every_section(pages: dict[str, Path], page: str) -> None:
    markdown = pages[page].read_text(encoding="utf-8")
    assert contents_problems(markdown) == []
    assert len(re.findall(r"(?m)^#{2,3} ", markdown)) >= 10
    # The check is real: a heading without its entry is found.
    broken = markdown.replace("(#doed-tows)", "", 1)
    assert contents_problems(broken) == ["### TOWS分析"]


# --- Names that try to act: text only ------------------------------------------------------------------

MERMAID_NAMES = {
    ("theme-b.yaml", "name: 打造創業搖籃\n"): '%%{init: {"theme":"dark"}}%% 打造創業搖籃',
    ("theme-b.yaml", "name: 協助新創事業發展\n"): (
        "%%{init: {'themeCSS': '.nodeLabel, .cluster-label {display:none}'}}%% 全部達成 ALL TARGETS MET"
    ),
    ("theme-b.yaml", "name: 發展創業孵化空間\n"): "#quot;q#quot; it's <b>bold</b> `tick` [a](b) 50% & #35; a:b; {c}",
    ("theme-b.yaml", "name: 培育優秀人力\n"): "ﬂ°°60¶ß stand-ins %% comment %%",
}


def theme_diagram(markdown: str, theme: str) -> str:
    """The diagram of one theme (``doed_B``)."""
    (diagram,) = [text for text in diagrams(markdown) if f"  subgraph {theme}[" in text]
    return diagram


def test_mermaid_shows_names_as_written_and_obeys_no_directive_in_them(browser: Any, plan: Path) -> None:
    """Mermaid obeys ``%%{init: ...}%%`` anywhere and decodes ``#quot;``: names must reach it as plain text."""
    for (file, old), new in MERMAID_NAMES.items():
        edit(plan / DOED / file, old, f"name: {json.dumps(new, ensure_ascii=False)}\n")
    cwd = plan.parent.parent
    run = stratmap("render", "--format", "markdown", "-o", "md", cwd=cwd)
    assert run.code == 0, run.err
    markdown = (cwd / "md" / "110.md").read_text(encoding="utf-8")
    diagram = theme_diagram(markdown, "doed_B")
    drawn = draw(browser, diagram, cwd)
    labels = " | ".join(drawn["labels"] + [cluster["label"] for cluster in drawn["clusters"]])
    for name in MERMAID_NAMES.values():
        assert name in labels, f"{name!r} is not shown as written: {labels}"
    assert "%%{init" in labels
    assert drawn["hidden"] == 0, "a directive in a name hid labels"
    assert "display:none" not in drawn["style"].replace(" ", ""), "a directive in a name injected CSS"
    assert "#ECECFF" in drawn["style"], "the default theme is drawn, not one a name chose"
    assert {"script", "b", "img"}.isdisjoint(drawn["elements"])

    # The check is real: the CSS directive, escaped only as before (&, ", <, >), hides the labels.
    name = MERMAID_NAMES[("theme-b.yaml", "name: 協助新創事業發展\n")]
    weak = name
    for char, entity in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        weak = weak.replace(char, entity)
    assert mermaid_label(name) in diagram
    hijacked = draw(browser, diagram.replace(mermaid_label(name), weak), cwd)
    assert hijacked["hidden"] > 0 and "display:none" in hijacked["style"].replace(" ", "")


def test_measured_mermaid_diagram_is_drawn_with_status_classes(browser: Any, tmp_path: Path) -> None:
    """The Markdown page's diagrams, coloured by classDef, draw in Mermaid with the status words in the boxes;
    each diagram colours only its own boxes."""
    from test_render_scores import measured_plan

    plan = tmp_path / "data" / "110"
    shutil.copytree(PLAN_110, plan)
    measured_plan(plan)
    run = stratmap("render", "--format", "markdown", "-o", "md", cwd=tmp_path)
    assert run.code == 0, run.err
    markdown = (tmp_path / "md" / "110.md").read_text(encoding="utf-8")
    diagram = theme_diagram(markdown, "doed_A")
    drawn = draw(browser, diagram, tmp_path)
    labels = " | ".join(drawn["labels"])
    assert "AC2 提升公司與商業登記服務品質 ◐ 接近 96.0%" in labels
    assert "AP1.2" not in labels and "AC1 加強與企業或產業團體交流 ● 達成 100.0%" in labels
    assert "BC1" not in diagram, "theme B's boxes are not in theme A's diagram, nor in its classes"
    style = drawn["style"].replace(" ", "")
    assert ".met" in style and "rgb(228,243,234)" in style, "met boxes are green"
    assert ".missed" in style and "rgb(252,233,231)" in style, "missed boxes are red"
