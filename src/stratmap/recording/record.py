"""Record a CSV's values into the measures files: every row checked, every new text prepared and verified,
shown as a diff, then written all together or not at all."""

from __future__ import annotations

import difflib
import posixpath
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from stratmap.i18n import _, ngettext
from stratmap.linking.graph import Department, Measure, NodeKind, PlanGraph
from stratmap.model.periods import Period
from stratmap.recording.csv_rows import RowError, Value, check_rows, read_rows

MAX_CSV_BYTES = 8 * 1024 * 1024
MEASURES_FILE = "measures.yaml"


class RecordError(Exception):
    """The CSV cannot be read, or a measures file cannot be edited safely: exit status 2."""


class RecordingBug(RuntimeError):
    """A prepared measures file does not read back as intended: a bug in stratmap, nothing is written."""


@dataclass(frozen=True)
class Change:
    """A value to record, and the value it replaces (None when the period has none yet)."""

    value: Value
    old: Measure | None


@dataclass
class FileEdit:
    """A measures file's new text; ``old_raw`` is None for a file to create."""

    path: Path
    """As the user sees it (relative to the current folder when it lies below it)."""
    old_raw: bytes | None
    new_text: str
    changes: list[Change] = field(default_factory=list)

    def diff(self) -> str:
        """A unified diff, as git shows it: ``--- a/path``, ``+++ b/path`` (``/dev/null`` for a new file)."""
        shown = self.path.as_posix()
        old_text = "" if self.old_raw is None else self.old_raw.decode("utf-8")
        lines = difflib.unified_diff(
            old_text.splitlines(keepends=True),
            self.new_text.splitlines(keepends=True),
            "/dev/null" if self.old_raw is None else _side("a", shown),
            _side("b", shown),
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


@dataclass
class Recording:
    """Every file that would change, and how many values were already recorded as given."""

    files: list[FileEdit]
    unchanged: int

    @property
    def values(self) -> int:
        """Values new or replaced."""
        return sum(len(edit.changes) for edit in self.files)

    @property
    def replaced(self) -> int:
        """Values that replace another."""
        return sum(1 for edit in self.files for change in edit.changes if change.old is not None)


def read_csv(path: Path) -> bytes:
    """The CSV's bytes; a missing, unreadable, special or oversized file is a :class:`RecordError`."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise RecordError(_("{path}: not a regular file; name a CSV file").format(path=path))
        if info.st_size > MAX_CSV_BYTES:
            size = f"{info.st_size / 1048576:.1f}"
            raise RecordError(_("{path}: {size} MiB, larger than the 8 MiB a CSV may be").format(path=path, size=size))
        return path.read_bytes()
    except FileNotFoundError:
        raise RecordError(_("{path}: no such file").format(path=path)) from None
    except OSError as error:
        raise RecordError(_cannot_read(path, error)) from None


def prepare(graph: PlanGraph, raw: bytes, display: Path) -> Recording | list[RowError]:
    """What recording the CSV ``raw`` would change, or every error of its rows (then nothing may be written).

    Raises :class:`RecordError` when a measures file cannot be edited without changing more than its values.
    """
    assert graph.year is not None, "a plan that validates has its year"
    rows, shape_errors = read_rows(raw, display)
    values, errors = check_rows(rows, graph, graph.year, display)
    if shape_errors or errors:
        return sorted([*shape_errors, *errors], key=lambda error: error.line)
    order = {(node.code.namespace, node.code.code): i for i, node in enumerate(graph.of_kind(NodeKind.KPI))}
    values.sort(key=lambda v: (order[(v.department, v.kpi)], v.period))
    files: list[FileEdit] = []
    unchanged = 0
    for department in graph.departments.values():
        changes = []
        for value in (v for v in values if v.department == department.id):
            old = _recorded(department, value.kpi, value.period)
            if old is not None and _same(old, value):
                unchanged += 1
            else:
                changes.append(Change(value, old))
        if changes:
            files.append(_edit(graph, department, changes))
    return Recording(files, unchanged)


def write_recording(recording: Recording) -> list[Path]:
    """Write every file or none (see :func:`stratmap.files.write_all_or_none`)."""
    from stratmap.files import write_all_or_none

    write_all_or_none({edit.path: edit.new_text.encode("utf-8") for edit in recording.files})
    return [edit.path for edit in recording.files]


def write_errors(errors: list[RowError], display: Path, out: TextIO) -> None:
    """Each error on its line (``values.csv:7: ...``, a hint below it), then what it means."""
    for error in errors:
        out.write(f"{error}\n")
        if error.hint:
            out.write("  " + _("help: {hint}").format(hint=error.hint) + "\n")
    bad = len({error.line for error in errors})
    count = ngettext("{count} error", "{count} errors", len(errors)).format(count=len(errors))
    lines = ngettext("{count} line", "{count} lines", bad).format(count=bad)
    message = _("{errors} on {lines} of {file}; nothing was written")
    out.write("stratmap: " + message.format(errors=count, lines=lines, file=display.as_posix()) + "\n")


def write_changes(recording: Recording, display: Path, out: TextIO) -> None:
    """One line per value that replaces another: ``changed doed:BP2.1 110Q1: 10 → 12 (values.csv:3)``."""
    for edit in recording.files:
        for change in edit.changes:
            if change.old is not None:
                where = f"{display.as_posix()}:{change.value.line}"
                out.write(_("changed {change} ({where})").format(change=_replacement(change), where=where) + "\n")


def summary(recording: Recording, wrote: bool) -> str:
    """``would record 12 values in 1 file (1 changed; 2 already recorded)``, or what was recorded."""
    count = recording.values
    files = len(recording.files)
    details = [_("{count} changed").format(count=recording.replaced)] if recording.replaced else []
    if recording.unchanged:
        details.append(_("{count} already recorded").format(count=recording.unchanged))
    detail = _(" ({details})").format(details=_("; ").join(details)) if details else ""
    values = ngettext("{count} value", "{count} values", count).format(count=count)
    in_files = ngettext("{count} file", "{count} files", files).format(count=files)
    if wrote:
        return _("recorded {values} in {files}").format(values=values, files=in_files) + detail
    return _("would record {values} in {files}").format(values=values, files=in_files) + detail


def nothing_to_record(recording: Recording, display: Path) -> str:
    """Why nothing would change: the CSV has no values, or every one is recorded already."""
    shown = display.as_posix()
    if not recording.unchanged:
        return _("nothing to record: {file} has a header and no values").format(file=shown)
    message = _("nothing to record: every value of {file} ({count}) is recorded already")
    return message.format(file=shown, count=recording.unchanged)


def _cannot_read(path: Path, error: OSError) -> str:
    return _("{path}: cannot read it: {reason}").format(path=path, reason=error.strerror or error)


def _side(prefix: str, shown: str) -> str:
    return shown if posixpath.isabs(shown) else f"{prefix}/{shown}"


def _recorded(department: Department, kpi: str, period: Period) -> Measure | None:
    return next((m for m in department.measures.get(kpi, []) if m.period == period), None)


def _same(old: Measure, value: Value) -> bool:
    """The same value (``12.5`` is ``12.50``), and the same note unless the row gives none."""
    same_kind = isinstance(old.value, Decimal) == isinstance(value.value, Decimal)
    return same_kind and old.value == value.value and (value.note is None or value.note == old.note)


def _replacement(change: Change) -> str:
    """``doed:BP2.1 110Q1: 10 → 12``, with the note when it changes too."""
    assert change.old is not None
    value = change.value
    text = f"{value.label}: {_shown(change.old.value)} → {_shown(value.value)}"
    if value.note is not None and value.note != change.old.note:
        text += _("; note: {old} → {new}").format(old=change.old.note or _("(none)"), new=value.note)
    return text


def _shown(value: Decimal | str) -> str:
    return format(value, "f") if isinstance(value, Decimal) else value


def _edit(graph: PlanGraph, department: Department, changes: list[Change]) -> FileEdit:
    """The department's measures file with the changes written in (a new file beside department.yaml when it
    has none), checked to read back as exactly the old values plus the changes."""
    from stratmap.recording.measures_writer import Entry, LayoutError, edited_text, new_measures_text

    old_raw: bytes | None = None
    if department.measures_file is not None:
        path = department.measures_file.path
        try:
            old_raw = path.read_bytes()
            original = old_raw.decode("utf-8")
        except OSError as error:
            raise RecordError(_cannot_read(path, error)) from None
        except UnicodeDecodeError:
            message = _("{path}: changed since the plan was checked; run stratmap record again")
            raise RecordError(message.format(path=path)) from None
    else:
        path = department.file.path.parent / MEASURES_FILE
        if path.exists() or path.is_symlink():
            message = _("{path} exists and is not a measures file; rename it, so that the measures file can be created")
            raise RecordError(message.format(path=path))
        original = new_measures_text(_modeline(department.file.path, graph.root))
    entries = [Entry(c.value.kpi, c.value.period, c.value.value, c.value.note) for c in changes]
    try:
        new_text = edited_text(original, entries, path)
    except LayoutError as error:
        raise RecordError(str(error)) from None
    _verify(new_text, path, department, changes)
    return FileEdit(path, old_raw, new_text, changes)


def _verify(new_text: str, path: Path, department: Department, changes: list[Change]) -> None:
    """The new text must load as a measures file holding the old values and the changes, nothing else."""
    from stratmap.linking.linker import measures_of_file
    from stratmap.loading.loader import LoadedFile, load_bytes
    from stratmap.model.measures import MeasuresFile

    loaded = load_bytes(new_text.encode("utf-8"), path)
    if not isinstance(loaded, LoadedFile) or not isinstance(loaded.model, MeasuresFile):
        reasons = "; ".join(f.message for f in getattr(loaded, "findings", []))
        message = _("{path}: the new text does not load as a measures file: {reasons}")
        raise RecordingBug(message.format(path=path, reasons=reasons))
    want = {(m.kpi_code, m.period): (m.value, m.note) for ms in department.measures.values() for m in ms}
    for change in changes:
        value = change.value
        note = value.note if value.note is not None else change.old.note if change.old is not None else None
        want[(value.kpi, value.period)] = (value.value, note)
    got = {(m.kpi_code, m.period): (m.value, m.note) for ms in measures_of_file(loaded).values() for m in ms}
    old_model = department.measures_file.model if department.measures_file is not None else None
    old_note = old_model.note if isinstance(old_model, MeasuresFile) else None
    if got != want or loaded.model.note != old_note:
        wrong = sorted(str(key) for key in set(got) ^ set(want) | {k for k in got if k in want and got[k] != want[k]})
        message = _("{path}: the new text does not read back as intended: {keys}")
        raise RecordingBug(message.format(path=path, keys=", ".join(wrong)))


def _modeline(department_file: Path, plan_root: Path) -> str:
    """The schema modeline of a new measures file: the department file's, pointing at the measures schema
    beside the department schema; else the repository's ``schemas/`` folder, relative to the file."""
    from stratmap.editing.roundtrip import MODELINE, MODELINE_START, SCHEMAS_FOLDER, find_schemas, schema_line
    from stratmap.loading.discovery import repository_of
    from stratmap.model import SCHEMA_NAMES

    try:
        first = department_file.read_text(encoding="utf-8-sig").partition("\n")[0]
    except (OSError, UnicodeDecodeError):
        first = ""
    match = MODELINE.match(first)
    if match and match[2]:
        return MODELINE_START + posixpath.join(posixpath.dirname(match[2]), SCHEMA_NAMES["measures"])
    schemas = find_schemas(plan_root, "measures", fallback=repository_of(plan_root) / SCHEMAS_FOLDER)
    assert schemas is not None
    return schema_line(department_file.parent, schemas, "measures")
