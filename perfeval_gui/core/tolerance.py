"""Rounding-aware comparisons (DOMAIN.md §4, XBRL Calculations 1.1 interval semantics).

Every value v stands for v ± h with h = ½·10^(−p), p = max(report decimals, decimals typed).
A relation ``stated = Σ signed terms`` holds iff |stated − Σ| ≤ h_stated + Σ h_term.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .records import record
from .money import decimals_of, fmt_plain, half_unit


@record(frozen=True)
class Comparison:
    """A rounding-aware comparison: stated and computed value, their difference, the allowed bound, whether it holds."""
    stated: Decimal
    computed: Decimal
    difference: Decimal      # stated − computed
    bound: Decimal           # allowed |difference|
    ok: bool

    def texts(self, places: int) -> dict[str, str]:
        """expected/actual/difference/tolerance strings for a Finding."""
        from .money import fmt_amount
        return {
            "expected": fmt_amount(self.computed, places),
            "actual": fmt_amount(self.stated, places),
            "difference": fmt_amount(self.difference, places),
            "tolerance": fmt_plain(self.bound),
        }


def h(value: Decimal, report_decimals: int) -> Decimal:
    return half_unit(max(report_decimals, decimals_of(value)))


def equals_sum(stated: Decimal, terms: Sequence[Decimal], report_decimals: int,
               signs: Sequence[int] | None = None) -> Comparison:
    """stated vs Σ terms (signs default +1) with the interval bound."""
    signs = signs or [1] * len(terms)
    computed = sum((t * s for t, s in zip(terms, signs)), Decimal(0))
    bound = h(stated, report_decimals) + sum((h(t, report_decimals) for t in terms), Decimal(0))
    diff = stated - computed
    return Comparison(stated, computed, diff, bound, abs(diff) <= bound)


def at_most(lhs: Decimal, rhs_terms: Sequence[Decimal], report_decimals: int,
            signs: Sequence[int] | None = None) -> Comparison:
    """lhs ≤ Σ rhs terms, allowing the rounding bound: fails only when the intervals cannot meet."""
    signs = signs or [1] * len(rhs_terms)
    computed = sum((t * s for t, s in zip(rhs_terms, signs)), Decimal(0))
    bound = h(lhs, report_decimals) + sum((h(t, report_decimals) for t in rhs_terms), Decimal(0))
    diff = lhs - computed
    return Comparison(lhs, computed, diff, bound, diff <= bound)


def score_places(*values: Decimal | None) -> int:
    """Score precision: the decimals typed, at least 2 (DOMAIN.md §4)."""
    return max([2] + [decimals_of(v) for v in values if v is not None])


def stated_rate(stated_pct: Decimal, numerator: Decimal, denominator: Decimal,
                report_decimals: int) -> Comparison | None:
    """A rate stated in % vs numerator ÷ denominator (DOMAIN.md §4 "Ratios"): accepted when it lies
    between the rates computed from the operands' interval ends, widened by half a unit of the stated
    rate's last digit. None when the denominator's interval reaches 0 (no rate to compare)."""
    hn, hd = h(numerator, report_decimals), h(denominator, report_decimals)
    if denominator - hd <= 0:
        return None
    hundred = Decimal(100)
    computed = numerator / denominator * hundred
    low = (numerator - hn) / (denominator + hd) * hundred
    high = (numerator + hn) / (denominator - hd) * hundred
    hs = half_unit(decimals_of(stated_pct))
    bound = max(high - computed, computed - low) + hs
    return Comparison(stated_pct, computed, stated_pct - computed, bound, low - hs <= stated_pct <= high + hs)


def rate_score(stated_score: Decimal, weight: Decimal, numerator: Decimal, denominator: Decimal,
               report_decimals: int, min_tolerance: Decimal = Decimal("0.01")) -> Comparison | None:
    """得分 = 分值 × min(执行数 ÷ 预算数, 1) with the interval of the rate and the score's own decimals
    (at least ``min_tolerance``). None when the denominator's interval reaches 0."""
    hn, hd = h(numerator, report_decimals), h(denominator, report_decimals)
    if denominator - hd <= 0:
        return None
    one = Decimal(1)
    computed = weight * min(numerator / denominator, one)
    low = weight * min((numerator - hn) / (denominator + hd), one)
    high = weight * min((numerator + hn) / (denominator - hd), one)
    hs = max(half_unit(score_places(stated_score)), min_tolerance)
    bound = max(high - computed, computed - low) + hs
    return Comparison(stated_score, computed, stated_score - computed, bound,
                      low - hs <= stated_score <= high + hs)
