"""Projects (DOMAIN.md §7.3)."""
from __future__ import annotations

from decimal import Decimal

from ..derived import project_budget_final
from ..findings import Severity
from ..tolerance import at_most, equals_sum, h
from ._common import PROJECT_ANALYSIS_SLOT, mismatch_message, name_variants, pct, project_exec
from .registry import rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)


def _label(p) -> str:
    return f"项目“{p.name or '（未命名）'}”："


def _budget_terms(p, i):
    """Project budget as terms: 全年预算 stated, else 年初预算 (+ 调整追加)."""
    if p.budget_final is not None:
        return [("预算", p.budget_final, 1)], [f"projects[{i}].budget_final"]
    if p.budget_initial is None and p.budget_adjustment is None:
        return None, []
    terms, paths = [], []
    if p.budget_initial is not None:
        terms.append(("年初预算", p.budget_initial, 1))
        paths.append(f"projects[{i}].budget_initial")
    if p.budget_adjustment is not None:
        terms.append(("调整追加", p.budget_adjustment, 1))
        paths.append(f"projects[{i}].budget_adjustment")
    return terms, paths


@rule("PRJ-01", E, "项目全年预算 = 年初预算 + 调整追加", "budget_final = budget_initial + budget_adjustment",
      reads=("projects",))
def prj01(ctx):
    for i, p in enumerate(ctx.report.projects):
        if p.budget_final is None or (p.budget_initial is None and p.budget_adjustment is None):
            continue
        ini = p.budget_initial if p.budget_initial is not None else ZERO
        adj = p.budget_adjustment if p.budget_adjustment is not None else ZERO
        c = equals_sum(p.budget_final, [ini, adj], ctx.p)
        if not c.ok:
            yield ctx.finding(
                mismatch_message(ctx, "全年预算", [("年初预算", ini, 1), ("调整追加", adj, 1)], c, prefix=_label(p)),
                (f"projects[{i}].budget_final", f"projects[{i}].budget_initial", f"projects[{i}].budget_adjustment"),
                comparison=c)


@rule("PRJ-02", E, "项目实际支出不超过预算", "actual ≤ budget_final + carryover_prior", reads=("projects",))
def prj02(ctx):
    for i, p in enumerate(ctx.report.projects):
        if p.actual is None:
            continue
        terms, paths = _budget_terms(p, i)
        if terms is None:
            continue
        if p.carryover_prior is not None:
            terms.append(("上年结转", p.carryover_prior, 1))
            paths.append(f"projects[{i}].carryover_prior")
        c = at_most(p.actual, [v for _, v, _ in terms], ctx.p)
        if not c.ok:
            parts = " + ".join(f"{label} {ctx.fmt(v)}" for label, v, _ in terms)
            yield ctx.finding(
                f"{_label(p)}实际支出 {ctx.fmt(p.actual)} 万元超过 {parts} = {ctx.fmt(c.computed)} 万元"
                f"（超支 {ctx.fmt(c.difference)}）。", (f"projects[{i}].actual", *paths), comparison=c)


@rule("PRJ-03", E, "项目结余结转 = 预算 + 上年结转 − 实际支出",
      "carryover = budget_final + carryover_prior − actual", reads=("projects",))
def prj03(ctx):
    for i, p in enumerate(ctx.report.projects):
        if p.carryover is None or p.actual is None:
            continue
        terms, paths = _budget_terms(p, i)
        if terms is None:
            continue
        if len(terms) > 1:   # show the derived budget as one figure, keep each operand's interval
            shown_budget = [("预算", sum((v for _, v, _ in terms), ZERO), 1)]
        else:
            shown_budget = terms
        prior = p.carryover_prior if p.carryover_prior is not None else ZERO
        values = [v for _, v, _ in terms] + ([p.carryover_prior] if p.carryover_prior is not None else [])
        signs = [1] * len(values)
        c = equals_sum(p.carryover, values + [p.actual], ctx.p, signs + [-1])
        if not c.ok:
            shown = shown_budget + [("上年结转", prior, 1), ("实际支出", p.actual, -1)]
            yield ctx.finding(
                mismatch_message(ctx, "结余结转", shown, c, prefix=_label(p)),
                (f"projects[{i}].carryover", *paths, f"projects[{i}].carryover_prior", f"projects[{i}].actual"),
                comparison=c)


@rule("PRJ-04", E, "项目结余结转之和不超过单位结余结转", "Σ projects.carryover ≤ expenditure.carryover_end",
      reads=("projects", "expenditure"))
def prj04(ctx):
    unit = ctx.report.expenditure.carryover_end
    stated = [(i, p) for i, p in enumerate(ctx.report.projects) if p.carryover is not None]
    if unit is None or not stated:
        return
    values = [p.carryover for _, p in stated]
    total = sum(values, ZERO)
    bound = h(unit, ctx.p) + sum((h(v, ctx.p) for v in values), ZERO)
    diff = total - unit
    if diff > bound:
        parts = " + ".join(ctx.fmt(v) for v in values[:10]) + (" + …" if len(values) > 10 else "")
        first = [f"projects[{i}].carryover" for i, p in stated if p.carryover != 0]
        rest = [f"projects[{i}].carryover" for i, p in stated if p.carryover == 0]
        yield ctx.finding(
            f"各项目结余结转合计 {parts} = {ctx.fmt(total)} 万元，大于单位结余结转 {ctx.fmt(unit)} 万元"
            f"（多 {ctx.fmt(diff)}，允许误差 {bound}）。项目结转不能超过单位结转。",
            (*first, "expenditure.carryover_end", *rest), expected=f"≤ {ctx.fmt(unit)}", actual=ctx.fmt(total),
            difference=ctx.fmt(diff), tolerance=str(bound))


@rule("PRJ-05", W, "项目执行率偏低时应说明偏差原因", "exec_rate < thresholds.exec_rate_low ⇒ deviation_reason",
      reads=("projects", "income", "expenditure"), tolerance="—")
def prj05(ctx):
    threshold = ctx.profile.decimal("thresholds.exec_rate_low", "0.90")
    for i, p in enumerate(ctx.report.projects):
        if p.deviation_reason.strip():
            continue
        rate, inferred = project_exec(ctx.report, p, ctx.p)
        if rate is None or inferred:
            continue
        budget = project_budget_final(p)
        avail = budget + (p.carryover_prior or ZERO)
        low = avail - h(avail, ctx.p)
        if low <= 0 or (p.actual + h(p.actual, ctx.p)) / low >= threshold:
            continue
        yield ctx.finding(
            f"{_label(p)}预算执行率 {pct(rate)} 低于 {pct(threshold)}，请填写偏差原因分析及改进措施。",
            (f"projects[{i}].deviation_reason", f"projects[{i}].actual", f"projects[{i}].budget_final"),
            expected=f"≥ {pct(threshold)}", actual=pct(rate))


def _has_analysis(p, text: str) -> bool:
    if any(x.strip() for x in (p.purpose, p.analysis_economy, p.analysis_effectiveness, p.analysis_sustainability)):
        return True
    return any(v in text for v in name_variants(p.name))


@rule("PRJ-06", W, "每个项目都应有绩效分析（湖南九部分格式 五（二））",
      "hunan9: every project has purpose/analysis or is named in narrative[五.二]",
      reads=("projects", "narrative", "meta"), tolerance="—")
def prj06(ctx):
    if ctx.template != "hunan9":
        return
    slot = PROJECT_ANALYSIS_SLOT["hunan9"]
    text = ctx.report.narrative.get(slot, "") or ""
    for i, p in enumerate(ctx.report.projects):
        if not p.name.strip() or _has_analysis(p, text):
            continue
        amount = p.actual if p.actual is not None else project_budget_final(p)
        money = f"（{ctx.fmt(amount)} 万元）" if amount is not None else ""
        yield ctx.finding(
            f"项目“{p.name}”{money}在 五（二）单位项目资金绩效分析 中没有绩效分析，每个项目都应自评。",
            (f"projects[{i}].analysis_effectiveness", f"narrative[{slot}]"))


@rule("PRJ-07", E, "项目名称不重复", "project names unique", reads=("projects",), tolerance="X")
def prj07(ctx):
    seen: dict[str, list[int]] = {}
    for i, p in enumerate(ctx.report.projects):
        key = p.name.strip()
        if key:
            seen.setdefault(key, []).append(i)
    for name, idx in seen.items():
        if len(idx) < 2:
            continue
        ps = [ctx.report.projects[i] for i in idx]
        amounts = {(p.budget_final, p.budget_initial, p.budget_adjustment, p.actual, p.carryover) for p in ps}
        extra = "且金额不同，" if len(amounts) > 1 else ""
        yield ctx.finding(
            f"项目“{name}”列出了 {len(idx)} 次，{extra}请合并或改名。",
            tuple(f"projects[{i}].name" for i in idx))
