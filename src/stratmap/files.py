"""Writing output files safely: whole or not at all, never over the strategy data."""

from __future__ import annotations

import errno
import os
from pathlib import Path


class UnsafeOutput(Exception):
    """An output folder that would put files into the strategy data (exit status 2)."""


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to a temporary file beside ``target``, then rename it over ``target``."""
    write_bytes_atomically(target, text.encode("utf-8"))


def write_bytes_atomically(target: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``.

    Only a regular file (or nothing) is ever replaced: a device, pipe or folder in the way is an error.
    With ``durable`` (the default) the data reach the disk before the rename and the rename after it,
    so a crash leaves the old file or the new one, never an empty one; a cache that may be lost
    can pass ``durable=False``.
    """
    if target.exists() and not target.is_file() or target.is_symlink():
        raise OSError(errno.EEXIST, "not a regular file; stratmap will not replace it", str(target))
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable; best effort, as not every system can open a folder to sync it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def check_output_folder(output: Path, plan_roots: list[Path]) -> None:
    """Refuse an output folder that would mix pages with the strategy data.

    For each plan, its data folder is the folder holding it (``data/`` for ``data/110``). Refused:
    the plan folder, anything inside it or holding it; the data folder and anything holding it; and
    anything inside another plan or year folder of that data folder (``data/111/site``). Another
    folder beside the plans (``data/site``) is allowed.
    """
    from stratmap.loading.discovery import PLAN_FILE, shown_path, year_of

    out = output.resolve()
    for root in plan_roots:
        plan = root.resolve()
        data = plan.parent
        if out == plan or out.is_relative_to(plan) or plan.is_relative_to(out):
            raise UnsafeOutput(f"output folder {output} overlaps the plan folder {root}; choose another, e.g. build/")
        if data.is_relative_to(out):
            shown = shown_path(data, Path.cwd()).as_posix()
            raise UnsafeOutput(f"output folder {output} contains the data folder {shown}; choose another, e.g. build/")
        if out.is_relative_to(data):
            year_folder = data / out.relative_to(data).parts[0]
            if (year_folder / PLAN_FILE).is_file() or year_of(year_folder.name) is not None:
                shown = shown_path(year_folder, Path.cwd()).as_posix()
                raise UnsafeOutput(
                    f"output folder {output} overlaps the plan folder {shown}; choose another, e.g. build/"
                )


def _mode_for(target: Path) -> int:
    """The replaced file's mode, or what a new file gets under the current umask (mkstemp makes 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask
