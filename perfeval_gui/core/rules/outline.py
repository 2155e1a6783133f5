"""Checks the report profile drives (issue 20): text kept outside the outline (CMP-05), the department
tree of the profile (SCO-16), text-length limits (TXT-01) and required explanations (TXT-02)."""
from __future__ import annotations

import re
from decimal import Decimal

from ..fields import field_label
from ..findings import Severity
from ..messages import text
from ..model import PathError, Report, get_value
from ..profiles import orphans
from ..template import get_template
from ._common import sentences
from .context import CheckContext
from .registry import RuleOutput, rule
from .scoring import _n

W, I = Severity.WARNING, Severity.INFO

# SCO-16's "actual" of an indicator the scoring table lacks, and TXT-02's joint between the words it
# looked for (shown quoted): both are part of the finding's acknowledgement key (the actual value; the
# quoted names of a message), so they stay here rather than in the rewordable catalogue
ABSENT = "无"
WORD_SEP = "、"


@rule("CMP-05", W, "不在当前报告格式提纲中的文字（已保留，不会导出）", "narrative keys ⊆ outline slots",
      reads=("narrative", "meta"), tolerance="—")
def cmp03(ctx: CheckContext) -> RuleOutput:
    template = get_template(ctx.template)
    for key, label in orphans(ctx.report):
        yield ctx.finding("", (f"narrative[{key}]",), quote=(ctx.report.narrative.get(key) or "").strip()[:60],
                          ident=("slot",), args={"slot": key, "label": label, "template": template.name})


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
            yield ctx.finding(".missing", ("scoring.nodes",), expected=row["name"], actual=ABSENT,
                              ident=("indicator",), args={"indicator": row["name"], "weight": _n(want)})
        else:
            i, n = hit
            if n.weight is None or n.weight == want:
                continue
            yield ctx.finding(".weight", (f"scoring.nodes[{i}].weight",), expected=_n(want), actual=_n(n.weight),
                              args={"name": n.name, "weight": _n(n.weight), "want": _n(want)})


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
                yield ctx.finding("", (path,), expected=f"≤ {top}", actual=str(n), difference=str(n - top),
                                  ident=("limit",),
                                  args={"limit": what or path, "field": field_label(path, ctx.report),
                                        "what": what or text("TXT-01.what"), "count": n, "top": top,
                                        "over": n - top})


@rule("TXT-02", W, "年中预算调整应说明原因", "explanations.budget_adjustment and 调整追加 ≠ 0 ⇒ a sentence with "
      "explanations.budget_adjustment_words", reads=("income", "narrative", "meta"), tolerance="—")
def txt02(ctx: CheckContext) -> RuleOutput:
    if not ctx.profile.get("explanations.budget_adjustment"):
        return
    adj = ctx.report.income.budget_adjustment
    if adj is None or adj == 0:
        return
    words = [w for w in ctx.profile.get("explanations.budget_adjustment_words") or [] if w]
    for body in ctx.report.narrative.values():
        if any(any(w in s for w in words) for s in sentences(body or "")):
            return
    yield ctx.finding("", ("income.budget_adjustment",), actual=ctx.fmt(adj),
                      args={"adjustment": ctx.fmt(adj), "words": WORD_SEP.join(words)})
