"""Completeness and form (DOMAIN.md §7.6): CMP, FMT, YOY, DEC, INF."""
from __future__ import annotations

from decimal import Decimal

from .. import regex
from ..derived import self_score
from ..findings import Severity
from ..model import PathError, Report, get_value
from ..tolerance import equals_sum
from ..template import Slot, get_template, numbered_heading, section_of_path
from ..narrative import figure_label
from .. import fields
from ..fields import field_label
from ._common import exec_problem_re, pct, problem_section, problem_title, section_text, sentences
from .context import CheckContext
from .registry import RuleOutput, rule

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
ZERO = Decimal(0)


# ------------------------------------------------------------------ CMP-01
def _any_money(obj: object) -> bool:
    from ..model import iter_money_paths
    return any(True for _ in iter_money_paths(obj))


def _part_has_content(part: str, report: Report) -> bool:
    prof = report.profile
    if part == "duties_dot" or part == "duties_paren":
        return any(d.strip() for d in prof.duties)
    if part == "org_units":
        return bool(prof.org_units)
    if part == "staff_sentence":
        return prof.staff_authorized is not None or prof.staff_actual is not None or bool(prof.org_units)
    if part == "income_sentence":
        inc = report.income
        return inc.budget_total is not None or inc.budget_initial is not None
    if part == "expenditure_sentence":
        return report.expenditure.total is not None or report.expenditure.basic is not None
    if part == "project_lists":
        return bool(report.projects)
    if part == "project_analyses":
        return any((p.purpose + p.analysis_economy + p.analysis_effectiveness + p.analysis_sustainability).strip()
                   for p in report.projects)
    if part == "figure_tables":
        return _any_money(report.income) or _any_money(report.expenditure) or _any_money(report.three_public)
    if part == "grade_sentence":
        return report.self_eval.score_stated is not None
    return False


def _slot_has_content(slot: Slot, report: Report) -> bool:
    if (report.narrative.get(slot.id) or "").strip():
        return True
    if any(p != "text" and _part_has_content(p, report) for p in slot.parts):
        return True
    return any(_slot_has_content(child, report) for child in slot.children)


@rule("CMP-01", W, "模板各部分都有内容", "every top-level section has narrative or generated figures",
      reads=("narrative", "profile", "income", "expenditure", "projects", "three_public", "self_eval", "meta"),
      tolerance="—")
def cmp01(ctx: CheckContext) -> RuleOutput:
    template = get_template(ctx.template)
    for section in template.slots():          # the outline's required parts (default: every section)
        if not section.required or _slot_has_content(section, ctx.report):
            continue
        target = section.id
        if section.children:
            target = next((c.id for c in section.children), section.id)
        yield ctx.finding("", (f"narrative[{target}]",), args={"heading": numbered_heading(section)})


@rule("CMP-02", W, "封面信息完整：单位名称、年度及配置要求的其他封面项",
      "meta.unit_name, meta.fiscal_year, cover.required (report_date when completeness.require_report_date)",
      reads=("meta",), tolerance="—")
def cmp02(ctx: CheckContext) -> RuleOutput:
    meta = ctx.report.meta
    if not meta.unit_name.strip():
        yield ctx.finding(".unit_name", ("meta.unit_name",))
    if not meta.fiscal_year:
        yield ctx.finding(".fiscal_year", ("meta.fiscal_year",))
    required = list(ctx.profile.get("cover.required") or [])
    if ctx.profile.get("completeness.require_report_date") and "meta.report_date" not in required:
        required.append("meta.report_date")
    for path in required:
        if path in ("meta.unit_name", "meta.fiscal_year"):
            continue
        value = get_value(ctx.report, path)
        if value is None or (isinstance(value, str) and not value.strip()):
            if path == "meta.report_date":
                yield ctx.finding(".report_date", (path,))
            else:
                yield ctx.finding("", (path,), args={"field": field_label(path, ctx.report)})


# ------------------------------------------------------------------ FMT-01
CN = "一二三四五六七八九十"
TEN = CN[9]
_NUM_PATTERNS = (
    ("paren_cn", regex.compile(r"^\s*[（(]([一二三四五六七八九十]+)[）)]")),
    ("paren_arabic", regex.compile(r"^\s*[（(](\d{1,2})[）)]")),
    ("cn_dun", regex.compile(r"^\s*([一二三四五六七八九十]+)、")),
    ("cn_halfparen", regex.compile(r"^\s*([一二三四五六七八九十]+)[）)]")),
    ("arabic_dot", regex.compile(r"^\s*(\d{1,2})\s*[.．](?!\d)")),
    ("arabic_dun", regex.compile(r"^\s*(\d{1,2})\s*、")),
)
STYLE_TEXT = {"paren_cn": "（{cn}）", "paren_arabic": "（{n}）", "cn_dun": "{cn}、", "cn_halfparen": "{cn}）",
              "arabic_dot": "{n}.", "arabic_dun": "{n}、"}
LEVEL_STYLE = {1: "cn_dun", 2: "paren_cn", 3: "arabic_dot", 4: "paren_arabic"}


def cn_numeral(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    if n < 20:
        return TEN + (CN[n - 11] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return CN[tens - 1] + TEN + (CN[ones - 1] if ones else "")


def _cn_value(text: str) -> int | None:
    from ..numbers import chinese_numeral
    return chinese_numeral(text)


def numbering(text: str) -> tuple[str, int, str] | None:
    """(style, number, prefix as written) of a heading or paragraph, or None."""
    for style, rx in _NUM_PATTERNS:
        m = rx.match(text)
        if m:
            raw = m.group(1)
            n = int(raw) if raw.isdigit() else _cn_value(raw)
            if n is None:
                return None
            return style, n, m.group(0).strip()
    return None


def styled(style: str, n: int) -> str:
    return STYLE_TEXT[style].format(cn=cn_numeral(n), n=n)


def _slot_number(slot_id: str) -> int | None:
    last = slot_id.split(".")[-1]
    if last.isdigit():
        return int(last)
    return _cn_value(last)


@rule("FMT-01", W, "标题和段落编号规范、连续", "一、/（一）/1./（1）; no gaps, repeats, '3、' for '三、', '二）' for '（二）'",
      reads=("headings", "narrative", "meta"), tolerance="—")
def fmt01(ctx: CheckContext) -> RuleOutput:
    template = get_template(ctx.template)
    slots = {s.id: s for s in template.slots()}
    for slot_id, heading in ctx.report.headings.items():
        slot = slots.get(slot_id)
        n = _slot_number(slot_id)
        if slot is None or n is None or not heading.strip():
            continue
        want = numbered_heading(slot)[:-len(slot.title)]     # the outline's numbering of this level
        want_numbering = numbering(want)
        want_style = want_numbering[0] if want_numbering else LEVEL_STYLE.get(slot.level, "arabic_dot")
        got = numbering(heading)
        if got is None:
            yield ctx.finding(".unnumbered", (f"headings[{slot_id}]",), args={"heading": heading.strip(), "want": want},
                              expected=want, actual=heading.strip()[:12])
            continue
        style, num, prefix = got
        if style == want_style and num == n:
            continue
        if style == "cn_halfparen":
            why = ".left_paren"
        elif style != want_style:
            why = ".style"
        else:
            why = ".gap" if num > n else ".repeat"
        yield ctx.finding(why, (f"headings[{slot_id}]",), args={"heading": heading.strip(), "prefix": prefix, "want": want},
                          expected=want, actual=prefix)
    for slot_id, text in ctx.report.narrative.items():
        if text:
            yield from _paragraph_numbering(ctx, slot_id, text)


def _paragraph_numbering(ctx: CheckContext, slot_id: str, text: str) -> RuleOutput:
    last: dict[str, int] = {}
    previous = None           # (style, number) of the paragraph just before, None when it is not numbered
    for para in text.split("\n"):
        got = numbering(para)
        just_before, previous = previous, None
        if got is None:
            previous = None if para.strip() else just_before    # blank lines do not separate
            continue
        style, n, prefix = got
        quote = para.strip()[:60]
        path = (f"narrative[{slot_id}]",)
        if style == "cn_halfparen":
            yield ctx.finding(".para_left_paren", path, args={"prefix": prefix, "want": styled("paren_cn", n)},
                              quote=quote, expected=styled("paren_cn", n), actual=prefix)
            style = "paren_cn"
        elif style == "arabic_dun" and last.get("cn_dun") == n - 1 and "arabic_dun" not in last:
            yield ctx.finding(".para_level", path,
                              args={"prefix": prefix, "want": styled("cn_dun", n), "before": styled("cn_dun", n - 1)},
                              quote=quote, expected=styled("cn_dun", n), actual=prefix)
            style = "cn_dun"
        prev = last.get(style)
        previous = (style, n)
        # a list may restart at 1 after other text, but "（一）…" right after "（一）…" is a repeat
        restart = n == 1 and just_before != (style, 1)
        if prev is not None and n != prev + 1 and not restart:
            yield ctx.finding(".para_repeat" if n <= prev else ".para_gap", path,
                              args={"prefix": prefix, "before": styled(style, prev), "want": styled(style, prev + 1)},
                              quote=quote, expected=styled(style, prev + 1), actual=prefix)
        last[style] = n


# ------------------------------------------------------------------ YOY-01
MAIN_FIGURES = ("income.budget_total", "expenditure.total", "expenditure.basic", "expenditure.personnel",
                "expenditure.public_ops", "expenditure.project_total", "expenditure.carryover_end",
                "three_public.total_stated")
# YOY-01's expected value as saved in acknowledgement keys since format 1.1 (findings.Finding.key): fixed
# here, not in the catalogue, so that rewording the catalogue reopens no explanation
EXPECTED_CHANGE_OR_CAUSE = "±{threshold} 以内或说明原因"
_EXPLAIN = regex.compile(r"[增减]|原因|下降|上升|提高|降低")


@rule("YOY-01", I, "主要数字同比变动较大时应有说明", "|本年 − 上年| ÷ 上年 > thresholds.yoy_change ⇒ 增/减/原因 sentence",
      reads=("prior_year", "income", "expenditure", "three_public", "narrative", "meta"), tolerance="—")
def yoy01(ctx: CheckContext) -> RuleOutput:
    if not ctx.report.prior_year:
        return
    threshold = ctx.profile.decimal("thresholds.yoy_change")
    for path in MAIN_FIGURES:
        prior = ctx.report.prior_year.get(path)
        if not prior:
            continue
        current = get_value(ctx.report, path)
        if current is None:
            continue
        rate = (current - prior) / prior
        if abs(rate) <= threshold:
            continue
        sid = section_of_path(path, ctx.template)
        text = section_text(ctx.report, sid)
        if any(_EXPLAIN.search(s) for s in sentences(text)):
            continue
        yield ctx.finding(
            ".increase" if rate > 0 else ".decrease", (f"narrative[{sid}]", path, f"prior_year[{path}]"),
            args={"field": fields.label(path), "current": ctx.fmt(current), "prior": ctx.fmt(prior),
                  "rate": pct(abs(rate)), "section": sid},
            expected=EXPECTED_CHANGE_OR_CAUSE.format(threshold=pct(threshold)), actual=pct(rate))


# ------------------------------------------------------------------ DEC-01
@rule("DEC-01", W, "与部门决算表一致", "figure = final_accounts[figure] (after 元→万元)",
      reads=("final_accounts", "income", "expenditure", "projects", "three_public", "assets", "procurement"))
def dec01(ctx: CheckContext) -> RuleOutput:
    for path, authority in ctx.report.final_accounts.items():
        try:
            value = get_value(ctx.report, path)
        except (PathError, KeyError):
            continue
        if not isinstance(value, Decimal) or authority is None:
            continue
        c = equals_sum(value, [authority], ctx.p)
        if not c.ok:
            yield ctx.finding(
                "", (path, f"final_accounts[{path}]"), comparison=c,
                args={"field": figure_label(path), "value": ctx.fmt(value), "authority": ctx.fmt(authority),
                      "difference": ctx.fmt(c.difference)})


# ------------------------------------------------------------------ INF-01
@rule("INF-01", I, "高分与自述问题不相称", "total ≥ thresholds.inflated_score while 六 admits execution problems",
      reads=("scoring", "self_eval", "narrative", "meta"), tolerance="—")
def inf01(ctx: CheckContext) -> RuleOutput:
    total = self_score(ctx.report)
    if total is None:
        return
    limit = ctx.profile.decimal("thresholds.inflated_score")
    if total < limit:
        return
    sid = problem_section(ctx.report)
    for slot in sorted(s for s in ctx.report.narrative if s == sid or s.startswith(sid + ".")):
        for sentence in sentences(ctx.report.narrative[slot] or ""):
            if exec_problem_re(ctx).search(sentence):
                yield ctx.finding(
                    "", (f"narrative[{slot}]", "self_eval.score_stated"), quote=sentence,
                    args={"score": format(total, "f"), "limit": format(limit, "f"), "title": problem_title(ctx.report)})
                return
