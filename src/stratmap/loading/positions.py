"""Where each value of a YAML file was written, kept from parse to report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Path_ = tuple[str | int, ...]
"""A path into the parsed data, e.g. ``("objectives", 0, "kpis", 1, "code")``."""

Position = tuple[int, int]
"""1-based (line, column)."""


class Positions:
    """Where a mapping or list was written and, beside it as a shadow of its shape, where its items were.

    ``items`` holds, by key or index, an item's (line, column), or its own ``Positions`` if it is a
    mapping or list written there (an alias of one is a position only: its insides were written
    elsewhere); ``keys`` holds a mapping's key positions (None for a list).
    """

    __slots__ = ("at", "items", "keys")

    def __init__(self, at: Position, mapping: bool) -> None:
        self.at = at
        self.items: Any = {} if mapping else []
        self.keys: dict[str, Position] | None = {} if mapping else None


class PositionIndex:
    """1-based (line, column) of every value and every mapping key of a file, by data path.

    Kept as a shadow tree of the data (see ``Positions``) rather than a table of paths, which the
    builder fills with one store per value and no path to make; ``values`` and ``keys`` give the table.
    """

    __slots__ = ("root", "tables")

    def __init__(
        self,
        root: Positions | None = None,
        tables: tuple[dict[Path_, Position], dict[Path_, Position]] | None = None,
    ) -> None:
        self.root = root
        """The shadow of the root mapping or list (None for a lone scalar, which records no position)."""
        self.tables = tables
        """Value and key positions by path instead of the shadow tree: what a cache entry is read into,
        which is quicker to make from its flat lists than the tree."""

    def of_value(self, path: Path_) -> Position:
        """Position of the value at ``path``, or of its nearest recorded ancestor."""
        if self.tables is not None:
            table = self.tables[0]
            while path not in table and path:
                path = path[:-1]
            return table.get(path, (1, 1))
        node = self.root
        if node is None:
            return (1, 1)
        for step in path:  # the linker asks this of every node it makes: one lookup per step
            try:
                item = node.items[step]
            except (KeyError, IndexError, TypeError):
                return node.at
            if step.__class__ is int and step < 0:
                return node.at
            if item.__class__ is tuple:
                return item
            node = item
        return node.at

    def of_key(self, path: Path_) -> Position:
        """Position of the key that names ``path``, falling back to its value."""
        if self.tables is not None:
            key = self.tables[1].get(path)
            return key if key is not None else self.of_value(path)
        if path:
            node = self._shadow(path[:-1])
            last = path[-1]
            if node is not None and node.keys is not None and isinstance(last, str):
                found = node.keys.get(last)
                if found is not None:
                    return found
        return self.of_value(path)

    def _shadow(self, path: Path_) -> Positions | None:
        """The shadow of the mapping or list at ``path``, if its insides were recorded."""
        node = self.root
        for step in path:
            if node is None:
                return None
            try:
                item = node.items[step]
            except (KeyError, IndexError, TypeError):
                return None
            if step.__class__ is int and step < 0:
                return None
            node = item if item.__class__ is Positions else None
        return node

    @property
    def values(self) -> dict[Path_, Position]:
        """Every recorded value position by path (a table made on demand, for checks and tests)."""
        return self._table(keys=False)

    @property
    def keys(self) -> dict[Path_, Position]:
        """Every recorded key position by the path of the value it names."""
        return self._table(keys=True)

    def _table(self, keys: bool) -> dict[Path_, Position]:
        if self.tables is not None:
            return self.tables[1 if keys else 0]
        table: dict[Path_, Position] = {}
        if self.root is None:
            return table
        if not keys:
            table[()] = self.root.at
        stack: list[tuple[Path_, Positions]] = [((), self.root)]
        while stack:
            path, node = stack.pop()
            items = node.items.items() if node.keys is not None else enumerate(node.items)
            for step, item in items:
                if item.__class__ is Positions:
                    stack.append(((*path, step), item))
                    if not keys:
                        table[(*path, step)] = item.at
                elif not keys:
                    table[(*path, step)] = item
            if keys and node.keys is not None:
                table.update(((*path, step), at) for step, at in node.keys.items())
        return table


@dataclass(frozen=True)
class ParsedYaml:
    """A file's data and where each value stood."""

    data: Any
    positions: PositionIndex


_NONE = (0, 0)


def parsed_to_entry(parsed: ParsedYaml) -> list[Any] | None:
    """A parse as plain JSON data for the cache, or None if it cannot be one.

    The entry is the data, then the (line, column) of each value and of each key as flat lists of whole
    numbers, one pair per node of the data in the order ``_walk`` visits them ((0, 0) where there is
    none). The paths are not stored: the reader walks the data again, which costs far less than decoding
    and checking a path per value (measured on the city corpus: 69 ms against 233 ms).
    """
    index = parsed.positions
    if index.tables is not None:
        return _entry_of_tables(parsed.data, *index.tables)
    values: list[int] = []
    keys: list[int] = []
    root = index.root
    stack: list[tuple[Any, Position | None, Position | None, Positions | None]] = [
        (parsed.data, root.at if root is not None else None, None, root)
    ]
    while stack:
        value, at, key_at, node = stack.pop()
        values.extend(at or _NONE)
        keys.extend(key_at or _NONE)
        kind = type(value)
        if kind is dict:
            if node is None:
                stack.extend((item, None, None, None) for item in value.values())
                continue
            items, key_of = node.items, node.keys
            if key_of is None:
                return None
            for key, item in value.items():
                if type(key) is not str:
                    return None
                where = items.get(key)
                if where.__class__ is Positions:
                    stack.append((item, where.at, key_of.get(key), where))
                else:
                    stack.append((item, where, key_of.get(key), None))
        elif kind is list:
            if node is None:
                stack.extend((item, None, None, None) for item in value)
                continue
            items = node.items
            if node.keys is not None or len(items) != len(value):
                return None
            for item, where in zip(value, items, strict=True):
                if where.__class__ is Positions:
                    stack.append((item, where.at, None, where))
                else:
                    stack.append((item, where, None, None))
        elif kind is not str and value is not None:
            return None
    return [parsed.data, values, keys]


def parsed_from_entry(entry: Any) -> ParsedYaml | None:
    """A parse back from a cache entry, or None unless the entry has exactly the shape one must have."""
    try:
        data, values, keys = entry
    except (TypeError, ValueError):
        return None
    paths = _walk(data)
    if paths is None or not (_pairs(values, len(paths)) and _pairs(keys, len(paths))):
        return None
    return ParsedYaml(data, PositionIndex(tables=(_table(paths, values), _table(paths, keys))))


def _entry_of_tables(data: Any, values: dict[Path_, Position], keys: dict[Path_, Position]) -> list[Any] | None:
    """The entry of a parse read from an entry: its tables written back in ``_walk`` order."""
    paths = _walk(data)
    if paths is None or not (values.keys() <= set(paths) >= keys.keys()):
        return None
    return [
        data,
        [number for path in paths for number in values.get(path, _NONE)],
        [number for path in paths for number in keys.get(path, _NONE)],
    ]


def _pairs(numbers: Any, count: int) -> bool:
    """Whether ``numbers`` is a flat list of ``count`` pairs of whole numbers, none negative (with C-speed
    set and map calls: this runs over every value of every cached file)."""
    return (
        type(numbers) is list
        and len(numbers) == 2 * count
        and (not numbers or (set(map(type, numbers)) == {int} and min(numbers) >= 0))
    )


def _table(paths: list[Path_], numbers: list[int]) -> dict[Path_, Position]:
    pairs = iter(numbers)
    return {path: position for path, position in zip(paths, zip(pairs, pairs, strict=True), strict=True) if position[0]}


def _walk(root: Any) -> list[Path_] | None:
    """The path of every node of ``root``, depth first, or None unless ``root`` holds only what the YAML
    builder makes: mappings of text to values, lists, text and None."""
    paths: list[Path_] = []
    stack: list[tuple[Path_, Any]] = [((), root)]
    while stack:
        path, value = stack.pop()
        paths.append(path)
        kind = type(value)
        if kind is dict:
            for key, item in value.items():
                if type(key) is not str:
                    return None
                stack.append(((*path, key), item))
        elif kind is list:
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif kind is not str and value is not None:
            return None
    return paths
