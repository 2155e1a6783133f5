"""Narrative ↔ figure consistency (DOMAIN.md §8): NAR-01 … NAR-06.

Claims come from :mod:`perfeval_gui.core.narrative` (cached per text); these rules tie each claim
to a model field and compare. A claim that cannot be tied to exactly one field gives no finding.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ..derived import (budget_final, project_budget_final, self_score, staff_actual,
                       three_public_total)
from ..findings import Severity
from ..model import PathError, get_value
from ..money import half_unit
from ..narrative import STATIC_LABELS, extract, match_suffix, normalise_sentence
from ..scoring_rules import target_missed
from ..tolerance import h
from ._common import exec_problem_re, name_variants, pct, problem_section, project_exec
from .registry import rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)

FIELD_NAMES = {
    "income.budget_total": "预算收入", "income.budget_initial": "年初预算", "income.budget_adjustment": "调整追加",
    "income.other_sources": "其他资金", "income.carryover_prior": "上年结转", "income.fiscal_funds": "财政资金",
    "expenditure.total": "支出合计", "expenditure.basic": "基本支出", "expenditure.personnel": "人员经费",
    "expenditure.public_ops": "日常公用经费", "expenditure.project_total": "项目支出",
    "expenditure.carryover_end": "结余结转", "three_public.total": "“三公”经费合计",
    "three_public.reception.actual": "公务接待费", "three_public.abroad.actual": "因公出国（境）费",
    "three_public.vehicle_purchase.actual": "公务用车购置费",
    "three_public.vehicle_operation.actual": "公务用车运行维护费",
}
MAX_STATIC = max(len(k) for k in STATIC_LABELS)


def _static_value(report, key: str) -> tuple[Decimal | None, str]:
    """(model value, field path) of a static label target."""
    if key == "income.budget_total":
        return budget_final(report), "income.budget_total"
    if key == "three_public.total":
        tp = report.three_public
        return (tp.total_stated if tp.total_stated is not None else three_public_total(report)), \
            "three_public.total_stated"
    try:
        return get_value(report, key), key
    except PathError:
        return None, key


class Lexicon:
    """label text → targets: ('field', key) | ('project', index) | ('econ', (indices…)).

    A label with several referents (a static label that is also an economic-class name, two
    projects sharing a short name) keeps them all; the claim is flagged only when it matches none.
    """

    def __init__(self, project_names: tuple[str, ...], econ_names: tuple[str, ...]) -> None:
        self.keys: dict[str, tuple] = {k: (("field", v),) for k, v in STATIC_LABELS.items()}
        self.max_len = MAX_STATIC
        self.projects: dict[str, int] = {}
        self._resolved: dict[tuple, tuple | None] = {}
        for i, pname in enumerate(project_names):
            for variant in name_variants(pname):
                self._add(variant, ("project", i))
                self.projects[variant] = i if variant not in self.projects else -1
        econ: dict[str, list[int]] = {}
        for i, name in enumerate(econ_names):
            name = name.strip()
            if len(name) >= 2:
                econ.setdefault(name, []).append(i)
        for name, idx in econ.items():
            self._add(name, ("econ", tuple(idx)))

    def _add(self, key: str, target: tuple) -> None:
        old = self.keys.get(key, ())
        if target not in old:
            self.keys[key] = old + (target,)
        self.max_len = max(self.max_len, len(key))

    def resolve(self, claim) -> tuple | None:
        """The claim's possible referents, or None when the label is not known (cached per label)."""
        if claim.generic_total:
            return (("field", "expenditure.total"),)
        key = (claim.label, claim.bare)
        if key in self._resolved:
            return self._resolved[key]
        result = None
        for label in dict.fromkeys(key):
            if not label:
                continue
            hit = match_suffix(label, self.keys, self.max_len)
            if hit is not None:
                result = hit[1]
                break
        self._resolved[key] = result
        return result

    def project(self, name: str) -> int | None:
        i = self.projects.get(name)
        return i if i is not None and i >= 0 else None


@lru_cache(maxsize=8)
def _lexicon(project_names: tuple[str, ...], econ_names: tuple[str, ...]) -> Lexicon:
    return Lexicon(project_names, econ_names)


def lexicon(ctx) -> Lexicon:
    """The label lexicon of this report (cached on the project and economic-class names)."""
    lex = ctx.memo.get("lexicon")
    if lex is None:
        r = ctx.report
        lex = ctx.memo["lexicon"] = _lexicon(tuple(p.name for p in r.projects),
                                             tuple(ln.name for ln in r.expenditure.by_econ))
    return lex


def _candidates(report, targets: tuple, hint: str) -> list[tuple[Decimal, str, str]]:
    """[(model value, path, what)] the claim may refer to."""
    out = []
    for kind, ref in targets:
        if kind == "field":
            value, path = _static_value(report, ref)
            if value is not None:
                out.append((value, path, FIELD_NAMES.get(ref, ref)))
        elif kind == "project":
            p = report.projects[ref]
            budget = project_budget_final(p)
            if hint in ("", "budget") and budget is not None:
                out.append((budget, f"projects[{ref}].budget_final", f"项目“{p.name}”预算"))
            if hint in ("", "actual") and p.actual is not None:
                out.append((p.actual, f"projects[{ref}].actual", f"项目“{p.name}”实际支出"))
        elif kind == "econ":
            out += [(report.expenditure.by_econ[i].amount, f"expenditure.by_econ[{i}].amount",
                     f"经济分类“{report.expenditure.by_econ[i].name}”") for i in ref
                    if report.expenditure.by_econ[i].amount is not None]
    return out


def _close(text_value: Decimal, text_decimals: int, model: Decimal, p: int) -> bool:
    return abs(text_value - model) <= half_unit(text_decimals) + h(model, p)


def _texts(report):
    for slot, text in report.narrative.items():
        if text and text.strip():
            yield slot, extract(text)


def _amount_findings(ctx, zero: bool):
    report = ctx.report
    lex = lexicon(ctx)
    for slot, ex in _texts(report):
        for claim in ex.amounts:
            if claim.approx or (claim.value == 0) != zero:
                continue
            target = lex.resolve(claim)
            if target is None:
                continue
            cands = _candidates(report, target, claim.hint)
            if not cands or any(_close(claim.value, claim.decimals, v, ctx.p) for v, _, _ in cands):
                continue
            value, path, what = cands[0]
            if zero:
                msg = f"文字写{claim.label or '支出'}为 0（“{claim.number_text}”），但{what}为 {ctx.fmt(value)} 万元。"
            else:
                shown = "、".join(f"{w} {ctx.fmt(v)} 万元" for v, _, w in cands)
                msg = (f"文字写“{claim.label or '支出'}{claim.number_text}”，但{shown}"
                       f"（相差 {ctx.fmt(claim.value - value)}）。")
            yield ctx.finding(msg, (f"narrative[{slot}]", *(pth for _, pth, _ in cands)), quote=claim.sentence,
                              expected=ctx.fmt(value), actual=ctx.fmt(claim.value),
                              difference=ctx.fmt(claim.value - value),
                              tolerance=str(half_unit(claim.decimals) + h(value, ctx.p)))


@rule("NAR-01", E, "文字中的金额、人数、得分与填报数字一致", "labelled figure in text = model field (text precision)",
      reads=("narrative", "income", "expenditure", "projects", "three_public", "profile", "scoring", "self_eval"))
def nar01(ctx):
    yield from _amount_findings(ctx, zero=False)
    report = ctx.report
    lex = lexicon(ctx)
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
                model, mpath, what = prof.staff_authorized, "profile.staff_authorized", "编制人数"
            elif c.field == "staff_actual":
                model, mpath, what = staff_actual(report), "profile.staff_actual", "实有人数"
            else:
                model = prof.declared_org_unit_count if prof.declared_org_unit_count is not None else (
                    len(prof.org_units) if prof.org_units else None)
                mpath, what = "profile.org_units", "内设科室个数"
            if model is None or model == c.value:
                continue
            yield ctx.finding(f"文字写{what} {c.value}，但填报为 {model}。", (path, mpath), quote=c.sentence,
                              expected=str(model), actual=str(c.value), difference=str(c.value - model), tolerance="0")
        total = self_score(report)
        for c in ex.scores:
            if total is None:
                continue
            bound = max(half_unit(max(0, -c.score.as_tuple().exponent)), Decimal("0.01"))
            if abs(c.score - total) > bound:
                yield ctx.finding(f"文字写自评得分 {c.score} 分，但评分为 {format(total, 'f')} 分。",
                                  (path, "self_eval.score_stated"), quote=c.sentence, expected=format(total, "f"),
                                  actual=str(c.score))
        grade = report.self_eval.grade_stated.strip().strip("“”\"") or ctx.profile.grade_for(total)
        for c in ex.grades:
            if grade and c.grade != grade:
                yield ctx.finding(f"文字写等级“{c.grade}”，但自评等级为“{grade}”。", (path, "self_eval.grade_stated"),
                                  quote=c.sentence, expected=grade, actual=c.grade)
        for s in ex.projects:   # a project sentence vs a filled project table
            i = lex.project(s.name)
            if i is None:
                continue
            p = report.projects[i]
            for label, text_v, model_v, attr in (("预算", s.budget, project_budget_final(p), "budget_final"),
                                                 ("实际支出", s.actual, p.actual, "actual"),
                                                 ("结余结转", s.carryover, p.carryover, "carryover")):
                if model_v is None or _close(text_v, max(0, -text_v.as_tuple().exponent), model_v, ctx.p):
                    continue
                yield ctx.finding(f"文字写项目“{p.name}”{label} {format(text_v, 'f')} 万元，但项目表为 {ctx.fmt(model_v)} 万元。",
                                  (path, f"projects[{i}].{attr}"), quote=s.sentence, expected=ctx.fmt(model_v),
                                  actual=format(text_v, "f"))


@rule("NAR-02", E, "文字中的项目句：结余结转 = 预算 − 实际支出", "text '{a}万元，实际支出{b}万元，结余结转{c}万元' ⇒ c = a − b",
      reads=("narrative", "projects"))
def nar02(ctx):
    lex = lexicon(ctx)
    for slot, ex in _texts(ctx.report):
        for s in ex.projects:
            i = lex.project(s.name)
            prior = ZERO
            if i is not None:
                p = ctx.report.projects[i]
                if p.actual is not None and p.carryover is not None:
                    continue   # the table is filled: PRJ-03 checks it, NAR-01 compares the text with it
                prior = p.carryover_prior or ZERO
            expected = s.budget + prior - s.actual
            dec = [max(0, -v.as_tuple().exponent) for v in (s.budget, s.actual, s.carryover)]
            bound = sum((half_unit(max(ctx.p, d)) for d in dec), ZERO)
            if abs(s.carryover - expected) <= bound:
                continue
            extra = f" + 上年结转 {ctx.fmt(prior)}" if prior else ""
            yield ctx.finding(
                f"项目“{s.name}”：结余结转应为 预算 {ctx.fmt(s.budget)}{extra} − 实际支出 {ctx.fmt(s.actual)} = "
                f"{ctx.fmt(expected)} 万元，文字写 {ctx.fmt(s.carryover)} 万元（相差 {ctx.fmt(s.carryover - expected)}）。",
                (f"narrative[{slot}]", *((f"projects[{i}].carryover",) if i is not None else ())),
                quote=s.sentence, expected=ctx.fmt(expected), actual=ctx.fmt(s.carryover),
                difference=ctx.fmt(s.carryover - expected), tolerance=str(bound))


@rule("NAR-03", W, "文字中的个数与列举的项数一致", "'N个…：A、B、C' ⇒ N = number of items", reads=("narrative",),
      tolerance="X")
def nar03(ctx):
    for slot, ex in _texts(ctx.report):
        for c in ex.lists:
            if c.stated != c.counted:
                listed = f"（{'、'.join(c.items)}）" if c.items else ""
                yield ctx.finding(f"文字写 {c.stated} 个{c.noun}，但列举了 {c.counted} 项{listed}。",
                                  (f"narrative[{slot}]",), quote=c.sentence, expected=str(c.counted),
                                  actual=str(c.stated))


@rule("NAR-04", E, "文字称“无…/0 万元”但填报数字不为 0", "zero statement in text ⇒ field = 0",
      reads=("narrative", "income", "expenditure", "projects", "three_public"))
def nar04(ctx):
    yield from _amount_findings(ctx, zero=True)
    for slot, ex in _texts(ctx.report):
        for z in ex.zeros:
            key = STATIC_LABELS.get(z.label)
            if key is None:
                continue
            value, path = _static_value(ctx.report, key)
            if value is None or abs(value) <= h(value, ctx.p):
                continue
            yield ctx.finding(f"文字写没有{z.label}，但{FIELD_NAMES.get(key, key)}为 {ctx.fmt(value)} 万元。",
                              (f"narrative[{slot}]", path), quote=z.sentence, expected="0", actual=ctx.fmt(value))


@rule("NAR-05", W, "文字对执行/完成情况的定性与数字矛盾",
      "六 says a project's 执行 is weak while its exec_rate ≥ 100 %; '全部完成' while achieved < target",
      reads=("narrative", "projects", "income", "expenditure", "scoring", "meta"), tolerance="—")
def nar05(ctx):
    report = ctx.report
    sid = problem_section(report)
    rx = exec_problem_re(ctx)
    variants = [(v, i) for i, p in enumerate(report.projects) for v in name_variants(p.name)]
    for slot, ex in _texts(report):
        if not (slot == sid or slot.startswith(sid + ".")):
            continue
        for sentence in ex.sentences:
            if not rx.search(sentence):
                continue
            done: set[int] = set()
            for v, i in variants:
                if i in done or v not in sentence:
                    continue
                done.add(i)
                p = report.projects[i]
                rate, inferred = project_exec(report, p, ctx.p)
                if rate is None or rate < 1:
                    continue
                how = "（项目未填预算，按单位整体执行率推定）" if inferred else ""
                yield ctx.finding(
                    f"“存在的主要问题”说项目“{p.name}”预算执行有待加强，但其执行率为 {pct(rate)}{how}，文字与数字矛盾。",
                    (f"narrative[{slot}]", f"projects[{i}].actual"), quote=sentence, actual=pct(rate))
    # '全部完成' claims about an indicator whose target was missed
    nodes = [(f"scoring.nodes[{i}]", n) for i, n in enumerate(report.scoring.nodes)]
    nodes += [(f"projects[{pi}].indicators[{i}]", n) for pi, p in enumerate(report.projects)
              for i, n in enumerate(p.indicators)]
    missed = [(path, n) for path, n in nodes if len(n.name.strip()) >= 3 and target_missed(n)]
    if not missed:
        return
    for slot, ex in _texts(report):
        for sentence in ex.sentences:
            if not any(w in sentence for w in ("全部完成", "均已完成", "全面完成", "圆满完成")):
                continue
            for path, n in missed:
                if n.name.strip() in sentence:
                    yield ctx.finding(
                        f"文字说“{n.name}”全部完成，但实际完成值 {n.achieved}{n.unit} 未达到指标值 {n.target}{n.unit}。",
                        (f"narrative[{slot}]", f"{path}.achieved"), quote=sentence)


def _full_sentences(text: str) -> list[str]:
    """Sentences ending with 。！？ or a line break (a '；' does not end a sentence here)."""
    return [s.strip() for s in re.split(r"(?<=[。！？!?])|\n", text) if s and s.strip()]


@rule("NAR-06", I, "同一句话在两个部分重复出现", "same sentence (≥ 20 characters) in two narrative slots",
      reads=("narrative",), tolerance="—")
def nar06(ctx):
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
                yield ctx.finding(f"同一句话同时出现在 {first[0]} 和 {slot}，请删去重复或改写。",
                                  (f"narrative[{slot}]", f"narrative[{first[0]}]"), quote=sentence)
