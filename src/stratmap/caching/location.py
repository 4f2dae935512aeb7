"""Where the cache lives, whether that folder can be trusted, and the per-user key that signs its entries.

Nothing that arrives with a repository may change a verdict, so the cache is never inside the work
tree: it lives in the user's cache folder (as ``platformdirs.user_cache_dir`` would place it, computed
here to keep start-up fast), or where ``STRATMAP_CACHE_DIR`` says. A folder that is a symbolic link,
is owned by another user, can be written by others, or lies inside the repository being checked is
not used. Entries are signed with a random key made once per user (mode 0600) in the cache folder.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import NamedTuple

from stratmap.i18n import _

KEY_FILE = "key"
KEY_BYTES = 32


class CacheRoot(NamedTuple):
    """A cache folder that passed every check, and the key that signs its entries."""

    folder: Path
    key: bytes


def default_folder() -> Path:
    """The platform's per-user cache folder for stratmap (XDG on Linux, Caches on macOS, LOCALAPPDATA on Windows)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "stratmap" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "stratmap"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "stratmap"


def open_root(repository: Path) -> tuple[CacheRoot | None, str]:
    """The cache folder to use for ``repository``, or None and why it is not used ("" when turned off)."""
    if os.environ.get("STRATMAP_NO_CACHE"):
        return None, ""
    given = os.environ.get("STRATMAP_CACHE_DIR")
    folder = Path(given) if given else default_folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        refusal = refusal_of(folder, repository)
        if refusal:
            return None, f"{folder}: {refusal}"
        key = _user_key(folder)
    except OSError as error:
        return None, f"{folder}: {error.strerror or error}"
    if key is None:
        return None, _("{path}: not a private key file of this user (mode 0600); delete it").format(
            path=folder / KEY_FILE
        )
    return CacheRoot(folder, key), ""


def refusal_of(folder: Path, repository: Path) -> str:
    """Why ``folder`` may not hold the cache, or "" when it may."""
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        return _("is a symbolic link; a cache folder must be a real folder")
    if not stat.S_ISDIR(info.st_mode):
        return _("is not a folder")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return _("belongs to another user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and os.name == "posix":
        return _("can be written by other users")
    real, repo = folder.resolve(), repository.resolve()
    if real == repo or real.is_relative_to(repo):
        return _("lies inside the repository {repository}, where a pull request could put it").format(
            repository=repository
        )
    return ""


def _user_key(folder: Path) -> bytes | None:
    """The signing key in ``folder``, made on first use; None when the file there cannot be trusted."""
    path = folder / KEY_FILE
    if not os.path.lexists(path):
        _make_key(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        private = os.name != "posix" or (info.st_uid == os.geteuid() and not info.st_mode & 0o077)
        if not stat.S_ISREG(info.st_mode) or not private or info.st_size != KEY_BYTES:
            return None
        key = stream.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _make_key(path: Path) -> None:
    """Write a fresh random key, whole or not at all: two runs starting together keep the first one's."""
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(os.urandom(KEY_BYTES))
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not os.path.lexists(path):
                os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
