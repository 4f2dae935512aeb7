"""A second department sits beside the first under the same city map, with no code change."""

from __future__ import annotations

from pathlib import Path

from conftest import problems, stratmap

DEPARTMENT = """\
# yaml-language-server: $schema=../../../../schemas/department.schema.json
kind: department
id: dol
name: 臺北市政府勞動局
mission: 測試用的使命
vision: 測試用的願景
core_values: [測試]
city_roles:
  lead: []
  member: [D]
"""

THEME = """\
# yaml-language-server: $schema=../../../../schemas/theme.schema.json
kind: theme
code: D
name: 測試主題
aligns_to: [DP4]
objectives:
  - code: DP2
    perspective: P
    name: 與產業局代碼相同的目標
    kpis:
      - code: DP2.1
        name: 與產業局 DP2.1 同代碼的指標
        city_kpis: [DP2.1, DP4.1]
        action_plans:
          - {code: DP2.1.1, name: 測試行動計畫}
"""


def add_second_department(plan: Path) -> Path:
    folder = plan / "departments" / "dol"
    folder.mkdir()
    (folder / "department.yaml").write_text(DEPARTMENT, encoding="utf-8")
    (folder / "theme-d.yaml").write_text(THEME, encoding="utf-8")
    return folder


def test_same_codes_in_two_departments_do_not_clash(plan: Path) -> None:
    add_second_department(plan)
    run = stratmap("validate", "--format", "json", plan, cwd=plan.parent.parent)
    rules = {p[3] for p in problems(run)}
    assert "R001" not in rules, run.out
    assert run.json()["plans"][0]["counts"] == {
        "themes": 6,
        "objectives": 42,
        "kpis": 46,
        "action_plans": 62,
        "city_references": 17,
    }


def test_duplicate_department_id_is_reported(plan: Path) -> None:
    folder = add_second_department(plan)
    text = (folder / "department.yaml").read_text(encoding="utf-8").replace("id: dol", "id: doed")
    (folder / "department.yaml").write_text(text, encoding="utf-8")
    run = stratmap("validate", "--format", "json", plan, cwd=plan.parent.parent)
    assert ("data/110/departments/dol/department.yaml", 3, 5, "R006", "error") in problems(run)
