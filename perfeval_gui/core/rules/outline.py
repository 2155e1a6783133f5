"""Checks the report profile drives (issue 20): text kept outside the outline (CMP-05), the department
tree of the profile (SCO-16), text-length limits (TXT-01) and required explanations (TXT-02)."""
from __future__ import annotations

import re
from decimal import Decimal

from ..fields import field_label
from ..findings import Severity
from ..model import PathError, Report, get_value
from ..profiles import orphans
from ..template import get_template
from ._common import sentences
from .context import CheckContext
from .registry import RuleOutput, rule
from .scoring import _n

W, I = Severity.WARNING, Severity.INFO


@rule("CMP-05", W, "不在当前报告格式提纲中的文字（已保留，不会导出）", "narrative keys ⊆ outline slots",
      reads=("narrative", "meta"), tolerance="—")
def cmp03(ctx: CheckContext) -> RuleOutput:
    template = get_template(ctx.template)
    for key, label in orphans(ctx.report):
        yield ctx.finding(f"“{label}”的文字在当前报告格式“{template.name}”中没有对应的部分，已保留但不会导出到 Word。"
                          f"请把它移到合适的部分，或确认后删除。", (f"narrative[{key}]",),
                          quote=(ctx.report.narrative.get(key) or "").strip()[:60], args={"slot": key})


@rule("SCO-16", I, "部门整体评分表的指标与配置的指标体系一致", "scoring.nodes names/weights = profile indicators.department",
      reads=("scoring", "meta"), tolerance="X")
def sco13(ctx: CheckContext) -> RuleOutput:
    tree = ctx.profile.get("indicators.department") or []
    nodes = ctx.report.scoring.nodes
    if not tree or not nodes:
        return
    by_name = {n.name.strip(): (i, n) for i, n in enumerate(nodes)}
    for row in tree:
        want = Decimal(str(row["weight"]))
        hit = by_name.get(row["name"])
        if hit is None:
            yield ctx.finding(f"评分表缺少配置的指标“{row['name']}”（分值 {_n(want)}）。", ("scoring.nodes",),
                              expected=row["name"], actual="无", args={"indicator": row["name"]})
        else:
            i, n = hit
            if n.weight is None or n.weight == want:
                continue
            yield ctx.finding(f"评分表“{n.name}”分值 {_n(n.weight)}，配置的指标体系为 {_n(want)} 分。",
                              (f"scoring.nodes[{i}].weight",), expected=_n(want), actual=_n(n.weight))


def _expand(report: Report, pattern: str) -> list[str]:
    """'projects[].indicators[].achieved_text' → every existing path."""
    if "[]" not in pattern:
        return [pattern]
    head, tail = pattern.split("[]", 1)
    try:
        items = get_value(report, head)
    except (PathError, KeyError):
        return []
    if not isinstance(items, list):
        return []
    out: list[str] = []
    for i in range(len(items)):
        out += _expand(report, f"{head}[{i}]{tail}")
    return out


def _length(text: str) -> int:
    return len(re.sub(r"\s", "", text or ""))


@rule("TXT-01", W, "文字不超过配置的字数限制", "len(text without spaces) ≤ texts.limits[].max",
      reads=("narrative", "scoring", "projects", "meta"), tolerance="X")
def txt01(ctx: CheckContext) -> RuleOutput:
    template = get_template(ctx.template)
    for limit in ctx.profile.get("texts.limits") or []:
        top, what = int(limit["max"]), limit.get("what") or ""
        if limit.get("place"):
            slot = template.place(limit["place"])
            paths = [f"narrative[{slot}]"] if slot else []
        else:
            paths = _expand(ctx.report, limit["path"])
        for path in paths:
            try:
                value = get_value(ctx.report, path)
            except (PathError, KeyError):
                continue
            n = _length(value) if isinstance(value, str) else 0
            if n > top:
                yield ctx.finding(f"{field_label(path, ctx.report)}（{what or '文字'}）有 {n} 字，超过限制 {top} 字"
                                  f"（多 {n - top} 字）。", (path,), expected=f"≤ {top}", actual=str(n),
                                  difference=str(n - top), args={"limit": what or path})


@rule("TXT-02", W, "年中预算调整应说明原因", "explanations.budget_adjustment and 调整追加 ≠ 0 ⇒ a sentence with "
      "explanations.budget_adjustment_words", reads=("income", "narrative", "meta"), tolerance="—")
def txt02(ctx: CheckContext) -> RuleOutput:
    if not ctx.profile.get("explanations.budget_adjustment"):
        return
    adj = ctx.report.income.budget_adjustment
    if adj is None or adj == 0:
        return
    words = [w for w in ctx.profile.get("explanations.budget_adjustment_words") or [] if w]
    for text in ctx.report.narrative.values():
        if any(any(w in s for w in words) for s in sentences(text or "")):
            return
    yield ctx.finding(f"年中调整追加预算 {ctx.fmt(adj)} 万元，报告中没有说明调整的原因和用途"
                      f"（本配置要求说明，找不到含“{'、'.join(words)}”的句子）。",
                      ("income.budget_adjustment",), actual=ctx.fmt(adj))
