"""What a cached answer depends on besides the strategy files: stratmap's own code and the libraries that decide.

An entry made by another build of stratmap (an edited rule, an editable install at another commit, a
cache restored in CI) or with another Pydantic or PyYAML must never be served, so the fingerprint hashes
every file of the installed package, not just its version string.

Hashing the package costs a few milliseconds of every warm run, so the digest is remembered in the
(trusted) cache folder under the files' stamps: path, size, modification and change times and inode of
each, and of every folder on ``sys.path`` (installing or removing a library changes its folder). Any
write to a file changes its change time, which no program can set back, so an edited rule is never
mistaken for the build it replaced.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from pathlib import Path

FORMAT = 3
"""The layout of entries; raised whenever it changes."""
DECIDING_LIBRARIES = (("pydantic", "pydantic"), ("pydantic_core", "pydantic_core"), ("yaml", "pyyaml"))
"""(module, distribution) of the libraries whose behaviour decides a verdict: models and YAML parsing."""


PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEMO_FOLDER = "builds"
MEMOS_KEPT = 8
"""Digests remembered at most (one per build in use: several virtual environments may share the folder)."""


@cache
def fingerprint(memo: Path | None = None) -> str:
    """A hex digest of stratmap's files, the deciding libraries' versions, Python and the entry format.

    ``memo`` is a trusted cache folder where the digest is remembered under the files' stamps.
    """
    if memo is None:
        return _digest()
    remembered = memo / MEMO_FOLDER / _stamps()
    try:
        with open(remembered, "rb") as stream:
            text = stream.read(65).decode("ascii")
        if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
            return text
    except (OSError, UnicodeDecodeError):
        pass
    value = _digest()
    _remember(remembered, value)
    return value


def _remember(path: Path, value: str) -> None:
    """Write the digest under its stamps, keeping only the most recent few; failing to is never an error."""
    from stratmap.files import write_bytes_atomically

    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        write_bytes_atomically(path, value.encode("ascii"), durable=False)
        memos = sorted(path.parent.iterdir(), key=lambda memo: memo.stat().st_mtime_ns, reverse=True)
        for old in memos[MEMOS_KEPT:]:
            old.unlink()
    except OSError:
        pass


def _stamps() -> str:
    """A digest of the stamps of the package's files and of the folders on ``sys.path``."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{sys.implementation.cache_tag}\0{PACKAGE}\0".encode())
    for path in _stamped_files(PACKAGE) + [folder for folder in sys.path if folder]:
        try:
            info = os.stat(path)
        except OSError:
            digest.update(f"{path}\0absent\0".encode())
            continue
        digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\0".encode())
    return digest.hexdigest()[:40]


def _stamped_files(folder: str) -> list[str]:
    """Every file and folder under ``folder`` (compiled byte code aside), by path."""
    found = [folder]
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found.extend(_stamped_files(entry.path))
            elif not entry.name.endswith((".pyc", ".pyo")):
                found.append(entry.path)
    return found


def _digest() -> str:
    """The fingerprint computed from the files' bytes."""
    digest = hashlib.sha256(f"format {FORMAT}\0{sys.version}\0{sys.implementation.cache_tag}\0".encode())
    package = PACKAGE
    for relative in _package_files(package):
        try:
            with open(os.path.join(package, relative), "rb") as stream:
                content = stream.read()
        except OSError:
            content = b"\xff unreadable"
        name = relative.encode()
        digest.update(len(name).to_bytes(4, "big") + name + len(content).to_bytes(8, "big") + content)
    for line in library_versions():
        digest.update(line.encode() + b"\0")
    return digest.hexdigest()


def _package_files(package: str) -> list[str]:
    """Every file of the installed package (code and templates) relative to it, compiled byte code aside."""
    found: list[str] = []
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        prefix = os.path.relpath(folder, package).replace(os.sep, "/")
        found.extend(f"{prefix}/{name}" for name in files if not name.endswith((".pyc", ".pyo")))
    return sorted(found)


def library_versions() -> list[str]:
    """``name version`` of each deciding library, read from its installed metadata without importing it."""
    from importlib.util import find_spec

    lines = []
    for module, distribution in DECIDING_LIBRARIES:
        spec = find_spec(module)
        origin = spec.origin if spec is not None else None
        if origin is None:
            lines.append(f"{module} absent")
            continue
        site = os.path.dirname(os.path.dirname(origin)) if spec and spec.submodule_search_locations else ""
        site = site or os.path.dirname(origin)
        lines.append(f"{module} {_distribution_version(site, distribution) or _origin_stamp(origin)}")
    return lines


def _distribution_version(site: str, distribution: str) -> str | None:
    """The version in the name of ``distribution``'s ``.dist-info`` folder in ``site``, if there is one."""
    for name in _listing(site):
        project, _, version = name.removesuffix(".dist-info").partition("-")
        if name.endswith(".dist-info") and project.lower().replace("-", "_") == distribution:
            return version
    return None


@cache
def _listing(folder: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(folder)))
    except OSError:
        return ()


def _origin_stamp(origin: str) -> str:
    """Size and modification time of a module's file, when no metadata names its version."""
    try:
        info = os.stat(origin)
    except OSError:
        return "unknown"
    return f"{info.st_size}:{info.st_mtime_ns}"
