"""The rules on targets, weights and measured values (M001-M007): each failing at its exact line and
column, and passing once corrected, through the real CLI on a copy of data/110."""

from __future__ import annotations

from pathlib import Path

from conftest import DOED, column_of, copy_plan, edit, line_of, problems, stratmap

THEME_B = DOED / "theme-b.yaml"
MEASURES = DOED / "measures.yaml"
SHIPPED = {"N001"}


def found(plan: Path, *args: str) -> list[tuple[str, int, int, str, str]]:
    run = stratmap("validate", "--format", "json", *args, plan.parent, cwd=plan.parent.parent)
    assert "Traceback" not in run.err and run.code in (0, 1), run.err
    return [p for p in problems(run) if p[3] not in SHIPPED]


def at(plan: Path, file: Path, text: str, rule: str, severity: str = "error") -> tuple[str, int, int, str, str]:
    path = plan / file
    return (f"data/{plan.name}/{file.as_posix()}", line_of(path, text), column_of(path, text), rule, severity)


def measure_bp21(plan: Path, fields: str, measures: str) -> None:
    """Give BP2.1 (新設企業家數) extra fields and write a measures file for doed."""
    edit(plan / THEME_B, "        name: 新設企業家數\n", f"        name: 新設企業家數\n{fields}")
    (plan / MEASURES).write_text(f"kind: measures\nmeasures:\n{measures}", encoding="utf-8")


QUARTERLY = "        direction: higher\n        target: 1200\n        frequency: quarterly\n        aggregation: sum\n"


def test_a_sound_measured_plan_passes(plan: Path) -> None:
    measure_bp21(plan, QUARTERLY, "  BP2.1: {110Q1: 300, 110Q2: {value: 280, note: 疫情影響}, 110: 1190}\n")
    assert found(plan) == []


def test_m001_period_outside_the_year_or_not_of_the_frequency(plan: Path) -> None:
    measure_bp21(plan, QUARTERLY, "  BP2.1: {109Q4: 12, 110M01: 3, 110Q1: 5}\n")
    assert found(plan) == [at(plan, MEASURES, "12,", "M001"), at(plan, MEASURES, "3,", "M001")]


def test_m001_a_kpi_without_frequency_is_measured_yearly(plan: Path) -> None:
    measure_bp21(plan, "        direction: higher\n        target: 5\n", "  BP2.1:\n    110Q1: 5\n    110: 7\n")
    assert found(plan) == [at(plan, MEASURES, "5\n", "M001")]


def test_m002_a_measure_of_no_kpi(plan: Path) -> None:
    measure_bp21(plan, QUARTERLY, "  BP2.1: {110Q1: 3}\n  BP9.1: {110: 3}\n")
    assert found(plan) == [at(plan, MEASURES, "BP9.1", "M002")]


def test_m003_values_must_be_numbers_or_stages(plan: Path) -> None:
    milestones = (
        "        basis: milestones\n        milestones:\n          - {stage: 完成規劃, percent: 30}\n"
        "          - {stage: 完工啟用, percent: 100}\n        target: 完工啟用\n"
    )
    edit(
        plan / THEME_B,
        "        name: 扶植創業空間進駐廠商家數\n",
        f"        name: 扶植創業空間進駐廠商家數\n{milestones}",
    )
    measure_bp21(plan, QUARTERLY, "  BP2.1: {110Q1: 很多}\n  BP3.1: {110: 完工, 109: 完成規劃}\n")
    assert found(plan) == [
        at(plan, MEASURES, "很多", "M003"),
        at(plan, MEASURES, "完工,", "M003"),
        at(plan, MEASURES, "完成規劃", "M001"),
    ]


def test_m004_a_target_needs_a_direction(plan: Path) -> None:
    measure_bp21(plan, "        target: 1200\n", "  BP2.1: {110: 3}\n")
    assert found(plan) == [at(plan, THEME_B, "BP2.1\n", "M004")]
    edit(plan / THEME_B, "        target: 1200\n", "        target: 1200\n        direction: lower\n")
    assert found(plan) == []


def test_m005_a_lowered_target_says_why(plan: Path) -> None:
    edit(
        plan / THEME_B,
        "        name: 新設企業家數\n",
        "        name: 新設企業家數\n        direction: higher\n        target: 1200\n",
    )
    later = copy_plan(plan, "111", 111)
    edit(later / THEME_B, "        target: 1200\n", "        target: 1000\n")
    run = stratmap("validate", "--format", "json", "data", cwd=plan.parent.parent)
    warned = [p for p in problems(run) if p[3] == "M005"]
    expected = at(later, THEME_B, "BP2.1\n", "M005", "warning")
    assert warned == [expected] and run.code == 0
    alone = stratmap("validate", "--format", "json", "data/111", cwd=plan.parent.parent)
    assert [p for p in problems(alone) if p[3] == "M005"] == [expected], "the previous year is read when not checked"
    edit(later / THEME_B, "        target: 1000\n", "        target: 1000\n        note: 因疫情影響下修目標值\n")
    assert [
        p for p in problems(stratmap("validate", "--format", "json", "data", cwd=plan.parent.parent)) if p[3] == "M005"
    ] == []


def test_m005_sees_a_change_to_the_previous_year_through_the_cache(plan: Path) -> None:
    edit(
        plan / THEME_B,
        "        name: 新設企業家數\n",
        "        name: 新設企業家數\n        direction: higher\n        target: 1200\n",
    )
    later = copy_plan(plan, "111", 111)
    root = plan.parent.parent
    assert [p for p in problems(stratmap("validate", "--format", "json", "data/111", cwd=root)) if p[3] == "M005"] == []
    edit(plan / THEME_B, "        target: 1200\n", "        target: 1500\n")
    after = stratmap("validate", "--format", "json", "data/111", cwd=root)
    assert [p[3] for p in problems(after) if p[3] == "M005"] == ["M005"], "a cached verdict of 111 was not reused"
    assert later.exists()


def test_m006_weights_add_up(plan: Path) -> None:
    theme = plan / THEME_B
    edit(theme, "        name: 新設企業家數\n", "        name: 新設企業家數\n        weight: 60\n")
    edit(theme, "    name: 協助新創事業發展\n", "    name: 協助新創事業發展\n    weight: 50\n")
    run = stratmap("validate", "--format", "json", plan.parent, cwd=plan.parent.parent)
    m006 = [(p["line"], p["column"], p["message"]) for p in run.json()["problems"] if p["rule"] == "M006"]
    bp2 = at(plan, THEME_B, "BP2\n", "M006")
    doed = at(plan, DOED / "department.yaml", "doed\n", "M006")
    assert (bp2[1], bp2[2], "objective BP2 weighs 50 but its KPIs weigh 60") in m006
    assert (doed[1], doed[2], "the weights of department doed add up to 50, not 100") in m006
    others = [m for m in m006 if "has no weight while other objectives of doed do" in m[2]]
    assert len(others) == 40 and run.code == 1


def test_m006_every_kpi_weighted_and_100_in_all_passes(plan: Path) -> None:
    themes = sorted((plan / DOED).glob("theme-*.yaml"))
    assert sum(path.read_text(encoding="utf-8").count("      - code: ") for path in themes) == 45
    weights = ["2"] * 40 + ["4"] * 5  # 100 in all
    index = 0
    for path in themes:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out = []
        for line in lines:
            out.append(line)
            if line.startswith("      - code: "):
                out.append(f"        weight: {weights[index]}\n")
                index += 1
        path.write_text("".join(out), encoding="utf-8")
    assert found(plan) == []


def test_m007_missing_actuals_as_of_a_date(plan: Path) -> None:
    measure_bp21(plan, QUARTERLY, "  BP2.1: {110Q1: 300}\n")
    assert found(plan) == []
    late = found(plan, "--as-of", "2021-10-05")
    assert late == [at(plan, THEME_B, "BP2.1\n", "M007", "warning")]
    run = stratmap("validate", "--format", "json", "--as-of", "110-10-05", plan.parent, cwd=plan.parent.parent)
    [message] = [p["message"] for p in run.json()["problems"] if p["rule"] == "M007"]
    assert message == "KPI BP2.1 has no actual for 110Q2, 110Q3, ended by 2021-10-05"
    bad = stratmap("validate", "--as-of", "someday", plan.parent, cwd=plan.parent.parent)
    assert bad.code == 2 and "not a date" in bad.err


def test_m005_compares_with_the_target_last_year_set_ahead(plan: Path) -> None:
    fields = "        direction: higher\n        target: 1200\n        targets: {111: 1300}\n"
    edit(plan / THEME_B, "        name: 新設企業家數\n", f"        name: 新設企業家數\n{fields}")
    later = copy_plan(plan, "111", 111)
    edit(later / THEME_B, "        target: 1200\n        targets: {111: 1300}\n", "        target: 1250\n")
    run = stratmap("validate", "--format", "json", "data", cwd=plan.parent.parent)
    [message] = [p["message"] for p in run.json()["problems"] if p["rule"] == "M005"]
    assert message == "KPI BP2.1's target 1250 is lower than the 1300 of last year's plan"
    edit(later / THEME_B, "        target: 1250\n", "        target: 1300\n")
    again = stratmap("validate", "--format", "json", "data", cwd=plan.parent.parent)
    assert "M005" not in {p[3] for p in problems(again)}
