"""Scoring table checks (DOMAIN.md §6, §7.5): the department table (scoring.nodes) and each
project's 自评表 (projects[i].indicators)."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .. import fields
from ..derived import exec_rate, node_score, scoring_total, self_score
from ..findings import Severity
from ..messages import text
from ..model import Project, Report, ScoreNode
from ..money import half_unit, round_half_up
from ..scoring_rules import ScoreRuleError, computed_score, qualitative_range, target_missed
from ..tolerance import equals_sum, score_places
from ._common import all_stated, pct
from .context import CheckContext
from .registry import RuleOutput, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)
HUNDRED = Decimal(100)
MIN_SCORE_TOL = Decimal("0.01")
_GRADE_QUOTES = "“”\""     # quotes around a stated grade ('“优”') that are not part of it


Tree = tuple[str, str, list[ScoreNode]]


def trees(report: Report) -> Iterator[Tree]:
    """(label, path prefix, nodes) for the department table and every project table."""
    if report.scoring.nodes:
        yield fields.label("scoring.nodes"), "scoring.nodes", report.scoring.nodes
    for i, p in enumerate(report.projects):
        if p.indicators:
            yield _project_tree(i, p)


def _project_tree(i: int, p: Project) -> Tree:
    return text("_.scoring.project_table", name=p.name), f"projects[{i}].indicators", p.indicators


def trees_of(ctx: CheckContext) -> list[Tree]:
    """``trees(ctx.report)``, built once per run, each project's entry kept until that project changes
    (a dozen rules walk the trees on every keystroke that touches a project)."""
    def build() -> list[Tree]:
        r = ctx.report
        per_project = ctx.kept_items("scoring.trees", "projects", r.projects, None,
                                     lambda i, p: _project_tree(i, p) if p.indicators else None)
        dept: list[Tree] = ([(fields.label("scoring.nodes"), "scoring.nodes", r.scoring.nodes)]
                            if r.scoring.nodes else [])
        return dept + [t for t in per_project if t is not None]
    hit: list[Tree] | None = ctx.memo.get("scoring.trees")
    if hit is None:
        hit = ctx.memo["scoring.trees"] = build()
    return hit


def _score_bound(*values: Decimal | None) -> Decimal:
    places = score_places(*values)
    return max(half_unit(places), MIN_SCORE_TOL)


def _n(value: Decimal) -> str:
    return format(value, "f")


def _r2(value: Decimal) -> str:
    """A computed score shown to the cent, rounded 四舍五入 (7.125 → 7.13)."""
    return format(round_half_up(value, 2), "f")


def _name(node: ScoreNode) -> str:
    return text("_.quoted", name=node.name or node.id or text("_.scoring.unnamed"))


@rule("SCO-01", E, "一级指标分值合计 100，下级分值之和 = 上级分值",
      "Σ level-1 weights = 100; Σ children weights = parent weight", reads=("scoring", "projects"), tolerance="X")
def sco01(ctx: CheckContext) -> RuleOutput:
    for label, prefix, nodes in trees_of(ctx):
        tops = [(i, n) for i, n in enumerate(nodes) if not n.parent_id]
        top_weights = [n.weight for _, n in tops]
        if tops and all_stated(top_weights):
            total = sum(top_weights, ZERO)
            if total != HUNDRED:
                yield ctx.finding(".top", tuple(f"{prefix}[{i}].weight" for i, _ in tops),
                                  args={"table": label, "total": _n(total)},
                                  expected="100", actual=_n(total), difference=_n(total - HUNDRED), tolerance="0")
        for pi, parent in enumerate(nodes):
            kids = [(i, n) for i, n in enumerate(nodes) if parent.id and n.parent_id == parent.id]
            kid_weights = [n.weight for _, n in kids]
            if not kids or parent.weight is None or not all_stated(kid_weights):
                continue
            total = sum(kid_weights, ZERO)
            if total != parent.weight:
                yield ctx.finding(
                    ".children", (f"{prefix}[{pi}].weight", *(f"{prefix}[{i}].weight" for i, _ in kids)),
                    args={"table": label, "node": _name(parent), "weight": _n(parent.weight), "total": _n(total)},
                    expected=_n(total), actual=_n(parent.weight), difference=_n(parent.weight - total), tolerance="0")


@rule("SCO-02", E, "得分在 0 与分值之间", "0 ≤ score_stated ≤ weight (exact to the cent)", reads=("scoring", "projects"),
      tolerance="X")
def sco02(ctx: CheckContext) -> RuleOutput:
    """A stated score is exact to the cent against its exact weight (DOMAIN §12.3): weight + 0.01 fires."""
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            s = n.score_stated
            if s is None:
                continue
            if s < 0:
                yield ctx.finding(".negative", (f"{prefix}[{i}].score_stated",),
                                  args={"table": label, "node": _name(n), "score": _n(s)},
                                  expected="≥ 0", actual=_n(s), difference=_n(s), tolerance="0")
            elif n.weight is not None and s > n.weight:
                yield ctx.finding(".over", (f"{prefix}[{i}].score_stated", f"{prefix}[{i}].weight"),
                                  args={"table": label, "node": _name(n), "score": _n(s), "weight": _n(n.weight)},
                                  expected=f"≤ {_n(n.weight)}", actual=_n(s), difference=_n(s - n.weight),
                                  tolerance="0")


@rule("SCO-03", E, "上级得分 = 下级得分之和", "parent score = Σ children scores", reads=("scoring", "projects"))
def sco03(ctx: CheckContext) -> RuleOutput:
    for label, prefix, nodes in trees_of(ctx):
        for pi, parent in enumerate(nodes):
            if parent.score_stated is None or not parent.id:
                continue
            kids = [(i, n) for i, n in enumerate(nodes) if n.parent_id == parent.id]
            if not kids:
                continue
            scores = [node_score(nodes, n) for _, n in kids]
            if not all_stated(scores):
                continue
            c = equals_sum(parent.score_stated, scores, score_places(parent.score_stated, *scores))
            bound = max(c.bound, MIN_SCORE_TOL)
            if abs(c.difference) > bound:
                yield ctx.finding(
                    "", (f"{prefix}[{pi}].score_stated", *(f"{prefix}[{i}].score_stated" for i, _ in kids)),
                    args={"table": label, "node": _name(parent), "terms": " + ".join(_n(s) for s in scores),
                          "computed": _n(c.computed), "stated": _n(parent.score_stated),
                          "difference": _n(c.difference)},
                    expected=_n(c.computed), actual=_n(parent.score_stated), difference=_n(c.difference),
                    tolerance=_n(bound))


@rule("SCO-04", E, "计分规则算出的得分与所填一致", "score_stated = rule(target, achieved, weight)",
      reads=("scoring", "projects"))
def sco04(ctx: CheckContext) -> RuleOutput:
    formulas = ctx.profile.get("formulas") or {}
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if n.score_stated is None:
                continue
            try:
                result = computed_score(n, formulas)
            except ScoreRuleError as exc:
                yield ctx.finding(".params", (f"{prefix}[{i}].rule_params",),
                                  args={"table": label, "node": _name(n), "error": str(exc)}, severity=W)
                continue
            if result is None:
                continue
            bound = _score_bound(n.score_stated)
            diff = n.score_stated - result.score
            if abs(diff) > bound:
                shown = _r2(result.score)
                yield ctx.finding(
                    "", (f"{prefix}[{i}].score_stated", f"{prefix}[{i}].achieved", f"{prefix}[{i}].target"),
                    args={"table": label, "node": _name(n), "explanation": result.explanation, "computed": shown,
                          "stated": _n(n.score_stated), "difference": _r2(diff)},
                    expected=shown, actual=_n(n.score_stated), difference=_r2(diff), tolerance=_n(bound))


@rule("SCO-05", W, "定性指标得分在所选档次范围内", "qualitative: tier floor × weight ≤ score ≤ tier top × weight (exact)",
      reads=("scoring", "projects"), tolerance="X")
def sco05(ctx: CheckContext) -> RuleOutput:
    """A stated score is exact to the cent against the tier's exact bounds (DOMAIN §12.3): floor − 0.01 fires."""
    tiers = ctx.profile.get("qualitative")
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if n.rule != "qualitative" or n.score_stated is None or n.weight is None or not n.tier:
                continue
            rng = qualitative_range(n.tier, n.weight, tiers)
            if rng is None:
                continue
            lo, hi = rng
            s = n.score_stated
            if lo <= s <= hi:
                continue
            diff = s - lo if s < lo else s - hi
            yield ctx.finding(
                ".low" if s < lo else ".high", (f"{prefix}[{i}].score_stated", f"{prefix}[{i}].tier"),
                args={"table": label, "node": _name(n), "tier": n.tier, "low": _r2(lo), "high": _r2(hi),
                      "score": _n(s), "difference": _r2(abs(diff))},
                expected=f"{_r2(lo)}–{_r2(hi)}", actual=_n(s), difference=_r2(diff), tolerance="0")


@rule("SCO-06", W, "未完成目标应说明偏差原因", "achieved misses target ⇒ deviation_reason",
      reads=("scoring", "projects"), tolerance="—")
def sco06(ctx: CheckContext) -> RuleOutput:
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if n.deviation_reason.strip() or not target_missed(n):
                continue
            if n.achieved is None or n.target is None:    # never: target_missed needs both
                continue
            yield ctx.finding(
                "", (f"{prefix}[{i}].deviation_reason", f"{prefix}[{i}].achieved", f"{prefix}[{i}].target"),
                args={"table": label, "node": _name(n), "achieved": _n(n.achieved), "unit": n.unit,
                      "direction": n.direction, "target": _n(n.target)},
                expected=f"{n.direction}{_n(n.target)}", actual=_n(n.achieved))


@rule("SCO-07", W, "超额完成（目标可能定得过低）",
      "≥: achieved ≥ thresholds.over_achievement × target; ≤ / = when in over_achievement.directions",
      reads=("scoring", "projects"), tolerance="—")
def sco07(ctx: CheckContext) -> RuleOutput:
    factor = ctx.profile.decimal("thresholds.over_achievement")
    penalty = ctx.profile.get("thresholds.over_achievement_penalty")
    directions = ctx.profile.get("over_achievement.directions") or ["≥"]
    for label, prefix, nodes in trees_of(ctx):
        for i, n in enumerate(nodes):
            if n.direction not in directions or n.target is None or n.achieved is None:
                continue
            paths = (f"{prefix}[{i}].target", f"{prefix}[{i}].achieved")
            args = {"table": label, "node": _name(n), "achieved": _n(n.achieved), "target": _n(n.target),
                    "unit": n.unit}
            if n.direction == "≤" and n.achieved > n.target:
                yield ctx.finding(".le", paths, args=args, expected=f"≤ {_n(n.target)}", actual=_n(n.achieved))
                continue
            if n.direction == "=" and n.achieved != n.target:
                yield ctx.finding(".eq", paths, args=args, expected=f"= {_n(n.target)}", actual=_n(n.achieved))
                continue
            if n.direction != "≥" or n.target <= 0:
                continue
            if n.achieved >= factor * n.target:
                yield ctx.finding(
                    ".over", paths, args={**args, "factor": pct(factor), "penalty": str(penalty)},
                    expected=f"< {_n(factor * n.target)}", actual=_n(n.achieved))


@rule("SCO-08", E, "自评等级与得分档次一致", "grade_stated = band(total)", reads=("scoring", "self_eval"),
      tolerance="X")
def sco08(ctx: CheckContext) -> RuleOutput:
    stated = ctx.report.self_eval.grade_stated.strip().strip(_GRADE_QUOTES)
    total = self_score(ctx.report)
    if not stated or total is None:
        return
    expected = ctx.profile.grade_for(total)
    if expected and stated != expected:
        source = "scoring.nodes" if scoring_total(ctx.report) is not None else "self_eval.score_stated"
        yield ctx.finding("", ("self_eval.grade_stated", source),
                          args={"total": _n(total), "expected": expected, "stated": stated},
                          expected=expected, actual=stated)


@rule("SCO-09", E, "第九部分得分、等级与评分表一致", "self_eval.score_stated = scoring total",
      reads=("scoring", "self_eval"))
def sco09(ctx: CheckContext) -> RuleOutput:
    total = scoring_total(ctx.report)
    stated = ctx.report.self_eval.score_stated
    if total is None or stated is None:
        return
    bound = _score_bound(stated, total)
    if abs(stated - total) > bound:
        yield ctx.finding("", ("self_eval.score_stated", "scoring.nodes"),
                          args={"stated": _n(stated), "total": _n(total), "difference": _n(stated - total)},
                          expected=_n(total), actual=_n(stated),
                          difference=_n(stated - total), tolerance=_n(bound))


@rule("SCO-10", W, "预算执行率偏低时总分不超过封顶分", "exec_rate in cap band ⇒ total ≤ cap",
      reads=("scoring", "self_eval", "income", "expenditure"), tolerance="—")
def sco10(ctx: CheckContext) -> RuleOutput:
    rate = exec_rate(ctx.report)
    total = self_score(ctx.report)
    if rate is None or total is None:
        return
    caps = sorted(ctx.profile.get("caps", []) or [], key=lambda c: Decimal(str(c["below"])))
    for cap in caps:
        below, limit = Decimal(str(cap["below"])), Decimal(str(cap["cap"]))
        if rate < below:
            if total > limit:
                yield ctx.finding(
                    "", ("self_eval.score_stated", "scoring.nodes", "expenditure.total"),
                    args={"rate": pct(rate), "below": pct(below), "cap": _n(limit), "total": _n(total),
                          "deduct": _n(total - limit)},
                    expected=f"≤ {_n(limit)}", actual=_n(total))
            return


@rule("SCO-11", I, "项目自评表一级指标分值符合配置（默认 10/50/30/10）", "project level-1 weights = profile.project_weights",
      reads=("projects",), tolerance="—")
def sco11(ctx: CheckContext) -> RuleOutput:
    expected = {k: Decimal(str(v)) for k, v in (ctx.profile.get("project_weights", {}) or {}).items()}
    if not expected:
        return
    for i, p in enumerate(ctx.report.projects):
        tops = [n for n in p.indicators if not n.parent_id]
        if not tops:
            continue
        got = {n.name.strip(): n.weight for n in tops}
        differs = [text("SCO-11.item", name=k, weight=_n(w) if (w := got.get(k)) is not None else text("SCO-11.none"),
                        usual=_n(v))
                   for k, v in expected.items() if got.get(k) != v]
        if differs:
            usual = "/".join(_n(v) for v in expected.values())
            yield ctx.finding("", (f"projects[{i}].indicators",),
                              args={"table": text("_.scoring.project_table", name=p.name), "usual": usual,
                                    "differs": text("SCO-11.sep").join(differs)})


@rule("SCO-12", W, "正文有自评得分但评分表为空", "self_eval.score_stated set ⇒ scoring.nodes non-empty",
      reads=("scoring", "self_eval"), tolerance="—")
def sco12(ctx: CheckContext) -> RuleOutput:
    stated = ctx.report.self_eval.score_stated
    if stated is None or ctx.report.scoring.nodes:
        return
    yield ctx.finding("", ("scoring.nodes", "self_eval.score_stated"), args={"stated": _n(stated)})

