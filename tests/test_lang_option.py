"""``--lang`` before or after the command, and the ``lang`` configuration key: the plumbing of the language."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, stratmap


def test_lang_choices_are_the_languages_stratmap_speaks() -> None:
    from stratmap.cli import Language
    from stratmap.i18n import LANGUAGES

    assert tuple(language.value for language in Language) == LANGUAGES


@pytest.mark.parametrize("args", [["--lang", "en", "validate"], ["validate", "--lang", "en"]])
def test_lang_before_and_after_the_command(args: list[str]) -> None:
    run = stratmap(*args, "data/110", env={"LANG": "zh_TW.UTF-8"})
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1] == "All checks passed."


@pytest.mark.parametrize("args", [["--lang", "xx", "validate"], ["validate", "--lang", "xx"]])
def test_an_unknown_language_is_a_usage_error(args: list[str]) -> None:
    run = stratmap(*args, "data/110")
    assert run.code == 2
    assert "Invalid value for '--lang'" in run.err and "internal error" not in run.err


@pytest.mark.parametrize("command", ["rules", "trace", "coverage", "status", "render", "diff", "record", "init",
                                     "fmt", "rename", "schema", "rule"])  # fmt: skip
def test_every_command_takes_lang(command: str) -> None:
    run = stratmap(command, "--help")
    assert run.code == 0 and "--lang" in run.out


def test_lang_sets_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both places call ``set_language``; the command's ``--lang`` wins over the one before it."""
    from typer.testing import CliRunner

    from stratmap import cli, i18n

    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    monkeypatch.chdir(REPO)
    runner = CliRunner()
    try:
        assert runner.invoke(cli.app, ["--lang", "en", "rules"]).exit_code == 0
        assert i18n.language() == "en"
        assert runner.invoke(cli.app, ["--lang", "en", "rules", "--lang", "zh-TW"]).exit_code == 0
        assert i18n.language() == "zh-TW"
    finally:
        i18n.set_language(None)


def test_configured_language_applies_without_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from stratmap import cli, i18n

    (tmp_path / "stratmap.toml").write_text('lang = "zh-TW"\n', encoding="utf-8")
    monkeypatch.setenv("LANG", "C")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    try:
        assert runner.invoke(cli.app, ["rules"]).exit_code == 0
        assert i18n.language() == "zh-TW"
        assert runner.invoke(cli.app, ["--lang", "en", "rules"]).exit_code == 0
        assert i18n.language() == "en", "--lang wins over the configuration"
    finally:
        i18n.set_language(None)


def test_a_bad_configured_language_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "stratmap.toml").write_text('lang = "fr"\n', encoding="utf-8")
    run = stratmap("validate", cwd=tmp_path)
    assert run.code == 2 and "'lang' must be one of 'zh-TW', 'en'" in run.err


def test_lang_anywhere_on_the_line_and_the_configured_language_choose_the_language_of_help(tmp_path: Path) -> None:
    """Help and usage errors come before the options' callbacks: ``--lang`` is read from the whole command
    line (``--help --lang en``), and without it the configured language applies to them too."""
    assert stratmap("validate", "--help", "--lang", "zh-TW").out.startswith("用法：stratmap validate")
    assert stratmap("validate", "--bogus", "--lang", "zh-TW").err.startswith("stratmap: 錯誤：沒有 --bogus 這個選項")
    (tmp_path / "stratmap.toml").write_text('lang = "zh-TW"\n', encoding="utf-8")
    assert stratmap("trace", "-h", cwd=tmp_path).out.startswith("用法：stratmap trace")
    assert stratmap("trace", "-h", "--lang", "en", cwd=tmp_path).out.startswith("Usage: stratmap trace")
