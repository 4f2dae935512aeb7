"""The progress bar of long runs (issue 14): drawn on standard error for a person at a terminal, never when
piped, in CI or with ``-q``; the report on standard output is the same either way.

The run is made to look long by ``STRATMAP_PROGRESS_AFTER=0`` (the bar may appear from the first plan on);
the example plan has two years, so there is a plan done and one to go."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

DEMO = REPO / "examples" / "demo" / "data"

if sys.platform == "win32":  # pragma: no cover - pty is POSIX
    pytest.skip("pseudo-terminals are POSIX", allow_module_level=True)


def environment(**extra: str) -> dict[str, str]:
    """The environment of a person at a terminal (no CI), English, the bar allowed at once."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "NO_COLOR")}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color", STRATMAP_PROGRESS_AFTER="0",
               STRATMAP_NO_CACHE="1", COLUMNS="100")  # fmt: skip
    env.update(extra)
    return env


def on_terminal(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run stratmap with standard error on a pseudo-terminal: exit status, standard output, what the
    terminal showed."""
    main, side = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "stratmap", *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=side
    )
    os.close(side)
    shown = bytearray()
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other side closed: the run is over
            break
        if not chunk:
            break
        shown += chunk
    out = process.stdout.read().decode() if process.stdout else ""
    code = process.wait(60)
    os.close(main)
    return code, out, shown.decode("utf-8", "replace")


def test_a_terminal_sees_the_bar_and_the_report_is_unchanged() -> None:
    code, out, shown = on_terminal("validate", str(DEMO), env=environment())
    assert code == 0, shown
    assert "plans" in shown and "1/2" in shown and "files" in shown, shown
    piped = subprocess.run(
        [sys.executable, "-m", "stratmap", "validate", str(DEMO)], cwd=REPO, env=environment(),
        capture_output=True, text=True,
    )  # fmt: skip
    assert piped.returncode == 0
    assert out == piped.stdout, "the report is the same with or without the bar"


def test_piped_standard_error_gets_no_bar() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "stratmap", "validate", str(DEMO)], cwd=REPO, env=environment(),
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0
    assert run.stderr == ""


@pytest.mark.parametrize(("args", "extra"), [(("-q",), {}), ((), {"CI": "true"}), ((), {"TERM": "dumb"})])
def test_no_bar_with_quiet_in_ci_or_on_a_dumb_terminal(args: tuple[str, ...], extra: dict[str, str]) -> None:
    code, _, shown = on_terminal("validate", *args, str(DEMO), env=environment(**extra))
    assert code == 0
    assert "plans" not in shown and "1/2" not in shown, shown


def test_one_plan_shows_nothing() -> None:
    """The bar stands for plans still to do: a run of one plan has none when its plan is done."""
    code, _, shown = on_terminal("validate", "data/110", env=environment())
    assert code == 0
    assert "plans" not in shown, shown


def piped(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run stratmap with standard output and standard error piped."""
    return subprocess.run([sys.executable, "-m", "stratmap", *args], cwd=REPO, env=env, capture_output=True, text=True)


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by its path inside it, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_render_of_many_plans_shows_the_bar_and_writes_the_same_pages(tmp_path: Path) -> None:
    code, out, shown = on_terminal("render", str(DEMO), "-o", str(tmp_path / "tty"), env=environment())
    assert code == 0, shown
    assert "plans" in shown and "1/2" in shown and "files" in shown, shown
    run = piped("render", str(DEMO), "-o", str(tmp_path / "piped"), env=environment())
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", "no bar when standard error is piped"
    assert out.replace("tty", "piped") == run.stdout
    pages = files_in(tmp_path / "tty")
    assert pages == files_in(tmp_path / "piped"), "the pages are the same with or without the bar"
    assert {"110.html", "111.html"} <= set(pages)


@pytest.mark.parametrize(("args", "extra"), [(("-q",), {}), ((), {"CI": "true"})])
def test_render_shows_no_bar_with_quiet_or_in_ci(tmp_path: Path, args: tuple[str, ...], extra: dict[str, str]) -> None:
    code, _, shown = on_terminal("render", *args, str(DEMO), "-o", str(tmp_path), env=environment(**extra))
    assert code == 0, shown
    assert "plans" not in shown and "1/2" not in shown, shown
    assert (tmp_path / "111.html").is_file()


def test_status_over_years_shows_the_bar_and_the_same_scorecard() -> None:
    """status reads the plan, then the measures of each earlier year for the trends: two plans here."""
    code, out, shown = on_terminal("status", str(DEMO), env=environment())
    assert code == 0, shown
    assert "plans" in shown and "1/2" in shown, shown
    run = piped("status", str(DEMO), env=environment())
    assert run.returncode == 0
    assert run.stderr == ""
    assert out == run.stdout, "the scorecard is the same with or without the bar"
    assert "scorecard of plan year 111" in out


@pytest.mark.parametrize(("args", "extra"), [(("-q",), {}), ((), {"CI": "1"}), ((), {"TERM": "dumb"})])
def test_status_shows_no_bar_with_quiet_in_ci_or_on_a_dumb_terminal(
    args: tuple[str, ...], extra: dict[str, str]
) -> None:
    code, _, shown = on_terminal("status", *args, str(DEMO), env=environment(**extra))
    assert code == 0
    assert "plans" not in shown and "1/2" not in shown, shown
