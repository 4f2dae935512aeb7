"""A cache of parsed files and of plan results, keyed by content, so an unchanged tree is checked fast.

Like ruff's cache: a folder ``.stratmap_cache`` at the repository root (or where ``STRATMAP_CACHE_DIR``
says; ``STRATMAP_NO_CACHE=1`` turns it off), safe to delete at any time, ignored by git (it holds its
own ``.gitignore``). Entries are written with ``marshal`` (data only, never code) behind a SHA-256
digest of their bytes and a tag naming the stratmap and Python versions: an entry that is corrupt,
stale or from another version is ignored and rebuilt, never trusted. Failing to write is not an error.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from stratmap import __version__
from stratmap.files import write_bytes_atomically

FORMAT = 1
TAG = f"stratmap {__version__} python {sys.version_info[0]}.{sys.version_info[1]} format {FORMAT}".encode()
FOLDER_NAME = ".stratmap_cache"


def content_key(*parts: bytes) -> str:
    """The key of some content, for this stratmap version."""
    digest = hashlib.sha256(TAG)
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def cache_folder(plan_root: Path) -> Path | None:
    """Where the cache of a plan lives: the repository root's ``.stratmap_cache``, or None when turned off."""
    if os.environ.get("STRATMAP_NO_CACHE"):
        return None
    if os.environ.get("STRATMAP_CACHE_DIR"):
        return Path(os.environ["STRATMAP_CACHE_DIR"])
    from stratmap.loading.discovery import repository_root

    start = plan_root.resolve()
    root = repository_root(start)
    return (root if root is not None else start.parent.parent) / FOLDER_NAME


class Cache:
    """Entries under one folder, in two kinds: ``files`` (parsed YAML) and ``plans`` (check results)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under ``key``, or None when absent, corrupt or from another version."""
        try:
            blob = self._path(kind, key).read_bytes()
        except OSError:
            return None
        tag, _, rest = blob.partition(b"\n")
        digest, _, payload = rest.partition(b"\n")
        if tag != TAG or hashlib.sha256(payload).hexdigest().encode() != digest:
            return None
        try:
            return marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` (plain data only); any failure to write is ignored."""
        try:
            payload = marshal.dumps(value)
            self._ensure_folder()
            target = self._path(kind, key)
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256(payload).hexdigest().encode()
            write_bytes_atomically(target, TAG + b"\n" + digest + b"\n" + payload)
        except (OSError, ValueError):
            pass

    def _ensure_folder(self) -> None:
        if not (self.folder / ".gitignore").exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("# Created by stratmap; safe to delete.\n*\n", encoding="utf-8")
