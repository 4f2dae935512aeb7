"""Schema errors (S002-S006) a civil servant can act on: the item named by kind and code, Chinese first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import DOED, column_of, edit, line_of, stratmap

PYTHON_WORDS = re.compile(r"[A-Z][a-z]+[A-Z]\w*|dict|instance of|Input should|type=")

BP1_1 = "        name: 協助新創企業國際鏈結家數\n"
BP2_1_PLANS = "          - {code: BP2.1.1, name: 臺北市產業獎勵補助及創業協助計畫}\n"


def schema_problems(plan: Path) -> list[dict[str, Any]]:
    """The schema problems (S...) of a run on ``plan``, after checking that none speaks Python."""
    run = stratmap("validate", "--format", "json", "data/110", cwd=plan.parent.parent)
    assert run.code == 1, run.out + run.err
    found = [p for p in run.json()["problems"] if p["rule"].startswith("S")]
    for problem in found:
        assert not PYTHON_WORDS.search(problem["message"]), problem["message"]
        assert not PYTHON_WORDS.search(problem.get("hint") or ""), problem["hint"]
    return found


def at(problem: dict[str, Any]) -> tuple[int, int, str]:
    return problem["line"], problem["column"], problem["rule"]


def test_unknown_key_names_the_kpi_by_code(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, BP1_1, BP1_1 + "        actual: 3\n")
    [problem] = schema_problems(plan)
    assert at(problem) == (line_of(theme, "actual:"), 9, "S002")
    assert problem["message"] == "關鍵績效指標 BP1.1 有不認得的鍵 'actual' (KPI BP1.1: unknown key 'actual')"


def test_a_kpi_key_at_objective_level_says_where_it_belongs(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "    perspective: L\n", "    perspective: L\n    city_kpis: [DC9.9]\n")
    [problem] = schema_problems(plan)
    assert at(problem) == (line_of(theme, "city_kpis: [DC9.9]"), 5, "S002")
    assert problem["message"] == "策略目標 BL1 有不認得的鍵 'city_kpis' (objective BL1: unknown key 'city_kpis')"
    assert (
        problem["hint"]
        == "'city_kpis' 是關鍵績效指標的鍵，不屬於策略目標 (city_kpis belongs to a KPI, not to an objective)"
    )


def test_a_typo_gets_a_key_of_its_own_level(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "        city_kpis: [DP2.2]\n", "        city_kpi: [DP2.2]\n")
    [problem] = schema_problems(plan)
    assert at(problem) == (line_of(theme, "city_kpi:"), 9, "S002")
    assert problem["message"] == "關鍵績效指標 BP2.1 有不認得的鍵 'city_kpi' (KPI BP2.1: unknown key 'city_kpi')"
    assert problem["hint"] == "是不是要寫 'city_kpis'？ (did you mean 'city_kpis'?)"


def test_missing_key_names_the_objective(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "    name: 培育優秀人力\n", "")
    [problem] = schema_problems(plan)
    assert at(problem) == (line_of(theme, "  - code: BL1"), 5, "S003")
    assert problem["message"] == "策略目標 BL1 少了必填的鍵 'name' (objective BL1: missing required key 'name')"
    assert problem["hint"] == "在這裡加上 'name:' (add 'name:' here)"


def test_a_kpi_at_objective_level_is_one_error(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    block = (
        "  - code: BP2.2\n    name: 新創企業家數\n    city_kpis: [DP2.2]\n    action_plans:\n"
        "      - {code: BP2.2.1, name: 某計畫}\n"
    )
    edit(theme, BP2_1_PLANS, BP2_1_PLANS + block)
    [problem] = schema_problems(plan)
    assert at(problem) == (line_of(theme, "code: BP2.2\n"), 11, "S005")
    assert problem["message"] == (
        "這看起來是寫成策略目標的關鍵績效指標：請把它縮排到某個策略目標的 kpis: 底下 "
        "(this looks like a KPI written as an objective: indent it under an objective's kpis:)"
    )
    assert problem["hint"] == (
        "代號 BP2.2 屬於策略目標 BP2：把它放到 BP2 的 kpis: 底下 "
        "(code BP2.2 belongs to objective BP2: put it under BP2's kpis:)"
    )


def test_a_bare_string_as_an_action_plan(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, BP2_1_PLANS, BP2_1_PLANS + "          - 臺北市補助計畫\n")
    [problem] = schema_problems(plan)
    assert at(problem) == (line_of(theme, "- 臺北市補助計畫"), column_of(theme, "臺北市補助計畫\n"), "S004")
    assert problem["message"] == (
        "關鍵績效指標 BP2.1 的第 2 個行動計畫要寫成 {code: …, name: …}，不是一段文字 "
        "(the 2nd action plan of KPI BP2.1 is written as {code: …, name: …}, not plain text)"
    )
    assert problem["hint"] == "- {code: BP2.1.2, name: 臺北市補助計畫}"


def test_empty_action_plans(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "          - {code: BF1.1.1, name: 以預(決)算數計算預算執行差異率}\n", "")
    [problem] = schema_problems(plan)
    line = len(theme.read_text(encoding="utf-8").splitlines())
    assert at(problem) == (line, 22, "S004")
    assert problem["message"] == (
        "關鍵績效指標 BF1.1 的 action_plans 是空的：在底下列出項目（- …），或刪掉這一行 "
        "(action_plans of KPI BF1.1 is empty: list its items (- …) under it, or delete the line)"
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("baseline", "關鍵績效指標 BP1.1 的 baseline 寫數字 95，把 % 寫在 unit: 裡 "
         "(baseline of KPI BP1.1: write the number 95 and put % in unit:)"),
        ("target", "關鍵績效指標 BP1.1 的 target 寫數字 95，把 % 寫在 unit: 裡 "
         "(target of KPI BP1.1: write the number 95 and put % in unit:)"),
    ],
)  # fmt: skip
def test_a_percent_sign_in_a_number(plan: Path, key: str, message: str) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, BP1_1, BP1_1 + f"        {key}: 95%\n")
    [problem] = schema_problems(plan)
    assert at(problem) == (line_of(theme, "95%"), column_of(theme, "95%"), "S004")
    assert problem["message"] == message


@pytest.mark.parametrize(
    ("where", "written", "message"),
    [
        ("    perspective: P\n", "    perspective: 內部流程\n", "構面要寫代號：內部流程 寫成 P "
         "(perspective is written as a code: write P for 內部流程)"),
        (BP1_1, BP1_1 + "        direction: 越高越好\n", "方向要寫代號：越高越好 寫成 higher "
         "(direction is written as a code: write higher for 越高越好)"),
        (BP1_1, BP1_1 + "        frequency: 每季\n", "頻率要寫代號：每季 寫成 quarterly "
         "(frequency is written as a code: write quarterly for 每季)"),
    ],
)  # fmt: skip
def test_chinese_words_for_codes_name_the_code(plan: Path, where: str, written: str, message: str) -> None:
    theme = plan / DOED / "theme-b.yaml"
    line = edit(theme, where, written) + (0 if where != BP1_1 else 1)
    word = written.rsplit(": ", 1)[1].strip()
    [problem] = schema_problems(plan)
    assert at(problem) == (line, column_of(theme, f": {word}") + 2, "S004")
    assert problem["message"] == message


def test_an_unknown_value_lists_the_choices(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, BP1_1, BP1_1 + "        direction: upward\n")
    [problem] = schema_problems(plan)
    assert at(problem) == (line_of(theme, "upward"), column_of(theme, "upward"), "S004")
    assert problem["message"] == (
        "關鍵績效指標 BP1.1 的 direction 只能寫 higher, lower，不能寫 'upward' "
        "(direction of KPI BP1.1 must be one of higher, lower, not 'upward')"
    )


def test_a_malformed_code_speaks_chinese_first(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "      - code: BL1.1\n", "      - code: BL1.\n")
    [problem] = schema_problems(plan)
    assert at(problem) == (line_of(theme, "BL1.\n"), 15, "S005")
    assert problem["message"] == (
        "'BL1.' 不是關鍵績效指標代號的寫法：應為策略目標代號 + '.n'，例如 'DP2.2' "
        "('BL1.' is not a valid KPI code: expected objective code + '.n', for example 'DP2.2')"
    )
