"""Read the code a user asks to trace: ``DP2.2``, ``city:DP2.1``, ``doed:BP3.1.2``, ``SO1``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stratmap.i18n import _
from stratmap.reporting.escaping import printable

_QUERY = re.compile(r"(?:(?P<namespace>[a-z][a-z0-9-]*):)?(?P<code>[A-Z]|[A-Z]{1,3}[0-9]+(?:\.[0-9]+)*)")


class MalformedCode(ValueError):
    """The text asked for cannot be a code at all (exit status 2)."""


@dataclass(frozen=True)
class CodeQuery:
    """A code to trace, optionally qualified by its namespace."""

    code: str
    namespace: str | None = None

    def __str__(self) -> str:
        return f"{self.namespace}:{self.code}" if self.namespace else self.code


def parse_query(text: str) -> CodeQuery:
    """Parse ``[namespace:]CODE``; full-width characters are folded, the code upper-cased."""
    if text.isascii():  # as normalise_width leaves it, without importing the models
        folded = text.strip()
    else:
        from stratmap.model.codes import normalise_width

        folded = normalise_width(text)
    namespace, colon, code = folded.rpartition(":")
    candidate = f"{namespace.lower()}{colon}{code.upper()}"
    match = _QUERY.fullmatch(candidate)
    if not match:
        raise MalformedCode(
            _(
                "'{text}' is not a code: write a code such as DP2.2, BP3.1.2, D or SO1, "
                "optionally qualified by its namespace, such as city:DP2.1 or doed:DP2.1"
            ).format(text=printable(text))
        )
    return CodeQuery(match["code"], match["namespace"])
