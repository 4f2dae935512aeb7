"""Plan years checked in worker processes (``validate --jobs``, issue 14) report exactly what one process
reports: the same bytes on standard output and the same exit status, in every format, on data/110, the
example plan and a generated corpus of three plan years with planted errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PLAN_110, REPO, stratmap
from test_scale import generate

DEMO = REPO / "examples" / "demo" / "data"
FORMATS = ["text", "json", "sarif", "github"]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three plan years of two departments, with errors planted in them (``expected.json`` lists them)."""
    root = tmp_path_factory.mktemp("years")
    summary = generate("years", root, "--plant", "9", "--seed", "5")
    assert summary["files"] == 3 * (2 + 2 * 6)
    return root / "data"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("which", ["data/110", "demo", "planted"])
def test_parallel_and_serial_say_the_same(which: str, fmt: str, planted: Path) -> None:
    folder = {"data/110": PLAN_110, "demo": DEMO, "planted": planted}[which]
    env = {"STRATMAP_NO_CACHE": "1"}
    serial = stratmap("validate", "--format", fmt, "--jobs", "1", folder, env=env)
    parallel = stratmap("validate", "--format", fmt, "--jobs", "3", folder, env=env)
    chosen = stratmap("validate", "--format", fmt, folder, env=env)  # stratmap's own choice
    assert serial.code == (1 if which == "planted" else 0), serial.err
    for other in (parallel, chosen):
        assert (other.code, other.out, other.err) == (serial.code, serial.out, serial.err)
    if which == "planted":
        assert serial.out.count("R00") + serial.out.count("S00") + serial.out.count("M00") >= 9


def test_a_planted_corpus_is_really_checked_in_parallel(planted: Path) -> None:
    """The run with workers finds the planted errors of every year, not only the first's."""
    run = stratmap("validate", "--format", "json", "--jobs", "2", planted, env={"STRATMAP_NO_CACHE": "1"})
    years = {p["path"].split("/")[-4] for p in run.json()["problems"] if "/data/" in p["path"]}
    assert len(run.json()["plans"]) == 3 and len(years) >= 2, years
