"""Edit a measures file with ruamel.yaml's round-trip mode: only the values recorded change.

ruamel.yaml keeps comments, key order and quoting, but re-emits every line: spaces that align values
(``110Q1:  5``) would be closed up. So the dumped text is lined up against the original, and every line
that holds no value being recorded is taken back byte for byte from the original. A file whose layout
cannot be kept that way (a line that would change though no value on it is recorded) is refused, with
the line, and nothing is written: :class:`LayoutError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.tokens import CommentToken

from stratmap.editing.roundtrip import (
    Document,
    LayoutError,
    block_lines,
    dump,
    keep_untouched,
    load_document,
    round_trip_yaml,
    split_document,
)
from stratmap.i18n import _
from stratmap.model.periods import Period

__all__ = ["Entry", "LayoutError", "edited_text", "new_measures_text"]


@dataclass(frozen=True)
class Entry:
    """A value to write for a KPI and period; ``note`` None keeps the note already written, if any."""

    kpi: str
    period: Period
    value: Decimal | str
    note: str | None


class _Number(str):
    """A number's text, written as a plain YAML scalar exactly so (``12.50`` stays ``12.50``)."""


class _Representer(RoundTripRepresenter):
    """The round-trip representer, which also writes :class:`_Number`."""

    def represent_number(self, data: _Number) -> Any:
        """A plain scalar tagged as YAML would read it, so that it is written without quotes."""
        tag = "tag:yaml.org,2002:float" if "." in data else "tag:yaml.org,2002:int"
        return self.represent_scalar(tag, str(data))


_Representer.add_representer(_Number, _Representer.represent_number)


def new_measures_text(modeline: str) -> str:
    """The text a new measures file starts from: its schema modeline and ``kind: measures``."""
    return f"{modeline}\nkind: measures\nmeasures:\n"


def edited_text(original: str, entries: Sequence[Entry], display: Path) -> str:
    """``original`` (a measures file's text) with ``entries`` written in: KPIs and periods new to the file
    appended (in the order given, periods in period order), values replaced. Raises :class:`LayoutError`.

    A BOM, CRLF line ends, an explicit ``---`` (and what stands before it) and ``...`` are kept."""
    document = split_document(original, display)
    edited = _Edit(document)
    edited.put(entries)
    return document.with_body(edited.text())


class _Edit:
    """One measures document loaded in round-trip mode, the edits made to it, and the lines they touch."""

    def __init__(self, document: Document) -> None:
        self.display = document.display
        self.lines = document.lines
        yaml = round_trip_yaml()
        yaml.Representer = _Representer
        self.yaml, self.data = load_document(document, yaml)
        self.touched: set[int] = set()
        """0-based lines of ``body`` that the edits may rewrite."""

    def put(self, entries: Sequence[Entry]) -> None:
        """Write the values: KPIs new to the file appended whole, then new periods and replaced values."""
        measures = self._block_map(self.data, "measures", [])
        path = [(self.data, "measures")]
        by_kpi: dict[str, list[Entry]] = {}
        for entry in entries:
            by_kpi.setdefault(entry.kpi, []).append(entry)
        for kpi, kpi_entries in by_kpi.items():
            kpi_key = _key_of(measures, kpi)
            if kpi_key is None:
                periods = CommentedMap()
                for entry in sorted(kpi_entries, key=lambda e: e.period):
                    periods[_period_key(entry.period)] = _measurement(entry.value, entry.note)
                self._append(measures, kpi, periods, path)
                continue
            periods = self._block_map(measures, kpi_key, path)
            for entry in sorted(kpi_entries, key=lambda e: e.period):
                self._put_period(periods, entry, [*path, (measures, kpi_key)])

    def _put_period(self, periods: CommentedMap, entry: Entry, path: list[tuple[CommentedMap, Any]]) -> None:
        """A new period, appended after the periods already there; or a value replaced."""
        period_key = _key_of(periods, str(entry.period))
        if period_key is None:
            self._append(periods, _period_key(entry.period), _measurement(entry.value, entry.note), path)
            return
        old = periods[period_key]
        if isinstance(old, CommentedMap) and "value" in old:  # {value: v, note: text}: keep its style
            self.touched |= self._touched_by([*path, (periods, period_key), (old, "value")])
            old["value"] = _scalar(entry.value)
            if entry.note is not None:
                if "note" in old:
                    self.touched |= self._touched_by([*path, (periods, period_key), (old, "note")])
                    old["note"] = entry.note
                else:
                    self._append(old, "note", entry.note, [*path, (periods, period_key)])
            return
        self.touched |= self._touched_by([*path, (periods, period_key)])
        periods[period_key] = _measurement(entry.value, entry.note)

    def text(self) -> str:
        """The edited document, every line that holds no recorded value as it was."""
        action = _("stratmap record cannot add the values")
        return "".join(keep_untouched(self.lines, dump(self.yaml, self.data), self.touched, self.display, action))

    def _block_map(self, parent: CommentedMap, key: str, path: list[tuple[CommentedMap, Any]]) -> CommentedMap:
        """The mapping under ``key``: made (in block style) where it is missing, empty or null."""
        value = parent.get(key)
        if isinstance(value, CommentedMap) and value:
            return value
        if value is not None and not isinstance(value, CommentedMap):
            raise LayoutError(_("{file}: '{key}' is not a mapping").format(file=self.display, key=key))
        if key in parent:  # null or {}: the key's line changes
            self.touched |= self._touched_by([*path, (parent, key)])
            fresh = value if isinstance(value, CommentedMap) else CommentedMap()
            fresh.fa.set_block_style()
            parent[key] = fresh
            return fresh
        fresh = CommentedMap()
        self._append(parent, key, fresh, path)
        return fresh

    def _append(self, parent: CommentedMap, key: Any, value: Any, path: list[tuple[CommentedMap, Any]]) -> None:
        """Add ``key`` at the end of ``parent``. The comment lines after the old last entry (a comment
        between entries, a trailing comment) stay after the new one rather than above it."""
        self.touched |= self._touched_by([*path, (parent, None)])
        holder = _tail(parent)
        moved = ""
        if holder is not None:
            token = _post_comment(*holder)
            if token is not None:
                head, newline, moved = token.value.partition("\n")
                token.value = head + newline
        parent[key] = value
        if moved:
            tail = _tail(parent)
            assert tail is not None  # parent is a block mapping, now not empty
            token = _post_comment(*tail)
            if token is None:
                tail[0].ca.items.setdefault(tail[1], [None, None, None, None])[2] = CommentToken(
                    "\n" + moved, CommentMark(0), None
                )
            else:
                token.value += moved

    def _touched_by(self, path: list[tuple[CommentedMap, Any]]) -> set[int]:
        """The original lines an edit at the end of ``path`` rewrites: none for an entry added to a block
        mapping; the entry's lines for a value replaced; the whole block entry holding a flow mapping
        (``BP2.1: {110Q1: 3}``) edited anywhere inside."""
        for depth, (mapping, _key) in enumerate(path):
            if mapping.fa.flow_style():
                if depth == 0:
                    return set(range(len(self.lines)))
                return self._span(*path[depth - 1])
        mapping, key = path[-1]
        return self._span(mapping, key) if key is not None else set()

    def _span(self, mapping: CommentedMap, key: Any) -> set[int]:
        return block_lines(self.lines, mapping, key)


def _key_of(mapping: CommentedMap, text: str) -> Any:
    """The key of ``mapping`` written as ``text`` (``110`` is read as a number, ``"BP2.1"`` quoted), or None."""
    return next((key for key in mapping if str(key) == text), None)


def _period_key(period: Period) -> Any:
    """A year as a number key, so that it is written plain (``110:``), not quoted (``'110':``)."""
    text = str(period)
    return int(text) if text.isdigit() else text


def _scalar(value: Decimal | str) -> str:
    """A number exactly as written, plain; a stage as text (quoted only when YAML needs it)."""
    return _Number(format(value, "f")) if isinstance(value, Decimal) else value


def _measurement(value: Decimal | str, note: str | None) -> Any:
    """The bare value, or ``{value: v, note: text}``."""
    if note is None:
        return _scalar(value)
    measurement = CommentedMap()
    measurement["value"] = _scalar(value)
    measurement["note"] = note
    measurement.fa.set_flow_style()
    return measurement


def _tail(mapping: CommentedMap) -> tuple[CommentedMap, Any] | None:
    """The last entry of a block mapping, followed into block mappings nested in it: where ruamel.yaml
    keeps the comment lines that come after the mapping."""
    if not mapping or mapping.fa.flow_style():
        return None
    key = next(reversed(mapping))
    value = mapping[key]
    if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
        return _tail(value)
    return mapping, key


def _post_comment(mapping: CommentedMap, key: Any) -> CommentToken | None:
    """The comment ruamel.yaml keeps after an entry: the rest of its line, then any comment lines."""
    item = mapping.ca.items.get(key)
    token = item[2] if item and len(item) > 2 else None
    return token if isinstance(token, CommentToken) else None
