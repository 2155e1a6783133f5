"""Projects (DOMAIN.md §7.3)."""
from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from functools import lru_cache
from typing import TypedDict

from dataclasses import dataclass, field

from ..derived import project_budget_final, project_exec_rate
from ..findings import Severity
from ..model import Project
from ..tolerance import Comparison, at_most, equals_sum
from ..fields import field_label
from ._common import Term, mismatch_message, name_variants, pct, place
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


# (rule_id, message, rel_paths, finding kwargs)
Issue = tuple[str, str, tuple[str, ...], IssueArgs]


@dataclass
class ProjectEntry:
    final: Decimal | None
    issues: tuple[Issue, ...] = ()
    refs: tuple[Decimal | None, ...] = ()   # keeps the keyed Decimals alive (their ids are the cache key)


def _project_issues(p: Project, P: int, threshold: Decimal) -> list[Issue]:
    f = _Fmt(P)
    label = f"项目“{p.name or '（未命名）'}”："
    out: list[Issue] = []
    terms: list[tuple[str, Decimal, int]] | None
    tpaths: list[str]
    # EXP-09: negative amounts (budget_adjustment may be negative)
    for attr in ("budget_initial", "budget_final", "actual", "carryover", "carryover_prior"):
        v = getattr(p, attr)
        if v is not None and v < 0:
            out.append(("EXP-09", f"金额不能为负数：{label}{attr} 现填 {f.fmt(v)} 万元（只有调整追加/调减可以为负）。",
                        (attr,), {"expected": "≥ 0", "actual": f.fmt(v)}))
    # budget terms: 全年预算 stated, else 年初预算 (+ 调整追加)
    if p.budget_final is not None:
        terms, tpaths = [("预算", p.budget_final, 1)], ["budget_final"]
    elif p.budget_initial is None and p.budget_adjustment is None:
        terms, tpaths = None, []
    else:
        terms, tpaths = [], []
        if p.budget_initial is not None:
            terms.append(("年初预算", p.budget_initial, 1))
            tpaths.append("budget_initial")
        if p.budget_adjustment is not None:
            terms.append(("调整追加", p.budget_adjustment, 1))
            tpaths.append("budget_adjustment")
    # PRJ-01
    if p.budget_final is not None and not (p.budget_initial is None and p.budget_adjustment is None):
        ini = p.budget_initial if p.budget_initial is not None else ZERO
        adj = p.budget_adjustment if p.budget_adjustment is not None else ZERO
        c = equals_sum(p.budget_final, [ini, adj], P)
        if not c.ok:
            out.append(("PRJ-01", mismatch_message(f, "全年预算", [("年初预算", ini, 1), ("调整追加", adj, 1)], c,
                                                   prefix=label),
                        ("budget_final", "budget_initial", "budget_adjustment"), {"comparison": c}))
    # PRJ-02
    if p.actual is not None and terms is not None:
        t2: list[tuple[str, Decimal, int]] = list(terms)
        p2 = list(tpaths)
        if p.carryover_prior is not None:
            t2.append(("上年结转", p.carryover_prior, 1))
            p2.append("carryover_prior")
        c = at_most(p.actual, [v for _, v, _ in t2], P)
        if not c.ok:
            parts = " + ".join(f"{lb} {f.fmt(v)}" for lb, v, _ in t2)
            out.append(("PRJ-02", f"{label}实际支出 {f.fmt(p.actual)} 万元超过 {parts} = {f.fmt(c.computed)} 万元"
                        f"（超支 {f.fmt(c.difference)}）。", ("actual", *p2), {"comparison": c}))
    # PRJ-03
    if p.carryover is not None and p.actual is not None and terms is not None:
        shown_budget = [("预算", sum((v for _, v, _ in terms), ZERO), 1)] if len(terms) > 1 else terms
        prior = p.carryover_prior if p.carryover_prior is not None else ZERO
        values = [v for _, v, _ in terms] + ([p.carryover_prior] if p.carryover_prior is not None else [])
        c = equals_sum(p.carryover, values + [p.actual], P, [1] * len(values) + [-1])
        if not c.ok:
            shown: list[Term] = [*shown_budget, ("上年结转", prior, 1), ("实际支出", p.actual, -1)]
            out.append(("PRJ-03", mismatch_message(f, "结余结转", shown, c, prefix=label),
                        ("carryover", *tpaths, "carryover_prior", "actual"), {"comparison": c}))
    # PRJ-05 (a project without a budget is never flagged: its rate can only be inferred)
    if not p.deviation_reason.strip():
        rate = project_exec_rate(p)
        final = project_budget_final(p)
        # a rate implies a budget and an actual amount (derived.project_exec_rate)
        if rate is not None and final is not None and p.actual is not None:
            avail = final + (p.carryover_prior or ZERO)
            low = avail - hh(avail, P)
            if low > 0 and (p.actual + hh(p.actual, P)) / low < threshold:
                out.append(("PRJ-05", f"{label}预算执行率 {pct(rate)} 低于 {pct(threshold)}，请填写偏差原因分析及改进措施。",
                            ("deviation_reason", "actual", "budget_final"),
                            {"expected": f"≥ {pct(threshold)}", "actual": pct(rate)}))
    return out


def _project_entry(cache: dict[tuple[Hashable, ...], ProjectEntry], p: Project, P: int, threshold: Decimal) -> ProjectEntry:
    """A project's checks, cached (in the Checker's cache) under the identity of its values."""
    refs = (p.budget_initial, p.budget_adjustment, p.budget_final, p.actual, p.carryover, p.carryover_prior)
    key = (p.name, p.kind, p.deviation_reason, P, threshold, *map(id, refs))
    hit = cache.get(key)
    if hit is not None:
        return hit
    entry = ProjectEntry(project_budget_final(p), tuple(_project_issues(p, P, threshold)), refs)
    if len(cache) > 50_000:
        cache.clear()
    cache[key] = entry
    return entry


@dataclass
class ProjectSummary:
    entries: list[ProjectEntry]
    # rule id → [(index, message, rel_paths, kwargs)]
    issues: dict[str, list[tuple[int, str, tuple[str, ...], IssueArgs]]] = field(default_factory=dict)


def project_summary(ctx: CheckContext) -> ProjectSummary:
    """Each project's checks and 全年预算, kept until a project changes (ctx.kept); within that, a
    project whose values did not change reuses its cached entry."""
    return ctx.kept("projects.summary", ("projects",), lambda: _project_summary(ctx))


def _project_summary(ctx: CheckContext) -> ProjectSummary:
    threshold = ctx.profile.decimal("thresholds.exec_rate_low")
    cache: dict[tuple[Hashable, ...], ProjectEntry] = ctx.cache.setdefault("projects", {})
    entries = [_project_entry(cache, p, ctx.p, threshold) for p in ctx.report.projects]
    issues: dict[str, list[tuple[int, str, tuple[str, ...], IssueArgs]]] = {}
    for i, e in enumerate(entries):
        for rule_id, message, rel, kwargs in e.issues:
            issues.setdefault(rule_id, []).append((i, message, rel, kwargs))
    return ProjectSummary(entries, issues)


def project_issue_findings(ctx: CheckContext, rule_id: str) -> RuleOutput:
    for i, message, rel, kwargs in project_summary(ctx).issues.get(rule_id, ()):
        yield ctx.finding(message, tuple(f"projects[{i}].{r}" for r in rel), **kwargs)



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
def prj05(ctx: CheckContext) -> RuleOutput:
    yield from project_issue_findings(ctx, "PRJ-05")


@lru_cache(maxsize=64)
def _unanalysed(text: str, items: tuple[tuple[str, bool], ...]) -> tuple[int, ...]:
    """Indices of projects with no analysis of their own and not named in the 五（二） text."""
    return tuple(i for i, (name, has) in enumerate(items)
                 if name.strip() and not has and not any(v in text for v in name_variants(name)))


@rule("PRJ-06", W, "每个项目都应有绩效分析（提纲有“逐个项目绩效分析”位置时，如湖南九部分格式 五（二））",
      "outline place project_analysis (hunan9: 五.二): every project has purpose/analysis or is named there",
      reads=("projects", "narrative", "meta"), tolerance="—")
def prj06(ctx: CheckContext) -> RuleOutput:
    slot = place(ctx.report, "project_analysis")
    if slot is None:
        return
    text = ctx.report.narrative.get(slot, "") or ""
    ps = ctx.report.projects
    items = tuple((p.name, bool(p.purpose.strip() or p.analysis_economy.strip() or p.analysis_effectiveness.strip()
                                or p.analysis_sustainability.strip())) for p in ps)
    for i in _unanalysed(text, items):
        where = field_label(f"narrative[{slot}]", ctx.report).removeprefix("正文 ")
        p = ps[i]
        amount = p.actual if p.actual is not None else project_budget_final(p)
        money = f"（{ctx.fmt(amount)} 万元）" if amount is not None else ""
        yield ctx.finding(
            f"项目“{p.name}”{money}在 {where} 中没有绩效分析，每个项目都应自评。",
            (f"projects[{i}].analysis_effectiveness", f"narrative[{slot}]"))


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
        extra = "且金额不同，" if len(amounts) > 1 else ""
        yield ctx.finding(
            f"项目“{name}”列出了 {len(idx)} 次，{extra}请合并或改名。",
            tuple(f"projects[{i}].name" for i in idx))
