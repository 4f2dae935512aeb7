"""``stratmap status`` through the real CLI: the scorecard with targets, actuals, 達成率 and statuses,
rolled up to objectives and departments and across to the city map; the settings that change it; and
the golden JSON of the example plan (``examples/demo``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DOED, REPO, copy_plan, edit, stratmap

THEME_B = DOED / "theme-b.yaml"
DEMO = REPO / "examples" / "demo"
GOLDEN = Path(__file__).resolve().parent / "golden" / "status"


def measured(plan: Path) -> Path:
    """BP2.1 (feeds city DP2.2) met at Q2, BP3.1 near, BC1.1 missed, BL1.1 lower is better, BP1.1 no data."""
    theme = plan / THEME_B
    for name, fields in [
        (
            "新設企業家數",
            "direction: higher\n        target: 600\n        frequency: quarterly\n        aggregation: sum",
        ),
        ("扶植創業空間進駐廠商家數", "direction: higher\n        target: 100\n        unit: 家"),
        ("創業服務辦公室顧問輔導滿意度", "direction: higher\n        target: 90\n        unit: 分"),
        ("專業職能訓練完成率", "direction: lower\n        target: 5\n        frequency: half-yearly"),
        ("協助新創企業國際鏈結家數", "direction: higher\n        target: 10"),
    ]:
        edit(theme, f"        name: {name}\n", f"        name: {name}\n        {fields}\n")
    (plan / DOED / "measures.yaml").write_text(
        "kind: measures\nmeasures:\n"
        "  BP2.1: {110Q1: 300, 110Q2: {value: 320, note: 含補登}, 110Q3: 10}\n"
        "  BP3.1: {110: 95}\n"
        "  BC1.1: {110: 60}\n"
        "  BL1.1: {110H1: 4}\n",
        encoding="utf-8",
    )
    return plan


def status(plan: Path, *args: str) -> dict:  # type: ignore[type-arg]
    run = stratmap("status", "--format", "json", *args, plan, cwd=plan.parent.parent)
    assert run.code == 0, run.err
    return dict(run.json())


def by_code(rows: list[dict]) -> dict[str, dict]:  # type: ignore[type-arg]
    return {row["code"]: row for row in rows}


def test_the_shipped_plan_has_nothing_to_score_and_says_so() -> None:
    run = stratmap("status")
    assert run.code == 0
    assert "no KPI has a target or an actual yet" in run.out and "measures.yaml" in run.out


def test_statuses_of_the_year_and_their_roll_up(plan: Path) -> None:
    data = status(measured(plan))
    kpis = by_code(data["kpis"])
    assert (kpis["doed:BP2.1"]["actual"], kpis["doed:BP2.1"]["status"]) == (630, "met")
    assert (kpis["doed:BP3.1"]["achievement"], kpis["doed:BP3.1"]["status"]) == (0.95, "near")
    assert kpis["doed:BC1.1"]["status"] == "missed" and kpis["doed:BL1.1"]["status"] == "met"
    assert kpis["doed:BP1.1"]["status"] == "no_data" and kpis["doed:BP1.1"]["actual"] is None
    assert [v["note"] for v in kpis["doed:BP2.1"]["values"]] == [None, "含補登", None]
    objectives = by_code(data["objectives"])
    assert objectives["doed:BP2"]["status"] == "met" and objectives["doed:BP1"]["status"] == "no_data"
    themes = by_code(data["themes"])
    # BC1 60/90, BP2 100% (capped), BP3 95%, BL1 met: a mean of 90.4%, near
    assert (themes["doed:B"]["measured"], themes["doed:B"]["parts"], themes["doed:B"]["status"]) == (4, 8, "near")
    assert themes["doed:B"]["achievement"] == 0.9042
    department = by_code(data["departments"])["doed"]
    assert (department["measured"], department["parts"], department["status"]) == (4, 41, "near")
    city = by_code(data["city_kpis"])
    assert city["city:DP2.2"]["status"] == "met"
    assert city["city:DP2.2"]["fed_by"] == [{"code": "doed:BP2.1", "status": "met"}]
    assert by_code(data["city_objectives"])["city:DC3"]["status"] == "missed"


def test_year_to_date_at_a_period_or_a_date(plan: Path) -> None:
    measured(plan)
    q1 = by_code(status(plan, "--period", "110Q1")["kpis"])["doed:BP2.1"]
    # quarters summed: at 110Q1 the year's 600 is judged three months in, 150
    assert (q1["period"], q1["actual"], q1["target"], q1["target_to_date"]) == ("110Q1", 300, 600, 150)
    assert (q1["achievement"], q1["status"]) == (2.0, "met")
    dated = by_code(status(plan, "--as-of", "2021-07-15")["kpis"])
    assert (dated["doed:BP2.1"]["period"], dated["doed:BP2.1"]["actual"]) == ("110M06", 620)
    assert dated["doed:BP3.1"]["target_to_date"] == 100, "a yearly KPI is judged against the year's target"
    for bad, words in (("--period", "111Q1"), ("--period", "Q1"), ("--as-of", "2019-01-01"), ("--as-of", "soon")):
        run = stratmap("status", bad, words, plan, cwd=plan.parent.parent)
        assert run.code == 2 and "Traceback" not in run.err, (bad, words, run.err)


def test_thresholds_and_roll_up_from_the_configuration(plan: Path) -> None:
    measured(plan)
    root = plan.parent.parent
    (root / "stratmap.toml").write_text('near = 96\nrollup = "worst"\n', encoding="utf-8")
    data = status(plan)
    assert by_code(data["kpis"])["doed:BP3.1"]["status"] == "missed"
    assert by_code(data["objectives"])["doed:BP3"]["status"] == "missed"
    assert data["scoring"] == {"near": 0.96, "rollup": "worst"}
    (root / "stratmap.toml").write_text('rollup = "best"\n', encoding="utf-8")
    run = stratmap("status", plan, cwd=root)
    assert run.code == 2 and "'rollup' must be" in run.err


def test_off_track_shows_only_near_and_missed(plan: Path) -> None:
    data = status(measured(plan), "--off-track")
    assert {row["status"] for row in data["kpis"]} == {"near", "missed"}
    text = stratmap("status", "--off-track", plan, cwd=plan.parent.parent).out
    assert "BC1.1" in text and "BP2.1" not in text


def test_text_and_markdown_say_the_status_in_words(plan: Path) -> None:
    measured(plan)
    text = stratmap("status", plan, cwd=plan.parent.parent)
    assert text.code == 0
    for words in ("達成 met", "接近 near", "未達成 missed", "無資料 no data", "95.0%", "630"):
        assert words in text.out, words
    markdown = stratmap("status", "--format", "markdown", plan, cwd=plan.parent.parent).out
    assert "| BP3.1 | 扶植創業空間進駐廠商家數 | 100 | 95 | 95.0% | 接近 near |" in markdown


def test_trend_across_plan_years(plan: Path) -> None:
    measured(plan)
    later = copy_plan(plan, "111", 111)
    (later / DOED / "measures.yaml").write_text("kind: measures\nmeasures:\n  BP2.1: {111Q1: 200}\n", encoding="utf-8")
    data = status(later)
    trend = by_code(data["kpis"])["doed:BP2.1"]["trend"]
    assert trend == [{"period": "110", "value": 630}, {"period": "111Q1", "value": 200}]


def test_a_plan_that_does_not_validate_is_not_scored(plan: Path) -> None:
    measured(plan)
    edit(plan / DOED / "measures.yaml", "BP3.1: {110: 95}", "BP3.1: {110: 很多}")
    run = stratmap("status", plan, cwd=plan.parent.parent)
    assert run.code == 1 and "M003" in run.err and run.out == ""


@pytest.mark.skipif(not DEMO.is_dir(), reason="the example plan is not there")
def test_the_example_plan_matches_its_golden_json(update_golden: bool) -> None:
    run = stratmap("status", "--format", "json", "data", cwd=DEMO)
    assert run.code == 0, run.err
    golden = GOLDEN / "demo.json"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(run.out, encoding="utf-8")
    assert json.loads(run.out) == json.loads(golden.read_text(encoding="utf-8"))
    assert run.out == golden.read_text(encoding="utf-8")


def test_piped_output_is_plain_aligned_text(plan: Path) -> None:
    """Piped (as in CI), the table is plain text: no box drawing, columns aligned by display width."""
    out = stratmap("status", measured(plan), cwd=plan.parent.parent).out
    assert "┃" not in out and "━" not in out
    header = next(line for line in out.splitlines() if line.startswith("code "))
    row = next(line for line in out.splitlines() if line.startswith("  BP3.1 "))
    assert header.split() == ["code", "name", "target", "目標值", "actual", "實際值", "達成率", "status", "狀態"]
    assert row.split()[-3:] == ["95.0%", "接近", "near"]


def test_a_pro_rated_target_reads_as_the_year_to_date_and_the_year_s(plan: Path) -> None:
    """A summed KPI scored before the year ends is judged against its share of the year's target, shown next to
    the year's: ``300 (year 600)``, ``300（全年 600）``; decimals only where the share has them (never ``300.00``)."""
    cwd = plan.parent.parent
    measured(plan)
    text = stratmap("status", "--period", "110Q2", plan, cwd=cwd).out
    row = next(line for line in text.splitlines() if line.startswith("  BP2.1 "))
    assert "300 (year 600)" in row and "300.00" not in row and "年" not in row
    markdown = stratmap("status", "--period", "110Q2", "--format", "markdown", plan, cwd=cwd).out
    assert "| BP2.1 | 新設企業家數 | 300 (year 600) | 620 |" in markdown
    chinese = stratmap("status", "--period", "110Q2", "--lang", "zh-TW", plan, cwd=cwd).out
    row = next(line for line in chinese.splitlines() if line.startswith("  BP2.1 "))
    assert "300（全年 600）" in row and "year" not in row
    chinese_markdown = stratmap(
        "status", "--period", "110Q2", "-f", "markdown", plan, cwd=cwd, env={"LANG": "zh_TW.UTF-8"}
    )
    assert "| BP2.1 | 新設企業家數 | 300（全年 600） | 620 |" in chinese_markdown.out


def test_a_pro_rated_target_keeps_the_decimals_it_has() -> None:
    """The demo plan at 111Q1: 42 a year is 10.5 a quarter, 1,250 is 312.5, 32 is 8."""
    run = stratmap("status", "--period", "111Q1", DEMO / "data")
    assert run.code == 0, run.err
    rows = {line.split()[0]: line for line in run.out.splitlines() if line.startswith("  ")}
    assert "10.5 (year 42)" in rows["AC1.1"] and "312.5 (year 1,250)" in rows["DP3.1"]
    assert "  8 (year 32)" in rows["AP1.1"] and ".00" not in run.out
