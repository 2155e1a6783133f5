"""Staffing and organisation (DOMAIN.md §7.1). Headcounts compare exactly."""
from __future__ import annotations

from .. import fields
from ..derived import staff_actual, staff_control_rate
from ..money import fmt_percent
from ..findings import Severity
from ..messages import text
from ._common import all_stated
from .context import CheckContext
from .registry import RuleOutput, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


@rule("STF-01", W, "实有人数不超过编制人数", "staff_actual ≤ staff_authorized", reads=("profile",), tolerance="X")
def stf01(ctx: CheckContext) -> RuleOutput:
    prof = ctx.report.profile
    actual = staff_actual(ctx.report)
    if actual is None or prof.staff_authorized is None:
        return
    if actual > prof.staff_authorized:
        source = "profile.staff_actual" if prof.staff_actual is not None else "profile.staff_by_role"
        rate = fmt_percent(staff_control_rate(ctx.report))
        yield ctx.finding(
            "", (source, "profile.staff_authorized"),
            args={"actual": str(actual), "authorized": str(prof.staff_authorized),
                  "over": str(actual - prof.staff_authorized), "rate": rate},
            expected=f"≤ {prof.staff_authorized}", actual=str(actual),
            difference=str(actual - prof.staff_authorized), tolerance="0")


@rule("STF-02", E, "实有人数 = 各类人员之和", "staff_actual = Σ staff_by_role.count", reads=("profile",),
      tolerance="X")
def stf02(ctx: CheckContext) -> RuleOutput:
    prof = ctx.report.profile
    counts = [r.count for r in prof.staff_by_role]
    if prof.staff_actual is None or not counts or not all_stated(counts):
        return
    total = sum(counts)
    if total != prof.staff_actual:
        parts = " + ".join(f"{r.role or text('_.staffing.unnamed')} {r.count}" for r in prof.staff_by_role)
        yield ctx.finding(
            "", ("profile.staff_actual", "profile.staff_by_role"),
            args={"terms": parts, "computed": str(total), "stated": str(prof.staff_actual),
                  "difference": str(prof.staff_actual - total)},
            expected=str(total), actual=str(prof.staff_actual),
            difference=str(prof.staff_actual - total), tolerance="0")


@rule("STF-03", E, "内设科室个数与所列科室一致", "declared_org_unit_count = len(org_units)", reads=("profile",),
      tolerance="X")
def stf03(ctx: CheckContext) -> RuleOutput:
    prof = ctx.report.profile
    if prof.declared_org_unit_count is None:
        return
    n = len(prof.org_units)
    if n != prof.declared_org_unit_count:
        names = text("STF-03.sep").join(u.name or text("_.staffing.unnamed") for u in prof.org_units)
        yield ctx.finding(
            "", ("profile.declared_org_unit_count", "profile.org_units"),
            args={"declared": str(prof.declared_org_unit_count), "listed": str(n),
                  "names": names or text("STF-03.none")},
            expected=str(n), actual=str(prof.declared_org_unit_count),
            difference=str(prof.declared_org_unit_count - n), tolerance="0")


@rule("STF-04", W, "各职务实有人数不超过领导职数", "staff_by_role[title].count ≤ leader_posts[title].quota",
      reads=("profile",), tolerance="X")
def stf04(ctx: CheckContext) -> RuleOutput:
    prof = ctx.report.profile
    quotas = {}
    for i, post in enumerate(prof.leader_posts):
        if post.title.strip() and post.quota is not None:
            quotas[post.title.strip()] = (i, post.quota)
    if not quotas:
        return
    for j, role in enumerate(prof.staff_by_role):
        hit = quotas.get(role.role.strip())
        if hit is None or role.count is None:
            continue
        i, quota = hit
        if role.count > quota:
            yield ctx.finding(
                "", (f"profile.staff_by_role[{j}].count", f"profile.leader_posts[{i}].quota"),
                args={"role": role.role, "count": str(role.count), "quota": str(quota)},
                expected=f"≤ {quota}", actual=str(role.count), difference=str(role.count - quota), tolerance="0")


@rule("STF-05", E, "人数为非负整数", "staff_authorized, staff_actual, role counts ≥ 0 and integer",
      reads=("profile",), tolerance="X")
def stf05(ctx: CheckContext) -> RuleOutput:
    prof = ctx.report.profile
    checks = [(path, fields.label(path), value) for path, value in (
        ("profile.staff_authorized", prof.staff_authorized), ("profile.staff_actual", prof.staff_actual),
        ("profile.declared_org_unit_count", prof.declared_org_unit_count))]
    for i, r in enumerate(prof.staff_by_role):      # '干部人数': the row's name and the column's label
        path = f"profile.staff_by_role[{i}].count"
        checks.append((path, (r.role or text("STF-05.no_role")) + fields.label(path), r.count))
    for i, p in enumerate(prof.leader_posts):        # '主任职数'
        path = f"profile.leader_posts[{i}].quota"
        checks.append((path, (p.title or text("STF-05.no_title")) + fields.label(path), p.quota))
    for path, label, value in checks:
        if value is None:
            continue
        args = {"label": label, "value": str(value)}
        if isinstance(value, bool) or not isinstance(value, int):
            yield ctx.finding(".integer", (path,), args=args, actual=str(value))
        elif value < 0:
            yield ctx.finding(".negative", (path,), args=args, expected="≥ 0", actual=str(value))
