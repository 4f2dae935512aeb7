"""``stratmap rename``: codes, their children and every reference renamed; untouched lines kept byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DOED, stratmap
from test_diff import changes_of
from test_second_department import add_second_department

RENAMES = (("doed:BP2.1", "doed:BP2.2"), ("doed:CP4", "doed:CP5"), ("city:DP2.1", "city:DP2.5"))
OLD_CODES = ("BP2.1", "CP4", "DP2.1")
NEW_CODES = ("BP2.2", "CP5", "DP2.5")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_renames_follow_children_and_references_and_keep_every_other_line(plan: Path) -> None:
    add_second_department(plan)
    before = plan.parent.parent / "before" / "110"
    shutil.copytree(plan, before)
    cwd = plan.parent.parent
    for old, new in RENAMES:
        run = stratmap("rename", old, new, "data/110", "--write", cwd=cwd)
        assert run.code == 0, run.err
    assert stratmap("validate", "data/110", cwd=cwd).code == 0

    found = changes_of(stratmap("diff", "before/110", "data/110", "--format", "json", cwd=cwd))
    assert found == [
        ("moved", "city_kpi", "city:DP2.5", None, None, None),
        ("moved", "kpi", "doed:BP2.2", None, None, None),
        ("moved", "action_plan", "doed:BP2.2.1", None, None, None),
        ("moved", "objective", "doed:CP5", None, None, None),
        ("moved", "kpi", "doed:CP5.1", None, None, None),
        ("moved", "action_plan", "doed:CP5.1.1", None, None, None),
        ("moved", "action_plan", "doed:CP5.1.2", None, None, None),
    ]

    old_files, new_files = snapshot(before), snapshot(plan)
    assert old_files.keys() == new_files.keys()
    changed: dict[str, list[tuple[str, str]]] = {}
    for name, old_bytes in old_files.items():
        old_lines, new_lines = old_bytes.split(b"\n"), new_files[name].split(b"\n")
        assert len(old_lines) == len(new_lines), name
        for was, now in zip(old_lines, new_lines, strict=True):
            if was != now:
                changed.setdefault(name, []).append((was.decode().strip(), now.decode().strip()))
    for pairs in changed.values():
        for was, now in pairs:
            assert any(code in was for code in OLD_CODES) and any(code in now for code in NEW_CODES), (was, now)
    assert changed == {
        "city.yaml": [("- code: DP2.1", "- code: DP2.5")],
        "departments/doed/department.yaml": [
            (
                "- {number: 1, text: 推動都市農業發展, objective: CP4}",
                "- {number: 1, text: 推動都市農業發展, objective: CP5}",
            )
        ],
        "departments/doed/theme-b.yaml": [
            (
                "city_kpis: [DP2.1]  # city DP2.1, not this department's DP2.1 (theme D)",
                "city_kpis: [DP2.5]  # city DP2.1, not this department's DP2.1 (theme D)",
            ),
            ("- code: BP2.1", "- code: BP2.2"),
            (
                "- {code: BP2.1.1, name: 臺北市產業獎勵補助及創業協助計畫}",
                "- {code: BP2.2.1, name: 臺北市產業獎勵補助及創業協助計畫}",
            ),
        ],
        "departments/doed/theme-c.yaml": [
            ("- code: CP4", "- code: CP5"),
            ("- code: CP4.1", "- code: CP5.1"),
            ("- {code: CP4.1.1, name: 推動農業振興方案計畫}", "- {code: CP5.1.1, name: 推動農業振興方案計畫}"),
            (
                "- {code: CP4.1.2, name: 木柵茶推廣中心及南港茶製場經營及維護}",
                "- {code: CP5.1.2, name: 木柵茶推廣中心及南港茶製場經營及維護}",
            ),
        ],
        "departments/dol/theme-d.yaml": [("city_kpis: [DP2.1, DP4.1]", "city_kpis: [DP2.5, DP4.1]")],
    }


def test_dry_run_prints_a_unified_diff_and_writes_nothing(plan: Path) -> None:
    add_second_department(plan)
    files = snapshot(plan)
    run = stratmap("rename", "city:DP2.1", "DP2.5", "data/110", cwd=plan.parent.parent)
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "--- a/data/110/city.yaml",
        "+++ b/data/110/city.yaml",
        "@@ -99,7 +99,7 @@",
        "         perspective: P",
        "         name: 打造創業搖籃",
        "         kpis:",
        "-          - code: DP2.1",
        "+          - code: DP2.5",
        "           - code: DP2.2",
        "       - code: DP3",
        "         perspective: P",
        "--- a/data/110/departments/doed/theme-b.yaml",
        "+++ b/data/110/departments/doed/theme-b.yaml",
        "@@ -44,7 +44,7 @@",
        "     kpis:",
        "       - code: BP1.1",
        "         name: 協助新創企業國際鏈結家數",
        "-        city_kpis: [DP2.1]  # city DP2.1, not this department's DP2.1 (theme D)",
        "+        city_kpis: [DP2.5]  # city DP2.1, not this department's DP2.1 (theme D)",
        "         action_plans:",
        "           - {code: BP1.1.1, name: 臺北市補助新創團隊海外參與創業計畫}",
        "           - {code: BP1.1.2, name: 產業人才交流計畫}",
        "--- a/data/110/departments/dol/theme-d.yaml",
        "+++ b/data/110/departments/dol/theme-d.yaml",
        "@@ -10,6 +10,6 @@",
        "     kpis:",
        "       - code: DP2.1",
        "         name: 與產業局 DP2.1 同代碼的指標",
        "-        city_kpis: [DP2.1, DP4.1]",
        "+        city_kpis: [DP2.5, DP4.1]",
        "         action_plans:",
        "           - {code: DP2.1.1, name: 測試行動計畫}",
    ]
    assert snapshot(plan) == files


def test_department_code_is_not_the_city_code(plan: Path) -> None:
    add_second_department(plan)
    run = stratmap("rename", "dol:DP2.1", "dol:DP2.2", "data/110", cwd=plan.parent.parent)
    assert run.code == 0, run.err
    changed = [line for line in run.out.splitlines() if line.startswith(("-", "+"))]
    assert changed == [
        "--- a/data/110/departments/dol/theme-d.yaml",
        "+++ b/data/110/departments/dol/theme-d.yaml",
        "-      - code: DP2.1",
        "+      - code: DP2.2",
        "-          - {code: DP2.1.1, name: 測試行動計畫}",
        "+          - {code: DP2.2.1, name: 測試行動計畫}",
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "doed:BP2.1",
            "doed:BP3.1",
            "doed:BP3.1 is already used by the department KPI at data/110/departments/doed/theme-b.yaml:65:15; "
            "choose a free code, or rename that item first",
        ),
        (
            "doed:BP2",
            "doed:AP9",
            "doed:BP2 (department objective) sits in B: its new code must start with B (rule R002 code-prefix), "
            "as in BP2",
        ),
        (
            "doed:BP2",
            "doed:BC9",
            "doed:BP2 is a 內部流程 (P) objective: its new code must have P as its second letter, as in BP9",
        ),
        (
            "DP2.1",
            "DP2.9",
            "DP2.1 names 3 items: city:DP2.1 (city KPI), doed:DP2.1 (department KPI), dol:DP2.1 (department KPI); "
            "qualify it, as in city:DP2.1",
        ),
        (
            "doed:BP9.9",
            "doed:BP9.8",
            "no theme, objective, KPI or action plan is coded doed:BP9.9 in this plan; check the code with "
            "'stratmap trace'",
        ),
        (
            "doed:BP2.1",
            "city:BP2.2",
            "doed:BP2.1 cannot become city:BP2.2: a rename stays in its namespace (doed); write doed:BP2.2",
        ),
    ],
)
def test_refusals_exit_2_and_write_nothing(plan: Path, old: str, new: str, message: str) -> None:
    add_second_department(plan)
    files = snapshot(plan)
    run = stratmap("rename", old, new, "data/110", "--write", cwd=plan.parent.parent)
    assert (run.code, run.out, run.err) == (2, "", f"stratmap: error: {message}\n")
    assert snapshot(plan) == files


def test_measures_keys_follow_a_renamed_kpi(plan: Path) -> None:
    measures = plan / DOED / "measures.yaml"
    measures.write_text("kind: measures\nmeasures:\n  BP2.1:   # 新設企業家數\n    110: 410\n  BP1.1: {110: 25}\n",
                        encoding="utf-8")  # fmt: skip
    run = stratmap("rename", "doed:BP2", "doed:BP4", "data/110", "--write", cwd=plan.parent.parent)
    assert run.code == 0, run.err
    assert measures.read_text(encoding="utf-8") == (
        "kind: measures\nmeasures:\n  BP4.1:   # 新設企業家數\n    110: 410\n  BP1.1: {110: 25}\n"
    )
    assert run.out == "".join(
        f"rewrote data/110/{name}\n"
        for name in (
            "departments/doed/department.yaml",
            "departments/doed/measures.yaml",
            "departments/doed/theme-b.yaml",
        )  # fmt: skip
    )


def test_kpi_moves_to_another_theme_with_its_action_plans_and_measurements(plan: Path) -> None:
    measures = plan / DOED / "measures.yaml"
    measures.write_text("kind: measures\nmeasures:\n  AP2.1:\n    110: 90\n", encoding="utf-8")
    before = plan.parent.parent / "before" / "110"
    shutil.copytree(plan, before)
    cwd = plan.parent.parent
    run = stratmap("rename", "doed:AP2.1", "doed:CP3.2", "data/110", "--write", cwd=cwd)
    assert run.code == 0, run.err
    assert stratmap("validate", "data/110", cwd=cwd).code == 0
    theme_a = (before / DOED / "theme-a.yaml").read_text(encoding="utf-8")
    moved = (
        "    kpis:\n"
        "      - code: AP2.1\n"
        "        name: 八大行業聯合檢查平均合格率\n"
        "        action_plans:\n"
        "          - {code: AP2.1.1, name: 加強八大行業稽查及輔導事宜}\n"
    )
    assert (plan / DOED / "theme-a.yaml").read_text(encoding="utf-8") == theme_a.replace(moved, "")
    theme_c = (before / DOED / "theme-c.yaml").read_text(encoding="utf-8")
    last_of_cp3 = "          - {code: CP3.1.1, name: 臺北市商圈行銷推廣計畫}\n"
    assert (plan / DOED / "theme-c.yaml").read_text(encoding="utf-8") == theme_c.replace(
        last_of_cp3,
        last_of_cp3 + "      - code: CP3.2\n"
        "        name: 八大行業聯合檢查平均合格率\n"
        "        action_plans:\n"
        "          - {code: CP3.2.1, name: 加強八大行業稽查及輔導事宜}\n",
    )
    assert measures.read_text(encoding="utf-8") == "kind: measures\nmeasures:\n  CP3.2:\n    110: 90\n"
    found = changes_of(stratmap("diff", "before/110", "data/110", "--format", "json", cwd=cwd))
    assert found == [
        ("moved", "kpi", "doed:CP3.2", None, None, None),
        ("moved", "action_plan", "doed:CP3.2.1", None, None, None),
    ]


def test_kpi_moving_in_keeps_the_comment_after_the_objective(plan: Path) -> None:
    run = stratmap("rename", "doed:CP3.1", "doed:AP2.2", "data/110", cwd=plan.parent.parent)
    assert run.code == 0, run.err
    theme_a = run.out[run.out.index("--- a/data/110/departments/doed/theme-a.yaml") :]
    theme_a = theme_a[: theme_a.index("--- a/data/110/departments/doed/theme-c.yaml")]
    assert theme_a.splitlines()[-4:] == [
        "+          - {code: AP2.2.1, name: 臺北市商圈行銷推廣計畫}",
        "   # 學習成長構面",
        "   - code: AL1",
        "     perspective: L",
    ]


def test_a_code_that_would_inject_lines_or_yaml_is_refused_and_shown_on_one_line(plan: Path) -> None:
    """A hostile NEW (a YAML mapping, a comment, a workflow command after a line break) is not a code:
    exit 2, nothing written, and the message keeps it on one line with the break shown as ``\\n``."""
    before = {p: p.read_bytes() for p in plan.rglob("*.yaml")}
    for new in ("doed:BP2.9 #x", "doed:BP2.9: {a: 1}", "doed:BP2.9\n::error::forged"):
        run = stratmap("rename", "doed:BP2.1", new, "--write", cwd=plan.parent.parent)
        assert run.code == 2 and "is not a code" in run.err, run.err
        assert len(run.err.splitlines()) == 1 and "\n::error" not in run.err
    assert {p: p.read_bytes() for p in plan.rglob("*.yaml")} == before
