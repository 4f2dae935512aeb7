"""libyaml's words for a syntax error, in the language of the run, with a hint at what usually causes it.

libyaml describes a problem in two English phrases, a context (``while scanning a simple key``) and a
problem (``could not find expected ':'``). Each phrase it can write is a message of ours here, so that it
can be translated; the English stays libyaml's own, which is what a search for the error finds. A phrase
not listed (another libyaml, the pure-Python parser) is shown as written, after a translated
"YAML syntax error".
"""

from __future__ import annotations

from stratmap.i18n import N_, _

CONTEXTS = frozenset(
    (
        N_("while scanning a simple key"),
        N_("while scanning for the next token"),
        N_("while scanning a plain scalar"),
        N_("while scanning a quoted scalar"),
        N_("while parsing a quoted scalar"),
        N_("while scanning a block scalar"),
        N_("while scanning an anchor"),
        N_("while scanning an alias"),
        N_("while scanning a tag"),
        N_("while parsing a tag"),
        N_("while scanning a directive"),
        N_("while scanning a %YAML directive"),
        N_("while scanning a %TAG directive"),
        N_("while scanning a tag directive"),
        N_("while parsing a %TAG directive"),
        N_("while parsing a tag directive"),
        N_("while parsing a block mapping"),
        N_("while parsing a block collection"),
        N_("while parsing a flow sequence"),
        N_("while parsing a flow mapping"),
        N_("while parsing a block node"),
        N_("while parsing a flow node"),
        N_("while parsing a node"),
        N_("while increasing block level"),
        N_("while increasing flow level"),
    )
)
"""Where libyaml was when it stopped, by its own words."""

PROBLEMS = frozenset(
    (
        N_("could not find expected ':'"),
        N_("mapping values are not allowed in this context"),
        N_("block sequence entries are not allowed in this context"),
        N_("mapping keys are not allowed in this context"),
        N_("found character that cannot start any token"),
        N_("found unexpected end of stream"),
        N_("found unknown escape character"),
        N_("found unexpected document indicator"),
        N_("found invalid Unicode character escape code"),
        N_("found unexpected ':'"),
        N_("found unexpected non-alphabetical character"),
        N_("found a tab character that violates indentation"),
        N_("found a tab character where an indentation space is expected"),
        N_("found an indentation indicator equal to 0"),
        N_("found undefined tag handle"),
        N_("found unknown directive name"),
        N_("found duplicate %YAML directive"),
        N_("found duplicate %TAG directive"),
        N_("found incompatible YAML document"),
        N_("found extremely long version number"),
        N_("found undefined alias"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected key"),
        N_("did not find expected node content"),
        N_("did not find expected <document start>"),
        N_("did not find expected alphabetic or numeric character"),
        N_("did not find expected comment or line break"),
        N_("did not find expected whitespace or line break"),
        N_("did not find expected whitespace"),
        N_("did not find the expected '>'"),
        N_("did not find expected '!'"),
        N_("did not find expected tag URI"),
        N_("did not find URI escaped octet"),
        N_("did not find expected version number"),
        N_("did not find expected digit or '.' character"),
        N_("did not find expected hexdecimal number"),
        N_("could not find expected directive name"),
        N_("control characters are not allowed"),
    )
)
"""What libyaml found wrong, by its own words (and the reader's, for characters YAML refuses)."""


def syntax_message(context: str | None, problem: str | None) -> str:
    """``YAML syntax error: while scanning a simple key could not find expected ':'``, each phrase translated
    when it is one of libyaml's known phrases, the whole as written otherwise."""
    known_context = context is None or context in CONTEXTS
    if problem is not None and problem in PROBLEMS and known_context:
        said = _(problem)
        if context is not None:
            said = _("{context} {problem}").format(context=_(context), problem=said)
        return _("YAML syntax error: {problem}").format(problem=said)
    raw = " ".join(part for part in (context, problem) if part)
    return _("YAML syntax error: {problem}").format(problem=raw)


def syntax_hint(problem: str, context_line: int) -> str:
    """What usually causes a YAML syntax error (``context_line``: where libyaml's context began)."""
    if "could not find expected ':'" in problem:
        return _("line {line} has no ': ' after its key, or text went on to a next line without indentation").format(
            line=context_line
        )
    if "mapping values are not allowed" in problem:
        return _("put a value containing ': ' in quotes, e.g. name: \"a: b\"; or the indentation does not line up")
    if "expected key" in problem or "'-' indicator" in problem or "<block end>" in problem:
        return _(
            "the indentation does not line up: the keys of one mapping, and the '-' of one list, start in one column"
        )
    if "expected ',' or" in problem:
        return _("a [...] list or {...} mapping is not closed, or an item containing ',' ':' '[' or '{' needs quotes")
    if "cannot start any token" in problem or "cannot start any plain token" in problem:
        return _("put a value that starts with a character YAML reserves, such as @ ` % & * | >, in quotes")
    if "end of stream" in problem or "quoted scalar" in problem:
        return _("a quote or a bracket is not closed")
    if "document start" in problem:
        return _("remove the '...' line, or everything after it: a strategy file is one document")
    return _("check this line and the one above: a missing ': ' or quote, or indentation that does not line up")
