"""Where each value of a YAML file was written, kept from parse to report."""

from __future__ import annotations

from dataclasses import dataclass, field
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
