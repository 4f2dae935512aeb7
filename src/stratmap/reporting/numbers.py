"""How every number from the data is shown: all its digits, thousands separated, never in e-notation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def format_number(value: float | int | Decimal | str | None) -> str:
    """``12,345,678``, ``0.1``, ``100,000,000,000,000,000,000``; empty when absent.

    A float is shown by its shortest exact text (``repr``), so ``0.1`` stays ``0.1`` and no digit
    is rounded away; text (a number as written) keeps its trailing zeros (``2.50``).
    """
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int to Python, but it is not a number here
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    try:
        number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if number.is_zero():
        return "0"
    if isinstance(value, float):
        number = number.normalize()  # 12345678.0 -> 12345678, 1e+20 -> 1E+20 (written out below)
    return f"{number:,f}"
