"""``stratmap rule CODE``: one rule's documentation with its failing and passing examples (as ``ruff rule``)."""

from __future__ import annotations

import inspect

from stratmap.config import DEFAULT_SEVERITY
from stratmap.rules.catalog import RULES, RuleInfo

NOT_STOPPING = frozenset({"Y013", "S007"})
"""Reading and schema rules whose findings do not stop a file loading (so they can be silenced)."""


def find_rule(given: str) -> RuleInfo | None:
    """The rule named by its code (``N001``, any case) or its name (``numbering-gap``)."""
    text = given.strip()
    return RULES.get(text.upper()) or next((rule for rule in RULES.values() if rule.name == text), None)


def rule_text(rule: RuleInfo) -> str:
    """Code, name, default severity, summary; then the checking function's docstring when there is one."""
    lines = [f"{rule.code} {rule.name} ({DEFAULT_SEVERITY[rule.code].value} by default)", "", rule.summary, ""]
    documentation = _documentation(rule.code)
    if documentation:
        lines += [documentation, ""]
    if rule.code[0] in "YS" and rule.code not in NOT_STOPPING:
        lines.append("It stops the file loading, so it is always an error: nothing else in the file can be checked.")
    else:
        lines.append(f"Silence it on one line with a comment: # stratmap: ignore[{rule.code}] and the reason.")
    return "\n".join(lines) + "\n"


def _documentation(code: str) -> str:
    """The docstring of the rule's function: a graph rule's, or the loader's for the rules found while loading."""
    from stratmap.loading.loader import invisible_marks
    from stratmap.loading.placeholders import placeholder_findings
    from stratmap.rules import GRAPH_RULES, completeness, measures, references, structure  # noqa: F401

    function = GRAPH_RULES.get(code) or {"S007": placeholder_findings, "Y013": invisible_marks}.get(code)
    return inspect.cleandoc(function.__doc__ or "") if function is not None else ""
