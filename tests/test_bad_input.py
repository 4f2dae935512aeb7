"""Bad input gets a clear error at file:line:col, the documented exit code, no traceback, nothing written."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DOED, PLAN_110, REPO, Run, problems, stratmap

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes (links by their target); the cache aside."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        if ".stratmap_cache" in path.parts:
            continue
        if path.is_symlink():
            seen[str(path)] = "->" + os.readlink(path)
        elif path.is_file():
            seen[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return seen


def validate(plan: Path) -> Run:
    before = snapshot(plan.parent.parent)
    run = stratmap("validate", "--format", "json", plan.parent, cwd=plan.parent.parent)
    assert "Traceback" not in run.err + run.out
    assert snapshot(plan.parent.parent) == before, "validate must not write or change any file"
    return run


# (id, file content as bytes, rule, line, column, words the message must contain)
CASES = [
    ("syntax", b"kind: theme\ncode: [A\n", "Y004", 3, 1, "YAML syntax error"),
    (
        "duplicate-key",
        b"kind: theme\ncode: A\ncode: B\n",
        "Y006",
        3,
        1,
        "duplicate key 'code' (first written on line 2)",
    ),
    ("tab", b"kind: theme\nobjectives:\n\t- code: AC1\n", "Y005", 3, 1, "tab"),
    ("big5", "kind: theme\nname: 健全商貿環境\n".encode("big5"), "Y003", 2, 7, "not valid UTF-8"),
    ("latin1", b"kind: theme\nname: caf\xe9\n", "Y003", 2, 10, "not valid UTF-8"),
    ("empty", b"", "Y009", 1, 1, "empty"),
    ("only-comments", b"# nothing here\n", "Y009", 1, 1, "empty"),
    ("python-tag", b"kind: !!python/object/apply:os.system ['echo pwned']\n", "Y007", 1, 7, "python/object"),
    ("custom-tag", b"kind: theme\nname: !secret x\n", "Y007", 2, 7, "not allowed"),
    ("billion-laughs", BILLION_LAUGHS.encode(), "Y008", 6, 16, "more than 200,000 values"),
    ("deep-nesting", b"kind: theme\nx: " + b"[" * 100 + b"]" * 100 + b"\n", "Y011", 2, 67, "nested more than 64"),
    ("very-deep-nesting", b"kind: theme\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n", "Y011", 2, 1003, "nested more"),
    (
        "deep-block-nesting",
        b"kind: theme\n" + b"".join(b" " * i + b"k:\n" for i in range(100)),
        "Y011",
        66,
        65,
        "nested more than 64",
    ),
    ("two-documents", b"kind: theme\n---\nkind: plan\n", "Y010", 2, 1, "more than one YAML document"),
    ("not-a-mapping", b"- kind: theme\n", "S001", 1, 1, "must be a mapping"),
    ("unknown-kind", b"kind: scorecard\n", "S001", 1, 7, "unknown kind 'scorecard'"),
    ("control-character", b"kind: theme\nname: a\x07b\n", "Y012", 2, 8, "control character U+0007"),
    ("escaped-escape", b'kind: theme\nname: "\\e[31mred"\n', "Y012", 2, 7, "control character U+001B in a value"),
    ("bidi-override", "kind: theme\nname: abc\u202edef\n".encode(), "Y012", 2, 7, "control character U+202E"),
]


@pytest.mark.parametrize(
    ("content", "rule", "line", "column", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_file_is_reported_in_place(
    plan: Path, content: bytes, rule: str, line: int, column: int, words: str
) -> None:
    (plan / DOED / "bad.yaml").write_bytes(content)
    run = validate(plan)
    assert run.code == 1
    bad = [p for p in run.json()["problems"] if p["path"].endswith("bad.yaml")]
    assert [(p["rule"], p["line"], p["column"]) for p in bad] == [(rule, line, column)]
    assert words in bad[0]["message"]


def test_big5_is_named_with_the_fix(plan: Path) -> None:
    (plan / DOED / "bad.yaml").write_bytes("kind: theme\nname: 健全商貿環境\n".encode("big5"))
    bad = [p for p in validate(plan).json()["problems"] if p["path"].endswith("bad.yaml")]
    assert "Big5" in bad[0]["hint"] and "iconv -f BIG5 -t UTF-8" in bad[0]["hint"]


def test_bom_is_accepted(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    theme.write_bytes(b"\xef\xbb\xbf" + theme.read_bytes())
    run = validate(plan)
    assert run.code == 0, run.out


def test_codes_stay_strings(plan: Path) -> None:
    """``2.10`` is a code, never the number 2.1."""
    theme = plan / DOED / "theme-a.yaml"
    text = theme.read_text(encoding="utf-8").replace("city_kpis: [DP1.2]", "city_kpis: [DP1.10]")
    theme.write_text(text, encoding="utf-8")
    run = validate(plan)
    messages = [p["message"] for p in run.json()["problems"]]
    assert any("DP1.10" in m for m in messages), messages


def test_unreadable_file_and_other_files_still_checked(plan: Path) -> None:
    """One bad file never stops the run: the others are still checked and reported."""
    os.symlink("loop-b.yaml", plan / DOED / "loop-a.yaml")
    os.symlink("loop-a.yaml", plan / DOED / "loop-b.yaml")
    theme = plan / DOED / "theme-e.yaml"
    theme.write_text(
        theme.read_text(encoding="utf-8").replace("nme", "x").replace("\nname:", "\nnmae:"), encoding="utf-8"
    )
    found = {(Path(p[0]).name, p[3]) for p in problems(validate(plan))}
    assert {("loop-a.yaml", "Y001"), ("loop-b.yaml", "Y001"), ("theme-e.yaml", "S002")} <= found


def test_huge_file_is_refused_quickly(plan: Path) -> None:
    with (plan / DOED / "huge.yaml").open("w", encoding="utf-8") as stream:
        stream.write("kind: theme\nobjectives:\n")
        line = "  - {code: AC1, perspective: C, name: " + "長" * 60 + "}\n"
        stream.write(line * (50 * 1024 * 1024 // len(line.encode())))
    run = validate(plan)
    bad = [p for p in run.json()["problems"] if p["path"].endswith("huge.yaml")]
    assert [(p["rule"], p["line"], p["column"]) for p in bad] == [("Y002", 1, 1)]
    assert "50.0 MiB" in bad[0]["message"]


def test_billion_laughs_uses_little_memory(plan: Path) -> None:
    (plan / DOED / "bad.yaml").write_text(BILLION_LAUGHS * 1, encoding="utf-8")
    validate(plan)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kib < 300 * 1024


@pytest.mark.parametrize("name", ["missing", "loop"])
def test_path_that_cannot_be_opened_is_a_usage_error(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    if name == "loop":
        os.symlink(target, target)
    run = stratmap("validate", target, cwd=tmp_path)
    assert run.code == 2
    assert run.out == ""
    assert str(target) in run.err and "Traceback" not in run.err
    assert ("no such file or folder" if name == "missing" else "symbolic link loop") in run.err


def test_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = stratmap("validate", "empty", cwd=tmp_path)
    assert run.code == 2
    assert "empty: no strategy plan here" in run.err


def test_no_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    run = stratmap("validate", cwd=tmp_path)
    assert run.code == 2
    assert "no data/ folder found" in run.err


def test_unknown_option_is_a_usage_error() -> None:
    run = stratmap("validate", "--format", "xml")
    assert run.code == 2
    assert "Traceback" not in run.err


# ---- found in review: each of these once hung, crashed, passed silently or misplaced its report ----


@pytest.mark.parametrize("number", ["2000000000", "9" * 5000])
def test_huge_code_number_is_an_invalid_code_not_a_hang(warned_plan: Path, number: str) -> None:
    plan = warned_plan
    theme = plan / DOED / "theme-c.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("code: CP1.2\n", f"code: CP1.{number}\n"), "utf-8")
    run = validate(plan)
    assert run.code == 1
    assert [(p["rule"], p["line"], p["column"]) for p in run.json()["problems"]] == [("S005", 39, 15)]


def test_large_but_valid_number_reports_one_gap(warned_plan: Path) -> None:
    plan = warned_plan
    theme = plan / DOED / "theme-c.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("code: CP1.2\n", "code: CP1.999999\n"), "utf-8")
    messages = [p["message"] for p in validate(plan).json()["problems"] if p["rule"] == "N001"]
    assert messages == ["department KPI CP1.999999 skips CP1.1 (and 999997 more)"]


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_special_files_are_not_read(plan: Path, kind: str) -> None:
    target = plan / DOED / "special.yaml"
    if kind == "device":
        os.symlink("/dev/zero", target)
    else:
        os.mkfifo(target)
    run = validate(plan)
    bad = [p for p in run.json()["problems"] if p["path"].endswith("special.yaml")]
    expected = "not a regular file (a device, pipe or socket)"
    if kind == "device":  # a link to /dev/zero leaves the repository before it reaches a device
        expected = "a symbolic link to a file outside the repository; it is not read"
    assert [(p["rule"], p["message"]) for p in bad] == [("Y001", expected)]


def test_links_leaving_the_repository_are_not_read(tmp_path: Path) -> None:
    """A committed link to a file elsewhere (/etc/passwd, a secret beside the checkout) is never read or echoed."""
    repo = tmp_path / "repo"
    shutil.copytree(PLAN_110, repo / "data" / "110")
    (repo / ".git").mkdir()
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: theme\ncode: B\nname: SECRET-TEXT\n", encoding="utf-8")
    theme = repo / "data" / "110" / DOED / "theme-b.yaml"
    theme.unlink()
    theme.symlink_to(secret)
    (repo / "data" / "110" / DOED / "passwd.yaml").symlink_to("/etc/passwd")
    inside = repo / "data" / "110" / DOED / "theme-b-link.yaml"
    inside.symlink_to(repo / "data" / "110" / DOED / "theme-e.yaml")  # inside the repository: no Y001
    run = stratmap("validate", "--format", "json", cwd=repo)
    assert run.code == 1 and "SECRET" not in run.out and "root:" not in run.out
    bad = {(Path(p["path"]).name, p["rule"], p["message"]) for p in run.json()["problems"] if p["rule"] == "Y001"}
    message = "a symbolic link to a file outside the repository; it is not read"
    assert bad == {("theme-b.yaml", "Y001", message), ("passwd.yaml", "Y001", message)}


def test_device_as_path_is_a_usage_error(tmp_path: Path) -> None:
    run = stratmap("validate", "/dev/null", cwd=tmp_path)
    assert run.code == 2 and "/dev/null: not a folder or a strategy file" in run.err


def test_odd_year_folder_names_do_not_crash(plan: Path) -> None:
    shutil.copytree(plan, plan.parent / "²")
    run = stratmap("validate", "data", cwd=plan.parent.parent)
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert run.code == 1  # the copy's plan.yaml says 110 in a folder named ²
    assert "data/²/plan.yaml:3:7: error R006 plan year 110 does not match its folder '²'" in run.out


def run_without_privilege(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run stratmap so that file modes apply (as root, CI's user, without the capability to override them)."""
    prefix = []
    if os.geteuid() == 0:
        drop = "-dac_override,-dac_read_search"
        prefix = ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "stratmap", *map(str, args)], cwd=cwd, capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"}, timeout=120,
    )  # fmt: skip


@pytest.fixture
def locked() -> Iterator[list[Path]]:
    """Folders a test makes unreadable; opened again afterwards so pytest can clean up."""
    folders: list[Path] = []
    yield folders
    for folder in folders:
        folder.chmod(0o755)


def test_unreadable_folder_is_reported_not_skipped(plan: Path, locked: list[Path]) -> None:
    locked.append(plan / "departments")
    (plan / "departments").chmod(0o000)
    done = run_without_privilege("validate", "data/110", cwd=plan.parent.parent)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "data/110/departments:1:1: error Y001 cannot open folder: Permission denied" in done.stdout
    assert "All checks passed" not in done.stdout


def test_unreadable_plan_folder_is_a_usage_error(plan: Path, locked: list[Path]) -> None:
    locked.append(plan)
    plan.chmod(0o000)
    done = run_without_privilege("validate", "data", cwd=plan.parent.parent)
    assert done.returncode == 2 and "Permission denied" in done.stderr and "Traceback" not in done.stderr


def test_output_that_cannot_be_written_is_reported() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "stratmap", "validate"], cwd=REPO, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert done.returncode == 2
    assert "stratmap: error: No space left on device" in done.stderr and "Traceback" not in done.stderr


def test_closed_pipe_keeps_the_exit_status() -> None:
    done = subprocess.run(
        f"'{sys.executable}' -m stratmap validate | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.stdout.strip() == "0" and "Traceback" not in done.stderr


def test_nul_byte_is_reported_where_it_stands(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    lines = theme.read_text(encoding="utf-8").split("\n")
    assert lines[19] == "    name: 提升公司與商業登記服務品質"
    lines[19] = "    name: 提升\x00公司與商業登記服務品質"
    theme.write_text("\n".join(lines), encoding="utf-8")
    bad = [p for p in validate(plan).json()["problems"] if p["path"].endswith("theme-a.yaml")]
    assert [(p["rule"], p["line"], p["column"]) for p in bad] == [("Y012", 20, 13)]
    assert bad[0]["message"] == "control character U+0000 is not allowed in YAML"


def test_unicode_line_separator_does_not_shift_lines(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    text = theme.read_text(encoding="utf-8").replace("name: 健全商貿環境", 'name: "健全\u2028商貿環境"')
    theme.write_text(text.replace("  - code: AC2\n", "  - code: AC2x\n"), encoding="utf-8")
    bad = [p for p in validate(plan).json()["problems"] if p["path"].endswith("theme-a.yaml")]
    assert [(p["rule"], p["line"], p["column"]) for p in bad] == [("S005", 18, 11)]


def test_tab_inside_a_value_is_not_called_indentation(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("name: 健全商貿環境", "name: 健全\t商貿: 環境"), "utf-8")
    bad = [p for p in validate(plan).json()["problems"] if p["path"].endswith("theme-a.yaml")]
    assert [p["rule"] for p in bad] == ["Y004"]


def test_text_from_the_data_cannot_forge_report_lines(plan: Path) -> None:
    theme = plan / DOED / "theme-a.yaml"
    forged = '"x\\nAll checks passed.\\n::notice::hi": 1\n'
    theme.write_text(theme.read_text(encoding="utf-8") + forged, encoding="utf-8")
    run = stratmap("validate", "data/110", cwd=plan.parent.parent)
    assert run.code == 1
    assert not any(line.startswith(("::", "All checks passed")) for line in run.out.splitlines())
    assert "unknown key 'x\\nAll checks passed.\\n::notice::hi'" in run.out


@pytest.mark.parametrize(
    ("old", "new", "rule", "words"),
    [
        ("name: 健全商貿環境", "name: !!int 健全商貿環境", "Y007", "tag 'tag:yaml.org,2002:int' is not allowed"),
        ("name: 健全商貿環境", "name: !!seq 健全商貿環境", "Y007", "is not allowed"),
        (
            "        name: 經貿拓銷金額\n",
            "        name: 經貿拓銷金額\n        target: .inf\n",
            "S004",
            "is not a number",
        ),
        (
            "        name: 經貿拓銷金額\n",
            "        name: 經貿拓銷金額\n        baseline: nan\n",
            "S004",
            "finite number",
        ),
        (
            "        name: 經貿拓銷金額\n",
            "        name: 經貿拓銷金額\n        target: 1e999\n",
            "S004",
            "at most 24 digits before the point",
        ),
        ("  - code: AC2\n", '  - code: "AC2 "\n', "S005", "has spaces around it; write it as 'AC2'"),
    ],
)
def test_values_that_must_be_refused(plan: Path, old: str, new: str, rule: str, words: str) -> None:
    theme = plan / DOED / "theme-a.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    bad = [p for p in validate(plan).json()["problems"] if p["rule"] != "N001"]
    assert [p["rule"] for p in bad] == [rule] and words in bad[0]["message"], bad


def test_tows_factor_in_the_wrong_group_is_refused(plan: Path) -> None:
    department = plan / DOED / "department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace("{code: S2,", "{code: W9,"), "utf-8")
    bad = validate(plan).json()["problems"]
    assert [(p["rule"], p["line"]) for p in bad] == [("S004", 71)]


def test_step_listed_twice_is_refused(plan: Path) -> None:
    department = plan / DOED / "department.yaml"
    department.write_text(department.read_text(encoding="utf-8").replace("- step: 2", "- step: 1"), "utf-8")
    bad = validate(plan).json()["problems"]
    assert [p["rule"] for p in bad] == ["S004"] and "step 1 is listed twice" in bad[0]["message"]


def test_the_same_plan_named_twice_is_checked_once(plan: Path) -> None:
    cwd = plan.parent.parent
    run = stratmap("validate", "--format", "json", "data/110", cwd / "data" / "110", "data/../data/110", cwd=cwd)
    assert len(run.json()["plans"]) == 1


@pytest.mark.parametrize(
    ("content", "line", "column", "rule"),
    [
        ("kind: plan\nyear: [110", 2, 11, "Y004"),  # no final newline: libyaml's mark is one line past the end
        ("kind: theme\ncode", 2, 5, "Y004"),
        ('kind: plan\nyear: 110\nnote: "a\rb"\nnmae: x\n', 4, 1, "S002"),  # a lone CR is no line break to editors
    ],
)
def test_positions_at_the_end_of_a_file_and_after_a_lone_carriage_return(
    plan: Path, content: str, line: int, column: int, rule: str
) -> None:
    """Found by tests/test_fuzz.py: both placed problems a line too far down."""
    (plan / "plan.yaml").write_bytes(content.encode("utf-8"))
    found = [(p[1], p[2], p[3]) for p in problems(validate(plan)) if p[0].endswith("/plan.yaml")]
    assert found[0] == (line, column, rule)
