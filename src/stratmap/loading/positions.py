"""Where each value of a YAML file was written, kept from parse to report."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from typing import Any

Path_ = tuple[str | int, ...]
"""A path into the parsed data, e.g. ``("objectives", 0, "kpis", 1, "code")``."""


@dataclass
class PositionIndex:
    """1-based (line, column) of every value and every mapping key, by data path."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, path: Path_) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest recorded ancestor."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def of_key(self, path: Path_) -> tuple[int, int]:
        """Position of the key that names ``path``, falling back to its value."""
        found = self.keys.get(path)
        return found if found is not None else self.of_value(path)


@dataclass(frozen=True)
class ParsedYaml:
    """A file's data and where each value stood."""

    data: Any
    positions: PositionIndex


def parsed_to_entry(parsed: ParsedYaml) -> list[Any]:
    """A parse as plain JSON data for the cache: the data, then each position table as three columns."""
    return [parsed.data, _columns(parsed.positions.values), _columns(parsed.positions.keys)]


def parsed_from_entry(entry: Any) -> ParsedYaml | None:
    """A parse back from a cache entry, or None unless the entry has exactly the shape one must have."""
    try:
        data, values, keys = entry
        if not _plain(data):
            return None
        return ParsedYaml(data, PositionIndex(_table(values), _table(keys)))
    except (TypeError, ValueError):
        return None


def _columns(table: dict[Path_, tuple[int, int]]) -> list[list[Any]]:
    return [[list(path) for path in table], [line for line, _ in table.values()], [col for _, col in table.values()]]


def _table(columns: Any) -> dict[Path_, tuple[int, int]]:
    """A position table back from its columns, every element's type checked (with C-speed set and map
    calls: this runs over every value of every cached file)."""
    paths, lines, cols = columns
    if not (
        type(paths) is list and type(lines) is list and type(cols) is list and len(paths) == len(lines) == len(cols)
    ):
        raise ValueError("columns of different lengths")
    if not paths:
        return {}
    if not set(map(type, paths)) <= {list} or not set(map(type, chain.from_iterable(paths))) <= {str, int}:
        raise ValueError("a data path of something other than keys and indexes")
    if not set(map(type, lines)) | set(map(type, cols)) <= {int} or min(lines) < 1 or min(cols) < 1:
        raise ValueError("a position that is not a positive whole number")
    return dict(zip(map(tuple, paths), zip(lines, cols, strict=True), strict=True))


def _plain(root: Any) -> bool:
    """Whether ``root`` holds only what the YAML builder makes: mappings of text, lists, text and None."""
    stack = [root]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str or value is None:
            continue
        if kind is dict:
            if not all(type(key) is str for key in value):
                return False
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
        else:
            return False
    return True
