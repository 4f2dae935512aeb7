"""Check stage: rules are small functions over the linked graph, each with a code.

Reading and schema problems (Y, S) are found while loading; the rules here (R, M, N)
look at the whole plan. Each rule's documentation shows a failing and a passing example.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from stratmap.problems import Finding

if TYPE_CHECKING:
    from stratmap.linking.graph import PlanGraph

GraphRule = Callable[["PlanGraph"], Iterator[Finding]]

GRAPH_RULES: dict[str, GraphRule] = {}
WHOLE_PLAN_RULES: set[str] = set()
"""Rules that would report false problems if a file of the plan failed to load."""


RULE_DOCS: dict[str, str] = {}
"""Each graph rule's documentation by code, in English as the catalogs know it (``stratmap rule`` shows
it translated): what the rule wants, a failing and a passing example."""


def graph_rule(code: str, doc: str, *, whole_plan: bool = False) -> Callable[[GraphRule], GraphRule]:
    """Register a rule over the plan graph under its code, with its documentation (``doc``, marked with
    ``N_`` for the catalogs; it is also the function's docstring).

    ``whole_plan`` rules look across files (references, roles, structure); they run
    only when every file of the plan loaded. The others judge each item where it stands.
    """

    def register(function: GraphRule) -> GraphRule:
        GRAPH_RULES[code] = function
        RULE_DOCS[code] = doc
        function.__doc__ = inspect.cleandoc(doc)
        if whole_plan:
            WHOLE_PLAN_RULES.add(code)
        return function

    return register


def run_graph_rules(graph: PlanGraph, *, whole_plan: bool) -> list[Finding]:
    """Every finding of the registered rules on one plan (only the local ones unless ``whole_plan``)."""
    from stratmap.rules import causality, completeness, measures, references, structure  # noqa: F401  (registers)

    return [
        finding
        for code, rule in GRAPH_RULES.items()
        if whole_plan or code not in WHOLE_PLAN_RULES
        for finding in rule(graph)
    ]
