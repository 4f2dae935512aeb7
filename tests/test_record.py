"""`stratmap record`: actual values from a CSV into the measures files, with nothing else changed."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import DOED, REPO, edit, stratmap
from test_second_department import add_second_department

MEASURES = """\
# yaml-language-server: $schema=../../../../schemas/measures.schema.json
# 經濟發展局 110年度 實際值 (test data, not the seed's)
kind: measures
note: "由研考科彙整，每季更新"
measures:
  # theme B first, on purpose: not in plan order
  "BP2.1":
    110Q2:  1300    # 第二季, aligned
    110Q1:  1234

  # a comment between entries
  BP1.1:
    110Q1: {value: 3, note: '初估'}
  # trailing comment
"""

EXPECTED = """\
# yaml-language-server: $schema=../../../../schemas/measures.schema.json
# 經濟發展局 110年度 實際值 (test data, not the seed's)
kind: measures
note: "由研考科彙整，每季更新"
measures:
  # theme B first, on purpose: not in plan order
  "BP2.1":
    110Q2:  1300    # 第二季, aligned
    110Q1:  1234
    110Q3: 1400
    110Q4: 1500.50

  # a comment between entries
  BP1.1:
    110Q1: {value: 5, note: '初估'}
    110Q2: {value: 4, note: 延後統計}
  # trailing comment
"""

VALUES = """\
kpi,period,actual,note
BP2.1,110Q3,1400,
doed:BP2.1,110Q4,"1,500.50",
BP2.1,110Q1,1234,
BP1.1,110Q1,5,
BP1.1,110Q2,4,延後統計
"""


def quarterly(plan: Path, *names: str) -> None:
    """Give KPIs (by their name line in theme-b.yaml) a quarterly frequency."""
    for name in names:
        edit(plan / DOED / "theme-b.yaml", f"name: {name}\n", f"name: {name}\n        frequency: quarterly\n")


def measured_plan(plan: Path) -> Path:
    """The plan with BP1.1 and BP2.1 quarterly and a measures file for doed; returns the measures file."""
    quarterly(plan, "協助新創企業國際鏈結家數", "新設企業家數")
    measures = plan / DOED / "measures.yaml"
    measures.write_text(MEASURES, encoding="utf-8")
    return measures


def snapshot(root: Path) -> dict[Path, bytes]:
    """Every file under ``root`` and its bytes."""
    return {path: path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_write_changes_only_the_values(plan: Path) -> None:
    measures = measured_plan(plan)
    (plan.parent.parent / "values.csv").write_text(VALUES, encoding="utf-8")
    others = {p: b for p, b in snapshot(plan).items() if p != measures}
    run = stratmap("record", "data/110", "values.csv", "--write", cwd=plan.parent.parent)
    assert run.code == 0, run.err
    after = measures.read_text(encoding="utf-8")
    assert after == EXPECTED
    # Line by line: every original line is kept, in order, byte for byte, except the one value replaced;
    # comments (between entries, trailing), quoting ("BP2.1", '初估', "由研考科..."), key order and the
    # spaces aligning 1300 and 1234 survive.
    removed = [line for line in difflib.ndiff(MEASURES.splitlines(), after.splitlines()) if line.startswith("- ")]
    added = [line for line in difflib.ndiff(MEASURES.splitlines(), after.splitlines()) if line.startswith("+ ")]
    assert removed == ["-     110Q1: {value: 3, note: '初估'}"]
    assert added == [
        "+     110Q3: 1400",
        "+     110Q4: 1500.50",
        "+     110Q1: {value: 5, note: '初估'}",
        "+     110Q2: {value: 4, note: 延後統計}",
    ]
    assert {p: b for p, b in snapshot(plan).items() if p != measures} == others  # nothing else written
    assert "wrote data/110/departments/doed/measures.yaml" in run.out
    assert "recorded 4 values in 1 file (1 changed; 1 already recorded); data/110 validates" in run.out
    assert stratmap("validate", "data/110", cwd=plan.parent.parent).code == 0
    again = stratmap("record", "data/110", "values.csv", cwd=plan.parent.parent)
    assert (again.code, again.out) == (0, "nothing to record: every value of values.csv (5) is recorded already\n")


def test_dry_run_shows_a_diff_and_writes_nothing(plan: Path) -> None:
    measures_plan = measured_plan(plan)
    (plan.parent.parent / "values.csv").write_text(VALUES, encoding="utf-8")
    before = snapshot(plan.parent.parent)
    run = stratmap("record", "110", "values.csv", cwd=plan.parent.parent)
    assert run.code == 0, run.err
    assert snapshot(plan.parent.parent) == before
    assert measures_plan.read_text(encoding="utf-8") == MEASURES
    lines = run.out.splitlines()
    assert lines[:2] == [
        "--- a/data/110/departments/doed/measures.yaml",
        "+++ b/data/110/departments/doed/measures.yaml",
    ]
    assert "+    110Q3: 1400" in lines and "-    110Q1: {value: 3, note: '初估'}" in lines
    assert lines[-1] == "would record 4 values in 1 file (1 changed; 1 already recorded); run with --write to write"


def test_replaced_value_is_shown_old_to_new(plan: Path) -> None:
    measures = measured_plan(plan)
    (plan.parent.parent / "fix.csv").write_text("kpi,period,actual\nBP2.1,110Q2,1310\n", encoding="utf-8")
    dry = stratmap("record", "data/110", "fix.csv", cwd=plan.parent.parent)
    assert "changed doed:BP2.1 110Q2: 1300 → 1310 (fix.csv:2)" in dry.out.splitlines()
    assert "-    110Q2:  1300    # 第二季, aligned" in dry.out.splitlines()
    assert "+    110Q2: 1310     # 第二季, aligned" in dry.out.splitlines()  # the comment keeps its column
    run = stratmap("record", "data/110", "fix.csv", "--write", cwd=plan.parent.parent)
    assert run.code == 0, run.err
    assert run.out.splitlines()[0] == "changed doed:BP2.1 110Q2: 1300 → 1310 (fix.csv:2)"
    assert measures.read_text(encoding="utf-8") == MEASURES.replace("110Q2:  1300    #", "110Q2: 1310     #")


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(plan: Path) -> None:
    measured_plan(plan)
    add_second_department(plan)  # dol has a DP2.1 too: a bare DP2.1 is ambiguous
    theme_b = plan / DOED / "theme-b.yaml"
    edit(theme_b, "name: 協助新創企業國際鏈結家數\n        frequency: quarterly\n", "name: 協助新創企業國際鏈結家數\n"
         "        frequency: quarterly\n        basis: milestones\n"
         "        milestones: [{stage: 規劃, percent: 30}, {stage: 完工, percent: 100}]\n")  # fmt: skip
    edit(plan / DOED / "measures.yaml", "{value: 3, note: '初估'}", "{value: 規劃, note: '初估'}")
    rows = [
        "kpi,period,actual,note",  # 1
        "BP9.9,110Q1,5,",  # 2 unknown KPI
        "BP2.1,110Q5,5,",  # 3 not a period
        "BP2.1,109Q1,5,",  # 4 another plan year
        "BP2.1,110M03,5,",  # 5 a month for a quarterly KPI
        "AC1.1,110Q1,5,",  # 6 a quarter for a KPI without frequency
        "BP2.1,110Q3,abc,",  # 7 not a number
        "BP2.1,110Q4,95%,",  # 8 a percent sign
        'BP2.1,110,"1,23",',  # 9 commas not between thousands
        "BP1.1,110Q2,完成,",  # 10 not a stage
        "BP2.1,110Q1,1250,",  # 11 fine, but ...
        "doed:BP2.1,110Q1,1260,",  # 12 ... the same KPI and period twice
        "DP2.1,110,5,",  # 13 ambiguous: doed:DP2.1 and dol:DP2.1
        "BP2.1,,5,",  # 14 no period
        "BP2.1,2021Q2,5,",  # 15 a Gregorian year
        "BP2,110,5,",  # 16 an objective
        "BP2.1,110Q2,5,x,extra",  # 17 more cells than the header
    ]
    (plan.parent.parent / "values.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = snapshot(plan.parent.parent)
    run = stratmap("record", "data/110", "values.csv", "--write", cwd=plan.parent.parent)
    assert run.code == 1, run.out + run.err
    assert snapshot(plan.parent.parent) == before
    errors = run.err.splitlines()
    expected = [
        "values.csv:2: no KPI BP9.9 in plan 110",
        "values.csv:3: '110Q5' is not a period",
        "values.csv:4: period 109Q1 is not in plan year 110",
        "values.csv:5: doed:BP2.1 is measured quarterly: write 110Q1-110Q4 or the year 110, not 110M03",
        "values.csv:6: doed:AC1.1 has no frequency, so it takes the year's value only (110)",
        "values.csv:7: 'abc' is not a number",
        "values.csv:8: '95%' is not a number: write 95, without the percent sign",
        "values.csv:9: '1,23' is not a number: commas may only separate thousands (12,345)",
        "values.csv:10: '完成' is not a stage of doed:BP1.1; its stages: 規劃, 完工",
        "values.csv:12: doed:BP2.1 110Q1 is given twice (first on line 11)",
        "values.csv:13: KPI DP2.1 is in 2 departments; write which: doed:DP2.1 or dol:DP2.1",
        "values.csv:14: no period (期別)",
        "values.csv:15: '2021Q2' is not a period: write a year (110), half (110H1), quarter (110Q1) or month "
        "(110M01); periods use the 民國 year: 110Q2",
        "values.csv:16: doed:BP2 is a department objective, not a KPI",
        "values.csv:17: a value in column 5, which the header does not name",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in errors), f"{start!r} not in:\n{run.err}"
    assert not any(line.startswith("values.csv:11:") for line in errors)
    assert errors[-1] == "stratmap: 15 errors on 15 lines of values.csv; nothing was written"


def test_header_and_empty_file_errors(plan: Path) -> None:
    measured_plan(plan)
    folder = plan.parent.parent
    before = snapshot(folder / "data")
    cases = {
        "empty.csv": ("", ["empty.csv:1: the file is empty; its first line must be the header kpi,period,actual"]),
        "blank.csv": ("\n \n,,,\n", ["blank.csv:1: the file is empty"]),
        "missing.csv": ("kpi,period,note\nBP2.1,110Q3,x\n", ["missing.csv:1: no 'actual' column (實際值)"]),
        "typo.csv": (
            "kpi,period,actaul\nBP2.1,110Q3,1\n",
            ["typo.csv:1: unknown column 'actaul'", "typo.csv:1: no 'actual' column"],
        ),
        "twice.csv": ("kpi,期別,period,actual\n", ["twice.csv:1: column 'period' is given twice"]),
        "noheader.csv": ("BP2.1,110Q3,1\n", ["noheader.csv:1: the first line must be the header"]),
        "quotes.csv": ('kpi,period,actual\nBP2.1,110Q3,"1"2\n', ["quotes.csv:2: not valid CSV"]),
    }
    for name, (text, starts) in cases.items():
        (folder / name).write_text(text, encoding="utf-8")
        run = stratmap("record", "data/110", name, "--write", cwd=folder)
        assert run.code == 1, (name, run.out, run.err)
        for start in starts:
            assert any(line.startswith(start) for line in run.err.splitlines()), f"{start!r} not in:\n{run.err}"
    assert snapshot(folder / "data") == before


def test_chinese_headers_and_a_bom(plan: Path) -> None:
    measures = measured_plan(plan)
    csv = '指標代碼,期別,實際值,備註\r\nBP2.1,110Q3,１４００,\r\n"BP1.1",110q2,4,"延後\r\n統計"\r\n'
    (plan.parent.parent / "values.csv").write_bytes(b"\xef\xbb\xbf" + csv.encode("utf-8"))
    run = stratmap("record", "data/110", "values.csv", "--write", cwd=plan.parent.parent)
    assert run.code == 0, run.err
    text = measures.read_text(encoding="utf-8")
    assert "    110Q3: 1400\n" in text  # full-width digits folded
    assert '    110Q2: {value: 4, note: "延後\\n統計"}\n' in text  # a line break in a cell kept in the note
    assert "recorded 2 values in 1 file; data/110 validates" in run.out


def test_big5_file_is_refused_as_validate_refuses_it(plan: Path) -> None:
    measured_plan(plan)
    folder = plan.parent.parent
    (folder / "big5.csv").write_bytes("指標代碼,期別,實際值,備註\nBP2.1,110Q3,1400,說明\n".encode("big5"))
    before = snapshot(folder)
    run = stratmap("record", "data/110", "big5.csv", "--write", cwd=folder)
    assert run.code == 1, run.out + run.err
    assert run.err.splitlines()[:2] == [
        "big5.csv:1:1: file is not valid UTF-8",
        "  help: it looks like Big5; convert it with: iconv -f BIG5 -t UTF-8",
    ]
    assert snapshot(folder) == before


def test_a_new_measures_file_is_created_with_its_modeline(plan: Path) -> None:
    quarterly(plan, "新設企業家數")
    folder = plan.parent.parent
    (folder / "values.csv").write_text("kpi,period,actual,note\nBP2.1,110Q2,20,\nBP2.1,110Q1,10,初值\n", "utf-8")
    run = stratmap("record", "data/110", "values.csv", "--write", cwd=folder)
    assert run.code == 0, run.err
    measures = plan / DOED / "measures.yaml"
    modeline = (plan / DOED / "theme-b.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert measures.read_text(encoding="utf-8") == (
        modeline.replace("theme.schema.json", "measures.schema.json") + "\n"
        "kind: measures\n"
        "measures:\n"
        "  BP2.1:\n"
        "    110Q1: {value: 10, note: 初值}\n"
        "    110Q2: 20\n"
    )
    assert "wrote data/110/departments/doed/measures.yaml" in run.out
    assert stratmap("validate", "data/110", cwd=folder).code == 0


def test_usage_errors(plan: Path) -> None:
    folder = plan.parent.parent
    assert stratmap("record", "data/110", "missing.csv", cwd=folder).code == 2
    (folder / "values.csv").write_text("kpi,period,actual\n", encoding="utf-8")
    assert stratmap("record", "data/999", "values.csv", cwd=folder).code == 2
    assert stratmap("record", "data/110", "data", cwd=folder).code == 2  # a folder, not a CSV
    empty = stratmap("record", "data/110", "values.csv", cwd=folder)
    assert (empty.code, empty.out) == (0, "nothing to record: values.csv has a header and no values\n")


def test_a_plan_that_does_not_validate_records_nothing(plan: Path) -> None:
    quarterly(plan, "新設企業家數")
    edit(plan / DOED / "theme-b.yaml", "code: BP2.1\n", "code: BP2.1\n        nmae: typo\n")
    (plan.parent.parent / "values.csv").write_text("kpi,period,actual\nBP2.1,110Q1,1\n", encoding="utf-8")
    run = stratmap("record", "data/110", "values.csv", "--write", cwd=plan.parent.parent)
    assert run.code == 1
    assert "does not validate" in run.err
    assert not (plan / DOED / "measures.yaml").exists()


def test_a_layout_that_cannot_be_kept_is_refused(plan: Path) -> None:
    measures = measured_plan(plan)
    # A plain scalar on two lines: ruamel.yaml would join them, and that line holds no value recorded.
    odd = MEASURES.replace('note: "由研考科彙整，每季更新"', "note: 由研考科彙整\n  每季更新")
    measures.write_text(odd, encoding="utf-8")
    (plan.parent.parent / "values.csv").write_text("kpi,period,actual\nBP2.1,110Q3,1\n", encoding="utf-8")
    run = stratmap("record", "data/110", "values.csv", "--write", cwd=plan.parent.parent)
    assert run.code == 2, run.out + run.err
    assert "data/110/departments/doed/measures.yaml:4: stratmap record cannot add the values" in run.err
    assert measures.read_text(encoding="utf-8") == odd


def test_help_and_no_ruamel_for_other_commands() -> None:
    run = stratmap("record", "--help")
    assert run.code == 0 and "Example: stratmap record" in run.out
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "stratmap", "validate", "data/110"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "STRATMAP_NO_CACHE": "1"},
    )
    assert done.returncode == 0 and "stratmap.loading.loader" in done.stderr, done.stderr[-2000:]
    assert "ruamel" not in done.stderr


def test_two_departments_two_files(plan: Path) -> None:
    measures = measured_plan(plan)
    dol = add_second_department(plan)
    folder = plan.parent.parent
    (folder / "values.csv").write_text("kpi,period,actual\ndol:DP2.1,110,5\ndoed:DP2.1,110,7\n", encoding="utf-8")
    run = stratmap("record", "data/110", "values.csv", "--write", cwd=folder)
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        "wrote data/110/departments/doed/measures.yaml",
        "wrote data/110/departments/dol/measures.yaml",
        "recorded 2 values in 2 files; data/110 validates",
    ]
    assert measures.read_text(encoding="utf-8") == MEASURES.replace(
        "  # trailing comment\n", "  DP2.1:\n    110: 7\n  # trailing comment\n"
    )
    assert (dol / "measures.yaml").read_text(encoding="utf-8").endswith("measures:\n  DP2.1:\n    110: 5\n")


def test_a_failed_write_puts_back_the_files_already_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file or none: a folder in the way stops the write before anything is staged; a rename that
    fails puts back the file already replaced and removes the ones created (and their new folders)."""
    from stratmap.recording.record import FileEdit, Recording, write_recording

    first, created = tmp_path / "first.yaml", tmp_path / "created.yaml"
    first.write_bytes(b"old\n")
    (tmp_path / "in-the-way.yaml").mkdir()
    edits = [FileEdit(first, b"old\n", "new\n"), FileEdit(created, None, "new\n")]
    with pytest.raises(OSError):
        write_recording(Recording([*edits, FileEdit(tmp_path / "in-the-way.yaml", None, "new\n")], 0))
    assert first.read_bytes() == b"old\n" and sorted(p.name for p in tmp_path.iterdir()) == [
        "first.yaml",
        "in-the-way.yaml",
    ]
    (tmp_path / "in-the-way.yaml").rmdir()
    real_replace, calls = os.replace, []

    def failing_third(source: Any, target: Any) -> None:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_third)
    with pytest.raises(OSError):
        write_recording(Recording([*edits, FileEdit(tmp_path / "new-folder" / "measures.yaml", None, "new\n")], 0))
    monkeypatch.undo()
    assert len(calls) == 4 and first.read_bytes() == b"old\n"  # the third failed; the fourth put back the first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.yaml"]
