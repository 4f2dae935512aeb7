"""Help and usage errors speak the language of the run: Traditional Chinese with nothing English but
codes, option, file, format and command names; English with no Chinese but the few domain words the
English help quotes on purpose (達成率, 實際值, 待填, the Chinese CSV columns)."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, stratmap
from stratmap.cli import COMMANDS

CHINESE = {"LANG": "zh_TW.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}

ALLOWED_ENGLISH = {
    "stratmap", *COMMANDS,  # the program and its commands, as typed
    "KPI", "TOWS", "YAML", "CSV", "JSON", "HTML", "PDF", "Markdown", "UTF", "BOM", "Big",  # formats and encodings
    "text", "json", "github", "sarif", "markdown", "html", "pdf", "csv", "git",  # format names, `git diff`
    "zh", "TW", "en", "NO", "COLOR", "LANG",  # --lang values, NO_COLOR=1
    "CODE", "PATH", "OLD", "NEW", "FOLDER", "PLAN", "FILE", "YEAR", "ID",
    "RULE", "DATE", "PERIOD",  # metavars of the usage lines
    "city", "doed",  # namespaces, as in city:DP2.1
    "targets", "kpi", "period", "actual", "note",  # a YAML key and the English CSV columns, as written
    "schemas",  # the folder schema writes into by default
}  # fmt: skip
ALLOWED_CHINESE = {"達成率", "實際值", "待填", "指標代碼", "期別", "備註"}
"""The Chinese the English help shows on purpose: words of the planners' documents and the CSV columns."""

_LITERALS = [
    r"(?m)(範例|Example)：?:?.*$",  # an example is a command line
    r"'[^']*'",  # a quoted value ('dept', the schema line)
    r"(?<![\w-])--?[a-z][a-z-]*",  # an option
    r"\S*/\S*",  # a path
    r"\S+\.(yaml|csv|html|md|toml|json)\b",  # a file name
    r"\b(?:[a-z]+:)?[A-Z]{1,3}\d+(?:\.\d+)*\b",  # a code: DP2.2, doed:BP2.1, N001, S007
    r"\b[a-z]+(?:-[a-z]+)+\b",  # a rule name: numbering-gap
]


def english_words(text: str) -> set[str]:
    """Words of two or more Latin letters in ``text`` that are not codes, names or literals."""
    for literal in _LITERALS:
        text = re.sub(literal, " ", text)
    return set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_ENGLISH


def chinese_words(text: str) -> set[str]:
    """Runs of Chinese characters (and full-width punctuation) in ``text`` that English may not show."""
    return set(re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", text)) - ALLOWED_CHINESE


HELP_ARGS = [["-h"], *([name, "--help"] for name in COMMANDS)]


@pytest.mark.parametrize("args", HELP_ARGS, ids=" ".join)
def test_help_in_chinese_has_no_english_words(args: list[str]) -> None:
    run = stratmap(*args, env=CHINESE)
    assert run.code == 0, run.err
    assert run.out.startswith("用法：stratmap"), run.out
    assert english_words(run.out) == set(), run.out
    assert "選項：" in run.out and "顯示此說明後結束。" in run.out


@pytest.mark.parametrize("args", HELP_ARGS, ids=" ".join)
def test_help_in_english_has_no_chinese_but_the_quoted_domain_words(args: list[str]) -> None:
    run = stratmap(*args, env=ENGLISH)
    assert run.code == 0, run.err
    assert run.out.startswith("Usage: stratmap"), run.out
    assert chinese_words(run.out) == set(), run.out


@pytest.mark.parametrize("args", [["validate"], ["trace"], ["status"]], ids=" ".join)
def test_lang_before_or_after_the_command_chooses_the_language_of_help(args: list[str]) -> None:
    for before, after in ((["--lang", "zh-TW"], []), ([], ["--lang", "zh-TW"])):
        run = stratmap(*before, *args, *after, "--help", env=ENGLISH)
        assert run.out.startswith("用法："), run.out
        assert english_words(run.out) == set(), run.out
    assert stratmap(*args, "--help", "--lang", "en", env=CHINESE).out.startswith("Usage: ")


def test_defaults_and_required_are_said_in_chinese() -> None:
    out = stratmap("trace", "-h", env=CHINESE).out
    assert "[必填]" in out and "[預設：text]" in out and "引數：" in out
    assert "[required]" not in stratmap("trace", "-h", env=CHINESE).out


def test_the_list_of_commands_is_in_the_language_of_the_run() -> None:
    chinese = stratmap("-h", env=CHINESE).out
    assert "命令：\n  validate  檢查策略檔" in chinese
    english = stratmap("-h", env=ENGLISH).out
    assert "Commands:\n  validate  Check the strategy files" in english


USAGE_ERRORS = {
    "missing argument": (["trace"], "缺少引數 '<CODE>'。", "Missing argument '<CODE>'."),
    "no such option": (["validate", "--bogus"], "沒有 --bogus 這個選項", "No such option: --bogus"),
    "possible options": (["validate", "--strct"], "（可能的選項：--strict）", "(Possible options: --strict)"),
    "bad choice": (["validate", "-f", "xml"], "不是 'text', 'json', 'github', 'sarif' 其中之一", "is not one of"),
    "not an integer": (["trace", "DP2.2", "--year", "abc"], "不是有效的整數", "is not a valid int"),
    "no such command": (["valdate"], "是不是要輸入 'validate'？", "Did you mean 'validate'?"),
    "option without value": (["trace", "DP2.2", "--year"], "需要一個值", "requires an argument"),
    "extra argument": (["rules", "extra"], "多了無法辨識的引數（extra）", "Got unexpected extra argument"),
}


@pytest.mark.parametrize("case", USAGE_ERRORS)
def test_a_usage_error_in_chinese(case: str) -> None:
    args, chinese, _english = USAGE_ERRORS[case]
    run = stratmap(*args, env=CHINESE)
    assert run.code == 2 and run.out == ""
    first, usage, hint = run.err.splitlines()
    assert first.startswith("stratmap: 錯誤：") and chinese in first, run.err
    assert usage.startswith("用法：stratmap") and hint.startswith("執行 'stratmap") and hint.endswith(" -h' 查看說明。")
    assert english_words(run.err.replace("extra", "")) == set(), run.err


@pytest.mark.parametrize("case", USAGE_ERRORS)
def test_a_usage_error_in_english(case: str) -> None:
    args, _chinese, english = USAGE_ERRORS[case]
    run = stratmap(*args, env=ENGLISH)
    assert run.code == 2 and run.out == ""
    first, usage, hint = run.err.splitlines()
    assert first.startswith("stratmap: error: ") and english in first, run.err
    assert usage.startswith("Usage: stratmap") and hint.startswith("Try 'stratmap") and hint.endswith(" -h' for help.")
    assert chinese_words(run.err) == set(), run.err


def test_languages_change_within_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests run several languages in one process: help and errors are translated when they are
    shown, from the English the app was built with, never once at import."""
    from typer.testing import CliRunner

    from stratmap import cli, i18n

    monkeypatch.chdir(REPO)
    monkeypatch.setenv("LANG", "C.UTF-8")
    runner = CliRunner()
    try:
        for _round in range(2):
            chinese = runner.invoke(cli.app, ["--lang", "zh-TW", "trace", "-h"], prog_name="stratmap")
            assert (
                chinese.exit_code == 0 and "要追蹤的代號" in chinese.output and english_words(chinese.output) == set()
            )
            english = runner.invoke(cli.app, ["trace", "-h"], prog_name="stratmap")
            assert "The code to follow" in english.output and chinese_words(english.output) == set()
            error = runner.invoke(cli.app, ["trace", "--lang", "zh-TW"], prog_name="stratmap")
            assert error.exit_code == 2 and "stratmap: 錯誤：缺少引數 '<CODE>'。" in error.output
            error = runner.invoke(cli.app, ["trace"], prog_name="stratmap")
            assert error.exit_code == 2 and "stratmap: error: Missing argument '<CODE>'." in error.output
    finally:
        i18n.set_language(None)


def test_wide_text_is_wrapped_by_columns() -> None:
    """A Chinese character takes two columns: help lines stay within the 80 columns of a terminal, and no
    line starts with a closing mark (，。）), however many stand in a row."""
    import unicodedata

    def columns(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)

    for args in HELP_ARGS:
        out = stratmap(*args, env={**CHINESE, "COLUMNS": "80"}).out
        too_wide = [line for line in out.splitlines() if columns(line) > 80]
        assert too_wide == [], (args, too_wide)
        badly_broken = [line for line in out.splitlines() if line.strip()[:1] in set("，。、；：？！）」』")]
        assert badly_broken == [], (args, badly_broken)
