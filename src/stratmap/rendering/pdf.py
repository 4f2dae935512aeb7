"""``render --format pdf``: each rendered HTML page printed to PDF by a headless Chromium.

The browser is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON messages
ended by a NUL byte, commands to its descriptor 3, answers from its descriptor 4), not by its
``--print-to-pdf`` flag, which writes no file at all (and exits 0) when JavaScript is off, and cannot refuse
a request. ``Page.printToPDF`` prints as the browser's own print does: the page size and margins of the CSS
(``@page { size: A4 landscape }``, which Chromium rounds to whole dots at 300 dpi: 841.92 × 594.96 pt),
backgrounds (the status colours), no header or footer of the browser's own (the page's CSS has them).

The page is trusted no more than the repository it comes from: JavaScript is off, every request but the
page itself (a template's image, frame, style sheet or link, to the network or to another local file) is
refused, no host name is resolved, background services are off, the profile is thrown away, and the browser
is stopped after ``timeout()`` seconds whatever it is doing."""

from __future__ import annotations

import base64
import json
import math
import os
import select
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from stratmap.files import Interrupted
from stratmap.i18n import _
from stratmap.reporting.escaping import printable

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge", "msedge")
"""The programs looked for on PATH, in this order, when neither ``--browser`` nor the variable names one."""
BROWSER_VARIABLE = "STRATMAP_BROWSER"
TIMEOUT_VARIABLE = "STRATMAP_PDF_TIMEOUT"
TIMEOUT = 120.0
"""Seconds the browser has to start and print every page (``STRATMAP_PDF_TIMEOUT`` changes it)."""
CLOSING = 5.0
"""Seconds the browser has to close by itself once the pages are printed, before it is killed."""

FLAGS = (
    "--headless",
    "--remote-debugging-pipe",
    "--blink-settings=scriptEnabled=false",  # and Emulation.setScriptExecutionDisabled on each page
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no host name is ever resolved
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--no-service-autorun",
    "--no-pings",
    "--password-store=basic",
    "--use-mock-keychain",
)
"""Chromium's command line, besides the profile folder and ``--no-sandbox`` (only when run as root)."""

PRINT = {
    "printBackground": True,
    "preferCSSPageSize": True,
    "displayHeaderFooter": False,
    "marginTop": 0,
    "marginBottom": 0,
    "marginLeft": 0,
    "marginRight": 0,
    "generateTaggedPDF": True,
    "generateDocumentOutline": True,
}
"""``Page.printToPDF``'s parameters: the page's own ``@page`` size and margins, backgrounds, no browser header."""


class PrintFailure(Exception):
    """No browser, or one that cannot start, fails, crashes or does not finish in time (exit status 2)."""


def find_browser(given: Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The browser to print with: ``--browser``, else ``STRATMAP_BROWSER``, else the first of
    ``BROWSER_NAMES`` on PATH (never the configuration file: a pull request could name any program there)."""
    if given is not None:
        what, value = f"--browser {given}", str(given)
    elif environ.get(BROWSER_VARIABLE):
        value = environ[BROWSER_VARIABLE]
        what = f"{BROWSER_VARIABLE}={value}"
    else:
        for name in BROWSER_NAMES:
            found = shutil.which(name, path=environ.get("PATH"))
            if found is not None:
                return Path(found)
        message = _(
            "no browser to print PDF with: install Chromium (on Debian: apt-get install chromium fonts-noto-cjk), "
            "or name one with --browser PATH or {variable}"
        )
        raise PrintFailure(message.format(variable=BROWSER_VARIABLE))
    found = shutil.which(value, path=environ.get("PATH"))
    if found is None:
        raise PrintFailure(_("{what}: no such program, or not executable").format(what=printable(what)))
    return Path(found)


def timeout(environ: Mapping[str, str] = os.environ) -> float:
    """Seconds the browser has to print: ``STRATMAP_PDF_TIMEOUT``, else ``TIMEOUT``."""
    value = environ.get(TIMEOUT_VARIABLE, "").strip()
    if not value:
        return TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (0 < seconds < math.inf):
        message = _("{variable}={value}: not a number of seconds")
        raise PrintFailure(message.format(variable=TIMEOUT_VARIABLE, value=printable(value)))
    return seconds


def pdf_name(page_name: str) -> str:
    """``110.html`` → ``110.pdf``."""
    return f"{Path(page_name).stem}.pdf"


def print_pages(pages: Mapping[str, str], browser: Path, seconds: float) -> dict[str, bytes]:
    """Each HTML page (file name → text) printed to PDF (``<year>.pdf`` → bytes) by one run of ``browser``,
    from a temporary folder; nothing is written anywhere else. Raises ``PrintFailure``."""
    if not hasattr(os, "posix_spawn"):
        raise PrintFailure(_("printing PDF needs Linux or macOS"))
    if not pages:
        return {}
    deadline = time.monotonic() + seconds
    try:
        with _signals_stop(), tempfile.TemporaryDirectory(prefix="stratmap-pdf-", ignore_cleanup_errors=True) as temp:
            folder = Path(temp)
            html = folder / "pages"
            html.mkdir()
            for name, text in pages.items():
                (html / name).write_text(text, encoding="utf-8")
            with _running(browser, folder, deadline, seconds) as chromium:
                return {pdf_name(name): chromium.print(html / name) for name in pages}
    except OSError as error:  # the temporary folder or the pipes: a full disk, too many open files
        raise PrintFailure(_("cannot print PDF: {reason}").format(reason=error.strerror or error)) from None


@contextmanager
def _signals_stop() -> Iterator[None]:
    """``kill`` and a closed terminal (SIGTERM, SIGHUP) stop the print as Ctrl-C does, raising ``Interrupted``:
    the browser is stopped and the temporary folder removed on the way out. Only the main thread can do so."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, _frame: object) -> None:
        raise Interrupted(signum)

    wanted = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {signum: signal.signal(signum, interrupt) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:  # None: set outside Python, cannot be put back
                signal.signal(signum, handler)


_HELD = {signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])}
"""The signals that stop a print."""


@contextmanager
def _running(program: Path, folder: Path, deadline: float, seconds: float) -> Iterator[_Chromium]:
    """``program`` started with its profile in ``folder``; closed, and its whole process group killed, after."""
    chromium = _Chromium(program, folder, deadline, seconds)
    try:
        yield chromium
    finally:
        chromium.stop()


class _Chromium:
    """A headless Chromium in a session of its own, spoken to over its DevTools pipe."""

    def __init__(self, program: Path, folder: Path, deadline: float, seconds: float) -> None:
        self.program, self.deadline, self.seconds = program, deadline, seconds
        self.log = folder / "browser.log"
        self.next_id = 0
        self.buffer = bytearray()
        self.events: list[tuple[str | None, str]] = []  # (session, method) of the events that came
        self.allowed: dict[str, str] = {}  # session → the one URL its page may load, while it is printed
        args = [str(program), *FLAGS, f"--user-data-dir={folder / 'profile'}", "about:blank"]
        if os.name == "posix" and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium's sandbox refuses to run as root
        # Our ends of the pipes, and the browser's ends moved above 9 so that neither is in the way of 3 and 4.
        child_in, self.out = os.pipe()
        self.into, child_out = os.pipe()
        import fcntl

        high_in = fcntl.fcntl(child_in, fcntl.F_DUPFD_CLOEXEC, 10)
        high_out = fcntl.fcntl(child_out, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(child_in)
        os.close(child_out)
        os.set_blocking(self.out, False)
        # A signal that came between the spawn and the browser being known would leave it running: held off
        # until then (the browser itself starts with the mask as it was).
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            self.pid = os.posix_spawn(
                str(program),
                args,
                dict(os.environ),
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 2, str(self.log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                    (os.POSIX_SPAWN_DUP2, high_in, 3),
                    (os.POSIX_SPAWN_DUP2, high_out, 4),
                ],
                setsid=True,  # a process group of its own, killed whole at the end
                setsigmask=mask,
            )
        except OSError as error:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(self.out)
            os.close(self.into)
            message = _("cannot start the browser {program}: {reason}")
            raise PrintFailure(message.format(program=program, reason=error.strerror or error)) from None
        finally:
            os.close(high_in)
            os.close(high_out)
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal held off arrives now
        except BaseException:
            self.stop()
            raise

    def print(self, page: Path) -> bytes:
        """``page`` (a file) loaded in a new tab with JavaScript off, printed to PDF."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.allowed[session] = page.as_uri()
        self.call("Emulation.setScriptExecutionDisabled", {"value": True}, session)
        self.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session)
        self.call("Page.enable", {}, session)
        navigated = self.call("Page.navigate", {"url": page.as_uri()}, session)
        if navigated.get("errorText"):
            reason = printable(str(navigated["errorText"]))
            raise PrintFailure(_("the browser could not open {page}: {reason}").format(page=page.name, reason=reason))
        self.wait_for("Page.loadEventFired", session)
        printed = self.call("Page.printToPDF", PRINT, session)
        del self.allowed[session]
        self.call("Target.closeTarget", {"targetId": target})
        return base64.b64decode(printed["data"])

    def call(self, method: str, params: Mapping[str, Any], session: str | None = None) -> dict[str, Any]:
        """Send a command and wait for its answer (answering the events that come meanwhile)."""
        ident = self.send(method, params, session)
        while True:
            message = self.receive()
            if message.get("id") != ident:
                continue
            if "error" in message:
                reason = printable(str(message["error"].get("message", message["error"])))
                raise PrintFailure(_("the browser failed at {step}: {reason}").format(step=method, reason=reason))
            result: dict[str, Any] = message.get("result", {})
            return result

    def wait_for(self, event: str, session: str) -> None:
        """Wait until ``event`` has come from ``session``."""
        while (session, event) not in self.events:
            self.receive()

    def send(self, method: str, params: Mapping[str, Any], session: str | None = None) -> int:
        """Send a command without waiting; its id."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": dict(params)}
        if session is not None:
            message["sessionId"] = session
        data = memoryview(json.dumps(message).encode("utf-8") + b"\0")
        while data:
            self.wait_until(self.out, writing=True)
            try:
                data = data[os.write(self.out, data) :]
            except BlockingIOError:
                continue
            except BrokenPipeError:
                self.fail_stopped()
        return self.next_id

    def receive(self) -> dict[str, Any]:
        """The next message; an event is noted, and a paused request answered, before it is returned."""
        while (end := self.buffer.find(b"\0")) < 0:
            self.wait_until(self.into)
            chunk = os.read(self.into, 1 << 20)
            if not chunk:
                self.fail_stopped()
            self.buffer += chunk
        message: dict[str, Any] = json.loads(self.buffer[:end])
        del self.buffer[: end + 1]
        method, session = message.get("method"), message.get("sessionId")
        if method is not None:
            self.events.append((session, method))
        if method == "Fetch.requestPaused" and session is not None:
            request = message["params"]
            if request["request"]["url"] == self.allowed.get(session):
                self.send("Fetch.continueRequest", {"requestId": request["requestId"]}, session)
            else:  # anything but the page itself: the network, another file, a frame
                self.send(
                    "Fetch.failRequest", {"requestId": request["requestId"], "errorReason": "BlockedByClient"}, session
                )
        elif method in ("Inspector.detached", "Target.detachedFromTarget"):
            gone = session if method == "Inspector.detached" else message["params"].get("sessionId")
            if gone in self.allowed:  # the page's renderer crashed (or was closed) before it was printed
                raise PrintFailure(_("the browser {program} crashed while printing").format(program=self.program))
        return message

    def wait_until(self, descriptor: int, writing: bool = False) -> None:
        """Wait until ``descriptor`` can be read (or written); past the deadline, fail."""
        while (left := self.deadline - time.monotonic()) > 0:
            waiting = ([], [descriptor]) if writing else ([descriptor], [])
            if any(select.select(*waiting, [], left)[:2]):
                return
        message = _("the browser {program} did not print within {seconds:g} seconds (set {variable} to wait longer)")
        raise PrintFailure(message.format(program=self.program, seconds=self.seconds, variable=TIMEOUT_VARIABLE))

    def fail_stopped(self) -> NoReturn:
        """The browser went away: say how, with the last line it wrote."""
        status = self.wait_exit(min(CLOSING, max(self.deadline - time.monotonic(), 0.1)))
        how = _("exit status {status}").format(status=status) if status is not None else _("still running")
        last = ""
        try:
            lines = [line.strip() for line in self.log.read_text("utf-8", "replace").splitlines() if line.strip()]
            last = printable(lines[-1][:300]) if lines else ""
        except OSError:
            pass
        message = _("the browser {program} stopped before printing ({how})").format(program=self.program, how=how)
        raise PrintFailure(f"{message}: {last}" if last else message)

    def wait_exit(self, seconds: float) -> int | None:
        """The browser's exit status once it has exited, waiting up to ``seconds``; None if still running.
        It is not reaped here, so that its process group cannot be another's when ``stop`` kills it."""
        until = time.monotonic() + seconds
        while True:
            exited = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG)
            if exited is not None and exited.si_pid == self.pid:
                return exited.si_status if exited.si_code == os.CLD_EXITED else -exited.si_status
            if time.monotonic() >= until:
                return None
            time.sleep(0.02)

    def stop(self) -> None:
        """Ask the browser to close, give it a moment, then kill whatever is left of its process group."""
        try:
            self.deadline = min(self.deadline, time.monotonic() + CLOSING)
            self.send("Browser.close", {})
            while True:
                self.receive()  # until it closes the pipe (or the moment is over)
        except (PrintFailure, OSError, ValueError):
            pass  # it closed, crashed or would not: killed below either way
        finally:
            try:
                os.killpg(self.pid, signal.SIGKILL)  # before it is reaped: the group is still its own
            except (ProcessLookupError, PermissionError):
                pass
            os.waitpid(self.pid, 0)
            os.close(self.out)
            os.close(self.into)
