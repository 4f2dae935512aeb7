"""``data/110`` holds every fact of the seed: compared, theme by theme, with the printed text.

The printed document is ``tests/fixtures/seed/seed.txt`` (a copy of the shared seed). Codes
the data corrects are mapped as ``data/110/ERRATA.md`` says, and nothing else is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FIXTURES, PLAN_110

SEED = (FIXTURES / "seed" / "seed.txt").read_text(encoding="utf-8")
DOED = PLAN_110 / "departments" / "doed"
ERRATA_CODES = {"BF2": "BF1", "CF2": "CF1", "DF2": "DF1", "DP4.": "DP4.1"}
ERRATA_NAMES = {"提升國際經貿交流連結": "提升國際經貿交流與連結"}
KPI_CODE = r"[A-Z][CPLF][0-9]+\.[0-9]*"
PLAN_CODE = r"[A-Z][CPLF][0-9]+\.[0-9]+\.[0-9]+"


def corrected(code: str) -> str:
    """The code as the data writes it: ``BF2.1`` -> ``BF1.1``; ``DP4.`` -> ``DP4.1``."""
    if code in ERRATA_CODES:
        return ERRATA_CODES[code]
    head, dot, tail = code.partition(".")
    return ERRATA_CODES.get(head, head) + dot + tail


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def printed_scorecards() -> dict[str, dict[str, Any]]:
    """Theme letter -> name, objectives, KPIs (refs, tags) and action plans, as printed."""
    themes: dict[str, dict[str, Any]] = {}
    sections = SEED.split("\n策略主題：")[1:]
    for section in sections:
        header = re.match(r"(\S+)\(([A-E])\)", section)
        assert header
        theme = {"name": header.group(1), "objectives": {}, "kpis": {}, "plans": {}}
        themes[header.group(2)] = theme
        objective = None
        for row in section.split("\n"):
            cells = row.split("\t")
            if len(cells) != 3 or cells[0] == "策略目標" or "構面" in cells[0]:
                continue
            first, kpi_cell, plans_cell = cells
            if first.strip():
                match = re.fullmatch(r"([A-Z][CPLF][0-9]+)(.+)", first.strip())
                assert match, first
                objective = corrected(match.group(1))
                theme["objectives"][objective] = ERRATA_NAMES.get(match.group(2), match.group(2))
            kpi = re.match(rf"({KPI_CODE})(.*)", kpi_cell.strip())
            assert kpi and objective, kpi_cell
            rest = kpi.group(2)
            refs = re.findall(r"府級KPI[：\s]*([A-Z][CPLF][0-9]+\.[0-9]+)", rest)
            tags = re.findall(r"\((非營業基金考核指標)\)", rest)
            name = re.sub(r"\s*\((府級KPI[^)]*|非營業基金考核指標)\)", "", rest).strip()
            code = corrected(kpi.group(1))
            theme["kpis"][code] = {"objective": objective, "name": name, "refs": refs, "tags": tags}
            for plan_code, plan_name in re.findall(rf"({PLAN_CODE})\s*(.+?)(?=\s+{PLAN_CODE}|$)", plans_cell.strip()):
                theme["plans"][corrected(plan_code)] = {"kpi": code, "name": plan_name.strip()}
    return themes


def data_theme(letter: str) -> dict[str, Any]:
    theme = load(DOED / f"theme-{letter.lower()}.yaml")
    result: dict[str, Any] = {"name": theme["name"], "objectives": {}, "kpis": {}, "plans": {}}
    for objective in theme["objectives"]:
        result["objectives"][objective["code"]] = objective["name"]
        for kpi in objective["kpis"]:
            result["kpis"][kpi["code"]] = {
                "objective": objective["code"],
                "name": kpi["name"],
                "refs": kpi.get("city_kpis", []),
                "tags": kpi.get("tags", []),
            }
            for plan in kpi["action_plans"]:
                result["plans"][plan["code"]] = {"kpi": kpi["code"], "name": plan["name"]}
    return result


PRINTED = printed_scorecards()


def test_five_themes_printed_and_in_data() -> None:
    assert sorted(PRINTED) == ["A", "B", "C", "D", "E"]
    assert sorted(p.name for p in DOED.glob("theme-*.yaml")) == [f"theme-{x}.yaml" for x in "abcde"]


@pytest.mark.parametrize("letter", "ABCDE")
def test_theme_matches_scorecard(letter: str) -> None:
    printed, data = PRINTED[letter], data_theme(letter)
    assert data["name"] == printed["name"]
    assert data["objectives"] == printed["objectives"]
    assert data["kpis"] == printed["kpis"]
    assert data["plans"] == printed["plans"]


def test_totals() -> None:
    kpis = [k for t in PRINTED.values() for k in t["kpis"].values()]
    assert sum(len(t["objectives"]) for t in PRINTED.values()) == 41
    assert len(kpis) == 45
    assert sum(len(t["plans"]) for t in PRINTED.values()) == 61
    assert sum(len(k["refs"]) for k in kpis) == 15
    assert sum(len(k["tags"]) for k in kpis) == 6


def test_department_map_slide_and_alignment() -> None:
    """The department strategy map slide: themes, 對應府級 alignment, every objective's name."""
    slide = SEED[SEED.index("產業發展局110年度策略地圖") : SEED.index("110年度平衡計分卡")]
    header = re.findall(r"([A-E]) (\S+) \(對應府級([A-Z][CPLF][0-9]+)\)", slide)
    assert len(header) == 5
    names = dict(re.findall(r"([A-E][CPLF][0-9]+) (\S+)", slide))
    for letter, name, aligned in header:
        theme = load(DOED / f"theme-{letter.lower()}.yaml")
        assert (theme["name"], theme["aligns_to"]) == (name, [aligned])
        assert {o["code"]: o["name"] for o in theme["objectives"]} == {
            code: text for code, text in names.items() if code[0] == letter
        }


def test_city_map() -> None:
    city = load(PLAN_110 / "city.yaml")
    slide = SEED[SEED.index("臺北市政府110年度策略地圖") : SEED.index("承接府級策略，發展")]
    assert city["title"] == "臺北市政府110年度策略地圖"
    assert f"【使命】\n{city['mission']}" in slide and f"【願景】\n{city['vision']}" in slide
    assert "、".join(city["core_values"]) in slide
    header = next(line for line in slide.splitlines() if line.startswith("策略主題\t"))
    themes = {code: name for name, code in re.findall(r"(\S+) ([A-H])\b", header)}
    assert len(themes) == 8
    assert {t["code"]: t["name"] for t in city["themes"]} == themes
    printed = dict(re.findall(r"([A-HT][CPLF][0-9]+) ?([^\s、A-Z]+)", slide))
    in_data = {o["code"]: o["name"] for t in city["themes"] for o in t["objectives"]}
    in_data |= {o["code"]: o["name"] for o in city["cross_cutting_objectives"]}
    assert in_data == printed
    assert len(printed) == 4 + 81


def test_city_kpis_listed_are_exactly_those_referenced() -> None:
    city = load(PLAN_110 / "city.yaml")
    listed = {k["code"] for t in city["themes"] for o in t["objectives"] for k in o.get("kpis") or []}
    listed |= {k["code"] for o in city["cross_cutting_objectives"] for k in o.get("kpis") or []}
    referenced = {r for t in PRINTED.values() for k in t["kpis"].values() for r in k["refs"]}
    assert listed == referenced


def test_department_frame() -> None:
    department = load(DOED / "department.yaml")
    assert department["document"]["title"] + "\n\n(" + department["document"]["edition"] + ")\n\n110年10月" in SEED
    assert f"使命\n\n{department['mission']}" in SEED and f"願景\n\n{department['vision']}" in SEED
    step3_values = re.split(r"[、\n]", "正直誠信、開放共享、創新卓越\n公平公益、永續發展、團結合作")
    assert "正直誠信、開放共享、創新卓越\n公平公益、永續發展、團結合作" in SEED
    assert sorted(department["core_values"]) == sorted(step3_values)
    assert "、".join(department["core_values"][:3]) + "\n" + "、".join(department["core_values"][3:]) in SEED
    assert department["city_roles"] == {"lead": ["D"], "member": ["A", "B"], "note": "以五大策略主題承接府級施政願景"}
    steps = department["document"]["construction_steps"]
    assert [s["step"] for s in steps] == [1, 2, 3, 4, 5]
    for step in steps:
        assert step["name"] in SEED.replace("\n", "")
    assert len(steps[0]["inputs"]) == 4
    assert all(text.replace("\n", "") in SEED.replace("\n", "") for text in steps[0]["inputs"])


def test_policy_axes() -> None:
    department = load(DOED / "department.yaml")
    axes = re.findall(r"\((一|二|三|四|五)\)\n(\S+)\n(.+)\n", SEED)
    assert [(a["name"], a["english_name"]) for a in department["policy_axes"]] == [(n, e) for _, n, e in axes]
    block = SEED[SEED.index("推動策略") : SEED.index("\nTOWS分析\n")]
    printed = [line.strip() for line in block.splitlines()[1:] if line.strip()]
    assert [s for a in department["policy_axes"] for s in a["strategies"]] == printed


def test_tows() -> None:
    tows = load(DOED / "department.yaml")["tows"]
    assert tows["slogan"] in SEED
    factors = re.findall(r"([SWOT][1-9])\.\s*(.+?)(?=\s+[SWOT][1-9]\.|</p>)", SEED)
    in_data = [
        (f["code"], f["text"]) for group in ("strengths", "weaknesses", "opportunities", "threats") for f in tows[group]
    ]
    assert sorted(in_data) == sorted(factors)
    assert len(in_data) == 5 + 4 + 6 + 4
    for quadrant, title in (
        ("so", "掌握機會，發揮優勢"),
        ("wo", "掌握機會，改善劣勢"),
        ("st", "運用機會，弱化威脅"),
        ("wt", "改善劣勢，迴避威脅"),
    ):
        cell = SEED[SEED.index(f"【{title}】") :].split("\t")[0]
        printed = [(int(n), text) for n, text in re.findall(r"([0-9])\) (\S+)", cell)]
        assert tows["quadrants"][quadrant]["title"] == title
        assert [(s["number"], s["text"]) for s in tows["quadrants"][quadrant]["strategies"]] == printed


def test_every_text_in_the_data_is_printed_in_the_seed() -> None:
    """Nothing invented: each text value of data/110 stands in the seed (notes and ids aside)."""
    flat_seed = re.sub(r"\s+", "", SEED)
    skipped_keys = {
        "kind",
        "id",
        "note",
        "code",
        "perspective",
        "objective",
        "city_objective",
        "aligns_to",
        "city_kpis",
        "lead",
        "member",
    }

    def texts(value: Any, key: str = "") -> list[str]:
        if isinstance(value, dict):
            return [t for k, v in value.items() if k not in skipped_keys for t in texts(v, k)]
        if isinstance(value, list):
            return [t for item in value for t in texts(item, key)]
        return [value] if isinstance(value, str) else []

    for path in sorted(PLAN_110.rglob("*.yaml")):
        for text in texts(load(path)):
            assert re.sub(r"\s+", "", text) in flat_seed, f"{path.name}: {text!r} is not in the seed"
