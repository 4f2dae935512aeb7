"""``stratmap trace`` and ``stratmap coverage`` through the real CLI: what a user reads, not only exit codes."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, copy_plan, edit, stratmap
from test_bad_input import snapshot
from test_second_department import add_second_department

GOLDEN = Path(__file__).resolve().parent / "golden" / "trace"


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["id"] for node in nodes]


@pytest.mark.parametrize(
    ("query", "fmt", "golden"),
    [
        ("DP2.2", "text", "DP2.2.txt"),
        ("TC3.1", "text", "TC3.1.txt"),
        ("DP2.1", "text", "DP2.1.txt"),
        ("city:DP2.1", "text", "city-DP2.1.txt"),
        ("BP3.1.2", "text", "BP3.1.2.txt"),
        ("DP2.2", "markdown", "DP2.2.md"),
    ],
)
def test_trace_output_matches_golden(query: str, fmt: str, golden: str, update_golden: bool) -> None:
    """Refresh with ``python -m pytest --update-golden`` after an intended change."""
    run = stratmap("trace", query, "--format", fmt)
    assert run.code == 0, run.err
    path = GOLDEN / golden
    if update_golden:
        path.write_text(run.out, encoding="utf-8")
    assert run.out == path.read_text(encoding="utf-8")


def test_trace_city_kpi_dp2_2() -> None:
    out = stratmap("trace", "DP2.2").out
    lines = [line.lstrip("│├└─ ") for line in out.splitlines()]
    assert lines[0].startswith("city KPI city:DP2.2 ")
    for expected in (
        "city objective city:DP2 打造創業搖籃 (內部流程)",
        "city theme city:D 優化產業勞動",
        "department theme doed:B 打造創業搖籃  (aligns to city:DP2)",
        "department KPI doed:BP2.1 新設企業家數 [非營業基金考核指標]",
        "in department objective doed:BP2 協助新創事業發展 (內部流程)",
        "in department theme doed:B 打造創業搖籃",
        "from TOWS strategy doed:SO1 協助新創事業發展 (掌握機會，發揮優勢)",
        "action plan doed:BP2.1.1 臺北市產業獎勵補助及創業協助計畫",
    ):
        assert expected in lines, expected
    assert "doed:DP2" not in out, "the department's DP2 must never stand in for the city's"


def test_trace_tc3_1_is_fed_by_three_kpis() -> None:
    document = stratmap("trace", "TC3.1", "--format", "json").json()
    (match,) = document["matches"]
    assert match["node"]["id"] == "city:TC3.1"
    assert [c["kpi"]["id"] for c in match["contributions"]] == ["doed:AC1.1", "doed:BC2.1", "doed:CC2.1"]
    assert [c["theme"]["code"] for c in match["contributions"]] == ["A", "B", "C"]
    assert ids(match["above"]) == ["city:TC3"]


def test_trace_dp2_1_shows_both_namespaces() -> None:
    run = stratmap("trace", "DP2.1")
    assert run.code == 0
    assert run.out.splitlines()[0] == (
        "DP2.1 is a code in 2 namespaces; they are different things. Trace one with: city:DP2.1 or doed:DP2.1"
    )
    assert "city KPI city:DP2.1 (name not listed)" in run.out
    assert "department KPI doed:DP2.1 自然保育場域參訪推廣人次達成率" in run.out
    matches = stratmap("trace", "DP2.1", "--format", "json").json()["matches"]
    assert [m["node"]["id"] for m in matches] == ["city:DP2.1", "doed:DP2.1"]
    city, department = matches
    assert [c["kpi"]["id"] for c in city["contributions"]] == ["doed:BP1.1"]
    assert [g["target"]["id"] for g in department["city_goals"]] == ["city:AC2"]


def test_qualified_code_selects_one_namespace() -> None:
    matches = stratmap("trace", "city:DP2.1", "--format", "json").json()["matches"]
    assert [m["node"]["id"] for m in matches] == ["city:DP2.1"]
    matches = stratmap("trace", "doed:DP2.1", "--format", "json").json()["matches"]
    assert [m["node"]["id"] for m in matches] == ["doed:DP2.1"]


def test_trace_action_plan_goes_up_to_the_city_goal() -> None:
    (match,) = stratmap("trace", "BP3.1.2", "--format", "json").json()["matches"]
    assert match["node"]["name"] == "臺北市南港生技產業聚落BOT案履約管理"
    assert ids(match["above"]) == ["doed:BP3.1", "doed:BP3", "doed:B"]
    assert ids(match["tows"]) == ["doed:WO2"]
    (goal,) = match["city_goals"]
    assert (goal["via"], goal["source"]["id"], goal["target"]["id"]) == ("aligns_to", "doed:B", "city:DP2")
    assert ids(goal["above"]) == ["city:D"]


def test_trace_kpi_goes_up_through_its_city_kpi_and_down_to_its_plans() -> None:
    (match,) = stratmap("trace", "BP1.1", "--format", "json").json()["matches"]
    goals = [(g["via"], g["target"]["id"], ids(g["above"])) for g in match["city_goals"]]
    assert goals == [("feeds", "city:DP2.1", ["city:DP2", "city:D"]), ("aligns_to", "city:DP2", ["city:D"])]
    assert ids(match["below"]) == ["doed:BP1.1.1", "doed:BP1.1.2"]


def test_unknown_code_exits_1_with_closest_codes() -> None:
    run = stratmap("trace", "ZZ9.9")
    assert run.code == 1
    assert run.out == ""
    assert run.err.splitlines()[0] == "stratmap: error: no code ZZ9.9 in plan 110 (data/110)"
    assert run.err.splitlines()[1].startswith("  closest: ")
    near = stratmap("trace", "BP3.1.9")
    assert near.code == 1 and "doed:BP3.1.1" in near.err and "doed:BP3.1.2" in near.err


@pytest.mark.parametrize("text", ["DP2..2", "2.2", "DP2.", "DP-2", "", "city:", "a b", ":DP2", "AB.1", "city::DP2"])
def test_malformed_code_exits_2(text: str) -> None:
    run = stratmap("trace", text)
    assert run.code == 2
    assert "is not a code" in run.err and "Traceback" not in run.err


def test_full_width_and_lower_case_codes_are_folded() -> None:
    run = stratmap("trace", "ｂｐ２.１", "--format", "json")
    assert run.code == 0
    assert [m["node"]["id"] for m in run.json()["matches"]] == ["doed:BP2.1"]


def test_unknown_namespace_exits_1() -> None:
    run = stratmap("trace", "dol:DP2.1")
    assert run.code == 1
    assert "no namespace 'dol'" in run.err and "city, doed" in run.err


# One query per kind of code, with what its JSON must show.
JSON_KINDS = [
    ("city:D", "city_theme", lambda m: len(m["below"]) == 10 and len(m["contributions"]) == 10),
    (
        "city:DP2",
        "city_objective",
        lambda m: (
            ids(m["above"]) == ["city:D"]
            and [(a["theme"]["id"], a["objective"]["id"]) for a in m["aligned_themes"]] == [("doed:B", "city:DP2")]
        ),
    ),
    ("DP2.2", "city_kpi", lambda m: [c["kpi"]["id"] for c in m["contributions"]] == ["doed:BP2.1"]),
    (
        "doed:B",
        "theme",
        lambda m: (
            [g["target"]["id"] for g in m["city_goals"]][-1] == "city:DP2"
            and ids(m["below"])[:3] == ["doed:BC1", "doed:BC2", "doed:BC3"]
        ),
    ),
    ("doed:BP2", "objective", lambda m: ids(m["tows"]) == ["doed:SO1"] and ids(m["below"]) == ["doed:BP2.1"]),
    (
        "BP2.1",
        "kpi",
        lambda m: m["node"]["tags"] == ["非營業基金考核指標"] and m["city_goals"][0]["target"]["id"] == "city:DP2.2",
    ),
    ("BP3.1.2", "action_plan", lambda m: ids(m["above"]) == ["doed:BP3.1", "doed:BP3", "doed:B"]),
    ("S1", "tows_factor", lambda m: ids(m["tows"])[0] == "doed:SO1" and ids(m["tows"])[-1] == "doed:ST4"),
    ("SO1", "tows_strategy", lambda m: ids(m["became"]) == ["doed:BP2"] and m["city_goals"]),
    ("SO6", "tows_strategy", lambda m: ids(m["became"]) == ["city:TC3"]),
    ("PA2", "policy_axis", lambda m: m["node"]["name"] == "食農共生" and len(m["below"]) == 4),
    ("PA2.4", "policy_strategy", lambda m: m["node"]["name"] == "推廣可食地景" and ids(m["above"]) == ["doed:PA2"]),
]


@pytest.mark.parametrize(("query", "kind", "check"), JSON_KINDS, ids=[q for q, _, _ in JSON_KINDS])
def test_json_per_kind_of_code(query: str, kind: str, check: Any) -> None:
    document = stratmap("trace", query, "--format", "json").json()
    assert document["version"] == 1 and document["year"] == 110 and document["plan"] == "data/110"
    (match,) = document["matches"]
    assert match["node"]["kind"] == kind
    assert set(match) == {
        "node", "above", "tows", "became", "drives", "driven_by", "city_goals", "below", "aligned_themes",
        "contributions",
    }  # fmt: skip
    assert match["drives"] == match["driven_by"] == []  # data/110 has no cause-and-effect links
    scores = {"target", "actual", "latest", "achievement", "status"} if kind == "kpi" else set()
    assert set(match["node"]) == {
        "id",
        "namespace",
        "code",
        "kind",
        "name",
        "perspective",
        "tags",
        "path",
        "line",
        "column",
        *scores,
    }
    assert check(match)


def test_node_location_points_at_its_code(plan: Path) -> None:
    (match,) = stratmap("trace", "BP2.1", "--format", "json").json()["matches"]
    node = match["node"]
    line = (REPO / node["path"]).read_text(encoding="utf-8").splitlines()[node["line"] - 1]
    assert line[node["column"] - 1 :].startswith("BP2.1")


def test_second_department_contributes_to_a_city_kpi(plan: Path) -> None:
    add_second_department(plan)
    run = stratmap("trace", "city:DP2.1", "--format", "json", cwd=plan.parent.parent)
    (match,) = run.json()["matches"]
    assert [c["kpi"]["id"] for c in match["contributions"]] == ["doed:BP1.1", "dol:DP2.1"]
    text = stratmap("trace", "city:DP2.1", cwd=plan.parent.parent).out
    assert "department KPI dol:DP2.1 與產業局 DP2.1 同代碼的指標" in text
    both = stratmap("trace", "DP2.1", "--format", "json", cwd=plan.parent.parent).json()["matches"]
    assert [m["node"]["id"] for m in both] == ["city:DP2.1", "doed:DP2.1", "dol:DP2.1"]


def test_year_selects_a_plan_and_the_latest_is_the_default(plan: Path) -> None:
    copy_plan(plan, "111", 111)
    cwd = plan.parent.parent
    assert stratmap("trace", "DP2.2", "--format", "json", cwd=cwd).json()["year"] == 111
    assert stratmap("trace", "DP2.2", "--format", "json", "--year", "110", cwd=cwd).json()["plan"] == "data/110"
    reversed_paths = stratmap("trace", "DP2.2", "data/111", "data/110", "--format", "json", cwd=cwd)
    assert reversed_paths.json()["year"] == 111, "the latest is the highest year, whatever the order of the paths"
    copy_plan(plan, "draft", 112)
    assert stratmap("trace", "DP2.2", "--format", "json", cwd=cwd).json()["year"] == 111, "a draft is not a year"
    missing = stratmap("trace", "DP2.2", "--year", "109", cwd=cwd)
    assert missing.code == 2 and "no plan for year 109" in missing.err


def test_plan_that_fails_validation_is_not_traced(plan: Path) -> None:
    edit(plan / "departments" / "doed" / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.2]")
    before = snapshot(plan.parent.parent)
    run = stratmap("trace", "DP2.2", cwd=plan.parent.parent)
    assert run.code == 1
    assert run.out == ""
    assert "data/110 does not validate" in run.err
    assert "theme-b.yaml:" in run.err and "R003" in run.err
    assert snapshot(plan.parent.parent) == before


def test_trace_writes_no_file(plan: Path) -> None:
    before = snapshot(plan.parent.parent)
    for args in (["trace", "DP2.2"], ["trace", "DP2.1", "-f", "json"], ["coverage", "-f", "markdown"]):
        assert stratmap(*args, cwd=plan.parent.parent).code == 0
    assert snapshot(plan.parent.parent) == before


def run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run stratmap with its standard output on a pseudo-terminal; return what it drew."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "stratmap", *args],
        cwd=REPO,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "200", **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


def test_terminal_gets_a_rich_tree_and_no_color_is_respected() -> None:
    env_without = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = run_in_terminal(["trace", "DP2.2"], {**env_without, "TERM": "xterm-256color"})
    assert "\x1b[" in coloured
    assert "新設企業家數" in coloured and "└──" in coloured
    plain = run_in_terminal(["trace", "DP2.2"], {"NO_COLOR": "1"})
    assert "\x1b[3" not in plain and "新設企業家數" in plain


def test_piped_text_is_plain_and_stable() -> None:
    first = stratmap("trace", "DP2.2", env={"NO_COLOR": ""})
    assert "\x1b[" not in first.out
    assert first.out == stratmap("trace", "DP2.2").out


def test_coverage_lists_fed_and_unfed_objectives() -> None:
    document = stratmap("coverage", "--format", "json").json()
    themes = {t["theme"]["code"]: t for t in document["themes"]}
    assert list(themes) == ["A", "B", "D"]
    assert themes["D"]["roles"] == {"doed": "lead"} and themes["A"]["roles"] == {"doed": "member"}
    objectives = {o["objective"]["code"]: o for o in themes["D"]["objectives"]}
    assert [c["kpi"]["id"] for c in objectives["DP2"]["contributions"]] == ["doed:BP1.1", "doed:BP2.1"]
    assert objectives["DP4"]["fed"] is False and objectives["DP5"]["fed"] is False
    assert {"city:DP4", "city:DP5", "city:AC1", "city:BP2"} <= set(document["unfed"])
    assert "city:DP2" not in document["unfed"]
    assert {"city:TC1", "city:TC2", "city:TC4"} <= set(document["unfed"]) and "city:TC3" not in document["unfed"]
    tc3 = next(o for o in document["cross_cutting"] if o["objective"]["code"] == "TC3")
    assert [c["kpi"]["id"] for c in tc3["contributions"]] == ["doed:AC1.1", "doed:BC2.1", "doed:CC2.1"]
    text = stratmap("coverage").out
    assert "city objective city:DP4 友善勞動環境 (內部流程)  — not fed" in text
    assert "city objective city:DP5 建構職場安全體系 (內部流程)  — not fed" in text
    markdown = stratmap("coverage", "--format", "markdown").out
    assert markdown.startswith("# Coverage of the city map (plan 110)\n")


# ---- scores: target, latest actual, 達成率 and status ----------------------------------------------

MEASURES = """# yaml-language-server: $schema=../../../../schemas/measures.schema.json
kind: measures
measures:
  BP2.1:
    110Q1: 400
    110Q2: 380
    110Q3: {value: 454, note: 含補登}
  BP1.1:
    110: 21
  BP3.1:
    110Q2: 完成招標
"""


def measured(plan: Path) -> Path:
    """Targets for three KPIs of theme B (one by milestones) and their actuals in a measures file."""
    theme = plan / "departments" / "doed" / "theme-b.yaml"
    edit(
        theme,
        "        city_kpis: [DP2.2]\n",
        "        city_kpis: [DP2.2]\n        unit: 家\n        direction: higher\n        target: 1500\n"
        "        frequency: quarterly\n        aggregation: sum\n",
    )
    edit(
        theme, "        city_kpis: [DP2.1]", "        direction: higher\n        target: 20\n        city_kpis: [DP2.1]"
    )
    edit(
        theme,
        "        name: 扶植創業空間進駐廠商家數\n",
        "        name: 扶植創業空間進駐廠商家數\n        basis: milestones\n        frequency: quarterly\n"
        "        milestones:\n          - {stage: 完成規劃, percent: 20}\n          - {stage: 完成招標, percent: 60}\n"
        "          - {stage: 完工啟用, percent: 100}\n        target: 完工啟用\n",
    )
    (plan / "departments" / "doed" / "measures.yaml").write_text(MEASURES, encoding="utf-8")
    return plan


@pytest.mark.parametrize(
    ("query", "fmt", "golden"),
    [
        ("BP2.1", "text", "measured-BP2.1.txt"),
        ("BP2.1", "markdown", "measured-BP2.1.md"),
        ("city:DP2", "text", "measured-city-DP2.txt"),
        ("doed:B", "markdown", "measured-B.md"),
    ],
)
def test_measured_trace_matches_golden(plan: Path, query: str, fmt: str, golden: str, update_golden: bool) -> None:
    """Refresh with ``python -m pytest --update-golden`` after an intended change."""
    measured(plan)
    run = stratmap("trace", query, "--format", fmt, cwd=plan.parent.parent)
    assert run.code == 0, run.err
    path = GOLDEN / golden
    if update_golden:
        path.write_text(run.out, encoding="utf-8")
    assert run.out == path.read_text(encoding="utf-8")


def test_trace_of_a_measured_kpi_shows_target_latest_actual_achievement_and_status(plan: Path) -> None:
    measured(plan)
    cwd = plan.parent.parent
    text = stratmap("trace", "BP2.1", cwd=cwd).out.splitlines()
    assert text[1] == "├── 目標 1,500 家 · 實際 110Q3: 454 家 (累計 1,234 家) · 達成率 82.3% · 未達成"
    markdown = stratmap("trace", "BP2.1", "--format", "markdown", cwd=cwd).out.splitlines()
    assert markdown[3] == "  - 目標 1,500 家 · 實際 110Q3: 454 家 (累計 1,234 家) · 達成率 82.3% · 未達成"
    (match,) = stratmap("trace", "BP2.1", "--format", "json", cwd=cwd).json()["matches"]
    node = match["node"]
    assert (node["target"], node["actual"], node["latest"]) == (1500, 1234, {"period": "110Q3", "value": 454})
    assert (node["achievement"], node["status"]) == (0.8227, "missed")
    below = {n["id"]: n for n in match["below"]}
    assert "target" not in below["doed:BP2.1.1"], "action plans carry no score"
    (milestones,) = stratmap("trace", "BP3.1", "--format", "json", cwd=cwd).json()["matches"]
    assert milestones["node"]["target"] == "完工啟用" and milestones["node"]["latest"]["value"] == "完成招標"
    assert (milestones["node"]["achievement"], milestones["node"]["status"]) == (0.6, "missed")
    assert "目標 完工啟用 · 實際 110Q2: 完成招標 · 達成率 60.0% · 未達成" in stratmap("trace", "BP3.1", cwd=cwd).out


def test_kpis_without_targets_or_values_show_no_score(plan: Path) -> None:
    measured(plan)
    cwd = plan.parent.parent
    out = stratmap("trace", "BC1.1", cwd=cwd).out
    assert "目標" not in out and "實際" not in out and "無資料" not in out
    (match,) = stratmap("trace", "BC1.1", "--format", "json", cwd=cwd).json()["matches"]
    node = match["node"]
    assert (node["target"], node["actual"], node["latest"], node["achievement"], node["status"]) == (
        None,
        None,
        None,
        None,
        "no_data",
    )
    shipped = stratmap("trace", "TC3.1").out
    assert "目標" not in shipped and "fed:" not in shipped


def test_city_items_show_the_status_of_the_kpis_feeding_them(plan: Path) -> None:
    measured(plan)
    cwd = plan.parent.parent
    city_kpi = stratmap("trace", "DP2.2", cwd=cwd).out.splitlines()
    assert city_kpi[1] == "├── fed: 未達成 · 達成率 82.3% · of 1 department KPI: 未達成 1"
    assert "        ├── 目標 1,500 家 · 實際 110Q3: 454 家 (累計 1,234 家) · 達成率 82.3% · 未達成" in city_kpi
    objective = stratmap("trace", "city:DP2", cwd=cwd).out
    assert objective.splitlines()[1] == "├── fed: 接近 · 達成率 91.1% · of 2 department KPIs: 達成 1, 未達成 1"
    assert "    │   ├── 目標 20 · 實際 110: 21 · 達成率 105.0% · 達成" in objective.splitlines()
    (match,) = stratmap("trace", "city:DP2", "--format", "json", cwd=cwd).json()["matches"]
    feeding = [(c["kpi"]["id"], c["kpi"]["status"], c["kpi"]["achievement"]) for c in match["contributions"]]
    assert feeding == [("doed:BP1.1", "met", 1.05), ("doed:BP2.1", "missed", 0.8227)]
    theme = stratmap("trace", "city:D", cwd=cwd).out.splitlines()
    assert theme[1] == "├── fed: 接近 · 達成率 91.1% · of 10 department KPIs: 達成 1, 未達成 1, 無資料 8"
    unmeasured = stratmap("trace", "city:DC3", cwd=cwd).out
    assert "fed:" not in unmeasured, "no feeding KPI has a target or a value: nothing to show"


def test_configured_threshold_decides_the_status_traced(plan: Path) -> None:
    measured(plan)
    cwd = plan.parent.parent
    (cwd / "stratmap.toml").write_text("near = 80\n", encoding="utf-8")
    assert "達成率 82.3% · 接近" in stratmap("trace", "BP2.1", cwd=cwd).out
    (match,) = stratmap("trace", "BP2.1", "--format", "json", cwd=cwd).json()["matches"]
    assert match["node"]["status"] == "near"


def test_coverage_shows_the_scores_too(plan: Path) -> None:
    measured(plan)
    cwd = plan.parent.parent
    lines = stratmap("coverage", cwd=cwd).out.splitlines()
    at = lines.index("├── city objective city:DP2 打造創業搖籃 (內部流程)")
    assert lines[at + 1] == "│   ├── fed: 接近 · 達成率 91.1% · of 2 department KPIs: 達成 1, 未達成 1"
    assert "│   │   └── 目標 20 · 實際 110: 21 · 達成率 105.0% · 達成" in lines
    document = stratmap("coverage", "--format", "json", cwd=cwd).json()
    theme_d = next(t for t in document["themes"] if t["theme"]["code"] == "D")
    dp2 = next(o for o in theme_d["objectives"] if o["objective"]["code"] == "DP2")
    assert [c["kpi"]["status"] for c in dp2["contributions"]] == ["met", "missed"]
    shipped = stratmap("coverage").out
    assert "fed:" not in shipped and "目標" not in shipped


@pytest.mark.parametrize("rollup", ["weighted", "worst"])
def test_trace_scores_equal_the_scorecard(plan: Path, rollup: str) -> None:
    """A trace scores only the nodes it shows; each score is the one ``score_plan`` gives the whole plan."""
    from stratmap.config import Settings
    from stratmap.linking.graph import NodeKind
    from stratmap.pipeline import open_plan
    from stratmap.scoring.kpi import Scoring
    from stratmap.scoring.scorecard import score_plan
    from stratmap.tracing.scores import TraceScores

    measured(plan)
    graph = open_plan([plan], None, plan.parent.parent, Settings()).graph
    assert graph is not None
    scoring = Scoring(rollup="worst") if rollup == "worst" else Scoring()
    card, scores = score_plan(graph, scoring=scoring), TraceScores(graph, scoring)
    for node, score in card.kpis.items():
        standing = scores.kpi(node)
        assert standing is not None and standing.score == score
    rolled = {**card.objectives, **card.themes, **card.city_kpis, **card.city_objectives, **card.city_themes}
    assert {node.kind for node in rolled} == {
        NodeKind.OBJECTIVE, NodeKind.THEME, NodeKind.CITY_KPI, NodeKind.CITY_OBJECTIVE, NodeKind.CITY_THEME
    }  # fmt: skip
    for node, expected in rolled.items():
        assert scores.rolled_score(node) == expected, node.code


def test_extreme_numbers_and_means_are_shown_not_crashed_on(plan: Path) -> None:
    """A 24-digit actual against a target of 0.000000000001 (both allowed), and a mean of three quarters."""
    measured(plan)
    cwd = plan.parent.parent
    theme = plan / "departments" / "doed" / "theme-b.yaml"
    edit(theme, "        target: 20\n", "        target: 0.000000000001\n")
    edit(theme, "        aggregation: sum\n", "        aggregation: mean\n")
    edit(plan / "departments" / "doed" / "measures.yaml", "    110: 21\n", "    110: 999999999999999999999999\n")
    run = stratmap("trace", "city:DP2", cwd=cwd)
    assert run.code == 0, run.err
    lines = [line.lstrip("│├└─ ") for line in run.out.splitlines()]
    (huge,) = [line for line in lines if line.startswith("目標 0.000000000001 · 實際 110: 999,999,999,999,")]
    assert huge.endswith("999,999,999,999,999,999,999,900,000,000,000,000.0% · 達成")
    assert "目標 1,500 家 · 實際 110Q3: 454 家 (平均 411.33 家) · 達成率 27.4% · 未達成" in lines
    (match,) = stratmap("trace", "BP1.1", "--format", "json", cwd=cwd).json()["matches"]
    assert match["node"]["target"] == 1e-12 and match["node"]["actual"] == 999999999999999999999999
    assert match["node"]["achievement"] == pytest.approx(1e36)
    assert stratmap("coverage", "--format", "json", cwd=cwd).code == 0
