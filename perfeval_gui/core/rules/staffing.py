"""Staffing and organisation (DOMAIN.md §7.1). Headcounts compare exactly."""
from __future__ import annotations

from ..derived import staff_actual, staff_control_rate
from ..money import fmt_percent
from ..findings import Severity
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
            f"实有人数 {actual} 人超过编制人数 {prof.staff_authorized} 人（超编 {actual - prof.staff_authorized} 人）："
            f"在职人员控制率 = 在职 {actual} ÷ 编制 {prof.staff_authorized} = {rate}，超过 100%"
            f"（基础数据表“控制率”）。请说明超编原因（右键“核实并说明”）。",
            (source, "profile.staff_authorized"), expected=f"≤ {prof.staff_authorized}", actual=str(actual),
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
        parts = " + ".join(f"{r.role or '（未命名）'} {r.count}" for r in prof.staff_by_role)
        yield ctx.finding(
            f"实有人数应为 {parts} = {total} 人，现填 {prof.staff_actual} 人（相差 {prof.staff_actual - total}）。",
            ("profile.staff_actual", "profile.staff_by_role"), expected=str(total), actual=str(prof.staff_actual),
            difference=str(prof.staff_actual - total), tolerance="0")


@rule("STF-03", E, "内设科室个数与所列科室一致", "declared_org_unit_count = len(org_units)", reads=("profile",),
      tolerance="X")
def stf03(ctx: CheckContext) -> RuleOutput:
    prof = ctx.report.profile
    if prof.declared_org_unit_count is None:
        return
    n = len(prof.org_units)
    if n != prof.declared_org_unit_count:
        names = "、".join(u.name or "（未命名）" for u in prof.org_units) or "无"
        yield ctx.finding(
            f"内设科室写为 {prof.declared_org_unit_count} 个，但列出了 {n} 个（{names}）。",
            ("profile.declared_org_unit_count", "profile.org_units"), expected=str(n),
            actual=str(prof.declared_org_unit_count), difference=str(prof.declared_org_unit_count - n),
            tolerance="0")


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
                f"{role.role}实有 {role.count} 名，超过领导职数 {quota} 名。",
                (f"profile.staff_by_role[{j}].count", f"profile.leader_posts[{i}].quota"),
                expected=f"≤ {quota}", actual=str(role.count), difference=str(role.count - quota), tolerance="0")


@rule("STF-05", E, "人数为非负整数", "staff_authorized, staff_actual, role counts ≥ 0 and integer",
      reads=("profile",), tolerance="X")
def stf05(ctx: CheckContext) -> RuleOutput:
    prof = ctx.report.profile
    checks = [("profile.staff_authorized", "编制人数", prof.staff_authorized),
              ("profile.staff_actual", "实有人数", prof.staff_actual),
              ("profile.declared_org_unit_count", "内设科室个数", prof.declared_org_unit_count)]
    checks += [(f"profile.staff_by_role[{i}].count", f"{r.role or '人员'}人数", r.count)
               for i, r in enumerate(prof.staff_by_role)]
    checks += [(f"profile.leader_posts[{i}].quota", f"{p.title or '领导'}职数", p.quota)
               for i, p in enumerate(prof.leader_posts)]
    for path, label, value in checks:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            yield ctx.finding(f"{label}应为整数，现填 {value}。", (path,), actual=str(value))
        elif value < 0:
            yield ctx.finding(f"{label}不能为负数，现填 {value}。", (path,), expected="≥ 0", actual=str(value))
