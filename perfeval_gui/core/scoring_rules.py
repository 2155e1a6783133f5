"""Score rules of DOMAIN.md §6.3, pure functions (no Qt).

The GUI calls :func:`computed_score` to show what an indicator's score should be; rule SCO-04
compares it with the stated score and SCO-05 uses :func:`qualitative_range`.

``ScoreNode.rule_params`` carries the rule's parameters:

* ``deduct_per_point``: ``{"step": "0.5", "per": "1"}`` — ``step`` points off per ``per`` points
  of overshoot (overshoot = achieved − target for direction ≤, target − achieved for ≥).
* ``bands``: ``{"bands": [{"upto": "0", "score": "8"}, {"upto": "10", "score": "6"}, …,
  {"score": "0"}]}`` — the first band whose ``upto`` ≥ achieved gives the score (a band without
  ``upto`` catches the rest); or ``{"from": "95", "score": "10"}`` bands for "the higher the better",
  the first band whose ``from`` ≤ achieved.
* ``equal``: achieved = target → weight, else 0 (target 0: achieved ≤ 0 → weight).
* ``exec_rate``: achieved is the execution rate, in % when ``unit == "%"`` (target defaults to 100),
  otherwise a fraction (target defaults to 1).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .records import record
from .model import ScoreNode
from .money import decimals_of

ZERO = Decimal(0)
ONE = Decimal(1)
COMPUTED_RULES = ("exec_rate", "ratio_up", "ratio_down", "equal", "deduct_per_point", "bands")

# default tiers of the qualitative rule (share of the weight); a rule profile may override them
DEFAULT_TIERS = {"达成": ("0.8", "1.0"), "部分达成": ("0.6", "0.8"), "未达成": ("0", "0.6")}


class ScoreRuleError(ValueError):
    """The node's parameters cannot produce a score; the message (Chinese) says why."""


@record(frozen=True)
class ScoreResult:
    """A score computed by an indicator's rule: the exact score and the Chinese explanation of the arithmetic."""
    score: Decimal          # exact (not rounded)
    explanation: str        # Chinese: the arithmetic, for messages and the GUI tooltip


def _d(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ScoreRuleError(f"参数“{value}”不是数字") from None


def _t(value: Decimal) -> str:
    """Compact display of an exact Decimal (at most 4 decimals)."""
    q = value.quantize(Decimal("0.0001")) if decimals_of(value) > 4 else value
    text = format(q.normalize(), "f") if q == q.to_integral_value() else format(q, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _clamp(score: Decimal, weight: Decimal) -> Decimal:
    return max(ZERO, min(score, weight))


def computed_score(node: ScoreNode, formulas: Mapping[str, object] | None = None) -> ScoreResult | None:
    """The score the node's rule gives, or None when the rule is manual/qualitative or an
    operand is missing. Raises :class:`ScoreRuleError` on unusable parameters.

    ``formulas``: the profile's ``[formulas]`` (docs/profiles.md) — how a ≤ indicator (``ratio_down``)
    is scored: "inverse" t ÷ a × w (DOMAIN §6.3) or "linear" w × (1 − (a − t) ÷ t), 0 from 2t on."""
    rule = node.rule
    if rule not in COMPUTED_RULES or node.weight is None or node.achieved is None:
        return None
    w, a = node.weight, node.achieved
    params = node.rule_params or {}
    if rule == "exec_rate":
        target = node.target if node.target else (Decimal(100) if node.unit == "%" else ONE)
        rate = a / target
        score = min(rate, ONE) * w
        return ScoreResult(_clamp(score, w), f"min({_t(a)} ÷ {_t(target)}, 1) × {_t(w)} = {_t(score)}")
    t = node.target
    if rule == "ratio_up":
        if t is None:
            return None
        if a >= t:
            return ScoreResult(w, f"{_t(a)} ≥ {_t(t)}，得满分 {_t(w)}")
        if t == 0:
            return ScoreResult(w, f"目标值为 0，得满分 {_t(w)}")
        score = a / t * w
        return ScoreResult(_clamp(score, w), f"{_t(a)} ÷ {_t(t)} × {_t(w)} = {_t(score)}")
    if rule == "ratio_down":
        if t is None:
            return None
        if a <= t:
            return ScoreResult(w, f"{_t(a)} ≤ {_t(t)}，得满分 {_t(w)}")
        if (formulas or {}).get("≤") == "linear":
            if t <= 0 or a >= 2 * t:
                return ScoreResult(ZERO, f"{_t(a)} ≥ 2 × {_t(t)}，得 0 分" if t > 0 else
                                   f"目标值 {_t(t)}，实际 {_t(a)} 超过目标，得 0 分")
            score = w * (ONE - (a - t) / t)
            return ScoreResult(_clamp(score, w), f"{_t(w)} × (1 − ({_t(a)} − {_t(t)}) ÷ {_t(t)}) = {_t(score)}")
        score = t / a * w
        return ScoreResult(_clamp(score, w), f"{_t(t)} ÷ {_t(a)} × {_t(w)} = {_t(score)}")
    if rule == "equal":
        if t is None:
            return None
        if a == t or (t == 0 and a <= 0):
            return ScoreResult(w, f"{_t(a)} 符合目标 {_t(t)}，得满分 {_t(w)}")
        return ScoreResult(ZERO, f"{_t(a)} 不等于目标 {_t(t)}，得 0 分")
    if rule == "deduct_per_point":
        if t is None:
            return None
        step = _d(params.get("step", "1"))
        per = _d(params.get("per", "1"))
        if per <= 0:
            raise ScoreRuleError("扣分规则的“每…个百分点”必须大于 0")
        over = (a - t) if node.direction == "≤" else (t - a)
        over = max(ZERO, over)
        score = max(ZERO, w - step * over / per)
        per_text = "" if per == 1 else f" ÷ {_t(per)}"
        return ScoreResult(score, f"{_t(w)} − {_t(step)} × {_t(over)}{per_text} = {_t(score)}（不低于 0）")
    if rule == "bands":
        bands = params.get("bands") or []
        if not bands:
            raise ScoreRuleError("分档规则没有填写分档")
        for band in bands:
            if "upto" in band and band["upto"] not in (None, ""):
                if a <= _d(band["upto"]):
                    s = _d(band["score"])
                    return ScoreResult(_clamp(s, w), f"{_t(a)} ≤ {_t(_d(band['upto']))}，得 {_t(s)} 分")
            elif "from" in band and band["from"] not in (None, ""):
                if a >= _d(band["from"]):
                    s = _d(band["score"])
                    return ScoreResult(_clamp(s, w), f"{_t(a)} ≥ {_t(_d(band['from']))}，得 {_t(s)} 分")
            else:
                s = _d(band["score"])
                return ScoreResult(_clamp(s, w), f"{_t(a)} 落在最后一档，得 {_t(s)} 分")
        return ScoreResult(ZERO, f"{_t(a)} 不在任何一档，得 0 分")
    return None  # pragma: no cover


def qualitative_range(tier: str, weight: Decimal, tiers: Mapping[str, Sequence[object]] | None = None) -> tuple[Decimal, Decimal] | None:
    """The allowed score interval of a qualitative tier (达成 80–100 % of the weight, …)."""
    table = tiers or DEFAULT_TIERS
    bounds = table.get(tier)
    if bounds is None:
        return None
    lo, hi = (_d(x) for x in bounds)
    return lo * weight, hi * weight


def target_missed(node: ScoreNode) -> bool | None:
    """True when achieved falls short of the target in the node's direction; None if unknown."""
    if node.target is None or node.achieved is None or node.direction == "qual":
        return None
    if node.direction == "≤":
        return node.achieved > node.target
    if node.direction == "=":
        return node.achieved != node.target
    return node.achieved < node.target
