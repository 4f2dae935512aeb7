"""trace, coverage, diff and status speak the planner's language: in Chinese (``LANG=zh_TW.UTF-8`` or ``--lang
zh-TW``) no English word but codes, namespaces, KPI, TOWS, paths and the data's own words; in English
(``LANG=C``) no Chinese structure word, only the data's own text and the scorecard's words, which the English
scorecard shows beside their English on purpose (達成 met, target 目標值)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import DOED, PLAN_110, REPO, Run, copy_plan, data_strings, edit, stratmap

DEMO = REPO / "examples" / "demo" / "data"
CHINESE = {"LANG": "zh_TW.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""}

_PATH = re.compile(r"\S*/\S*")
"""A path as shown (``data/110/city.yaml:103:19``, ``departments/<id>/measures.yaml``): file names are no words."""
_CODE = re.compile(r"\b[A-Z]{1,3}[0-9]+(?:\.[0-9]+)*")
"""A code (``DP2.2``, ``BP2.1.1``, ``SO1``) or the period after a year (``111Q3``)."""
_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED_ENGLISH = {"city", "doed", "KPI", "TOWS", "stratmap", "diff"}
"""The namespaces, KPI and TOWS as the planners write them (府級KPI, TOWS 策略), and the command's own name."""

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
SCORECARD_WORDS = set(
    "達成 接近 未達成 無資料 目標 實際 達成率 累計 平均 目標值 實際值 狀態 代碼 名稱 府級 局級 績效狀態 年 整體 "
    "顧客 內部流程 學習成長 財務".split()
)
"""Chinese the English output shows on purpose: a status beside its English (達成 met), the scorecard's column
words beside theirs (target 目標值), the score line of a trace, and the perspectives (which the data's codes name
by letter only)."""
STRUCTURE_WORDS = (
    "所屬 包含 承接 未承接 對應的局級策略主題 源自 經由 府級策略 局級策略 行動計畫 計分卡 全年 變更 更名 新增 刪除 "
    "項目 年度計畫 名稱未列"
).split()
"""Words of the Chinese reports that the English reports must not show (the data may, as names)."""


def english_words(text: str, data: set[str]) -> set[str]:
    """Latin words of ``text`` that are neither paths, codes, the allowed words nor words of the data."""
    bare = _CODE.sub(" ", _PATH.sub(" ", text))
    return {word for word in _WORD.findall(bare) if word not in ALLOWED_ENGLISH and word not in data}


def data_words(document: Any) -> set[str]:
    """The Latin words of the data's own text in a JSON report (names, units, tags): ``MICE`` of a name."""
    found: set[str] = set()
    for key, value in _items(document):
        if key in ("name", "unit", "tags", "item_name") and value:
            found.update(_WORD.findall(" ".join(value) if isinstance(value, list) else str(value)))
    return found


def _items(document: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(document, dict):
        for key, value in document.items():
            yield key, value
            yield from _items(value)
    elif isinstance(document, list):
        for item in document:
            yield from _items(item)


def chinese_beyond_the_data(text: str, data: list[str]) -> set[str]:
    """Runs of Chinese in ``text`` that are neither the scorecard's words nor part of a text of the data."""
    return {run for run in _CJK.findall(text) if run not in SCORECARD_WORDS and not any(run in value for value in data)}


def run_both(*args: str | Path, cwd: Path = REPO) -> tuple[Run, Run, Any]:
    """The command in Chinese and in English, and its JSON (for the data's own words)."""
    chinese = stratmap(*args, cwd=cwd, env=CHINESE)
    english = stratmap(*args, cwd=cwd, env=ENGLISH)
    document = stratmap(*args, "--format", "json", cwd=cwd, env=ENGLISH)
    assert chinese.code == english.code == document.code == 0, chinese.err + english.err + document.err
    return chinese, english, document.json()


def check(args: tuple[str | Path, ...], plans: tuple[Path, ...], cwd: Path = REPO) -> tuple[str, str]:
    """Text and Markdown of a command in both languages pass both checks; return the Chinese and English text."""
    texts = []
    for output_format in ("text", "markdown"):
        chinese, english, document = run_both(*args, "--format", output_format, cwd=cwd)
        assert english_words(chinese.out, data_words(document)) == set(), chinese.out
        assert chinese_beyond_the_data(english.out, data_strings(*plans)) == set(), english.out
        assert not [word for word in STRUCTURE_WORDS if word in english.out and word not in chinese_data(plans)]
        assert chinese.out != english.out
        texts.append((chinese.out, english.out))
    return texts[0]


def chinese_data(plans: tuple[Path, ...]) -> str:
    return "\n".join(data_strings(*plans))


@pytest.mark.parametrize(
    ("query", "plan"),
    [
        ("DP2.2", PLAN_110),  # a city KPI: the themes aligned to its objective, the department KPIs feeding it
        ("doed:BP2", DEMO),  # a department objective, measured: its roll-up, the city goals it serves
        ("D", PLAN_110),  # a theme in two namespaces: the note that they differ, then both
        ("BP2", PLAN_110),  # an objective code in two namespaces
        ("S1", PLAN_110),  # a TOWS factor: its quadrants' strategies
        ("city:DP2", DEMO),  # a city objective, measured: the status of what feeds it
    ],
)
def test_trace_speaks_the_language_asked_for(query: str, plan: Path) -> None:
    chinese, english = check(("trace", query, plan), (plan,))
    if query == "DP2.2":
        assert "├── 所屬" in chinese and "對應的局級策略主題" in chinese and "└── 承接的局級KPI" in chinese
        assert "（名稱未列）" in chinese and "(對應 city:DP2)" in chinese and "源自 TOWS 策略 doed:SO1" in chinese
        assert "├── in" in english and "fed by department KPIs" in english
    if query == "D":
        assert chinese.startswith("D 在 2 個命名空間都有") and "city:D 或 doed:D" in chinese


def test_coverage_speaks_the_language_asked_for() -> None:
    chinese, english = check(("coverage",), (PLAN_110,))
    assert "(doed：成員)" in chinese and "  — 未承接" in chinese and "對應：局級策略主題 doed:D" in chinese
    assert "(承接 city:AC2.1；屬於 doed:D)" in chinese and "沒有局級KPI承接的府級策略目標：" in chinese
    assert "(doed: member)" in english and "— not fed" in english


def test_coverage_with_scores_speaks_the_language_asked_for() -> None:
    chinese, _ = check(("coverage", DEMO), (DEMO,))
    assert "局級KPI彙整：" in chinese and "共 1 項局級KPI：" in chinese


def test_diff_speaks_the_language_asked_for(tmp_path: Path) -> None:
    """A name changed, an item removed, one added and a reference added."""
    old = tmp_path / "data" / "110"
    import shutil

    shutil.copytree(PLAN_110, old)
    new = copy_plan(old, "111", 111)
    theme = new / DOED / "theme-b.yaml"
    edit(theme, "name: 協助新創事業發展", "name: 協助新創事業成長")
    edit(theme, "          - {code: BP1.1.2, name: 產業人才交流計畫}\n", "")
    edit(theme, "          - {code: BP2.1.1, name: 臺北市產業獎勵補助及創業協助計畫}\n",
         "          - {code: BP2.1.1, name: 臺北市產業獎勵補助及創業協助計畫}\n"
         "          - {code: BP2.1.2, name: 新創團隊輔導計畫}\n")  # fmt: skip
    edit(theme, "city_kpis: [DP2.1]  #", "city_kpis: [DP2.1, DP2.2]  #")
    chinese, english = check(("diff", "data/110", "data/111"), (old, new), cwd=tmp_path)
    assert chinese.splitlines() == [
        "data/110（110 年度計畫）→ data/111（111 年度計畫）：4 項變更",
        "  新增對應 府級KPI對應  doed:BP1.1 → city:DP2.2",
        "  更名     策略目標     doed:BP2: 協助新創事業發展 → 協助新創事業成長",
        "  新增     行動計畫     doed:BP2.1.2 新創團隊輔導計畫",
        "  刪除     行動計畫     doed:BP1.1.2 產業人才交流計畫",
    ]
    assert (
        english.splitlines()[2]
        == "  renamed           objective          doed:BP2: 協助新創事業發展 → 協助新創事業成長"
    )
    markdown = stratmap("diff", "data/110", "data/111", "--format", "markdown", cwd=tmp_path, env=CHINESE).out
    assert (
        "| 變更 | 項目 | 變更前 | 變更後 |" in markdown
        and "| 更名 | 策略目標 | doed:BP2 協助新創事業發展 |" in markdown
    )


def test_diff_json_keeps_its_identifiers_in_chinese(tmp_path: Path) -> None:
    old = tmp_path / "data" / "110"
    import shutil

    shutil.copytree(PLAN_110, old)
    new = copy_plan(old, "111", 111)
    edit(new / DOED / "theme-b.yaml", "name: 協助新創事業發展", "name: 協助新創事業成長")
    documents = [
        json.loads(stratmap("diff", "data/110", "data/111", "-f", "json", cwd=tmp_path, env=env).out)
        for env in (CHINESE, ENGLISH)
    ]
    assert documents[0] == documents[1]
    assert documents[0]["changes"][0]["change"] == "renamed" and documents[0]["changes"][0]["item"] == "objective"


@pytest.mark.parametrize("period", [[], ["--period", "111Q2"], ["--period", "111Q3", "--off-track"]])
def test_status_speaks_the_language_asked_for(period: list[str]) -> None:
    chinese, english = check(("status", DEMO, *period), (DEMO,))
    assert "達成 met" not in chinese and "代碼" in chinese and "府級策略地圖：承接的局級KPI達成狀況" in chinese
    assert "達成 met" in english or "未達成 missed" in english
    if period == ["--period", "111Q2"]:
        assert "截至 111Q2 的年度累計計分卡" in chinese and "21（全年 42）" in chinese


def test_a_plan_with_nothing_to_score_says_so_in_chinese() -> None:
    run = stratmap("status", PLAN_110, env=CHINESE)
    assert run.code == 0 and run.out.startswith(f"{PLAN_110.relative_to(REPO).as_posix()}：尚無任何")
    assert english_words(run.out, set()) <= {"target", "direction", "record", "examples", "demo"}


def test_lang_after_the_command_speaks_chinese_whatever_the_locale() -> None:
    run = stratmap("trace", "DP2.2", "--lang", "zh-TW", env=ENGLISH)
    assert run.code == 0 and "├── 所屬" in run.out
    run = stratmap("coverage", "--lang", "en", env=CHINESE)
    assert run.code == 0 and "— not fed" in run.out


def test_a_malformed_code_is_told_in_chinese() -> None:
    run = stratmap("trace", "DP2..2", env=CHINESE)
    assert run.code == 2 and "「DP2..2」不是代號" in run.err
