"""Shared helpers: run the real CLI, copy the shipped plan, edit a file by text."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
PLAN_110 = DATA / "110"
DOED = Path("departments") / "doed"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Every run of stratmap in the tests keeps its cache in a folder of this test session, never in the
# cache of the person or CI job running them (tests that need another cache folder set their own).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="stratmap-test-cache-")
os.environ.pop("STRATMAP_CACHE_DIR", None)
os.environ.pop("STRATMAP_NO_CACHE", None)
# English messages, whatever the language of the machine running the tests (tests of the Chinese set their own).
for _variable in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected outputs (tests/examples/*/*/expected.txt, tests/golden/) from the current code",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites golden files instead of comparing with them."""
    return bool(request.config.getoption("--update-golden"))


@dataclass
class Run:
    """What a run of ``stratmap`` printed and returned."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """The standard output parsed as JSON."""
        return json.loads(self.out)


def stratmap(*args: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None) -> Run:
    """Run the installed ``stratmap`` as a user would: a separate process."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "stratmap", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """A fresh copy of ``data/110`` under ``tmp_path/data/110``; edit it freely."""
    target = tmp_path / "data" / "110"
    shutil.copytree(PLAN_110, target)
    return target


SHIPPED_SUPPRESSION = "  # stratmap: ignore[N001] 原文如此：文件中沒有 CP1.1"
"""The one suppression comment of data/110: CP1.2 skips CP1.1 in the document itself (ERRATA.md, row 7)."""


@pytest.fixture
def warned_plan(plan: Path) -> Path:
    """The copy of ``data/110`` without its one suppression comment: it carries one warning, N001 at
    ``theme-c.yaml:39:15`` (CP1.2 skips CP1.1), for tests that need a plan with a warning."""
    edit(plan / DOED / "theme-c.yaml", SHIPPED_SUPPRESSION, "")
    return plan


def copy_plan(plan: Path, folder: str, year: int) -> Path:
    """A copy of ``plan`` beside it, in ``folder``, saying ``year`` in its plan.yaml."""
    copy = plan.parent / folder
    shutil.copytree(plan, copy)
    edit(copy / "plan.yaml", "year: 110", f"year: {year}")
    return copy


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` by ``new`` in ``path`` (exactly ``count`` times); return the 1-based line of the first."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found {count} times in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def line_of(path: Path, text: str) -> int:
    """The 1-based line on which ``text`` first stands in ``path``."""
    content = path.read_text(encoding="utf-8")
    assert text in content, f"{text!r} not in {path}"
    return content[: content.index(text)].count("\n") + 1


def column_of(path: Path, text: str) -> int:
    """The 1-based column at which ``text`` first stands on its line in ``path``."""
    content = path.read_text(encoding="utf-8")
    index = content.index(text)
    return index - content.rfind("\n", 0, index)


def problems(run: Run) -> list[tuple[str, int, int, str, str]]:
    """``(path, line, column, rule, severity)`` of each problem of a ``--format json`` run."""
    return [(p["path"], p["line"], p["column"], p["rule"], p["severity"]) for p in run.json()["problems"]]


def data_strings(*folders: Path) -> list[str]:
    """Every key and text of the folders' YAML files (names, notes, titles), longest first: the data's own
    words, which tests take out of an output before looking at the language stratmap speaks in it."""
    import yaml

    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.add(value)

    for folder in folders:
        for path in sorted(folder.rglob("*.yaml")):
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(found, key=len, reverse=True)
