"""The seed as printed: validate reports each of its contradictions at the right file and line.

``tests/fixtures/seed_as_printed/110`` is ``data/110`` with the printed codes put back
(see ``data/110/ERRATA.md``). Wording differences (AP1's name, the order of the core values)
cannot be written twice in files where each fact is written once: the fixture carries the
scorecard's wording and the data records the decision.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, column_of, edit, line_of, problems, stratmap

AS_PRINTED = FIXTURES / "seed_as_printed" / "110"
DOED = Path("departments") / "doed"


def where(root: Path, file: str, text: str, rule: str, severity: str) -> tuple[str, int, int, str, str]:
    path = root / DOED / file
    return (f"110/{DOED.as_posix()}/{file}", line_of(path, text), column_of(path, text), rule, severity)


def test_malformed_kpi_code_and_numbering_gaps_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "110"
    shutil.copytree(AS_PRINTED, root)
    run = stratmap("validate", "--format", "json", "110", cwd=tmp_path)
    assert run.code == 1
    assert problems(run) == [
        where(root, "theme-b.yaml", "BF2\n", "N001", "warning"),
        where(root, "theme-c.yaml", "CP1.2\n", "N001", "warning"),
        where(root, "theme-c.yaml", "CF2\n", "N001", "warning"),
        where(root, "theme-d.yaml", "DP4.\n", "S005", "error"),
    ]
    messages = [p["message"] for p in run.json()["problems"]]
    assert messages[0] == "department objective BF2 skips BF1"
    assert "'DP4.' is not a valid KPI code" in messages[3]

    # Once the malformed code is mended, theme D is checked too and its BF2-like DF2 shows.
    edit(root / DOED / "theme-d.yaml", "code: DP4.\n", "code: DP4.1\n")
    run = stratmap("validate", "--format", "json", "110", cwd=tmp_path)
    assert run.code == 0
    assert where(root, "theme-d.yaml", "DF2\n", "N001", "warning") in problems(run)
    assert len(problems(run)) == 4


def test_shipped_data_settles_every_printed_contradiction() -> None:
    errata = (Path(__file__).resolve().parent.parent / "data" / "110" / "ERRATA.md").read_text(encoding="utf-8")
    for printed in ("BF2", "CF2", "DF2", "`DP4.`", "CP1.2", "提升國際經貿交流連結", "DP3.4"):
        assert printed in errata
