"""``stratmap init YEAR --from OLD``: the next year's plan as a copy of this year's.

Every strategy file of the old plan is carried over with its comments, key order and quoting, through
ruamel.yaml's round-trip mode; only these lines change:

- ``plan.yaml``: the year (and a ``民國110年 = 2021`` comment on its line, to the new year);
- each department KPI: the target set for the new year in ``targets:`` becomes its ``target:``; the old
  year's ``target`` and the targets of years up to the new one are dropped (they were the old plan's);
- a comment under the schema line saying where the file came from.

Measures files (actual values) stay behind: a new year starts with none. Non-YAML files (an ERRATA.md
about the old year's source) are not copied.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from stratmap.editing.roundtrip import (
    MODELINE,
    LayoutError,
    block_lines,
    dump,
    keep_untouched,
    load_document,
    split_document,
)
from stratmap.i18n import _
from stratmap.loading.discovery import PlanFolder, shown_path, year_of

ROC_OFFSET = 1911
"""民國 year + 1911 = Gregorian year."""


class NewYearError(Exception):
    """A new year init will not make (exit status 2); nothing is written."""


def next_year_files(source: PlanFolder, target: Path, cwd: Path) -> dict[Path, str]:
    """The new plan year ``target`` (named after its year) as a copy of ``source``, by path."""
    new_year = year_of(target.resolve().name)
    old_year = year_of(source.name)
    if new_year is None or old_year is None:
        raise NewYearError(
            _("{folder}: name a new plan folder after its year (民國 1-999), e.g. data/111").format(folder=target)
        )
    if new_year == old_year:
        message = _("{folder} is plan {year} itself; name the new year's folder, e.g. data/{next}")
        raise NewYearError(message.format(folder=target, year=old_year, next=old_year + 1))
    origin = shown_path(source.root, cwd).as_posix()
    # written into the files, for the planners who revise them: Chinese, whatever the language of the messages
    header = f"# 由 {old_year} 年度計畫複製（stratmap init --from {origin}），請依 {new_year} 年度修訂。\n"
    files: dict[Path, str] = {}
    for path in source.files:
        display = shown_path(path, cwd)
        text = path.read_text(encoding="utf-8")
        copy = _Copy(text, display, old_year, new_year)
        if copy.kind == "measures":
            continue
        destination = target / path.relative_to(source.root)
        files[destination] = _with_header(copy.text(), header, path.parent, destination.parent)
    return files


class _Copy:
    """One strategy file loaded in round-trip mode, with the new year's changes made to it."""

    def __init__(self, text: str, display: Path, old_year: int, new_year: int) -> None:
        self.document = split_document(text, display)
        try:
            self.yaml, self.data = load_document(self.document)
        except LayoutError as error:
            raise NewYearError(str(error)) from error
        self.lines = self.document.lines
        self.old_year, self.new_year = old_year, new_year
        self.touched: set[int] = set()
        self.kind = str(self.data.get("kind", ""))
        if self.kind == "plan":
            self._new_plan_year()
        elif self.kind == "theme":
            for kpi in _kpis(self.data):
                self._promote_target(kpi)

    def text(self) -> str:
        """The changed file: every line no change touched exactly as it was."""
        action = _("stratmap init --from cannot carry the file over")
        try:
            kept = keep_untouched(self.lines, dump(self.yaml, self.data), self.touched, self.document.display, action)
        except LayoutError as error:
            raise NewYearError(str(error)) from error
        return self.document.with_body("".join(kept))

    def _new_plan_year(self) -> None:
        if "year" not in self.data:
            return
        line = self.data.lc.key("year")[0]
        self.touched.add(line)
        self.data["year"] = self.new_year
        comment = self.data.ca.items.get("year", [None, None, None])[2]
        if comment is not None:  # 民國110年 = 2021 -> 民國111年 = 2022
            comment.value = _new_year_comment(comment.value, self.old_year, self.new_year)

    def _promote_target(self, kpi: CommentedMap) -> None:
        targets = kpi.get("targets")
        later = targets if isinstance(targets, CommentedMap) else None
        if later is None and "target" not in kpi:
            return
        keys = list(kpi)
        position = keys.index("target") if "target" in kpi else keys.index("targets")
        if "target" in kpi:  # the old year's target, and the comment on its line
            self.touched |= self._span(kpi, "target")
            _delete(kpi, "target")
        promoted: tuple[Any, Any] | None = None
        if later is not None:
            self.touched |= self._span(kpi, "targets")
            key = _year_key(later, self.new_year)
            if key is not None:
                promoted = later[key], later.ca.items.get(key)
            for year in [key for key in later if (year_of(str(key)) or 0) <= self.new_year]:
                _delete(later, year)
            if not later:
                _delete(kpi, "targets")
        if promoted is not None:
            value, comment = promoted
            kpi.insert(position, "target", value)
            if comment is not None and comment[2] is not None:  # the comment on the promoted target's line
                indent = kpi.lc.key(next(iter(kpi.lc.data)))[1] if kpi.lc.data else 0
                text = comment[2].value.strip().removeprefix("#").strip()
                kpi.yaml_add_eol_comment(f"# {text}", "target", column=indent + len(f"target: {value}") + 2)

    def _span(self, mapping: CommentedMap, key: Any) -> set[int]:
        return block_lines(self.lines, mapping, key)


def _kpis(theme: CommentedMap) -> list[CommentedMap]:
    """The KPIs of a theme file's objectives (anything not shaped so is left alone)."""
    found: list[CommentedMap] = []
    for objective in theme.get("objectives") or []:
        if isinstance(objective, CommentedMap):
            found.extend(kpi for kpi in objective.get("kpis") or [] if isinstance(kpi, CommentedMap))
    return found


def _year_key(targets: CommentedMap, year: int) -> Any:
    """The key of ``targets`` written as ``year`` (``111`` read as a number or as text), or None."""
    return next((key for key in targets if str(key) == str(year)), None)


def _delete(mapping: CommentedMap, key: Any) -> None:
    """Remove an entry with the comment on its line."""
    del mapping[key]
    mapping.ca.items.pop(key, None)


_ROC_YEAR = re.compile(r"(民國\s*)(\d{1,3})(\s*年)")
_GREGORIAN = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _new_year_comment(comment: str, old_year: int, new_year: int) -> str:
    """A comment about the plan year moved to the new year: 民國 years and the Gregorian year it names."""
    moved = _ROC_YEAR.sub(lambda m: f"{m[1]}{new_year}{m[3]}" if int(m[2]) == old_year else m[0], comment)
    old_ad, new_ad = str(old_year + ROC_OFFSET), str(new_year + ROC_OFFSET)
    return _GREGORIAN.sub(lambda m: new_ad if m[1] == old_ad else m[0], moved)


def _with_header(text: str, header: str, old_folder: Path, new_folder: Path) -> str:
    """The text with a comment saying where it came from, under the schema line (whose relative path is
    recomputed from the new folder) or at the top."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text.removeprefix(bom)
    newline = "\r\n" if "\r\n" in body else "\n"
    first, separator, rest = body.partition("\n")
    modeline = MODELINE.match(first)
    if modeline is None:
        return bom + header.replace("\n", newline) + body
    schema = (old_folder / modeline[2]).resolve()
    relative = Path(os.path.relpath(schema, new_folder.resolve())).as_posix()
    line = f"{modeline[1]}{relative}{first[modeline.end() :]}"
    return bom + f"{line}{separator}" + header.replace("\n", newline) + rest
