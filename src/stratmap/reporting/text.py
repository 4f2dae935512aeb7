"""Plain text, one line per problem, as ruff and yamllint print them."""

from __future__ import annotations

from typing import TextIO

from stratmap.i18n import N_, _
from stratmap.problems import Problem, Severity
from stratmap.reporting.escaping import printable
from stratmap.results import CheckResult, PlanResult

_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_SEVERITY_WORDS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning")}
"""The severity as the text report says it; machine formats keep ``error``/``warning`` in any language."""


def severity_word(severity: Severity) -> str:
    """``error`` or ``warning`` in the language of the run (錯誤, 警告)."""
    return _(_SEVERITY_WORDS[severity])


def problem_line(problem: Problem, colour: bool = False) -> str:
    """``path:line:col: severity CODE message [name]``."""
    severity = severity_word(problem.severity)
    location, message = printable(str(problem.location)), printable(problem.message)
    if colour:
        severity = f"{_COLOURS[problem.severity]}{severity}{_RESET}"
        return f"{_BOLD}{location}{_RESET}: {severity} {problem.rule} {message} {_DIM}[{problem.name}]{_RESET}"
    return f"{location}: {severity} {problem.rule} {message} [{problem.name}]"


def report(result: CheckResult, out: TextIO, colour: bool) -> None:
    """Every problem with its hint, then one summary line per plan and a total."""
    for problem in result.problems:
        out.write(problem_line(problem, colour) + "\n")
        if problem.hint:
            out.write(_("  help: {hint}").format(hint=printable(problem.hint)) + "\n")
    for plan in result.plans:
        out.write(plan_summary(plan) + "\n")
    out.write(_total(result.errors, result.warnings) + "\n")


def plan_summary(plan: PlanResult) -> str:
    """One line: the plan folder and what it holds (or that it could not be linked).

    The folder is shown printable, and never at the start of a line as ``::`` (a workflow command)."""
    counts = plan.counts
    folder = printable(plan.folder.root.as_posix())
    folder = f"./{folder}" if folder.startswith(":") else folder
    if counts is None:
        return _("{folder}: references across files not checked until every file loads").format(folder=folder)
    held = [
        (_("{n} theme") if counts.themes == 1 else _("{n} themes")).format(n=counts.themes),
        (_("{n} objective") if counts.objectives == 1 else _("{n} objectives")).format(n=counts.objectives),
        (_("{n} KPI") if counts.kpis == 1 else _("{n} KPIs")).format(n=counts.kpis),
        (_("{n} action plan") if counts.action_plans == 1 else _("{n} action plans")).format(n=counts.action_plans),
        (_("{n} city reference") if counts.city_references == 1 else _("{n} city references")).format(
            n=counts.city_references
        ),
    ]
    return f"{folder}: " + _(", ").join(held)


def _total(errors: int, warnings: int) -> str:
    if not errors and not warnings:
        return _("All checks passed.")
    found_errors = (_("{n} error") if errors == 1 else _("{n} errors")).format(n=errors)
    found_warnings = (_("{n} warning") if warnings == 1 else _("{n} warnings")).format(n=warnings)
    return _("Found {errors} and {warnings}.").format(errors=found_errors, warnings=found_warnings)
