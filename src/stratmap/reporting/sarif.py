"""SARIF 2.1.0, so that findings show in GitHub code scanning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from stratmap import __version__
from stratmap.config import DEFAULT_SEVERITY
from stratmap.loading.discovery import repository_root
from stratmap.results import CheckResult
from stratmap.rules.catalog import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def as_sarif(result: CheckResult) -> dict[str, Any]:
    """One run of the tool ``stratmap`` with every rule described and every problem as a result."""
    codes = list(RULES)
    root = repository_root(Path.cwd())
    rules = [
        {
            "id": code,
            "name": info.name,
            "shortDescription": {"text": info.summary},
            "defaultConfiguration": {"level": DEFAULT_SEVERITY[code].value},
        }
        for code, info in RULES.items()
    ]
    results = [
        {
            "ruleId": p.rule,
            "ruleIndex": codes.index(p.rule),
            "level": p.severity.value,
            "message": {"text": p.message + (f" ({p.hint})" if p.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact_location(p.location.path, root),
                        "region": {"startLine": p.location.line, "startColumn": p.location.column},
                    }
                }
            ],
        }
        for p in result.problems
    ]
    driver = {"name": "stratmap", "version": __version__, "semanticVersion": __version__, "rules": rules}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def artifact_location(path: Path, root: Path | None) -> dict[str, str]:
    """A file as SARIF wants it: relative to the repository root (%SRCROOT%), else an absolute file URI."""
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root):
        return {"uri": quote(resolved.relative_to(root).as_posix()), "uriBaseId": "%SRCROOT%"}
    return {"uri": resolved.as_uri()}


def report(result: CheckResult, out: TextIO, colour: bool) -> None:
    """Write the SARIF log as indented JSON."""
    json.dump(as_sarif(result), out, ensure_ascii=False, indent=2)
    out.write("\n")
