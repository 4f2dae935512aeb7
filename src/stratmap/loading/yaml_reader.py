"""Read one YAML file safely into plain data and source positions.

The file is parsed as an event stream (libyaml when available) and built here
without recursion, so that every guard is ours: only the standard YAML tags,
no duplicate keys, bounded nesting and bounded alias expansion, one document.
Scalars stay strings (``2.10`` is never ``2.1``); the models convert them.
Nothing here raises for bad input: a failure comes back as a ``Finding``.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from stratmap.i18n import _
from stratmap.loading.positions import ParsedYaml, PositionIndex, Positions
from stratmap.loading.slips import Slip, find_slips, might_slip, repaired, slip_hint, slip_message
from stratmap.loading.yaml_problems import syntax_hint, syntax_message
from stratmap.problems import Finding, Location

try:  # libyaml, bundled with PyYAML's wheels
    from yaml._yaml import CParser as _Parser

    _READER_OFFSETS_IN_BYTES = True  # libyaml reports reader errors at a UTF-8 byte offset
except ImportError:  # pragma: no cover - pure-Python fallback with the same events
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

    _READER_OFFSETS_IN_BYTES = False

MAX_DEPTH = 64
MAX_VALUES = 200_000
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_SCALAR_TAGS = frozenset({"tag:yaml.org,2002:str", "!"})
_COLLECTION_TAGS = {"MappingStartEvent": "tag:yaml.org,2002:map", "SequenceStartEvent": "tag:yaml.org,2002:seq"}
_STARTS = frozenset({MappingStartEvent, SequenceStartEvent})
_ENDS = frozenset({MappingEndEvent, SequenceEndEvent})
_EXTRA_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters YAML counts as line breaks but editors do not; where present, positions are recounted."""
_LONE_CR = re.compile("\r(?!\n)")
"""A carriage return not followed by a newline: YAML counts it as a line break, editors (and GitHub) do not."""


class _Stop(Exception):
    """Abort the build with a finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


_NOT_YAML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters YAML does not allow in a file; libyaml would stop silently at a NUL."""
_NOT_IN_VALUES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters (written as escapes such as "\\e") and bidirectional overrides, which can hide
or reorder text on screen; none belongs in a strategy file's values. Tabs and newlines do."""
_MAY_HIDE = re.compile("[\\\\\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Where a file holds none of these (nor a backslash, which starts an escape), no value can hold one of
``_NOT_IN_VALUES``, and the values need not be searched one by one."""


def parse_yaml(text: str, display: Path) -> ParsedYaml | Finding:
    """Parse YAML text into plain data with positions, or return the first problem."""
    forbidden = _NOT_YAML_TEXT.search(text)
    if forbidden:
        line, column = _LineTable(text).position(forbidden.start())
        return Finding(
            "Y012",
            Location(display, line, column),
            _("control character {character} is not allowed in YAML").format(
                character=f"U+{ord(forbidden.group()):04X}"
            ),
            _("remove it; write the text as plain characters"),
        )
    recount = any(ch in text for ch in _EXTRA_LINE_BREAKS) or ("\r" in text and _LONE_CR.search(text) is not None)
    lines = _LineTable(text) if recount else None
    try:
        parsed = _Builder(text, display, lines).build()
        return _silent_slip(text, parsed, display) or parsed
    except _Stop as stop:
        return stop.finding
    except yaml.MarkedYAMLError as error:
        return _syntax_finding(error, text, display, lines)
    except yaml.YAMLError as error:  # reader errors: control characters and the like
        offset = getattr(error, "position", None)
        if isinstance(offset, int) and _READER_OFFSETS_IN_BYTES:
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        line, column = _LineTable(text).position(offset) if isinstance(offset, int) else (1, 1)
        reason = getattr(error, "reason", "") or str(error)
        return Finding(
            "Y004", Location(display, line, column), syntax_message(None, reason), _("remove the control character")
        )


class _LineTable:
    """Line and column of a character index, counting only newlines as editors do."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def position(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


def _mark_position(mark: Any, lines: _LineTable | None) -> tuple[int, int]:
    if lines is not None:
        return lines.position(mark.index)
    return mark.line + 1, mark.column + 1


def _syntax_finding(error: yaml.MarkedYAMLError, text: str, display: Path, lines: _LineTable | None) -> Finding:
    mark = error.problem_mark or error.context_mark
    line, column = _mark_position(mark, lines) if mark else (1, 1)
    source_lines = text.split("\n")
    if line > len(source_lines):  # the end of a file with no final newline: libyaml counts one more line
        line, column = len(source_lines), len(source_lines[-1]) + 1
    where = Location(display, line, column)
    source_line = source_lines[line - 1] if 0 < line <= len(source_lines) else ""
    indentation = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    if "\t" in indentation and column <= len(indentation) + 1:
        return Finding(
            "Y005",
            where,
            _("tab character in indentation"),
            _("YAML indents with spaces only; replace the tab with spaces"),
        )
    if error.problem and "maximum nesting depth" in error.problem:
        return Finding(
            "Y011",
            where,
            _("values are nested more than {depth} levels deep").format(depth=MAX_DEPTH),
            _("strategy files need only a few levels; flatten the structure"),
        )
    slip = _blamed_slip(text, error) if might_slip(text) else None
    if slip is not None:
        return _slip_finding(slip, text, display)
    context = _mark_position(error.context_mark, lines)[0] if error.context_mark else line
    return Finding(
        "Y004", where, syntax_message(error.context, error.problem), syntax_hint(error.problem or "", context)
    )


_MOST_TRIED = 8
"""Slips tried one by one when a parse fails: each try parses the file again."""


def _blamed_slip(text: str, error: yaml.MarkedYAMLError) -> Slip | None:
    """The slip on or before the failing line whose repair lets the parse get further, if any."""
    mark = error.problem_mark or error.context_mark
    failed_at = mark.index if mark else 0
    line_end = text.find("\n", failed_at)
    slips = [s for s in find_slips(text) if line_end < 0 or s.index <= line_end]
    for slip in reversed(slips[-_MOST_TRIED:]):
        if _gets_further(*repaired(text, [slip]), failed_at):
            return slip
        if slip.kind == "space" and _gets_further(*repaired(text, [slip], wide=True), failed_at):
            return slip
    if len(slips) > 1 and _gets_further(*repaired(text, slips), failed_at):
        return slips[0]
    return None


def _gets_further(text: str, inserted: int, failed_at: int) -> bool:
    """Whether ``text`` parses, or fails later than ``failed_at`` (``inserted`` characters were added)."""
    parser: Any = _Parser(text)
    try:
        while parser.get_event().__class__ is not StreamEndEvent:
            pass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return mark is not None and mark.index - inserted > failed_at
    except yaml.YAMLError:
        return False
    return True


def _silent_slip(text: str, parsed: ParsedYaml, display: Path) -> Finding | None:
    """A slip the parse took for text where a YAML token begins: it parsed, meaning something else."""
    if not might_slip(text):
        return None
    slips = [s for s in find_slips(text) if s.start is not None]
    if not slips:
        return None
    starts = {*parsed.positions.values.values(), *parsed.positions.keys.values()}
    for slip in slips:
        assert slip.start is not None
        if _position(text, slip.start) in starts:
            return _slip_finding(slip, text, display)
    return None


def _slip_finding(slip: Slip, text: str, display: Path) -> Finding:
    return Finding("Y004", Location(display, *_position(text, slip.index)), slip_message(slip), slip_hint(slip))


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column of a character index, as editors count them."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


class _Frame:
    """A mapping or list being built, with the shadow that holds its positions."""

    __slots__ = ("container", "mapping", "items", "key_at", "key")

    def __init__(self, container: dict[str, Any] | list[Any], shadow: Positions) -> None:
        self.container = container
        self.mapping = shadow.keys is not None
        self.items: Any = shadow.items
        self.key_at: Any = shadow.keys
        self.key: str | None = None


class _Builder:
    def __init__(self, text: str, display: Path, lines: _LineTable | None) -> None:
        self.parser: Any = _Parser(text)
        self.display = display
        self.lines = lines
        self.clean = _MAY_HIDE.search(text) is None
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.count = 0
        self.documents = 0
        self.stack: list[_Frame] = []
        self.anchored: list[tuple[str, _Frame, int]] = []  # anchor, frame, count at start
        self.root: Any = None
        self.root_shadow: Positions | None = None

    def at(self, event: Any) -> tuple[int, int]:
        """1-based line and column where the event starts."""
        return _mark_position(event.start_mark, self.lines)

    def stop(self, rule: str, event: Any, message: str, hint: str = "") -> _Stop:
        return _Stop(Finding(rule, Location(self.display, *self.at(event)), message, hint))

    def build(self) -> ParsedYaml:
        get_event = self.parser.get_event
        lines, clean, stack, anchored = self.lines, self.clean, self.stack, self.anchored
        frame: _Frame | None = None
        count = 0
        while True:
            event: Any = get_event()
            # Fast paths for the common cases, a plain or quoted scalar, a mapping or a list inside a mapping
            # or list, with no tag or anchor, and the end of one; anything unusual goes to ``other``, which
            # checks it fully.
            if event.__class__ is ScalarEvent and frame is not None and event.tag is None and not event.anchor:
                text: str = event.value
                if not (event.implicit[0] and text in _NULLS) and (clean or not _NOT_IN_VALUES.search(text)):
                    mark: Any = event.start_mark
                    at = (mark.line + 1, mark.column + 1) if lines is None else lines.position(mark.index)
                    box: Any = frame.container
                    if frame.mapping:
                        key = frame.key
                        if key is None:
                            if text not in box:
                                frame.key = text
                                frame.key_at[text] = at
                                continue
                        else:
                            box[key] = text
                            frame.key = None
                            frame.items[key] = at
                            count += 1
                            if count > MAX_VALUES:
                                self.count = count
                                self.check_count(event)
                            continue
                    else:
                        frame.items.append(at)
                        box.append(text)
                        count += 1
                        if count > MAX_VALUES:
                            self.count = count
                            self.check_count(event)
                        continue
            elif event.__class__ in _ENDS and len(stack) > 1 and not anchored:
                stack.pop()
                frame = stack[-1]
                continue
            elif (
                event.__class__ in _STARTS
                and frame is not None
                and event.tag is None
                and not event.anchor
                and (frame.key is not None or not frame.mapping)
                and len(stack) < MAX_DEPTH
            ):
                count += 1
                if count > MAX_VALUES:
                    self.count = count
                    self.check_count(event)
                mapping = event.__class__ is MappingStartEvent
                mark = event.start_mark
                at = (mark.line + 1, mark.column + 1) if lines is None else lines.position(mark.index)
                shadow = Positions(at, mapping)
                container: Any = {} if mapping else []
                box = frame.container
                if frame.mapping:
                    key = frame.key
                    box[key] = container
                    frame.key = None
                    frame.items[key] = shadow
                else:
                    box.append(container)
                    frame.items.append(shadow)
                frame = _Frame(container, shadow)
                stack.append(frame)
                continue
            self.count = count
            if self.other(event):
                break
            count = self.count
            frame = stack[-1] if stack else None
        if self.documents == 0 or (self.root is None and self.root_shadow is None):
            raise _Stop(
                Finding(
                    "Y009",
                    Location(self.display),
                    _("file is empty"),
                    _("write the file's content, or delete the file"),
                )
            )
        return ParsedYaml(self.root, PositionIndex(self.root_shadow))

    def other(self, event: Any) -> bool:
        """Take any event but a plain value: check it fully; whether the stream ended."""
        kind = type(event).__name__
        if kind == "StreamEndEvent":
            return True
        if kind == "DocumentStartEvent":
            self.documents += 1
            if self.documents > 1:
                raise self.stop(
                    "Y010",
                    event,
                    _("more than one YAML document in the file"),
                    _("remove the '---' line; put each document in its own file"),
                )
            return False
        if kind in ("StreamStartEvent", "DocumentEndEvent"):
            return False
        stack = self.stack
        if kind in ("MappingEndEvent", "SequenceEndEvent"):
            done = stack.pop()
            anchored = self.anchored
            if anchored and anchored[-1][1] is done:
                anchor, _frame, start = anchored.pop()
                self.anchors[anchor] = (done.container, self.count - start)
            if not stack:
                self.root = done.container
            return False

        parent = stack[-1] if stack else None
        awaiting_key = parent is not None and parent.mapping and parent.key is None
        tag = getattr(event, "tag", None)
        allowed_tags = _SCALAR_TAGS if kind == "ScalarEvent" else (_COLLECTION_TAGS.get(kind),)
        if tag is not None and tag not in allowed_tags:
            raise self.stop(
                "Y007",
                event,
                _("tag '{tag}' is not allowed").format(tag=tag),
                _("strategy files use plain YAML values only; remove the tag"),
            )
        if kind == "ScalarEvent":
            value = self.scalar(event)
            if awaiting_key:
                assert parent is not None
                self.add_key(parent, value, event)
                return False
            self.count += 1
            self.check_count(event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            if parent is None:
                self.root = value
            else:
                self.attach(parent, value, self.at(event))
            return False
        if awaiting_key:
            raise self.stop(
                "Y004",
                event,
                _("a mapping key must be plain text"),
                _("write keys as simple words such as 'name:'"),
            )
        if kind == "AliasEvent":
            if event.anchor not in self.anchors:
                raise self.stop(
                    "Y004",
                    event,
                    _("alias '*{anchor}' names no anchor defined before it").format(anchor=event.anchor),
                    _("define the anchor '&{anchor}' before the alias, or write the value out").format(
                        anchor=event.anchor
                    ),
                )
            value, size = self.anchors[event.anchor]
            self.count += size
            self.check_count(event)
            assert parent is not None  # a document cannot be only an alias of itself
            self.attach(parent, value, self.at(event))  # no shadow: its insides were written elsewhere
            return False
        # MappingStartEvent / SequenceStartEvent
        self.count += 1
        self.check_count(event)
        if len(stack) >= MAX_DEPTH:
            raise self.stop(
                "Y011",
                event,
                _("values are nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                _("strategy files need only a few levels; flatten the structure"),
            )
        mapping = kind == "MappingStartEvent"
        container: dict[str, Any] | list[Any] = {} if mapping else []
        shadow = Positions(self.at(event), mapping)
        if parent is not None:
            self.attach(parent, container, shadow)
        else:
            self.root_shadow = shadow
        frame = _Frame(container, shadow)
        stack.append(frame)
        if event.anchor:
            self.anchored.append((event.anchor, frame, self.count))
        return False

    def scalar(self, event: Any) -> str | None:
        value: str = event.value
        if event.tag is None and event.implicit[0] and value in _NULLS:
            return None
        hidden = _NOT_IN_VALUES.search(value)
        if hidden:
            raise self.stop(
                "Y012",
                event,
                _("control character {character} in a value").format(character=f"U+{ord(hidden.group()):04X}"),
                _("remove it: it can hide or reorder text on screen"),
            )
        return value

    def add_key(self, frame: _Frame, key: str | None, event: Any) -> None:
        container = frame.container
        assert isinstance(container, dict)
        if key is None:
            raise self.stop("Y004", event, _("empty mapping key"), _("write a key such as 'name:' before the value"))
        if key in container:
            first_line, _column = frame.key_at[key]
            raise self.stop(
                "Y006",
                event,
                _("duplicate key '{key}' (first written on line {line})").format(key=key, line=first_line),
                _("keep one of them; YAML would silently keep only the last"),
            )
        frame.key = key
        frame.key_at[key] = self.at(event)

    def attach(self, frame: _Frame, value: Any, at: tuple[int, int] | Positions) -> None:
        """Put ``value`` in the container being built, with where it was written (its shadow, if it is a
        mapping or list written there)."""
        container = frame.container
        if isinstance(container, dict):
            key = frame.key
            assert key is not None
            container[key] = value
            frame.key = None
            frame.items[key] = at
        else:
            container.append(value)
            frame.items.append(at)

    def check_count(self, event: Any) -> None:
        """Stop past ``MAX_VALUES``, counting every value an alias repeats: a strategy file holds a few
        thousand, so more is an attack ("billion laughs") or a file that is not a strategy file."""
        if self.count > MAX_VALUES:
            if self.anchors:
                message = _("file expands to more than {count} values: anchors and aliases must not multiply the data")
                hint = _("write the values out")
            else:
                message = _("file expands to more than {count} values: a strategy file holds far fewer")
                hint = _("split it, one file per theme")
            raise self.stop("Y008", event, message.format(count=f"{MAX_VALUES:,}"), hint)
