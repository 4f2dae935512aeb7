"""The decimal context every computation on the data's numbers rounds in."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context

WIDE = Context(prec=200, rounding=ROUND_HALF_UP)
"""Room for any number the data may hold (36 digits) and any ratio or share of two, so that rounding
never fails; halves round up, as people round."""
