"""A progress bar on standard error for long runs (many plan years, a large corpus): plans and files done, and
the time so far.

Shown only to a person at a terminal: never when standard error is not a terminal (piped, redirected, a
CI log), never when ``CI`` is set or ``TERM=dumb``, never with ``-q``; and only once the run has taken more
than about a second, so short runs print nothing at all. The bar is transient: it is gone when the run ends,
and the report on standard output is unchanged. Rich is imported only when the bar is shown.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from stratmap.i18n import _

AFTER_SECONDS = 1.0
"""How long a run goes before the bar appears (``STRATMAP_PROGRESS_AFTER`` changes it, for tests)."""


class PlanProgress:
    """Counts plans and files as they are done; draws the bar once the run is long enough to want one."""

    def __init__(self, plans: int, files: int, stream: TextIO | None) -> None:
        self.plans, self.files = plans, files
        self.stream = stream
        self.started = time.monotonic()
        self.after = _seconds(os.environ.get("STRATMAP_PROGRESS_AFTER"), AFTER_SECONDS)
        self.done_plans = self.done_files = 0
        self._bar: Any = None
        self._task: Any = None

    def plan_done(self, files: int) -> None:
        """One more plan of ``files`` files is done."""
        self.done_plans += 1
        self.done_files += files
        if self.stream is None:
            return
        if self._bar is None and time.monotonic() - self.started >= self.after and self.done_plans < self.plans:
            self._start()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done_plans, files=self._files_text())

    def _files_text(self) -> str:
        return _("{done}/{total} files").format(done=self.done_files, total=self.files)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(file=self.stream, stderr=True)
        self._bar = Progress(
            TextColumn(_("plans")),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[files]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("", total=self.plans, completed=self.done_plans, files=self._files_text())

    def close(self) -> None:
        """Take the bar away (if it was shown)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _seconds(text: str | None, default: float) -> float:
    try:
        return max(0.0, float(text)) if text else default
    except ValueError:
        return default


def wanted(quiet: bool, stream: TextIO = sys.stderr) -> bool:
    """Whether a person is watching ``stream``: a terminal, not CI, not ``TERM=dumb``, not ``-q``."""
    if quiet or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    from stratmap.reporting import Writer

    return Writer.on(stream).terminal


@contextmanager
def plan_progress(plans: int, files: int, quiet: bool) -> Iterator[PlanProgress]:
    """A counter of plans done that draws a bar on standard error when a person watches a long run."""
    progress = PlanProgress(plans, files, sys.stderr if wanted(quiet) else None)
    try:
        yield progress
    finally:
        progress.close()
