"""Positions kept beside the parsed data: every value and key found where it was written, the same
after a trip through a cache entry, and aliases answered at the alias."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stratmap.loading.positions import ParsedYaml, Path_, parsed_from_entry, parsed_to_entry
from stratmap.loading.yaml_reader import parse_yaml
from stratmap.problems import Finding

TEXT = """\
kind: theme
code: A
objectives:
  - code: A1
    name: "一"
    kpis:
      - code: A1.1
        city_kpis: [CK1, CK2]
  - &second
    code: A2
    drives: [A1]
again: *second
empty:
note: ~
"""


def parsed(text: str) -> ParsedYaml:
    outcome = parse_yaml(text, Path("t.yaml"))
    assert not isinstance(outcome, Finding), outcome
    return outcome


def paths(value: Any, path: Path_ = ()) -> list[Path_]:
    """Every path of the data, and one step past each (where lookups fall back to the ancestor)."""
    found = [path, (*path, "missing"), (*path, 99)]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*path, index))
    return found


def test_values_and_keys_are_where_they_were_written() -> None:
    index = parsed(TEXT).positions
    assert index.of_value(()) == (1, 1)
    assert index.of_value(("code",)) == (2, 7)
    assert index.of_key(("code",)) == (2, 1)
    assert index.of_value(("objectives", 0, "name")) == (5, 11)
    assert index.of_value(("objectives", 0, "kpis", 0, "city_kpis", 1)) == (8, 26)
    assert index.of_key(("objectives", 0, "kpis", 0, "code")) == (7, 9)
    assert index.of_value(("objectives", 0, "kpis", 0, "nothing", 3)) == (7, 9)  # the nearest written
    assert index.of_value(("objectives", 7)) == (4, 3) and index.of_value(("objectives", -1)) == (4, 3)
    assert index.of_value(("empty",)) == (13, 7) and index.of_value(("note",)) == (14, 7)


def test_what_an_alias_repeats_is_placed_at_the_alias() -> None:
    index = parsed(TEXT).positions
    assert index.of_value(("objectives", 1, "code")) == (10, 11)
    assert index.of_value(("again",)) == (12, 8)
    assert index.of_value(("again", "code")) == (12, 8)
    assert index.of_value(("again", "drives", 0)) == (12, 8)
    assert index.of_key(("again", "code")) == (12, 8)
    assert ("again", "code") not in index.values and ("again", "code") not in index.keys


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_an_entry_gives_back_every_position(newline: str) -> None:
    first = parsed(TEXT.replace("\n", newline))
    entry = json.loads(json.dumps(parsed_to_entry(first)))
    again = parsed_from_entry(entry)
    assert again is not None and again.data == first.data
    assert again.positions.values == first.positions.values and again.positions.keys == first.positions.keys
    for path in paths(first.data):
        assert again.positions.of_value(path) == first.positions.of_value(path), path
        assert again.positions.of_key(path) == first.positions.of_key(path), path
    assert parsed_to_entry(again) == entry


def test_a_lone_value_has_no_position_but_the_start() -> None:
    lone = parsed("just text\n")
    assert lone.positions.of_value(()) == (1, 1) and lone.positions.of_value(("x",)) == (1, 1)
    assert lone.positions.values == {}


def test_an_escaped_control_character_is_refused_in_a_file_that_holds_none() -> None:
    outcome = parse_yaml('kind: theme\nname: "a\\eb"\n', Path("t.yaml"))
    assert isinstance(outcome, Finding) and outcome.rule == "Y012"
    assert (outcome.location.line, outcome.location.column) == (2, 7)
