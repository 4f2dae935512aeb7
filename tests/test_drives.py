"""Cause and effect as data: ``drives:`` on an objective, its rules (R010-R012), trace, fmt and the schema."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import DOED, REPO, column_of, copy_plan, edit, line_of, problems, stratmap

THEME_B = DOED / "theme-b.yaml"
ZH = {"LANG": "zh_TW.UTF-8"}

# Where each objective of theme B starts its lines: a drives list is written right below its name.
NAMES = {
    "BC1": "    name: 完善創業服務辦公室輔導服務\n",
    "BC2": "    name: 扶植創新創業平台\n",
    "BP1": "    name: 整合資源推動創業契機\n",
    "BP2": "    name: 協助新創事業發展\n",
    "BL1": "    name: 培育優秀人力\n",
    "BF1": "    name: 提高預算執行效能\n",
}


def drives(plan: Path, objective: str, codes: str, file: Path = THEME_B) -> None:
    """Give ``objective`` of theme B the drives list ``codes`` (as written: ``[BC1, BP2]``)."""
    name = NAMES[objective]
    edit(plan / file, name, f"{name}    drives: {codes}\n")


def validate(plan: Path, *args: str, env: dict[str, str] | None = None) -> list[tuple[str, int, int, str, str]]:
    run = stratmap("validate", "--format", "json", *args, plan.parent, cwd=plan.parent.parent, env=env)
    assert "Traceback" not in run.err, run.err
    return problems(run)


def where(plan: Path, text: str, offset: int = 0, file: Path = THEME_B) -> tuple[str, int, int]:
    path = plan / file
    return f"data/110/{file.as_posix()}", line_of(path, text), column_of(path, text) + offset


def test_a_good_upward_chain_passes(plan: Path) -> None:
    drives(plan, "BF1", "[BL1]")
    drives(plan, "BL1", "[BP1, BP2]")
    drives(plan, "BP1", "[BP2, BC1]")  # the same perspective is allowed
    drives(plan, "BP2", "[BC1, BC2]")
    drives(plan, "BC1", "[BC2]")
    run = stratmap("validate", "--strict", plan.parent, cwd=plan.parent.parent)
    assert run.code == 0, run.out + run.err


def test_empty_list_passes(plan: Path) -> None:
    drives(plan, "BP1", "[]")
    assert validate(plan) == []


def test_missing_code_at_its_line_and_column_with_a_hint(plan: Path) -> None:
    drives(plan, "BP1", "[BC1, BC9]")
    run = stratmap("validate", "--format", "json", plan.parent, cwd=plan.parent.parent)
    assert problems(run) == [(*where(plan, "BC9]"), "R010", "error")]
    (problem,) = run.json()["problems"]
    assert "BC9" in problem["message"] and "BC3" in problem["hint"]
    assert run.code == 1


def test_a_code_of_another_department_objective_in_another_theme_is_found(plan: Path) -> None:
    drives(plan, "BP1", "[AC1]")  # theme A's objective: the same department
    assert validate(plan) == []


def test_a_city_objective_code_is_not_the_departments(plan: Path) -> None:
    drives(plan, "BP1", "[TC3]")  # a city code, written in a department file: the department has no TC3
    assert validate(plan) == [(*where(plan, "TC3]"), "R010", "error")]


@pytest.mark.parametrize("code", ["city:DP2", "doed:BC1", "other:BC1"])
def test_another_namespace_is_refused(plan: Path, code: str) -> None:
    drives(plan, "BP1", f"[{code}]")
    run = stratmap("validate", "--format", "json", plan.parent, cwd=plan.parent.parent)
    assert problems(run) == [(*where(plan, f"{code}]"), "S005", "error")]
    (problem,) = run.json()["problems"]
    assert "another map" in problem["message"] and code.split(":")[1] in problem["hint"]


def test_reverse_direction_warns(plan: Path) -> None:
    drives(plan, "BC1", "[BP1]")
    drives(plan, "BL1", "[BF1]")
    assert sorted(validate(plan)) == sorted(
        [(*where(plan, "BP1]"), "R011", "warning"), (*where(plan, "BF1]"), "R011", "warning")]
    )


def test_two_cycle_warns_once_at_the_first_code(plan: Path) -> None:
    drives(plan, "BP1", "[BP2]")
    drives(plan, "BP2", "[BP1]")
    run = stratmap("validate", "--format", "json", plan.parent, cwd=plan.parent.parent)
    assert problems(run) == [(*where(plan, "BP2]"), "R012", "warning")]
    assert "BP1 → BP2 → BP1" in run.json()["problems"][0]["message"]
    assert run.code == 0, "a warning only"


def test_three_cycle_warns_once(plan: Path) -> None:
    drives(plan, "BL1", "[BP1]")
    drives(plan, "BP1", "[BP2]")
    drives(plan, "BP2", "[BL1]")  # runs down as well: R011 too
    found = validate(plan)
    assert [p for p in found if p[3] == "R012"] == [(*where(plan, "BP2]"), "R012", "warning")]
    assert [p for p in found if p[3] == "R011"] == [(*where(plan, "BL1]"), "R011", "warning")]


def test_an_objective_driving_itself_is_a_cycle(plan: Path) -> None:
    drives(plan, "BP1", "[BC1, BP1]")
    assert validate(plan) == [(*where(plan, "BP1]"), "R012", "warning")]


def test_a_code_listed_twice_is_one_link(plan: Path) -> None:
    drives(plan, "BC1", "[BP1, BP1]")
    found = validate(plan)
    assert [p[3] for p in found] == ["R011", "R008"]


def test_city_objectives_drive_within_the_city_map(plan: Path) -> None:
    city = Path("city.yaml")
    written = "      - {code: DC1, perspective: C, name: 促進充分就業"
    edit(plan / city, written + "}", written + ", drives: [DP1, DC9]}")
    found = validate(plan)
    assert found == [
        (*where(plan, "DP1, DC9]", file=city), "R011", "warning"),
        (*where(plan, "DC9]", file=city), "R010", "error"),
    ]


def test_non_code_and_wrong_shapes_are_schema_errors(plan: Path) -> None:
    drives(plan, "BP1", "[1]")
    drives(plan, "BP2", "BC1")
    drives(plan, "BL1", "[{code: BC1}]")
    found = validate(plan)
    assert [(p[3], p[1]) for p in found] == [
        ("S005", line_of(plan / THEME_B, "drives: [1]")),  # values are text: '1' is no objective code
        ("S004", line_of(plan / THEME_B, "drives: BC1")),
        ("S004", line_of(plan / THEME_B, "drives: [{code")),
    ]


def test_severity_comes_from_configuration(plan: Path) -> None:
    drives(plan, "BC1", "[BP1]")
    assert [p[4] for p in validate(plan, "--error", "R011")] == ["error"]
    assert validate(plan, "--ignore", "R011") == []


def test_a_long_list_and_a_deep_chain_do_not_hang(plan: Path) -> None:
    theme = plan / DOED / "theme-z.yaml"
    lines = [
        "kind: theme",
        "code: Z",
        "name: 壓力測試",
        "aligns_to: [DP2]",
        "objectives:",
    ]
    count = 3000
    for n in range(1, count + 1):
        after = n + 1 if n < count else 1  # one long circle
        lines += [f"  - code: ZP{n}", "    perspective: P", f"    name: 目標{n}", f"    drives: [ZP{after}]"]
    lines[-1] = "    drives: [" + ", ".join(f"ZP{n}" for n in range(1, 10_001)) + "]"  # 10,000 codes
    theme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.monotonic()
    found = validate(plan, env={"STRATMAP_NO_CACHE": "1"})
    assert time.monotonic() - start < 60
    assert len([p for p in found if p[3] == "R012"]) == 2  # the circle of all, and ZP3000 driving itself
    assert len([p for p in found if p[3] == "R010"]) == 100 + 1  # 7,000 unknown codes: the first 100, summed up


def test_rule_docs_are_shown() -> None:
    for code, words in (("R010", "BP9"), ("R011", "顧客 C"), ("R012", "circle")):
        run = stratmap("rule", code)
        assert run.code == 0 and words in run.out, run.out
    run = stratmap("rule", "R011", env=ZH)
    assert run.code == 0 and "因果關係由下往上" in run.out


def test_rules_list_the_new_codes_with_their_severity() -> None:
    lines = [line.split()[:3] for line in stratmap("rules").out.splitlines()]
    assert ["R010", "unknown-driven-objective", "error"] in lines
    assert ["R011", "drives-against-perspective", "warning"] in lines
    assert ["R012", "drives-cycle", "warning"] in lines


def test_messages_in_chinese(plan: Path) -> None:
    drives(plan, "BC1", "[BP1, BC9]")
    run = stratmap("validate", plan.parent, cwd=plan.parent.parent, env=ZH)
    assert "策略目標 BC1（顧客）支持 BP1（內部流程），與構面順序相反" in run.out
    assert "策略目標 BC1 支持 BC9" in run.out


def chain(plan: Path) -> None:
    drives(plan, "BL1", "[BP2]")
    drives(plan, "BP2", "[BC1, BC2]")


def test_trace_lists_drives_and_driven_by_in_text(plan: Path) -> None:
    chain(plan)
    run = stratmap("trace", "doed:BP2", cwd=plan.parent.parent)
    assert run.code == 0, run.err
    out = run.out
    assert "├── drives\n│   ├── department objective doed:BC1 完善創業服務辦公室輔導服務 (顧客)\n" in out
    assert "│   └── department objective doed:BC2 扶植創新創業平台 (顧客)\n" in out
    assert "├── driven by\n│   └── department objective doed:BL1 培育優秀人力 (學習成長)\n" in out
    assert out.index("from TOWS") < out.index("drives") < out.index("driven by") < out.index("serves city goals")
    chinese = stratmap("trace", "doed:BP2", cwd=plan.parent.parent, env=ZH).out
    assert "├── 支持下列策略目標\n" in chinese and "├── 受下列策略目標支持\n" in chinese
    markdown = stratmap("trace", "doed:BP2", "--format", "markdown", cwd=plan.parent.parent).out
    assert "  - drives\n    - department objective doed:BC1" in markdown
    assert "  - driven by\n    - department objective doed:BL1" in markdown


def test_trace_lists_drives_in_json(plan: Path) -> None:
    chain(plan)
    for env in (None, ZH):
        (match,) = stratmap("trace", "doed:BP2", "--format", "json", cwd=plan.parent.parent, env=env).json()["matches"]
        assert match["drives"] == ["doed:BC1", "doed:BC2"] and match["driven_by"] == ["doed:BL1"]
    (kpi,) = stratmap("trace", "BP2.1", "--format", "json", cwd=plan.parent.parent).json()["matches"]
    assert kpi["drives"] == [] and kpi["driven_by"] == []


def test_trace_without_drives_is_unchanged() -> None:
    out = stratmap("trace", "doed:BP2").out
    assert "drives" not in out and "driven by" not in out


def test_fmt_places_drives_before_the_kpis(plan: Path) -> None:
    path = plan / THEME_B
    edit(path, "          - {code: BP1.1.2, name: 產業人才交流計畫}\n",
         "          - {code: BP1.1.2, name: 產業人才交流計畫}\n    drives:\n      - BC1\n      - BP2\n")  # fmt: skip
    run = stratmap("fmt", plan, cwd=plan.parent.parent)
    assert run.code == 0, run.err
    text = path.read_text(encoding="utf-8")
    assert "    name: 整合資源推動創業契機\n    drives: [BC1, BP2]\n    kpis:\n" in text
    assert stratmap("fmt", "--check", plan, cwd=plan.parent.parent).code == 0


def test_schema_accepts_drives() -> None:
    for name, model in (("theme.schema.json", "Objective"), ("city-map.schema.json", "CityObjective")):
        schema = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
        field = schema["$defs"][model]["properties"]["drives"]
        assert field["type"] == "array" and field["items"]["pattern"] == "^([A-Z])([CPLF])([1-9][0-9]{0,5})$"
        assert "cause and effect" in field["description"] and "因果關係" in field["description"]
        assert "drives" not in schema["$defs"][model].get("required", [])


def test_schema_validates_a_file_with_drives(plan: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    drives(plan, "BP1", "[BC1, BP2]")
    schema = json.loads((REPO / "schemas" / "theme.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load((plan / THEME_B).read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**yaml.safe_load((plan / THEME_B).read_text(encoding="utf-8")), "objectives": [
            {"code": "BP1", "perspective": "P", "name": "x", "drives": ["city:DP2"]}]}, schema)  # fmt: skip


def test_graph_api(plan: Path) -> None:
    """What renderers and trace use: each link once, in document order, with where its code was written."""
    import gc
    import weakref

    from stratmap.config import Settings
    from stratmap.linking.graph import Node, QualifiedCode
    from stratmap.pipeline import open_plan

    drives(plan, "BL1", "[BP2, BP9]")
    drives(plan, "BP2", "[BC1, BC2, BC1]")
    drives(plan, "BP1", "[BC1]")
    graph = open_plan([plan], None, plan.parent.parent, Settings()).graph
    assert graph is not None

    found = {code: graph.find(QualifiedCode("doed", code)) for code in ("BP2", "BC1")}
    bp2, bc1 = found["BP2"], found["BC1"]
    assert isinstance(bp2, Node) and isinstance(bc1, Node)
    assert [n.code.code for n in graph.drives(bp2)] == ["BC1", "BC2"]
    assert [n.code.code for n in graph.driven_by(bp2)] == ["BL1"]
    assert [n.code.code for n in graph.driven_by(bc1)] == ["BP1", "BP2"]
    assert [(a.code.code, b.code.code) for a, b in graph.drives_edges("doed")] == [
        ("BP1", "BC1"), ("BP2", "BC1"), ("BP2", "BC2"), ("BL1", "BP2"),
    ]  # fmt: skip
    assert graph.drives_edges("city") == []
    unresolved = [r for r in graph.drives_references("doed") if r.target is None]
    assert [(r.target_code.code, r.location.line) for r in unresolved] == [("BP9", line_of(plan / THEME_B, "BP9]"))]
    watched = weakref.ref(graph)
    del graph, bp2, bc1, found, unresolved
    gc.collect()
    assert watched() is None


def test_diff_reports_a_drives_link_added_and_removed(plan: Path) -> None:
    newer = copy_plan(plan, "111", 111)
    edit(newer / DOED / "theme-a.yaml", "    name: 培育優秀人力\n", "    name: 培育優秀人力\n    drives: [AP1]\n")
    cwd = plan.parent.parent
    run = stratmap("diff", "110", "111", cwd=cwd)
    assert run.code == 0 and "  reference added   drives link        doed:AL1 → doed:AP1\n" in run.out, run.out
    back = stratmap("diff", "111", "110", cwd=cwd, env={"LANG": "zh_TW.UTF-8"})
    assert "因果連結" in back.out and "doed:AL1 → doed:AP1" in back.out, back.out
