"""Cache entries: signed, bounded JSON, checked by their readers, evicted when the cache grows too large.

An entry is ``MAGIC``, an HMAC-SHA256 of (kind, key, payload) under the per-user key, then the payload
as UTF-8 JSON. Reading checks the size, the signature, then parses; the caller checks the shape. No
``marshal`` or ``pickle``: even bytes that somehow pass the signature can only be plain data.
Anything unexpected is a miss, and the entry is rebuilt. Failing to write is never an error.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import Any

from stratmap.caching.fingerprint import fingerprint

MAGIC = b"stratmap cache 2\n"
SIGNATURE_BYTES = 32
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""Larger than any entry of a file within the 8 MiB a strategy file may be, with its positions."""
DEFAULT_MAX_CACHE_MB = 512
KINDS = ("files", "plans", "traces")
"""Parsed files, plan verdicts, and plans' trace indexes (``tracing.index``)."""


class Cache:
    """Signed entries for one repository and one build of stratmap, under a trusted cache folder."""

    def __init__(self, root: Path, key: bytes, repository: Path) -> None:
        self.root = root
        repository_id = hashlib.sha256(os.fsencode(repository.resolve())).hexdigest()[:24]
        self.repository_folder = root / "v2" / repository_id
        self.build = fingerprint(root)
        self.folder = self.repository_folder / self.build[:24]
        self._key = key
        self.written = 0

    def key_of(self, *parts: bytes) -> str:
        """The key of some content for this build of stratmap and the language of this run (verdicts hold
        messages): the parts hashed with the build's fingerprint."""
        from stratmap.i18n import language

        digest = hashlib.sha256(f"{self.build}\0{language()}".encode())
        for part in parts:
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def _signature(self, kind: str, key: str, payload: bytes) -> bytes:
        return hmac.new(self._key, f"{kind}\0{key}\0".encode() + payload, hashlib.sha256).digest()

    def get(self, kind: str, key: str) -> Any | None:
        """The JSON value stored under ``key`` if its signature holds; None otherwise."""
        blob = _read_bounded(self._path(kind, key))
        if blob is None or not blob.startswith(MAGIC):
            return None
        start = len(MAGIC) + SIGNATURE_BYTES
        signature, payload = blob[len(MAGIC) : start], blob[start:]
        if not hmac.compare_digest(signature, self._signature(kind, key, payload)):
            return None
        try:
            return json.loads(payload)
        except (ValueError, RecursionError):
            return None

    def holds(self, kind: str, key: str) -> bool:
        """Whether an entry is stored under ``key`` (unchecked: for not writing the same entry again)."""
        return os.path.lexists(self._path(kind, key))

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` (plain JSON data); any failure to write is ignored."""
        from stratmap.files import write_bytes_atomically

        try:
            payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            if len(payload) + len(MAGIC) + SIGNATURE_BYTES > MAX_ENTRY_BYTES:
                return
            target = self._path(kind, key)
            if not self.written:
                self._start_build_folder()
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_bytes_atomically(target, MAGIC + self._signature(kind, key, payload) + payload, durable=False)
            self.written += len(payload)
        except (OSError, ValueError, TypeError, RecursionError):
            pass

    def _start_build_folder(self) -> None:
        """Make this build's folder (on the first write of a run), dropping other builds' folders of this
        repository: no other build reads them again."""
        import shutil

        if self.repository_folder.is_dir():
            for other in self.repository_folder.iterdir():
                if other.name != self.folder.name:
                    shutil.rmtree(other, ignore_errors=True)
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def evict(self) -> None:
        """After writing, keep the whole cache folder under its bound, removing the oldest entries first."""
        if not self.written:
            return
        bound = _max_cache_bytes()
        entries = []
        for folder, _, files in os.walk(self.root / "v2"):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                entries.append((info.st_mtime_ns, info.st_size, path))
        total = sum(size for _, size, _ in entries)
        if total <= bound:
            return
        for _, size, path in sorted(entries):
            if total <= bound * 0.8:
                break
            try:
                os.unlink(path)
                total -= size
            except OSError:
                continue


def _max_cache_bytes() -> int:
    """The cache's size bound: ``STRATMAP_CACHE_MAX_MB`` (MiB, fractions allowed), 512 MiB by default."""
    try:
        megabytes = float(os.environ.get("STRATMAP_CACHE_MAX_MB", ""))
    except ValueError:
        megabytes = DEFAULT_MAX_CACHE_MB
    if not 0 < megabytes < 2**40:  # also refuses nan and inf
        megabytes = DEFAULT_MAX_CACHE_MB
    return int(megabytes * 1024 * 1024)


def _read_bounded(path: Path) -> bytes | None:
    """The bytes of a regular file no larger than an entry may be, read without following a link."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            blob = stream.read(MAX_ENTRY_BYTES + 1)
        return blob if len(blob) <= MAX_ENTRY_BYTES else None
    except OSError:
        return None
    finally:
        os.close(descriptor)
