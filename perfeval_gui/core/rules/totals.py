"""Income and expenditure totals (DOMAIN.md §7.2)."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from .. import regex
from .. import fields
from ..derived import budget_final, budget_terms, exec_rate, project_budget_final, total_actual
from ..findings import Severity
from ..model import Report, iter_money_paths
from ..money import half_unit
from ..narrative import extract
from ..tolerance import Comparison, at_most, equals_sum, h
from ..messages import text
from ._common import Term, all_stated, arithmetic, item_paths, mismatch_args, exec_problem_re, pct, problem_section, problem_title, section_text, z
from ._summaries import econ_summary, hh, sum_with_bound
from .projects import project_issue_findings, project_sum, project_summary
from .forms import shared_form_cells_note
from .context import CheckContext
from .registry import RuleOutput, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)


def _budget_terms(report: Report) -> tuple[list[tuple[str, Decimal, int]] | None, list[str]]:
    """derived.budget_terms as (label, value, sign) terms for a message, and the paths to name."""
    terms = budget_terms(report)
    if not terms:
        return None, []
    paths = [p for p, _ in terms]
    if paths == ["income.budget_initial"]:
        paths.append("income.budget_adjustment")
    return [(fields.label(p), v, 1) for p, v in terms], paths


@rule("INC-01", E, "预算收入 = 年初预算 + 调整追加",
      "budget_total = budget_initial + budget_adjustment", reads=("income",))
def inc01(ctx: CheckContext) -> RuleOutput:
    inc = ctx.report.income
    if inc.budget_total is None or inc.budget_initial is None:
        return
    adj = z(inc.budget_adjustment)
    c = equals_sum(inc.budget_total, [inc.budget_initial, adj], ctx.p)
    if not c.ok:
        terms: list[Term] = [(fields.label("income.budget_initial"), inc.budget_initial, 1),
                             (fields.label("income.budget_adjustment"), adj, 1)]
        yield ctx.finding("", ("income.budget_total", "income.budget_initial", "income.budget_adjustment"),
                          args=mismatch_args(ctx, terms, c), comparison=c)


@rule("INC-02", E, "年中追加项目预算不超过调整追加",
      "Σ projects(kind='added').budget_final ≤ budget_adjustment (only when budget_adjustment > 0)",
      reads=("income", "projects"))
def inc02(ctx: CheckContext) -> RuleOutput:
    """Applies only to an increase (DOMAIN §12.3): a zero or negative 调整追加 (a mid-year cut) is not checked."""
    inc = ctx.report.income
    if inc.budget_adjustment is None or inc.budget_adjustment <= 0:
        return
    entries = project_summary(ctx).entries
    added = [(i, p) for i, p in enumerate(ctx.report.projects) if p.kind == "added"]
    finals = [entries[i].final for i, _ in added]
    if not added or not all_stated(finals):
        return
    paths = ["income.budget_adjustment"] + [f"projects[{i}].budget_final" for i, _ in added]
    total, bound = sum_with_bound(finals, ctx.p)
    bound += hh(inc.budget_adjustment, ctx.p)
    c = Comparison(total, inc.budget_adjustment, total - inc.budget_adjustment, bound,
                   abs(total - inc.budget_adjustment) <= bound)
    shown = arithmetic(ctx, [(text("_.quoted", name=p.name), v, 1) for (_, p), v in list(zip(added, finals))[:8]])
    if len(added) > 8:
        shown += text("_.more_terms", count=len(added))
    args = {"terms": shown, "total": ctx.fmt(total), "adjustment": ctx.fmt(inc.budget_adjustment)}
    if c.difference > bound:
        yield ctx.finding(".over", paths, args={**args, "difference": ctx.fmt(c.difference)}, comparison=c)
    elif -c.difference > bound:
        yield ctx.finding(".rest", paths, args={**args, "rest": ctx.fmt(-c.difference)}, severity=I, comparison=c)


@rule("INC-03", E, "其中财政资金不超过支出合计", "fiscal_funds ≤ expenditure.total", reads=("income", "expenditure"))
def inc03(ctx: CheckContext) -> RuleOutput:
    ff, total = ctx.report.income.fiscal_funds, ctx.report.expenditure.total
    if ff is None or total is None:
        return
    c = at_most(ff, [total], ctx.p)
    if not c.ok:
        yield ctx.finding("", ("income.fiscal_funds", "expenditure.total"), comparison=c,
                          args={"fiscal": ctx.fmt(ff), "total": ctx.fmt(total), "difference": ctx.fmt(c.difference)})


def _sum_rule(ctx: CheckContext, total: Decimal, total_path: str,
              terms: Sequence[tuple[str, Decimal, int]], term_paths: tuple[str, ...],
              more: Callable[[CheckContext], Mapping[str, str]] | None = None) -> RuleOutput:
    """A stated total against its sum, in the rule's own catalogue entry (``more``: further arguments)."""
    c = equals_sum(total, [v for _, v, _ in terms], ctx.p, [s for _, _, s in terms])
    if not c.ok:
        args = {**mismatch_args(ctx, terms, c), **(more(ctx) if more else {})}
        yield ctx.finding("", (total_path, *term_paths), args=args, comparison=c)


@rule("EXP-01", E, "支出合计 = 基本支出 + 项目支出",
      "expenditure.total = basic + project_total", reads=("expenditure",))
def exp01(ctx: CheckContext) -> RuleOutput:
    ex = ctx.report.expenditure
    if ex.total is None or ex.basic is None or ex.project_total is None:
        return
    # the same three cells are the 部门整体支出绩效自评表's 全年执行数 column: say so (issue 17)
    yield from _sum_rule(ctx, ex.total, "expenditure.total",
                         [(fields.label("expenditure.basic"), ex.basic, 1),
                          (fields.label("expenditure.project_total"), ex.project_total, 1)],
                         ("expenditure.basic", "expenditure.project_total"),
                         lambda ctx: {"note": shared_form_cells_note(ctx, "expenditure.total")})


@rule("EXP-02", E, "基本支出 = 人员经费 + 日常公用经费", "basic = personnel + public_ops", reads=("expenditure",))
def exp02(ctx: CheckContext) -> RuleOutput:
    ex = ctx.report.expenditure
    if ex.basic is None or ex.personnel is None or ex.public_ops is None:
        return
    yield from _sum_rule(ctx, ex.basic, "expenditure.basic",
                         [(fields.label("expenditure.personnel"), ex.personnel, 1),
                          (fields.label("expenditure.public_ops"), ex.public_ops, 1)],
                         ("expenditure.personnel", "expenditure.public_ops"))


def _shown_terms(ctx: CheckContext, names_values: Sequence[tuple[str, Decimal | None]], count: int) -> str:
    """The first 8 terms of a long sum, and "+ …（共 N 项）" when there are more."""
    terms: list[Term] = [(n, v, 1) for n, v in names_values[:8]]
    shown = arithmetic(ctx, terms)
    return shown + text("_.more_terms", count=count) if count > 8 else shown


def _many(ctx: CheckContext, stated: Decimal, total: Decimal, bound: Decimal,
          names_values: Sequence[tuple[str, Decimal | None]], count: int, head_path: str, item_paths: list[str],
          args: Mapping[str, str] | None = None) -> RuleOutput:
    """A stated total vs a long sum of ``count`` terms: message with the first 8 terms (``names_values``)."""
    c = Comparison(stated, total, stated - total, bound, abs(stated - total) <= bound)
    if c.ok:
        return
    shown = {**mismatch_args(ctx, [], c), "terms": _shown_terms(ctx, names_values, count)}
    yield ctx.finding("", (head_path, *item_paths), args={**shown, **(args or {})}, comparison=c)


@rule("EXP-03", E, "项目支出 = 各项目实际支出之和", "project_total = Σ projects.actual",
      reads=("expenditure", "projects"))
def exp03(ctx: CheckContext) -> RuleOutput:
    ex = ctx.report.expenditure
    ps = ctx.report.projects
    if ex.project_total is None or not ps:
        return
    summed = project_sum(ctx, "projects.actual", lambda p: p.actual)
    if summed is None:
        return
    total, bound = summed
    bound += hh(ex.project_total, ctx.p)
    if abs(ex.project_total - total) <= bound:
        return
    yield from _many(ctx, ex.project_total, total, bound,
                     [(text("_.quoted", name=p.name), p.actual) for p in ps[:8]], len(ps),
                     "expenditure.project_total", list(item_paths("projects", "actual", len(ps))))


@rule("EXP-04", E, "项目预算合计 = 各项目全年预算之和", "project_budget_total = Σ projects.budget_final",
      reads=("expenditure", "projects"))
def exp04(ctx: CheckContext) -> RuleOutput:
    ex = ctx.report.expenditure
    ps = ctx.report.projects
    if ex.project_budget_total is None or not ps:
        return
    summed = project_sum(ctx, "projects.final", project_budget_final)
    if summed is None:
        return
    total, bound = summed
    bound += hh(ex.project_budget_total, ctx.p)
    if abs(ex.project_budget_total - total) <= bound:
        return
    finals = [e.final for e in project_summary(ctx).entries]
    yield from _many(ctx, ex.project_budget_total, total, bound,
                     [(text("_.quoted", name=p.name), v) for p, v in zip(ps[:8], finals)], len(ps),
                     "expenditure.project_budget_total", list(item_paths("projects", "budget_final", len(ps))))


SCOPE_TOTALS = {"basic": "basic", "project": "project_total", "total": "total"}   # scope → expenditure attribute


@rule("EXP-05", E, "经济分类明细之和 = 对应支出合计", "Σ by_econ[scope].amount = total of that scope",
      reads=("expenditure",))
def exp05(ctx: CheckContext) -> RuleOutput:
    ex = ctx.report.expenditure
    summary = econ_summary(ctx)
    for scope, attr in SCOPE_TOTALS.items():
        stated = getattr(ex, attr)
        idx = summary.by_scope.get(scope)
        if stated is None or not idx:
            continue
        total, bound, complete = summary.sums[scope]
        if not complete:
            continue
        bound += hh(stated, ctx.p)
        if abs(stated - total) <= bound:
            continue
        lines = ex.by_econ
        yield from _many(ctx, stated, total, bound,
                         [(lines[i].name or lines[i].code, lines[i].amount) for i in idx[:8]], len(idx),
                         f"expenditure.{attr}", ctx.kept(f"econ.paths.{scope}", ("expenditure.by_econ",),
                                                         lambda: [f"expenditure.by_econ[{i}].amount" for i in idx]),
                         {"what": fields.label(f"expenditure.{attr}")})


@rule("EXP-06", E, "功能分类明细之和 = 支出合计", "Σ by_function.amount = expenditure.total", reads=("expenditure",))
def exp06(ctx: CheckContext) -> RuleOutput:
    ex = ctx.report.expenditure
    lines = ex.by_function
    if ex.total is None or not lines or any(ln.amount is None for ln in lines):
        return
    amounts = [ln.amount for ln in lines]
    if not all_stated(amounts):
        return
    c = equals_sum(ex.total, amounts, ctx.p)
    if not c.ok:
        args = {**mismatch_args(ctx, [], c),
                "terms": _shown_terms(ctx, [(ln.name or ln.code, ln.amount) for ln in lines[:8]], len(lines))}
        yield ctx.finding("", ("expenditure.total", *(f"expenditure.by_function[{i}].amount" for i in range(len(lines)))),
                          args=args, comparison=c)


def _funds_terms(report: Report) -> tuple[list[tuple[str, Decimal, int]] | None, list[str]]:
    inc = report.income
    budget, paths = _budget_terms(report)
    if budget is None:
        return None, []
    terms: list[tuple[str, Decimal, int]] = []
    if inc.carryover_prior is not None:
        terms.append((fields.label("income.carryover_prior"), inc.carryover_prior, 1))
    terms += budget
    if inc.other_sources is not None:
        terms.append((fields.label("income.other_sources"), inc.other_sources, 1))
    return terms, ["income.carryover_prior", *paths, "income.other_sources"]


@rule("EXP-07", E, "结余结转 = 上年结转 + 预算收入 + 其他资金 − 支出合计",
      "carryover_end = carryover_prior + budget_total + other_sources − expenditure.total",
      reads=("income", "expenditure"))
def exp07(ctx: CheckContext) -> RuleOutput:
    ex = ctx.report.expenditure
    if ex.carryover_end is None or ex.total is None:
        return
    terms, paths = _funds_terms(ctx.report)
    if terms is None:
        return
    terms = terms + [(fields.label("expenditure.total"), ex.total, -1)]
    yield from _sum_rule(ctx, ex.carryover_end, "expenditure.carryover_end", terms,
                         (*paths, "expenditure.total"))


@rule("EXP-08", E, "支出不超过可用资金", "expenditure.total ≤ carryover_prior + budget_total + other_sources",
      reads=("income", "expenditure"))
def exp08(ctx: CheckContext) -> RuleOutput:
    ex = ctx.report.expenditure
    if ex.total is None:
        return
    terms, paths = _funds_terms(ctx.report)
    if terms is None:
        return
    c = at_most(ex.total, [v for _, v, _ in terms], ctx.p)
    if not c.ok:
        yield ctx.finding("", ("expenditure.total", *paths), comparison=c,
                          args={"total": ctx.fmt(ex.total), "terms": arithmetic(ctx, terms),
                                "computed": ctx.fmt(c.computed), "difference": ctx.fmt(c.difference)})


MONEY_BLOCKS = ("income", "expenditure", "projects", "three_public", "assets", "procurement")
EXP_SCALARS = ("total", "basic", "personnel", "public_ops", "project_total", "project_budget_total", "carryover_end")


@rule("EXP-09", E, "金额不能为负（调整追加除外）", "every amount ≥ 0 except budget_adjustment",
      reads=MONEY_BLOCKS, tolerance="X")
def exp09(ctx: CheckContext) -> RuleOutput:
    r = ctx.report
    found = []
    for block in ("income", "three_public", "assets", "procurement"):
        for path, value in iter_money_paths(getattr(r, block)):
            if value < 0 and not path.endswith("budget_adjustment"):
                found.append((f"{block}.{path}", value))
    ex = r.expenditure
    found += [(f"expenditure.{a}", getattr(ex, a)) for a in EXP_SCALARS
              if getattr(ex, a) is not None and getattr(ex, a) < 0]
    found += [(f"expenditure.by_function[{i}].amount", ln.amount) for i, ln in enumerate(ex.by_function)
              if ln.amount is not None and ln.amount < 0]
    found += [(f"expenditure.by_econ[{i}].amount", amount) for i in econ_summary(ctx).negatives
              if (amount := ex.by_econ[i].amount) is not None]   # = every negative line
    for path, value in found:
        # the field as the officer knows it, not its path (it printed "income.budget_initial" before)
        yield ctx.finding("", (path,), args={"field": fields.field_label(path, r), "amount": ctx.fmt(value)},
                          expected="≥ 0", actual=ctx.fmt(value))
    yield from project_issue_findings(ctx, "EXP-09")


# EXP-10's expected value as saved in acknowledgement keys since format 1.1 (findings.Finding.key): fixed
# here, not in the catalogue, so that rewording the catalogue reopens no explanation
EXPECTED_RATE_OR_CAUSE = "≥ {threshold} 或说明原因"

_RATE_WORDS = regex.compile(r"执行率|执行进度|预算执行|结余|结转")
_CAUSE_WORDS = regex.compile(r"主要是|主要原因|原因是|原因为|由于|因为|因")
_PERCENT = regex.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,4})?)\s*[%％]")


def _states_rate(sentence: str, rate: Decimal) -> bool:
    if _RATE_WORDS.search(sentence):
        return True
    for m in _PERCENT.finditer(sentence):
        text = m.group(1)
        places = len(text.split(".")[1]) if "." in text else 0
        if abs(Decimal(text) - rate * 100) <= half_unit(places):
            return True
    return False


def rate_explained(report: Report, rate: Decimal) -> bool:
    """DOMAIN §12.3: a sentence anywhere in the report that states the rate (or 执行率 / 结余) together with
    a cause (主要是 / 主要原因 / 由于 / 因 …) explains a low execution rate."""
    for body in report.narrative.values():
        if not body or not _CAUSE_WORDS.search(body):
            continue
        for sentence in extract(body).sentences:
            if _CAUSE_WORDS.search(sentence) and _states_rate(sentence, rate):
                return True
    return False


@rule("EXP-10", W, "预算执行率偏低时应说明原因",
      "exec_rate < thresholds.exec_rate_low ⇒ 六 admits weak 执行, or a sentence states the rate with its cause",
      reads=("income", "expenditure", "narrative", "meta"), tolerance="—")
def exp10(ctx: CheckContext) -> RuleOutput:
    """Explained by: the problems section (六 / short5 四) admitting weak execution (keywords.exec_problem), or
    any sentence of the report stating the rate (its percentage, 执行率, 结余 or 结转) with a cause (主要是,
    主要原因, 由于, 因 …), e.g. "执行率为80.0%，主要是部分项目延至次年实施"."""
    rate = exec_rate(ctx.report)
    if rate is None:
        return
    threshold = ctx.profile.decimal("thresholds.exec_rate_low")
    actual = total_actual(ctx.report)
    budget = budget_final(ctx.report)
    if budget is None:
        budget = ctx.report.income.fiscal_funds
    if actual is None or budget is None:
        return
    # interval semantics: silent when the rate computed from the operand interval ends reaches it
    low_budget = budget - h(budget, ctx.p)
    if low_budget <= 0 or (actual + h(actual, ctx.p)) / low_budget >= threshold:
        return
    sid = problem_section(ctx.report)
    text = section_text(ctx.report, sid)
    if text and exec_problem_re(ctx).search(text):
        return
    if rate_explained(ctx.report, rate):
        return
    yield ctx.finding(
        "", (f"narrative[{sid}]", "expenditure.total", "income.budget_total"),
        args={"rate": pct(rate), "threshold": pct(threshold), "title": problem_title(ctx.report), "section": sid},
        expected=EXPECTED_RATE_OR_CAUSE.format(threshold=pct(threshold)), actual=pct(rate))
