"""The trace index: a warm trace or coverage prints exactly what a cold one prints, without the models.

Each pass runs many command lines in one process (``trace_runner.py``): cold with no cache at all, then with a
cache (which stores each plan's index), then warm in a fresh process, which must not import Pydantic, YAML or
the linker. Entries of the index that are forged, tampered with or of the wrong shape change nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DOED, PLAN_110, REPO, edit, stratmap

MAGIC = b"stratmap cache 2\n"
RUNNER = Path(__file__).resolve().parent / "trace_runner.py"
FORMATS = ("text", "json", "markdown")


def passes(cwd: Path, commands: list[list[str]], env: dict[str, str]) -> tuple[list[list[Any]], list[str]]:
    """Run ``commands`` in one process; what each printed and returned, and the heavy modules imported."""
    done = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps(commands),
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NO_COLOR": "1", **env},
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    return found["runs"], found["heavy"]


def codes_of(plan: Path) -> list[str]:
    """Every code of the plan, bare and qualified, as ``stratmap trace`` accepts them."""
    from stratmap.config import Settings
    from stratmap.pipeline import open_plan

    result = open_plan([plan], None, REPO, Settings())
    assert result.graph is not None and not result.errors
    return sorted({name for node in result.graph.all_nodes() for name in (node.code.code, str(node.code))})


def assert_same_cold_and_warm(cwd: Path, commands: list[list[str]], cache: Path) -> None:
    """Cold (no cache), filling the cache, then warm in a fresh process: the same bytes and statuses each time,
    and the warm pass imports no model, no YAML and no linker."""
    cold, _ = passes(cwd, commands, {"STRATMAP_NO_CACHE": "1"})
    filling, _ = passes(cwd, commands, {"STRATMAP_CACHE_DIR": str(cache)})
    warm, heavy = passes(cwd, commands, {"STRATMAP_CACHE_DIR": str(cache)})
    assert list((cache / "v2").rglob("traces/*/*")), "the index was stored"
    for args, before, fill, after in zip(commands, cold, filling, warm, strict=True):
        assert fill == before, args
        assert after == before, args
    assert heavy == [], f"a warm trace imported {heavy}"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    return folder


def every_trace(plan: str, codes: list[str], formats: tuple[str, ...] = FORMATS, every: int = 4) -> list[list[str]]:
    """Each code in each of ``formats`` but Markdown, which only every ``every``-th code is traced in: its trees
    are the text's (``trace_trees``), written as lists."""
    return [
        ["trace", code, plan, "--format", fmt]
        for n, code in enumerate(codes)
        for fmt in formats
        if fmt != "markdown" or n % every == 0
    ]


def test_data_110_every_code_every_format_and_coverage(cache: Path) -> None:
    codes = codes_of(PLAN_110)
    assert {"DP2.1", "city:DP2.1", "doed:DP2.1"} <= set(codes), "a city/department collision is traced"
    commands = every_trace("data/110", codes) + [["coverage", "data/110", "--format", f] for f in FORMATS]
    commands += [["trace", "DX9.9", "data/110"], ["trace", "city:ZZ1", "data/110"], ["trace", "nope:DP2.1", "data/110"]]
    assert_same_cold_and_warm(REPO, commands, cache)


def test_example_plans_with_measures(cache: Path) -> None:
    """The demo plans record measures: trace shows 達成率, and coverage the statuses, the same warm as cold. Every
    code of 111 as JSON (every field, scores included), every third as text; a fifth of 110's."""
    data = REPO / "examples" / "demo" / "data"
    codes = codes_of(data / "111")
    commands = [["trace", code, "examples/demo/data/111", "--format", "json"] for code in codes]
    commands += every_trace("examples/demo/data/111", codes[::3], ("text", "markdown"), 3)
    commands += every_trace("examples/demo/data/110", codes_of(data / "110")[::5], ("text", "json"))
    for plan in ("examples/demo/data/110", "examples/demo/data/111"):
        commands += [["coverage", plan, "--format", f] for f in FORMATS]
    commands.append(["trace", "DP2.2", "examples/demo/data", "--year", "110"])
    cold, _ = passes(REPO, commands, {"STRATMAP_NO_CACHE": "1"})
    assert any("達成率" in out for _, out, _ in cold), "the demo's measures are traced"
    assert_same_cold_and_warm(REPO, commands, cache)


def test_generated_corpus(tmp_path: Path, cache: Path) -> None:
    """A corpus shaped like the benchmarks' (two departments, three years, every KPI measured; 1,620 codes bare
    and qualified): a sixth of its codes as JSON, an eighth as text, coverage."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    generate("years", tmp_path / "corpus", seed=3, plant=0)
    data = tmp_path / "corpus" / "data"
    latest = max(data.iterdir(), key=lambda p: int(p.name))
    codes = codes_of(latest)
    commands = [["trace", code, "data", "--format", "json"] for code in codes[::6]]
    commands += every_trace("data", codes[1::8], ("text", "markdown"), 4)
    commands += [["coverage", "data", "--format", f] for f in FORMATS] + [["trace", "QQ7.7", "data"]]
    assert_same_cold_and_warm(tmp_path / "corpus", commands, cache)


def repository(tmp_path: Path) -> Path:
    """A repository beside the cache folder holding a copy of data/110."""
    repo = tmp_path / "repo"
    shutil.copytree(PLAN_110, repo / "data" / "110")
    (repo / ".git").mkdir()
    return repo


def test_a_plan_that_does_not_validate(tmp_path: Path, cache: Path) -> None:
    """Exit 1 and the same problems on standard error, warm as cold; the index holds the verdict alone."""
    repo = repository(tmp_path)
    edit(repo / "data" / "110" / DOED / "theme-b.yaml", "city_kpis: [DC3.1]", "city_kpis: [DX9.1]")
    commands = [["trace", "DP2.2"], ["trace", "BP2.1", "--format", "json"], ["coverage"], ["trace", "ZZ9"]]
    cold, _ = passes(repo, commands, {"STRATMAP_NO_CACHE": "1"})
    assert all(status == 1 and "does not validate" in err and out == "" for status, out, err in cold)
    assert_same_cold_and_warm(repo, commands, cache)


# ---- warm trace without the models ---------------------------------------------------------------------


def imported(cwd: Path, env: dict[str, str], *args: str) -> tuple[int, str, set[str]]:
    """Run stratmap with -X importtime; its exit status, output and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "stratmap", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NO_COLOR": "1", **env},
    )
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done.returncode, done.stdout, modules


@pytest.mark.parametrize("args", [("trace", "DP2.2"), ("trace", "doed:BP2.1", "--format", "json"), ("coverage",)])
def test_warm_trace_imports_no_pydantic(tmp_path: Path, cache: Path, args: tuple[str, ...]) -> None:
    repo = repository(tmp_path)
    env = {"STRATMAP_CACHE_DIR": str(cache)}
    code, cold, modules = imported(repo, env, *args)
    assert code == 0 and "pydantic" in modules, "the first run checks the plan"
    code, warm, modules = imported(repo, env, *args)
    assert code == 0 and warm == cold
    assert not {"pydantic", "yaml", "stratmap.model", "stratmap.linking.linker", "stratmap.rules.structure"} & modules


# ---- attacks on the index -------------------------------------------------------------------------------


class Signed:
    """The index entries of a cache folder, read and written back signed with the user's real key (as only
    stratmap itself could): what a forged entry would have to get past besides the signature."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache

    def entries(self) -> list[Path]:
        return sorted(p for p in (self.cache / "v2").rglob("*") if p.is_file() and p.parent.parent.name == "traces")

    def read(self, entry: Path) -> Any:
        return json.loads(entry.read_bytes()[len(MAGIC) + 32 :])

    def write(self, entry: Path, value: Any, key: bytes | None = None, name: str = "") -> None:
        """Sign ``value`` with the user's key (or ``key``) for this entry (or for the entry ``name``)."""
        payload = json.dumps(value, ensure_ascii=False).encode()
        key = key or (self.cache / "key").read_bytes()
        signed = f"traces\0{name or entry.name}\0".encode() + payload
        entry.write_bytes(MAGIC + hmac.new(key, signed, hashlib.sha256).digest() + payload)


def renamed(entry: Any) -> Any:
    entry["graph"]["name"] = ["偽造的名稱" for _ in entry["graph"]["name"]]
    return "unsigned", entry


def unpacked(text: str) -> list[int]:
    """A column of whole numbers as the index packs them: base64 of 32-bit little-endian integers."""
    raw = base64.b64decode(text)
    return [int.from_bytes(raw[i : i + 4], "little", signed=True) for i in range(0, len(raw), 4)]


def packed(numbers: list[int]) -> str:
    return base64.b64encode(b"".join(n.to_bytes(4, "little", signed=True) for n in numbers)).decode()


def extra_node(entry: Any) -> Any:
    """A KPI more, under the first theme, in every column (its parent does not list it as a child)."""
    graph = entry["graph"]
    for column, value in (("kind", "kpi"), ("namespace", "doed"), ("code", "BP2.9"), ("name", "偽造的指標")):
        graph[column].append(value)
    for column, number in (("path", 0), ("line", 1), ("column", 1), ("parent", 0), ("perspective", -1)):
        graph[column] = packed([*unpacked(graph[column]), number])
    graph["declared"].append(True)
    graph["group"].append("")
    graph["tags"].append([])
    for relation in ("children", "outgoing", "incoming"):
        starts = unpacked(graph[f"{relation}_at"])
        graph[f"{relation}_at"] = packed([*starts, starts[-1]])
    return "signed", entry


def wrong_types(entry: Any) -> Any:
    graph = entry["graph"]
    graph["name"][0] = 7
    graph["line"] = unpacked(graph["line"])  # numbers as a JSON list, not packed
    return "signed", entry


def cycle(entry: Any) -> Any:
    """A node made the parent of its own parent."""
    graph = entry["graph"]
    parents = unpacked(graph["parent"])
    child = next(i for i, parent in enumerate(parents) if parent >= 0)
    parents[parents[child]] = child
    graph["parent"] = packed(parents)
    return "signed", entry


def huge_number(entry: Any) -> Any:
    graph = entry["graph"]
    graph["kpi_target"] = ["d1E+999999999" for _ in graph["kpi_target"]]
    return "signed", entry


def clean_verdict_for_a_broken_plan(entry: Any) -> Any:
    return "signed", {"verdict": [[], [1, 1, 1, 1, 1]], "graph": None}


def not_json_of_ours(entry: Any) -> Any:
    return "signed", [entry, entry]


ATTACKS: dict[str, Callable[[Any], Any]] = {
    "changed-node-name": renamed,
    "changed-node-name-own-key": lambda entry: ("own-key", renamed(entry)[1]),
    "changed-node-name-replayed": lambda entry: ("replayed", renamed(entry)[1]),
    "extra-node-signed": extra_node,
    "wrong-types-signed": wrong_types,
    "parent-cycle-signed": cycle,
    "huge-number-signed": huge_number,
    "clean-verdict-without-graph-signed": clean_verdict_for_a_broken_plan,
    "other-shape-signed": not_json_of_ours,
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_tampered_index_entries_change_no_output(tmp_path: Path, cache: Path, attack: str) -> None:
    """Whatever an index entry holds that stratmap did not write, every trace and coverage prints what a cold
    run prints, and nothing crashes: changes not signed with the user's key for this very entry fail the
    signature; entries of another shape, even signed with the user's key, fail the checks of their shape."""
    repo = repository(tmp_path)
    commands = [["trace", c, "--format", f] for c in ("DP2.1", "doed:BP2.1", "B", "ZZ1") for f in FORMATS]
    commands += [["coverage", "--format", f] for f in FORMATS]
    cold, _ = passes(repo, commands, {"STRATMAP_NO_CACHE": "1"})
    env = {"STRATMAP_CACHE_DIR": str(cache)}
    passes(repo, commands, env)
    signed = Signed(cache)
    entries = signed.entries()
    assert entries
    for entry in entries:
        how, forged = ATTACKS[attack](signed.read(entry))
        if how == "signed":
            signed.write(entry, forged)
        elif how == "own-key":  # signed with a key of the attacker's own
            signed.write(entry, forged, key=b"k" * 32)
        elif how == "replayed":  # a genuine signature of another entry (another plan, another build)
            signed.write(entry, forged, name="ab" + "0" * 62)
        else:
            blob = entry.read_bytes()
            entry.write_bytes(blob[: len(MAGIC) + 32] + json.dumps(forged, ensure_ascii=False).encode())
    warm, _ = passes(repo, commands, env)
    for args, before, after in zip(commands, cold, warm, strict=True):
        assert after == before, args
        assert "internal error" not in after[2] and "偽造" not in after[1] + after[2]


def test_a_forged_index_in_a_committed_cache_folder_is_not_read(tmp_path: Path) -> None:
    """A pull request commits a cache folder with its own key and an index entry naming a forged KPI; the
    folder lies inside the repository, so it is refused, and trace shows only what the YAML says."""
    repo = tmp_path / "pr"
    shutil.copytree(PLAN_110, repo / "data" / "110")
    (repo / ".git").mkdir()
    inside = repo / ".cache" / "stratmap"
    inside.mkdir(parents=True)
    (inside / "key").write_bytes(b"k" * 32)
    os.chmod(inside / "key", 0o600)
    body = json.dumps({"verdict": [[], None], "graph": None}).encode()
    entry = inside / "v2" / "x" / "y" / "traces" / "ab" / ("ab" + "0" * 62)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(
        MAGIC + hmac.new(b"k" * 32, b"traces\0" + entry.name.encode() + b"\0" + body, "sha256").digest() + body
    )
    expected = stratmap("trace", "BP2.1", cwd=repo, env={"STRATMAP_NO_CACHE": "1"})
    for env in ({"XDG_CACHE_HOME": str(repo / ".cache")}, {"STRATMAP_CACHE_DIR": str(inside)}):
        for _ in range(2):
            run = stratmap("trace", "BP2.1", cwd=repo, env=env)
            assert (run.code, run.out) == (expected.code, expected.out)
            assert "internal error" not in run.err


def complete(words: str, cwd: Path, env: dict[str, str]) -> list[str]:
    """The words bash completion offers, as Click's bash script asks the console script for them."""
    script = Path(sys.executable).with_name("stratmap")
    full = {**os.environ, **env, "_STRATMAP_COMPLETE": "complete_bash", "COMP_WORDS": words}
    full["COMP_CWORD"] = str(len(words.split()) - 1)
    done = subprocess.run([script], env=full, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.split()


def test_completion_reads_the_index(tmp_path: Path, cache: Path) -> None:
    """Shell completion offers the same codes from the index as from a checked plan."""
    repo = repository(tmp_path)
    env = {"STRATMAP_CACHE_DIR": str(cache)}
    cold = {
        words: complete(words, repo, {"STRATMAP_NO_CACHE": "1"})
        for words in ("stratmap trace DP", "stratmap trace doed:B")
    }
    assert "city:DP2.1" not in cold["stratmap trace DP"] and "DP2.1" in cold["stratmap trace DP"]
    assert "doed:BP2.1" in cold["stratmap trace doed:B"]
    assert stratmap("trace", "DP2.1", cwd=repo, env=env).code == 0  # stores the index
    assert Signed(cache).entries()
    for words, expected in cold.items():
        assert complete(words, repo, env) == expected
