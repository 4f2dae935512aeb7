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


def write_bytes_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it over ``target``.

    Only a regular file (or nothing) is ever replaced: a device, pipe or folder in the way is an error.
    """
    if target.exists() and not target.is_file() or target.is_symlink():
        raise OSError(errno.EEXIST, "not a regular file; stratmap will not replace it", str(target))
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_output_folder(output: Path, plan_roots: list[Path]) -> None:
    """Refuse an output folder that is, contains or lies inside a plan folder, or is or contains its data folder."""
    out = output.resolve()
    for root in plan_roots:
        plan = root.resolve()
        data = plan.parent
        if out == plan or out.is_relative_to(plan) or plan.is_relative_to(out):
            raise UnsafeOutput(f"output folder {output} overlaps the plan folder {root}; choose another, e.g. build/")
        if data.is_relative_to(out):
            raise UnsafeOutput(f"output folder {output} contains the data folder {data}; choose another, e.g. build/")


def _mode_for(target: Path) -> int:
    """The replaced file's mode, or what a new file gets under the current umask (mkstemp makes 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask
