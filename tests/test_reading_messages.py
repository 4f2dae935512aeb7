"""Reading, schema, configuration and cache messages in the language of the run (issue 12): Traditional
Chinese with LANG=zh_TW, English with LANG=C; machine formats keep English rule names, messages localized."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conftest import DOED, column_of, edit, stratmap

ZH = {"LANG": "zh_TW.UTF-8"}
HAN = re.compile("[\u4e00-\u9fff]")
"""A Chinese character."""
ENGLISH_WORDS = re.compile(r"\b(?:the|is|not|a|of|in|file|value|key|line)\b")
"""Words of an English sentence, which a Chinese message never holds."""


def bad_file(plan: Path, content: bytes, rule: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """The one problem of rule ``rule`` in ``bad.yaml`` holding ``content``, added to a copy of the shipped plan."""
    (plan / DOED / "bad.yaml").write_bytes(content)
    run = stratmap("validate", "--format", "json", "data/110", cwd=plan.parent.parent, env=env)
    assert "Traceback" not in run.err
    [problem] = [p for p in run.json()["problems"] if p["path"].endswith("bad.yaml") and p["rule"] == rule]
    return problem


def test_json_keeps_english_rule_names_and_localizes_the_message(plan: Path) -> None:
    theme = plan / DOED / "theme-b.yaml"
    line = edit(theme, "tags: [非營業基金考核指標]", "tags: [非營業基金考核指標，府級]")
    column = column_of(theme, "，府級")
    chinese = bad_or_slip(plan, ZH)
    english = bad_or_slip(plan, {"LANG": "C"})
    common = {"line": line, "column": column, "rule": "Y004", "name": "yaml-syntax", "severity": "error"}
    assert chinese == {**common, "message": "把全形逗號「，」改成半形「,」",
                       "hint": "中文輸入法打出了全形標點；YAML 只認半形符號。"
                               "若「，」是文字的一部分，請把這一項加上引號"}  # fmt: skip
    assert english == {**common, "message": "replace the full-width comma with ','",
                       "hint": "a Chinese input method typed full-width punctuation; "
                               "if the '，' belongs to the text, put the item in quotes"}  # fmt: skip


def bad_or_slip(plan: Path, env: dict[str, str]) -> dict[str, Any]:
    run = stratmap("validate", "--format", "json", "data/110", cwd=plan.parent.parent, env=env)
    [problem] = [p for p in run.json()["problems"] if p["path"].endswith("theme-b.yaml")]
    return {key: problem[key] for key in ("line", "column", "rule", "name", "severity", "message", "hint")}


# (id, content of a bad file, rule); each message is Chinese under zh_TW and English under C
READING = [
    ("syntax", b"kind: theme\ncode: [A\n", "Y004"),
    ("missing-colon", b"kind: theme\ncode A\nname: x\n", "Y004"),
    ("duplicate-key", b"kind: theme\ncode: A\ncode: B\n", "Y006"),
    ("tab", b"kind: theme\nobjectives:\n\t- code: AC1\n", "Y005"),
    ("big5", "kind: theme\nname: 健全商貿環境\n".encode("big5"), "Y003"),
    ("empty", b"", "Y009"),
    ("python-tag", b"kind: !!python/object/apply:os.system ['echo pwned']\n", "Y007"),
    ("deep-nesting", b"kind: theme\nx: " + b"[" * 100 + b"]" * 100 + b"\n", "Y011"),
    ("two-documents", b"kind: theme\n---\nkind: plan\n", "Y010"),
    ("control-character", b"kind: theme\nname: a\x07b\n", "Y012"),
    ("nul", b"kind: theme\nname: a\x00b\n", "Y012"),
    ("undefined-alias", b"kind: theme\nname: *nowhere\n", "Y004"),
    ("not-a-mapping", b"- kind: theme\n", "S001"),
    ("unknown-kind", b"kind: scorecard\n", "S001"),
    ("no-kind", b"name: x\n", "S001"),
    ("placeholder", "kind: theme\ncode: B\nname: 待填：策略主題\nobjectives: []\n".encode(), "S007"),
]


@pytest.mark.parametrize(("content", "rule"), [c[1:] for c in READING], ids=[c[0] for c in READING])
def test_reading_problems_speak_the_language_of_the_run(plan: Path, content: bytes, rule: str) -> None:
    chinese, english = bad_file(plan, content, rule, ZH), bad_file(plan, content, rule)
    assert (chinese["rule"], chinese["line"], chinese["column"]) == (
        english["rule"],
        english["line"],
        english["column"],
    )
    assert chinese["rule"] == rule and chinese["name"] == english["name"]
    for said in (chinese["message"], chinese["hint"] or "一"):
        assert HAN.search(said) and not ENGLISH_WORDS.search(said), said
    assert not HAN.search(english["message"].replace("待填：策略主題", "").replace("待填", "")), english["message"]


def test_a_usage_error_about_the_path_is_chinese(tmp_path: Path) -> None:
    run = stratmap("validate", "nowhere", cwd=tmp_path, env=ZH)
    assert run.code == 2 and "nowhere：沒有這個檔案或資料夾" in run.err
    assert "nowhere: no such file or folder" in stratmap("validate", "nowhere", cwd=tmp_path).err


def test_a_configuration_error_is_chinese(plan: Path) -> None:
    (plan.parent.parent / "stratmap.toml").write_text('ignor = ["N001"]\n', encoding="utf-8")
    run = stratmap("validate", cwd=plan.parent.parent, env=ZH)
    assert run.code == 2 and "stratmap.toml：不認得的鍵 'ignor'；是不是要寫 'ignore'？" in run.err
    (plan.parent.parent / "stratmap.toml").write_text("year = '110'\n", encoding="utf-8")
    run = stratmap("validate", cwd=plan.parent.parent, env=ZH)
    assert run.code == 2 and "'year' 必須是整數（trace、coverage 與 render 預設使用的計畫年度）" in run.err


def test_a_refused_cache_folder_is_said_in_chinese(plan: Path) -> None:
    folder = plan.parent.parent / ".cache"
    run = stratmap("validate", cwd=plan.parent.parent, env={**ZH, "STRATMAP_CACHE_DIR": str(folder)})
    assert run.code == 0
    assert run.err.startswith("stratmap：未使用快取：") and "位於儲存庫" in run.err, run.err


def test_rules_list_summaries_in_chinese_with_english_codes_and_names() -> None:
    lines = stratmap("rules", env=ZH).out.splitlines()
    assert lines[3].split()[:3] == ["Y004", "yaml-syntax", "錯誤"]
    assert lines[3].endswith("檔案不是有效的 YAML（含全形標點的筆誤）")
    for line in lines:
        assert HAN.search(line) and not ENGLISH_WORDS.search(re.sub(r"--\S+", "", line.split(None, 3)[3])), line


@pytest.mark.parametrize("code", ["N001", "R009", "M005", "Y004", "S007", "Y013", "S002"])
def test_rule_documentation_in_chinese(code: str) -> None:
    chinese = stratmap("rule", code, env=ZH).out
    english = stratmap("rule", code).out
    assert chinese.split(" (")[0] == english.split(" (")[0], "the code and the name stay English"
    prose = [line for line in chinese.splitlines()[1:] if line and not line.startswith("    ")]
    for line in prose:
        assert HAN.search(line) and not ENGLISH_WORDS.search(re.sub("``[^`]*``", "", line)), line
    assert ("Fails" in english or "Warns" in english) == ("不通過" in chinese or "警告（" in chinese)


def test_the_rule_name_and_documentation_of_n001_in_chinese() -> None:
    out = stratmap("rule", "N001", env=ZH).out
    assert out.splitlines()[:3] == ["N001 numbering-gap (預設為警告)", "", "代號跳號（有 BF2 卻沒有 BF1）"]
    assert "不通過：策略主題 B 的財務構面策略目標編為 ``BF2``，卻沒有 ``BF1``" in out
    assert out.endswith("要在某一行略過它，請在該行加上註解：# stratmap: ignore[N001] 並寫明原因。\n")
