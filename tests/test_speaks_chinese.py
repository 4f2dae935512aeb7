"""Issue 12's promise, end to end: with ``LANG=zh_TW.UTF-8`` every command a planner runs prints
Traditional Chinese, and nothing English but codes, file names, option and rule names and the YAML
keys of the data; with ``LANG=C`` the same commands print English.

Each command runs as a separate process, as a user runs it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DOED, REPO, Run, copy_plan, edit, stratmap

CHINESE = {"LANG": "zh_TW.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
DEMO = REPO / "examples" / "demo" / "data"

# Words that stay as they are in either language: identifiers, not prose.
ALLOWED = {
    "stratmap", "KPI", "KPIs", "TOWS", "YAML", "CSV", "JSON", "HTML", "SVG", "UTF", "Big5", "BOM", "CI",
    "text", "json", "github", "sarif", "markdown", "html", "csv", "zh", "TW", "en", "Hant",
    "city", "doed", "dol", "LANG", "LC_ALL", "LC_MESSAGES", "NO_COLOR", "XDG_CACHE_HOME",
    "CODE", "PATH", "ID", "OLD", "NEW", "YEAR", "FOLDER", "FILE", "DIR", "CSV_FILE", "TEXT", "INTEGER",
    "yaml", "ignore", "true", "false", "null", "MiB", "Tab", "nmae", "UTF8",
}  # fmt: skip
COMMANDS = {"validate", "trace", "coverage", "status", "render", "diff", "record", "init", "fmt", "rename", "schema",
            "rules", "rule"}  # fmt: skip


def data_words() -> set[str]:
    """Every YAML key of the shipped and example data (``city_kpis``) and every Latin word of its Chinese
    texts (``MICE產業``): the data's own words, which no language setting translates."""
    words: set[str] = set()
    for path in [*(REPO / "data").rglob("*.yaml"), *DEMO.rglob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        words |= set(re.findall(r"^[ -]*([a-z_]+):", text, re.MULTILINE))
        words |= set(re.findall(r"[{,] *([a-z_]+):", text))
        for line in text.splitlines():
            value = line.split(" #", 1)[0]
            if re.search(r"[\u4e00-\u9fff]", value):
                words |= set(re.findall(r"[A-Za-z][A-Za-z0-9]+", value.split(":", 1)[-1]))
    return words


def rule_names() -> set[str]:
    from stratmap.rules.catalog import RULES

    return {part for info in RULES.values() for part in info.name.split("-")}


IDENTIFIER = re.compile(
    r"\S*[/\\]\S*"  # a path
    r"|\S+\.(?:yaml|yml|html|md|csv|json|toml|svg|txt)\b"  # a file name
    r"|--?[a-z][a-z-]*"  # an option
    r"|\b[a-z]+:[A-Z]\S*"  # a namespaced code, city:DP2.2
    r"|\b[A-Z]{1,3}\d[\w.]*"  # a code, DP2.2, SO1, N001
    r"|\[[a-z-]+\]"  # a rule name in brackets
    r"|'[^'\s]+'|「[^」]*」"  # a quoted key or value, as the data has it
    r"|https?://\S+"
    r"|\\u[0-9a-f]{4}"
)


def english_words(output: str) -> set[str]:
    """The English words of ``output`` that are neither identifiers nor allowed names."""
    prose = IDENTIFIER.sub(" ", output)
    allowed = ALLOWED | data_words() | rule_names() | COMMANDS
    return {word for word in re.findall(r"[A-Za-z][A-Za-z0-9]+", prose) if word not in allowed}


def chinese_characters(output: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fff]", output))


Scenario = Callable[[Path, dict[str, str]], Run]


def _warned(repo: Path) -> None:
    edit(repo / "data" / "110" / DOED / "theme-c.yaml", "  # stratmap: ignore[N001] 原文如此：文件中沒有 CP1.1", "")


def validate_with_a_warning(repo: Path, env: dict[str, str]) -> Run:
    _warned(repo)
    return stratmap("validate", cwd=repo, env=env)


def validate_with_slips(repo: Path, env: dict[str, str]) -> Run:
    theme = repo / "data" / "110" / DOED / "theme-b.yaml"
    edit(theme, "city_kpis: [DP2.2]", "city_kpis: [DP9.2]")
    edit(repo / "data" / "110" / DOED / "theme-a.yaml", "\nname: 健全商貿環境", "\nnmae: 健全商貿環境")
    return stratmap("validate", cwd=repo, env=env)


def validate_a_yaml_error(repo: Path, env: dict[str, str]) -> Run:
    edit(repo / "data" / "110" / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP2.2")
    return stratmap("validate", cwd=repo, env=env)


def trace_a_city_kpi(repo: Path, env: dict[str, str]) -> Run:
    return stratmap("trace", "DP2.2", cwd=repo, env=env)


def trace_a_department_objective(repo: Path, env: dict[str, str]) -> Run:
    return stratmap("trace", "BP2", cwd=repo, env=env)


def trace_an_unknown_code(repo: Path, env: dict[str, str]) -> Run:
    return stratmap("trace", "BP9.9", cwd=repo, env=env)


def coverage(repo: Path, env: dict[str, str]) -> Run:
    return stratmap("coverage", cwd=repo, env=env)


def diff(repo: Path, env: dict[str, str]) -> Run:
    newer = copy_plan(repo / "data" / "110", "111", 111)
    edit(newer / DOED / "theme-b.yaml", "name: 協助新創事業發展", "name: 協助新創與青年創業")
    return stratmap("diff", "110", "111", cwd=repo, env=env)


def init_from_last_year(repo: Path, env: dict[str, str]) -> Run:
    return stratmap("init", "111", "--from", "110", cwd=repo, env=env)


def render(repo: Path, env: dict[str, str]) -> Run:
    return stratmap("render", cwd=repo, env=env)


def rules(repo: Path, env: dict[str, str]) -> Run:
    return stratmap("rules", cwd=repo, env=env)


def rule_n001(repo: Path, env: dict[str, str]) -> Run:
    return stratmap("rule", "N001", cwd=repo, env=env)


def status_of_the_example_plan(repo: Path, env: dict[str, str]) -> Run:
    shutil.copytree(DEMO, repo / "demo")
    return stratmap("status", "demo", "--year", "110", cwd=repo, env=env)


SCENARIOS: list[Scenario] = [
    validate_with_a_warning,
    validate_with_slips,
    validate_a_yaml_error,
    trace_a_city_kpi,
    trace_a_department_objective,
    trace_an_unknown_code,
    coverage,
    diff,
    init_from_last_year,
    render,
    rules,
    rule_n001,
    status_of_the_example_plan,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_in_chinese_nothing_english_but_names_and_codes(plan: Path, scenario: Scenario) -> None:
    run = scenario(plan.parent.parent, CHINESE)
    output = run.out + run.err
    assert "Traceback" not in output
    assert chinese_characters(output), output
    assert english_words(output) == set(), output


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_in_english_the_same_command_speaks_english(plan: Path, scenario: Scenario) -> None:
    """Chinese in English output comes only from the data (names, notes), never from stratmap's words."""
    repo = plan.parent.parent
    english = scenario(repo, ENGLISH)
    assert "Traceback" not in english.out + english.err
    assert english_words(english.out + english.err), "English output speaks English"
    for word in ("錯誤", "警告", "請", "策略主題", "對應", "未", "檔案"):
        assert word not in english.err, f"{word} in: {english.err}"
