"""The committed JSON Schemas match the models, and every data file points its editor at one."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import DATA, REPO, stratmap

KIND_SCHEMA = {
    "plan": "plan.schema.json",
    "city_map": "city-map.schema.json",
    "department": "department.schema.json",
    "theme": "theme.schema.json",
    "measures": "measures.schema.json",
}


def test_committed_schemas_match_the_models(tmp_path: Path) -> None:
    run = stratmap("schema", "--output", tmp_path / "schemas")
    assert run.code == 0
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == sorted(KIND_SCHEMA.values())
    for name in written:
        fresh = (tmp_path / "schemas" / name).read_text(encoding="utf-8")
        committed = (REPO / "schemas" / name).read_text(encoding="utf-8")
        assert fresh == committed, f"schemas/{name} is stale: run 'stratmap schema' and commit it"


def test_schema_forbids_unknown_keys_and_checks_codes() -> None:
    theme = json.loads((REPO / "schemas" / "theme.schema.json").read_text(encoding="utf-8"))
    assert theme["additionalProperties"] is False
    assert (
        theme["$defs"]["Kpi"]["properties"]["code"]["pattern"] == r"^([A-Z][CPLF][1-9][0-9]{0,5})\.([1-9][0-9]{0,5})$"
    )


def test_every_data_file_starts_with_its_schema_modeline() -> None:
    files = sorted(DATA.rglob("*.yaml"))
    assert len(files) == 8
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        kind = yaml.safe_load(path.read_text(encoding="utf-8"))["kind"]
        assert target == (REPO / "schemas" / KIND_SCHEMA[kind]).resolve(), path
        assert target.is_file()


def test_schema_write_failure_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    run = stratmap("schema", "--output", blocker / "schemas")
    assert run.code == 2
    assert "cannot write schemas" in run.err and "Traceback" not in run.err


def test_output_never_replaces_a_device_or_a_link(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    out.mkdir()
    (out / "plan.schema.json").symlink_to("/dev/null")
    run = stratmap("schema", "--output", out)
    assert run.code == 2 and "not a regular file" in run.err
    assert (out / "plan.schema.json").is_symlink() and Path("/dev/null").is_char_device()
