"""``stratmap rules`` and ``stratmap rule``: what each rule finds."""

from __future__ import annotations

from typing import Annotated

import typer

from stratmap.commands.options import LangOption, NoColorOption, QuietOption, emit, fail_usage
from stratmap.i18n import N_, _


def rules(quiet: QuietOption = False, no_color: NoColorOption = False, lang: LangOption = None) -> None:
    """List every rule: code, name, default severity and what it finds.

    Example: stratmap rules
    """
    from stratmap.config import DEFAULT_SEVERITY
    from stratmap.reporting.text import severity_word
    from stratmap.rules.catalog import RULES

    emit(lambda out: out.writelines(
        f"{code}  {info.name:<26} {severity_word(DEFAULT_SEVERITY[code]):<8} {info.summary}\n"
        for code, info in RULES.items()
    ))  # fmt: skip


def rule(
    code: Annotated[str, typer.Argument(metavar="<CODE>", help=N_("A rule's code or name: N001, numbering-gap."))],
    quiet: QuietOption = False,
    no_color: NoColorOption = False,
    lang: LangOption = None,
) -> None:
    """Show one rule: what it finds, its default severity, a failing and a passing example.

    Example: stratmap rule N001
    """
    from stratmap.reporting.rule_docs import find_rule, rule_text

    found = find_rule(code)
    if found is None:
        fail_usage(_("no rule '{code}'; 'stratmap rules' lists them all").format(code=code))
    emit(lambda out: out.writelines([rule_text(found)]))
