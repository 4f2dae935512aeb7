"""Writing output files safely: whole or not at all, never over the strategy data."""

from __future__ import annotations

import errno
import io
import os
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stratmap.i18n import _


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
        raise OSError(errno.EEXIST, _("not a regular file; stratmap will not replace it"), str(target))
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


class Interrupted(Exception):
    """A signal to stop arrived while files were being staged; nothing was written."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def write_all_or_none(files: Mapping[Path, bytes]) -> None:
    """Write every file (created or replaced) or, on any failure, none: the strategy files an edit
    touches must never be left half old and half new.

    Each new text is first staged whole beside its target and made durable; only then are the staged
    files renamed over their targets, one after another. Ctrl-C, ``kill`` and a closed terminal
    (SIGINT, SIGTERM, SIGHUP) are held off until the renames are done: one that arrives while staging
    removes the staged files and stops the command, with nothing written. A rename that fails puts back
    the files already replaced (their old bytes) and removes those created. Only the loss of the whole
    machine (or SIGKILL) between two renames of one edit can leave a mix; the renames take microseconds.
    """
    targets = list(files)
    for target in targets:
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise OSError(errno.EEXIST, _("not a regular file; stratmap will not replace it"), str(target))
    old = {target: target.read_bytes() if target.exists() else None for target in targets}
    staged: list[tuple[Path, Path]] = []
    created: list[Path] = []
    with _interruptions_held() as arrived:
        try:
            for target in targets:
                created.extend(_make_folders(target.parent))
                staged.append((_stage(target, files[target]), target))
                if arrived:
                    raise Interrupted(arrived[0])
        except BaseException:
            for temporary, _target in staged:
                temporary.unlink(missing_ok=True)
            _remove_folders(created)
            raise
        done: list[Path] = []
        try:
            for temporary, target in staged:
                os.replace(temporary, target)
                done.append(target)
        except BaseException:
            for target in done:
                before = old[target]
                if before is None:
                    target.unlink(missing_ok=True)
                else:
                    write_bytes_atomically(target, before)
            for temporary, _target in staged[len(done) :]:
                temporary.unlink(missing_ok=True)
            _remove_folders(created)
            raise
        for folder in {target.parent for target in targets}:
            _sync_folder(folder)
    if arrived:
        raise Interrupted(arrived[0])


class _Stopped(BaseException):
    """A signal that stops staging, raised where the program happens to be: a ``BaseException``, so that no
    ``except Exception`` on the way (a template's failure, say) mistakes it for a failure of its own."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class StagedFiles:
    """Files staged one by one, long before they are all known, then put in place together: all, or none.

    Each file is written and synced into a hidden folder of its own inside ``output`` (same filesystem, so the
    final renames are atomic); ``commit`` renames them over their targets one after another, ``discard`` (or
    leaving the ``with`` block by an exception) removes the hidden folder and any folder it had to make. While
    the block runs, Ctrl-C, ``kill`` and a closed terminal (SIGINT, SIGTERM, SIGHUP) stop it at once by raising
    ``Interrupted``; a second signal, and any during the clean-up or the renames, is held off until they are
    done, so neither a half-written file nor a staged one is left behind.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self.targets: list[Path] = []
        self._folder: Path | None = None
        self._created: list[Path] = []
        self._staged: list[tuple[Path, Path]] = []
        self._arrived: list[int] = []
        self._raising = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StagedFiles:
        if threading.current_thread() is threading.main_thread():
            wanted = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
            self._previous = {signum: signal.getsignal(signum) for signum in wanted}
            for signum in wanted:
                signal.signal(signum, self._signalled)
            self._raising = True
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _trace: object) -> None:
        self._raising = False
        try:
            if kind is not None or self._folder is not None:
                self.discard()
        finally:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)
        if isinstance(error, _Stopped):
            raise Interrupted(error.signum) from None
        if kind is None and self._arrived:
            raise Interrupted(self._arrived[0])

    def _signalled(self, signum: int, _frame: object) -> None:
        if self._raising:
            self._raising = False  # one stop is enough: the clean-up that follows must not be cut short
            raise _Stopped(signum)
        self._arrived.append(signum)

    def folder(self) -> Path:
        """The hidden staging folder inside the output folder, made (with the output folder) on first use."""
        if self._folder is None:
            import tempfile

            raising, self._raising = self._raising, False  # a folder made must be noted before a stop
            try:
                self._created = _make_folders(self.output)
                self._folder = Path(tempfile.mkdtemp(dir=self.output, prefix=".stratmap-staged-"))
            finally:
                self._raising = raising
                self._stop_if_signalled()
        return self._folder

    def add(self, name: str, data: bytes) -> Path:
        """Stage ``data`` as the file ``name`` under the output folder (made if needed); its target path."""
        stage_file(self.folder(), name, data)
        return self.adopt(name)

    def adopt(self, name: str) -> Path:
        """Take on the file ``name`` that another process staged in ``folder()``; its target path."""
        target = self.output / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise OSError(errno.EEXIST, _("not a regular file; stratmap will not replace it"), str(target))
        self._staged.append((self.folder() / name, target))
        self.targets.append(target)
        return target

    def _stop_if_signalled(self) -> None:
        if self._raising and self._arrived:
            self._raising = False
            raise _Stopped(self._arrived[0])

    def commit(self) -> list[Path]:
        """Rename every staged file over its target, signals held off; a rename that fails puts back the files
        already replaced and removes those created. The targets, in the order staged."""
        self._raising = False
        if self._folder is None:
            return []
        if self._arrived:
            raise Interrupted(self._arrived[0])
        backups: dict[Path, Path | None] = {}
        done: list[Path] = []
        try:
            for index, (temporary, target) in enumerate(self._staged):
                backups[target] = None
                if target.exists():
                    backup = self._folder / f".{index}.old"
                    try:
                        os.link(target, backup)
                    except OSError:  # a filesystem without hard links: a copy does as well
                        import shutil

                        shutil.copy2(target, backup)
                    backups[target] = backup
                os.replace(temporary, target)
                done.append(target)
        except BaseException:
            for target in reversed(done):
                kept = backups[target]
                if kept is None:
                    target.unlink(missing_ok=True)
                else:
                    os.replace(kept, target)
            raise
        self._created = []  # the folders made now hold the files: they stay
        _sync_folder(self.output)
        return list(self.targets)

    def discard(self) -> None:
        """Remove the staged files and the folders made for them; the targets are left as they were."""
        import shutil

        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        self._staged = []
        _remove_folders(self._created)
        self._created = []


def stage_file(folder: Path, name: str, data: bytes | Iterable[str]) -> None:
    """Write ``data`` (bytes, or pieces of text written as UTF-8 as they come) to ``folder/name``, a new file,
    synced, with the mode of the file it will replace (``name`` beside ``folder``): one file of a ``StagedFiles``."""
    temporary = folder / name
    stream = open(temporary, "xb")  # noqa: SIM115 - closed below; a file already there is not ours to remove
    try:
        with stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
                text.writelines(data)
                text.flush()
                text.detach()  # the file stays open, to be synced and closed below
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(folder.parent / name))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; the ones made, innermost last."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir()
    return list(reversed(missing))


def _remove_folders(created: list[Path]) -> None:
    """Remove folders an unfinished write made, innermost first (only if empty)."""
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass


def _stage(target: Path, data: bytes) -> Path:
    """``data`` written and synced to a new temporary file beside ``target``, with the target's mode."""
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


@contextmanager
def _interruptions_held() -> Iterator[list[int]]:
    """Note SIGINT, SIGTERM and SIGHUP instead of acting on them; yields the list of those that arrived.

    Only the main thread can set signal handlers; elsewhere signals are not held."""
    arrived: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield arrived
        return
    wanted = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {signum: signal.getsignal(signum) for signum in wanted}
    for signum in wanted:
        signal.signal(signum, lambda number, _frame: arrived.append(number))
    try:
        yield arrived
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


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
            raise UnsafeOutput(_overlaps(output, root))
        if data.is_relative_to(out):
            shown = shown_path(data, Path.cwd()).as_posix()
            message = _("output folder {output} contains the data folder {data}; choose another, e.g. build/")
            raise UnsafeOutput(message.format(output=output, data=shown))
        if out.is_relative_to(data):
            year_folder = data / out.relative_to(data).parts[0]
            if (year_folder / PLAN_FILE).is_file() or year_of(year_folder.name) is not None:
                raise UnsafeOutput(_overlaps(output, shown_path(year_folder, Path.cwd()).as_posix()))


def _overlaps(output: Path, plan: Path | str) -> str:
    message = _("output folder {output} overlaps the plan folder {plan}; choose another, e.g. build/")
    return message.format(output=output, plan=plan)


def _mode_for(target: Path) -> int:
    """The replaced file's mode, or what a new file gets under the current umask (mkstemp makes 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask
