"""Decimal helpers: the one rounding rule (四舍五入), precision and display of 万元 amounts."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
HUNDRED = Decimal(100)
YUAN_PER_WAN = Decimal(10000)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round to ``places`` decimals with ROUND_HALF_UP (never Python's banker's rounding)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimals_of(value: Decimal | None) -> int:
    """Number of decimals a value was typed with (Decimal('4.00') -> 2, Decimal('4') -> 0)."""
    if value is None:
        return 0
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):
        return 0
    return max(0, -exponent)


def half_unit(decimals: int) -> Decimal:
    """½·10^(−p): the rounding half-width of a value shown with ``decimals`` decimals."""
    return Decimal(5).scaleb(-(decimals + 1))


def fmt_amount(value: Decimal | None, places: int = 2, empty: str = "") -> str:
    """Display an amount with exactly ``places`` decimals (or more if typed with more)."""
    if value is None:
        return empty
    places = max(places, 0)
    return f"{round_half_up(value, places):.{places}f}"


def fmt_plain(value: Decimal | None, empty: str = "") -> str:
    """Display a value as typed: no exponent, trailing zeros kept as entered."""
    if value is None:
        return empty
    text = format(value, "f")
    return text


def fmt_percent(ratio: Decimal | None, places: int = 2, empty: str = "—") -> str:
    """A fraction as percentage text: Decimal('0.91666') -> '91.67%'."""
    if ratio is None:
        return empty
    return f"{round_half_up(ratio * HUNDRED, places):.{places}f}%"


def safe_div(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator, or None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    try:
        return numerator / denominator
    except (InvalidOperation, ArithmeticError):
        return None


def yuan_to_wan(value: Decimal) -> Decimal:
    """元 → 万元, exact (a shift of the exponent, no division rounding)."""
    return value.scaleb(-4)
