"""Settings a run is made with. Severity of each rule is decided here, never by the rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from stratmap.problems import Severity
from stratmap.rules.catalog import RULES

DEFAULT_SEVERITY: Mapping[str, Severity] = {
    code: Severity.WARNING if code.startswith("N") else Severity.ERROR for code in RULES
}
"""Completeness rules (N) warn; everything else is an error."""


@dataclass(frozen=True)
class Settings:
    """What a check runs with: rule severities, overridable per rule code."""

    severity_overrides: Mapping[str, Severity | None] = field(default_factory=dict)
    """Per rule code: a severity, or None to ignore the rule."""

    def severity(self, rule: str) -> Severity | None:
        """The severity a rule's findings get, or None when the rule is ignored."""
        if rule in self.severity_overrides:
            return self.severity_overrides[rule]
        return DEFAULT_SEVERITY[rule]
