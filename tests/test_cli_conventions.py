"""The conventions every command keeps: -h, -q, --no-color and --lang on every command and before it,
one error style, metavars in the usage lines, completion of trace's codes, and the shape of the code
(no command imports ``stratmap.cli``; ``cli.py`` stays small; a run imports only its command)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PLAN_110, REPO, stratmap
from stratmap.cli import COMMANDS

CHINESE = {"LANG": "zh_TW.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
SHARED = ["-q", "--no-color", "--lang", "en"]


@pytest.fixture(scope="module")
def app():  # type: ignore[no-untyped-def]
    from typer.main import get_command

    from stratmap import cli

    return get_command(cli.app)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_the_shared_options(app, command: str) -> None:  # type: ignore[no-untyped-def]
    from typer._click.core import Context

    sub = app.commands[command]
    names = {option for param in sub.get_params(Context(sub)) for option in param.opts}
    assert {"--help", "-q", "--quiet", "--no-color", "--lang"} <= names, command


@pytest.mark.parametrize("command", COMMANDS)
def test_shared_options_are_accepted_after_and_before_the_command(command: str) -> None:
    from typer.testing import CliRunner

    from stratmap import cli, i18n

    runner = CliRunner()
    try:
        for args in ([command, *SHARED, "-h"], [*SHARED, command, "-h"]):
            done = runner.invoke(cli.app, args, prog_name="stratmap")
            assert done.exit_code == 0 and done.output.startswith(f"Usage: stratmap {command} "), (args, done.output)
    finally:
        i18n.set_language(None)


def test_quiet_and_no_color_before_the_command_work_as_after_it(warned_plan: Path) -> None:
    cwd = warned_plan.parent.parent
    after = stratmap("validate", "-q", "--no-color", cwd=cwd)
    before = stratmap("--no-color", "-q", "validate", cwd=cwd)
    assert (before.code, before.out, before.err) == (after.code, after.out, after.err)
    assert before.out.count("\n") == 1, "quiet: the one warning and no summary"
    rendered = stratmap("-q", "render", cwd=cwd)
    assert rendered.code == 0 and rendered.out == "" and (cwd / "build" / "html" / "110.html").is_file()


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (["trace", "ZZ9.9"], "stratmap: error: no code ZZ9.9 in plan 110", "stratmap: 錯誤：110 年度計畫"),
        (["rule", "X1"], "stratmap: error: no rule 'X1'", "stratmap: 錯誤：沒有規則 'X1'"),
        (["status", "--period", "soon"], "stratmap: error: --period soon: not a period", "stratmap: 錯誤："),
        (["validate", "nowhere"], "stratmap: error: ", "stratmap: 錯誤："),
        (["validate", "--bogus"], "stratmap: error: No such option: --bogus", "stratmap: 錯誤：沒有 --bogus 這個選項"),
        (["--lang", "xx", "rules"], "stratmap: error: Invalid value for '--lang'", "stratmap: 錯誤：'--lang' 的值無效"),
        (["-q"], "stratmap: error: Missing command.", "stratmap: 錯誤：缺少命令。"),
    ],
)  # fmt: skip
def test_one_error_style_in_both_languages(args: list[str], english: str, chinese: str) -> None:
    run = stratmap(*args)
    assert run.code in (1, 2) and run.out == "" and run.err.startswith(english), run.err
    run = stratmap(*args, env=CHINESE)
    assert run.err.startswith(chinese), run.err
    assert "Error:" not in run.err and "Traceback" not in run.err


def test_a_plan_that_does_not_validate_is_said_in_the_error_style(plan: Path) -> None:
    (plan / "city.yaml").write_text("kind: city_map\nthemes: [\n", encoding="utf-8")
    run = stratmap("trace", "DP2.2", cwd=plan.parent.parent)
    assert run.code == 1 and run.err.startswith("stratmap: error: data/110 does not validate; fix these first:\n")
    run = stratmap("render", cwd=plan.parent.parent, env=CHINESE)
    assert run.code == 1 and run.err.startswith("stratmap: 錯誤：未產生任何頁面；請先修正以下問題：\n")


USAGE_LINES = {
    "trace": "Usage: stratmap trace [OPTIONS] <CODE> [PATH]...",
    "coverage": "Usage: stratmap coverage [OPTIONS] [PATH]...",
    "diff": "Usage: stratmap diff [OPTIONS] OLD NEW",
    "rename": "Usage: stratmap rename [OPTIONS] OLD NEW [PATH]...",
    "record": "Usage: stratmap record [OPTIONS] <PLAN> <FILE.csv>",
    "init": "Usage: stratmap init [OPTIONS] <FOLDER>",
    "rule": "Usage: stratmap rule [OPTIONS] <CODE>",
    "validate": "Usage: stratmap validate [OPTIONS] [PATH]...",
}


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_lines_and_metavars(command: str) -> None:
    out = stratmap(command, "-h").out
    if command in USAGE_LINES:
        assert out.splitlines()[0] == USAGE_LINES[command]
    assert not re.search(r"\{\w+\}|<str>|<int>|<path>|\[paths\]|<integer>|TEXT|INTEGER", out), out
    assert "--year <YEAR>" in out or "--year" not in out
    assert "--as-of <DATE>" in out or "--as-of" not in out


def test_an_error_shows_the_usage_line_with_its_metavars() -> None:
    run = stratmap("trace")
    assert run.err.splitlines() == [
        "stratmap: error: Missing argument '<CODE>'.",
        "Usage: stratmap trace [OPTIONS] <CODE> [PATH]...",
        "Try 'stratmap trace -h' for help.",
    ]


def _complete(words: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """What bash completion asks the console script for, as Click's bash script does."""
    script = Path(sys.executable).with_name("stratmap")
    env = {**os.environ, "_STRATMAP_COMPLETE": "complete_bash", "COMP_WORDS": words}
    env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    return subprocess.run([script], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_trace_completes_the_codes_of_the_plan() -> None:
    done = _complete("stratmap trace DP2.")
    assert done.returncode == 0 and done.stderr == ""
    assert {"DP2.1", "DP2.2"} <= set(done.stdout.split()) and all(w.startswith("DP2.") for w in done.stdout.split())
    qualified = _complete("stratmap trace doed:BP2").stdout.split()
    assert "doed:BP2.1" in qualified and all(word.startswith("doed:BP2") for word in qualified)
    after_options = _complete("stratmap --no-color trace --year 110 city:DP").stdout.split()
    assert "city:DP2" in after_options


def test_completion_of_a_broken_plan_or_no_plan_is_empty_never_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "data" / "110"
    shutil.copytree(PLAN_110, broken)
    (broken / "city.yaml").write_text("kind: city_map\nthemes: [\n", encoding="utf-8")
    for cwd in (tmp_path, tmp_path / "data" / "110" / "departments"):
        done = _complete("stratmap trace DP", cwd=cwd)
        assert (done.returncode, done.stdout.split()) == (0, []), done.stderr
        assert "Traceback" not in done.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "stratmap.toml").write_text("data = 3\n", encoding="utf-8")  # a bad configuration too
    done = _complete("stratmap trace DP", cwd=empty)
    assert (done.returncode, done.stdout.split()) == (0, []) and "Traceback" not in done.stderr


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return found | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_no_command_imports_the_cli_and_the_cli_stays_small() -> None:
    commands = REPO / "src" / "stratmap" / "commands"
    upward = {path.name for path in commands.glob("*.py") if "stratmap.cli" in _imports(path)}
    assert upward == set()
    assert len((REPO / "src" / "stratmap" / "cli.py").read_text(encoding="utf-8").splitlines()) <= 300


@pytest.mark.parametrize("args", [["rules"], ["-q", "--lang", "en", "--no-color", "rules"]], ids=" ".join)
def test_a_run_imports_only_the_module_of_its_command(args: list[str]) -> None:
    """``stratmap rules`` imports stratmap.commands.rules and none of the other commands' modules, also
    with the app's options before the command."""
    program = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules if m.startswith('stratmap.commands.')),"
        " file=sys.stderr))\n"
        f"sys.argv = ['stratmap', *{args!r}]\n"
        "from stratmap.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, timeout=60)
    imported = set(ast.literal_eval(done.stderr.splitlines()[-1]))
    assert imported == {"stratmap.commands.rules", "stratmap.commands.options", "stratmap.commands.localised"}
