"""三公经费, assets and procurement (DOMAIN.md §7.4)."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .. import regex
from ..derived import THREE_PUBLIC_ITEMS, three_public_total
from ..findings import Severity
from ..tolerance import Comparison, at_most, equals_sum
from ..template import get_template
from ._common import mismatch_args, pct, place, section_text, sentences, within
from ._summaries import econ_summary, hh, sum_with_bound
from .context import CheckContext
from .registry import RuleOutput, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)
ITEM_LABEL = dict(THREE_PUBLIC_ITEMS)


@rule("TPF-01", E, "三公经费合计 = 各项之和", "total_stated = abroad + vehicle_purchase + vehicle_operation + reception",
      reads=("three_public",))
def tpf01(ctx: CheckContext) -> RuleOutput:
    tp = ctx.report.three_public
    items = [(k, getattr(tp, k).actual) for k, _ in THREE_PUBLIC_ITEMS]
    items = [(k, v) for k, v in items if v is not None]
    if tp.total_stated is None or not items:
        return
    c = equals_sum(tp.total_stated, [v for _, v in items], ctx.p)
    if not c.ok:
        yield ctx.finding(
            "", ("three_public.total_stated", *(f"three_public.{k}.actual" for k, _ in items)),
            args=mismatch_args(ctx, [(ITEM_LABEL[k], v, 1) for k, v in items], c), comparison=c)


@rule("TPF-02", W, "三公经费各项不超预算", "item.actual ≤ item.budget", reads=("three_public",))
def tpf02(ctx: CheckContext) -> RuleOutput:
    tp = ctx.report.three_public
    for key, label in THREE_PUBLIC_ITEMS:
        item = getattr(tp, key)
        if item.actual is None or item.budget is None:
            continue
        c = at_most(item.actual, [item.budget], ctx.p)
        if not c.ok:
            yield ctx.finding(
                "", (f"three_public.{key}.actual", f"three_public.{key}.budget"), comparison=c,
                args={"item": label, "actual": ctx.fmt(item.actual), "budget": ctx.fmt(item.budget),
                      "difference": ctx.fmt(c.difference)})


@rule("TPF-03", W, "三公经费不比上年增长", "三公 total − prior_year_total ≤ 0", reads=("three_public", "prior_year"))
def tpf03(ctx: CheckContext) -> RuleOutput:
    tp = ctx.report.three_public
    current = tp.total_stated if tp.total_stated is not None else three_public_total(ctx.report)
    prior = tp.prior_year_total
    prior_path = "three_public.prior_year_total"
    if prior is None:
        prior = ctx.report.prior_year.get("three_public.total_stated")
        prior_path = "prior_year[three_public.total_stated]"
    if current is None or prior is None or prior == 0:
        return
    c = at_most(current, [prior], ctx.p)
    if not c.ok:
        rate = (current - prior) / prior
        yield ctx.finding("", ("three_public.total_stated", prior_path), comparison=c,
                          args={"current": ctx.fmt(current), "prior": ctx.fmt(prior), "rate": pct(rate)})


@rule("TPF-04", W, "公务接待费与经济分类一致", "reception.actual = Σ by_econ 公务接待费 (302-17)",
      reads=("three_public", "expenditure"))
def tpf04(ctx: CheckContext) -> RuleOutput:
    rec = ctx.report.three_public.reception.actual
    if rec is None:
        return
    lines = ctx.report.expenditure.by_econ

    def reception_lines() -> tuple[list[int], Decimal, Decimal]:
        idx = [i for i in econ_summary(ctx).reception if lines[i].amount is not None]
        use = [i for i in idx if lines[i].scope == "total"] or idx
        return use, *sum_with_bound([a for i in use if (a := lines[i].amount) is not None], ctx.p)
    use, total, bound = ctx.kept("econ.reception", ("expenditure.by_econ",), reception_lines)
    if not use:
        return
    bound += hh(rec, ctx.p)
    c = Comparison(rec, total, rec - total, bound, abs(rec - total) <= bound)   # tolerance.equals_sum
    if not c.ok:
        yield ctx.finding(
            "", ("three_public.reception.actual", *(f"expenditure.by_econ[{i}].amount" for i in use)), comparison=c,
            args={"reception": ctx.fmt(rec), "econ": ctx.fmt(c.computed), "difference": ctx.fmt(c.difference)})


NONE_PATTERNS = {
    "abroad": r"因公出国",
    "vehicle_purchase": r"公务用车[（(]?购置",
    "vehicle_operation": r"公务用车运行",
    "reception": r"公务接待",
}
_NONE_WORDS = ("无", "没有", "未发生")     # '无因公出国（境）费支出', '没有发生公务接待', '未发生…'
_NONE_RE = {k: regex.compile("(" + "|".join(_NONE_WORDS) + r")[^。；，,]{0,16}?" + v) for k, v in NONE_PATTERNS.items()}


def zero_statements(text: str) -> Iterator[tuple[str, str]]:
    """(item key, sentence) for every '无…因公出国…' style statement in the text."""
    for s in sentences(text):
        for key, rx in _NONE_RE.items():
            if rx.search(s):
                yield key, s


@rule("TPF-05", E, "文字称“无…支出”但三公经费该项不为 0", "text '无因公出国（境）费…' ⇒ item.actual = 0",
      reads=("three_public", "narrative"))
def tpf05(ctx: CheckContext) -> RuleOutput:
    tp = ctx.report.three_public
    for slot, text in ctx.report.narrative.items():
        if not text or not any(w in text for w in _NONE_WORDS):
            continue
        for key, sentence in zero_statements(text):
            value = getattr(tp, key).actual
            if value is None or within(value, ZERO, ctx.p):
                continue
            yield ctx.finding(
                "", (f"narrative[{slot}]", f"three_public.{key}.actual"), quote=sentence,
                args={"item": ITEM_LABEL[key], "value": ctx.fmt(value)},
                expected="0", actual=ctx.fmt(value))


@rule("AST-01", E, "固定资产期末 = 期初 + 增加 − 减少", "fixed_end = fixed_begin + fixed_increase − fixed_decrease",
      reads=("assets",))
def ast01(ctx: CheckContext) -> RuleOutput:
    a = ctx.report.assets
    if a.fixed_end is None or a.fixed_begin is None:
        return
    inc = a.fixed_increase if a.fixed_increase is not None else ZERO
    dec = a.fixed_decrease if a.fixed_decrease is not None else ZERO
    if a.fixed_increase is None and a.fixed_decrease is None:
        return
    c = equals_sum(a.fixed_end, [a.fixed_begin, inc, dec], ctx.p, [1, 1, -1])
    if not c.ok:
        yield ctx.finding(
            "", ("assets.fixed_end", "assets.fixed_begin", "assets.fixed_increase", "assets.fixed_decrease"),
            args={"begin": ctx.fmt(a.fixed_begin), "increase": ctx.fmt(inc), "decrease": ctx.fmt(dec),
                  "computed": ctx.fmt(c.computed), "stated": ctx.fmt(c.stated), "difference": ctx.fmt(c.difference),
                  "bound": str(c.bound)}, comparison=c)


# what the assets part says when it explains capital spending
_ASSET_WORDS = ("资本性支出", "新增固定资产", "新增资产")


@rule("AST-02", W, "有资本性支出但未说明新增资产", "Σ by_econ 310 > 0 ⇒ fixed_increase > 0 or 四 explains it",
      reads=("expenditure", "assets", "narrative", "meta"), tolerance="—")
def ast02(ctx: CheckContext) -> RuleOutput:
    lines = ctx.report.expenditure.by_econ
    cap = [i for i in econ_summary(ctx).capital if lines[i].amount is not None]
    idx = [i for i in cap if lines[i].scope != "total"] or cap
    capital = sum((a for i in idx if (a := lines[i].amount) is not None), ZERO)   # = all of idx
    if not idx or within(capital, ZERO, ctx.p):
        return
    inc = ctx.report.assets.fixed_increase
    if inc is not None and not within(inc, ZERO, ctx.p):
        return
    where = place(ctx.report, "assets") or get_template(ctx.template).sections[0].id
    sid = where.split(".")[0]
    text = section_text(ctx.report, sid)
    if any(w in text for w in _ASSET_WORDS):
        return
    slot = f"narrative[{where}]"
    yield ctx.finding(
        ".zero" if inc is not None else ".unstated",
        (f"expenditure.by_econ[{idx[0]}].amount", "assets.fixed_increase", slot),
        args={"capital": ctx.fmt(capital), "section": sid}, actual=ctx.fmt(capital))


@rule("PRC-01", W, "政府采购不超预算", "procurement.actual ≤ procurement.budget", reads=("procurement",))
def prc01(ctx: CheckContext) -> RuleOutput:
    pr = ctx.report.procurement
    if pr.actual is None or pr.budget is None:
        return
    c = at_most(pr.actual, [pr.budget], ctx.p)
    if not c.ok:
        yield ctx.finding("", ("procurement.actual", "procurement.budget"), comparison=c,
                          args={"actual": ctx.fmt(pr.actual), "budget": ctx.fmt(pr.budget),
                                "difference": ctx.fmt(c.difference)})
