"""Income and expenditure totals (DOMAIN.md §7.2)."""
from __future__ import annotations

from ..findings import Severity
from ..tolerance import equals_sum
from .registry import rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


@rule("INC-01", E, "预算收入 = 年初预算 + 调整追加",
      "budget_total = budget_initial + budget_adjustment", reads=("income",))
def inc01(ctx):
    inc = ctx.report.income
    if inc.budget_total is None or inc.budget_initial is None:
        return
    adj = inc.budget_adjustment if inc.budget_adjustment is not None else 0
    from decimal import Decimal
    c = equals_sum(inc.budget_total, [inc.budget_initial, Decimal(adj)], ctx.p)
    if not c.ok:
        yield ctx.finding(
            f"预算收入应为 年初预算 {ctx.fmt(inc.budget_initial)} + 调整追加 {ctx.fmt(Decimal(adj))} = "
            f"{ctx.fmt(c.computed)} 万元，现填 {ctx.fmt(inc.budget_total)} 万元（相差 {ctx.fmt(c.difference)}）。",
            ("income.budget_total", "income.budget_initial", "income.budget_adjustment"), comparison=c)


@rule("EXP-01", E, "支出合计 = 基本支出 + 项目支出",
      "expenditure.total = basic + project_total", reads=("expenditure",))
def exp01(ctx):
    ex = ctx.report.expenditure
    if None in (ex.total, ex.basic, ex.project_total):
        return
    c = equals_sum(ex.total, [ex.basic, ex.project_total], ctx.p)
    if not c.ok:
        yield ctx.finding(
            f"支出合计应为 基本支出 {ctx.fmt(ex.basic)} + 项目支出 {ctx.fmt(ex.project_total)} = "
            f"{ctx.fmt(c.computed)} 万元，现填 {ctx.fmt(ex.total)} 万元（相差 {ctx.fmt(c.difference)}）。",
            ("expenditure.total", "expenditure.basic", "expenditure.project_total"), comparison=c)
