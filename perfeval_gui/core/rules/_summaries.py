"""Per-run summaries of the big lists (projects, economic-class lines), shared by the rules.

A report may hold 1,000 projects and 5,000 economic-class lines; a keystroke re-runs every rule
that reads the edited block. So the list work is done once per run (``ctx.memo``) and, for projects,
per project only when that project changed since the last run: results are cached under the
*identity* of the project's values (``id`` of each Decimal, the cache holding a reference so ids
stay valid). Identity, not equality: ``Decimal("1.80") == Decimal("1.8")`` but their rounding
intervals differ.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from ..derived import project_budget_final, project_exec_rate
from ..model import Project
from ..money import decimals_of, fmt_amount, half_unit
from ..tolerance import at_most, equals_sum
from ._common import mismatch_message, pct

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

    def fmt(self, value):
        if value is None:
            return "（未填）"
        d = dec(value)
        return fmt_amount(value, self.p if self.p > d else d)


# ------------------------------------------------------------------ projects
@dataclass
class ProjectEntry:
    final: Decimal | None
    issues: tuple = ()       # (rule_id, message, rel_paths, finding kwargs)
    refs: tuple = ()         # keeps the keyed Decimals alive (their ids are the cache key)


_PROJECT_CACHE: dict[tuple, ProjectEntry] = {}


def _project_issues(p: Project, P: int, threshold: Decimal) -> list:
    f = _Fmt(P)
    label = f"项目“{p.name or '（未命名）'}”："
    out = []
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
        t2, p2 = list(terms), list(tpaths)
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
            shown = shown_budget + [("上年结转", prior, 1), ("实际支出", p.actual, -1)]
            out.append(("PRJ-03", mismatch_message(f, "结余结转", shown, c, prefix=label),
                        ("carryover", *tpaths, "carryover_prior", "actual"), {"comparison": c}))
    # PRJ-05 (a project without a budget is never flagged: its rate can only be inferred)
    if not p.deviation_reason.strip():
        rate = project_exec_rate(p)
        if rate is not None:
            avail = project_budget_final(p) + (p.carryover_prior or ZERO)
            low = avail - hh(avail, P)
            if low > 0 and (p.actual + hh(p.actual, P)) / low < threshold:
                out.append(("PRJ-05", f"{label}预算执行率 {pct(rate)} 低于 {pct(threshold)}，请填写偏差原因分析及改进措施。",
                            ("deviation_reason", "actual", "budget_final"),
                            {"expected": f"≥ {pct(threshold)}", "actual": pct(rate)}))
    return out


def _project_entry(p: Project, P: int, threshold: Decimal) -> ProjectEntry:
    refs = (p.budget_initial, p.budget_adjustment, p.budget_final, p.actual, p.carryover, p.carryover_prior)
    key = (p.name, p.kind, p.deviation_reason, P, threshold, *map(id, refs))
    entry = _PROJECT_CACHE.get(key)
    if entry is not None:
        return entry
    entry = ProjectEntry(project_budget_final(p), tuple(_project_issues(p, P, threshold)), refs)
    if len(_PROJECT_CACHE) > 50_000:
        _PROJECT_CACHE.clear()
    _PROJECT_CACHE[key] = entry
    return entry


@dataclass
class ProjectSummary:
    entries: list[ProjectEntry]
    issues: dict[str, list] = field(default_factory=dict)   # rule id → [(index, message, rel_paths, kwargs)]


def project_summary(ctx) -> ProjectSummary:
    s = ctx.memo.get("projects")
    if s is None:
        threshold = ctx.profile.decimal("thresholds.exec_rate_low")
        entries = [_project_entry(p, ctx.p, threshold) for p in ctx.report.projects]
        issues: dict[str, list] = {}
        for i, e in enumerate(entries):
            for rule_id, message, rel, kwargs in e.issues:
                issues.setdefault(rule_id, []).append((i, message, rel, kwargs))
        s = ctx.memo["projects"] = ProjectSummary(entries, issues)
    return s


def project_issue_findings(ctx, rule_id: str):
    for i, message, rel, kwargs in project_summary(ctx).issues.get(rule_id, ()):
        yield ctx.finding(message, tuple(f"projects[{i}].{r}" for r in rel), **kwargs)


def sum_with_bound(values, p: int) -> tuple[Decimal, Decimal]:
    total, bound = ZERO, ZERO
    for v in values:
        total += v
        bound += hh(v, p)
    return total, bound


# ------------------------------------------------------------------ economic-class lines
@dataclass
class EconSummary:
    by_scope: dict[str, list[int]]
    sums: dict[str, tuple[Decimal, Decimal, bool]]   # scope → (Σ, Σ h, every amount stated)
    negatives: list[int]
    reception: list[int]
    capital: list[int]
    missing: dict[str, int] = field(default_factory=dict)   # scope → amounts not stated


_GET = attrgetter("scope", "code", "name", "amount")
_ECON_STATE: dict = {"p": None, "attrs": None, "ids": None, "summary": None}


def _classify(code: str, name: str) -> tuple[bool, bool]:
    code = code.lstrip()
    return (code.startswith("30217") or "公务接待" in name, code.startswith("310") or "资本性支出" in name)


def _full_econ(attrs, P: int) -> EconSummary:
    by_scope: dict[str, list[int]] = {}
    sums: dict[str, list] = {}
    negatives, reception, capital = [], [], []
    for i, (scope, code, name, v) in enumerate(attrs):
        by_scope.setdefault(scope, []).append(i)
        acc = sums.get(scope)
        if acc is None:
            acc = sums[scope] = [ZERO, ZERO, 0]
        if v is None:
            acc[2] += 1
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
    return EconSummary(by_scope, {k: (a, b, n == 0) for k, (a, b, n) in sums.items()}, negatives, reception,
                       capital, {k: n for k, (_, _, n) in sums.items()})


def _update_econ(old: EconSummary, prev, attrs, changed: list[int], P: int) -> EconSummary | None:
    """Adjust the previous summary for a few changed lines; None when a scope changed (recompute)."""
    sums = {k: list(v[:2]) + [old.missing[k]] for k, v in old.sums.items()}
    negatives, reception, capital = set(old.negatives), set(old.reception), set(old.capital)
    for i in changed:
        o, n = prev[i], attrs[i]
        if o[0] != n[0]:
            return None
        acc = sums[n[0]]
        if o[3] is None:
            acc[2] -= 1
        else:
            acc[0] -= o[3]
            acc[1] -= hh(o[3], P)
        if n[3] is None:
            acc[2] += 1
        else:
            acc[0] += n[3]
            acc[1] += hh(n[3], P)
        for group, flag in ((negatives, n[3] is not None and n[3] < 0),):
            (group.add if flag else group.discard)(i)
        rec, cap = _classify(n[1], n[2])
        (reception.add if rec else reception.discard)(i)
        (capital.add if cap else capital.discard)(i)
    return EconSummary(old.by_scope, {k: (a, b, n == 0) for k, (a, b, n) in sums.items()}, sorted(negatives),
                       sorted(reception), sorted(capital), {k: n for k, (_, _, n) in sums.items()})


def econ_summary(ctx) -> EconSummary:
    """Scope sums and bounds, negatives, 公务接待费 / 资本性支出 lines of expenditure.by_econ.

    Incremental across runs: the lines are compared with the previous run's by identity of their
    values; unchanged → the previous summary, a few changed → sums adjusted, else recomputed."""
    s = ctx.memo.get("econ")
    if s is not None:
        return s
    P = ctx.p
    attrs = list(map(_GET, ctx.report.expenditure.by_econ))
    ids = [id(a[3]) for a in attrs]
    st = _ECON_STATE
    prev, prev_ids, old = st["attrs"], st["ids"], st["summary"]
    s = None
    if old is not None and st["p"] == P and len(prev_ids) == len(ids):
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
    ctx.memo["econ"] = s
    return s
