"""Bad input gets a clear error at file:line:col, the documented exit code, no traceback, nothing written."""

from __future__ import annotations

import hashlib
import os
import resource
from pathlib import Path

import pytest

from conftest import DOED, Run, problems, stratmap

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes (links by their target)."""
    seen = {}
    for path in sorted(folder.rglob("*")):
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
    ("control-character", b"kind: theme\nname: a\x07b\n", "Y004", 2, 8, "YAML syntax error"),
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
