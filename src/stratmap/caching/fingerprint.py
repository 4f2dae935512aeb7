"""What a cached answer depends on besides the strategy files: stratmap's own code and the libraries that decide.

An entry made by another build of stratmap (an edited rule, an editable install at another commit, a
cache restored in CI) or with another Pydantic or PyYAML must never be served, so the fingerprint hashes
every file of the installed package, not just its version string.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache

FORMAT = 2
"""The layout of entries; raised whenever it changes."""
DECIDING_LIBRARIES = (("pydantic", "pydantic"), ("pydantic_core", "pydantic_core"), ("yaml", "pyyaml"))
"""(module, distribution) of the libraries whose behaviour decides a verdict: models and YAML parsing."""


@cache
def fingerprint() -> str:
    """A hex digest of stratmap's files, the deciding libraries' versions, Python and the entry format."""
    digest = hashlib.sha256(f"format {FORMAT}\0{sys.version}\0{sys.implementation.cache_tag}\0".encode())
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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
