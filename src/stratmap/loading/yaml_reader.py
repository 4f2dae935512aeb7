"""Read one YAML file safely into plain data and source positions.

The file is parsed as an event stream (libyaml when available) and built here
without recursion, so that every guard is ours: only the standard YAML tags,
no duplicate keys, bounded nesting and bounded alias expansion, one document.
Scalars stay strings (``2.10`` is never ``2.1``); the models convert them.
Nothing here raises for bad input: a failure comes back as a ``Finding``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stratmap.loading.positions import Path_, PositionIndex
from stratmap.problems import Finding, Location

try:  # libyaml, bundled with PyYAML's wheels
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - pure-Python fallback with the same events
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 200_000
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq")
) | {"!"}


@dataclass(frozen=True)
class ParsedYaml:
    """A file's data and where each value stood."""

    data: Any
    positions: PositionIndex


class _Stop(Exception):
    """Abort the build with a finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def read_text(path: Path, display: Path) -> str | Finding:
    """Read a file as UTF-8 text (a BOM is accepted), or say why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Finding(
                "Y002",
                Location(display),
                f"file is {size / 1048576:.1f} MiB, larger than the {MAX_FILE_BYTES // 1048576} MiB "
                "a strategy file may be",
                "split it, one file per theme",
            )
        raw = path.read_bytes()
    except OSError as error:
        return Finding("Y001", Location(display), f"cannot read file: {error.strerror or error}", "")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        hint = "save the file as UTF-8"
        try:
            raw.decode("big5")
            hint = "it looks like Big5; convert it with: iconv -f BIG5 -t UTF-8"
        except UnicodeDecodeError:
            pass
        return Finding("Y003", Location(display, line, column), "file is not valid UTF-8", hint)


def parse_yaml(text: str, display: Path) -> ParsedYaml | Finding:
    """Parse YAML text into plain data with positions, or return the first problem."""
    try:
        return _Builder(text, display).build()
    except _Stop as stop:
        return stop.finding
    except yaml.MarkedYAMLError as error:
        return _syntax_finding(error, text, display)
    except yaml.YAMLError as error:  # reader errors: control characters and the like
        mark = getattr(error, "position", None)
        line, column = _offset_position(text, mark) if isinstance(mark, int) else (1, 1)
        return Finding("Y004", Location(display, line, column), f"YAML syntax error: {error}", "")


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _syntax_finding(error: yaml.MarkedYAMLError, text: str, display: Path) -> Finding:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "\t" in source_line[: max(column, 1)] or source_line[column - 1 : column] == "\t":
        return Finding(
            "Y005",
            Location(display, line, column),
            "tab character in indentation",
            "YAML indents with spaces only; replace the tab with spaces",
        )
    if error.problem and "maximum nesting depth" in error.problem:
        return Finding(
            "Y011",
            Location(display, line, column),
            f"values are nested more than {MAX_DEPTH} levels deep",
            "strategy files need only a few levels; flatten the structure",
        )
    problem = " ".join(part for part in (error.context, error.problem) if part)
    return Finding("Y004", Location(display, line, column), f"YAML syntax error: {problem}", "")


class _Frame:
    """A mapping or sequence being built."""

    __slots__ = ("container", "path", "key", "key_line")

    def __init__(self, container: dict[str, Any] | list[Any], path: Path_) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.key_line = 0


class _Builder:
    def __init__(self, text: str, display: Path) -> None:
        self.parser: Any = _Parser(text)
        self.display = display
        self.positions = PositionIndex()
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0

    def stop(self, rule: str, event: Any, message: str, hint: str = "") -> _Stop:
        mark = event.start_mark
        return _Stop(Finding(rule, Location(self.display, mark.line + 1, mark.column + 1), message, hint))

    def build(self) -> ParsedYaml:
        parser = self.parser
        documents = 0
        root: Any = None
        stack: list[_Frame] = []
        anchored: list[tuple[str, _Frame, int]] = []  # anchor, frame, count at start
        while True:
            event = parser.get_event()
            kind = type(event).__name__
            if kind == "StreamEndEvent":
                break
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise self.stop(
                        "Y010",
                        event,
                        "more than one YAML document in the file",
                        "remove the '---' line; put each document in its own file",
                    )
                continue
            if kind in ("StreamStartEvent", "DocumentEndEvent"):
                continue
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                done = stack.pop()
                if anchored and anchored[-1][1] is done:
                    anchor, _, start = anchored.pop()
                    self.anchors[anchor] = (done.container, self.count - start)
                if not stack:
                    root = done.container
                continue

            parent = stack[-1] if stack else None
            awaiting_key = parent is not None and isinstance(parent.container, dict) and parent.key is None
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _STANDARD_TAGS:
                raise self.stop(
                    "Y007",
                    event,
                    f"tag '{tag}' is not allowed",
                    "strategy files use plain YAML values only; remove the tag",
                )
            if kind == "ScalarEvent":
                value = self.scalar(event)
                if awaiting_key:
                    assert parent is not None
                    self.add_key(parent, value, event)
                    continue
                self.count += 1
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
                if parent is None:
                    root = value
                else:
                    path = self.attach(parent, value)
                    self.positions.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
                continue
            if awaiting_key:
                raise self.stop(
                    "Y004", event, "a mapping key must be plain text", "write keys as simple words such as 'name:'"
                )
            if kind == "AliasEvent":
                if event.anchor not in self.anchors:
                    raise self.stop("Y004", event, f"alias '*{event.anchor}' names no anchor defined before it")
                value, size = self.anchors[event.anchor]
                self.count += size
                self.check_count(event)
                assert parent is not None  # a document cannot be only an alias of itself
                path = self.attach(parent, value)
                self.positions.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
                continue
            # MappingStartEvent / SequenceStartEvent
            self.count += 1
            self.check_count(event)
            if len(stack) >= MAX_DEPTH:
                raise self.stop(
                    "Y011",
                    event,
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    "strategy files need only a few levels; flatten the structure",
                )
            container: dict[str, Any] | list[Any] = {} if kind == "MappingStartEvent" else []
            path = self.attach(parent, container) if parent is not None else ()
            self.positions.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
            frame = _Frame(container, path)
            stack.append(frame)
            if event.anchor:
                anchored.append((event.anchor, frame, self.count))
        if documents == 0 or (root is None and not self.positions.values):
            raise _Stop(
                Finding("Y009", Location(self.display), "file is empty", "write the file's content, or delete the file")
            )
        return ParsedYaml(root, self.positions)

    def scalar(self, event: Any) -> str | None:
        value: str = event.value
        tag = event.tag
        if tag == "tag:yaml.org,2002:null" or (tag is None and event.implicit[0] and value in _NULLS):
            return None
        return value

    def add_key(self, frame: _Frame, key: str | None, event: Any) -> None:
        container = frame.container
        assert isinstance(container, dict)
        if key is None:
            raise self.stop("Y004", event, "empty mapping key", "write a key such as 'name:' before the value")
        if key in container:
            first_line, _ = self.positions.keys[(*frame.path, key)]
            raise self.stop(
                "Y006",
                event,
                f"duplicate key '{key}' (first written on line {first_line})",
                "keep one of them; YAML would silently keep only the last",
            )
        frame.key = key
        self.positions.keys[(*frame.path, key)] = (event.start_mark.line + 1, event.start_mark.column + 1)

    def attach(self, frame: _Frame, value: Any) -> Path_:
        container = frame.container
        if isinstance(container, dict):
            key = frame.key
            assert key is not None
            container[key] = value
            frame.key = None
            return (*frame.path, key)
        container.append(value)
        return (*frame.path, len(container) - 1)

    def check_count(self, event: Any) -> None:
        if self.count > MAX_VALUES:
            raise self.stop(
                "Y008",
                event,
                f"file expands to more than {MAX_VALUES:,} values",
                "anchors and aliases must not multiply the data; write the values out",
            )
