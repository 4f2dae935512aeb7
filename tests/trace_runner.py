"""Run ``stratmap`` several times in one process (the tests of the trace index start it once per pass, not once
per command): each command line as ``python -m stratmap`` would run it, its standard output, standard error
and exit status recorded. Reads a JSON list of argument lists on standard input, writes a JSON list of
``[status, out, err]`` and the heavy modules the pass imported."""

from __future__ import annotations

import io
import json
import sys

import stratmap.cli

HEAVY = ("pydantic", "yaml", "stratmap.model", "stratmap.linking.linker", "stratmap.rules.structure")


def run(args: list[str]) -> list[object]:
    """One command line, as the console entry point runs it."""
    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["stratmap", *args]
    sys.stdout, sys.stderr = out, err
    status: object = 0
    try:
        stratmap.cli.main()
    except SystemExit as done:
        status = done.code if done.code is not None else 0
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return [status, out.getvalue(), err.getvalue()]


if __name__ == "__main__":
    runs = [run(args) for args in json.load(sys.stdin)]
    json.dump({"runs": runs, "heavy": sorted(m for m in HEAVY if m in sys.modules)}, sys.stdout, ensure_ascii=False)
