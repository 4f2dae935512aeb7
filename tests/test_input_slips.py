"""Full-width punctuation typed by a Chinese input method is reported where it stands, with the fix (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import DOED, column_of, edit, line_of, problems, stratmap

COLON = "把全形冒號「：」改成半形「:」 (replace the full-width colon with ':')"
COLON_AND_SPACE = (
    "把全形冒號「：」改成半形「:」並在後面空一格 (replace the full-width colon with ': ', a colon and a space)"
)
COMMA = "把全形逗號「，」改成半形「,」 (replace the full-width comma with ',')"
BRACKETS = "把全形方括號「［」「］」改成半形「[」「]」 (replace the full-width brackets with '[' and ']')"
BRACES = "把全形大括號「｛」「｝」改成半形「{」「}」 (replace the full-width braces with '{' and '}')"
DASH = "把全形減號「－」改成半形「-」 (replace the full-width hyphen-minus with '-')"
SPACE = "把縮排裡的全形空白改成半形空格 (replace the full-width spaces in the indentation with ordinary spaces)"
SLIP_HINT = "中文輸入法打出了全形標點；YAML 只認半形符號 (a Chinese input method typed full-width punctuation)"


def validate(plan: Path) -> Any:
    run = stratmap("validate", "--format", "json", plan, cwd=plan.parent.parent)
    assert "Traceback" not in run.err + run.out
    return run


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
def test_slip_is_reported_where_it_stands(plan: Path, name: str, old: str, new: str, char: str, message: str) -> None:
    path = plan / DOED / name
    edit(path, old, new)
    line, column = position(path, new, char)
    run = validate(plan)
    assert run.code == 1
    assert problems_in(run, name) == [(f"data/110/{DOED.as_posix()}/{name}", line, column, "Y004", "error")]
    found = messages_in(run, name)[0]
    assert (found["message"], found["hint"]) == (message, SLIP_HINT)


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
    assert messages_in(run, "theme-a.yaml")[0]["message"] == COLON


def test_syntax_error_that_is_no_slip_gets_a_hint(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    line = edit(theme, "name: 健全商貿環境", "name: 健全: 商貿環境")
    column = column_of(theme, ": 商貿環境")
    run = validate(plan)
    assert problems_in(run, "theme-a.yaml") == [
        (f"data/110/{DOED.as_posix()}/theme-a.yaml", line, column, "Y004", "error")
    ]
    found = messages_in(run, "theme-a.yaml")[0]
    assert found["message"] == "YAML syntax error: mapping values are not allowed in this context"
    assert found["hint"] == (
        '值裡有「: 」時要整段加引號，例如 name: "甲: 乙"；或是縮排沒有對齊 '
        "(put a value containing ': ' in quotes, e.g. name: \"a: b\"; or the indentation does not line up)"
    )


def test_missing_colon_hint_names_the_line_of_the_key(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    edit(theme, "    perspective: C\n    name: 加強", "    perspective C\n    name: 加強")
    key_line = line_of(theme, "perspective C")
    found = messages_in(validate(plan), "theme-a.yaml")
    assert [(p["line"], p["rule"]) for p in found] == [(key_line + 1, "Y004")]
    assert found[0]["hint"] == (
        f"第 {key_line} 行的鍵後面少了「: 」，或是文字換行後沒有縮排 "
        f"(line {key_line} has no ': ' after its key, or text went on to a next line without indentation)"
    )


def test_a_silent_slip_and_a_later_syntax_error_report_the_syntax_error(plan: Path) -> None:
    """The parse failure is blamed on the slip only if repairing the slip gets the parse further."""
    theme = plan / DOED / "theme-b.yaml"
    edit(theme, "city_kpis: [DC3.1]", "city_kpis: ［DC3.1］")
    line = edit(theme, "name: 扶植創新創業平台", "name: 扶植: 創新")
    found = messages_in(validate(plan), "theme-b.yaml")
    assert [(p["line"], p["column"], p["message"]) for p in found] == [
        (line, 13, "YAML syntax error: mapping values are not allowed in this context")
    ]
