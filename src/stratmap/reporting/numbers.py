"""How every number from the data is shown: all its digits, thousands separated, never in e-notation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation, localcontext

from stratmap.arithmetic import WIDE

ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)


def format_number(value: float | int | Decimal | str | None) -> str:
    """``12,345,678``, ``0.1``, ``100,000,000,000,000,000,000``; empty when absent.

    A float is shown by its shortest exact text (``repr``), so ``0.1`` stays ``0.1`` and no digit
    is rounded away; a Decimal or text (a number as written) keeps its trailing zeros (``12.50``, ``0.00``).
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
        return "0" if isinstance(value, float) or number.is_signed() else f"{number:f}"
    if isinstance(value, float):
        number = number.normalize()  # 12345678.0 -> 12345678, 1e+20 -> 1E+20 (written out below)
    return f"{number:,f}"


def format_percent(ratio: Decimal | None) -> str:
    """A computed ratio as a percentage with one decimal (``0.96428`` -> ``96.4%``); empty when absent."""
    if ratio is None or not ratio.is_finite():
        return ""
    with localcontext(WIDE):
        percent = (ratio * HUNDRED).quantize(ONE_DECIMAL)
    if percent.is_zero():
        percent = abs(percent)
    return f"{percent:,f}%"


def ratio_json(ratio: Decimal | None) -> float | None:
    """A computed ratio for JSON: rounded to 4 places (1 = 100%)."""
    if ratio is None or not ratio.is_finite():
        return None
    with localcontext(WIDE):
        return float(ratio.quantize(Decimal("0.0001")))


def json_number(value: Decimal | str | None) -> int | float | str | None:
    """A number for JSON: an int when whole (every digit kept), else a float; text (a stage) stays text."""
    if value is None or isinstance(value, str):
        return value
    with localcontext(WIDE):
        return int(value) if value == value.to_integral_value() else float(value)
