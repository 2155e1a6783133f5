"""Projects (DOMAIN.md §7.3)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TypedDict

from dataclasses import field

from ..records import record
from ..derived import project_budget_final, project_exec_rate
from ..findings import Finding, Severity
from ..model import Project
from ..tolerance import Comparison, at_most, equals_sum
from .. import fields
from ..messages import text
from ..template import get_template, slot_label
from ._common import Term, arithmetic, mismatch_args, name_variants, pct, place
from ._summaries import _Fmt, hh, sum_with_bound
from .context import CheckContext
from .registry import RuleOutput, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)


# ------------------------------------------------------------------ projects
class IssueArgs(TypedDict, total=False):
    """The keyword arguments of CheckContext.finding a cached project issue carries."""
    comparison: Comparison
    expected: str
    actual: str


# (rule_id, catalogue key, rel_paths, message arguments, finding kwargs): the message is rendered when the
# finding is made (CheckContext.finding), so a cached check holds no wording
Issue = tuple[str, str, tuple[str, ...], Mapping[str, str], IssueArgs]


@record
class ProjectEntry:
    """One project's cached checks: its budget (derived.project_budget_final) and its issues."""
    final: Decimal | None
    issues: tuple[Issue, ...] = ()


def _budget_label() -> str:
    """How a project's budget is named in its sums: 全年预算, or 年初预算 + 调整追加 (fields: projects[].budget)."""
    return fields.label("projects[].budget")


def _project_issues(p: Project, P: int, threshold: Decimal) -> list[Issue]:
    f = _Fmt(P)
    project = p.name or text("_.unnamed_project")
    out: list[Issue] = []
    terms: list[tuple[str, Decimal, int]] | None
    tpaths: list[str]
    # EXP-09: negative amounts (budget_adjustment may be negative)
    for attr in ("budget_initial", "budget_final", "actual", "carryover", "carryover_prior"):
        v = getattr(p, attr)
        if v is not None and v < 0:
            # the field's label, not its attribute name (it printed "budget_initial" before)
            out.append(("EXP-09", "EXP-09.project", (attr,),
                        {"project": project, "field": fields.label(f"projects[].{attr}"), "amount": f.fmt(v)},
                        {"expected": "≥ 0", "actual": f.fmt(v)}))
    # budget terms: 全年预算 stated, else 年初预算 (+ 调整追加)
    if p.budget_final is not None:
        terms, tpaths = [(_budget_label(), p.budget_final, 1)], ["budget_final"]
    elif p.budget_initial is None and p.budget_adjustment is None:
        terms, tpaths = None, []
    else:
        terms, tpaths = [], []
        if p.budget_initial is not None:
            terms.append((fields.label("projects[].budget_initial"), p.budget_initial, 1))
            tpaths.append("budget_initial")
        if p.budget_adjustment is not None:
            terms.append((fields.label("projects[].budget_adjustment"), p.budget_adjustment, 1))
            tpaths.append("budget_adjustment")
    # PRJ-01
    if p.budget_final is not None and not (p.budget_initial is None and p.budget_adjustment is None):
        ini = p.budget_initial if p.budget_initial is not None else ZERO
        adj = p.budget_adjustment if p.budget_adjustment is not None else ZERO
        c = equals_sum(p.budget_final, [ini, adj], P)
        if not c.ok:
            shown: list[Term] = [(fields.label("projects[].budget_initial"), ini, 1),
                                 (fields.label("projects[].budget_adjustment"), adj, 1)]
            out.append(("PRJ-01", "PRJ-01", ("budget_final", "budget_initial", "budget_adjustment"),
                        {"project": project, **mismatch_args(f, shown, c)}, {"comparison": c}))
    # PRJ-02
    if p.actual is not None and terms is not None:
        t2: list[tuple[str, Decimal, int]] = list(terms)
        p2 = list(tpaths)
        if p.carryover_prior is not None:
            t2.append((fields.label("projects[].carryover_prior"), p.carryover_prior, 1))
            p2.append("carryover_prior")
        c = at_most(p.actual, [v for _, v, _ in t2], P)
        if not c.ok:
            out.append(("PRJ-02", "PRJ-02", ("actual", *p2),
                        {"project": project, "actual": f.fmt(p.actual), "terms": arithmetic(f, t2),
                         "computed": f.fmt(c.computed), "difference": f.fmt(c.difference)}, {"comparison": c}))
    # PRJ-03
    if p.carryover is not None and p.actual is not None and terms is not None:
        shown_budget = [(_budget_label(), sum((v for _, v, _ in terms), ZERO), 1)] if len(terms) > 1 else terms
        prior = p.carryover_prior if p.carryover_prior is not None else ZERO
        values = [v for _, v, _ in terms] + ([p.carryover_prior] if p.carryover_prior is not None else [])
        c = equals_sum(p.carryover, values + [p.actual], P, [1] * len(values) + [-1])
        if not c.ok:
            shown = [*shown_budget, (fields.label("projects[].carryover_prior"), prior, 1),
                     (fields.label("projects[].actual"), p.actual, -1)]
            out.append(("PRJ-03", "PRJ-03", ("carryover", *tpaths, "carryover_prior", "actual"),
                        {"project": project, **mismatch_args(f, shown, c)}, {"comparison": c}))
    # PRJ-05 (a project without a budget is never flagged: its rate can only be inferred)
    if not p.deviation_reason.strip():
        rate = project_exec_rate(p)
        final = project_budget_final(p)
        # a rate implies a budget and an actual amount (derived.project_exec_rate)
        if rate is not None and final is not None and p.actual is not None:
            avail = final + (p.carryover_prior or ZERO)
            low = avail - hh(avail, P)
            if low > 0 and (p.actual + hh(p.actual, P)) / low < threshold:
                out.append(("PRJ-05", "PRJ-05", ("deviation_reason", "actual", "budget_final"),
                            {"project": project, "rate": pct(rate), "threshold": pct(threshold)},
                            {"expected": f"≥ {pct(threshold)}", "actual": pct(rate)}))
    return out


@record
class ProjectSummary:
    """The project checks of one run: each project's entry, and the issues by rule id with the project index."""
    entries: list[ProjectEntry]
    # rule id → [(index, catalogue key, rel_paths, message arguments, kwargs)]
    issues: dict[str, list[tuple[int, str, tuple[str, ...], Mapping[str, str], IssueArgs]]] = field(
        default_factory=dict)


def project_summary(ctx: CheckContext) -> ProjectSummary:
    """Each project's checks and 全年预算, kept until a project changes (ctx.kept); within that, a
    project whose values did not change reuses its cached entry."""
    return ctx.kept("projects.summary", ("projects",), lambda: _project_summary(ctx))


def project_sum(ctx: CheckContext, name: str, value: Callable[[Project], Decimal | None]) -> tuple[Decimal, Decimal] | None:
    """(Σ, Σ h) of one amount of every project, None when one is not stated; each project's (value, h)
    kept until that project changes, the sum until any project does (typing 支出合计 adds nothing)."""
    def compute() -> tuple[Decimal, Decimal] | None:
        P = ctx.p
        per = ctx.kept_items(name, "projects", ctx.report.projects, None,
                             lambda i, p: (v, hh(v, P)) if (v := value(p)) is not None else None)
        total, bound = ZERO, ZERO
        for vh in per:
            if vh is None:
                return None
            total += vh[0]
            bound += vh[1]
        return total, bound
    return ctx.kept(name + ".sum", ("projects",), compute)


def _project_summary(ctx: CheckContext) -> ProjectSummary:
    threshold = ctx.profile.decimal("thresholds.exec_rate_low")
    P = ctx.p
    # each project's entry kept until that project changes (ctx.kept_items)
    entries = ctx.kept_items("projects.entries", "projects", ctx.report.projects, threshold,
                             lambda i, p: ProjectEntry(project_budget_final(p),
                                                       tuple(_project_issues(p, P, threshold))))
    issues: dict[str, list[tuple[int, str, tuple[str, ...], Mapping[str, str], IssueArgs]]] = {}
    for i, e in enumerate(entries):
        for rule_id, key, rel, args, kwargs in e.issues:
            issues.setdefault(rule_id, []).append((i, key, rel, args, kwargs))
    return ProjectSummary(entries, issues)


def project_issue_findings(ctx: CheckContext, rule_id: str) -> RuleOutput:
    for i, key, rel, args, kwargs in project_summary(ctx).issues.get(rule_id, ()):
        yield ctx.finding(key, tuple(f"projects[{i}].{r}" for r in rel), args=args, **kwargs)



@rule("PRJ-01", E, "项目全年预算 = 年初预算 + 调整追加", "budget_final = budget_initial + budget_adjustment",
      reads=("projects",))
def prj01(ctx: CheckContext) -> RuleOutput:
    yield from project_issue_findings(ctx, "PRJ-01")


@rule("PRJ-02", E, "项目实际支出不超过预算", "actual ≤ budget_final + carryover_prior", reads=("projects",))
def prj02(ctx: CheckContext) -> RuleOutput:
    yield from project_issue_findings(ctx, "PRJ-02")


@rule("PRJ-03", E, "项目结余结转 = 预算 + 上年结转 − 实际支出",
      "carryover = budget_final + carryover_prior − actual", reads=("projects",))
def prj03(ctx: CheckContext) -> RuleOutput:
    yield from project_issue_findings(ctx, "PRJ-03")


@rule("PRJ-04", E, "项目结余结转之和不超过单位结余结转", "Σ projects.carryover ≤ expenditure.carryover_end",
      reads=("projects", "expenditure"))
def prj04(ctx: CheckContext) -> RuleOutput:
    unit = ctx.report.expenditure.carryover_end
    stated = [(i, p) for i, p in enumerate(ctx.report.projects) if p.carryover is not None]
    if unit is None or not stated:
        return
    values = [p.carryover for _, p in stated if p.carryover is not None]   # = all of stated
    total, bound = sum_with_bound(values, ctx.p)
    bound += hh(unit, ctx.p)
    diff = total - unit
    if diff > bound:
        parts = " + ".join(ctx.fmt(v) for v in values[:10])
        if len(values) > 10:
            parts += text("_.more_terms", count=len(values))
        first = [f"projects[{i}].carryover" for i, p in stated if p.carryover != 0]
        rest = [f"projects[{i}].carryover" for i, p in stated if p.carryover == 0]
        yield ctx.finding(
            "", (*first, "expenditure.carryover_end", *rest),
            args={"terms": parts, "total": ctx.fmt(total), "unit": ctx.fmt(unit), "difference": ctx.fmt(diff),
                  "bound": str(bound)},
            expected=f"≤ {ctx.fmt(unit)}", actual=ctx.fmt(total), difference=ctx.fmt(diff), tolerance=str(bound))


@rule("PRJ-05", W, "项目执行率偏低时应说明偏差原因", "exec_rate < thresholds.exec_rate_low ⇒ deviation_reason",
      reads=("projects",), tolerance="—")
def prj05(ctx: CheckContext) -> RuleOutput:
    yield from project_issue_findings(ctx, "PRJ-05")


def _has_analysis(p: Project) -> bool:
    return bool(p.purpose.strip() or p.analysis_economy.strip() or p.analysis_effectiveness.strip()
                or p.analysis_sustainability.strip())


@rule("PRJ-06", W, "每个项目都应有绩效分析（提纲有“逐个项目绩效分析”位置时，如湖南九部分格式 五（二））",
      "outline place project_analysis (hunan9: 五.二): every project has purpose/analysis or is named there",
      reads=("projects", "narrative", "meta"), tolerance="—")
def prj06(ctx: CheckContext) -> RuleOutput:
    slot = place(ctx.report, "project_analysis")
    if slot is None:
        return
    analysis_text = ctx.report.narrative.get(slot, "") or ""
    where = slot_label(get_template(ctx.template), slot)
    paths_slot = f"narrative[{slot}]"

    def one(i: int, p: Project) -> Finding | None:
        """The project's finding: none when it has an analysis of its own or the slot's text names it."""
        if not p.name.strip() or _has_analysis(p) or any(v in analysis_text for v in name_variants(p.name)):
            return None
        amount = p.actual if p.actual is not None else project_budget_final(p)
        paths = (f"projects[{i}].analysis_effectiveness", paths_slot)
        if amount is None:
            return ctx.finding(".no_amount", paths, args={"project": p.name, "where": where})
        return ctx.finding("", paths, args={"project": p.name, "amount": ctx.fmt(amount), "where": where})
    # kept per project: typing in one project (or in another narrative slot) re-judges no other project
    yield from ctx.kept_items("PRJ-06", "projects", ctx.report.projects, (slot, where, analysis_text), one)


@rule("PRJ-07", E, "项目名称不重复", "project names unique", reads=("projects",), tolerance="X")
def prj07(ctx: CheckContext) -> RuleOutput:
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
        yield ctx.finding(".amounts_differ" if len(amounts) > 1 else "", tuple(f"projects[{i}].name" for i in idx),
                          args={"project": name, "count": str(len(idx))})
