"""Schema errors (S002-S006) a civil servant can act on: the item named by kind and code, in the language of
the run (English with LANG=C, Traditional Chinese with LANG=zh_TW, never both at once), no Python names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import DOED, column_of, edit, line_of, stratmap

PYTHON_WORDS = re.compile(r"[A-Z][a-z]+[A-Z]\w*|dict|instance of|Input should|type=|\[\d+\]")
HAN = re.compile("[\u4e00-\u9fff]")
ZH = {"LANG": "zh_TW.UTF-8"}

BP1_1 = "        name: 協助新創企業國際鏈結家數\n"
BP2_1_PLANS = "          - {code: BP2.1.1, name: 臺北市產業獎勵補助及創業協助計畫}\n"


def schema_problems(plan: Path, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The schema problems (S...) of a run on ``plan``, after checking that none speaks Python."""
    run = stratmap("validate", "--format", "json", "data/110", cwd=plan.parent.parent, env=env)
    assert run.code == 1, run.out + run.err
    found = [p for p in run.json()["problems"] if p["rule"].startswith("S")]
    for problem in found:
        assert not PYTHON_WORDS.search(problem["message"]), problem["message"]
        assert not PYTHON_WORDS.search(problem.get("hint") or ""), problem["hint"]
    return found


def both(plan: Path) -> tuple[tuple[int, int, str], tuple[str, str], tuple[str, str]]:
    """The one schema problem of ``plan``: where, (English, Chinese) message, (English, Chinese) hint; the
    same place in both languages, and each language speaking only its own."""
    [english] = schema_problems(plan)
    [chinese] = schema_problems(plan, ZH)
    assert at(english) == at(chinese)
    assert not HAN.search(re.sub(r"'[^']*'| for \S+$", "", english["message"])), "English but for values written"
    assert HAN.search(chinese["message"]) and " of " not in chinese["message"]
    return at(english), (english["message"], chinese["message"]), (english["hint"], chinese["hint"])


def at(problem: dict[str, Any]) -> tuple[int, int, str]:
    return problem["line"], problem["column"], problem["rule"]


def test_unknown_key_names_the_kpi_by_code(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, BP1_1, BP1_1 + "        actual: 3\n")
    where, message, _hint = both(plan)
    assert where == (line_of(theme, "actual:"), 9, "S002")
    assert message == ("KPI BP1.1: unknown key 'actual'", "關鍵績效指標 BP1.1 有不認得的鍵 'actual'")


def test_a_kpi_key_at_objective_level_says_where_it_belongs(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "    perspective: L\n", "    perspective: L\n    city_kpis: [DC9.9]\n")
    where, message, hint = both(plan)
    assert where == (line_of(theme, "city_kpis: [DC9.9]"), 5, "S002")
    assert message == ("objective BL1: unknown key 'city_kpis'", "策略目標 BL1 有不認得的鍵 'city_kpis'")
    assert hint == ("city_kpis belongs to a KPI, not to an objective", "'city_kpis' 是關鍵績效指標的鍵，不屬於策略目標")


def test_a_typo_gets_a_key_of_its_own_level(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "        city_kpis: [DP2.2]\n", "        city_kpi: [DP2.2]\n")
    where, message, hint = both(plan)
    assert where == (line_of(theme, "city_kpi:"), 9, "S002")
    assert message == ("KPI BP2.1: unknown key 'city_kpi'", "關鍵績效指標 BP2.1 有不認得的鍵 'city_kpi'")
    assert hint == ("did you mean 'city_kpis'?", "是不是要寫 'city_kpis'？")


def test_missing_key_names_the_objective(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "    name: 培育優秀人力\n", "")
    where, message, hint = both(plan)
    assert where == (line_of(theme, "  - code: BL1"), 5, "S003")
    assert message == ("objective BL1: missing required key 'name'", "策略目標 BL1 少了必填的鍵 'name'")
    assert hint == ("add 'name:' here", "在這裡加上 'name:'")


def test_a_kpi_at_objective_level_is_one_error(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    block = (
        "  - code: BP2.2\n    name: 新創企業家數\n    city_kpis: [DP2.2]\n    action_plans:\n"
        "      - {code: BP2.2.1, name: 某計畫}\n"
    )
    edit(theme, BP2_1_PLANS, BP2_1_PLANS + block)
    where, message, hint = both(plan)
    assert where == (line_of(theme, "code: BP2.2\n"), 11, "S005")
    assert message == (
        "this looks like a KPI written as an objective: indent it under an objective's kpis:",
        "這看起來是寫成策略目標的關鍵績效指標：請把它縮排到某個策略目標的 kpis: 底下",
    )
    assert hint == (
        "code BP2.2 belongs to objective BP2: put it under BP2's kpis:",
        "代號 BP2.2 屬於策略目標 BP2：把它放到 BP2 的 kpis: 底下",
    )


def test_a_bare_string_as_an_action_plan(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, BP2_1_PLANS, BP2_1_PLANS + "          - 臺北市補助計畫\n")
    where, message, hint = both(plan)
    assert where == (line_of(theme, "- 臺北市補助計畫"), column_of(theme, "臺北市補助計畫\n"), "S004")
    assert message == (
        "the 2nd action plan of KPI BP2.1 is written as {code: …, name: …}, not plain text",
        "關鍵績效指標 BP2.1 的第 2 個行動計畫要寫成 {code: …, name: …}，不是一段文字",
    )
    assert hint == ("- {code: BP2.1.2, name: 臺北市補助計畫}",) * 2


def test_empty_action_plans(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "          - {code: BF1.1.1, name: 以預(決)算數計算預算執行差異率}\n", "")
    where, message, _hint = both(plan)
    line = len(theme.read_text(encoding="utf-8").splitlines())
    assert where == (line, 22, "S004")
    assert message == (
        "action_plans of KPI BF1.1 is empty: list its items (- …) under it, or delete the line",
        "關鍵績效指標 BF1.1 的 action_plans 是空的：在底下列出項目（- …），或刪掉這一行",
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("baseline", ("baseline of KPI BP1.1: write the number 95 and put % in unit:",
                      "關鍵績效指標 BP1.1 的 baseline 寫數字 95，把 % 寫在 unit: 裡")),
        ("target", ("target of KPI BP1.1: write the number 95 and put % in unit:",
                    "關鍵績效指標 BP1.1 的 target 寫數字 95，把 % 寫在 unit: 裡")),
    ],
)  # fmt: skip
def test_a_percent_sign_in_a_number(plan: Path, key: str, message: tuple[str, str]) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, BP1_1, BP1_1 + f"        {key}: 95%\n")
    where, said, _hint = both(plan)
    assert where == (line_of(theme, "95%"), column_of(theme, "95%"), "S004")
    assert said == message


@pytest.mark.parametrize(
    ("where", "written", "message", "hint"),
    [
        ("    perspective: P\n", "    perspective: 內部\n",
         ("perspective of objective BP1 must be one of C, P, L, F (or in Chinese 顧客, 內部流程, 學習成長, 財務), "
          "not '內部'",
          "策略目標 BP1 的 perspective 只能寫 C, P, L, F（或中文 顧客, 內部流程, 學習成長, 財務），不能寫 '內部'"),
         ("did you mean '內部流程'?", "是不是要寫 '內部流程'？")),
        (BP1_1, BP1_1 + "        direction: 越大越好\n",
         ("direction of KPI BP1.1 must be one of higher, lower (or in Chinese 越高越好, 越低越好), not '越大越好'",
          "關鍵績效指標 BP1.1 的 direction 只能寫 higher, lower（或中文 越高越好, 越低越好），不能寫 '越大越好'"),
         ("did you mean '越高越好'?", "是不是要寫 '越高越好'？")),
        (BP1_1, BP1_1 + "        frequency: 每週\n",
         ("frequency of KPI BP1.1 must be one of monthly, quarterly, half-yearly, yearly "
          "(or in Chinese 每月, 每季, 每半年, 每年), not '每週'",
          "關鍵績效指標 BP1.1 的 frequency 只能寫 monthly, quarterly, half-yearly, yearly"
          "（或中文 每月, 每季, 每半年, 每年），不能寫 '每週'"),
         ("", "")),  # no word is close to 每週 (weekly): no guess
    ],
)  # fmt: skip
def test_a_chinese_word_a_field_does_not_take_lists_both_forms(
    plan: Path, where: str, written: str, message: tuple[str, str], hint: tuple[str, str]
) -> None:
    """內部流程, 越高越好, 每季 are accepted (tests/test_chinese_values.py); another word is refused at its
    line and column, with the codes and the Chinese words a planner may write, in each language."""
    theme = plan / DOED / "theme-b.yaml"
    line = edit(theme, where, written) + (0 if where != BP1_1 else 1)
    word = written.rsplit(": ", 1)[1].strip()
    [english] = schema_problems(plan)
    [chinese] = schema_problems(plan, ZH)
    assert at(english) == at(chinese) == (line, column_of(theme, f": {word}") + 2, "S004")
    assert (english["message"], chinese["message"]) == message
    assert (english["hint"], chinese["hint"]) == hint


def test_an_unknown_value_lists_the_choices(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, BP1_1, BP1_1 + "        direction: upward\n")
    [english] = schema_problems(plan)
    [chinese] = schema_problems(plan, ZH)
    assert at(english) == at(chinese) == (line_of(theme, "upward"), column_of(theme, "upward"), "S004")
    assert (english["message"], chinese["message"]) == (
        "direction of KPI BP1.1 must be one of higher, lower (or in Chinese 越高越好, 越低越好), not 'upward'",
        "關鍵績效指標 BP1.1 的 direction 只能寫 higher, lower（或中文 越高越好, 越低越好），不能寫 'upward'",
    )


def test_a_malformed_code_is_explained_in_each_language(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "      - code: BL1.1\n", "      - code: BL1.\n")
    where, message, _hint = both(plan)
    assert where == (line_of(theme, "BL1.\n"), 15, "S005")
    assert message == (
        "'BL1.' is not a valid KPI code: expected objective code + '.n', for example 'DP2.2'",
        "'BL1.' 不是關鍵績效指標代號的寫法：應為策略目標代號 + '.n'，例如 'DP2.2'",
    )


def test_a_perspective_that_disagrees_with_the_code(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    line = edit(theme, "    perspective: L\n", "    perspective: F\n")
    where, message, hint = both(plan)
    assert where == (line, 18, "S006")
    assert message == (
        "objective BL1 says perspective F but its code has 'L'",
        "策略目標 BL1 寫構面 F，但代號的構面字母是 'L'",
    )
    assert hint == (
        "make the perspective agree with the code's second letter (C, P, L or F)",
        "讓構面與代號的第二個字母一致（C、P、L 或 F）",
    )


def test_a_target_of_a_later_year_that_is_no_number(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, BP1_1, BP1_1 + "        targets: {111: 很多}\n")
    where, message, _hint = both(plan)
    assert where == (line_of(theme, "很多"), column_of(theme, "很多"), "S004")
    assert message == (
        "KPI BP1.1: target of 111 '很多' is not a number",
        "關鍵績效指標 BP1.1 的 111 年目標值 '很多' 不是數字",
    )
