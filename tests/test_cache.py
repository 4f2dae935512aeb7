"""The cache: used when it may be, never trusted beyond what it can prove.

Each test gets its own cache folder (``XDG_CACHE_HOME`` outside the repository), so entries can be
inspected, damaged and forged. Nothing here is timed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import marshal
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOED, PLAN_110, REPO, SHIPPED_SUPPRESSION, Run, edit, problems, stratmap
from stratmap.problems import Finding

MAGIC = b"stratmap cache 2\n"


class Workspace:
    """A repository holding a copy of data/110, and a cache folder of its own outside it."""

    def __init__(self, root: Path) -> None:
        self.repo = root / "repo"
        self.plan = self.repo / "data" / "110"
        shutil.copytree(PLAN_110, self.plan)
        (self.repo / ".git").mkdir()
        self.xdg = root / "home-cache"
        self.env = {"XDG_CACHE_HOME": str(self.xdg)}

    @property
    def cache(self) -> Path:
        return self.xdg / "stratmap"

    def run(self, *args: str | Path, env: dict[str, str] | None = None) -> Run:
        return stratmap(*args, cwd=self.repo, env={**self.env, **(env or {})})

    def entries(self, kind: str = "") -> list[Path]:
        return sorted(
            p for p in (self.cache / "v2").rglob("*") if p.is_file() and (not kind or p.parent.parent.name == kind)
        )

    def sign(self, entry: Path, payload: bytes) -> None:
        """Write ``payload`` into ``entry`` signed with the user's real key, as stratmap itself would."""
        key = (self.cache / "key").read_bytes()
        kind, name = entry.parent.parent.name, entry.name
        signature = hmac.new(key, f"{kind}\0{name}\0".encode() + payload, hashlib.sha256).digest()
        entry.write_bytes(MAGIC + signature + payload)


@pytest.fixture
def work(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def imported_modules(work: Workspace, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, set[str]]:
    """Run stratmap with -X importtime; its exit code, output, and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "stratmap", *args],
        cwd=work.repo,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **work.env, **(env or {})},
    )
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return done.returncode, done.stdout, modules


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def break_the_plan(plan: Path) -> None:
    """A city KPI reference that is no code (S005) and a YAML syntax error (Y004)."""
    edit(plan / DOED / "theme-b.yaml", "city_kpis: [DC3.1]", "city_kpis: [DX9.1]")
    edit(plan / DOED / "theme-e.yaml", "kind: theme", "kind: theme\nname: [unclosed")


# ---- where it lives and what it holds ------------------------------------------------------------


def test_cache_lives_outside_the_work_tree_and_a_hit_skips_parsing(work: Workspace) -> None:
    before = tree(work.repo)
    code, first, modules = imported_modules(work, "validate")
    assert code == 0 and "yaml" in modules and "stratmap.model" in modules
    assert tree(work.repo) == before, "nothing is written into the repository"
    assert work.entries("files") and work.entries("plans")
    assert stat.S_IMODE((work.cache / "key").stat().st_mode) == 0o600
    assert stat.S_IMODE(work.cache.stat().st_mode) == 0o700
    code, second, modules = imported_modules(work, "validate")
    assert code == 0 and second == first
    assert "yaml" not in modules and "stratmap.model" not in modules and "stratmap.linking.linker" not in modules


def test_entries_are_json_never_marshal(work: Workspace) -> None:
    assert work.run("validate").code == 0
    for entry in work.entries():
        blob = entry.read_bytes()
        assert blob.startswith(MAGIC)
        json.loads(blob[len(MAGIC) + 32 :])


def test_cache_miss_after_a_change(work: Workspace) -> None:
    assert work.run("validate").code == 0
    edit(work.plan / DOED / "theme-b.yaml", "city_kpis: [DP2.2]", "city_kpis: [DP9.2]")
    run = work.run("validate", "--format", "json")
    assert run.code == 1 and "R003" in {p[3] for p in problems(run)}
    edit(work.plan / DOED / "theme-b.yaml", "city_kpis: [DP9.2]", "city_kpis: [DP2.2]")
    assert work.run("validate").code == 0


def test_trace_uses_the_file_cache(work: Workspace) -> None:
    first = work.run("trace", "DP2.2").out
    code, again, modules = imported_modules(work, "trace", "DP2.2")
    assert code == 0 and again == first
    assert "yaml" not in modules, "unchanged files are not parsed again"


def test_read_only_commands_write_only_the_cache(work: Workspace) -> None:
    shutil.copytree(work.plan, work.plan.parent / "111")
    edit(work.plan.parent / "111" / "plan.yaml", "year: 110", "year: 111")
    before = tree(work.repo)
    for args in (("trace", "DP2.2"), ("coverage",), ("diff", "110", "111"), ("validate",)):
        assert work.run(*args).code == 0, args
    assert tree(work.repo) == before
    assert work.entries("files")


# ---- what it trusts ------------------------------------------------------------------------------


def test_a_signed_verdict_is_never_paired_with_a_fresh_graph(work: Workspace) -> None:
    """trace and render always check the graph they show, even when a clean verdict is cached."""
    assert work.run("validate").code == 0
    clean = {entry: entry.read_bytes() for entry in work.entries("plans")}
    edit(work.plan / DOED / "theme-b.yaml", "city_kpis: [DC3.1]", "city_kpis: [DC9.1]")  # no such city objective
    assert work.run("validate").code == 1
    for entry in work.entries("plans"):  # every verdict now says "clean", signed with the real key
        work.sign(entry, next(iter(clean.values()))[len(MAGIC) + 32 :])
    trace = work.run("trace", "DP2.2")
    assert trace.code == 1 and "R003" in trace.err
    render = work.run("render", "-o", str(work.xdg.parent / "out"))
    assert render.code == 1 and "nothing rendered" in render.err


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "bad-signature", "marshal", "wrong-shape-signed", "deep-json-signed", "huge-ints-signed"],
)
def test_damaged_entries_are_misses_and_rebuilt(work: Workspace, damage: str) -> None:
    expected = work.run("validate", "--format", "json").out
    expected_trace = work.run("trace", "DP2.2").out
    for entry in work.entries():
        blob = entry.read_bytes()
        if damage == "garbage":
            entry.write_bytes(b"\x00\xff garbage")
        elif damage == "truncated":
            entry.write_bytes(blob[: len(blob) // 2])
        elif damage == "bad-signature":
            entry.write_bytes(blob[: len(MAGIC)] + bytes(32) + blob[len(MAGIC) + 32 :])
        elif damage == "marshal":
            entry.write_bytes(MAGIC + bytes(32) + marshal.dumps(([("x", 1, 1, "R003", "error", "m", "h")], None)))
        elif damage == "wrong-shape-signed":
            shapes = [[[["x", "1", 1, "R003", "error", "m", "h"]], None], [{"kind": 1}, [[["a"]], [0], [1]], []], 7]
            work.sign(entry, json.dumps(shapes[hash(entry.name) % 3]).encode())
        elif damage == "deep-json-signed":
            work.sign(entry, b"[" * 200_000 + b"]" * 200_000)
        else:
            work.sign(entry, b"[" + b"9" * 100_000 + b"]")
    code, out, modules = imported_modules(work, "validate", "--format", "json")
    assert code == 0 and out == expected
    assert "yaml" in modules, "a damaged entry is never trusted: the files are parsed again"
    assert work.run("trace", "DP2.2").out == expected_trace
    code, out, modules = imported_modules(work, "validate", "--format", "json")
    assert out == expected and "yaml" not in modules, "and the entries are rebuilt"


def old_key(*parts: bytes) -> str:
    """The cache key of stratmap 0.1.0 before signed entries: every part of it public."""
    digest = hashlib.sha256(b"stratmap 0.1.0 python %d.%d format 1" % sys.version_info[:2])
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def old_entry(folder: Path, kind: str, key: str, payload: bytes) -> None:
    """An entry as stratmap 0.1.0 wrote it in the work tree: tag, unkeyed SHA-256 of the payload, payload."""
    tag = b"stratmap 0.1.0 python %d.%d format 1" % sys.version_info[:2]
    path = folder / ".stratmap_cache" / kind / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tag + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


FORGED_NAME = "偽造的指標名稱"


def forge(source: Path, attack: str) -> None:
    """Commit-ready forged entries: ones stratmap 0.1.0 accepted from the work tree, and signed ones under
    a key of the pull request's own in a cache folder inside the workspace."""
    plan = source / "data" / "110"
    files = sorted(p for p in plan.rglob("*.yaml"))
    shown = [p.relative_to(source).as_posix() for p in files]
    plan_key = old_key(
        repr(("data/110", "110", [], ())).encode(),
        *(name.encode() + b"\0" + path.read_bytes() for name, path in zip(shown, files, strict=True)),
    )
    if attack == "clean-verdict":
        old_entry(source, "plans", plan_key, marshal.dumps(((), (5, 41, 45, 61, 15))))
    elif attack == "wrong-types":
        old_entry(source, "plans", plan_key, marshal.dumps(((("x", "one", None, 5, 1.5, b"", 0),), ("a",))))
    elif attack == "huge-marshal":  # a list that claims 2**31 items: 16 GiB asked of the allocator
        old_entry(source, "plans", plan_key, b"[\xff\xff\xff\x7f")
    else:  # swapped-file: the broken files' entries hold the shipped data, with a name not in the YAML
        from stratmap.loading.yaml_reader import parse_yaml

        for name in ("theme-b.yaml", "theme-e.yaml"):
            original = (PLAN_110 / DOED / name).read_text(encoding="utf-8")
            parsed = parse_yaml(original.replace("新設企業家數", FORGED_NAME), Path(name))
            assert not isinstance(parsed, Finding)
            value = (parsed.data, parsed.positions.values, parsed.positions.keys)
            old_entry(source, "files", old_key((plan / DOED / name).read_bytes()), marshal.dumps(value))
    inside = source / ".cache" / "stratmap"
    inside.mkdir(parents=True, exist_ok=True)
    (inside / "key").write_bytes(b"k" * 32)
    for kind, payload in (
        ("plans", [[], [5, 41, 45, 61, 15]]),
        ("files", [{"kind": "theme", "name": FORGED_NAME}, [[], [], []], [[], [], []]]),
    ):  # noqa: E501
        entry = inside / "v2" / "x" / "y" / kind / "ab" / ("ab" + "0" * 62)
        entry.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(payload).encode()
        entry.write_bytes(MAGIC + hmac.new(b"k" * 32, body, hashlib.sha256).digest() + body)


@pytest.mark.parametrize("attack", ["clean-verdict", "swapped-file", "wrong-types", "huge-marshal"])
def test_forged_entries_in_a_pull_request_change_nothing(tmp_path: Path, attack: str) -> None:
    """A pull request breaks the plan and commits forged cache entries (git add -f); on a fresh clone with
    CI=true, every error is still reported, nothing is rendered, trace shows nothing that is not in the
    YAML, and nothing crashes, whether the runner's cache is outside the workspace or inside it."""
    source = tmp_path / "pr"
    shutil.copytree(PLAN_110, source / "data" / "110")
    break_the_plan(source / "data" / "110")
    forge(source, attack)
    git = ["git", "-c", "user.name=pr", "-c", "user.email=pr@example.invalid"]
    subprocess.run([*git, "init", "-q", str(source)], check=True)
    subprocess.run([*git, "-C", str(source), "add", "-f", "."], check=True)
    subprocess.run([*git, "-C", str(source), "commit", "-q", "-m", "forged"], check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(source), str(clone)], check=True)
    assert (clone / ".stratmap_cache").is_dir() and (clone / ".cache" / "stratmap" / "key").is_file()

    for cache_home, runs in ((tmp_path / "runner-cache", 2), (clone / ".cache", 1)):
        env = {"CI": "true", "XDG_CACHE_HOME": str(cache_home)}
        for _ in range(runs):  # a cold run, then one that may use whatever cache it trusts
            text = stratmap("validate", cwd=clone, env=env)
            assert text.code == 1 and "S005" in text.out and "Y004" in text.out, text.out + text.err
            github = stratmap("validate", "--format", "github", cwd=clone, env=env)
            assert github.code == 1 and github.out.count("::error ") == 2
            sarif = stratmap("validate", "--format", "sarif", cwd=clone, env=env)
            results = json.loads(sarif.out)["runs"][0]["results"]
            assert sarif.code == 1 and {r["ruleId"] for r in results if r["level"] == "error"} == {"S005", "Y004"}
            render = stratmap("render", "-o", str(tmp_path / "site"), cwd=clone, env=env)
            assert render.code == 1 and not (tmp_path / "site").exists()
            trace = stratmap("trace", "BP2.1", cwd=clone, env=env)
            assert trace.code == 1 and FORGED_NAME not in trace.out + trace.err
            for run in (text, github, sarif, render, trace):
                assert run.code == 1 and "internal error" not in run.err and "Traceback" not in run.err
    status = subprocess.run(
        ["git", "-C", str(clone), "status", "--porcelain", "--ignored"], capture_output=True, text=True
    )
    assert status.stdout == "", "nothing was written into the workspace"


@pytest.mark.parametrize("how", ["symlink", "inside-repository", "group-writable", "other-owner", "public-key"])
def test_untrusted_cache_folders_are_not_used(work: Workspace, how: str) -> None:
    folder = work.xdg.parent / "chosen"
    folder.mkdir(mode=0o700)
    env = {"STRATMAP_CACHE_DIR": str(folder)}
    if how == "symlink":
        real = folder
        folder = work.xdg.parent / "link"
        folder.symlink_to(real)
        env = {"STRATMAP_CACHE_DIR": str(folder)}
    elif how == "inside-repository":
        folder = work.repo / ".cache"
        env = {"STRATMAP_CACHE_DIR": str(folder)}
    elif how == "group-writable":
        os.chmod(folder, 0o770)
    elif how == "other-owner":
        if os.geteuid() != 0:
            pytest.skip("needs root to give the folder to another user")
        os.chown(folder, 65534, 65534)
    else:
        (folder / "key").write_bytes(b"k" * 32)
        os.chmod(folder / "key", 0o644)
    run = work.run("validate", env=env)
    assert run.code == 0 and "5 themes" in run.out
    assert run.err.startswith("stratmap: cache not used: "), run.err
    written = [p for p in Path(os.path.realpath(folder)).rglob("*") if p.is_file() and p.name != "key"]
    assert written == []


def test_unusable_cache_is_not_an_error(work: Workspace) -> None:
    work.xdg.mkdir()
    work.cache.write_text("a file where the cache folder would be", encoding="utf-8")
    run = work.run("validate")
    assert run.code == 0 and "5 themes" in run.out and run.err == ""


def test_cache_can_be_moved_or_turned_off(work: Workspace) -> None:
    assert work.run("validate", env={"STRATMAP_NO_CACHE": "1"}).code == 0
    assert not work.cache.exists()
    elsewhere = work.xdg.parent / "elsewhere"
    assert work.run("validate", env={"STRATMAP_CACHE_DIR": str(elsewhere)}).code == 0
    assert (elsewhere / "key").is_file() and list((elsewhere / "v2").rglob("plans")) and not work.cache.exists()


def test_the_cache_is_bounded_and_drops_other_builds(work: Workspace) -> None:
    assert work.run("validate").code == 0
    repository = next((work.cache / "v2").iterdir())
    stale = repository / ("0" * 24) / "plans" / "00" / "stale"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"x" * 1000)
    edit(work.plan / DOED / "theme-b.yaml", "name: 打造創業搖籃", "name: 打造創業搖籃二")
    assert work.run("validate").code == 0
    assert not stale.exists(), "another build's entries are dropped when this build writes"
    bound = 0.05  # MiB
    edit(work.plan / DOED / "theme-b.yaml", "name: 打造創業搖籃二", "name: 打造創業搖籃")
    run = work.run("trace", "DP2.2", env={"STRATMAP_CACHE_MAX_MB": str(bound)})
    assert run.code == 0
    assert sum(p.stat().st_size for p in work.entries()) <= bound * 1024 * 1024


def test_a_change_to_stratmap_itself_is_never_served_stale(work: Workspace, tmp_path: Path) -> None:
    """An installed copy of stratmap whose rule message changes prints the new message at once."""
    edit(work.plan / DOED / "theme-c.yaml", SHIPPED_SUPPRESSION, "")  # the N001 warning whose message changes
    site = tmp_path / "site"
    shutil.copytree(REPO / "src" / "stratmap", site / "stratmap", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONPATH": str(site)}
    first = work.run("validate", env=env)
    assert first.code == 0 and "skips CP1.1" in first.out
    rule = site / "stratmap" / "rules" / "structure.py"
    text = rule.read_text(encoding="utf-8")
    assert "{kind} {code} skips {skipped}" in text
    rule.write_text(
        text.replace("{kind} {code} skips {skipped}", "{kind} {code} jumps over {skipped}"), encoding="utf-8"
    )
    second = work.run("validate", env=env)
    assert second.code == 0 and "jumps over CP1.1" in second.out, second.out


def test_the_remembered_build_digest_notices_an_edit_that_keeps_size_and_time(work: Workspace, tmp_path: Path) -> None:
    """The package's digest is remembered under its files' stamps; an edit of the same length with the
    modification time put back still changes the change time, so the new message shows at once."""
    edit(work.plan / DOED / "theme-c.yaml", SHIPPED_SUPPRESSION, "")  # the N001 warning whose message changes
    site = tmp_path / "site"
    shutil.copytree(REPO / "src" / "stratmap", site / "stratmap", ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONPATH": str(site)}
    assert "skips CP1.1" in work.run("validate", env=env).out
    memos = list((work.cache / "builds").iterdir())
    assert len(memos) == 1 and len(memos[0].read_text()) == 64
    rule = site / "stratmap" / "rules" / "structure.py"
    before = rule.stat()
    text = rule.read_text(encoding="utf-8")
    assert "{kind} {code} skips {skipped}" in text
    rule.write_text(text.replace("{kind} {code} skips {skipped}", "{kind} {code} hops! {skipped}"), encoding="utf-8")
    os.utime(rule, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert rule.stat().st_size == before.st_size and rule.stat().st_mtime_ns == before.st_mtime_ns
    assert "hops! CP1.1" in work.run("validate", env=env).out
    for memo in (work.cache / "builds").iterdir():  # damaged memos are recomputed and written again
        memo.write_text("not a digest")
    assert "hops! CP1.1" in work.run("validate", env=env).out
    assert any(len(memo.read_text()) == 64 for memo in (work.cache / "builds").iterdir())


def test_a_parsed_file_entry_round_trips_and_any_other_shape_is_refused() -> None:
    """A file's entry is its data and two flat lists of (line, column) pairs in the data's walk order;
    the reader walks the data again and takes nothing that a YAML parse could not have made."""
    from stratmap.loading.positions import parsed_from_entry, parsed_to_entry
    from stratmap.loading.yaml_reader import parse_yaml

    parsed = parse_yaml((PLAN_110 / DOED / "theme-b.yaml").read_text(encoding="utf-8"), Path("theme-b.yaml"))
    assert not isinstance(parsed, Finding)
    entry = json.loads(json.dumps(parsed_to_entry(parsed)))
    again = parsed_from_entry(entry)
    assert again is not None and again.data == parsed.data
    assert again.positions.values == parsed.positions.values and again.positions.keys == parsed.positions.keys
    data, values, keys = entry
    for wrong in (
        [data, values],  # too short
        [data, values[:-2], keys],  # a pair missing
        [data, [*values[:-1], True], keys],  # a truth value for a column
        [data, [*values[:-1], -1], keys],  # a negative column
        [data, [*values[:-1], 1.5], keys],  # not a whole number
        [{**data, "extra": 5}, values + [1, 1], keys + [0, 0]],  # a number in the data
        [[data, {"1": None}], values, keys],  # the data's shape changed under the positions
        ["text", [], []],  # no positions for the one node
        7,
    ):
        assert parsed_from_entry(wrong) is None, wrong
