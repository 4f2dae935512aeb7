"""Positive and negative example plans, run through the real CLI, compared with their expected output.

Each folder under ``tests/examples/valid`` and ``tests/examples/invalid`` holds a plan ``110/``
and ``expected.txt``, the exact output of ``stratmap validate 110`` run in that folder.
Refresh them after an intended change with ``python -m pytest --update-golden``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import stratmap

EXAMPLES = Path(__file__).resolve().parent / "examples"
CASES = sorted(EXAMPLES.glob("*/*/110"))


def test_there_are_examples_of_both_kinds() -> None:
    assert {case.parent.parent.name for case in CASES} == {"valid", "invalid"}


@pytest.mark.parametrize("plan", CASES, ids=[f"{c.parent.parent.name}/{c.parent.name}" for c in CASES])
def test_example(plan: Path, update_golden: bool) -> None:
    folder = plan.parent
    run = stratmap("validate", "110", cwd=folder)
    assert run.code == (0 if folder.parent.name == "valid" else 1), run.out + run.err
    assert run.err == ""
    expected = folder / "expected.txt"
    if update_golden:
        expected.write_text(run.out, encoding="utf-8")
    assert run.out == expected.read_text(encoding="utf-8")
