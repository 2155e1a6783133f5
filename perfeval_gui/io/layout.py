"""The report as ONE list of blocks (title, headings, paragraphs, tables, page breaks).

Every decision about *what* a printed report says is made here, once: which parts are printed
and in which order, the heading numbering (一、/（一）/1./（1）, generated from the structure and
continuous when a part is left out), the generated sentences, the figure tables (rows, columns,
"—" for no figure, column widths from the text's CJK width), the references "详见表N", the
signature block and the draft mark. Two back-ends only *write* these blocks:
``io/docx_export.py`` (OOXML) and ``gui/pdf_render.py`` (Qt, the PDF fallback and the print preview).

Widths are in twips (1/20 pt); the page geometry comes from ``io/docx_style.py``.
No Qt and no python-docx here.
"""
from __future__ import annotations

import re
from dataclasses import field
from datetime import datetime
from decimal import Decimal

from ..core import regex
from ..core.records import record
from ..core import derived, fields
from ..core.model import Report
from ..core.money import fmt_amount, fmt_percent, fmt_plain
from ..core.numbers import to_chinese_numeral
from ..core.template import (APPENDIX_ID, APPENDIX_TITLE, Slot, get_template, heading_number, heading_words,
                             report_title)
from . import docx_style as S

NO_FIGURE = "—"
KIND_LABELS = {c: fields.PROJECT_KINDS.short(c) for c in fields.PROJECT_KINDS.codes()}
KIND_GROUPS = tuple((c, fields.PROJECT_KINDS.label(c)) for c in fields.PROJECT_KINDS.codes())
DRAFT_MARK = "草稿：本报告尚有 {n} 个错误，不得报送"

# ---------------------------------------------------------------- text helpers
_XML_BAD = regex.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Strip what XML 1.0 cannot hold: control characters, lone surrogates, U+FFFE/U+FFFF.

    Vertical tab and form feed (Word's manual line/page break when pasted) become a space;
    line breaks are handled by the caller (a new paragraph). Emoji, RTL marks stay.
    """
    if not text:
        return ""
    text = text.replace("\v", " ").replace("\f", " ").replace("\r", "")
    return _XML_BAD.sub("", text)


def split_paragraphs(text: str | None) -> list[str]:
    """Narrative text → paragraphs (split on line breaks; blank lines dropped)."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    out = []
    for line in text.split("\n"):
        cleaned = clean_text(line)
        if cleaned.strip():
            out.append(cleaned)
    return out


def format_date(iso: str) -> str:
    """'2022-03-05' → '2022年3月5日' (no zero padding); other text is printed as typed."""
    iso = (iso or "").strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            d = datetime.strptime(iso, fmt).date()
            return f"{d.year}年{d.month}月{d.day}日"
        except ValueError:
            continue
    return clean_text(iso)


def text_em(text: str) -> float:
    """Width of ``text`` in ems: CJK and full-width characters 1, everything else ½."""
    width = 0.0
    for ch in text:
        o = ord(ch)
        if o >= 0x2E80 or 0x2010 <= o <= 0x2027 or o in (0x00B7,):
            width += 1.0
        elif ch in "%@MWmw":
            width += 0.9
        elif ch.isupper():
            width += 0.7
        else:
            width += 0.5
    return width


# ---------------------------------------------------------------- blocks
@record
class Title:
    """The report's title block, with its line breaks (GB/T 9704: words not split)."""
    text: str
    lines: list[str] = field(default_factory=list)   # the title's line breaks (GB/T 9704: words not split)


@record
class Heading:
    """A section heading (numbering included, level 1–4) with its outline slot id, page-break and spacing options."""
    text: str                   # numbering included
    level: int                  # 1..4
    slot_id: str = ""
    page_break_before: bool = False
    numbered: bool = True       # False: a label (附相关评分)
    space_before: bool = False  # half a line of space (after a table)


@record
class Para:
    """A paragraph: text, kind (body, plain, reference, signature), alignment, right indent, keep-with-next, spacing."""
    text: str
    kind: str = "body"          # body | plain (no indent) | reference | signature
    align: str = "both"         # both | left | center | right
    right_chars: float = 0.0    # right indent in body characters (signature block)
    keep_next: bool = False
    space_before: bool = False  # half a line of space (after a table)


@record
class Cell:
    """A table cell: text, field path shown (a bookmark for import-docx), alignment, span, vertical merge, bold."""
    text: str
    path: str | None = None     # field path: a bookmark for import-docx
    align: str = "left"
    span: int = 1               # columns spanned
    merge: str = ""             # "" | "restart" | "continue" (vertical merge)
    bold: bool = False


@record
class Table:
    """A numbered figure table (表N): title, column widths in twips, header and rows of cells, unit line, font size."""
    number: int
    title: str
    widths: list[int]           # twips per column, Σ ≤ the 版心 width
    header: list[Cell]
    rows: list[list[Cell]]
    unit: str = "单位：万元"     # printed above the table's right edge; "" = none
    font_size: int = S.SIZE_TABLE

    @property
    def width(self) -> int:
        return sum(self.widths)


@record
class PageBreak:
    """A page break between two blocks."""
    pass


@record
class Layout:
    """What both back-ends print."""
    title: str
    author: str
    blocks: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    draft_errors: int = 0

    @property
    def draft_mark(self) -> str:
        return DRAFT_MARK.format(n=self.draft_errors) if self.draft_errors else ""


TITLE_EM = S.TEXT_WIDTH / (S.SIZE_TITLE * 10)      # ems of 二号 on one line (≈ 20)


def title_lines(unit_name: str, title: str) -> list[str]:
    """A title longer than a line breaks after the unit name (the unit's name is never split)."""
    unit = clean_text(unit_name.strip())
    if text_em(title) <= TITLE_EM or not unit or not title.startswith(unit) or len(title) == len(unit):
        return [title]
    return [unit, title[len(unit):]]


# ---------------------------------------------------------------- column widths
CELL_PAD = 2 * S.CELL_MARGIN_LR
TABLE_EM = S.SIZE_TABLE * 10            # twips per em at the table font size (12 pt = 240)


def column_widths(header: list[str], rows: list[list[Cell]], wrap: list[bool],
                  total: int = S.TEXT_WIDTH, em: int = TABLE_EM) -> list[int]:
    """Column widths from the text (CJK width): a header word is never broken, a figure never
    wrapped; the columns that may wrap (names, reasons) take what is left. The table fills the
    版心 width when its text needs it, else its natural width widened to at least ⅔ of it."""
    n = len(header)
    need = [text_em(h) for h in header]        # unbreakable minimum (ems)
    want = list(need)                           # the whole text on one line
    for row in rows:
        col = 0
        for cell in row:
            if cell.span == 1 and col < n:
                w = text_em(cell.text)
                want[col] = max(want[col], w)
                if not wrap[col]:
                    need[col] = max(need[col], w)
                else:   # a wrapping column still needs its longest run of digits/latin
                    longest = max((text_em(t) for t in re.findall(r"[0-9A-Za-z.%\-]+", cell.text)), default=0)
                    need[col] = max(need[col], longest, 2)
            col += cell.span
    need_tw = [int(w * em) + CELL_PAD + 80 for w in need]
    want_tw = [int(w * em) + CELL_PAD + 80 for w in want]
    if sum(need_tw) >= total:                  # does not fit: shrink proportionally (never happens
        return _scale(need_tw, total)          # with our headers; kept for hostile names)
    if sum(want_tw) <= total:
        widths = want_tw
        target = max(sum(widths), total * 2 // 3)
        if any(wrap):
            target = total
        extra = target - sum(widths)
        grow = [i for i in range(n) if wrap[i]] or list(range(n))
        for k, i in enumerate(grow):
            widths[i] += extra // len(grow) + (1 if k < extra % len(grow) else 0)
        return widths
    # give the wrapping columns the rest, in proportion to what they would like
    rest = total - sum(need_tw[i] for i in range(n) if not wrap[i])
    flex = [i for i in range(n) if wrap[i]]
    widths = list(need_tw)
    for i in range(n):
        if not wrap[i]:
            widths[i] = need_tw[i]
    flex_need = sum(need_tw[i] for i in flex)
    flex_want = sum(want_tw[i] for i in flex)
    spare = rest - flex_need
    for i in flex:
        share = (want_tw[i] - need_tw[i]) / max(flex_want - flex_need, 1)
        widths[i] = need_tw[i] + int(spare * share)
    widths[flex[-1] if flex else -1] += total - sum(widths)
    return widths


def _scale(widths: list[int], total: int) -> list[int]:
    s = sum(widths)
    out = [w * total // s for w in widths]
    out[-1] += total - sum(out)
    return out


# ---------------------------------------------------------------- builder
class LayoutBuilder:
    def __init__(self, report: Report, draft_errors: int = 0):
        self.report = report
        self.template = get_template(report.meta.template)
        self.places = max(0, report.meta.amount_decimals if report.meta.amount_decimals is not None else 2)
        self.table_no = 0
        meta = report.meta
        self.layout = Layout(title=clean_text(report_title(meta.unit_name, meta.fiscal_year)),
                             author=clean_text(meta.unit_name), draft_errors=draft_errors)

    # ------------------------------------------------------------ small pieces
    def amount(self, value: Decimal | None) -> str:
        return fmt_amount(value, self.places, empty=NO_FIGURE)

    def money(self, value: Decimal | None, path: str | None = None) -> Cell:
        return Cell(self.amount(value), path if value is not None else None, "right")

    def rate(self, ratio: Decimal | None) -> Cell:
        return Cell(fmt_percent(ratio, empty=NO_FIGURE), None, "right")

    def body(self, text: str | None) -> list:
        return [Para(t) for t in split_paragraphs(text)]

    def table(self, title: str, header: list[str], rows: list[list[Cell]], wrap: list[bool],
              aligns: list[str] | None = None, unit: str = "单位：万元", drop_empty: bool = True) -> list:
        """A numbered table (caption, unit line, header, rows) and the sentence referring to it;
        columns without any figure are left out."""
        if drop_empty and all(c.span == 1 for row in rows for c in row):
            keep = [i for i in range(len(header))
                    if i == 0 or any(row[i].text not in ("", NO_FIGURE) for row in rows)]
            if len(keep) < len(header):
                header = [header[i] for i in keep]
                wrap = [wrap[i] for i in keep]
                rows = [[row[i] for i in keep] for row in rows]
        self.table_no += 1
        size = S.SIZE_TABLE if len(header) < S.WIDE_TABLE_COLUMNS else S.SIZE_TABLE_SMALL
        widths = column_widths(header, rows, wrap, em=size * 10)
        head = [Cell(h, None, "center", bold=False) for h in header]
        t = Table(self.table_no, title, widths, head, rows, unit, font_size=size)
        return [Para(f"{title}详见表{self.table_no}。", kind="reference", keep_next=True), t]

    # ------------------------------------------------------------ figure tables
    def figure_tables(self) -> list:
        r = self.report
        out: list = []
        inc, ex = r.income, r.expenditure
        pt = derived.project_totals(r)
        stated_final = inc.budget_total is not None
        total_row = [Cell("年度资金总额"),
                     self.money(inc.budget_initial, "income.budget_initial"),
                     self.money(derived.budget_final(r), "income.budget_total" if stated_final else None),
                     self.money(derived.total_actual(r), "expenditure.total" if ex.total is not None else None),
                     self.rate(derived.exec_rate(r)),
                     self.money(ex.carryover_end, "expenditure.carryover_end")]
        rows = []
        if any(c.text != NO_FIGURE for c in total_row[1:]):
            rows.append(total_row)
        funds = ((("其中：调整追加", inc.budget_adjustment, "income.budget_adjustment"),
                  ("财政资金", inc.fiscal_funds, "income.fiscal_funds"),
                  ("上年结转", inc.carryover_prior, "income.carryover_prior"),
                  ("其他资金", inc.other_sources, "income.other_sources")))
        first = True
        for label, value, path in funds:
            if value is None:
                continue
            if first and not label.startswith("其中"):
                label = "其中：" + label
            elif not first:
                label = "\u3000\u3000\u3000" + label.removeprefix("其中：")
            first = False
            rows.append([Cell(label), self.money(None), self.money(value, path), self.money(None),
                         self.rate(None), self.money(None)])
        basic = [("基本支出", ex.basic, "expenditure.basic"),
                 ("其中：人员经费", ex.personnel, "expenditure.personnel"),
                 ("\u3000\u3000\u3000日常公用经费", ex.public_ops, "expenditure.public_ops")]
        for label, value, path in basic:
            if value is not None:
                rows.append([Cell(label), self.money(None), self.money(None), self.money(value, path),
                             self.rate(None), self.money(None)])
        project_budget = derived.project_budget_reported(r)
        if ex.project_total is not None or project_budget is not None:
            rows.append([Cell("项目支出"), self.money(pt.budget_initial),
                         self.money(project_budget,
                                    "expenditure.project_budget_total" if ex.project_budget_total is not None
                                    else None),
                         self.money(ex.project_total, "expenditure.project_total"),
                         self.rate(derived.project_part_exec_rate(r)), self.money(pt.carryover)])
        if rows:
            out += self.table("部门整体支出预算执行情况",
                              ["项目", "年初预算数", "全年预算数", "全年执行数", "执行率", "结余结转"],
                              rows, [True, False, False, False, False, False])

        if r.projects:
            rows = []
            for i, p in enumerate(r.projects):
                final = derived.project_budget_final(p)
                rows.append([
                    Cell(clean_text(p.name), f"projects[{i}].name"),
                    Cell(KIND_LABELS.get(p.kind, p.kind), f"projects[{i}].kind", "center"),
                    self.money(p.budget_initial, f"projects[{i}].budget_initial"),
                    self.money(p.budget_adjustment, f"projects[{i}].budget_adjustment"),
                    self.money(final, f"projects[{i}].budget_final" if p.budget_final is not None else None),
                    self.money(p.actual, f"projects[{i}].actual"),
                    self.money(p.carryover, f"projects[{i}].carryover"),
                    self.rate(derived.project_exec_rate(p)),
                ])
            rows.append([Cell("合计", None, "center"), Cell("", None, "center")] + [
                self.money(v) for v in (pt.budget_initial, pt.budget_adjustment, pt.budget_final, pt.actual,
                                        pt.carryover)] + [self.rate(derived.projects_exec_rate(r))])
            out += self.table("项目支出情况", [fields.header(f"projects[].{a}") for a in (
                "name", "kind", "budget_initial", "budget_adjustment", "budget_final", "actual", "carryover")]
                + [fields.header("derived.exec_rate")],
                              rows, [True] + [False] * 7)

        if ex.by_function:
            rows = [[Cell(clean_text(f.code), f"expenditure.by_function[{i}].code", "center"),
                     Cell(clean_text(f.name), f"expenditure.by_function[{i}].name"),
                     self.money(f.amount, f"expenditure.by_function[{i}].amount")]
                    for i, f in enumerate(ex.by_function)]
            rows.append([Cell("合计", None, "center"), Cell(""), self.money(derived.function_sum(r))])
            out += self.table("支出功能分类", [fields.label(f"expenditure.by_function[].{a}")
                                             for a in ("code", "name", "amount")], rows, [False, True, False],
                              drop_empty=False)

        if ex.by_econ:
            rows = []
            scope_names = {c: fields.ECON_SCOPES.short(c) for c in fields.ECON_SCOPES.codes()}
            for scope in ("basic", "project", "total"):
                lines = [(i, e) for i, e in enumerate(ex.by_econ) if e.scope == scope]
                if not lines:
                    continue
                for i, e in lines:
                    rows.append([Cell(scope_names[scope], f"expenditure.by_econ[{i}].scope", "center"),
                                 Cell(clean_text(e.code), f"expenditure.by_econ[{i}].code", "center"),
                                 Cell(clean_text(e.name), f"expenditure.by_econ[{i}].name"),
                                 self.money(e.amount, f"expenditure.by_econ[{i}].amount")])
                rows.append([Cell(scope_names[scope], None, "center"), Cell(""), Cell("小计", None, "center"),
                             self.money(derived.econ_sum(r, scope))])
            out += self.table("支出经济分类", [fields.label(f"expenditure.by_econ[].{a}")
                                             for a in ("scope", "code", "name", "amount")], rows,
                              [False, False, True, False], drop_empty=False)

        tp = r.three_public
        items = [(key, label, getattr(tp, key)) for key, label in derived.THREE_PUBLIC_ITEMS]
        if any(ba.budget is not None or ba.actual is not None for _, _, ba in items):
            rows = [[Cell(label), self.money(ba.budget, f"three_public.{key}.budget"),
                     self.money(ba.actual, f"three_public.{key}.actual")] for key, label, ba in items]
            rows.append([Cell("合计", None, "center"),
                         self.money(derived.three_public_total(r, "budget")),
                         self.money(derived.three_public_total(r, "actual"))])
            out += self.table("“三公”经费支出情况", ["项目", *(fields.BUDGET_ACTUAL.label(c) for c in ("budget", "actual"))],
                              rows, [True, False, False])
        return out

    # ------------------------------------------------------------ generated parts
    def part(self, name: str, slot: Slot) -> list:
        r = self.report
        if name == "text":
            return self.body(r.narrative.get(slot.id))
        if name == "duties_dot":
            return [Para(f"{i}.{clean_text(d)}") for i, d in enumerate([d for d in r.profile.duties if d.strip()], 1)]
        if name == "duties_paren":
            return [Para(f"（{to_chinese_numeral(i)}）{clean_text(d)}")
                    for i, d in enumerate([d for d in r.profile.duties if d.strip()], 1)]
        if name == "org_units":
            units = [o for o in r.profile.org_units if o.name.strip() or o.duties.strip()]
            return [Para(clean_text(f"{i}.{o.name}：{o.duties}" if o.duties.strip() else f"{i}.{o.name}"))
                    for i, o in enumerate(units, 1)]
        if name == "staff_sentence":
            return self._staff_sentence()
        if name == "income_sentence":
            return self._income_sentence()
        if name == "expenditure_sentence":
            return self._expenditure_sentence()
        if name == "project_lists":
            return self._project_lists()
        if name == "project_analyses":
            return self._project_analyses(slot)
        if name == "figure_tables":
            return self.figure_tables()
        if name == "grade_sentence":
            if (r.narrative.get(slot.id) or "").strip():
                return []
            score = derived.self_score(r)
            if score is None:
                return []
            grade = r.self_eval.grade_stated or derived.grade_of(r, score)
            return [Para(f"{self._year()}部门整体支出绩效自评得分{fmt_plain(score)}分，等级为“{grade}”。")]
        return []

    def _year(self) -> str:
        return f"{self.report.meta.fiscal_year}年" if self.report.meta.fiscal_year else ""

    def _staff_sentence(self) -> list:
        prof = self.report.profile
        a, b = prof.staff_authorized, derived.staff_actual(self.report)
        names = [clean_text(o.name) for o in prof.org_units if o.name.strip()]
        k = prof.declared_org_unit_count if prof.declared_org_unit_count is not None else (len(names) or None)
        first = []
        if a is not None:
            first.append(f"本部门共有编制人数{a}人")
        if b is not None:
            first.append(f"实有人数{b}人" if first else f"本部门实有人数{b}人")
        text = "，".join(first) + ("。" if first else "")
        if k is not None:
            text += f"内设科室{k}个" + (f"，分别为：{'、'.join(names)}。" if names else "。")
        return [Para(text)] if text else []

    def _income_sentence(self) -> list:
        inc = self.report.income
        total = derived.budget_final(self.report)
        if total is None and inc.budget_initial is None:
            return []
        text = f"{self._year()}预算收入{self.amount(total)}万元"
        extra = []
        if inc.budget_initial is not None:
            extra.append(f"年初预算{self.amount(inc.budget_initial)}万元")
        if inc.budget_adjustment is not None:
            extra.append(f"调整追加{self.amount(inc.budget_adjustment)}万元")
        text += ("，其中" + "，".join(extra) if extra else "") + "。"
        if inc.other_sources is not None:
            text += f"其他资金来源{self.amount(inc.other_sources)}万元。"
        return [Para(text)]

    def _expenditure_sentence(self) -> list:
        ex = self.report.expenditure
        total = derived.total_actual(self.report)
        if total is None:
            return []
        parts = [f"{label}{self.amount(v)}万元" for label, v in
                 (("基本支出", ex.basic), ("项目支出", ex.project_total), ("结余结转", ex.carryover_end))
                 if v is not None]
        text = f"{self._year()}支出{self.amount(total)}万元" + ("，其中" + "，".join(parts) if parts else "") + "。"
        return [Para(text)]

    def _project_clause(self, p) -> str:
        name = clean_text(p.name)
        final = derived.project_budget_final(p)
        bits = [f"{name}{self.amount(final)}万元" if final is not None else name]
        if p.actual is not None:
            bits.append(f"实际支出{self.amount(p.actual)}万元")
        if p.carryover is not None:
            bits.append(f"结余结转{self.amount(p.carryover)}万元")
        return "，".join(bits)

    def _project_lists(self) -> list:
        out = []
        number = 0
        for kind, label in KIND_GROUPS:
            group = [p for p in self.report.projects if p.kind == kind]
            if not group:
                continue
            number += 1
            clauses = "；".join(self._project_clause(p) for p in group)
            out.append(Para(f"{number}.{label}{clauses}。项目实施及绩效情况如下："))
            for k, p in enumerate(group, 1):
                out.append(Para(f"（{k}）{clean_text(p.name)}"))
                out += self.body(p.purpose)
        return out

    def _project_analyses(self, slot: Slot) -> list:
        out = []
        number = 0
        for p in self.report.projects:
            texts = [p.purpose, p.analysis_economy, p.analysis_effectiveness, p.analysis_sustainability]
            if not any((t or "").strip() for t in texts):
                continue
            number += 1
            number_text = heading_number(slot.level + 1, number, self.template.numbering)
            out.append(Heading(f"{number_text}{clean_text(p.name)}",
                               min(slot.level + 1, 4)))
            out += self.body(p.purpose)
            for label, text in (("经济性", p.analysis_economy), ("有效性", p.analysis_effectiveness),
                                ("可持续性", p.analysis_sustainability)):
                paras = split_paragraphs(text)
                if paras:
                    out.append(Para(f"{label}：{paras[0]}"))
                    out += [Para(t) for t in paras[1:]]
        return out

    # ------------------------------------------------------------ sections
    def _heading_text(self, slot: Slot) -> str:
        typed = heading_words(clean_text(self.report.headings.get(slot.id, "")))
        words = typed or slot.title
        if slot.level == 1:
            words = words.rstrip("。：:")
        else:
            words = words.rstrip("：:")
        return words

    def slot(self, slot: Slot, number: int, missing: list[str]) -> list:
        """The blocks of ``slot`` numbered ``number`` at its level; [] when it has no content."""
        content: list = []
        for name in slot.parts:
            if name != "figure_tables":
                content += self.part(name, slot)
        n = 0
        for child in slot.children:
            blocks = self.slot(child, n + 1, missing)
            if blocks:
                n += 1
                content += blocks
            else:
                missing.append(f"{child.id}：{self._heading_text(child)}")
        if "figure_tables" in slot.parts:
            content += self.part("figure_tables", slot)
        if not content:
            return []
        heading = Heading(heading_number(slot.level, number, self.template.numbering) + self._heading_text(slot),
                          slot.level, slot.id)
        return [heading] + content

    def header_block(self) -> None:
        meta = self.report.meta
        self.layout.blocks.append(Title(self.layout.title, title_lines(meta.unit_name, self.layout.title)))
        self.layout.blocks.append(Para("", kind="plain"))
        self.layout.blocks.append(Para(clean_text(f"单位名称（盖章）：{meta.unit_name}"), kind="plain", align="left"))

    def signature(self) -> None:
        meta = self.report.meta
        name = clean_text(meta.unit_name.strip())
        date = format_date(meta.report_date) if meta.report_date.strip() else ""
        if not date:
            self.layout.warnings.append("没有填写报告日期：落款没有成文日期（在“一、”页的报告日期中填写）。")
        if not name and not date:
            return
        # GB/T 9704 7.3.5.2: the date 4 characters from the right margin, the unit name centred over it
        w_name, w_date = text_em(name), text_em(date)
        date_right = 4.0
        if date and w_name > w_date + 4:       # a long name: 2 characters from the right, date under its centre
            name_right = 2.0
            date_right = name_right + (w_name - w_date) / 2
        else:
            name_right = date_right + (w_date - w_name) / 2 if date else 4.0
        last = self.layout.blocks[-1] if self.layout.blocks else None
        if isinstance(last, Para):      # the signature never stands alone on a page
            last.keep_next = True
        self.layout.blocks.append(Para("", kind="plain", keep_next=True))
        self.layout.blocks.append(Para("", kind="plain", keep_next=True))
        if name:
            self.layout.blocks.append(Para(name, kind="signature", align="right", right_chars=max(name_right, 0),
                                           keep_next=True))
        if date:
            self.layout.blocks.append(Para(date, kind="signature", align="right", right_chars=date_right))

    def appendix(self) -> None:
        r = self.report
        if not self.template.appendix:
            return
        nodes = r.scoring.nodes
        if not nodes:
            self.layout.warnings.append(f"{APPENDIX_TITLE}：评分表没有填写，附件没有打印。")
            return
        label = heading_words(clean_text(r.headings.get(APPENDIX_ID, ""))) or APPENDIX_TITLE
        self.layout.blocks.append(Heading(label, 1, APPENDIX_ID, page_break_before=True, numbered=False))
        self.layout.blocks.append(self.scoring_table())

    def scoring_table(self) -> Table:
        r = self.report
        nodes = r.scoring.nodes
        order = _tree_order(nodes)
        levels = [min(max(nodes[i].level, 1), 3) for i in order]
        by_id = {n.id: n for n in nodes if n.id}
        pos = {i: k for k, i in enumerate(order)}
        index_of = {id(n): i for i, n in enumerate(nodes)}
        rows: list[list[Cell]] = []
        for k, i in enumerate(order):
            n = nodes[i]
            level = levels[k]
            ancestors: dict[int, int] = {}       # level → row of the ancestor at that level
            seen = {n.id}
            p = by_id.get(n.parent_id)
            while p is not None and p.id not in seen:
                seen.add(p.id)
                row = pos.get(index_of[id(p)])
                if row is not None:
                    ancestors[levels[row]] = row
                p = by_id.get(p.parent_id)
            deeper_next = k + 1 < len(order) and levels[k + 1] > level
            names: list[Cell] = []
            for col in range(3):
                if col + 1 == level:
                    # a parent's name cell runs down over its children's rows
                    names.append(Cell(clean_text(n.name), f"scoring.nodes[{i}].name",
                                      "left" if col == 2 else "center",
                                      merge="restart" if col < 2 and deeper_next else ""))
                elif col < 2 and col + 1 < level and (col + 1) in ancestors:
                    names.append(Cell("", None, "center", merge="continue"))
                else:
                    names.append(Cell("", None, "center"))
            target = clean_text(n.target_text) or fmt_plain(n.target)
            achieved = clean_text(n.achieved_text) or fmt_plain(n.achieved)
            score = derived.node_score(nodes, n)
            rows.append(names + [
                Cell(fmt_plain(n.weight, NO_FIGURE), f"scoring.nodes[{i}].weight" if n.weight is not None else None,
                     "center"),
                Cell(target, None, "center"), Cell(achieved, None, "center"),
                Cell(fmt_plain(score, NO_FIGURE), f"scoring.nodes[{i}].score_stated"
                     if n.score_stated is not None else None, "center"),
                Cell(clean_text(n.deviation_reason))])
        total = derived.scoring_total(r)
        weight = derived.sum_present(n.weight for n in nodes if not n.parent_id)
        grade = derived.grade_of(r, total)
        rows.append([Cell("合计", None, "center", span=3), Cell(fmt_plain(weight, NO_FIGURE), None, "center"),
                     Cell("", None, "center"), Cell("", None, "center"),
                     Cell(fmt_plain(total, NO_FIGURE), None, "center"),
                     Cell(f"等级：{grade}" if grade else "", None, "left")])
        header = ["一级指标", "二级指标", "三级指标", "分值", "指标值", "完成值", "得分", "偏差原因"]
        widths = column_widths(header, rows, [True, True, True, False, True, True, False, True],
                               em=S.SIZE_TABLE_SMALL * 10)
        self.table_no += 1
        return Table(self.table_no, "部门整体支出绩效自评评分表", widths,
                     [Cell(h, None, "center") for h in header], rows, unit="", font_size=S.SIZE_TABLE_SMALL)

    def build(self) -> Layout:
        self.header_block()
        missing: list[str] = []
        n = 0
        for section in self.template.sections:
            blocks = self.slot(section, n + 1, missing)
            if blocks:
                n += 1
                self.layout.blocks += blocks
            else:
                missing.append(f"{section.id}、{self._heading_text(section)}")
        if missing:
            self.layout.warnings.insert(0, "以下部分没有内容，没有打印（编号已顺延）：" + "；".join(missing) + "。")
        self.signature()
        self.appendix()
        blocks = self.layout.blocks
        for prev, block in zip(blocks, blocks[1:]):
            if isinstance(prev, Table) and isinstance(block, (Para, Heading)):
                block.space_before = True          # the text after a table does not touch its border
        return self.layout


def _tree_order(nodes) -> list[int]:
    """Indices of scoring nodes depth first (parents before their children, list order kept)."""
    ids = {n.id for n in nodes if n.id}
    by_parent: dict[str, list[int]] = {}
    roots = []
    for i, n in enumerate(nodes):
        if n.parent_id and n.parent_id in ids and n.parent_id != n.id:
            by_parent.setdefault(n.parent_id, []).append(i)
        else:
            roots.append(i)
    out: list[int] = []
    seen: set[int] = set()

    def walk(start: int) -> None:      # iterative: a deep or cyclic parent chain cannot overflow
        stack = [start]
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            out.append(i)
            stack.extend(reversed(by_parent.get(nodes[i].id, [])))

    for i in roots:
        walk(i)
    for i in range(len(nodes)):      # cycles: print the rest in list order
        walk(i)
    return out


def count_errors(report: Report) -> int:
    """Errors the checker finds in ``report`` (for the draft mark)."""
    from ..core.engine import Checker
    from ..core.findings import Severity
    checker = Checker(report)
    return sum(1 for f in checker.check_all() if f.severity is Severity.ERROR)


def build_layout(report: Report, draft_errors: int | None = None) -> Layout:
    """The printed report as blocks. ``draft_errors``: the number of errors the checker reports
    (None: run the checker here); a report with errors is marked as a draft on every page."""
    if draft_errors is None:
        draft_errors = count_errors(report)
    return LayoutBuilder(report, draft_errors).build()


__all__ = ["build_layout", "Layout", "Title", "Heading", "Para", "Table", "Cell", "PageBreak", "clean_text",
           "split_paragraphs", "format_date", "text_em", "column_widths", "NO_FIGURE", "DRAFT_MARK"]
