"""Full-width punctuation typed by a Chinese input method is reported where it stands, with the fix (issue 12),
in the language of the run: English with LANG=C, Traditional Chinese with LANG=zh_TW, never both at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conftest import DOED, column_of, edit, line_of, problems, stratmap

HAN = re.compile("[\u4e00-\u9fff]")
"""A Chinese character: a message in English holds none, one in Chinese holds some."""

ZH = {"LANG": "zh_TW.UTF-8"}

# (English, Chinese) of each fix
COLON = ("replace the full-width colon with ':'", "把全形冒號「：」改成半形「:」")
COLON_AND_SPACE = (
    "replace the full-width colon with ': ', a colon and a space",
    "把全形冒號「：」改成半形「:」並在後面空一格",
)
COMMA = ("replace the full-width comma with ','", "把全形逗號「，」改成半形「,」")
BRACKETS = ("replace the full-width brackets with '[' and ']'", "把全形方括號「［」「］」改成半形「[」「]」")
BRACES = ("replace the full-width braces with '{' and '}'", "把全形大括號「｛」「｝」改成半形「{」「}」")
DASH = ("replace the full-width hyphen-minus with '-'", "把全形減號「－」改成半形「-」")
SPACE = ("replace the full-width spaces in the indentation with ordinary spaces", "把縮排裡的全形空白改成半形空格")
SLIP_HINT = ("a Chinese input method typed full-width punctuation", "中文輸入法打出了全形標點；YAML 只認半形符號")
WORDS_HINT = (
    "a Chinese input method typed full-width punctuation; if the '，' belongs to the text, put the item in quotes",
    "中文輸入法打出了全形標點；YAML 只認半形符號。若「，」是文字的一部分，請把這一項加上引號",
)


def validate(plan: Path, env: dict[str, str] | None = None) -> Any:
    run = stratmap("validate", "--format", "json", plan, cwd=plan.parent.parent, env=env)
    assert "Traceback" not in run.err + run.out
    return run


def said(plan: Path, name: str) -> list[tuple[str, str, str, str]]:
    """(English message, Chinese message, English hint, Chinese hint) of each problem in ``name``, from a run
    in each language; each language speaks only its own."""
    english, chinese = messages_in(validate(plan), name), messages_in(validate(plan, ZH), name)
    assert [(p["line"], p["column"], p["rule"]) for p in english] == [
        (p["line"], p["column"], p["rule"]) for p in chinese
    ]
    for problem in english:
        assert not HAN.search(problem["message"]), problem
    for problem in chinese:
        assert HAN.search(problem["message"]) and "replace" not in problem["message"], problem
    return [(e["message"], c["message"], e["hint"], c["hint"]) for e, c in zip(english, chinese, strict=True)]


def problems_in(run: Any, name: str) -> list[tuple[str, int, int, str, str]]:
    """The problems of ``run`` in the file ``name`` (the shipped plan has a warning in theme-c.yaml)."""
    return [p for p in problems(run) if p[0].endswith("/" + name)]


def messages_in(run: Any, name: str) -> list[dict[str, Any]]:
    return [p for p in run.json()["problems"] if p["path"].endswith("/" + name)]


def position(path: Path, text: str, char: str) -> tuple[int, int]:
    """Line and column of the first ``char`` inside the first ``text`` of ``path``."""
    content = path.read_text(encoding="utf-8")
    index = content.index(text) + text.index(char)
    return content.count("\n", 0, index) + 1, index - content.rfind("\n", 0, index)


# (id, file, old text, new text, the slip's character, message); each slip breaks the parse or changes
# the meaning silently, and either way is reported at the full-width character itself
CASES = [
    ("key-colon", "theme-a.yaml", "    name: 加強與企業", "    name： 加強與企業", "：", COLON),
    ("key-colon-no-space", "theme-a.yaml", "    name: 加強與企業", "    name：加強與企業", "：", COLON_AND_SPACE),
    ("top-key-colon", "theme-a.yaml", "name: 健全商貿環境", "name： 健全商貿環境", "：", COLON),
    (
        "colon-before-comment",
        "theme-a.yaml",
        "perspective: C\n    name: 加強",
        "perspective： C  # 顧客\n\n    name: 加強",
        "：",
        COLON,
    ),  # fmt: skip
    (
        "flow-mapping-colon",
        "theme-b.yaml",
        "{code: BC1.1.1, name: 臺北",
        "{code: BC1.1.1, name：臺北",
        "：",
        COLON_AND_SPACE,
    ),  # fmt: skip
    (
        "ideographic-space",
        "theme-a.yaml",
        "    perspective: C\n    name: 加強",
        "    perspective: C\n\u3000\u3000name: 加強",
        "\u3000",
        SPACE,
    ),  # fmt: skip
    (
        "ideographic-space-deep",
        "theme-a.yaml",
        "        city_kpis: [TC3.1]",
        "\u3000\u3000\u3000\u3000city_kpis: [TC3.1]",
        "\u3000",
        SPACE,
    ),  # fmt: skip
    ("flow-list-comma", "theme-b.yaml", "city_kpis: [DC3.1]", "city_kpis: [DC3.1，DP2.2]", "，", COMMA),
    (
        "comma-between-chinese-words",
        "theme-b.yaml",
        "tags: [非營業基金考核指標]",
        "tags: [非營業基金考核指標，府級]",
        "，",
        COMMA,
    ),  # fmt: skip
    ("flow-mapping-comma", "theme-b.yaml", "{code: BC1.1.1, name", "{code: BC1.1.1，name", "，", COMMA),
    ("full-width-brackets", "theme-b.yaml", "city_kpis: [DC3.1]", "city_kpis: ［DC3.1］", "［", BRACKETS),
    ("full-width-closing-bracket", "theme-b.yaml", "city_kpis: [DC3.1]", "city_kpis: [DC3.1］", "］", BRACKETS),
    (
        "full-width-braces",
        "theme-b.yaml",
        "{code: BC1.1.1, name: 臺北創業搖籃創業投資推展及行銷計畫}",
        "｛code: BC1.1.1, name: 臺北創業搖籃創業投資推展及行銷計畫｝",
        "｛",
        BRACES,
    ),  # fmt: skip
    ("list-dash", "theme-a.yaml", "  - code: AC2\n", "  － code: AC2\n", "－", DASH),
    (
        "list-dash-in-list-of-codes",
        "theme-a.yaml",
        "city_kpis: [TC3.1]",
        "city_kpis:\n          － TC3.1",
        "－",
        DASH,
    ),  # fmt: skip
]


@pytest.mark.parametrize(("name", "old", "new", "char", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_slip_is_reported_where_it_stands_in_each_language(
    plan: Path, name: str, old: str, new: str, char: str, message: tuple[str, str]
) -> None:
    path = plan / DOED / name
    edit(path, old, new)
    line, column = position(path, new, char)
    run = validate(plan)
    assert run.code == 1
    assert problems_in(run, name) == [(f"data/110/{DOED.as_posix()}/{name}", line, column, "Y004", "error")]
    hint = WORDS_HINT if "非營業" in new else SLIP_HINT
    assert said(plan, name) == [(*message, *hint)]


def test_a_comma_between_chinese_words_in_a_list_is_one_error_at_the_comma(plan: Path) -> None:
    """``tags: [非營業基金考核指標，府級]`` read silently as one tag holding the comma: now an error at the comma."""
    theme = plan / DOED / "theme-b.yaml"
    line = edit(theme, "tags: [非營業基金考核指標]", "tags: [非營業基金考核指標，府級]")
    run = validate(plan, ZH)
    assert problems_in(run, "theme-b.yaml") == [
        (f"data/110/{DOED.as_posix()}/theme-b.yaml", line, column_of(theme, "，府級"), "Y004", "error")
    ]
    assert messages_in(run, "theme-b.yaml")[0]["message"] == "把全形逗號「，」改成半形「,」"


def test_a_quoted_item_may_hold_a_full_width_comma(plan: Path) -> None:
    edit(plan / DOED / "theme-b.yaml", "tags: [非營業基金考核指標]", "tags: ['非營業基金考核指標，府級', 甲，乙丙]")
    assert [p[3] for p in problems_in(validate(plan), "theme-b.yaml")] == ["Y004"]  # the unquoted one only
    edit(plan / DOED / "theme-b.yaml", "甲，乙丙", "'甲，乙丙'")
    assert problems_in(validate(plan), "theme-b.yaml") == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("name: 加強與企業或產業團體交流", "name: 機會、威脅，優勢"),
        ("name: 加強與企業或產業團體交流", "name: 說明：策略主題"),
        ("name: 加強與企業或產業團體交流", "name: 印作 CP1.2，文件中沒有 CP1.1"),
        ("name: 加強與企業或產業團體交流", "name: KPI：DP2.2，DP3.1 兩項"),
        ("name: 加強與企業或產業團體交流", "name: ［試辦］計畫－第二期"),
        ("name: 加強與企業或產業團體交流", "name: 第一期\u3000第二期"),
        ("{code: AC1.1.1, name: 辦理", "{code: AC1.1.1, name: 說明：辦理DP2.2，DP3.1"),
        ("# 顧客構面", "# city_kpis：［DP2.2，DP3.1］\n  # － 註"),
        ("name: 加強與企業或產業團體交流", "name: >-\n      note： 這一段\n      － 是文字\n      \u3000\u3000縮排"),
    ],
    ids=["comma", "colon", "code-comma", "key-like-colon", "brackets", "space", "flow-text", "comment", "block-text"],
)
def test_full_width_text_in_values_is_not_a_slip(plan: Path, old: str, new: str) -> None:
    edit(plan / DOED / "theme-a.yaml", old, new)
    run = validate(plan)
    assert (run.code, problems_in(run, "theme-a.yaml")) == (0, [])


def test_a_slip_above_the_failing_line_is_found_past_blank_lines_and_comments(plan: Path) -> None:
    """libyaml gives up lines later (at the comment, in its own words); the slip is two lines up."""
    theme = plan / DOED / "theme-a.yaml"
    edit(theme, "    name: 加強與企業或產業團體交流\n", "    name： 加強與企業或產業團體交流\n\n    # 指標\n")
    run = validate(plan)
    assert problems_in(run, "theme-a.yaml") == [(f"data/110/{DOED.as_posix()}/theme-a.yaml", 11, 9, "Y004", "error")]
    assert said(plan, "theme-a.yaml") == [(*COLON, *SLIP_HINT)]


def test_syntax_error_that_is_no_slip_gets_a_hint(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    line = edit(theme, "name: 健全商貿環境", "name: 健全: 商貿環境")
    column = column_of(theme, ": 商貿環境")
    run = validate(plan)
    assert problems_in(run, "theme-a.yaml") == [
        (f"data/110/{DOED.as_posix()}/theme-a.yaml", line, column, "Y004", "error")
    ]
    assert said(plan, "theme-a.yaml") == [
        (
            "YAML syntax error: mapping values are not allowed in this context",
            "YAML 語法錯誤：這裡不能出現「: 」（鍵與值）",
            "put a value containing ': ' in quotes, e.g. name: \"a: b\"; or the indentation does not line up",
            '值裡有「: 」時要整段加引號，例如 name: "甲: 乙"；或是縮排沒有對齊',
        )
    ]


def test_missing_colon_hint_names_the_line_of_the_key(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    edit(theme, "    perspective: C\n    name: 加強", "    perspective C\n    name: 加強")
    key_line = line_of(theme, "perspective C")
    found = messages_in(validate(plan), "theme-a.yaml")
    assert [(p["line"], p["rule"]) for p in found] == [(key_line + 1, "Y004")]
    assert said(plan, "theme-a.yaml") == [
        (
            "YAML syntax error: while scanning a simple key could not find expected ':'",
            "YAML 語法錯誤：讀取鍵時，找不到應有的「:」",
            f"line {key_line} has no ': ' after its key, or text went on to a next line without indentation",
            f"第 {key_line} 行的鍵後面少了「: 」，或是文字換行後沒有縮排",
        )
    ]


# (id, file content, what libyaml says in English, and in Chinese): no libyaml phrase is shown untranslated
LIBYAML = [
    ("unclosed-list", "kind: theme\ncode: [A\n", "while parsing a flow sequence did not find expected ',' or ']'",
     "讀取 [...] 清單時，找不到應有的「,」或「]」"),
    ("unclosed-mapping", "kind: theme\ncode: {A\n", "while parsing a flow mapping did not find expected ',' or '}'",
     "讀取 {...} 時，找不到應有的「,」或「}」"),
    ("reserved-start", "kind: theme\nname: @x\n",
     "while scanning for the next token found character that cannot start any token",
     "讀取下一個符號時，遇到不能作為開頭的字元"),
    ("misaligned-key", "kind: theme\nobjectives:\n  - code: AC1\n name: x\n",
     "while parsing a block mapping did not find expected key", "讀取「鍵: 值」區塊時，找不到應有的鍵"),
    ("document-end", "kind: theme\n...\nname: x\n", "did not find expected <document start>",
     "找不到應有的文件開頭（---）"),
    ("open-quote", "kind: theme\nname: 'x\n", "while scanning a quoted scalar found unexpected end of stream",
     "讀取加引號的值時，檔案在引號或括號關上之前就結束了"),
    ("undefined-tag-handle", "kind: theme\nname: !e!x y\n", "while parsing a node found undefined tag handle",
     "讀取值時，遇到未定義的標籤前綴"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "english", "chinese"), [c[1:] for c in LIBYAML], ids=[c[0] for c in LIBYAML])
def test_libyaml_words_are_translated(plan: Path, content: str, english: str, chinese: str) -> None:
    (plan / DOED / "bad.yaml").write_text(content, encoding="utf-8")
    [(message, message_zh, hint, hint_zh)] = said(plan, "bad.yaml")
    assert (message, message_zh) == (f"YAML syntax error: {english}", f"YAML 語法錯誤：{chinese}")
    assert hint and hint_zh and not HAN.search(hint) and HAN.search(hint_zh)


def test_a_problem_libyaml_words_unknown_is_shown_as_written_after_a_translated_prefix() -> None:
    from stratmap.i18n import set_language
    from stratmap.loading.yaml_problems import syntax_message

    try:
        set_language("zh-TW")
        assert syntax_message("while doing something new", "found a new problem") == (
            "YAML 語法錯誤：while doing something new found a new problem"
        )
        assert syntax_message(None, "could not find expected ':'") == "YAML 語法錯誤：找不到應有的「:」"
    finally:
        set_language(None)
    assert syntax_message(None, "found a new problem") == "YAML syntax error: found a new problem"


def test_a_silent_slip_and_a_later_syntax_error_report_the_syntax_error(plan: Path) -> None:
    """The parse failure is blamed on the slip only if repairing the slip gets the parse further."""
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "city_kpis: [DC3.1]", "city_kpis: ［DC3.1］")
    line = edit(theme, "name: 扶植創新創業平台", "name: 扶植: 創新")
    found = messages_in(validate(plan), "theme-b.yaml")
    assert [(p["line"], p["column"], p["message"]) for p in found] == [
        (line, 13, "YAML syntax error: mapping values are not allowed in this context")
    ]
