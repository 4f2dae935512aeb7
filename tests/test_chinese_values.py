"""Chinese values where a planner writes them: 顧客/內部流程/學習成長/財務 for a perspective, 越高越好/越低越好
for a direction, 每月/每季/每半年/每年 for a frequency. Each is read as its code (C/P/L/F, higher/lower,
monthly...), so that every rule, trace, status and page sees the code; any other word is S004 at its line and
column, in each language; ``fmt`` writes the code; the JSON Schemas take both forms. Through the real CLI."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import DOED, REPO, column_of, edit, line_of, problems, stratmap

THEME_B = DOED / "theme-b.yaml"
CITY = Path("city.yaml")
ZH = {"LANG": "zh_TW.UTF-8"}
EN = {"LANG": "C"}
BP2_1 = "        name: 新設企業家數\n"
TAGS = "        tags: [非營業基金考核指標]\n"
"""BP2.1's last key before direction and frequency, in the schema's order."""
PERSPECTIVES = {"C": "顧客", "P": "內部流程", "L": "學習成長", "F": "財務"}
DIRECTIONS = {"higher": "越高越好", "lower": "越低越好"}
FREQUENCIES = {"monthly": "每月", "quarterly": "每季", "half-yearly": "每半年", "yearly": "每年"}


def validate(plan: Path, env: dict[str, str] | None = None) -> list[dict[str, object]]:
    """The problems of ``validate --format json`` on ``plan``."""
    run = stratmap("validate", "--format", "json", plan, cwd=plan.parent.parent, env=env)
    assert "Traceback" not in run.err and run.code in (0, 1), run.err
    problems(run)  # every problem has its place
    return list(run.json()["problems"])


def passes(plan: Path) -> None:
    run = stratmap("validate", "--format", "json", plan, cwd=plan.parent.parent)
    assert run.code == 0 and problems(run) == [], run.out + run.err


def in_chinese(plan: Path) -> None:
    """Every perspective of ``plan`` (block and flow mappings, city map and department themes) in Chinese."""
    for path in [plan / CITY, *sorted((plan / DOED).glob("theme-*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(perspective: )([CPLF])\b", lambda m: m[1] + PERSPECTIVES[m[2]], text)
        path.write_text(text, encoding="utf-8")


# ---- accepted --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("letter", "word"), PERSPECTIVES.items())
def test_each_perspective_name_is_accepted(plan: Path, letter: str, word: str) -> None:
    theme = plan / THEME_B
    written = f"    perspective: {letter}\n"
    count = theme.read_text(encoding="utf-8").count(written)
    assert count >= 1
    edit(theme, written, f"    perspective: {word}\n", count)
    passes(plan)


def test_every_perspective_in_chinese_in_every_file_passes(plan: Path) -> None:
    in_chinese(plan)
    assert "perspective: 內部流程}" not in (plan / CITY).read_text(encoding="utf-8")  # flow: "…, name: …}"
    assert "perspective: 內部流程, name:" in (plan / CITY).read_text(encoding="utf-8")
    passes(plan)


@pytest.mark.parametrize(("code", "word"), DIRECTIONS.items())
def test_each_direction_word_is_accepted(plan: Path, code: str, word: str) -> None:
    edit(plan / THEME_B, BP2_1, BP2_1 + f"        direction: {word}\n        target: 1200\n")
    passes(plan)


@pytest.mark.parametrize(("code", "word"), FREQUENCIES.items())
def test_each_frequency_word_is_accepted(plan: Path, code: str, word: str) -> None:
    edit(plan / THEME_B, BP2_1, BP2_1 + f"        direction: higher\n        target: 1200\n        frequency: {word}\n")
    passes(plan)


def test_rules_see_the_code_a_frequency_word_stands_for(plan: Path) -> None:
    """每季 is quarterly: a monthly value is M001, as with ``frequency: quarterly``."""
    edit(plan / THEME_B, BP2_1, BP2_1 + "        direction: 越高越好\n        target: 1200\n        frequency: 每季\n")
    (plan / DOED / "measures.yaml").write_text("kind: measures\nmeasures:\n  BP2.1: {110M01: 5}\n", encoding="utf-8")
    chinese = [(p["rule"], p["line"], p["column"]) for p in validate(plan)]
    edit(plan / THEME_B, "frequency: 每季", "frequency: quarterly")
    edit(plan / THEME_B, "direction: 越高越好", "direction: higher")
    canonical = [(p["rule"], p["line"], p["column"]) for p in validate(plan)]
    assert chinese == canonical and [rule for rule, _, _ in chinese] == ["M001"]


# ---- refused ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("env", [EN, ZH], ids=["C", "zh_TW"])
def test_a_word_that_is_no_perspective_is_s004_at_its_place(plan: Path, env: dict[str, str]) -> None:
    theme = plan / THEME_B
    line = edit(theme, "  - code: BP2\n    perspective: P\n", "  - code: BP2\n    perspective: 內部\n") + 1
    [problem] = validate(plan, env)
    assert (problem["rule"], problem["line"], problem["column"]) == ("S004", line, 18)
    assert column_of(theme, "內部\n") == 18
    english = (
        "perspective of objective BP2 must be one of C, P, L, F (or in Chinese 顧客, 內部流程, 學習成長, 財務), "
        "not '內部'"
    )
    chinese = "策略目標 BP2 的 perspective 只能寫 C, P, L, F（或中文 顧客, 內部流程, 學習成長, 財務），不能寫 '內部'"
    assert problem["message"] == (english if env is EN else chinese)
    assert problem["hint"] == ("did you mean '內部流程'?" if env is EN else "是不是要寫 '內部流程'？")


@pytest.mark.parametrize("env", [EN, ZH], ids=["C", "zh_TW"])
def test_a_wrong_word_in_a_flow_mapping_is_s004_at_its_place(plan: Path, env: dict[str, str]) -> None:
    city = plan / CITY
    edit(city, "{code: AP1, perspective: P,", "{code: AP1, perspective: 內部,")
    [problem] = validate(plan, env)
    where = (line_of(city, "perspective: 內部,"), column_of(city, "內部,"))
    assert (problem["rule"], problem["line"], problem["column"]) == ("S004", *where)
    assert "'內部'" in str(problem["message"]) and "內部流程" in str(problem["message"])


@pytest.mark.parametrize("env", [EN, ZH], ids=["C", "zh_TW"])
def test_a_perspective_word_that_disagrees_with_the_code_is_s006(plan: Path, env: dict[str, str]) -> None:
    theme = plan / THEME_B
    line = edit(theme, "  - code: BP2\n    perspective: P\n", "  - code: BP2\n    perspective: 顧客\n") + 1
    [problem] = validate(plan, env)
    assert (problem["rule"], problem["line"], problem["column"]) == ("S006", line, 18)
    assert problem["message"] == (
        "objective BP2 says perspective 顧客 but its code has 'P'"
        if env is EN
        else "策略目標 BP2 寫構面 顧客，但代號的構面字母是 'P'"
    )


def test_a_perspective_word_that_agrees_with_the_code_passes(plan: Path) -> None:
    edit(plan / THEME_B, "  - code: BP2\n    perspective: P\n", "  - code: BP2\n    perspective: 內部流程\n")
    passes(plan)


def test_a_basis_word_is_still_refused_with_the_code_to_write(plan: Path) -> None:
    """評估體制 is not among the fields that take Chinese words: 統計數據 gets the code to write."""
    theme = plan / THEME_B
    edit(theme, BP2_1, BP2_1 + "        basis: 統計數據\n")
    [problem] = validate(plan)
    where = (line_of(theme, "統計數據"), column_of(theme, "統計數據"))
    assert (problem["rule"], problem["line"], problem["column"]) == ("S004", *where)
    assert problem["message"] == "basis is written as a code: write statistics for 統計數據"


# ---- fmt -------------------------------------------------------------------------------------------------


def test_fmt_writes_the_codes_and_changes_nothing_else(plan: Path) -> None:
    root = plan.parent.parent
    theme = plan / THEME_B
    shipped = {path: path.read_bytes() for path in sorted(plan.rglob("*.yaml"))}
    in_chinese(plan)
    edit(theme, TAGS, TAGS + "        direction: 越高越好  # 新設企業越多越好\n        frequency: '每季'\n")
    expected = dict(shipped)
    expected[theme] = edit_bytes(
        shipped[theme], TAGS, TAGS + "        direction: higher  # 新設企業越多越好\n        frequency: quarterly\n"
    )
    changed = sorted(path for path in shipped if path.read_bytes() != shipped[path])
    assert plan / CITY in changed and theme in changed

    check = stratmap("fmt", "--check", cwd=root)
    assert check.code == 1
    assert sorted(check.out.split("\n")[:-1]) == sorted(
        f"would reformat {path.relative_to(root).as_posix()}" for path in changed
    )
    run = stratmap("fmt", cwd=root)
    assert run.code == 0, run.err
    for path, content in expected.items():
        assert path.read_bytes() == content, path
    assert stratmap("fmt", "--check", cwd=root).code == 0
    passes(plan)


def test_fmt_leaves_other_words_as_they_are(plan: Path) -> None:
    """A word under another key, or a word the field does not take (validate reports it), is left as it is."""
    root = plan.parent.parent
    edit(plan / THEME_B, TAGS, TAGS + "        note: 內部流程\n")  # a note, not a perspective
    edit(plan / THEME_B, "  - code: BP2\n    perspective: P\n", "  - code: BP2\n    perspective: 內部\n")
    assert stratmap("fmt", "--check", cwd=root).code == 0


def edit_bytes(content: bytes, old: str, new: str) -> bytes:
    text = content.decode("utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


# ---- the JSON Schemas ------------------------------------------------------------------------------------


def schema(name: str) -> dict[str, object]:
    return dict(json.loads((REPO / "schemas" / name).read_text(encoding="utf-8")))


THEME = {
    "kind": "theme",
    "code": "B",
    "name": "打造創業搖籃",
    "aligns_to": ["DP2"],
    "objectives": [
        {
            "code": "BP2",
            "perspective": "內部流程",
            "name": "協助新創事業發展",
            "kpis": [
                {"code": "BP2.1", "name": "新設企業家數", "direction": "越高越好", "target": 1200, "frequency": "每季"}
            ],
        },
        {"code": "BC1", "perspective": "C", "name": "完善輔導服務", "kpis": []},
    ],
}


def test_the_theme_schema_takes_both_forms() -> None:
    jsonschema.validate(THEME, schema("theme.schema.json"))
    wrong = json.loads(json.dumps(THEME))
    wrong["objectives"][0]["perspective"] = "內部"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(wrong, schema("theme.schema.json"))
    for key, value in [("direction", "越大越好"), ("frequency", "每週")]:
        wrong = json.loads(json.dumps(THEME))
        wrong["objectives"][0]["kpis"][0][key] = value
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(wrong, schema("theme.schema.json"))


def test_the_city_map_schema_takes_both_forms() -> None:
    city = {
        "kind": "city_map",
        "title": "臺北市政府110年度策略地圖",
        "mission": "m",
        "vision": "v",
        "core_values": ["c"],
        "themes": [
            {
                "code": "D",
                "name": "優化產業勞動",
                "objectives": [{"code": "DP2", "perspective": "內部流程", "name": "打造創業搖籃"}],
            }
        ],
    }
    jsonschema.validate(city, schema("city-map.schema.json"))


@pytest.mark.parametrize("name", ["theme.schema.json", "city-map.schema.json"])
def test_the_schemas_say_which_letter_is_which_perspective(name: str) -> None:
    text = (REPO / "schemas" / name).read_text(encoding="utf-8")
    assert (
        "C 顧客 (customer), P 內部流程 (internal process), L 學習成長 (learning and growth), F 財務 (financial)" in text
    )


def test_the_theme_schema_describes_direction_and_frequency_in_both_languages() -> None:
    kpi = json.loads((REPO / "schemas" / "theme.schema.json").read_text(encoding="utf-8"))["$defs"]["Kpi"]
    assert "higher 越高越好, lower 越低越好" in kpi["properties"]["direction"]["description"]
    assert "quarterly 每季" in kpi["properties"]["frequency"]["description"]


# ---- what the commands show ------------------------------------------------------------------------------

MEASURED = [
    (
        "新設企業家數",
        "direction: {higher}\n        target: 600\n        frequency: {quarterly}\n        aggregation: sum",
    ),
    ("專業職能訓練完成率", "direction: {lower}\n        target: 5\n        frequency: {half-yearly}"),
    ("協助新創企業國際鏈結家數", "direction: {higher}\n        target: 10\n        frequency: {yearly}"),
    ("扶植創業空間進駐廠商家數", "direction: {higher}\n        target: 100\n        frequency: {monthly}"),
]


def measured(plan: Path, words: dict[str, str]) -> None:
    """Targets, directions and frequencies on four KPIs (written with ``words``) and their measures."""
    for name, fields in MEASURED:
        filled = re.sub(r"\{([a-z-]+)\}", lambda m: words.get(m[1], m[1]), fields)
        edit(plan / THEME_B, f"        name: {name}\n", f"        name: {name}\n        {filled}\n")
    (plan / DOED / "measures.yaml").write_text(
        "kind: measures\nmeasures:\n  BP2.1: {110Q1: 300, 110Q2: 320}\n  BL1.1: {110H1: 4}\n  BP1.1: {110: 12}\n",
        encoding="utf-8",
    )


def test_trace_status_and_render_show_the_same_as_with_the_codes(plan: Path, tmp_path: Path) -> None:
    chinese_root = tmp_path / "zh"
    shutil.copytree(plan.parent, chinese_root / "data")
    measured(plan, {})
    chinese = chinese_root / "data" / "110"
    measured(chinese, {**DIRECTIONS, **FREQUENCIES})
    in_chinese(chinese)
    assert "越低越好" in (chinese / THEME_B).read_text(encoding="utf-8")
    for root in (plan.parent.parent, chinese_root):
        assert stratmap("validate", cwd=root).code == 0
    for args in [
        ("trace", "BP2", "--format", "json"),
        ("trace", "BP2.1"),
        ("trace", "DP2", "--format", "json"),
        ("status", "--format", "json"),
        ("status",),
    ]:
        for env in (EN, ZH):
            codes, words = (stratmap(*args, cwd=root, env=env) for root in (plan.parent.parent, chinese_root))
            assert codes.code == words.code == 0, codes.err + words.err
            assert words.out == codes.out, args
    for root in (plan.parent.parent, chinese_root):
        assert stratmap("render", "--format", "markdown", "-o", "site", cwd=root).code == 0
    pages = sorted((plan.parent.parent / "site").rglob("*"))
    assert pages
    for page in pages:
        if page.is_file():
            assert (chinese_root / page.relative_to(plan.parent.parent)).read_bytes() == page.read_bytes(), page
