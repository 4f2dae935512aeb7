"""Load one strategy file: read, parse, pick the model by ``kind:``, validate."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from stratmap.characters import INVISIBLE, describe
from stratmap.i18n import _
from stratmap.loading.placeholders import placeholder_findings
from stratmap.loading.positions import ParsedYaml, PositionIndex, parsed_from_entry, parsed_to_entry
from stratmap.loading.reading import decode_text
from stratmap.model import FILE_KINDS, StrategyFile
from stratmap.problems import Finding, FindingCap, Location

if TYPE_CHECKING:
    from stratmap.caching import Cache


@dataclass(frozen=True)
class LoadedFile:
    """A strategy file that parsed and validated, with its source positions."""

    path: Path
    """The file as shown to the user (relative to where stratmap runs, when it can be)."""
    model: StrategyFile
    positions: PositionIndex
    notes: tuple[Finding, ...] = ()
    """What the file holds that does not stop it loading (invisible marks in text)."""

    def location(self, *data_path: str | int) -> Location:
        """Where the value at ``data_path`` was written."""
        line, column = self.positions.of_value(data_path)
        return Location(self.path, line, column)


@dataclass(frozen=True)
class FailedFile:
    """A strategy file that could not be loaded, and why: a value, so the run goes on."""

    path: Path
    findings: list[Finding]
    kind: str | None = None
    notes: tuple[Finding, ...] = ()


def load_bytes(raw: bytes, display: Path, cache: Cache | None = None) -> LoadedFile | FailedFile:
    """Parse (or take from the cache, keyed by the bytes and this build) and validate a file's bytes."""
    text = decode_text(raw, display)
    if isinstance(text, Finding):
        return FailedFile(display, [text])
    notes = invisible_marks(text, display)
    key = cache.key_of(raw) if cache is not None else ""
    cached = cache.get("files", key) if cache is not None else None
    parsed = parsed_from_entry(cached) if cached is not None else None
    if parsed is None:
        from stratmap.loading.yaml_reader import parse_yaml  # only for files the cache does not hold

        outcome = parse_yaml(text, display)
        if isinstance(outcome, Finding):
            return FailedFile(display, [outcome], notes=notes)
        parsed = outcome
        entry = parsed_to_entry(parsed) if cache is not None else None
        if cache is not None and entry is not None:
            cache.put("files", key, entry)
    return replace(validate_data(parsed, display), notes=(*notes, *placeholder_findings(text, parsed, display)))


def invisible_marks(text: str, display: Path) -> tuple[Finding, ...]:
    """A warning (Y013) at each invisible or direction mark in the text, up to the cap per file."""
    if not INVISIBLE.search(text):
        return ()
    cap = FindingCap()
    found = []
    for match in INVISIBLE.finditer(text):
        if cap.admits(display, "Y013"):
            before = text[: match.start()]
            line, column = before.count("\n") + 1, match.start() - before.rfind("\n")
            message = _("invisible character {character} in the text").format(character=describe(match.group()))
            hint = _("delete it: it cannot be seen, yet two texts that look alike then differ")
            found.append(cap.keep(Finding("Y013", Location(display, line, column), message, hint)))
    return (*found, *cap.summaries())


def validate_data(parsed: ParsedYaml, display: Path) -> LoadedFile | FailedFile:
    """Validate parsed data against the model its ``kind:`` names."""
    data = parsed.data
    if not isinstance(data, dict):
        return FailedFile(
            display,
            [
                Finding(
                    "S001",
                    Location(display, *parsed.positions.of_value(())),
                    _("a strategy file must be a mapping of keys to values"),
                    _("start the file with 'kind: ...'"),
                )
            ],
        )
    kind = data.get("kind")
    model = FILE_KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        where = parsed.positions.of_value(("kind",)) if "kind" in data else parsed.positions.of_value(())
        said = (
            _("unknown kind '{kind}': cannot tell what this file is").format(kind=kind)
            if "kind" in data
            else _("missing key 'kind': cannot tell what this file is")
        )
        return FailedFile(
            display,
            [
                Finding(
                    "S001",
                    Location(display, *where),
                    said,
                    _("kinds: {kinds}").format(kinds=", ".join(FILE_KINDS)),
                )
            ],
        )
    try:
        instance = model.model_validate(data)
    except ValidationError as error:
        from stratmap.loading.schema_errors import findings_from_validation  # only for a file that fails

        return FailedFile(display, findings_from_validation(error, model, parsed.positions, display, data), kind)
    assert isinstance(instance, StrategyFile)
    return LoadedFile(display, instance, parsed.positions)
