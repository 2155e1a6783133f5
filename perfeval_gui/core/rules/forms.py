"""Cross-form rules (issue 17; docs/forms.md): the 部门整体支出绩效自评表, the 基础数据表 and each
项目支出绩效自评表 against themselves and against the report. The forms read the report's own fields,
so a figure the report and a form share is one field and cannot disagree; these rules check what the
forms add: their breakdowns (按收入性质/按支出性质, 其中 rows), stated rates, the execution score,
totals and grades, and the rows that have a counterpart elsewhere in the report (公用经费 vs the
economic classes, 会议培训 vs 会议费 + 培训费, 上年 三公 parts vs 上年 total). Every message names the
form, the row and the column, and shows the arithmetic.

Ids continue the DOMAIN §7 families (INC, EXP, STF, PRJ, TPF, AST, SCO, CMP).
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from .. import derived, fields
from ..findings import Finding, Severity
from ..messages import text
from ..model import EconLine, Project, Report
from ..forms import forms_for
from ..money import fmt_amount
from ..template import FORM_SECTIONS
from ..tolerance import Comparison, at_most, equals_sum, rate_score, stated_rate
from ._common import Term, all_stated, arithmetic, mismatch_args
from ._summaries import hh, sum_with_bound
from .context import CheckContext
from .registry import RuleOutput, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)
DEPT = fields.FORMS.label("dept_form")
BASIC = fields.FORMS.label("basic_data")
PROJ = fields.FORMS.label("project_form")
T = fields.FORM_TEXT.label
COLS = fields.FUND_COLUMNS
# the quotation marks an officer may type around a stated 自评等级 (SCO-14 compares the grade without them)
GRADE_QUOTES = "“”\""
FORM_KEYS = ("dept_form", "basic_data", "projects", "income", "expenditure", "profile", "three_public",
             "procurement", "scoring", "self_eval", "prior_year", "meta")


def _named(args: dict[str, object]) -> dict[str, object]:
    """A form finding's arguments with the form's Chinese name, which its ``form`` argument determines."""
    return {**args, "form_name": fields.FORMS.label(str(args["form"]))}


def _in(form_id: str, finding: Finding | None) -> Finding | None:
    """A finding about a form belongs to that form's tab (its first path may be a report field).
    (A copy with another section, without dataclasses.replace's per-call introspection: this runs for
    every project form on every recheck.)"""
    if finding is None:
        return None
    new = object.__new__(type(finding))
    new.__dict__.update(finding.__dict__)
    new.__dict__["section"] = FORM_SECTIONS[form_id]
    return new


def _sectioned(func: Callable[[CheckContext], Iterable[Finding | None]]) -> Callable[[CheckContext], RuleOutput]:
    """Place each finding of a form rule on its form's tab (``args['form']``)."""
    @functools.wraps(func)
    def run(ctx: CheckContext) -> RuleOutput:
        for f in func(ctx) or ():
            if f is None or f.section:
                yield f
                continue
            form = dict(f.args).get("form")
            yield _in(form, f) if form else f
    return run


def _on(ctx: CheckContext, form_id: str) -> bool:
    """Is the form part of this report's package (the profile's ``forms.include``)?"""
    memo = ctx.memo.get("forms.include")
    if memo is None:
        memo = ctx.memo["forms.include"] = forms_for(ctx.report, ctx.profile)
    return form_id in memo


def _pct(value: Decimal) -> str:
    return f"{fmt_amount(value, 2)}%"


# the arguments that identify a form finding's case for an acknowledgement (its cell; a project's row)
_CELL = ("form", "row", "column")
_PROJECT_ROW = ("form", "project", "row")


def _cell(row: str, column: str) -> str:
    """A cell of a form named by its row and column: '基本支出（年初预算数）'."""
    return text("_.forms.cell", row=row, column=column)


def shared_form_cells_note(ctx: CheckContext, path: str) -> str:
    """For a report rule about a figure the forms print too: which form row and column it is."""
    if path == "expenditure.total" and _on(ctx, "dept_form"):
        return text("_.forms.shared_total", form_name=DEPT, total_name=T("total"), by_expense=T("by_expense"))
    return ""


# ------------------------------------------------------------------ 部门整体支出绩效自评表
def _dept_total(report: Report, col: str) -> tuple[str, Decimal | None]:
    """(path, value) of the 年度资金总额 cell of a column: the report's own figure."""
    if col == "budget_initial":
        return "income.budget_initial", report.income.budget_initial
    if col == "budget_final":
        return "income.budget_total", derived.budget_final(report)
    return "expenditure.total", derived.total_actual(report)


@rule("INC-04", E, "部门自评表：年度资金总额 = 按收入性质分各项之和（每一列）",
      "dept total[col] = general_budget + gov_fund + special_account + other_funds, col ∈ 年初预算数/全年预算数/全年执行数",
      reads=("dept_form", "income", "expenditure", "meta"))
@_sectioned
def inc04(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "dept_form"):
        return
    r = ctx.report
    for col in COLS.codes():
        total_path, total = _dept_total(r, col)
        natures = [(n, getattr(getattr(r.dept_form, n.code), col)) for n in fields.INCOME_NATURES.choices]
        if total is None or all(v is None for _, v in natures):
            continue            # the block is not filled in this column: nothing to compare
        terms = [(n.label, v if v is not None else ZERO, 1) for n, v in natures if v is not None]
        c = equals_sum(total, [v for _, v, _ in terms], ctx.p)
        if not c.ok:
            yield ctx.finding(
                "", (f"dept_form.{natures[0][0].code}.{col}", total_path,
                     *(f"dept_form.{n.code}.{col}" for n, v in natures[1:] if v is not None)),
                comparison=c, ident=_CELL,
                args=_named({"form": "dept_form", "row": "by_income", "column": col, **mismatch_args(ctx, terms, c),
                      "total_name": T("total"), "column_name": COLS.label(col)}))


@rule("EXP-11", E, "部门自评表：年度资金总额 = 基本支出 + 项目支出（年初预算数、全年预算数列）",
      "dept total[col] = basic[col] + project[col], col ∈ 年初预算数/全年预算数 (全年执行数: EXP-01)",
      reads=("dept_form", "income", "expenditure", "meta"))
@_sectioned
def exp11(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "dept_form"):
        return
    r = ctx.report
    parts = {"budget_initial": (("dept_form.basic_budget_initial", r.dept_form.basic_budget_initial),
                                ("dept_form.project_budget_initial", r.dept_form.project_budget_initial)),
             "budget_final": (("dept_form.basic_budget_final", r.dept_form.basic_budget_final),
                              ("expenditure.project_budget_total", r.expenditure.project_budget_total))}
    for col, ((bp, bv), (pp, pv)) in parts.items():
        total_path, total = _dept_total(r, col)
        if total is None or bv is None or pv is None:
            continue
        c = equals_sum(total, [bv, pv], ctx.p)
        if not c.ok:
            terms: list[Term] = [(fields.ECON_SCOPES.label("basic"), bv, 1),
                                 (fields.ECON_SCOPES.label("project"), pv, 1)]
            yield ctx.finding(
                "", (bp, total_path, pp), comparison=c, ident=_CELL,
                args=_named({"form": "dept_form", "row": "by_expense", "column": col, **mismatch_args(ctx, terms, c),
                      "total_name": T("total"), "column_name": COLS.label(col)}))


@rule("EXP-12", E, "部门自评表：执行率 = 全年执行数 ÷ 全年预算数",
      "dept_form.exec_rate_stated = expenditure.total ÷ 全年预算数 × 100%",
      reads=("dept_form", "income", "expenditure", "meta"))
@_sectioned
def exp12(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "dept_form"):
        return
    r = ctx.report
    stated = r.dept_form.exec_rate_stated
    actual, budget = derived.total_actual(r), derived.budget_final(r)
    if stated is None or actual is None or budget is None:
        return
    c = stated_rate(stated, actual, budget, ctx.p)
    if c is not None and not c.ok:
        yield ctx.finding(
            "", ("dept_form.exec_rate_stated", "expenditure.total", "income.budget_total"),
            expected=_pct(c.computed), actual=f"{format(stated, 'f')}%", difference=fmt_amount(c.difference, 2),
            tolerance=fmt_amount(c.bound, 4),
            args={"form_name": DEPT, "total_name": T("total"), "rate_name": T("rate"), "actual": ctx.fmt(actual),
                  "budget": ctx.fmt(budget), "computed": _pct(c.computed), "stated": f"{format(stated, 'f')}%",
                  "difference": fmt_amount(c.difference, 2)})


# ------------------------------------------------------------------ scores of the funds rows
def _score_finding(ctx: CheckContext, form_name: str, weight: Decimal | None, stated: Decimal | None,
                   actual: Decimal | None, budget: Decimal | None, paths: tuple[str, ...] | list[str],
                   case: Mapping[str, str]) -> Finding | None:
    """The score of a funds row (SCO-13, SCO-15: each has its ".over" and ".score" entries); ``case``
    (form, row, column, project) identifies it for an acknowledgement."""
    if weight is None or stated is None:
        return None
    names = {**case, "form_name": form_name, "total_name": T("total"), "stated": format(stated, "f"),
             "weight": format(weight, "f")}
    if stated > weight:
        return ctx.finding(".over", paths, expected=f"≤ {format(weight, 'f')}", actual=format(stated, "f"),
                           args=names, ident=tuple(case))
    if actual is None or budget is None:
        return None
    c = rate_score(stated, weight, actual, budget, ctx.p)
    if c is None or c.ok:
        return None
    rate = actual / budget
    return ctx.finding(
        ".score", paths, expected=fmt_amount(c.computed, 2), actual=format(stated, "f"),
        difference=fmt_amount(c.difference, 2), tolerance=fmt_amount(c.bound, 4), ident=tuple(case),
        args={**names, "rate": _pct(min(rate, Decimal(1)) * 100), "actual": ctx.fmt(actual),
              "budget": ctx.fmt(budget), "capped": text("_.forms.capped") if rate > 1 else "",
              "computed": fmt_amount(c.computed, 2), "difference": fmt_amount(c.difference, 2)})


@rule("SCO-13", E, "部门自评表：资金得分 = 分值 × 执行率，且不超过分值",
      "dept_form.exec_score_stated = exec_weight × min(全年执行数 ÷ 全年预算数, 1) ≤ exec_weight",
      reads=("dept_form", "income", "expenditure", "meta"))
@_sectioned
def sco13(ctx: CheckContext) -> RuleOutput:
    r = ctx.report
    if _on(ctx, "dept_form"):
        f = _score_finding(ctx, DEPT, r.dept_form.exec_weight, r.dept_form.exec_score_stated,
                           derived.total_actual(r), derived.budget_final(r),
                           ("dept_form.exec_score_stated", "dept_form.exec_weight", "expenditure.total"),
                           {"form": "dept_form", "row": "total", "column": "score"})
        if f is not None:
            yield f


@rule("SCO-15", E, "项目自评表：资金得分 = 分值 × 执行率，且不超过分值",
      "预算执行率 indicator: score = weight × min(actual ÷ budget_final, 1) ≤ weight", reads=("projects", "meta"))
@_sectioned
def sco15(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "project_form"):
        return
    def one(i: int, p: Project) -> Finding | None:
        k = derived.exec_node_index(p)
        if k is None:
            return None
        node = p.indicators[k]
        return _score_finding(ctx, PROJ, node.weight, node.score_stated, p.actual,
                              derived.project_budget_final(p),
                              (f"projects[{i}].indicators[{k}].score_stated", f"projects[{i}].indicators[{k}].weight",
                               f"projects[{i}].actual"),
                              {"form": "project_form", "project": p.name, "row": "total", "column": "score"})
    # kept per project (ctx.kept_items): a keystroke in one project re-scores that one
    yield from ctx.kept_items("SCO-15", "projects", ctx.report.projects, None, one)


# ------------------------------------------------------------------ 项目支出绩效自评表
@rule("PRJ-08", E, "项目自评表：年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金（每一列）",
      "project[col] = form.fiscal[col] + form.carryover[col] + form.other[col], col ∈ 年初预算数/全年预算数/全年执行数",
      reads=("projects", "meta"))
@_sectioned
def prj08(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "project_form"):
        return
    # per project, kept until that project changes (ctx.kept_items): a keystroke re-compares one project
    def one(i: int, p: Project) -> list[Finding | None]:
        form = p.form
        if all(v is None for row in (form.fiscal, form.carryover, form.other)
               for v in (row.budget_initial, row.budget_final, row.actual)):
            return []           # no 其中 row filled: nothing to compare (the common case)
        return list(_prj08_project(ctx, i, p))
    for found in ctx.kept_items("PRJ-08", "projects", ctx.report.projects, None, one):
        yield from found


def _prj08_project(ctx: CheckContext, i: int, p: Project) -> RuleOutput:
    for col in COLS.codes():
        total = derived.project_budget_final(p) if col == "budget_final" else getattr(p, col)
        subs = [(s, getattr(getattr(p.form, s.code), col)) for s in fields.PROJECT_FUND_ROWS.choices]
        if total is None or all(v is None for _, v in subs):
            continue
        terms = [(s.label, v, 1) for s, v in subs if v is not None]
        c = equals_sum(total, [v for _, v, _ in terms], ctx.p)
        if not c.ok:
            first = next(s.code for s, v in subs if v is not None)
            case = {"form": "project_form", "project": p.name, "row": "total", "column": col}
            yield _in("project_form", ctx.finding(
                "", (f"projects[{i}].form.{first}.{col}", f"projects[{i}].{col}"), comparison=c, ident=tuple(case),
                args=_named({**case, **mismatch_args(ctx, terms, c), "total_name": T("total"),
                      "column_name": COLS.label(col)})))


@rule("PRJ-09", E, "项目自评表：执行率 = 全年执行数 ÷ 全年预算数",
      "projects[i].form.exec_rate_stated = actual ÷ budget_final × 100%", reads=("projects", "meta"))
@_sectioned
def prj09(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "project_form"):
        return
    yield from ctx.kept_items("PRJ-09", "projects", ctx.report.projects, None,
                              lambda i, p: _prj09_project(ctx, i, p))


def _prj09_project(ctx: CheckContext, i: int, p: Project) -> Finding | None:
    stated, budget = p.form.exec_rate_stated, derived.project_budget_final(p)
    if stated is None or p.actual is None or budget is None:
        return None
    c = stated_rate(stated, p.actual, budget, ctx.p)
    if c is not None and not c.ok:
        return ctx.finding(
            "", (f"projects[{i}].form.exec_rate_stated", f"projects[{i}].actual", f"projects[{i}].budget_final"),
            expected=_pct(c.computed), actual=f"{format(stated, 'f')}%", difference=fmt_amount(c.difference, 2),
            tolerance=fmt_amount(c.bound, 4), ident=("form", "project"),
            args=_named({"form": "project_form", "project": p.name, "total_name": T("total"),
                  "rate_name": T("rate"), "actual": ctx.fmt(p.actual), "budget": ctx.fmt(budget),
                  "computed": _pct(c.computed), "stated": f"{format(stated, 'f')}%",
                  "difference": fmt_amount(c.difference, 2)}))
    return None


@rule("SCO-14", E, "项目自评表：总分 = 各项得分之和，自评等级按档次",
      "projects[i].self_score = Σ level-1 scores; form.grade_stated = band(total)", reads=("projects", "meta"),
      tolerance="R")
@_sectioned
def sco14(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "project_form"):
        return
    for i, p in enumerate(ctx.report.projects):
        if p.self_score is None and not p.form.grade_stated:
            continue            # neither 总分 nor 自评等级 stated: nothing to compare
        tops = [(k, n) for k, n in enumerate(p.indicators) if not n.parent_id]
        total = derived.project_form_total(p)
        scores = [derived.node_score(p.indicators, n) for _, n in tops]
        if p.self_score is not None and total is not None and all_stated(scores):
            c = equals_sum(p.self_score, scores, 2)
            bound = max(c.bound, Decimal("0.01"))
            if abs(c.difference) > bound:
                parts = " + ".join(f"{n.name or n.id} {format(s, 'f')}" for (_, n), s in zip(tops, scores))
                yield ctx.finding(
                    ".total",
                    (f"projects[{i}].self_score", *(f"projects[{i}].indicators[{k}].score_stated" for k, _ in tops)),
                    expected=format(c.computed, "f"), actual=format(p.self_score, "f"),
                    difference=format(c.difference, "f"), tolerance=format(bound, "f"), ident=_PROJECT_ROW,
                    args=_named({"form": "project_form", "project": p.name, "row": "total_score", "total_score_name": T("total_score"), "parts": parts, "computed": format(c.computed, "f"),
                          "stated": format(p.self_score, "f"), "difference": format(c.difference, "f")}))
        stated = p.form.grade_stated.strip().strip(GRADE_QUOTES)
        score = p.self_score if p.self_score is not None else total
        if stated and score is not None:
            grade = derived.grade_of(ctx.report, score)
            if grade and grade != stated:
                yield ctx.finding(
                    ".grade", (f"projects[{i}].form.grade_stated", f"projects[{i}].self_score"), expected=grade,
                    actual=stated, ident=_PROJECT_ROW,
                    args=_named({"form": "project_form", "project": p.name, "row": "grade", "grade_name": T("grade"), "stated": stated, "score": format(score, "f"), "grade": grade}))


# ------------------------------------------------------------------ 基础数据表
@rule("STF-06", E, "基础数据表：控制率 = 实际在职人数 ÷ 编制数",
      "basic_data.staff_control_rate_stated = staff_actual ÷ staff_authorized × 100%",
      reads=("basic_data", "profile", "meta"))
@_sectioned
def stf06(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "basic_data"):
        return
    r = ctx.report
    stated, actual, authorized = (r.basic_data.staff_control_rate_stated, derived.staff_actual(r),
                                  r.profile.staff_authorized)
    if stated is None or actual is None or not authorized:
        return
    # headcounts are exact: only the stated rate's own rounding is allowed
    c = stated_rate(stated, Decimal(actual), Decimal(authorized), 12)
    if c is not None and not c.ok:
        yield ctx.finding(
            "", ("basic_data.staff_control_rate_stated", "profile.staff_actual", "profile.staff_authorized"),
            expected=_pct(c.computed), actual=f"{format(stated, 'f')}%", difference=fmt_amount(c.difference, 2),
            tolerance=fmt_amount(c.bound, 4), ident=_CELL,
            args=_named({"form": "basic_data", "row": "staff", "column": "control_rate", "staff_name": T("staff"), "rate_name": T("control_rate"), "actual": str(actual),
                  "authorized": str(authorized), "computed": _pct(c.computed), "stated": f"{format(stated, 'f')}%"}))


_BASIC_COLS = fields.PRIOR_BUDGET_FINAL


def _public_ops_whole(report: Report, col: str) -> tuple[str, Decimal | None]:
    if col == "prior":
        return "prior_year[expenditure.public_ops]", report.prior_year.get("expenditure.public_ops")
    if col == "budget":
        return "basic_data.public_ops_budget", report.basic_data.public_ops_budget
    return "expenditure.public_ops", report.expenditure.public_ops


@rule("EXP-13", E, "基础数据表：公用经费的其中项（办公经费、水电差旅、会议培训）之和不超过公用经费",
      "office + utilities_travel + meeting_training ≤ 公用经费, in 上年决算/本年预算/本年决算",
      reads=("basic_data", "expenditure", "prior_year", "meta"))
@_sectioned
def exp13(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "basic_data"):
        return
    bd = ctx.report.basic_data
    for col in _BASIC_COLS.codes():
        whole_path, whole = _public_ops_whole(ctx.report, col)
        parts = [(code, getattr(getattr(bd, code), col)) for code in ("office", "utilities_travel", "meeting_training")]
        stated = [(code, v) for code, v in parts if v is not None]
        if whole is None or not stated:
            continue
        c = at_most(sum((v for _, v in stated), ZERO), [whole], ctx.p)
        if not c.ok:
            shown = arithmetic(ctx, [(fields.BASIC_DATA_ROWS.label(code), v, 1) for code, v in stated])
            yield ctx.finding(
                "", (f"basic_data.{stated[0][0]}.{col}", whole_path), comparison=c, ident=_CELL,
                args=_named({"form": "basic_data", "row": "public_ops", "column": col, "row_name": T("public_ops"), "column_name": _BASIC_COLS.label(col), "terms": shown,
                      "sum": ctx.fmt(c.stated), "whole": ctx.fmt(whole), "difference": ctx.fmt(c.difference)}))


@rule("EXP-14", W, "基础数据表：公用经费本年决算 = 基本支出中的一般商品和服务支出（302 类）",
      "expenditure.public_ops = Σ by_econ[scope=basic, code 302…]", reads=("basic_data", "expenditure", "meta"))
@_sectioned
def exp14(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "basic_data"):
        return
    ex = ctx.report.expenditure
    if ex.public_ops is None:
        return

    def public_ops_lines() -> tuple[list[tuple[int, EconLine]], Decimal, Decimal]:
        found = [(i, ln) for i, ln in enumerate(ex.by_econ)
                 if ln.scope == "basic" and ln.code.strip().startswith("302") and ln.amount is not None]
        return (found, *sum_with_bound([a for _, ln in found if (a := ln.amount) is not None], ctx.p))
    # kept until a line changes: typing 公用经费 re-adds none of the lines
    lines, total, bound = ctx.kept("EXP-14.lines", ("expenditure.by_econ",), public_ops_lines)
    if not lines:
        return
    bound += hh(ex.public_ops, ctx.p)
    c = Comparison(ex.public_ops, total, ex.public_ops - total, bound,
                   abs(ex.public_ops - total) <= bound)   # = tolerance.equals_sum over the lines
    if not c.ok:
        terms: list[Term] = [(ln.name or ln.code, ln.amount, 1) for _, ln in lines[:8]]
        shown = mismatch_args(ctx, terms, c)
        if len(lines) > 8:
            shown["terms"] += text("_.more_terms", count=len(lines))
        yield ctx.finding(
            "", ("expenditure.public_ops", *(f"expenditure.by_econ[{i}].amount" for i, _ in lines[:8])), comparison=c,
            ident=_CELL, args=_named({"form": "basic_data", "row": "public_ops", "column": "final", **shown,
                               "row_name": T("public_ops")}))


@rule("TPF-06", E, "基础数据表：上年决算“三公”经费合计 = 各项上年决算之和",
      "three_public.prior_year_total = Σ prior_year[three_public.<part>.actual]",
      reads=("basic_data", "three_public", "prior_year", "meta"))
@_sectioned
def tpf06(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "basic_data"):
        return
    r = ctx.report
    total = r.three_public.prior_year_total
    parts = [(code, r.prior_year.get(f"three_public.{code}.actual"))
             for code in ("vehicle_purchase", "vehicle_operation", "abroad", "reception")]
    stated = [(code, v) for code, v in parts if v is not None]
    if total is None or not stated:
        return
    c = equals_sum(total, [v for _, v in stated], ctx.p)
    if not c.ok:
        terms = [(T(code), v, 1) for code, v in stated]
        yield ctx.finding(
            "", ("three_public.prior_year_total", *(f"prior_year[three_public.{code}.actual]" for code, _ in stated)),
            comparison=c, ident=_CELL,
            args=_named({"form": "basic_data", "row": "three_public", "column": "prior", **mismatch_args(ctx, terms, c),
                  "row_name": T("three_public")}))


@rule("TPF-07", W, "基础数据表：会议培训 = “三公”表中的会议费 + 培训费",
      "basic_data.meeting_training[budget|final] = three_public.meeting_fee + training_fee",
      reads=("basic_data", "three_public", "meta"))
@_sectioned
def tpf07(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "basic_data"):
        return
    r = ctx.report
    tp = r.three_public
    for col, which in (("budget", "budget"), ("final", "actual")):
        stated = getattr(r.basic_data.meeting_training, col)
        meeting, training = getattr(tp.meeting_fee, which), getattr(tp.training_fee, which)
        if stated is None or meeting is None or training is None:
            continue
        c = equals_sum(stated, [meeting, training], ctx.p)
        if not c.ok:
            terms: list[Term] = [(fields.THREE_PUBLIC_PARTS.label("meeting_fee"), meeting, 1),
                                 (fields.THREE_PUBLIC_PARTS.label("training_fee"), training, 1)]
            yield ctx.finding(
                "", (f"basic_data.meeting_training.{col}", f"three_public.meeting_fee.{which}",
                     f"three_public.training_fee.{which}"), comparison=c, ident=_CELL,
                args=_named({"form": "basic_data", "row": "meeting_training", "column": col, **mismatch_args(ctx, terms, c),
                      "row_name": fields.BASIC_DATA_ROWS.label("meeting_training"),
                      "column_name": _BASIC_COLS.label(col)}))


@rule("AST-03", W, "基础数据表：楼堂馆所实际规模、实际投资不超过批复",
      "buildings.actual_scale ≤ approved_scale; actual_investment ≤ budget_investment",
      reads=("basic_data", "meta"))
@_sectioned
def ast03(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "basic_data"):
        return
    b = ctx.report.basic_data.buildings
    for actual_attr, limit_attr in (("actual_scale", "approved_scale"), ("actual_investment", "budget_investment")):
        actual, limit = getattr(b, actual_attr), getattr(b, limit_attr)
        if actual is None or limit is None:
            continue
        c = at_most(actual, [limit], ctx.p)
        if not c.ok:
            yield ctx.finding(
                "", (f"basic_data.buildings.{actual_attr}", f"basic_data.buildings.{limit_attr}"), comparison=c,
                ident=_CELL,
                args=_named({"form": "basic_data", "row": "buildings", "column": actual_attr, "row_name": T("buildings"), "actual_name": fields.FORM_TEXT.short(actual_attr),
                      "limit_name": fields.FORM_TEXT.short(limit_attr), "actual": ctx.fmt(actual),
                      "limit": ctx.fmt(limit), "unit": fields.unit(f"basic_data.buildings.{actual_attr}"),
                      "difference": ctx.fmt(c.difference), "ratio": _pct(actual / limit * 100) if limit else T("none")}))


# ------------------------------------------------------------------ completeness of the forms
def _missing_dept(r: Report) -> list[tuple[str, str]]:
    """(path, name on the form) of the 部门整体支出绩效自评表's cells the report leaves empty."""
    from ..model import get_value
    out: list[tuple[str, str]] = []
    df = r.dept_form
    total = T("total")
    cells = [("income.budget_initial", _cell(total, COLS.label("budget_initial")), r.income.budget_initial),
             ("income.budget_total", _cell(total, COLS.label("budget_final")), derived.budget_final(r)),
             ("expenditure.total", _cell(total, COLS.label("actual")), derived.total_actual(r)),
             ("dept_form.exec_weight", _cell(total, T("weight")), df.exec_weight),
             ("dept_form.exec_score_stated", _cell(total, T("dept_score")), df.exec_score_stated)]
    out += [(path, name) for path, name, value in cells if value is None]
    for col in COLS.codes():
        if all(getattr(getattr(df, n), col) is None for n in fields.INCOME_NATURES.codes()):
            out.append((f"dept_form.general_budget.{col}", _cell(fields.FORM_TEXT.short("by_income"), COLS.label(col))))
    for path, nature, col in (("dept_form.basic_budget_initial", "basic", "budget_initial"),
                              ("dept_form.basic_budget_final", "basic", "budget_final"),
                              ("expenditure.basic", "basic", "actual"),
                              ("dept_form.project_budget_initial", "project", "budget_initial"),
                              ("expenditure.project_budget_total", "project", "budget_final"),
                              ("expenditure.project_total", "project", "actual")):
        if get_value(r, path) is None:
            out.append((path, _cell(fields.ECON_SCOPES.label(nature), COLS.label(col))))
    for attr in ("goal_expected", "goal_actual"):
        if not getattr(df, attr).strip():
            out.append((f"dept_form.{attr}", fields.label(f"dept_form.{attr}")))
    if not r.scoring.nodes:
        out.append(("scoring.nodes", T("indicators")))
    return out


def _missing_basic(r: Report) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    bd = r.basic_data
    if r.profile.staff_authorized is None:
        out.append(("profile.staff_authorized", T("staff_authorized")))
    if derived.staff_actual(r) is None:
        out.append(("profile.staff_actual", T("staff_actual")))
    if bd.public_ops_budget is None:
        out.append(("basic_data.public_ops_budget", fields.label("basic_data.public_ops_budget")))
    if r.expenditure.public_ops is None:
        out.append(("expenditure.public_ops", _cell(T("public_ops"), _BASIC_COLS.label("final"))))
    for code in ("office", "utilities_travel", "meeting_training"):
        if getattr(bd, code).final is None:
            out.append((f"basic_data.{code}.final", fields.label(f"basic_data.{code}.final")))
    if r.procurement.actual is None:
        out.append(("procurement.actual", _cell(T("procurement"), _BASIC_COLS.label("final"))))
    if not bd.frugality.strip():
        out.append(("basic_data.frugality", fields.label("basic_data.frugality")))
    return out


_PROJECT_ATTRS = ("budget_initial", "actual", "budget_final")
_PROJECT_FORM_ATTRS = ("goal_expected", "goal_actual", "lead", "finance_lead", "filler", "phone", "date")
_LABELS: dict[str, str] = {}


def _plabel(attr: str) -> str:
    label = _LABELS.get(attr)
    if label is None:
        label = _LABELS[attr] = fields.label(f"projects[].{attr}")
    return label


def _missing_project_attrs(p: Project) -> tuple[str, ...]:
    """The empty cells of a project's 项目支出绩效自评表, as attribute paths below the project."""
    out: list[str] = []
    # a 年中追加 project stating only its adjustment has 年初预算 0 (DOMAIN §3)
    if p.budget_initial is None and not (p.kind == "added" and p.budget_adjustment is not None):
        out.append("budget_initial")
    if p.actual is None:
        out.append("actual")
    if p.budget_final is None and p.budget_initial is None and p.budget_adjustment is None:
        out.append("budget_final")
    k = derived.exec_node_index(p)
    if k is None:
        out.append("indicators#exec")
    if len(p.indicators) <= (1 if k is not None else 0):
        out.append("indicators")
    form = p.form
    out += [f"form.{attr}" for attr in _PROJECT_FORM_ATTRS if not getattr(form, attr).strip()]
    return tuple(out)


def _missing_project(r: Report, i: int) -> list[tuple[str, str]]:
    pre = f"projects[{i}]"
    out = []
    for attr in _missing_project_attrs(r.projects[i]):
        if attr == "indicators#exec":
            out.append((f"{pre}.indicators", text("CMP-04.exec_cells")))
        elif attr == "indicators":
            out.append((f"{pre}.indicators", T("indicators")))
        else:
            out.append((f"{pre}.{attr}", _plabel(attr)))
    return out


def _listing(items: list[tuple[str, str]], limit: int = 16) -> str:
    names = text("_.forms.sep").join(dict.fromkeys(label for _, label in items[:limit]))
    return names + (text("_.forms.more_items", count=len(items)) if len(items) > limit else "")


@rule("CMP-03", W, "部门自评表、基础数据表尚有未填的栏目",
      "each cell of the profile's 部门自评表 / 基础数据表 that the report does not fill is listed",
      reads=("dept_form", "basic_data", "income", "expenditure", "profile", "procurement", "scoring", "meta"),
      tolerance="—")
@_sectioned
def cmp03(ctx: CheckContext) -> RuleOutput:
    r = ctx.report
    if _on(ctx, "dept_form"):
        missing = _missing_dept(r)
        if missing:
            yield ctx.finding("", tuple(dict.fromkeys(p for p, _ in missing)), ident=("form", "missing"),
                              args=_named({"form": "dept_form", "missing": len(missing), "listing": _listing(missing)}))
    if _on(ctx, "basic_data"):
        missing = _missing_basic(r)
        if missing:
            yield ctx.finding("", tuple(dict.fromkeys(p for p, _ in missing)), ident=("form", "missing"),
                              args=_named({"form": "basic_data", "missing": len(missing), "listing": _listing(missing)}))


@rule("CMP-04", W, "项目支出绩效自评表尚有未填的栏目",
      "each cell of a project's 项目支出绩效自评表 that the report does not fill is listed (one finding per project)",
      reads=("projects", "meta"), tolerance="—")
@_sectioned
def cmp04(ctx: CheckContext) -> RuleOutput:
    if not _on(ctx, "project_form"):
        return
    r = ctx.report
    # a finding depends only on its project's empty cells: kept by this Checker between rechecks, so a
    # keystroke in a 1,000-project report does not rebuild 1,000 identical warnings
    cache = ctx.cache.setdefault("CMP-04", {})
    if len(cache) > 4 * len(r.projects) + 100:
        cache.clear()
    listed = int(ctx.profile.get("forms.completeness_list", 20))
    rest: list[tuple[int, str]] = []
    empty = ctx.kept_items("CMP-04.missing", "projects", r.projects, None, lambda i, p: _missing_project_attrs(p))
    for i, p in enumerate(r.projects):
        missing = empty[i]
        if not missing:
            continue
        if listed <= 0:
            rest.append((i, missing[0]))
            continue
        listed -= 1
        key = (i, p.name, missing, ctx.profile.name)
        finding = cache.get(key)
        if finding is None:
            items = _missing_project(r, i)
            finding = _in("project_form", ctx.finding(
                "", tuple(dict.fromkeys(path for path, _ in items)), ident=("form", "project", "missing"),
                args=_named({"form": "project_form", "project": p.name, "missing": len(items), "listing": _listing(items)})))
            cache[key] = finding
        yield finding
    if rest:
        # a report with many projects: the forms beyond the first ones in one warning, not one each
        names = text("_.forms.sep").join(text("_.quoted", name=r.projects[i].name) for i, _ in rest[:10])
        names += text("CMP-04.etc") if len(rest) > 10 else ""
        paths = tuple(f"projects[{i}].{attr.split('#')[0]}" for i, attr in rest)
        yield _in("project_form", ctx.finding(
            ".rest", paths, ident=("form", "projects"),
            args=_named({"form": "project_form", "projects": len(rest), "names": names})))
