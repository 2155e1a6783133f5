"""Narrative ↔ figure consistency (DOMAIN.md §8, §12.3): NAR-01 … NAR-06.

Claims come from :mod:`perfeval_gui.core.narrative` (cached per paragraph); its :class:`Lexicon` ties
each amount to its owner (the unit, a named project, an economic or functional class, a 三公 part) and
kind (年初安排 / 调整 / 全年预算 / 实际支出 / 结余结转). These rules read the model value of that one field
and compare. A claim whose owner, year or kind is unclear gives no finding.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from operator import attrgetter
from typing import cast

from .. import regex
from ..derived import budget_final, project_budget_final, self_score, staff_actual, three_public_total
from ..findings import Severity
from ..model import PathError, Project, Report, ScoreNode, get_value
from ..money import decimals_of, half_unit
from ..fields import field_label, label
from ..messages import text as fragment
from ..narrative import (PROJECT_KIND_ATTRS, PROJECTS_SAID, UNIT_KIND_FIELDS, Extraction, Lexicon, Ref, Resolved,
                         build_lexicon, extract, normalise_sentence)
from ..scoring_rules import target_missed
from ..tolerance import h
from ._common import exec_problem_re, pct, problem_section, problem_title, project_exec
from .context import CheckContext
from .registry import RuleOutput, rule
from .three_public import zero_statements as tpf05_statements

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)
MIN_SCORE_TOL = Decimal("0.01")


_NAME = attrgetter("name")

# joins listed names and figures in a message ("差旅费 2.00 万元、印刷费 1.00 万元"); it also joins names
# inside quotes, which identify a case for an acknowledgement (core/findings.Finding.key), so it is not
# catalogue wording
_ENUM = "、"
# quotes around a stated grade ("“良”")
_GRADE_QUOTES = "“”\""
# the field whose label names a counted figure of the text (core/narrative.CountClaim.field) in a message
_COUNT_LABELS = {"staff_authorized": "profile.staff_authorized", "staff_actual": "profile.staff_actual",
                 "org_units": "profile.declared_org_unit_count"}


def lexicon(ctx: CheckContext) -> Lexicon:
    """The label lexicon of this report: rebuilt only when a project or class name changed (kept in the
    Checker's cache, never shared between reports)."""
    def build() -> Lexicon:
        r = ctx.report
        key = (tuple(map(_NAME, r.projects)), tuple(map(_NAME, r.expenditure.by_econ)),
               tuple(map(_NAME, r.expenditure.by_function)))
        held: tuple[tuple[tuple[str, ...], ...], Lexicon] | None = ctx.cache.get("nar.lexicon")
        if held is None or held[0] != key:
            held = ctx.cache["nar.lexicon"] = (key, build_lexicon(*key))
        return held[1]
    # the names are compared only after a change of the lists they come from (ctx.kept)
    return ctx.kept("nar.lexicon", ("projects", "expenditure.by_econ", "expenditure.by_function"), build)


def _field_value(report: Report, path: str) -> tuple[Decimal | None, str]:
    """(model value, field path to fix) of a unit-level figure."""
    if path == "income.budget_total":
        return budget_final(report), path
    if path == "three_public.total":
        tp = report.three_public
        return (tp.total_stated if tp.total_stated is not None else three_public_total(report)), \
            "three_public.total_stated"
    try:
        value: Decimal | None = get_value(report, path)
        return value, path
    except PathError:
        return None, path


def _project_initial(p: Project) -> Decimal | None:
    if p.budget_initial is not None:
        return p.budget_initial
    if p.budget_final is not None and not p.budget_adjustment:
        return p.budget_final             # no adjustment: the initial budget is the final one
    return None


def _project_adjustment(p: Project) -> Decimal | None:
    if p.budget_adjustment is not None:
        return p.budget_adjustment
    if p.budget_final is not None and p.budget_initial is not None:
        return p.budget_final - p.budget_initial
    return None


_PROJECT_KIND_VALUES = {
    "initial": (("initial", "budget_initial"),), "adjustment": (("adjustment", "budget_adjustment"),),
    "final": (("final", "budget_final"),), "budget": (("initial", "budget_initial"), ("final", "budget_final")),
    "actual": (("actual", "actual"),), "carryover": (("carryover", "carryover"),),
    "carryover_prior": (("carryover_prior", "carryover_prior"),),
    None: (("initial", "budget_initial"), ("final", "budget_final"), ("actual", "actual")),
}


_PROJECT_KIND_GETTERS: dict[str, Callable[[Project], Decimal | None]] = {
    "initial": _project_initial, "adjustment": _project_adjustment, "final": project_budget_final}


def values_of(report: Report, ref: Ref) -> list[tuple[Decimal, str]]:
    """[(model value, field path)] a resolved claim may state (fields.field_label names the path)."""
    # Ref.key by owner: 'field' a path, 'project' an index, 'econ'/'function' line indices, 'tp' a part key
    if ref.owner == "field":
        value, path = _field_value(report, cast(str, ref.key))
        return [] if value is None else [(value, path)]
    if ref.owner == "project":
        i = cast(int, ref.key)
        p = report.projects[i]
        out: list[tuple[Decimal, str]] = []
        for kind, attr in _PROJECT_KIND_VALUES.get(ref.kind, ()):
            getter = _PROJECT_KIND_GETTERS.get(kind)
            value = getter(p) if getter is not None else cast("Decimal | None", getattr(p, attr))
            if value is not None and all(v != value for v, _ in out):
                out.append((value, f"projects[{i}].{attr}"))
        return out
    if ref.owner in ("econ", "function"):
        lines = report.expenditure.by_econ if ref.owner == "econ" else report.expenditure.by_function
        attr = "by_econ" if ref.owner == "econ" else "by_function"
        return [(amount, f"expenditure.{attr}[{i}].amount") for i in cast("tuple[int, ...]", ref.key)
                if (amount := lines[i].amount) is not None]
    if ref.owner == "tp":
        side = "budget" if ref.kind == "budget" else "actual"
        key = cast(str, ref.key)
        value = cast("Decimal | None", getattr(getattr(report.three_public, key), side))
        return [] if value is None else [(value, f"three_public.{ref.key}.{side}")]
    return []


def _bound(text_decimals: int, model: Decimal, p: int) -> Decimal:
    return half_unit(text_decimals) + h(model, p)


def _close(text_value: Decimal, text_decimals: int, model: Decimal, p: int) -> bool:
    return abs(text_value - model) <= _bound(text_decimals, model, p)


def _texts(report: Report) -> Iterator[tuple[str, Extraction]]:
    for slot, text in report.narrative.items():
        if text and text.strip():
            yield slot, extract(text)


# (slot, resolved claim, [(model value, field path)]) of one amount claim tied to model fields
ResolvedClaim = tuple[str, Resolved, list[tuple[Decimal, str]]]


def _resolved(ctx: CheckContext) -> list[ResolvedClaim]:
    """(slot, Resolved, [(value, path)]) for every amount claim of this year tied to model fields
    (once per run: NAR-01 and NAR-04 share it)."""
    got: list[ResolvedClaim] | None = ctx.memo.get("nar.resolved")
    if got is None:
        got = ctx.memo["nar.resolved"] = list(_resolve_all(ctx))
    return got


def _resolve_all(ctx: CheckContext) -> Iterator[ResolvedClaim]:
    report, lex = ctx.report, lexicon(ctx)
    year = report.meta.fiscal_year
    for slot, ex in _texts(report):
        for res in lex.resolve(ex.amounts):
            if res.claim.other_year(year):
                continue
            cands = [c for ref in res.refs for c in values_of(report, ref)]
            if cands:
                yield slot, res, cands


def _amount_findings(ctx: CheckContext, zero: bool) -> RuleOutput:
    for slot, res, cands in _resolved(ctx):
        claim = res.claim
        if (claim.value == 0) != zero:
            continue
        stated = claim.value * res.sign
        if any(_close(stated, claim.decimals, v, ctx.p) for v, _ in cands):
            continue
        value, path = cands[0]
        what = field_label(path, ctx.report)
        tol = _bound(claim.decimals, value, ctx.p)
        paths = (f"narrative[{slot}]", *dict.fromkeys(pth for _, pth in cands))
        said = claim.label + claim.number_text
        if zero:    # NAR-04.amount
            args = {"claim": said, "field": what, "amount": ctx.fmt(value)}
        else:       # NAR-01.amount
            shown = _ENUM.join(fragment("NAR-01.value", field=field_label(pth, ctx.report), amount=ctx.fmt(v))
                               for v, pth in cands)
            args = {"claim": said, "shown": shown, "difference": ctx.fmt(stated - value), "bound": str(tol)}
        yield ctx.finding(".amount", paths, args=args, quote=claim.sentence, expected=ctx.fmt(value),
                          actual=ctx.fmt(stated), difference=ctx.fmt(stated - value), tolerance=str(tol))


@rule("NAR-01", E, "文字中的金额、人数、得分与填报数字一致",
      "a figure in text = the one field it states (owner, year, kind; text precision)",
      reads=("narrative", "income", "expenditure", "projects", "three_public", "profile", "scoring", "self_eval",
             "meta"))
def nar01(ctx: CheckContext) -> RuleOutput:
    """Reads every amount the text states with a label the report knows: unit figures (预算收入, 年初预算,
    调整追加, 支出, 基本支出, 人员经费, 日常公用经费, 项目支出, 结余结转, 上年结转, 财政资金, “三公”经费), the
    三公 parts, every project (full name or short form; 年初预算 / 调整追加 / 全年预算 / 实际支出 / 结余结转),
    every economic and functional class; also 编制人数 / 实有人数 / 内设科室 counts, the 自评得分 and 等级.
    A clause that only names a kind ("实际支出8万元", "年中追加5万元") belongs to the project or class the
    sentence is about, else to the unit. Tolerance: half a unit of the text's last digit + the field's
    rounding half-width.

    Ignores: figures of another year ("2021年人员经费…" in a 2023 report, "上年公务接待费…", "比上年的…");
    changes ("比上年减少0.5万元"); approximate numbers ("约30万元", "80余万元"); 亿元; labels it does not
    know ("营商环境支出99万元", "该项目共计投入73.3万元"); a clause after an unknown name in the same sentence.

    Example flagged: "其中基本支出80.00万元" while 基本支出 is 75.00. Example silent: "营商环境评价项目年初预算20万元，
    年中追加5万元" for a project with 年初预算 20, 调整追加 5 and 全年预算 25."""
    yield from _amount_findings(ctx, zero=False)
    report = ctx.report
    prof = report.profile
    for slot, ex in _texts(report):
        path = f"narrative[{slot}]"
        by_field: dict[str, set[int]] = {}
        for c in ex.counts:
            if not c.approx:
                by_field.setdefault(c.field, set()).add(c.value)
        for c in ex.counts:
            if c.approx or len(by_field.get(c.field, ())) != 1:
                continue   # several different figures for the same label (行政编制 5 名、事业编制 3 名): unsure
            if c.field == "staff_authorized":
                model, mpath = prof.staff_authorized, "profile.staff_authorized"
            elif c.field == "staff_actual":
                model, mpath = staff_actual(report), "profile.staff_actual"
            else:
                model = prof.declared_org_unit_count if prof.declared_org_unit_count is not None else (
                    len(prof.org_units) if prof.org_units else None)
                mpath = "profile.org_units"
            if model is None or model == c.value:
                continue
            what = label(_COUNT_LABELS.get(c.field, mpath))
            yield ctx.finding(".count", (path, mpath), args={"field": what, "stated": c.value, "model": model},
                              quote=c.sentence, expected=str(model), actual=str(c.value),
                              difference=str(c.value - model), tolerance="0")
        total = self_score(report)
        for sc in ex.scores:
            if total is None:
                continue
            bound = max(half_unit(decimals_of(sc.score)), MIN_SCORE_TOL)
            if abs(sc.score - total) > bound:
                diff = sc.score - total
                yield ctx.finding(".score", (path, "self_eval.score_stated"),
                                  args={"stated": sc.score, "score": format(total, "f"), "difference": format(diff, "f")},
                                  quote=sc.sentence, expected=format(total, "f"),
                                  actual=str(sc.score), difference=format(diff, "f"), tolerance=str(bound))
        grade = report.self_eval.grade_stated.strip().strip(_GRADE_QUOTES) or ctx.profile.grade_for(total)
        for gc in ex.grades:
            if grade and gc.grade != grade:
                yield ctx.finding(".grade", (path, "self_eval.grade_stated"),
                                  args={"stated": gc.grade, "grade": grade},
                                  quote=gc.sentence, expected=grade, actual=gc.grade)


@rule("NAR-02", E, "文字中的项目句：结余结转 = 预算 − 实际支出", "text '{a}万元，实际支出{b}万元，结余结转{c}万元' ⇒ c = a − b",
      reads=("narrative", "projects"))
def nar02(ctx: CheckContext) -> RuleOutput:
    """Reads sentences of the form "{项目名}{a}万元，实际支出{b}万元，结余结转{c}万元" and checks c = a (+ 上年结转)
    − b, naming the project as the project table does (a short form or "…项目全年" in the text is matched
    to the model's name). Ignores: a project whose table already holds 实际支出 and 结余结转 (PRJ-03 checks
    the table, NAR-01 compares the text with it); approximate numbers.
    Example flagged: "新建项目10万元，实际支出8万元，结余结转3万元". Example silent: "…结余结转2万元"."""
    lex = lexicon(ctx)
    for slot, ex in _texts(ctx.report):
        for s in ex.projects:
            i = lex.project(s.name)
            prior = ZERO
            name = s.name
            if i is not None:
                p = ctx.report.projects[i]
                if p.actual is not None and p.carryover is not None:
                    continue   # the table is filled: PRJ-03 checks it, NAR-01 compares the text with it
                prior = p.carryover_prior or ZERO
                name = p.name
            expected = s.budget + prior - s.actual
            dec = [decimals_of(v) for v in (s.budget, s.actual, s.carryover)]
            bound = sum((half_unit(max(ctx.p, d)) for d in dec), ZERO)
            if abs(s.carryover - expected) <= bound:
                continue
            yield ctx.finding(
                "", (f"narrative[{slot}]", *((f"projects[{i}].carryover",) if i is not None else ())),
                args={"project": name, "budget": ctx.fmt(s.budget),
                      "prior": fragment("NAR-02.prior", prior=ctx.fmt(prior)) if prior else "",
                      "actual": ctx.fmt(s.actual), "expected": ctx.fmt(expected), "stated": ctx.fmt(s.carryover),
                      "difference": ctx.fmt(s.carryover - expected), "bound": str(bound)},
                quote=s.sentence, expected=ctx.fmt(expected), actual=ctx.fmt(s.carryover),
                difference=ctx.fmt(s.carryover - expected), tolerance=str(bound))


# a stated count whose noun is its measure word ("内设科室3个"、"两名") reads "3 个"; any other noun is
# counted with 个 ("3 个方面")
_MEASURE_WORDS = frozenset(("个", "名", "项", "家", "所", "类", "条", "件", "大", "点"))


@rule("NAR-03", W, "文字中的个数与列举的项数一致", "'N个/项/名…：' + list ⇒ N = number of items", reads=("narrative",),
      tolerance="X")
def nar03(ctx: CheckContext) -> RuleOutput:
    """Reads a stated count ("3个", "四项", "两名", "N个方面") introducing a list with "：", "分别为", "包括",
    or a sentence end, and counts what follows: numbered items "（1）…（2）…", "1．…2．…", "①②", "一是…二是…"
    (inline, across sentences, or one per following paragraph, until the numbering restarts or breaks), else
    a 、，；-separated list up to the sentence end ("内设科室3个，分别为：A、B、C"), and "四个…奖项" followed by
    award sentences. Ignores: counts with 余/多, lists with "等", items over 20 characters, a count not
    followed by a list. Example flagged: "主要开展了3项工作：（1）…；（2）…；（3）…；（4）…". Example silent:
    "主要有四项做法：一是…，…；二是…；三是…；四是…"."""
    for slot, ex in _texts(ctx.report):
        for c in ex.lists:
            if c.stated != c.counted:
                noun = c.noun if c.noun in _MEASURE_WORDS else fragment("NAR-03.noun", noun=c.noun)
                yield ctx.finding("", (f"narrative[{slot}]",),
                                  args={"stated": c.stated, "noun": noun, "counted": c.counted,
                                        "listed": fragment("NAR-03.listed", items=_ENUM.join(c.items)) if c.items else ""},
                                  quote=c.sentence, expected=str(c.counted),
                                  actual=str(c.stated), difference=str(c.stated - c.counted), tolerance="0")


# kinds that name a unit figure by themselves in a zero statement ("无结余结转", "无调整追加")
_ZERO_KINDS = ("carryover", "carryover_prior", "adjustment")


def _zero_refs(lex: Lexicon, item: str, project: int | None) -> tuple[str, tuple[Ref, ...]]:
    """(the name as the lexicon knows it, the fields) of one item of a zero statement."""
    parsed = lex.parse_label(item)
    if parsed[0] == "named":
        _, name, targets, kind, _ = parsed
        if any(o == "project" for o, _ in targets):
            return name, tuple(Ref("project", k, kind) for o, k in targets if o == "project" and kind is not None)
        return name, lex.named_refs(name, targets, kind, None if project is None else ("project", project))
    if parsed[0] == "kind" and parsed[2] in _ZERO_KINDS:
        name = field_label(f"projects[].{PROJECT_KIND_ATTRS[parsed[2]]}")
        if project is not None:
            return name, (Ref("project", project, parsed[2]),)
        return name, tuple(Ref("field", path, parsed[2]) for path in UNIT_KIND_FIELDS[parsed[2]])
    return item, ()


@rule("NAR-04", E, "文字称“无…/未列支…/…为零/0 万元”但填报数字不为 0", "zero statement in text ⇒ that field = 0",
      reads=("narrative", "income", "expenditure", "projects", "three_public", "meta"))
def nar04(ctx: CheckContext) -> RuleOutput:
    """Reads "无/没有/未发生/未列支/未安排…X(和Y、Z)", "X为零/为0/零支出" and "X0万元" about any field the
    lexicon knows: unit figures (结余结转, 上年结转, 调整追加, 项目支出 …), every economic and functional class
    (差旅费, 印刷费 …), the 三公 parts and “三公”经费, a named project's 结余结转. Fires when that field (Σ of
    the class's lines) is not 0 within its rounding half-width. Ignores: other years; items it does not know
    ("无其他需要说明的情况", "无截留、挪用等现象"); "无因公出国（境）费/公务用车购置…" statements, which TPF-05
    checks. Example flagged: "本年度未列支差旅费和印刷费" with 差旅费 2.00. Example silent: "本年度无结余结转" with
    结余结转 0."""
    seen: set[tuple[str | None, tuple[str, ...]]] = set()
    for f in _nar04(ctx):
        key = None if f is None else (f.quote, f.paths)
        if key is not None and key not in seen:
            seen.add(key)
            yield f


def _nar04(ctx: CheckContext) -> RuleOutput:
    yield from _amount_findings(ctx, zero=True)
    report, lex = ctx.report, lexicon(ctx)
    year = report.meta.fiscal_year
    for slot, ex in _texts(report):
        for z in ex.zeros:
            if z.year is not None and z.year != "this" and z.year != year:
                continue
            covered = {key for key, _ in tpf05_statements(z.sentence)}
            project = lex.mentioned_project(z.sentence[:z.start])
            unsure = project is None and PROJECTS_SAID.search(z.sentence, 0, z.start + len(z.text) + 4)
            whole = _zero_refs(lex, z.text, project) if len(z.items) > 1 else None
            for item in ((z.text,) if whole and whole[1] else z.items):
                name, refs = _zero_refs(lex, item, project)
                if unsure and lex.parse_label(item)[0] == "kind":
                    continue              # '年初预算项目无结余': some projects', not the unit's
                kept = [r for r in refs if not (r.owner == "tp" and r.key in covered)]
                cands = [c for r in kept for c in values_of(report, r)]
                if not cands:
                    continue
                total = sum((v for v, _ in cands), ZERO)
                if abs(total) <= sum((h(v, ctx.p) for v, _ in cands), ZERO):
                    continue
                what = field_label(cands[0][1], report)
                what = what if len(cands) == 1 else fragment("NAR-04.lines", field=what, count=len(cands))
                yield ctx.finding("", (f"narrative[{slot}]", *dict.fromkeys(pth for _, pth in cands)),
                                  args={"name": name, "field": what, "total": ctx.fmt(total)}, quote=z.sentence,
                                  expected="0", actual=ctx.fmt(total), difference=ctx.fmt(total),
                                  tolerance=str(sum((h(v, ctx.p) for v, _ in cands), ZERO)))


_ALL_DONE = regex.compile(
    r"完成了?(?:全部|所有|各项)[^。；，,]{0,6}?(?:指标|目标|任务)|(?:100|百分之百)\s*[%％]?完成[^。；，,]{0,8}?(?:指标|目标|任务)"
    r"|(?:各项|所有|全部|各类)[^。；，,]{0,8}?(?:指标|目标|任务)[^。；，,]{0,6}?(?:均|都|全部|全面)?(?:已|已经)?(?:完成|达成|实现|达到|达标)"
    r"|(?:全面|圆满|全部)完成[^。；，,]{0,10}?(?:目标|指标|任务)|(?:指标|目标)[^。；，,]{0,4}?(?:均|全部|全面)(?:已|已经)?"
    r"(?:完成|达成|达到|实现)")
_DONE_WORDS = regex.compile(r"全部完成|均已完成|全面完成|圆满完成|均已达到|全部达到")
_NOT_DONE = regex.compile(r"未|尚未|没有|基本完成|大部分|部分")
# the expected value of an 'all achieved' finding as version 1.1 saved it: part of the acknowledgement key
# (core/findings.Finding.key), so frozen here, not catalogue wording
_MISSED_EXPECTED = "{count} 项指标未达到目标值"


@rule("NAR-05", W, "文字对执行/完成情况的定性与数字矛盾",
      "六 says a project's 执行 is weak while its exec_rate ≥ 100 %; '各项指标均已完成' while achieved < target",
      reads=("narrative", "projects", "income", "expenditure", "scoring", "meta"), tolerance="—")
def nar05(ctx: CheckContext) -> RuleOutput:
    """Reads (1) sentences of the problems section (六 / short5 四) saying a named project's 预算执行 is weak
    (profile keywords.exec_problem) and compares with the project's execution rate (≥ 100 % contradicts);
    (2) any sentence claiming everything was achieved ("各项指标均已完成", "全面完成年度目标", "全部完成",
    "圆满完成") while indicators miss their targets: the indicators named in the sentence, else those of the
    project the sentence names, else the department scoring table. Ignores: "基本完成", "部分完成", negations
    ("未全部完成"), indicators without target or achieved value, qualitative indicators."""
    report = ctx.report
    sid = problem_section(report)
    rx = exec_problem_re(ctx)
    variants = None
    for slot, ex in _texts(report):
        if not (slot == sid or slot.startswith(sid + ".")):
            continue
        for sentence in ex.sentences:
            if not rx.search(sentence):
                continue
            if variants is None:
                variants = lexicon(ctx).variant_list
            done: set[int] = set()
            for v, i in variants:
                if i in done or v not in sentence:
                    continue
                done.add(i)
                p = report.projects[i]
                rate, inferred = project_exec(report, p, ctx.p)
                if rate is None or rate < 1:
                    continue
                yield ctx.finding(
                    ".exec", (f"narrative[{slot}]", f"projects[{i}].actual"), quote=sentence, actual=pct(rate),
                    args={"part": problem_title(report), "project": p.name, "rate": pct(rate),
                          "inferred": fragment("NAR-05.inferred") if inferred else ""})
    # 'all achieved' claims about indicators whose target was missed
    def missed_nodes() -> tuple[list[tuple[str, ScoreNode]], list[list[tuple[str, ScoreNode]]]]:
        dept = [(f"scoring.nodes[{i}]", n) for i, n in enumerate(report.scoring.nodes) if target_missed(n)]
        return dept, [[(f"projects[{pi}].indicators[{i}]", n) for i, n in enumerate(p.indicators)
                       if target_missed(n)] if p.indicators else [] for pi, p in enumerate(report.projects)]
    dept, per_project = ctx.kept("nar.missed", ("scoring", "projects"), missed_nodes)
    nodes = dept + [x for xs in per_project for x in xs]
    if not nodes:
        return
    missed = {path for path, _ in nodes}
    lex = lexicon(ctx)
    for slot, ex in _texts(report):
        for sentence in ex.sentences:
            m = _ALL_DONE.search(sentence) or _DONE_WORDS.search(sentence)
            if not m or _NOT_DONE.search(sentence[max(0, m.start() - 4):m.end()]):
                continue
            named = [(path, n) for path, n in nodes if path in missed and len(n.name.strip()) >= 3
                     and n.name.strip() in sentence]
            if not named and _ALL_DONE.search(sentence):   # a claim about every indicator / target
                pi = lex.mentioned_project(sentence)
                scope = per_project[pi] if pi is not None else dept
                named = [(path, n) for path, n in scope if path in missed]
            if not named:
                continue
            shown = fragment("NAR-05.sep").join(
                fragment("NAR-05.missed", indicator=n.name, achieved=format(n.achieved, "f"), unit=n.unit,
                         direction=n.direction if n.direction in ("≤", "=") else "", target=format(n.target, "f"))
                for _, n in named[:5])
            more = fragment("NAR-05.more", count=len(named)) if len(named) > 5 else ""
            yield ctx.finding(".done", (f"narrative[{slot}]", *(f"{path}.achieved" for path, _ in named)),
                              args={"claim": m.group(0), "missed": shown, "more": more}, quote=sentence,
                              expected=_MISSED_EXPECTED.format(count=len(named)), actual=m.group(0))


_FULL_SENTENCE_END = regex.compile(r"(?<=[。！？!?])|\n")


def _full_sentences(text: str) -> list[str]:
    """Sentences ending with 。！？ or a line break (a '；' does not end a sentence here)."""
    return [s.strip() for s in _FULL_SENTENCE_END.split(text) if s and s.strip()]


@rule("NAR-06", I, "同一句话在两个部分重复出现", "same sentence (≥ 20 characters) in two narrative slots",
      reads=("narrative",), tolerance="—")
def nar06(ctx: CheckContext) -> RuleOutput:
    """Reads every sentence ending with 。！？ or a line break, at least 20 characters after spaces and a short
    "项目有效性分析：" lead-in are removed. Ignores shorter sentences and repeats inside one slot."""
    seen: dict[str, tuple[str, str]] = {}
    reported: set[str] = set()
    for slot in sorted(ctx.report.narrative):
        text = ctx.report.narrative[slot]
        if not text:
            continue
        for sentence in _full_sentences(text):
            key = normalise_sentence(sentence)
            if len(key) < 20:
                continue
            first = seen.get(key)
            if first is None:
                seen[key] = (slot, sentence)
            elif first[0] != slot and key not in reported:
                reported.add(key)
                yield ctx.finding("", (f"narrative[{slot}]", f"narrative[{first[0]}]"), quote=sentence,
                                  args={"first": first[0], "second": slot})
