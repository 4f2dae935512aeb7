"""Report stage: one door for every command's output.

A command makes one ``Writer`` (its stream, whether colour is wanted, whether the stream is a terminal)
and hands what it found to ``report(command, format, writer, ...)``; the registry below names the writer
function of each (command, format), imported only when it is used.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO


@dataclass(frozen=True)
class Writer:
    """Where a report goes: the stream, whether colour is wanted, whether the stream is a terminal."""

    stream: TextIO
    colour: bool
    terminal: bool

    @classmethod
    def on(cls, stream: TextIO, no_color: bool = False) -> Writer:
        """A writer to ``stream``; colour only on a terminal, never with ``--no-color`` or NO_COLOR set."""
        terminal = bool(getattr(stream, "isatty", lambda: False)())
        # no-color.org: NO_COLOR set to any non-empty value turns colour off.
        return cls(stream, terminal and not no_color and not os.environ.get("NO_COLOR"), terminal)


WriterFunction = Callable[..., None]
"""Writes one command's result in one format: ``function(writer, *what_the_command_found)``."""

WRITERS: dict[tuple[str, str], str] = {
    ("validate", "text"): "stratmap.reporting.door:check_text",
    ("validate", "json"): "stratmap.reporting.door:check_json",
    ("validate", "github"): "stratmap.reporting.door:check_github",
    ("validate", "sarif"): "stratmap.reporting.door:check_sarif",
    ("validate", "quiet"): "stratmap.reporting.door:check_quiet",
    ("trace", "text"): "stratmap.reporting.door:trace_text",
    ("trace", "markdown"): "stratmap.reporting.door:trace_markdown",
    ("trace", "json"): "stratmap.reporting.door:trace_json",
    ("coverage", "text"): "stratmap.reporting.door:coverage_text",
    ("coverage", "markdown"): "stratmap.reporting.door:coverage_markdown",
    ("coverage", "json"): "stratmap.reporting.door:coverage_json",
    ("status", "text"): "stratmap.reporting.door:status_text",
    ("status", "markdown"): "stratmap.reporting.door:status_markdown",
    ("status", "json"): "stratmap.reporting.door:status_json",
    ("diff", "text"): "stratmap.reporting.door:diff_text",
    ("diff", "markdown"): "stratmap.reporting.door:diff_markdown",
    ("diff", "json"): "stratmap.reporting.door:diff_json",
}
"""The writer function of each (command, format), as ``module:function``."""


def writer_for(command: str, output_format: str) -> WriterFunction:
    """The function that writes ``command``'s result in ``output_format``."""
    module, function = WRITERS[(command, output_format)].split(":")
    found: WriterFunction = getattr(importlib.import_module(module), function)
    return found


def report(command: str, output_format: str, writer: Writer, *what: Any) -> None:
    """Write ``command``'s result in ``output_format`` through ``writer``."""
    writer_for(command, output_format)(writer, *what)
