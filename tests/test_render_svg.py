"""The strategy maps drawn as SVG (issue 13): boxes in lanes and columns, words wrapped, escaped, linked,
coloured by status with the status in words, arrows for cause and effect, and files of their own."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conftest import DOED, REPO, edit, stratmap
from stratmap.rendering.svg import BOX, PAD, MapWords, plan_maps, text_width, wrap, xml
from stratmap.rendering.words import PageWords

PLAN_110 = REPO / "data" / "110"
DEMO = REPO / "examples" / "demo" / "data"
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert('x')</script> & \"quoted\" 'single' ]]> <!--"
LONG = "策略地圖" * 100 + "x" * 100  # 500 characters


def render(out: Path, *args: str | Path, cwd: Path = REPO) -> list[str]:
    run = stratmap("render", "--format", "html", "-o", out, *args, cwd=cwd)
    assert run.code == 0, run.err
    return run.out.splitlines()


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("svg")
    render(out)
    return out


def parse(path: Path) -> ElementTree.Element:
    return ElementTree.parse(path).getroot()


def boxes(root: ElementTree.Element) -> list[tuple[str, dict[str, str], dict[str, float]]]:
    """Every objective box: its link, its data and its rectangle."""
    found = []
    for link in root.iter(f"{SVG}a"):
        group = link.find(f"{SVG}g")
        assert group is not None
        if "objective" not in group.get("class", ""):
            continue
        rect = group.find(f"{SVG}rect")
        assert rect is not None
        place = {name: float(rect.get(name, "0")) for name in ("x", "y", "width", "height")}
        data = {key[5:]: value for key, value in group.attrib.items() if key.startswith("data-")}
        found.append((link.get("href", ""), data, place))
    return found


def test_files_are_written_and_listed(tmp_path: Path) -> None:
    shutil.copytree(PLAN_110, tmp_path / "data" / "110")
    lines = render(tmp_path / "site", cwd=tmp_path)
    assert lines == ["wrote site/110.html", "wrote site/110-city-map.svg", "wrote site/110-doed-map.svg"]
    for name in ("110-city-map.svg", "110-doed-map.svg"):
        text = (tmp_path / "site" / name).read_text(encoding="utf-8")
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
        assert "<script" not in text
    markdown = stratmap("render", "--format", "markdown", "-o", tmp_path / "md", cwd=tmp_path)
    assert markdown.out == "wrote md/110.md\n", "Markdown output has no drawings"


def test_every_department_objective_is_one_box_in_its_lane_and_column(maps: Path) -> None:
    root = parse(maps / "110-doed-map.svg")
    assert root.get("role") is None and root.get("aria-label") and root.get("viewBox", "").startswith("0 0 ")
    themes = "".join(p.read_text(encoding="utf-8") for p in (PLAN_110 / DOED).glob("theme-*.yaml"))
    codes = re.findall(r"code: ([A-E][CPLF][0-9]+)\b(?!\.)", themes)
    found = boxes(root)
    assert sorted(data["code"] for _, data, _ in found) == sorted(set(codes))
    assert len(found) == len(codes) == len(set(codes)), "each objective exactly once"
    for href, data, _ in found:
        assert href == f"110.html#doed:{data['code']}"
        assert data["perspective"] == data["code"][1] and data["theme"] == data["code"][0]
    lanes = {rect.get("data-lane"): rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "lane"}
    assert list(lanes) == ["C", "P", "L", "F"], "the document's order: 顧客, 內部流程, 學習成長, 財務"
    tops = [float(lanes[p].get("y", "0")) for p in "CPLF"]
    assert tops == sorted(tops)
    by_theme: dict[str, set[float]] = {}
    by_row: dict[tuple[str, int], set[float]] = {}
    heights: dict[str, set[float]] = {}
    for _, data, place in found:
        by_theme.setdefault(data["theme"], set()).add(place["x"])
        heights.setdefault(data["perspective"], set()).add(place["height"])
        lane = lanes[data["perspective"]]
        top, bottom = float(lane.get("y", "0")), float(lane.get("y", "0")) + float(lane.get("height", "0"))
        assert top <= place["y"] and place["y"] + place["height"] <= bottom, data
        rank = sorted(
            p["y"] for _, d, p in found if d["theme"] == data["theme"] and d["perspective"] == data["perspective"]
        )
        by_row.setdefault((data["perspective"], rank.index(place["y"])), set()).add(place["y"])
    assert all(len(xs) == 1 for xs in by_theme.values()), "a theme's boxes share a column"
    assert all(len(ys) == 1 for ys in by_row.values()), "the boxes of a lane row share its y"
    assert all(len(hs) == 1 for hs in heights.values()), "the boxes of a lane share one height"
    assert sorted(by_theme) == list("ABCDE")


def test_city_map_has_the_cross_cutting_band_on_top(maps: Path) -> None:
    root = parse(maps / "110-city-map.svg")
    found = boxes(root)
    band = [(data, place) for _, data, place in found if data["perspective"] == "TC"]
    assert [data["code"] for data, _ in band] == ["TC1", "TC2", "TC3", "TC4"]
    assert max(place["y"] for _, place in band) < min(place["y"] for _, d, place in found if d["perspective"] != "TC")
    headers = [g for g in root.iter(f"{SVG}g") if "header" in g.get("class", "")]
    assert [g.get("data-theme") for g in headers] == list("ABCDEFGH")
    assert min(place["y"] for _, place in band) < min(float(g[1].get("y", "0")) for g in headers)
    marks = MapWords.of(PageWords())
    fed = [g for g in root.iter(f"{SVG}g") if g.get("data-code") == "TC3"]
    assert marks.fed in "".join(fed[0].itertext()), "a city objective a department KPI feeds is marked"


def test_the_page_shows_the_drawings_inline(maps: Path) -> None:
    page = (maps / "110.html").read_text(encoding="utf-8")
    city = page[page.index('<section id="city-map"') : page.index('<section id="alignment"')]
    department = page[
        page.index('<section id="doed-map"') : page.index("</section>", page.index('<section id="doed-map"'))
    ]
    for section in (city, department):
        assert section.count("<svg ") == 1 and 'aria-label="' in section and "<?xml" not in section
    assert '<a href="#doed:AC1" class="objective">' in department, "links to the scorecard row on the page"
    assert 'class="map-table"' in page, "the table stays, folded, for reading aloud and copying"


def test_names_are_escaped_and_long_names_wrapped(tmp_path: Path) -> None:
    plan = tmp_path / "data" / "110"
    shutil.copytree(PLAN_110, plan)
    edit(plan / DOED / "theme-b.yaml", "name: 扶植創新創業平台\n", f"name: {LONG}\n")
    edit(
        plan / DOED / "theme-b.yaml",
        "name: 整合資源推動創業契機\n",
        f"name: '{HOSTILE.replace(chr(39), chr(39) * 2)}'\n",
    )
    render(tmp_path / "out", cwd=tmp_path)
    text = (tmp_path / "out" / "110-doed-map.svg").read_text(encoding="utf-8")
    root = ElementTree.fromstring(text.encode("utf-8"))  # well-formed
    assert "<script" not in text and "&lt;script&gt;" in text and "&amp; &quot;quoted&quot; &#39;single&#39;" in text
    page = (tmp_path / "out" / "110.html").read_text(encoding="utf-8")
    assert "<script" not in page
    (long_box,) = [g for g in root.iter(f"{SVG}g") if g.get("data-code") == "BC2"]
    rect = long_box.find(f"{SVG}rect")
    assert rect is not None
    lines = [t for t in long_box.iter(f"{SVG}text")]
    words = "".join("".join(t.itertext()) for t in lines[1:])
    assert words == LONG, "the whole name, wrapped, nothing lost"
    for line in lines:
        size = float(line.get("font-size", "0"))
        assert (
            float(line.get("x", "0")) + text_width("".join(line.itertext()), size)
            <= float(rect.get("x", "0")) + BOX - PAD + 0.01
        )
        assert float(line.get("y", "0")) < float(rect.get("y", "0")) + float(rect.get("height", "0"))
    lane_mates = [
        g for g in root.iter(f"{SVG}g") if g.get("data-perspective") == "C" and "objective" in g.get("class", "")
    ]
    assert {g[1].get("height") for g in lane_mates} == {rect.get("height")}, "the lane grows with its tallest box"


def test_wrap_breaks_cjk_anywhere_and_words_at_spaces() -> None:
    assert wrap("提升公司與商業登記服務品質", 12 * 14, 14) == ["提升公司與商業登記服務品", "質"]
    assert wrap("Smart City pilot projects", 100, 14) == ["Smart City", "pilot", "projects"]
    assert all(text_width(line, 14) <= 50 for line in wrap("x" * 300, 50, 14))
    assert wrap("長" * 1000, 100, 14, max_lines=3)[-1].endswith("…")
    assert xml("a\x01<&>\"'") == "a\ufffd&lt;&amp;&gt;&quot;&#39;"


def test_measured_plan_has_a_legend_and_status_words_in_every_coloured_box(tmp_path: Path) -> None:
    render(tmp_path, "--year", "110", DEMO)
    text = (tmp_path / "110-doed-map.svg").read_text(encoding="utf-8")
    root = ElementTree.fromstring(text.encode("utf-8"))
    legend = [g for g in root.iter(f"{SVG}g") if g.get("class") == "map-legend"]
    assert len(legend) == 1
    legend_text = "".join(legend[0].itertext())
    for word in ("達成", "接近", "未達成", "無資料", "●", "◐", "○"):
        assert word in legend_text
    coloured = [link for link in root.iter(f"{SVG}a") if "status-" in link.get("class", "")]
    assert len(coloured) >= 20
    for link in coloured:
        key = re.search(r"status-([a-z_]+)", link.get("class", ""))
        assert key is not None
        drawn = "".join(t for text_element in link.iter(f"{SVG}text") for t in text_element.itertext())
        assert re.search("(達成|接近|未達成|無資料)", drawn), "the status in words, not colour alone"
    # Inline, the page's own legend serves the drawing: no second legend inside it.
    page = (tmp_path / "110.html").read_text(encoding="utf-8")
    assert "map-legend" not in page and 'class="legend"' in page


def test_unmeasured_plan_has_no_legend(maps: Path) -> None:
    text = (maps / "110-doed-map.svg").read_text(encoding="utf-8")
    assert "map-legend" not in text and "status-" not in text


def test_edges_are_drawn_as_arrows_between_box_edges() -> None:
    from stratmap.config import Settings
    from stratmap.pipeline import open_plan
    from stratmap.rendering.view import plan_view

    result = open_plan([PLAN_110], None, REPO, Settings())
    assert result.graph is not None
    view = plan_view(result.graph)
    edges = [("AL1", "AP1"), ("AP1", "AC1"), ("doed:AC1", "AC2"), ("AF1", "NOPE")]
    drawn = plan_maps(view, PageWords(), {"doed": edges}, standalone=True)["doed"]
    root = ElementTree.fromstring(drawn.encode("utf-8"))
    marker = root.find(f"{SVG}defs/{SVG}marker")
    assert marker is not None and marker.get("id") == "doed-arrow"
    paths = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]
    assert [(p.get("data-from"), p.get("data-to")) for p in paths] == [("AL1", "AP1"), ("AP1", "AC1"), ("AC1", "AC2")]
    places = {data["code"]: place for _, data, place in boxes(root)}
    for path in paths:
        assert path.get("marker-end") == "url(#doed-arrow)"
        numbers = [float(n) for n in re.findall(r"-?[0-9.]+", path.get("d", ""))]
        start, end = places[path.get("data-from", "")], places[path.get("data-to", "")]
        assert numbers[1] in (start["y"], start["y"] + start["height"]), "leaves from the box's edge"
        assert numbers[3] in (end["y"], end["y"] + end["height"]), "arrives at the box's edge"
    assert plan_maps(view, PageWords(), {"doed": edges}, standalone=True)["doed"] == drawn, "deterministic"
    assert "<marker" not in plan_maps(view, PageWords())["doed"], "no edges, no arrows"


def test_drives_links_of_the_data_are_arrows_between_the_right_boxes(plan: Path) -> None:
    """``drives:`` in the YAML (AL1 supports AP1, AP1 supports AC1) comes out of ``stratmap render`` as an
    arrow from the supporting box's edge to the supported box's edge, on the page and in the SVG file."""
    theme = plan / DOED / "theme-a.yaml"
    edit(theme, "    name: 培育優秀人力\n", "    name: 培育優秀人力\n    drives: [AP1]\n")
    edit(theme, "    name: 提升國際經貿交流與連結\n", "    name: 提升國際經貿交流與連結\n    drives: [AC1]\n")
    cwd = plan.parent.parent
    assert stratmap("validate", "--strict", cwd=cwd).code == 0
    assert stratmap("render", "-o", "site", cwd=cwd).code == 0
    root = ElementTree.fromstring((cwd / "site" / "110-doed-map.svg").read_bytes())
    paths = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]
    assert [(p.get("data-from"), p.get("data-to")) for p in paths] == [("AP1", "AC1"), ("AL1", "AP1")]  # document order
    places = {data["code"]: place for _, data, place in boxes(root)}
    for path in paths:
        x1, y1, x2, y2 = (float(n) for n in re.findall(r"-?[0-9.]+", path.get("d", "")))
        start, end = places[path.get("data-from", "")], places[path.get("data-to", "")]
        assert start["x"] <= x1 <= start["x"] + start["width"] and y1 in (start["y"], start["y"] + start["height"])
        assert end["x"] <= x2 <= end["x"] + end["width"] and y2 in (end["y"], end["y"] + end["height"])
    page = (cwd / "site" / "110.html").read_text(encoding="utf-8")
    assert page.count('class="edge"') == 2, "the page's drawing has the same arrows"
    assert 'class="edge"' not in (REPO / "tests" / "golden" / "render" / "110.html").read_text(encoding="utf-8")
