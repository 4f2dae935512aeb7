"""``stratmap validate`` as a user and a CI job see it: output, formats, exit codes, paths."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOED, REPO, copy_plan, edit, stratmap

COUNTS = "data/110: 5 themes, 41 objectives, 45 KPIs, 61 action plans, 15 city references"


def test_default_path_is_the_repository_data_folder() -> None:
    run = stratmap("validate")
    assert run.code == 0
    assert COUNTS in run.out.splitlines()
    assert run.out.splitlines()[-1] == "All checks passed."


def test_runs_from_a_subfolder_of_the_repository() -> None:
    run = stratmap("validate", cwd=REPO / "src")
    assert run.code == 0
    assert "5 themes, 41 objectives, 45 KPIs, 61 action plans, 15 city references" in run.out


def test_text_line_names_file_line_column_rule_and_severity(warned_plan: Path) -> None:
    run = stratmap("validate", "data/110", cwd=warned_plan.parent.parent)
    assert run.out.splitlines()[0] == (
        "data/110/departments/doed/theme-c.yaml:39:15: warning N001 department KPI CP1.2 skips CP1.1 [numbering-gap]"
    )
    assert run.out.splitlines()[1] == "  help: number it CP1.1 if the skip is a mistake"


def test_strict_fails_on_warnings(warned_plan: Path) -> None:
    assert stratmap("validate", "--strict", cwd=warned_plan.parent.parent).code == 1


def test_json_format_is_stable_and_complete(warned_plan: Path) -> None:
    first = stratmap("validate", "--format", "json", cwd=warned_plan.parent.parent)
    again = stratmap("validate", "--format", "json", cwd=warned_plan.parent.parent)
    assert first.out == again.out
    document = first.json()
    assert document["version"] == 1
    assert document["errors"] == 0 and document["warnings"] == 1
    assert document["plans"] == [
        {
            "path": "data/110",
            "errors": 0,
            "warnings": 1,
            "counts": {"themes": 5, "objectives": 41, "kpis": 45, "action_plans": 61, "city_references": 15},
        }
    ]
    assert document["problems"][0] == {
        "path": "data/110/departments/doed/theme-c.yaml",
        "line": 39,
        "column": 15,
        "rule": "N001",
        "name": "numbering-gap",
        "severity": "warning",
        "message": "department KPI CP1.2 skips CP1.1",
        "hint": "number it CP1.1 if the skip is a mistake",
    }


def test_github_format_annotates_the_line(warned_plan: Path) -> None:
    plan = warned_plan
    edit(plan / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.2]")
    run = stratmap("validate", "--format", "github", "data", cwd=plan.parent.parent)
    assert run.code == 1
    lines = run.out.splitlines()
    assert any(
        line.startswith("::error file=data/110/departments/doed/theme-b.yaml,line=")
        and ",title=R003 unknown-city-objective::city KPI reference DP9.2 names no city objective" in line
        for line in lines
    ), lines
    assert any(
        line.startswith("::warning file=data/110/departments/doed/theme-c.yaml,line=39,col=15,") for line in lines
    )


def test_errors_exit_1_and_are_sorted_by_file_and_line(warned_plan: Path) -> None:
    plan = warned_plan
    edit(plan / DOED / "theme-e.yaml", "aligns_to: [BP2]", "aligns_to: [BP9]")
    edit(plan / DOED / "theme-a.yaml", "city_kpis: [DC3.2]", "city_kpis: [DC9.2]")
    run = stratmap("validate", "data/110", cwd=plan.parent.parent)
    assert run.code == 1
    located = [
        line.split(": ")[0]
        for line in run.out.splitlines()
        if line.startswith("data/") and ": " in line and not line.startswith("data/110:")
    ]
    assert located == sorted(located, key=lambda s: (s.split(":")[0], int(s.split(":")[1])))
    assert located[0].startswith("data/110/departments/doed/theme-a.yaml:")
    assert run.out.splitlines()[-1] == "Found 2 errors and 1 warning."


def test_data_folder_with_several_years_checks_each(plan: Path) -> None:
    copy_plan(plan, "111", 111)
    run = stratmap("validate", cwd=plan.parent.parent)
    assert run.code == 0
    assert [line.split(":")[0] for line in run.out.splitlines() if "themes," in line] == ["data/110", "data/111"]


def test_a_file_path_checks_its_whole_plan(plan: Path) -> None:
    run = stratmap("validate", "data/110/departments/doed/theme-a.yaml", cwd=plan.parent.parent)
    assert run.code == 0
    assert COUNTS in run.out


def test_colour_only_on_a_terminal(warned_plan: Path) -> None:
    assert "\x1b[" not in stratmap("validate", env={"NO_COLOR": ""}, cwd=warned_plan.parent.parent).out


def test_version_and_help() -> None:
    assert stratmap("--version").out.startswith("stratmap ")
    run = stratmap("validate", "--help")
    assert run.code == 0 and "Example: stratmap validate" in run.out


def test_starting_only_the_chosen_command_keeps_help_and_suggestions_whole() -> None:
    """main() builds only the command the first argument names; everything else still sees them all."""
    listing = stratmap("--help").out
    for command in (
        "validate",
        "trace",
        "coverage",
        "status",
        "render",
        "diff",
        "record",
        "init",
        "rename",
        "fmt",
        "schema",
        "rules",
        "rule",
    ):
        assert f"  {command} " in listing
    mistyped = stratmap("validat", "data/110")
    assert mistyped.code == 2 and "Did you mean 'validate'?" in mistyped.err
    assert stratmap("rules").out.startswith("Y001  file-unreadable")
    assert "Usage: stratmap trace [OPTIONS] <CODE> [PATH]..." in stratmap("trace", "--help").out


@pytest.mark.parametrize("encoding", ["cp950", "ascii"])
def test_a_console_that_cannot_show_a_character_gets_an_escape_not_a_crash(tmp_path: Path, encoding: str) -> None:
    """On a Big5 console (Windows in a zh-TW locale) a name with 响 (not in Big5) or 𠀀 (outside the BMP)
    is written with an escape; the exit status is the command's own."""
    plan = tmp_path / "data" / "110"
    shutil.copytree(REPO / "data" / "110", plan)
    edit(plan / DOED / "theme-b.yaml", "name: 新設企業家數", "name: 新設企業家數（影响𠀀）")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": encoding}
        return subprocess.run([sys.executable, "-m", "stratmap", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, encoding=encoding, timeout=120)  # fmt: skip

    trace = run("trace", "doed:BP2.1")
    assert trace.returncode == 0 and "\\u54cd\\U00020000" in trace.stdout and "internal error" not in trace.stderr
    shown = "新設企業家數" if encoding == "cp950" else "\\u65b0\\u8a2d"
    assert shown in trace.stdout, "what the console can show is shown as it is"
    edit(plan / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.9]")
    check = run("validate")
    assert check.returncode == 1 and "internal error" not in check.stderr
