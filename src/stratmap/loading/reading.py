"""Read a strategy file's bytes and decode them, with a finding instead of an exception for bad input.

Kept apart from the YAML parser so that an unchanged plan can be answered from the cache without
importing it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from stratmap.i18n import _
from stratmap.problems import Finding, Location

MAX_FILE_BYTES = 8 * 1024 * 1024


def read_bytes(path: Path, display: Path, within: Path) -> bytes | Finding:
    """A strategy file's bytes, or why they cannot be read (not a regular file, too large, unreadable, or a
    symbolic link to a file outside ``within``, the repository: a committed link must not read other files)."""
    try:
        if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(within.resolve()):
            return Finding(
                "Y001",
                Location(display),
                _("a symbolic link to a file outside the repository; it is not read"),
                _("copy the file into the repository, or remove the link"),
            )
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return Finding(
                "Y001",
                Location(display),
                _("not a regular file (a device, pipe or socket)"),
                _("strategy files are plain files; remove or replace this one"),
            )
        if info.st_size > MAX_FILE_BYTES:
            return _too_large(display, info.st_size)
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return Finding(
            "Y001", Location(display), _("cannot read file: {reason}").format(reason=error.strerror or error), ""
        )
    if len(raw) > MAX_FILE_BYTES:  # the file grew while being read
        return _too_large(display, len(raw))
    return raw


def decode_text(raw: bytes, display: Path) -> str | Finding:
    """The bytes as UTF-8 text (a BOM is accepted), or where they are not UTF-8 (naming Big5 when it fits)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        hint = _("save the file as UTF-8")
        try:
            raw.decode("big5")
            hint = _("it looks like Big5; convert it with: {command}").format(command="iconv -f BIG5 -t UTF-8")
        except UnicodeDecodeError:
            pass
        return Finding("Y003", Location(display, line, column), _("file is not valid UTF-8"), hint)


def _too_large(display: Path, size: int) -> Finding:
    return Finding(
        "Y002",
        Location(display),
        _("file is {size} MiB, larger than the {limit} MiB a strategy file may be").format(
            size=f"{size / 1048576:.1f}", limit=MAX_FILE_BYTES // 1048576
        ),
        _("split it, one file per theme"),
    )
