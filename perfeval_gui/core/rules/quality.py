"""Indicator quality (IND-*) and reviewer pre-checks (REV-*) of the scoring tables (issue 20).

Every word list and threshold comes from the profile's ``[quality]`` / ``[review]`` tables
(docs/profiles.md). IND-01 applies to the project 自评表 (产出 / 效益 / 满意度 are its levels,
财预〔2020〕10号); the other checks to every table (部门整体 and each project's).
"""
from __future__ import annotations

from decimal import Decimal

from .. import regex
from ..derived import exec_rate, node_score, project_exec_rate
from ..findings import Severity
from ..model import ScoreNode
from ..money import fmt_percent
from ..scoring_rules import target_missed
from ._common import all_stated
from .context import CheckContext
from .registry import RuleOutput, rule
from .scoring import _n, _name, trees_of

W = Severity.WARNING
ZERO = Decimal(0)
HUNDRED = Decimal(100)
_DIGIT = regex.compile(r"[0-9０-９]|[一二三四五六七八九十百千万两]+(个|次|项|人|件|家|所|期|场|份|户|天|%|％)")
READS = ("scoring", "projects")
_PERCENT = ("%", "％")                 # an indicator's unit that makes its values percentages
_EXEC_NODE_WORD = "预算执行"            # names the budget-execution indicator when no node has its score rule
# joins the missing levels (IND-01) and the vague words (IND-05): both identify a case for an
# acknowledgement (core/findings.Finding.key), so the separator is not catalogue wording
_ENUM = "、"
# REV-01's expected and actual values as version 1.1 saved them: part of the acknowledgement key, so frozen
# here rather than in the catalogue
_REV01_EXPECTED = "偏差原因"
_REV01_ACTUAL = "扣 {lost} 分"


def _words(ctx: CheckContext, key: str) -> list[str]:
    return [w for w in (ctx.profile.get(f"quality.{key}") or []) if w]


def _parents(nodes: list[ScoreNode]) -> dict[str, ScoreNode]:
    return {n.id: n for n in nodes if n.id}


def _has_children(nodes: list[ScoreNode], node: ScoreNode) -> bool:
    return bool(node.id) and any(n.parent_id == node.id for n in nodes)


def _ancestry(nodes: list[ScoreNode], node: ScoreNode) -> str:
    """The node's name with the names of its ancestors ('产出指标 数量指标 培训人次')."""
    by_id = _parents(nodes)
    names, seen = [node.name], set[str]()
    parent = by_id.get(node.parent_id)
    while parent is not None and parent.id not in seen:
        seen.add(parent.id)
        names.append(parent.name)
        parent = by_id.get(parent.parent_id)
    return " ".join(reversed(names))


def _p(prefix: str, i: int, attr: str) -> str:
    return f"{prefix}[{i}].{attr}"


@rule("IND-01", W, "项目自评表应有产出、效益、满意度指标", "project table: a level named with each of quality.levels",
      reads=("projects",), tolerance="—")
def ind01(ctx: CheckContext) -> RuleOutput:
    levels = _words(ctx, "levels")
    for label, prefix, nodes in trees_of(ctx):
        if prefix == "scoring.nodes":
            continue
        top_ids = {n.id for n in nodes if not n.parent_id}
        upper = [n.name for n in nodes if not n.parent_id or n.parent_id in top_ids]
        missing = [w for w in levels if not any(w in name for name in upper)]
        if missing:
            yield ctx.finding("", (prefix,), args={"table": label, "missing": _ENUM.join(missing),
                                                   "levels": _ENUM.join(levels)}, ident=("missing",))


@rule("IND-02", W, "成本指标应为“≤”", "name or level has quality.cost_words ⇒ direction ≠ ≥", reads=READS,
      tolerance="—")
def ind02(ctx: CheckContext) -> RuleOutput:
    words = _words(ctx, "cost_words")
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if n.direction == "≥" and not _has_children(nodes, n) and any(w in _ancestry(nodes, n) for w in words):
                yield ctx.finding("", (_p(prefix, i, "direction"),), args={"table": label, "indicator": _name(n)},
                                  expected="≤", actual="≥")


@rule("IND-03", W, "百分比目标不超过上限", "unit % and direction ≥/= ⇒ target ≤ quality.percent_max", reads=READS,
      tolerance="—")
def ind03(ctx: CheckContext) -> RuleOutput:
    limit = ctx.profile.decimal("quality.percent_max")
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if n.unit.strip() in _PERCENT and n.direction in ("≥", "=") and n.target is not None and n.target > limit:
                yield ctx.finding("", (_p(prefix, i, "target"),),
                                  args={"table": label, "indicator": _name(n), "direction": n.direction,
                                        "target": _n(n.target), "limit": _n(limit)},
                                  expected=f"≤ {_n(limit)}", actual=_n(n.target))


def _placeholder(text: str, marks: list[str]) -> str | None:
    t = text.strip()
    if not t:
        return None
    for m in marks:
        if t == m or (len(m) >= 2 and m.lower() in t.lower()):
            return m
    return None


@rule("IND-04", W, "指标值不能是占位符", "target_text / achieved_text ∉ quality.placeholders (*, XX, 待定 …)",
      reads=READS, tolerance="—")
def ind04(ctx: CheckContext) -> RuleOutput:
    marks = _words(ctx, "placeholders")
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            for attr in ("target_text", "achieved_text"):
                mark = _placeholder(getattr(n, attr) or "", marks)
                if mark:
                    said = getattr(n, attr).strip()
                    yield ctx.finding(f".{attr}", (_p(prefix, i, attr),), quote=said[:60],
                                      args={"table": label, "indicator": _name(n), "text": said, "mark": mark})


@rule("IND-05", W, "年度指标值应可衡量", "target_text only quality.vague_words, no number", reads=READS,
      tolerance="—")
def ind05(ctx: CheckContext) -> RuleOutput:
    words = _words(ctx, "vague_words")
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            text = (n.target_text or "").strip()
            if not text or n.target is not None or _DIGIT.search(text):
                continue
            used = [w for w in words if w in text]
            if used:
                yield ctx.finding("", (_p(prefix, i, "target_text"),), quote=text[:60],
                                  args={"table": label, "indicator": _name(n), "text": text[:40], "words": _ENUM.join(used)})


_HUNDRED_TEXT = regex.compile(r"(?<![\d.])100(\.0+)?\s*[%％]")


@rule("IND-06", W, "满意度 100% 应说明样本", "satisfaction achieved = 100 % ⇒ quality.sample_words in its texts",
      reads=READS, tolerance="—")
def ind06(ctx: CheckContext) -> RuleOutput:
    names, samples = _words(ctx, "satisfaction_words"), _words(ctx, "sample_words")
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if not any(w in n.name for w in names) or _has_children(nodes, n):
                continue
            full = (n.achieved == HUNDRED and n.unit.strip() in _PERCENT) or \
                bool(_HUNDRED_TEXT.search(n.achieved_text or ""))
            said = " ".join((n.achieved_text or "", n.evidence or "", n.deviation_reason or ""))
            if full and not any(w in said for w in samples):
                yield ctx.finding("", (_p(prefix, i, "achieved"), _p(prefix, i, "evidence")),
                                  args={"table": label, "indicator": _name(n)})


@rule("IND-07", W, "数量指标不应是金额", "level quality.quantity_words ⇒ unit ∉ quality.money_units", reads=READS,
      tolerance="—")
def ind07(ctx: CheckContext) -> RuleOutput:
    quantity, money = _words(ctx, "quantity_words"), _words(ctx, "money_units")
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if _has_children(nodes, n) or not any(w in _ancestry(nodes, n) for w in quantity):
                continue
            unit = n.unit.strip()
            texts = (n.target_text or "").strip(), (n.achieved_text or "").strip()
            hit = unit if unit in money else next((u for t in texts for u in money if t.endswith(u)), None)
            if hit:
                yield ctx.finding("", (_p(prefix, i, "unit"), _p(prefix, i, "target")), actual=hit,
                                  args={"table": label, "indicator": _name(n), "unit": hit})


@rule("IND-08", W, "末级指标分值不能为 0", "leaf weight ≠ 0", reads=READS, tolerance="X")
def ind08(ctx: CheckContext) -> RuleOutput:
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if n.weight is not None and n.weight == ZERO and not _has_children(nodes, n):
                yield ctx.finding("", (_p(prefix, i, "weight"),), args={"table": label, "indicator": _name(n)},
                                  expected="> 0", actual="0")


# ------------------------------------------------------------------ reviewer pre-checks
@rule("REV-01", W, "失分的指标应写偏差原因",
      "leaf score_stated < weight ⇒ deviation_reason (target met or unknown; not the exec_rate leaf)",
      reads=READS, tolerance="X")
def rev01(ctx: CheckContext) -> RuleOutput:
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if n.score_stated is None or n.weight is None or n.score_stated >= n.weight or _has_children(nodes, n):
                continue
            if n.deviation_reason.strip() or target_missed(n):      # SCO-06 asks for it when the target is missed
                continue
            if n.rule == "exec_rate":       # points lost to unspent money: PRJ-05 / EXP-10 ask for the reason
                continue
            lost = n.weight - n.score_stated
            yield ctx.finding("", (_p(prefix, i, "deviation_reason"), _p(prefix, i, "score_stated")),
                              args={"table": label, "indicator": _name(n), "score": _n(n.score_stated),
                                    "weight": _n(n.weight), "lost": _n(lost)},
                              expected=_REV01_EXPECTED, actual=_REV01_ACTUAL.format(lost=_n(lost)))


def _exec_node(nodes: list[ScoreNode]) -> tuple[int, ScoreNode] | tuple[None, None]:
    for i, n in enumerate(nodes):
        if n.rule == "exec_rate":
            return i, n
    for i, n in enumerate(nodes):
        if _EXEC_NODE_WORD in n.name and n.weight is not None:
            return i, n
    return None, None


@rule("REV-02", W, "指标得分率不应明显高于预算执行率",
      "(total − exec points) ÷ (100 − exec weight) − exec rate ≤ review.exec_gap", reads=READS + ("income", "expenditure"),
      tolerance="—")
def rev02(ctx: CheckContext) -> RuleOutput:
    gap = ctx.profile.decimal("review.exec_gap")
    for label, prefix, nodes in trees_of(ctx):
        i, e = _exec_node(nodes)
        if e is None or e.weight is None or e.weight >= HUNDRED:
            continue
        tops = [n for n in nodes if not n.parent_id]
        scores = [node_score(nodes, n) for n in tops]
        exec_score = node_score(nodes, e)
        if not tops or not all_stated(scores) or exec_score is None:
            continue
        rate: Decimal | None
        if e.achieved is not None:
            rate = e.achieved / HUNDRED if e.unit.strip() in _PERCENT else e.achieved
        elif prefix == "scoring.nodes":
            rate = exec_rate(ctx.report)
        else:
            rate = project_exec_rate(ctx.report.projects[int(prefix.split("[")[1].split("]")[0])])
        if rate is None:
            continue
        points = sum(scores, ZERO) - exec_score
        share = points / (HUNDRED - e.weight)
        if share - min(rate, Decimal(1)) > gap:
            yield ctx.finding(
                "", (f"{prefix}[{i}].achieved", prefix), expected=f"≤ {fmt_percent(rate + gap)}",
                actual=fmt_percent(share),
                args={"table": label, "points": _n(points), "full": _n(HUNDRED - e.weight),
                      "share": fmt_percent(share), "rate": fmt_percent(rate),
                      "gap": fmt_percent(share - min(rate, Decimal(1))), "limit": fmt_percent(gap)})
