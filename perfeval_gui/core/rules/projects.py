"""Projects (DOMAIN.md §7.3)."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ..derived import project_budget_final
from ..findings import Severity
from ._common import PROJECT_ANALYSIS_SLOT, name_variants
from ._summaries import hh, project_issue_findings, sum_with_bound
from .registry import rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)


@rule("PRJ-01", E, "项目全年预算 = 年初预算 + 调整追加", "budget_final = budget_initial + budget_adjustment",
      reads=("projects",))
def prj01(ctx):
    yield from project_issue_findings(ctx, "PRJ-01")


@rule("PRJ-02", E, "项目实际支出不超过预算", "actual ≤ budget_final + carryover_prior", reads=("projects",))
def prj02(ctx):
    yield from project_issue_findings(ctx, "PRJ-02")


@rule("PRJ-03", E, "项目结余结转 = 预算 + 上年结转 − 实际支出",
      "carryover = budget_final + carryover_prior − actual", reads=("projects",))
def prj03(ctx):
    yield from project_issue_findings(ctx, "PRJ-03")


@rule("PRJ-04", E, "项目结余结转之和不超过单位结余结转", "Σ projects.carryover ≤ expenditure.carryover_end",
      reads=("projects", "expenditure"))
def prj04(ctx):
    unit = ctx.report.expenditure.carryover_end
    stated = [(i, p) for i, p in enumerate(ctx.report.projects) if p.carryover is not None]
    if unit is None or not stated:
        return
    values = [p.carryover for _, p in stated]
    total, bound = sum_with_bound(values, ctx.p)
    bound += hh(unit, ctx.p)
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
      reads=("projects",), tolerance="—")
def prj05(ctx):
    yield from project_issue_findings(ctx, "PRJ-05")


@lru_cache(maxsize=64)
def _unanalysed(text: str, items: tuple[tuple[str, bool], ...]) -> tuple[int, ...]:
    """Indices of projects with no analysis of their own and not named in the 五（二） text."""
    return tuple(i for i, (name, has) in enumerate(items)
                 if name.strip() and not has and not any(v in text for v in name_variants(name)))


@rule("PRJ-06", W, "每个项目都应有绩效分析（湖南九部分格式 五（二））",
      "hunan9: every project has purpose/analysis or is named in narrative[五.二]",
      reads=("projects", "narrative", "meta"), tolerance="—")
def prj06(ctx):
    if ctx.template != "hunan9":
        return
    slot = PROJECT_ANALYSIS_SLOT["hunan9"]
    text = ctx.report.narrative.get(slot, "") or ""
    ps = ctx.report.projects
    items = tuple((p.name, bool(p.purpose.strip() or p.analysis_economy.strip() or p.analysis_effectiveness.strip()
                                or p.analysis_sustainability.strip())) for p in ps)
    for i in _unanalysed(text, items):
        p = ps[i]
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
