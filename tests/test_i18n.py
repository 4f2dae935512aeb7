"""Two languages: the catalogs are complete and compiled, and the language follows the usual settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, stratmap

CHINESE = "警告 N001 局級KPI CP1.2 跳過了 CP1.1 [numbering-gap]"
ENGLISH = "warning N001 department KPI CP1.2 skips CP1.1 [numbering-gap]"


def test_every_message_has_its_translation_and_the_compiled_catalog_is_current() -> None:
    """tools/catalogs.py --check: every message marked in the code is in the zh_TW catalog with a
    translation, and the committed .mo is what the .po compiles to."""
    done = subprocess.run([sys.executable, str(REPO / "tools" / "catalogs.py"), "--check"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "zh_TW.UTF-8"}, CHINESE),
        ({"LANG": "zh_Hant_TW.UTF-8"}, CHINESE),
        ({"LANG": "C.UTF-8"}, ENGLISH),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_TW.UTF-8"}, CHINESE),
        ({"LANG": "zh_TW.UTF-8", "LC_ALL": "C"}, ENGLISH),
    ],
)
def test_the_language_follows_lang_lc_messages_and_lc_all(
    warned_plan: Path, env: dict[str, str], expected: str
) -> None:
    run = stratmap("validate", env={"LC_ALL": "", "LC_MESSAGES": "", **env}, cwd=warned_plan.parent.parent)
    assert run.code == 0 and run.out.splitlines()[0].endswith(expected)


def test_a_cached_verdict_is_never_shown_in_another_language(warned_plan: Path) -> None:
    """The verdict of a plan holds its messages, so the cache keys it by language too."""
    for env, expected in (({"LANG": "zh_TW.UTF-8"}, CHINESE), ({"LANG": "C.UTF-8"}, ENGLISH)) * 2:
        run = stratmap("validate", env={"LC_ALL": "", "LC_MESSAGES": "", **env}, cwd=warned_plan.parent.parent)
        assert run.out.splitlines()[0].endswith(expected)


def test_language_names_are_read_the_usual_way() -> None:
    from stratmap.i18n import normalise

    chinese = ["zh_TW.UTF-8", "zh-TW", "zh_Hant", "zh_HK.Big5", "zh-Hant-TW", "zh"]
    english = ["C", "POSIX", "en_US.UTF-8", "en", "ja_JP.UTF-8", "zh_CN.UTF-8", "zh-Hans"]
    assert {normalise(name) for name in chinese} == {"zh-TW"}
    assert {normalise(name) for name in english} == {"en"}


def test_the_compiled_catalog_ships_in_the_package() -> None:
    from stratmap.i18n import LOCALE_FOLDER

    assert (LOCALE_FOLDER / "zh_TW" / "LC_MESSAGES" / "stratmap.mo").is_file()
    assert LOCALE_FOLDER.is_relative_to(Path(sys.modules["stratmap"].__file__ or "").parent)


def test_validate_of_the_shipped_plan_in_chinese_is_chinese_but_codes_paths_and_rule_names() -> None:
    run = stratmap("validate", env={"LANG": "zh_TW.UTF-8"})
    assert run.code == 0 and run.out.splitlines() == [
        "data/110: 5 個策略主題、41 個策略目標、45 項關鍵績效指標、61 項行動計畫、15 個府級對應",
        "全部檢查通過。",
    ]


def test_a_warning_in_chinese_is_chinese_but_codes_paths_and_rule_names(warned_plan: Path) -> None:
    cwd = warned_plan.parent.parent
    run = stratmap("validate", env={"LANG": "zh_TW.UTF-8"}, cwd=cwd)
    assert run.code == 0 and run.out.splitlines() == [
        "data/110/departments/doed/theme-c.yaml:39:15: 警告 N001 局級KPI CP1.2 跳過了 CP1.1 [numbering-gap]",
        "  提示：若跳號是筆誤，請編為 CP1.1",
        "data/110: 5 個策略主題、41 個策略目標、45 項關鍵績效指標、61 項行動計畫、15 個府級對應",
        "發現 0 個錯誤、1 個警告。",
    ]
    assert stratmap("validate", "--lang", "en", env={"LANG": "zh_TW.UTF-8"}, cwd=cwd).out.endswith(
        "Found 0 errors and 1 warning.\n"
    ), "--lang wins over the locale"
