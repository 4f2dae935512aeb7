"""Configuration in pyproject.toml [tool.stratmap] or stratmap.toml; command-line flags win."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import problems, stratmap


def test_pyproject_ignore_and_error(warned_plan: Path) -> None:
    plan = warned_plan
    repo = plan.parent.parent
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.stratmap]\nignore = ["N001"]\n', "utf-8")
    run = stratmap("validate", "--format", "json", cwd=repo)
    assert run.code == 0 and problems(run) == []
    (repo / "pyproject.toml").write_text('[tool.stratmap]\nerror = ["N001"]\n', "utf-8")
    run = stratmap("validate", "--format", "json", cwd=repo)
    assert run.code == 1 and [(p[3], p[4]) for p in problems(run)] == [("N001", "error")]


def test_command_line_wins_over_the_file(warned_plan: Path) -> None:
    plan = warned_plan
    repo = plan.parent.parent
    (repo / "stratmap.toml").write_text('error = ["N001"]\n', "utf-8")
    assert stratmap("validate", cwd=repo).code == 1
    assert stratmap("validate", "--ignore", "N001", cwd=repo).code == 0
    assert stratmap("validate", "--ignore", "N001", "--error", "N003", cwd=repo).code == 0


def test_stratmap_toml_is_found_from_a_subfolder_and_wins_over_pyproject(warned_plan: Path) -> None:
    plan = warned_plan
    repo = plan.parent.parent
    (repo / ".git").mkdir()
    (repo / "pyproject.toml").write_text('[tool.stratmap]\nerror = ["N001"]\n', "utf-8")
    (repo / "stratmap.toml").write_text('ignore = ["N001"]\n', "utf-8")
    assert stratmap("validate", cwd=plan / "departments").code == 0


def test_data_year_and_output_from_the_file(plan: Path) -> None:
    repo = plan.parent.parent
    (repo / "plans").mkdir()
    (repo / "data").rename(repo / "plans" / "data")
    (repo / "stratmap.toml").write_text('data = "plans/data"\nyear = 110\noutput = "site"\n', "utf-8")
    assert "plans/data/110: 5 themes" in stratmap("validate", cwd=repo).out
    assert stratmap("trace", "DP2.2", "--format", "json", cwd=repo).json()["plan"] == "plans/data/110"
    maps = "".join(f"wrote site/html/110-{name}-map.svg\n" for name in ("city", "doed"))
    assert stratmap("render", cwd=repo).out == "wrote site/html/110.html\n" + maps
    elsewhere = "".join(f"wrote elsewhere/{name}\n" for name in ("110.html", "110-city-map.svg", "110-doed-map.svg"))
    assert stratmap("render", "-o", "elsewhere", cwd=repo).out == elsewhere


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('ignor = ["N001"]\n', "unknown key 'ignor'; did you mean 'ignore'?"),
        ('ignore = ["X999"]\n', "'X999' is not a rule code"),
        ("ignore = 'N001'\n", "'ignore' must be a list"),
        ("year = '110'\n", "'year' must be a whole number"),
        ("ignore = [\n", "not valid TOML"),
        ("year = -5\n", "'year' must be a plan year from 1 to 999"),
        ('ignore = ["N001"]\nerror = ["N001"]\n', "N001 is both in 'ignore' and in 'error'"),
    ],
)
def test_bad_configuration_is_a_usage_error(plan: Path, content: str, words: str) -> None:
    repo = plan.parent.parent
    (repo / "stratmap.toml").write_text(content, "utf-8")
    for command in (["validate"], ["trace", "DP2.2"], ["render"]):
        run = stratmap(*command, cwd=repo)
        assert run.code == 2, command
        assert words in run.err and "stratmap.toml" in run.err and "Traceback" not in run.err
    assert not (repo / "build").exists()


def test_unreadable_configuration_is_a_usage_error(plan: Path) -> None:
    repo = plan.parent.parent
    (repo / "stratmap.toml").write_bytes(b"ignore = ['\xff']\n")
    run = stratmap("validate", cwd=repo)
    assert run.code == 2 and "cannot read the configuration" in run.err


def test_unknown_rule_on_the_command_line_is_a_usage_error() -> None:
    run = stratmap("validate", "--ignore", "N999")
    assert run.code == 2 and "'N999' is not a rule code" in run.err


def test_rules_lists_every_code() -> None:
    out = stratmap("rules").out
    assert out.splitlines()[0].split()[:3] == ["Y001", "file-unreadable", "error"]
    assert any(line.split()[:3] == ["N001", "numbering-gap", "warning"] for line in out.splitlines())
    assert any(line.split()[:3] == ["Y013", "invisible-character", "warning"] for line in out.splitlines())
    from stratmap.rules.catalog import RULES

    assert len(out.splitlines()) == len(RULES) == 44


@pytest.mark.parametrize("table", ['[tool]\nstratmap = {datta = "x"}\n', '[tool]\nstratmap.datta = "x"\n',
                                   '[ tool.stratmap ]\ndatta = "x"\n', '[tool."stratmap"]\ndatta = "x"\n'])  # fmt: skip
def test_any_toml_spelling_of_the_table_is_read(plan: Path, table: str) -> None:
    repo = plan.parent.parent
    (repo / "pyproject.toml").write_text(table, "utf-8")
    run = stratmap("validate", cwd=repo)
    assert run.code == 2 and "unknown key 'datta'; did you mean 'data'?" in run.err


def test_pyproject_without_the_table_is_not_configuration(plan: Path) -> None:
    repo = plan.parent.parent
    (repo / "pyproject.toml").write_text("# [tool.stratmap]\ntool = 1\n", "utf-8")
    assert stratmap("validate", cwd=repo).code == 0


@pytest.mark.parametrize(
    ("given", "silenced"), [("N001", True), ("numbering-gap", True), ("N", True), ("n00", True), ("R", False)]
)
def test_ignore_takes_codes_names_and_prefixes(warned_plan: Path, given: str, silenced: bool) -> None:
    """As in ruff and yamllint: ``--ignore N`` silences every completeness rule; a name works as well as a code."""
    run = stratmap("validate", "--ignore", given, "--format", "json", cwd=warned_plan.parent.parent)
    assert run.code == 0
    assert ([p["rule"] for p in run.json()["problems"]] == []) is silenced


def test_ignore_of_something_that_names_no_rule_is_a_usage_error() -> None:
    run = stratmap("validate", "--ignore", "Q1")
    assert run.code == 2 and "'Q1' is not a rule code, name or prefix of codes" in run.err


def test_rule_shows_one_rule_with_its_examples() -> None:
    run = stratmap("rule", "numbering-gap")
    assert run.code == 0 and run.out == stratmap("rule", "n001").out
    assert run.out.splitlines()[:3] == [
        "N001 numbering-gap (warning by default)",
        "",
        "codes that skip a number (BF2 with no BF1)",
    ]
    assert "Fails: the finance objective of theme B coded ``BF2`` with no ``BF1``" in run.out
    assert run.out.endswith("# stratmap: ignore[N001] and the reason.\n")
    assert "always an error" in stratmap("rule", "Y004").out
    unknown = stratmap("rule", "X1")
    assert unknown.code == 2 and unknown.err == "stratmap: error: no rule 'X1'; 'stratmap rules' lists them all\n"
