"""Per-run summaries of the economic-class lines and the rounding helpers the list rules share.

A report may hold 1,000 projects and 5,000 economic-class lines; a keystroke re-runs every rule
that reads the edited block. So the list work is done once per run (``ctx.memo``) and, for projects,
per project only when that project changed since the last run: results are cached under the
*identity* of the project's values (``id`` of each Decimal, the cache holding a reference so ids
stay valid). Identity, not equality: ``Decimal("1.80") == Decimal("1.8")`` but their rounding
intervals differ.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import field
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

from ..records import record
from ..messages import render
from ..model import EconLine
from ..money import decimals_of, fmt_amount, half_unit

if TYPE_CHECKING:
    from .context import CheckContext

ZERO = Decimal(0)
_DEC: dict[int, tuple[Decimal, int]] = {}


def dec(value: Decimal) -> int:
    """decimals_of with an identity cache (Decimal.as_tuple is slow on long lists)."""
    hit = _DEC.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    d = decimals_of(value)
    if len(_DEC) > 200_000:
        _DEC.clear()
    _DEC[id(value)] = (value, d)
    return d


def hh(value: Decimal, p: int) -> Decimal:
    """Rounding half-width of a value (tolerance.h, cached decimals)."""
    d = dec(value)
    return half_unit(p if p > d else d)


class _Fmt:
    def __init__(self, p: int) -> None:
        self.p = p

    def fmt(self, value: Decimal | None) -> str:
        if value is None:
            return render("_.not_stated")
        d = dec(value)
        return fmt_amount(value, self.p if self.p > d else d)


def sum_with_bound(values: Iterable[Decimal], p: int) -> tuple[Decimal, Decimal]:
    total, bound = ZERO, ZERO
    for v in values:
        total += v
        bound += hh(v, p)
    return total, bound


# ------------------------------------------------------------------ economic-class lines
@record
class EconSummary:
    """One run's summary of expenditure.by_econ: lines, Σ and bound per scope, negatives, 公务接待/资本性支出 lines."""
    by_scope: dict[str, list[int]]
    sums: dict[str, tuple[Decimal, Decimal, bool]]   # scope → (Σ, Σ h, every amount stated)
    negatives: list[int]
    reception: list[int]
    capital: list[int]
    missing: dict[str, int] = field(default_factory=dict)   # scope → amounts not stated


# (scope, code, name, amount) of one economic-class line
_Attrs = tuple[str, str, str, Decimal | None]
_GET: Callable[[EconLine], _Attrs] = attrgetter("scope", "code", "name", "amount")


RECEPTION_WORD, CAPITAL_WORD = "公务接待", "资本性支出"   # names of 302-17 / 310 lines without their codes


def _classify(code: str, name: str) -> tuple[bool, bool]:
    code = code.lstrip()
    return (code.startswith("30217") or RECEPTION_WORD in name, code.startswith("310") or CAPITAL_WORD in name)


def _full_econ(attrs: list[_Attrs], P: int) -> EconSummary:
    by_scope: dict[str, list[int]] = {}
    sums: dict[str, list[Decimal]] = {}     # scope → [Σ, Σ h]
    missing: dict[str, int] = {}            # scope → amounts not stated
    negatives: list[int] = []
    reception: list[int] = []
    capital: list[int] = []
    for i, (scope, code, name, v) in enumerate(attrs):
        by_scope.setdefault(scope, []).append(i)
        acc = sums.get(scope)
        if acc is None:
            acc = sums[scope] = [ZERO, ZERO]
            missing[scope] = 0
        if v is None:
            missing[scope] += 1
        else:
            acc[0] += v
            acc[1] += hh(v, P)
            if v < 0:
                negatives.append(i)
        rec, cap = _classify(code, name)
        if rec:
            reception.append(i)
        if cap:
            capital.append(i)
    return EconSummary(by_scope, {k: (a, b, missing[k] == 0) for k, (a, b) in sums.items()}, negatives, reception,
                       capital, missing)


def _update_econ(old: EconSummary, prev: list[_Attrs], attrs: list[_Attrs], changed: list[int],
                 P: int) -> EconSummary | None:
    """Adjust the previous summary for a few changed lines; None when a scope changed (recompute)."""
    sums = {k: [v[0], v[1]] for k, v in old.sums.items()}     # scope → [Σ, Σ h]
    missing = dict(old.missing)
    negatives, reception, capital = set(old.negatives), set(old.reception), set(old.capital)
    for i in changed:
        o, n = prev[i], attrs[i]
        if o[0] != n[0]:
            return None
        acc = sums[n[0]]
        if o[3] is None:
            missing[n[0]] -= 1
        else:
            acc[0] -= o[3]
            acc[1] -= hh(o[3], P)
        if n[3] is None:
            missing[n[0]] += 1
        else:
            acc[0] += n[3]
            acc[1] += hh(n[3], P)
        for group, flag in ((negatives, n[3] is not None and n[3] < 0),):
            (group.add if flag else group.discard)(i)
        rec, cap = _classify(n[1], n[2])
        (reception.add if rec else reception.discard)(i)
        (capital.add if cap else capital.discard)(i)
    return EconSummary(old.by_scope, {k: (a, b, missing[k] == 0) for k, (a, b) in sums.items()},
                       sorted(negatives), sorted(reception), sorted(capital), missing)


def econ_summary(ctx: CheckContext) -> EconSummary:
    """Scope sums and bounds, negatives, 公务接待费 / 资本性支出 lines of expenditure.by_econ.

    Incremental across runs: kept until a line changes (ctx.kept); then adjusted for the lines the
    engine reports changed (ctx.changed_items), or — when that is unknown — for the lines whose values
    differ by identity from the previous run's; many changed → recomputed."""
    return ctx.kept("econ.summary", ("expenditure.by_econ",), lambda: _econ_summary(ctx))


def _econ_summary(ctx: CheckContext) -> EconSummary:
    P = ctx.p
    lines = ctx.report.expenditure.by_econ
    st = ctx.cache.setdefault("econ", {"p": None, "attrs": None, "ids": None, "summary": None})
    prev: list[_Attrs] = st["attrs"]
    old: EconSummary | None = st["summary"]
    s: EconSummary | None = None
    dirty = ctx.changed_items("econ.summary", "expenditure.by_econ", len(lines))
    if dirty is not None and old is not None and st["p"] == P and prev is not None and len(prev) == len(lines):
        # the engine says which lines changed (Checker.recheck → forget_changed): adjust for those only
        attrs = list(prev)
        for i in dirty:
            attrs[i] = _GET(lines[i])
        s = _update_econ(old, prev, attrs, sorted(dirty), P) if len(dirty) <= 200 else None
        ids = None
    else:
        attrs = list(map(_GET, lines))
        ids = [id(a[3]) for a in attrs]
        prev_ids: list[int] | None = st["ids"]
        if old is not None and st["p"] == P and prev_ids is not None and len(prev_ids) == len(ids):
            if prev_ids == ids and prev == attrs:
                s = old
            else:
                changed = [i for i, (x, y) in enumerate(zip(prev_ids, ids)) if x != y]
                if prev != attrs:
                    changed = sorted(set(changed) | {i for i, (a, b) in enumerate(zip(prev, attrs)) if a != b})
                if len(changed) <= 200:
                    s = _update_econ(old, prev, attrs, changed, P)
    if s is None:
        s = _full_econ(attrs, P)
    st.update(p=P, attrs=attrs, ids=ids, summary=s)   # attrs keeps the Decimals alive: ids stay valid
    # (ids None: the engine's change tracking is in use; a later call without it recomputes)
    return s
