"""``stratmap diff`` field by field: targets, weights, units, owners, tags, budgets, mission, roles, measured values.

The diff of codes and names (added, removed, renamed, moved, references) is tested in test_integrations.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import DOED, copy_plan, edit, stratmap
from test_second_department import add_second_department
from test_trace import measured

GOLDEN = Path(__file__).resolve().parent / "golden" / "diff"


def weighted(plan: Path) -> None:
    """Give every objective of doed a weight (AC1 20, the other 40 objectives 2 each: 100 in all)."""
    first = True
    for theme in sorted((plan / DOED).glob("theme-*.yaml")):
        text = theme.read_text(encoding="utf-8")

        def weigh(match: re.Match[str]) -> str:
            nonlocal first
            weight, first = ("20" if first else "2"), False
            return f"{match.group(0)}\n    weight: {weight}"

        theme.write_text(re.sub(r"^    perspective: [CPLF]$", weigh, text, flags=re.MULTILINE), encoding="utf-8")


MEASURES_111 = """kind: measures
measures:
  BP2.1:
    111Q1: 410
  BP1.1:
    111: 25
"""


def revised_with_fields(plan: Path) -> Path:
    """FY110 measured and weighted, and a FY111 that changes a field of each kind, and its measures."""
    measured(plan)
    weighted(plan)
    new = copy_plan(plan, "111", 111)
    theme_b = new / DOED / "theme-b.yaml"
    edit(theme_b, "        target: 1500\n", "        target: 1600\n        owner: 商業處\n")
    edit(theme_b, "        unit: 家\n", "        unit: 間\n")
    edit(theme_b, "tags: [非營業基金考核指標]\n        action_plans:\n          - {code: BP2.1.1",
         "tags: [非營業基金考核指標, 亮點指標]\n        action_plans:\n          - {code: BP2.1.1")  # fmt: skip
    edit(theme_b, "{code: BP2.1.1, name: 臺北市產業獎勵補助及創業協助計畫}",
         "{code: BP2.1.1, name: 臺北市產業獎勵補助及創業協助計畫, budget: 12500000}")  # fmt: skip
    edit(
        theme_b,
        "  - code: BP2\n    perspective: P\n    weight: 2\n",
        "  - code: BP2\n    perspective: P\n    weight: 3\n",
    )
    edit(new / DOED / "theme-a.yaml", "    weight: 20\n", "    weight: 19\n")
    department = new / DOED / "department.yaml"
    edit(department, "mission: 促進產業永續發展，提升市民生活品質", "mission: 促進產業永續發展，提升市民生活品質與韌性")
    edit(department, "  lead: [D]\n  member: [A, B]", "  lead: [D, C]\n  member: [A, B]")
    (new / DOED / "measures.yaml").write_text(MEASURES_111, encoding="utf-8")
    return new


def changes_of(run: Any) -> list[tuple[str, str, str, str | None, Any, Any]]:
    """``(change, item, id, field, old_value, new_value)`` of each change of a ``--format json`` diff."""
    return [
        (c["change"], c["item"], c["id"], c["field"], c["old_value"], c["new_value"]) for c in run.json()["changes"]
    ]


@pytest.mark.parametrize(
    ("fmt", "golden"), [("text", "fields.txt"), ("json", "fields.json"), ("markdown", "fields.md")]
)
def test_field_changes_match_golden(plan: Path, fmt: str, golden: str, update_golden: bool) -> None:
    """Refresh with ``python -m pytest --update-golden`` after an intended change."""
    revised_with_fields(plan)
    run = stratmap("diff", "110", "111", "--format", fmt, cwd=plan.parent.parent)
    assert run.code == 0, run.err
    path = GOLDEN / golden
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(run.out, encoding="utf-8")
    assert run.out == path.read_text(encoding="utf-8")


def test_every_kind_of_field_change_is_reported(plan: Path) -> None:
    revised_with_fields(plan)
    run = stratmap("diff", "110", "111", "--format", "json", cwd=plan.parent.parent)
    found = changes_of(run)
    for expected in (
        (
            "changed",
            "department",
            "doed",
            "mission",
            "促進產業永續發展，提升市民生活品質",
            "促進產業永續發展，提升市民生活品質與韌性",
        ),
        ("changed", "department", "doed", "city_roles.lead", ["D"], ["D", "C"]),
        ("changed", "objective", "doed:AC1", "weight", 20, 19),
        ("changed", "objective", "doed:BP2", "weight", 2, 3),
        ("changed", "kpi", "doed:BP2.1", "unit", "家", "間"),
        ("changed", "kpi", "doed:BP2.1", "target", 1500, 1600),
        ("changed", "kpi", "doed:BP2.1", "owner", None, "商業處"),
        ("changed", "kpi", "doed:BP2.1", "tags", ["非營業基金考核指標"], ["非營業基金考核指標", "亮點指標"]),
        ("changed", "action_plan", "doed:BP2.1.1", "budget", None, 12500000),
    ):
        assert expected in found, expected
    assert not [c for c in found if c[1] == "measure"], "values of two different years are not compared"
    assert all(change[0] == "changed" for change in found), "nothing but fields and values changed"
    first = run.json()["changes"][0]
    assert set(first) == {"change", "item", "id", "old", "new", "target", "field", "old_value", "new_value"}
    kpi = next(c for c in run.json()["changes"] if c["field"] == "target")
    assert kpi["old"]["id"] == "doed:BP2.1" and kpi["new"]["path"] == "data/111/departments/doed/theme-b.yaml"


def test_field_changes_count_for_exit_code(plan: Path) -> None:
    cwd = plan.parent.parent
    new = copy_plan(plan, "111", 111)
    unchanged = stratmap("diff", "110", "111", "--exit-code", cwd=cwd)
    assert (unchanged.code, unchanged.out) == (0, "data/110 (plan 110) → data/111 (plan 111): 0 changes\n")
    assert stratmap("diff", "110", "111", "--format", "json", "--exit-code", cwd=cwd).json()["changes"] == []
    edit(
        new / DOED / "theme-b.yaml",
        "        name: 新設企業家數\n",
        "        name: 新設企業家數\n        owner: 商業處\n",
    )
    run = stratmap("diff", "110", "111", "--exit-code", cwd=cwd)
    assert run.code == 1
    assert run.out.splitlines()[1].split() == ["changed", "KPI", "doed:BP2.1", "owner:", "(none)", "→", "商業處"]


def test_same_year_revision_shows_measured_values_changed(plan: Path) -> None:
    """Two editions of one plan year (as printed, then revised): a value corrected, a note added, one removed."""
    measured(plan)
    earlier = plan.parent.parent / "edition-1" / "110"
    shutil.copytree(plan, earlier)
    edit(plan / DOED / "measures.yaml", "    110Q2: 380\n", "    110Q2: {value: 390, note: 更正}\n")
    edit(plan / DOED / "measures.yaml", "  BP1.1:\n    110: 21\n", "")
    run = stratmap("diff", "edition-1/110", "data/110", "--format", "json", "--exit-code", cwd=plan.parent.parent)
    assert run.code == 1, run.err
    assert changes_of(run) == [
        ("changed", "measure", "doed:BP1.1", "110", 21, None),
        ("changed", "measure", "doed:BP2.1", "110Q2", 380, 390),
        ("changed", "measure", "doed:BP2.1", "110Q2.note", None, "更正"),
    ]
    text = stratmap("diff", "edition-1/110", "data/110", cwd=plan.parent.parent).out.splitlines()
    assert text[2].split() == ["changed", "measure", "doed:BP2.1", "110Q2:", "380", "→", "390"]


def test_numbers_compare_by_value_not_by_spelling(plan: Path) -> None:
    measured(plan)
    new = copy_plan(plan, "111", 111)
    edit(new / DOED / "theme-b.yaml", "        target: 20\n", "        target: 20.0\n")
    (new / DOED / "measures.yaml").unlink()
    (plan / DOED / "measures.yaml").unlink()
    run = stratmap("diff", "110", "111", "--format", "json", cwd=plan.parent.parent)
    assert run.json()["changes"] == []


def test_markdown_escapes_every_value(plan: Path) -> None:
    new = copy_plan(plan, "111", 111)
    edit(
        new / DOED / "theme-b.yaml",
        "        name: 新設企業家數\n",
        '        name: 新設企業家數\n        owner: "@octocat see #12 | **now** <b>x</b> https://evil.example"\n',
    )
    edit(new / DOED / "department.yaml", "vision: 打造亞洲最適發展的創新匯流城市", 'vision: "[click](http://x) @team"')
    markdown = stratmap("diff", "110", "111", "--format", "markdown", cwd=plan.parent.parent).out
    rows = [line for line in markdown.splitlines() if line.startswith("| changed")]
    assert rows == [
        "| changed | department doed vision | 打造亞洲最適發展的創新匯流城市 | "
        "\\[click\\](http&#58;//x) @<!-- -->team |",
        "| changed | KPI doed:BP2.1 owner | (none) | @<!-- -->octocat see #<!-- -->12 \\| \\*\\*now\\*\\* "
        "&lt;b&gt;x&lt;/b&gt; https&#58;//evil.example |",
    ]


def test_renumbered_kpi_reports_its_field_changes_and_values(plan: Path) -> None:
    measured(plan)
    new = copy_plan(plan, "111", 111)
    theme = new / DOED / "theme-b.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("BP2.1", "BP2.2"), encoding="utf-8")
    edit(theme, "        target: 1500\n", "        target: 1400\n")
    measures = new / DOED / "measures.yaml"
    measures.write_text(measures.read_text(encoding="utf-8").replace("BP2.1", "BP2.2").replace("110", "111"), "utf-8")
    found = changes_of(stratmap("diff", "110", "111", "--format", "json", cwd=plan.parent.parent))
    found = [change for change in found if change[2] == "doed:BP2.2"]
    assert found == [
        ("moved", "kpi", "doed:BP2.2", None, None, None),
        ("changed", "kpi", "doed:BP2.2", "target", 1500, 1400),
    ]


def test_department_items_and_second_department(plan: Path) -> None:
    new = copy_plan(plan, "111", 111)
    add_second_department(new)
    department = new / DOED / "department.yaml"
    edit(department, "strategies: [發展食農產業, 建立食農連結, 強化食農教育, 推廣可食地景]",
         "strategies: [發展食農產業, 建立食農連結, 強化食農教育, 推廣都市農園]")  # fmt: skip
    run = stratmap("diff", "110", "111", "--format", "json", cwd=plan.parent.parent)
    found = changes_of(run)
    assert found[0] == ("added", "department", "dol", None, None, None)
    assert ("renamed", "policy_strategy", "doed:PA2.4", None, None, None) in found
    assert ("added", "theme", "dol:D", None, None, None) in found
    text = stratmap("diff", "110", "111", cwd=plan.parent.parent).out.splitlines()
    assert text[1].split()[:3] == ["added", "department", "dol"]
    back = changes_of(stratmap("diff", "111", "110", "--format", "json", cwd=plan.parent.parent))
    assert back[-1] == ("removed", "department", "dol", None, None, None)


def test_city_map_fields_names_and_tows_links(plan: Path) -> None:
    new = copy_plan(plan, "111", 111)
    edit(new / "city.yaml", "vision: 成為宜居永續城市", "vision: 成為宜居永續智慧城市")
    edit(
        new / "city.yaml", "          - code: DP2.2\n", "          - code: DP2.2\n            name: 新創企業設立家數\n"
    )
    edit(
        new / DOED / "department.yaml",
        "text: 建構便捷安全商業環境, objective: AP2}",
        "text: 建構便捷安全商業環境, objective: AP1}",
    )
    run = stratmap("diff", "110", "111", "--format", "json", cwd=plan.parent.parent)
    summary = [(c["change"], c["item"], c["id"], c["field"], c["target"]) for c in run.json()["changes"]]
    assert summary == [
        ("changed", "city_map", "city", "vision", None),
        ("renamed", "city_kpi", "city:DP2.2", None, None),
        ("reference added", "tows_link", "doed:ST2", None, "doed:AP1"),
        ("reference removed", "tows_link", "doed:ST2", None, "doed:AP2"),
    ]
    text = stratmap("diff", "110", "111", cwd=plan.parent.parent).out.splitlines()
    assert text[2].split() == ["renamed", "city", "KPI", "city:DP2.2:", "(none)", "→", "新創企業設立家數"]
