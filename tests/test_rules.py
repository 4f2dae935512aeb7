"""Each rule: a failing example at its exact line and column, through the real CLI.

The passing example of every rule is the shipped plan itself (``test_shipped_plan_passes``),
which each failing case below changes in one place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DOED, REPO, SHIPPED_SUPPRESSION, column_of, edit, line_of, problems, stratmap

THEME_A = DOED / "theme-a.yaml"
THEME_B = DOED / "theme-b.yaml"
THEME_D = DOED / "theme-d.yaml"
DEPARTMENT = DOED / "department.yaml"
THEME_C = DOED / "theme-c.yaml"


def found(plan: Path) -> list[tuple[str, int, int, str, str]]:
    """Problems of ``stratmap validate --format json`` on the plan."""
    run = stratmap("validate", "--format", "json", plan.parent, cwd=plan.parent.parent)
    assert "Traceback" not in run.err
    return problems(run)


def at(plan: Path, file: Path, text: str, rule: str, severity: str = "error", offset: int = 0) -> tuple:
    """Expected problem where ``text`` stands in ``file`` (column moved by ``offset``)."""
    path = plan / file
    return (f"data/110/{file.as_posix()}", line_of(path, text), column_of(path, text) + offset, rule, severity)


def test_shipped_plan_passes_even_with_strict() -> None:
    """Its one true-to-the-document warning (CP1.2 skips CP1.1) is silenced by a comment on its line."""
    run = stratmap("validate", "--format", "json", "--strict")
    assert run.code == 0
    assert problems(run) == []
    line = (REPO / "data" / "110" / THEME_C).read_text(encoding="utf-8").splitlines()[38]
    assert line == "      - code: CP1.2" + SHIPPED_SUPPRESSION


# (case id, file, old text, new text, [(rule, text marking the expected position, severity)])
CASES = [
    (
        "S002-unknown-key",
        THEME_A,
        "\nname: 健全商貿環境",
        "\nnmae: 健全商貿環境",
        [("S002", "nmae:", "error"), ("S003", "kind: theme", "error")],
    ),
    ("S003-missing-key", THEME_A, "    name: 改善投資環境\n", "", [("S003", "code: AC3\n", "error")]),
    (
        "S004-invalid-value",
        THEME_A,
        "        name: 經貿拓銷金額\n",
        "        name: 經貿拓銷金額\n        direction: upward\n",
        [("S004", "upward", "error")],
    ),
    ("S005-malformed-code", THEME_D, "code: DP4.1\n", "code: DP4.\n", [("S005", "DP4.\n", "error")]),
    ("S005-full-width-code", THEME_B, "city_kpis: [DP2.2]", "city_kpis: [ＤＰ２.２]", [("S005", "ＤＰ２.２", "error")]),
    (
        "S006-perspective",
        THEME_A,
        "  - code: AL1\n    perspective: L",
        "  - code: AL1\n    perspective: F",
        [("S006", "F\n    name: 培育優秀人力", "error")],
    ),
    (
        "R001-duplicate",
        THEME_A,
        "code: AC2.1\n",
        "code: AC1.1\n",
        [
            ("R001", "AC1.1\n        name: 公司", "error"),
            ("R002", "AC1.1\n        name: 公司", "error"),
            ("R002", "AC2.1.1", "error"),
        ],
    ),
    ("R002-prefix", THEME_A, "code: AP2.1.1", "code: AP2.2.1", [("R002", "AP2.2.1", "error")]),
    ("R003-city-kpi", THEME_B, "city_kpis: [DP2.2]", "city_kpis: [DP9.2]", [("R003", "DP9.2", "error")]),
    ("R003-alignment", THEME_B, "aligns_to: [DP2]", "aligns_to: [DP9]", [("R003", "DP9", "error")]),
    (
        "R008-duplicate-reference",
        THEME_A,
        "city_kpis: [TC3.1]",
        "city_kpis: [TC3.1, TC3.1]",
        [("R008", "TC3.1]", "error")],
    ),
    ("R004-unlisted", THEME_B, "city_kpis: [DP2.2]", "city_kpis: [DP2.3]", [("R004", "DP2.3", "error")]),
    ("R009-listed-nowhere", THEME_B, "city_kpis: [DC3.1]", "city_kpis: [BP2.1]", [("R009", "BP2.1]", "warning")]),
    ("R005-tows", DEPARTMENT, "objective: BP2}", "objective: BP9}", [("R005", "BP9", "error")]),
    ("R007-role", DEPARTMENT, "lead: [D]", "lead: [D, Z]", [("R007", "Z]", "error")]),
    ("N001-gap", THEME_A, "code: AF1.1.1", "code: AF1.1.3", [("N001", "AF1.1.3", "warning")]),
    (
        "N002-no-kpi",
        THEME_A,
        """    kpis:
      - code: AC2.1
        name: 公司及商業登記服務滿意度
        action_plans:
          - {code: AC2.1.1, name: 公司及商業登記服務}
""",
        "",
        [("N002", "AC2\n", "warning")],
    ),
    (
        "N003-no-action-plan",
        THEME_A,
        """        action_plans:
          - {code: AC2.1.1, name: 公司及商業登記服務}
""",
        "",
        [("N003", "AC2.1\n", "warning")],
    ),
    (
        "N004-no-finance",
        THEME_A,
        """  - code: AF1
    perspective: F
    name: 提高預算執行效能
    kpis:
      - code: AF1.1
        name: 預算執行差異率
        action_plans:
          - {code: AF1.1.1, name: 以預(決)算數計算預算執行差異率}
""",
        "",
        [("N004", "A\nname", "warning")],
    ),
    ("N005-outside-role", THEME_B, "aligns_to: [DP2]", "aligns_to: [GP1]", [("N005", "GP1", "warning")]),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_reports_exact_position(
    plan: Path, file: Path, old: str, new: str, expected: list[tuple[str, str, str]]
) -> None:
    edit(plan / file, old, new)
    want = sorted(at(plan, file, marker, rule, severity) for rule, marker, severity in expected)
    assert sorted(found(plan)) == want


def test_r002_objective_in_wrong_theme(plan: Path) -> None:
    edit(plan / THEME_A, "  - code: AL1\n", "  - code: BL1\n")
    edit(plan / THEME_A, "code: AL1.1\n", "code: BL1.1\n")
    edit(plan / THEME_A, "code: AL1.1.1", "code: BL1.1.1")
    assert at(plan, THEME_A, "BL1\n", "R002") in found(plan)


def test_r006_theme_without_department(plan: Path) -> None:
    (plan / "departments" / "lost").mkdir()
    (plan / THEME_A).rename(plan / "departments" / "lost" / "theme-a.yaml")
    moved = Path("departments") / "lost" / "theme-a.yaml"
    assert at(plan, moved, "theme\n", "R006") in found(plan)


def test_r006_year_does_not_match_folder(plan: Path) -> None:
    edit(plan / "plan.yaml", "year: 110", "year: 111")
    assert found(plan) == [at(plan, Path("plan.yaml"), "111", "R006")]


def test_city_and_department_codes_never_collide(plan: Path) -> None:
    """Department DP2.1 (theme D) and city DP2.1 (referenced by BP1.1) live side by side."""
    assert "code: DP2.1" in (plan / THEME_D).read_text(encoding="utf-8")
    assert "city_kpis: [DP2.1]" in (plan / THEME_B).read_text(encoding="utf-8")
    assert found(plan) == []
    # A department's DP3.1 does not make city DP3.3 exist: city DP3 lists DP3.1, DP3.2 and DP3.4.
    edit(plan / THEME_B, "city_kpis: [DP2.1]", "city_kpis: [DP3.3]")
    assert found(plan) == [at(plan, THEME_B, "DP3.3]", "R004")]


def test_r009_names_the_department_code_that_was_probably_meant(plan: Path) -> None:
    """City objective BP2 (創造臺北新象) lists no KPIs; BP2.1 is the department's own KPI."""
    edit(plan / THEME_B, "city_kpis: [DC3.1]", "city_kpis: [BP2.1]")
    run = stratmap("validate", "--format", "json", plan.parent, cwd=plan.parent.parent)
    assert run.code == 0, "a warning: a city map may list only some KPIs"
    (problem,) = [p for p in run.json()["problems"] if p["rule"] == "R009"]
    assert problem["message"] == (
        "city KPI BP2.1 is not in the city map: city objective BP2 lists no KPIs (doed:BP2.1 is a department KPI)"
    )


@pytest.mark.parametrize(
    ("comment", "silenced"),
    [
        ("  # stratmap: ignore[N001] 原文如此", True),
        ("  # stratmap: ignore[numbering-gap]", True),
        ("  # stratmap: ignore[N002, N001] 照印保留", True),
        ("  # stratmap: ignore[N002]", False),
        ("  # stratmap: ignore[N01]", False),
    ],
)
def test_a_suppression_comment_silences_exactly_its_rules_on_its_line(
    warned_plan: Path, comment: str, silenced: bool
) -> None:
    plan = warned_plan
    edit(plan / THEME_C, "      - code: CP1.2\n", f"      - code: CP1.2{comment}\n")
    run = stratmap("validate", "--format", "json", plan.parent, cwd=plan.parent.parent)
    assert run.code == 0
    assert (problems(run) == []) is silenced


def test_a_suppression_comment_on_another_line_or_against_a_load_error_silences_nothing(warned_plan: Path) -> None:
    plan = warned_plan
    edit(
        plan / THEME_C,
        "        name: 科技園區廠商登記家數成長率\n",
        "        name: 科技園區廠商登記家數成長率  # stratmap: ignore[N001]\n",
    )
    assert [(p[3], p[1]) for p in found_with_shipped(plan)] == [("N001", line_of(plan / THEME_C, "CP1.2\n"))]
    edit(plan / THEME_A, "\nname: 健全商貿環境", "\nnmae: 健全商貿環境  # stratmap: ignore[S002, S003, unknown-key]")
    rules = {p[3] for p in found_with_shipped(plan)}
    assert {"S002", "S003"} <= rules, "a file that does not load is never silenced"


def found_with_shipped(plan: Path) -> list[tuple[str, int, int, str, str]]:
    return problems(stratmap("validate", "--format", "json", plan.parent, cwd=plan.parent.parent))
