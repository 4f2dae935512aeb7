"""Where strategy files live: pre-commit, GitHub Actions and code scanning (SARIF), diff, init, CLI conventions."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import DOED, FIXTURES, REPO, copy_plan, edit, line_of, stratmap
from test_bad_input import snapshot

# ---- pre-commit ------------------------------------------------------------------------------


def test_pre_commit_hook_entry_runs_on_a_sample_repository(plan: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["stratmap-validate", "stratmap-fmt"]
    hook = hooks[0]
    assert hook["pass_filenames"] is True
    repo = plan.parent.parent
    changed = ["README.md", "data/110/departments/doed/theme-b.yaml", "data/110/city.yaml"]
    selected = [name for name in changed if re.search(hook["files"], name)]
    assert selected == changed[1:]
    entry = shlex.split(hook["entry"])
    assert entry[0] == "stratmap"
    command = [sys.executable, "-m", "stratmap", *entry[1:], *selected]
    done = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0 and "data/110: 5 themes" in done.stdout
    edit(plan / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.2]")
    done = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    assert done.returncode == 1 and "theme-b.yaml:" in done.stdout and "R003" in done.stdout


# ---- GitHub Actions and SARIF -------------------------------------------------------------------


def test_project_workflow_runs_the_ci_script() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["test"]["steps"]
    assert any(step.get("run") == "bash .ci/run" for step in steps)
    assert "python -m pip install '.[test]' && python -m pytest" in (REPO / ".ci" / "run").read_text("utf-8")


def test_sarif_validates_against_the_published_schema(warned_plan: Path) -> None:
    plan = warned_plan
    edit(plan / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.2]")
    run = stratmap("validate", "--format", "sarif", cwd=plan.parent.parent)
    assert run.code == 1
    log = run.json()
    schema = json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    (sarif_run,) = log["runs"]
    assert sarif_run["tool"]["driver"]["name"] == "stratmap"
    results = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
               for r in sarif_run["results"]]  # fmt: skip
    city_kpis_line = line_of(plan / DOED / "theme-b.yaml", "city_kpis: [DP9.2]")
    assert ("R003", "error", city_kpis_line) in results and ("N001", "warning", 39) in results
    rule_ids = [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in sarif_run["results"])
    with pytest.raises(jsonschema.ValidationError):  # the schema is real: a broken log fails it
        jsonschema.validate({**log, "version": "2.0"}, schema)


def test_readme_documents_the_github_snippet() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "stratmap validate --format github" in readme and "actions/upload-artifact" in readme
    assert "stratmap validate --format sarif" in readme and "github/codeql-action/upload-sarif" in readme


# ---- diff ------------------------------------------------------------------------------------------


def revised(plan: Path) -> Path:
    """A copy of data/110 with a renamed KPI, a removed action plan and a new city reference."""
    new = copy_plan(plan, "111", 111)
    edit(new / DOED / "theme-a.yaml", "name: 公司及商業登記服務滿意度", "name: 公司及商業登記線上服務滿意度")
    edit(new / DOED / "theme-b.yaml", "          - {code: BP1.1.2, name: 產業人才交流計畫}\n", "")
    edit(new / DOED / "theme-c.yaml", "city_kpis: [DP3.2]", "city_kpis: [DP3.2, DP3.1]")
    return new


def test_diff_reports_exactly_the_three_changes(plan: Path) -> None:
    revised(plan)
    cwd = plan.parent.parent
    run = stratmap("diff", "data/110", "data/111", "--format", "json", cwd=cwd)
    assert run.code == 0
    changes = [(c["change"], c["item"], c["id"], c["target"]) for c in run.json()["changes"]]
    assert changes == [
        ("renamed", "kpi", "doed:AC2.1", None),
        ("reference added", "city_reference", "doed:CP3.1", "city:DP3.1"),
        ("removed", "action_plan", "doed:BP1.1.2", None),
    ]
    text = stratmap("diff", "110", "111", cwd=cwd).out.splitlines()
    assert text[0] == "data/110 (plan 110) → data/111 (plan 111): 3 changes"
    assert text[1].split() == [
        "renamed",
        "KPI",
        "doed:AC2.1:",
        "公司及商業登記服務滿意度",
        "→",
        "公司及商業登記線上服務滿意度",
    ]
    markdown = stratmap("diff", "110", "111", "--format", "markdown", cwd=cwd).out
    assert markdown.startswith("### stratmap diff: data/110 (plan 110) → data/111 (plan 111)\n\n3 changes\n")
    assert "| reference added | city KPI reference |  | doed:CP3.1 → city:DP3.1 |" in markdown


def test_diff_exit_code_and_no_changes(plan: Path) -> None:
    cwd = plan.parent.parent
    same = stratmap("diff", "data/110", "data/110", "--exit-code", cwd=cwd)
    assert same.code == 0 and same.out.endswith(": 0 changes\n")
    revised(plan)
    assert stratmap("diff", "data/110", "data/111", cwd=cwd).code == 0
    assert stratmap("diff", "data/110", "data/111", "--exit-code", cwd=cwd).code == 1


def test_diff_finds_a_renumbered_objective(plan: Path) -> None:
    new = copy_plan(plan, "111", 111)
    theme = new / DOED / "theme-a.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("AP2", "AP3"), encoding="utf-8")
    edit(new / DOED / "department.yaml", "objective: AP2}", "objective: AP3}")
    changes = stratmap("diff", "data/110", "data/111", "--format", "json", cwd=plan.parent.parent).json()["changes"]
    assert [(c["change"], c["old"]["id"], c["new"]["id"]) for c in changes] == [
        ("moved", "doed:AP2", "doed:AP3"),
        ("moved", "doed:AP2.1", "doed:AP3.1"),
        ("moved", "doed:AP2.1.1", "doed:AP3.1.1"),
    ]


def test_diff_of_a_plan_that_does_not_validate(plan: Path) -> None:
    new = revised(plan)
    edit(new / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.2]")
    run = stratmap("diff", "data/110", "data/111", cwd=plan.parent.parent)
    assert run.code == 1 and run.out == "" and "data/111 does not validate" in run.err


# ---- init ------------------------------------------------------------------------------------------


def test_init_new_year_fails_only_on_its_placeholders(tmp_path: Path) -> None:
    """The scaffold is a valid plan but for the 「待填」 a person must replace (S007, see test_new_year)."""
    (tmp_path / ".git").mkdir()
    run = stratmap("init", "data/111", "--department", "doed", cwd=tmp_path)
    assert run.code == 0
    assert run.out.splitlines()[-4:] == [
        "created data/111/plan.yaml", "created data/111/city.yaml",
        "created data/111/departments/doed/department.yaml", "created data/111/departments/doed/theme-a.yaml",
    ]  # fmt: skip
    check = stratmap("validate", "--strict", "--ignore", "S007", cwd=tmp_path)
    assert check.code == 0, check.out
    for path in (tmp_path / "data").rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = (path.parent / first.removeprefix("# yaml-language-server: $schema=")).resolve()
        assert target.is_file() and target.parent == tmp_path / "schemas"


def test_init_department_under_the_shipped_year(plan: Path) -> None:
    cwd = plan.parent.parent
    shutil.copytree(REPO / "schemas", cwd / "schemas")
    run = stratmap("init", "data/110", "-d", "dol", cwd=cwd)
    assert run.code == 0 and "created data/110/departments/dol/theme-a.yaml" in run.out
    check = stratmap("validate", "--format", "json", cwd=cwd)
    assert check.code == 1 and check.json()["plans"][0]["counts"]["themes"] == 6
    assert {(p["rule"], p["path"].split("/")[3]) for p in check.json()["problems"] if p["severity"] == "error"} == {
        ("S007", "dol")
    }
    theme = (plan / "departments" / "dol" / "theme-a.yaml").read_text(encoding="utf-8")
    assert theme.startswith("# yaml-language-server: $schema=../../../../schemas/theme.schema.json\n")
    assert "aligns_to: [TC1]" not in theme and "aligns_to: [AC1]" in theme


def test_init_refuses_a_folder_with_files_and_force_never_deletes(plan: Path) -> None:
    cwd = plan.parent.parent
    shutil.copytree(REPO / "schemas", cwd / "schemas")
    mine = cwd / "data" / "111"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    before = snapshot(cwd)
    run = stratmap("init", "data/111", cwd=cwd)
    assert run.code == 2 and "already has files; nothing was written" in run.err
    assert snapshot(cwd) == before
    assert stratmap("init", "data/111", "--force", cwd=cwd).code == 0
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    before = snapshot(cwd)
    for force in ([], ["--force"]):
        again = stratmap("init", "data/110", "-d", "doed", *force, cwd=cwd)
        assert again.code == 2 and "init never replaces a department" in again.err
    assert snapshot(cwd) == before


@pytest.mark.parametrize(
    ("folder", "words"),
    [("data/next", "name a new plan folder after its year"), ("data/112", "is not a department id")],
)
def test_init_usage_errors(tmp_path: Path, folder: str, words: str) -> None:
    args = ["init", folder] + (["-d", "Bad Id"] if folder.endswith("112") else [])
    run = stratmap(*args, cwd=tmp_path)
    assert run.code == 2 and words in run.err and not (tmp_path / "data").exists()


def test_init_with_an_empty_department_id_is_refused(tmp_path: Path) -> None:
    """``--department ""`` once became the placeholder id ``dept`` without a word."""
    run = stratmap("init", "data/111", "--department", "", cwd=tmp_path)
    assert run.code == 2 and "--department needs an id" in run.err and not (tmp_path / "data").exists()


# ---- conventions ----------------------------------------------------------------------------------

COMMANDS = [
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
]


def test_every_command_has_help_with_an_example() -> None:
    top = stratmap("--help")
    assert top.code == 0 and all(command in top.out for command in COMMANDS)
    for command in COMMANDS:
        run = stratmap(command, "--help")
        assert run.code == 0 and f"Example: stratmap {command}" in run.out, command
        assert stratmap(command, "-h").out == run.out, f"-h is --help for {command}"
    assert stratmap("-h").out == top.out


def test_version_and_completion() -> None:
    """Completion through the installed console script, as a shell runs it (``--show-completion`` instead
    guesses the shell from the process tree, which a CI job or a background run does not have)."""
    from stratmap import __version__

    assert stratmap("--version").out == f"stratmap {__version__}\n"
    script = Path(sys.executable).with_name("stratmap")
    env = {**os.environ, "_STRATMAP_COMPLETE": "source_bash"}
    source = subprocess.run([script], env=env, capture_output=True, text=True, timeout=60)
    assert source.returncode == 0 and "complete" in source.stdout and "_stratmap_completion" in source.stdout
    env = {**env, "_STRATMAP_COMPLETE": "complete_bash", "COMP_WORDS": "stratmap tr", "COMP_CWORD": "1"}
    words = subprocess.run([script], env=env, capture_output=True, text=True, timeout=60)
    assert words.stdout.split() == ["trace"]


def test_quiet_prints_only_problems(warned_plan: Path) -> None:
    plan = warned_plan
    cwd = plan.parent.parent
    run = stratmap("validate", "-q", cwd=cwd)
    assert run.code == 0
    line = "data/110/departments/doed/theme-c.yaml:39:15: warning N001 department KPI CP1.2 skips CP1.1"
    assert run.out == line + " [numbering-gap]\n"
    assert stratmap("render", "-q", cwd=cwd).out == ""
    assert (cwd / "build" / "html" / "110.html").is_file()


def test_errors_go_to_stderr_and_results_to_stdout(plan: Path) -> None:
    run = stratmap("trace", "ZZ9.9", cwd=plan.parent.parent)
    assert run.out == "" and run.err.startswith("stratmap: error: no code ZZ9.9")
    run = stratmap("validate", "nowhere", cwd=plan.parent.parent)
    assert run.out == "" and run.err == "stratmap: error: nowhere: no such file or folder\n"


def test_exit_codes_are_one_table_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Exit status") :]
    table = section[: section.index("\n\n", section.index("|"))]
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in table


def test_init_writes_schemas_at_the_repository_root_never_above(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    run = stratmap("init", "111", "-d", "doed", cwd=repo)
    assert run.code == 0, run.err
    assert (repo / "schemas" / "plan.schema.json").is_file() and not (tmp_path / "schemas").exists()
    assert stratmap("validate", "111", "--strict", "--ignore", "S007", cwd=repo).code == 0


def test_configured_year_does_not_override_a_path(plan: Path) -> None:
    revised(plan)
    cwd = plan.parent.parent
    (cwd / "stratmap.toml").write_text("year = 110\n", "utf-8")
    run = stratmap("diff", "110", "111", "--format", "json", cwd=cwd)
    assert run.code == 0 and len(run.json()["changes"]) == 3
    assert stratmap("trace", "DP2.2", "data/111", "--format", "json", cwd=cwd).json()["year"] == 111
    assert stratmap("trace", "DP2.2", "--format", "json", cwd=cwd).json()["year"] == 110


def test_diff_keeps_reference_changes_of_a_moved_kpi(plan: Path) -> None:
    new = copy_plan(plan, "111", 111)
    theme = new / DOED / "theme-a.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("AP2.1", "AP2.2"), encoding="utf-8")
    edit(
        theme,
        "        name: 八大行業聯合檢查平均合格率\n",
        "        name: 八大行業聯合檢查平均合格率\n        city_kpis: [DP1.1]\n",
    )
    changes = stratmap("diff", "110", "111", "--format", "json", cwd=plan.parent.parent).json()["changes"]
    summary = [(c["change"], c["id"], c["target"]) for c in changes]
    assert ("moved", "doed:AP2.2", None) in summary and ("reference added", "doed:AP2.2", "city:DP1.1") in summary


def test_diff_needs_two_plan_folders(plan: Path) -> None:
    run = stratmap("diff", "data", "data/110", cwd=plan.parent.parent)
    assert run.code == 2 and "not a plan folder" in run.err


def test_sarif_paths_are_relative_to_the_repository_root(warned_plan: Path) -> None:
    plan = warned_plan
    repo = plan.parent.parent
    (repo / ".git").mkdir()
    run = stratmap("validate", "--format", "sarif", cwd=plan / "departments")
    (result,) = run.json()["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "data/110/departments/doed/theme-c.yaml", "uriBaseId": "%SRCROOT%"}
