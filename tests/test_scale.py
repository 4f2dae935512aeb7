"""The benchmark corpora and the cache: generated corpora validate, planted errors are found exactly,
and the cache is used when it may be and ignored when it must be. Nothing here is timed."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOED, REPO, edit, problems, stratmap

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


# ---- the cache ------------------------------------------------------------------------------------


def imported_modules(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str, set[str]]:
    """Run stratmap with -X importtime; its exit code, output, and the modules it imported."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "stratmap", *args], cwd=cwd,
                          capture_output=True, text=True, env={**__import__("os").environ, **(env or {})})  # fmt: skip
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done.returncode, done.stdout, modules


@pytest.fixture
def repo(plan: Path) -> Path:
    root = plan.parent.parent
    (root / ".git").mkdir()
    return root


def test_cache_hit_skips_parsing_and_gives_the_same_answer(repo: Path) -> None:
    code, first, modules = imported_modules("validate", cwd=repo)
    assert code == 0 and "yaml" in modules and "stratmap.model" in modules
    assert (repo / ".stratmap_cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    code, second, modules = imported_modules("validate", cwd=repo)
    assert code == 0 and second == first
    assert "yaml" not in modules and "stratmap.model" not in modules and "stratmap.linking.linker" not in modules


def test_cache_miss_after_a_change(repo: Path) -> None:
    assert stratmap("validate", cwd=repo).code == 0
    edit(repo / "data" / "110" / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.2]")
    run = stratmap("validate", "--format", "json", cwd=repo)
    assert run.code == 1 and "R003" in {p[3] for p in problems(run)}
    edit(repo / "data" / "110" / DOED / "theme-b.yaml", "city_kpis: [DP9.2]", "city_kpis: [DP2.2]")
    assert stratmap("validate", cwd=repo).code == 0


def test_trace_uses_the_file_cache(repo: Path) -> None:
    first = stratmap("trace", "DP2.2", cwd=repo).out
    code, again, modules = imported_modules("trace", "DP2.2", cwd=repo)
    assert code == 0 and again == first
    assert "yaml" not in modules, "unchanged files are not parsed again"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other-version"])
def test_corrupt_or_stale_entries_are_ignored_and_rebuilt(repo: Path, damage: str) -> None:
    expected = stratmap("validate", "--format", "json", cwd=repo).out
    entries = [p for p in (repo / ".stratmap_cache").rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert entries
    for entry in entries:
        blob = entry.read_bytes()
        if damage == "garbage":
            entry.write_bytes(b"\x00\xff garbage")
        elif damage == "truncated":
            entry.write_bytes(blob[: len(blob) // 2])
        else:
            entry.write_bytes(blob.replace(b"stratmap ", b"stratmap 0.0.0-old ", 1))
    code, out, modules = imported_modules("validate", "--format", "json", cwd=repo)
    assert code == 0 and out == expected
    assert "yaml" in modules, "a damaged entry is never trusted: the files are parsed again"
    code, out, modules = imported_modules("validate", "--format", "json", cwd=repo)
    assert out == expected and "yaml" not in modules, "and the entries are rebuilt"


def test_cache_can_be_moved_or_turned_off(repo: Path, tmp_path: Path) -> None:
    assert stratmap("validate", cwd=repo, env={"STRATMAP_NO_CACHE": "1"}).code == 0
    assert not (repo / ".stratmap_cache").exists()
    elsewhere = tmp_path / "elsewhere"
    assert stratmap("validate", cwd=repo, env={"STRATMAP_CACHE_DIR": str(elsewhere)}).code == 0
    assert (elsewhere / "plans").is_dir() and not (repo / ".stratmap_cache").exists()


def test_unwritable_cache_is_not_an_error(repo: Path) -> None:
    (repo / ".stratmap_cache").write_text("a file where the cache folder would be", encoding="utf-8")
    run = stratmap("validate", cwd=repo)
    assert run.code == 0 and "5 themes" in run.out and run.err == ""
