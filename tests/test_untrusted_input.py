"""Holes found by a security review, each attacked as a hostile pull request would (issue 9).

Years without plan.yaml, failures the configuration tried to silence, names that forge report lines,
floods of problems, and invisible characters. Rendering holes are in ``test_render_hardening.py``, the
cache in ``test_cache.py``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import DOED, PLAN_110, edit, line_of, problems, stratmap

# ---- a year folder without plan.yaml -----------------------------------------------------------------


def test_a_year_without_plan_yaml_is_reported_not_skipped(plan: Path) -> None:
    broken = plan.parent / "111" / DOED
    broken.mkdir(parents=True)
    shutil.copy(plan / DOED / "theme-b.yaml", broken / "theme-b.yaml")
    run = stratmap("validate", "--format", "json", "data", cwd=plan.parent.parent)
    assert run.code == 1
    found = {(p[0], p[3]) for p in problems(run)}
    assert ("data/111/plan.yaml", "R006") in found and ("data/111/city.yaml", "R006") in found
    assert [p["path"] for p in run.json()["plans"]] == ["data/110", "data/111"]


def test_folders_without_strategy_files_are_still_ignored(plan: Path) -> None:
    (plan.parent / "notes").mkdir()
    (plan.parent / "notes" / "README.md").write_text("會議紀錄\n", encoding="utf-8")
    (plan.parent / ".drafts").mkdir()
    (plan.parent / ".drafts" / "x.yaml").write_text("kind: theme\n", encoding="utf-8")
    run = stratmap("validate", "data", cwd=plan.parent.parent)
    assert run.code == 0 and "notes" not in run.out and "drafts" not in run.out


# ---- what the configuration may not do ---------------------------------------------------------------


@pytest.mark.parametrize("silenced", ["Y004", "S002"])
def test_a_file_that_fails_to_load_fails_the_run_whatever_the_configuration(plan: Path, silenced: str) -> None:
    root = plan.parent.parent
    (root / "stratmap.toml").write_text(f'ignore = ["{silenced}", "R003"]\n', encoding="utf-8")
    theme = plan / DOED / "theme-e.yaml"
    if silenced == "Y004":
        edit(theme, "kind: theme", "kind: theme\nname: [unclosed")
    else:
        edit(theme, "kind: theme", "kind: theme\nnmae: typo")
    run = stratmap("validate", "--format", "json", cwd=root)
    assert run.code == 1
    assert (f"data/110/{DOED.as_posix()}/theme-e.yaml", silenced, "error") in {
        (p[0], p[3], p[4]) for p in problems(run)
    }
    flags = stratmap("validate", "--ignore", silenced, cwd=root)
    assert flags.code == 1 and "references across files not checked" in flags.out


def test_a_configured_data_folder_outside_the_repository_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copytree(PLAN_110, tmp_path / "elsewhere" / "110")
    (repo / "stratmap.toml").write_text('data = "../elsewhere"\n', encoding="utf-8")
    run = stratmap("validate", cwd=repo)
    assert run.code == 2 and "'data'" in run.err and "outside the repository" in run.err
    assert "Traceback" not in run.err


# ---- names that would forge report lines -------------------------------------------------------------


def test_a_plan_folder_name_with_a_newline_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(PLAN_110, data / "110")
    forged = data / "110\n::error file=x.yaml,line=1::forged"
    (data / "110").rename(forged)
    for output in ("text", "github", "json", "sarif"):
        run = stratmap("validate", "--format", output, str(forged), cwd=tmp_path)
        assert run.code == 2 and "control character" in run.err, output
        assert "\n::error" not in run.out + run.err


def test_a_file_name_with_a_control_character_is_not_read(plan: Path) -> None:
    (plan / DOED / "x\n::error file=a,line=1::forged.yaml").write_text("kind: theme\n", encoding="utf-8")
    run = stratmap("validate", "--format", "github", "data", cwd=plan.parent.parent)
    assert run.code == 1
    assert not any(line.startswith("::error file=a") for line in run.out.splitlines())
    assert "its name holds a control character" in run.out
    json_run = stratmap("validate", "--format", "json", "data", cwd=plan.parent.parent)
    assert ("Y001", "error") in {(p[3], p[4]) for p in problems(json_run)}


def test_a_data_folder_named_like_a_workflow_command_cannot_start_a_line(tmp_path: Path) -> None:
    data = tmp_path / "::error file=x.yaml,line=1::forged"
    shutil.copytree(PLAN_110, data / "110")
    run = stratmap("validate", "--format", "github", "::error file=x.yaml,line=1::forged", cwd=tmp_path)
    assert run.code == 0
    commands = [line for line in run.out.splitlines() if line.lstrip().startswith("::")]
    assert all(line.startswith("::warning file=%3A%3Aerror") for line in commands), commands


# ---- floods of problems ------------------------------------------------------------------------------


def test_problems_are_capped_per_file_and_rule(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    with theme.open("a", encoding="utf-8") as stream:
        stream.writelines(f"unknown_{n:05d}: x\n" for n in range(5000))
    run = stratmap("validate", "--format", "json", "data", cwd=plan.parent.parent)
    assert run.code == 1
    unknown = [p for p in run.json()["problems"] if p["rule"] == "S002"]
    assert len(unknown) == 101
    assert unknown[-1]["message"] == "and 4,900 more of S002 in this file"
    assert unknown[-1]["line"] == unknown[-2]["line"] == line_of(theme, "unknown_00099:")


def test_a_file_of_700000_keys_is_refused_without_exhausting_the_machine(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    with theme.open("a", encoding="utf-8") as stream:
        stream.writelines(f"k{n:06d}: 1\n" for n in range(700_000))
    run = stratmap("validate", "--format", "json", "data", cwd=plan.parent.parent)
    assert run.code == 1
    [flood] = [p for p in run.json()["problems"] if p["path"].endswith("theme-a.yaml")]
    assert flood["rule"] == "Y008" and "more than 200,000 values" in flood["message"]


# ---- invisible and direction marks ---------------------------------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff", "\u00ad", "\u180e", "\U000e0041"]


@pytest.mark.parametrize("mark", INVISIBLE, ids=[f"U+{ord(m):04X}" for m in INVISIBLE])
def test_an_invisible_mark_in_a_code_is_an_error(plan: Path, mark: str) -> None:
    theme = plan / DOED / "theme-b.yaml"
    line = edit(theme, "      - code: BP2.1\n", f"      - code: BP2{mark}.1\n")
    run = stratmap("validate", "--format", "json", "data", cwd=plan.parent.parent)
    assert run.code == 1
    found = {(p["line"], p["column"], p["rule"], p["severity"]) for p in run.json()["problems"]}
    assert (line, 15, "S005", "error") in found
    [message] = [p["message"] for p in run.json()["problems"] if p["rule"] == "S005"]
    assert f"invisible character U+{ord(mark):04X}" in message


@pytest.mark.parametrize("mark", INVISIBLE, ids=[f"U+{ord(m):04X}" for m in INVISIBLE])
def test_an_invisible_mark_in_text_is_a_warning(plan: Path, mark: str) -> None:
    theme = plan / DOED / "theme-b.yaml"
    line = edit(theme, "name: 新設企業家數", f"name: 新設{mark}企業家數")
    root = plan.parent.parent
    run = stratmap("validate", "--format", "json", "data", cwd=root)
    assert run.code == 0
    found = {(p["line"], p["column"], p["rule"], p["severity"]) for p in run.json()["problems"]}
    assert (line, 17, "Y013", "warning") in found
    assert stratmap("validate", "--strict", "data", cwd=root).code == 1
    assert stratmap("validate", "--error", "Y013", "data", cwd=root).code == 1


def test_the_shipped_data_holds_no_invisible_mark() -> None:
    run = stratmap("validate", "--format", "json", "data/110")
    assert "Y013" not in {p[3] for p in problems(run)}
    assert json.loads(run.out)["errors"] == 0
