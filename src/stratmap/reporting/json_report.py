"""A stable JSON document for CI scripts (``version`` changes if the shape does)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, TextIO

from stratmap.results import CheckResult

JSON_VERSION = 1


def as_json(result: CheckResult) -> dict[str, Any]:
    """The result as plain data: problems sorted, one summary per plan."""
    return {
        "version": JSON_VERSION,
        "problems": [
            {
                "path": p.location.path.as_posix(),
                "line": p.location.line,
                "column": p.location.column,
                "rule": p.rule,
                "name": p.name,
                "severity": p.severity.value,
                "message": p.message,
                "hint": p.hint,
            }
            for p in result.problems
        ],
        "plans": [
            {
                "path": plan.folder.root.as_posix(),
                "errors": plan.errors,
                "warnings": plan.warnings,
                "counts": asdict(plan.counts) if plan.counts else None,
            }
            for plan in result.plans
        ],
        "errors": result.errors,
        "warnings": result.warnings,
    }


def report(result: CheckResult, out: TextIO, colour: bool) -> None:
    """Write the JSON document, indented, keys in a fixed order."""
    json.dump(as_json(result), out, ensure_ascii=False, indent=2)
    out.write("\n")
