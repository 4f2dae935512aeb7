"""Every rule stratmap reports, by code. Severity is not here: it comes from ``config``."""

from __future__ import annotations

from dataclasses import dataclass

from stratmap.i18n import N_, _


@dataclass(frozen=True)
class RuleInfo:
    """A rule's code, short name and one-line summary."""

    code: str
    name: str
    """The rule's stable English name (``numbering-gap``): never translated, machine formats carry it."""
    about: str
    """The one-line summary in English, as the catalogs know it."""

    @property
    def summary(self) -> str:
        """The one-line summary in the language of the run."""
        return _(self.about)


_TABLE = [
    # Y: reading a file
    ("Y001", "file-unreadable", N_("the file cannot be opened (permissions, broken or looping link)")),
    ("Y002", "file-too-large", N_("the file is larger than a strategy file may be (8 MiB)")),
    ("Y003", "not-utf8", N_("the file is not UTF-8 (a Big5 file is recognised and named)")),
    ("Y004", "yaml-syntax", N_("the file is not valid YAML")),
    ("Y005", "tab-indentation", N_("a tab is used where YAML wants spaces")),
    ("Y006", "duplicate-key", N_("a mapping names the same key twice")),
    ("Y007", "unsafe-tag", N_("a tag other than the plain YAML ones (e.g. !!python/object)")),
    ("Y008", "too-many-values", N_("more than 200,000 values, counting what anchors and aliases repeat")),
    ("Y009", "empty-file", N_("the file holds no data")),
    ("Y010", "multiple-documents", N_("the file holds more than one YAML document")),
    ("Y011", "too-deep", N_("values nested more than 64 levels deep")),
    ("Y012", "control-character", N_("a control character or bidirectional override in the file or a value")),
    (
        "Y013",
        "invisible-character",
        N_("an invisible or direction mark (zero-width space, U+200E, soft hyphen) in text"),
    ),
    # S: the file's schema
    ("S001", "unknown-kind", N_("the 'kind:' key is missing or names no kind of strategy file")),
    ("S002", "unknown-key", N_("a key the schema does not know (a typo such as 'nmae:')")),
    ("S003", "missing-key", N_("a required key is missing")),
    ("S004", "invalid-value", N_("a value of the wrong type or out of range")),
    ("S005", "invalid-code", N_("a code not written as its level requires, or in full-width characters")),
    ("S006", "perspective-mismatch", N_("an objective's perspective disagrees with its code's letter")),
    ("S007", "placeholder", N_("a value still holds init's placeholder 「待填」 where the plan must be written")),
    # R: references and structure across files
    ("R001", "duplicate-code", N_("a code used twice in one namespace")),
    ("R002", "code-prefix", N_("a code that does not start with its parent's code")),
    ("R003", "unknown-city-objective", N_("a city KPI reference or theme alignment that names no city objective")),
    ("R004", "unlisted-city-kpi", N_("a reference to a city KPI that its city objective does not list")),
    ("R005", "unknown-objective", N_("a TOWS strategy linked to an objective that does not exist")),
    ("R006", "plan-structure", N_("a file missing from the plan, doubled, or out of place")),
    ("R007", "unknown-city-theme", N_("a department role that names no city theme")),
    ("R008", "duplicate-reference", N_("the same city KPI or objective named twice by one item")),
    (
        "R009",
        "city-kpi-not-listed-anywhere",
        N_("a city KPI whose city objective lists no KPIs (a department code pasted in?)"),
    ),
    ("R010", "unknown-driven-objective", N_("a drives code that names no objective of the same map")),
    (
        "R011",
        "drives-against-perspective",
        N_("a drives link that runs down the perspectives (顧客 supporting 財務) instead of up"),
    ),
    ("R012", "drives-cycle", N_("objectives that drive one another in a circle, or an objective that drives itself")),
    # M: targets, weights and measured values
    ("M001", "period-mismatch", N_("a measured period outside the plan year, or not of the KPI's frequency")),
    ("M002", "unknown-measured-kpi", N_("a measures file naming a KPI its department does not have")),
    ("M003", "measure-value", N_("a measured value that is not a number (or, for milestones, not one of the stages)")),
    ("M004", "target-without-direction", N_("a KPI with a target but no direction (higher or lower is better)")),
    ("M005", "target-lowered", N_("a target lower than the previous plan year's with no note saying why")),
    ("M006", "weights-mismatch", N_("weights that do not add up (an objective's to its KPIs', a department's to 100)")),
    ("M007", "missing-actual", N_("with --as-of, a period that has ended without a measured value")),
    # N: completeness of the map
    ("N001", "numbering-gap", N_("codes that skip a number (BF2 with no BF1)")),
    ("N002", "objective-without-kpi", N_("an objective with no KPI")),
    ("N003", "kpi-without-action-plan", N_("a KPI with no action plan")),
    ("N004", "theme-missing-perspective", N_("a theme with no objective in one of the four perspectives")),
    ("N005", "alignment-outside-role", N_("a theme aligned to a city theme the department has no role in")),
]

RULES: dict[str, RuleInfo] = {code: RuleInfo(code, name, summary) for code, name, summary in _TABLE}
"""Every rule by code, in the order of the table above."""
