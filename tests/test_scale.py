"""The benchmark corpora: generated corpora validate and planted errors are found exactly. Nothing here
is timed (the cache is tested in ``test_cache.py``)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, problems, stratmap

GENERATE = REPO / "benchmarks" / "generate.py"


def generate(shape: str, out: Path, *extra: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, str(GENERATE), shape, str(out), *extra], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.yaml")):
        digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_small_corpus_is_clean_and_deterministic(tmp_path: Path) -> None:
    summary = generate("small", tmp_path / "a")
    assert summary["files"] == 8
    generate("small", tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "a") != (
        generate("small", tmp_path / "c", "--seed", "2") and tree_digest(tmp_path / "c")
    )
    run = stratmap("validate", "--strict", "--format", "json", "data", cwd=tmp_path / "a")
    assert run.code == 0 and problems(run) == []
    counts = run.json()["plans"][0]["counts"]
    assert counts["themes"] == 5 and counts["objectives"] == 50 and counts["city_references"] > 0
    text = (tmp_path / "a" / "data" / "110" / "departments" / "d01" / "theme-a.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=") and "city_kpis: [" in text


def test_city_corpus_has_the_shape_asked_for(tmp_path: Path) -> None:
    summary = generate("city", tmp_path)
    assert summary["files"] == 2 + 40 * 6
    run = stratmap("validate", "--format", "json", "data", cwd=tmp_path)
    assert run.code == 0 and problems(run) == []
    counts = run.json()["plans"][0]["counts"]
    assert counts["themes"] == 200 and counts["objectives"] == 2000
    assert 2000 <= counts["kpis"] <= 6000 and counts["kpis"] <= counts["action_plans"] <= 3 * counts["kpis"]


def test_planted_errors_are_all_found_at_their_lines_and_none_invented(tmp_path: Path) -> None:
    summary = generate("city", tmp_path, "--plant", "20", "--seed", "7")
    expected = json.loads((tmp_path / "expected.json").read_text(encoding="utf-8"))
    assert summary["planted"] == len(expected) == 20
    assert {e["rule"] for e in expected} == {"R002", "R003", "R004", "R008"}
    run = stratmap("validate", "--format", "json", "data", cwd=tmp_path)
    assert run.code == 1
    found = sorted((p[0], p[1], p[3]) for p in problems(run))
    assert found == sorted((e["path"], e["line"], e["rule"]) for e in expected)
