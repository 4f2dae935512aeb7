"""``stratmap rule CODE``: one rule's documentation with its failing and passing examples (as ``ruff rule``).

The documentation is in the language of the run; codes, rule names and the YAML of the examples are not
translated.
"""

from __future__ import annotations

import inspect

from stratmap.config import DEFAULT_SEVERITY
from stratmap.i18n import N_, _
from stratmap.problems import Severity
from stratmap.rules.catalog import RULES, RuleInfo

NOT_STOPPING = frozenset({"Y013", "S007"})
"""Reading and schema rules whose findings do not stop a file loading (so they can be silenced)."""

LOADING_DOCS = {
    "Y004": N_(
        """A file is valid YAML. The slips of a Chinese input method are named where they stand, with the fix:
        a full-width colon, comma, bracket, brace or hyphen-minus where YAML wants its own, and full-width
        spaces (U+3000) as indentation.

        Fails::

            unit： 億元
            city_kpis: ［DP2.2］
            tags: [非營業基金考核指標，府級]

        Passes: ``unit: 億元``, ``city_kpis: [DP2.2]``, ``tags: [非營業基金考核指標, 府級]``.
        Full-width punctuation inside text (``name: 機會、威脅，優勢``) is text, never a slip.
        """
    ),
    "S007": N_(
        """A value no longer holds the placeholder 「待填」 that ``stratmap init`` writes.

        Fails: ``name: 待填：策略主題`` (as ``stratmap init`` writes it).
        Passes: ``name: 打造創業搖籃``.
        """
    ),
    "Y013": N_(
        """Text holds no invisible or direction mark (zero-width space, U+200E, soft hyphen): it cannot be
        seen, yet two texts that look alike then differ. A warning, up to a cap per file.

        Fails: ``name: 新設企業家數`` with a zero-width space (U+200B) typed between 新設 and 企業家數.
        Passes: the same name with nothing between the words.
        """
    ),
}
"""The documentation of the rules found while loading that have one, in English as the catalogs know it."""

_SEVERITY_WORDS = {Severity.ERROR: N_("error by default"), Severity.WARNING: N_("warning by default")}


def find_rule(given: str) -> RuleInfo | None:
    """The rule named by its code (``N001``, any case) or its name (``numbering-gap``)."""
    text = given.strip()
    return RULES.get(text.upper()) or next((rule for rule in RULES.values() if rule.name == text), None)


def rule_text(rule: RuleInfo) -> str:
    """Code, name, default severity, summary; then the rule's documentation when there is one."""
    severity = _(_SEVERITY_WORDS[DEFAULT_SEVERITY[rule.code]])
    lines = [f"{rule.code} {rule.name} ({severity})", "", rule.summary, ""]
    documentation = _documentation(rule.code)
    if documentation:
        lines += [documentation, ""]
    if rule.code[0] in "YS" and rule.code not in NOT_STOPPING:
        lines.append(_("It stops the file loading, so it is always an error: nothing else in the file can be checked."))
    else:
        lines.append(
            _("Silence it on one line with a comment: {comment} and the reason.").format(
                comment=f"# stratmap: ignore[{rule.code}]"
            )
        )
    return "\n".join(lines) + "\n"


def _documentation(code: str) -> str:
    """The rule's documentation, translated: a graph rule's, or one of the rules found while loading."""
    from stratmap.rules import RULE_DOCS, causality, completeness, measures, references, structure  # noqa: F401

    doc = RULE_DOCS.get(code) or LOADING_DOCS.get(code)
    return inspect.cleandoc(_(doc)) if doc else ""
