"""``stratmap init YEAR --from OLD``, the scaffold's placeholders (S007), and edits that write all or nothing."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOED, PLAN_110, REPO, edit, problems, stratmap

HEADER = "# 由 110 年度計畫複製（stratmap init --from data/110），請依 111 年度修訂。"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding a copy of data/110 and the schemas."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(PLAN_110, root / "data" / "110")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


def comments(path: Path) -> list[str]:
    """Every comment of a YAML file, in order (a ``#`` that starts a comment: at a line's start or after a space)."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.search(r"(?:^|\s)(#.*)$", line)
        if match and not _inside_quotes(line, match.start(1)):
            found.append(match.group(1))
    return found


def _inside_quotes(line: str, index: int) -> bool:
    return line[:index].count("'") % 2 == 1 or line[:index].count('"') % 2 == 1


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---- init --from ---------------------------------------------------------------------------------------


def test_next_year_from_this_year_keeps_everything_but_the_year(repo: Path) -> None:
    run = stratmap("init", "111", "--from", "110", cwd=repo)
    assert run.code == 0, run.err
    new = repo / "data" / "111"
    assert sorted(p.relative_to(new).as_posix() for p in new.rglob("*.yaml")) == sorted(
        p.relative_to(PLAN_110).as_posix() for p in PLAN_110.rglob("*.yaml")
    )
    assert not (new / "ERRATA.md").exists(), "notes about the old year's source stay with it"
    diff = stratmap("diff", "110", "111", cwd=repo)
    assert diff.code == 0 and diff.out == "data/110 (plan 110) → data/111 (plan 111): 0 changes\n"
    check = stratmap("validate", "--format", "json", cwd=repo)
    assert check.code == 0 and [p["path"] for p in check.json()["plans"]] == ["data/110", "data/111"]
    for old in PLAN_110.rglob("*.yaml"):
        copied = new / old.relative_to(PLAN_110)
        old_lines = old.read_text(encoding="utf-8").splitlines()
        new_lines = copied.read_text(encoding="utf-8").splitlines()
        assert new_lines[0] == old_lines[0] and new_lines[1] == HEADER, copied
        if old.name == "plan.yaml":  # the year, and the comment on its line that names it
            assert new_lines[2:] == [line.replace("year: 110  # 民國110年 = 2021", "year: 111  # 民國111年 = 2022")
                                     for line in old_lines[1:]]  # fmt: skip
            continue
        assert new_lines[2:] == old_lines[1:], f"{copied} differs from {old} beyond its header"
        assert comments(copied) == [comments(old)[0], HEADER, *comments(old)[1:]]


def test_every_comment_of_the_old_year_is_in_the_new_one(repo: Path) -> None:
    assert stratmap("init", "data/111", "--from", "data/110", cwd=repo).code == 0
    total = 0
    for old in PLAN_110.rglob("*.yaml"):
        kept = comments(repo / "data" / "111" / old.relative_to(PLAN_110))
        for comment in comments(old):
            moved = comment.replace("民國110年 = 2021", "民國111年 = 2022")
            assert moved in kept, f"{comment!r} of {old.name} lost"
            total += 1
    assert total > 40  # the shipped plan is well commented; the test must not pass on an empty walk


def test_targets_for_the_new_year_become_its_targets_and_actuals_stay_behind(repo: Path) -> None:
    theme = repo / "data" / "110" / DOED / "theme-b.yaml"
    edit(theme, "        name: 新設企業家數\n",
         "        name: 新設企業家數\n        direction: higher\n        target: 120  # 110年目標\n"
         "        targets:\n          111: 130  # 111年目標\n          112: 140\n")  # fmt: skip
    edit(theme, "        name: 協助新創企業國際鏈結家數\n",
         "        name: 協助新創企業國際鏈結家數\n        direction: higher\n        target: 10\n")  # fmt: skip
    (repo / "data" / "110" / DOED / "measures.yaml").write_text(
        "kind: measures\nmeasures:\n  BP2.1:\n    110: 30\n", encoding="utf-8"
    )
    assert stratmap("validate", "data/110", cwd=repo).code == 0
    run = stratmap("init", "111", "--from", "110", cwd=repo)
    assert run.code == 0, run.err
    new_theme = (repo / "data" / "111" / DOED / "theme-b.yaml").read_text(encoding="utf-8")
    assert "        target: 130  # 111年目標\n        targets:\n          112: 140\n" in new_theme
    assert "        name: 協助新創企業國際鏈結家數\n        direction: higher\n        city_kpis: [DP2.1]" in new_theme
    assert "120" not in new_theme and not (repo / "data" / "111" / DOED / "measures.yaml").exists()
    status = stratmap("trace", "doed:BP2.1", "--year", "111", "--format", "json", cwd=repo)
    assert status.code == 0 and status.json()["matches"][0]["node"]["target"] == 130


def test_init_from_refuses_an_existing_year_and_a_plan_that_does_not_validate(repo: Path) -> None:
    before = snapshot(repo)
    run = stratmap("init", "110", "--from", "110", cwd=repo)
    assert run.code == 2 and "data/110 already holds a plan; nothing was written" in run.err
    assert "stratmap init data/110 --department ID" in run.err
    assert snapshot(repo) == before
    edit(repo / "data" / "110" / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.9]")
    broken = stratmap("init", "111", "--from", "110", cwd=repo)
    assert broken.code == 1 and "does not validate" in broken.err and "R003" in broken.err
    assert not (repo / "data" / "111").exists()
    unknown = stratmap("init", "111", "--from", "109", cwd=repo)
    assert unknown.code == 2 and "not a plan folder" in unknown.err


def test_init_on_an_existing_year_without_a_department_says_how_to_add_one(repo: Path) -> None:
    before = snapshot(repo)
    run = stratmap("init", "data/110", cwd=repo)
    assert run.code == 2 and run.err == (
        "stratmap: error: data/110 already holds a plan; nothing was written. "
        "To add a department to it: stratmap init data/110 --department ID\n"
    )
    assert snapshot(repo) == before


# ---- placeholders ----------------------------------------------------------------------------------------


def test_the_scaffold_fails_until_every_placeholder_is_filled(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert stratmap("init", "data/111", "-d", "doed", cwd=tmp_path).code == 0
    run = stratmap("validate", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    found = problems(run)
    assert {rule for *_, rule, _ in found} == {"S007"} and all(severity == "error" for *_, severity in found)
    theme = tmp_path / "data" / "111" / DOED / "theme-a.yaml"
    assert ("data/111/departments/doed/theme-a.yaml", 4, 7, "S007", "error") in found
    assert theme.read_text(encoding="utf-8").splitlines()[3] == "name: 待填：策略主題"
    assert len(found) == 23
    for path in (tmp_path / "data").rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("待填：", "示範"), encoding="utf-8")
    assert stratmap("validate", "--strict", cwd=tmp_path).code == 0


def test_a_placeholder_alignment_is_not_coverage(repo: Path) -> None:
    """A department added by init aligns its placeholder theme to a city objective: coverage and trace
    must not count it as real."""
    assert stratmap("init", "data/110", "-d", "dol", cwd=repo).code == 0
    assert {rule for *_, rule, _ in problems(stratmap("validate", "-f", "json", cwd=repo))} == {"S007"}
    refused = stratmap("coverage", "--format", "json", cwd=repo)
    assert refused.code == 1, "a plan with placeholder errors does not validate, so coverage refuses it"
    ignored = repo / "stratmap.toml"
    ignored.write_text('ignore = ["S007"]\n', encoding="utf-8")
    coverage = stratmap("coverage", "--format", "json", cwd=repo)
    assert coverage.code == 0, coverage.err
    aligned = [t["code"] for o in _objectives(coverage.json()) for t in o["aligned_themes"]]
    assert aligned and not any(code.startswith("dol:") for code in aligned)
    trace = stratmap("trace", "city:AC1", "--format", "json", cwd=repo)
    assert trace.code == 0 and "dol:" not in trace.out


def _objectives(report: dict[str, object]) -> list[dict[str, list[dict[str, str]]]]:
    themes = report["themes"]
    assert isinstance(themes, list)
    return [objective for theme in themes for objective in theme["objectives"]]


# ---- all or nothing --------------------------------------------------------------------------------------

STOPPED = """
import os, signal, sys
calls = [0]
real_fsync = os.fsync
def fsync(fd):
    calls[0] += 1
    if calls[0] == {at}:
        os.kill(os.getpid(), signal.{signal})
    real_fsync(fd)
os.fsync = fsync
sys.argv = ["stratmap", *{args!r}]
from stratmap.cli import main
main()
"""


SCENARIOS = {
    "init --from": ["init", "111", "--from", "110"],
    "rename --write": ["rename", "city:DP2.2", "city:DP2.5", "--write"],
    "fmt": ["fmt"],
}


def _scrambled(repo: Path) -> None:
    """Two theme files with an objective's keys out of the schema's order, for fmt to put back."""
    for name in ("theme-b.yaml", "theme-c.yaml"):
        theme = repo / "data" / "110" / DOED / name
        text = theme.read_text(encoding="utf-8")
        first = text.index("  - code: ")
        code_line = text[first : text.index("\n", first) + 1]
        perspective_line = text[first + len(code_line) : text.index("\n", first + len(code_line)) + 1]
        swapped = "  - " + perspective_line.strip() + "\n    " + code_line.removeprefix("  - ").strip() + "\n"
        theme.write_text(text.replace(code_line + perspective_line, swapped, 1), encoding="utf-8")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGKILL"])
@pytest.mark.parametrize("command", list(SCENARIOS))
def test_an_edit_stopped_mid_write_leaves_the_old_files_or_the_new_never_a_mix(
    repo: Path, tmp_path: Path, command: str, how: str
) -> None:
    """Each writing command is stopped at every moment a file is made durable. While it stages its files
    (before any rename), a held signal (SIGTERM, SIGINT) stops it with nothing written and nothing left
    behind; after the renames, every file is new. SIGKILL cannot be held: killed while staging, the old
    files stand (staged temporary files may remain, which no command reads)."""
    args = SCENARIOS[command]
    if command == "fmt":
        _scrambled(repo)
    data = repo / "data"
    pristine = tmp_path / "pristine"
    shutil.copytree(data, pristine)
    old = _yaml_files(data)
    done = stratmap(*args, cwd=repo)
    assert done.code == 0, done.err
    new = _yaml_files(data)
    assert new != old
    outcomes = set()
    for at in range(1, 12):
        shutil.rmtree(data)
        shutil.copytree(pristine, data)
        code = _run_stopped(repo, args, at, how)
        found = _yaml_files(data)
        assert found in (old, new), f"a mix after {how} at fsync {at}"
        if how != "SIGKILL":
            leftovers = [p for p in data.rglob("*") if p.is_file() and not p.name.endswith((".yaml", ".md"))]
            assert not leftovers, f"staged files left behind after {how} at fsync {at}: {leftovers}"
            if found == old:
                assert code == 128 + getattr(signal, how), (how, at, code)
        outcomes.add("new" if found == new else "old")
    assert outcomes == {"old", "new"}, "the signals must land both before and after the renames"


def _yaml_files(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(folder).items() if name.endswith(".yaml")}


def _run_stopped(repo: Path, args: list[str], at: int, how: str) -> int:
    script = STOPPED.format(at=at, signal=how, args=args)
    done = subprocess.run([sys.executable, "-c", script], cwd=repo, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode
