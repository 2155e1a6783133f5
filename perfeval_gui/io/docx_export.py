"""Word export (DOMAIN.md §9): the report as a .docx in the official layout.

The document is built from the model only: narrative slots and generated parts in the order of
``core/template.py`` (see docs/architecture.md, "How a report's text is laid out"), computed values
from ``core/derived.py``, amounts through ``core/money.fmt_amount``. The full model is embedded as
``customXml/item1.xml`` (the project-file JSON envelope) and figure-table cells carry bookmarks
named after their field path, so :func:`perfeval_gui.io.docx_import.import_docx` reads it back
exactly. Writing goes through :func:`perfeval_gui.io.atomic.atomic_write`.

Choices documented here:
* an empty scoring table prints the label 附相关评分 and the line 评分表未填写 (the officer sees
  that the attachment is missing instead of an empty table);
* the signature block (unit name, report date) follows the last section, before the attachment
  page (GB/T 9704: 署名 and 成文日期 belong to the body, attachments follow);
* tables use 2 decimals, or the report precision when it is larger.
"""
from __future__ import annotations

import copy
import io
import json
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable

from ..core import derived
from ..core.model import Report
from ..core.money import fmt_amount, fmt_percent, fmt_plain
from ..core.serialize import report_to_data
from ..core.template import APPENDIX_TITLE, Slot, get_template, numbered_heading, report_title
from . import docx_style as S
from .atomic import atomic_write

Progress = Callable[[int, int], None]

CN_INDEX = "一二三四五六七八九十"
KIND_LABELS = {"initial": "年初", "added": "追加", "carried": "结转"}
KIND_GROUPS = (("initial", "年初预算项目"), ("added", "年中追加项目"), ("carried", "上年结转项目"))

# ---------------------------------------------------------------- text sanitiser
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


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


def bookmark_name(path: str) -> str | None:
    """Field path → bookmark name ('projects[2].actual' → 'pe_projects_2_actual'); None if too long."""
    name = S.BOOKMARK_PREFIX + re.sub(r"[\[\].]+", "_", path).strip("_")
    if len(name) > S.BOOKMARK_MAX or not re.fullmatch(r"[A-Za-z0-9_]+", name):
        return None
    return name


def cn_index(i: int) -> str:
    if 1 <= i <= 10:
        return CN_INDEX[i - 1]
    if i < 20:
        return "十" + CN_INDEX[i - 11]
    tens, ones = divmod(i, 10)
    return CN_INDEX[tens - 1] + "十" + (CN_INDEX[ones - 1] if ones else "")


# ---------------------------------------------------------------- builder
class _Builder:
    def __init__(self, report: Report, char_grid: bool = True):
        import docx  # lazy: GUI start-up must not pay for python-docx

        self.report = report
        self.char_grid = char_grid
        self.template = get_template(report.meta.template)
        self.places = max(2, report.meta.amount_decimals or 0)
        self.doc = docx.Document()
        self.body = self.doc.element.body
        self.sect_pr = self.body.find(S.qn("w:sectPr"))
        for child in list(self.body):
            if child is not self.sect_pr:
                self.body.remove(child)
        self.table_no = 0
        self.bookmark_id = 0
        self.bookmarks_used: set[str] = set()
        self._rpr_cache: dict[tuple, object] = {}
        self._setup_styles()
        self._setup_page()
        self._setup_footers()

    # ------------------------------------------------------------ document set-up
    def _setup_styles(self) -> None:
        styles = self.doc.styles.element
        defaults = styles.find(S.qn("w:docDefaults"))
        if defaults is not None:
            rpr_default = defaults.find(S.qn("w:rPrDefault"))
            if rpr_default is not None:
                for child in list(rpr_default):
                    rpr_default.remove(child)
                rpr_default.append(S.rpr(S.FONT_BODY, S.SIZE_BODY, bold=None))
        # no theme fonts anywhere: WPS reports missing fonts, Chinese falls back otherwise
        theme_attrs = [S.qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
        for rf in styles.iter(S.qn("w:rFonts")):
            for attr in theme_attrs:
                rf.attrib.pop(attr, None)
        body_spacing = (S.LINE_PITCH, "exact")
        self._set_style("paragraph", S.STYLE_NORMAL, "Normal", None,
                        S.ppr(spacing=body_spacing, ind=S.BODY_IND, jc="both"),
                        S.rpr(S.FONT_BODY, S.SIZE_BODY))
        self._set_style("paragraph", S.STYLE_TITLE, "Title", S.STYLE_NORMAL,
                        S.ppr(keep_next=True, snap=False, spacing=body_spacing, ind=S.NO_IND, jc="center"),
                        S.rpr(S.FONT_TITLE, S.SIZE_TITLE))
        for level, style_id in S.STYLE_HEADINGS.items():
            self._set_style("paragraph", style_id, f"heading {level}", S.STYLE_NORMAL,
                            S.ppr(keep_next=True, spacing=body_spacing, ind=S.BODY_IND, jc="both",
                                  outline=level - 1),
                            S.rpr(S.HEADING_FONTS[level], S.SIZE_BODY))
        self._set_style("paragraph", S.STYLE_CAPTION, "PE Caption", S.STYLE_NORMAL,
                        S.ppr(keep_next=True, spacing=body_spacing, ind=S.NO_IND, jc="center"),
                        S.rpr(S.FONT_BODY, S.SIZE_BODY))
        self._set_style("paragraph", S.STYLE_TABLE_TEXT, "PE Table Text", S.STYLE_NORMAL,
                        S.ppr(snap=False, spacing=(240, "auto"), ind=S.NO_IND, jc="left"),
                        S.rpr(S.FONT_TABLE, S.SIZE_TABLE))
        self._set_style("paragraph", S.STYLE_FOOTER, "footer", S.STYLE_NORMAL,
                        S.ppr(snap=False, spacing=(240, "auto"), ind=S.NO_IND),
                        S.rpr(S.FONT_PAGE, S.SIZE_PAGE, latin=S.FONT_PAGE))
        self._replace_theme_fonts()

    def _set_style(self, kind, style_id, name, based_on, ppr, rpr) -> None:
        styles = self.doc.styles.element
        style = None
        for candidate in styles.findall(S.qn("w:style")):
            if candidate.get(S.qn("w:styleId")) == style_id:
                style = candidate
                break
        if style is None:
            style = S.el("w:style", {"w:type": kind, "w:styleId": style_id}, [S.el("w:name", {"w:val": name})])
            if based_on:
                style.append(S.el("w:basedOn", {"w:val": based_on}))
            style.append(S.el("w:qFormat"))
            styles.append(style)
        for tag in ("w:pPr", "w:rPr"):
            for old in style.findall(S.qn(tag)):
                style.remove(old)
        style.append(ppr)
        style.append(rpr)

    def _replace_theme_fonts(self) -> None:
        for part in self.doc.part.package.iter_parts():
            if str(part.partname).startswith("/word/theme/"):
                blob = part.blob.decode("utf-8")
                blob = re.sub(r'(<a:minorFont>\s*<a:latin typeface=")[^"]*', r"\g<1>" + S.FONT_LATIN, blob)
                blob = re.sub(r'(<a:majorFont>\s*<a:latin typeface=")[^"]*', r"\g<1>" + S.FONT_LATIN, blob)
                blob = re.sub(r'(<a:minorFont>.*?<a:ea typeface=")[^"]*', r"\g<1>" + S.FONT_BODY, blob, flags=re.S)
                blob = re.sub(r'(<a:majorFont>.*?<a:ea typeface=")[^"]*', r"\g<1>" + S.FONT_H1, blob, flags=re.S)
                blob = re.sub(r'(<a:font script="Hans" typeface=")[^"]*', r"\g<1>" + S.FONT_BODY, blob)
                part._blob = blob.encode("utf-8")

    def _setup_page(self) -> None:
        sp = self.sect_pr
        pg_sz = sp.find(S.qn("w:pgSz"))
        pg_sz.set(S.qn("w:w"), str(S.PAGE_W))
        pg_sz.set(S.qn("w:h"), str(S.PAGE_H))
        pg_sz.attrib.pop(S.qn("w:orient"), None)
        mar = sp.find(S.qn("w:pgMar"))
        for key, value in (("top", S.MARGIN_TOP), ("right", S.MARGIN_RIGHT), ("bottom", S.MARGIN_BOTTOM),
                           ("left", S.MARGIN_LEFT), ("header", S.HEADER_DIST),
                           ("footer", S.FOOTER_DIST), ("gutter", 0)):
            mar.set(S.qn(f"w:{key}"), str(value))
        grid = sp.find(S.qn("w:docGrid"))
        if grid is None:
            grid = S.el("w:docGrid")
            sp.append(grid)
        grid.set(S.qn("w:type"), "linesAndChars" if self.char_grid else "lines")
        grid.set(S.qn("w:linePitch"), str(S.LINE_PITCH))
        grid.set(S.qn("w:charSpace"), str(S.CHAR_SPACE if self.char_grid else 0))
        settings = self.doc.settings
        settings.odd_and_even_pages_header_footer = True
        lang = settings.element.find(S.qn("w:themeFontLang"))
        if lang is not None:
            lang.set(S.qn("w:eastAsia"), "zh-CN")

    def _setup_footers(self) -> None:
        section = self.doc.sections[0]
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            ftr = footer._element
            for child in list(ftr):
                ftr.remove(child)
            ftr.append(self._page_number_paragraph(odd))

    def _page_number_paragraph(self, odd: bool):
        ind = {"left": 0, "right": 280, "firstLineChars": 0, "firstLine": 0} if odd else \
              {"left": 280, "right": 0, "firstLineChars": 0, "firstLine": 0}
        p = S.el("w:p", children=[S.ppr(style=S.STYLE_FOOTER, ind=ind, jc="right" if odd else "left")])
        rp = S.rpr(S.FONT_PAGE, S.SIZE_PAGE, latin=S.FONT_PAGE)
        p.append(self._run("— ", rp))
        p.append(S.el("w:r", children=[copy.deepcopy(rp), S.el("w:fldChar", {"w:fldCharType": "begin"})]))
        instr = S.el("w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = " PAGE "
        p.append(S.el("w:r", children=[copy.deepcopy(rp), instr]))
        p.append(S.el("w:r", children=[copy.deepcopy(rp), S.el("w:fldChar", {"w:fldCharType": "separate"})]))
        p.append(self._run("1", rp))
        p.append(S.el("w:r", children=[copy.deepcopy(rp), S.el("w:fldChar", {"w:fldCharType": "end"})]))
        p.append(self._run(" —", rp))
        return p

    # ------------------------------------------------------------ primitives
    def _run_rpr(self, font: str, size: int | None = None):
        key = (font, size)
        cached = self._rpr_cache.get(key)
        if cached is None:
            cached = S.el("w:rPr", children=[S.rfonts(font)])
            if size:
                cached.append(S.el("w:sz", {"w:val": size}))
                cached.append(S.el("w:szCs", {"w:val": size}))
            self._rpr_cache[key] = cached
        return cached

    @staticmethod
    def _run(text: str, rpr):
        run = S.el("w:r", children=[copy.deepcopy(rpr)])
        pieces = text.split("\t")
        for i, piece in enumerate(pieces):
            if i:
                run.append(S.el("w:tab"))
            if piece:
                t = S.el("w:t")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                t.text = piece
                run.append(t)
        return run

    def _add(self, element) -> None:
        self.sect_pr.addprevious(element)

    def para(self, text: str, *, style: str | None = None, font: str = S.FONT_BODY,
             ppr=None) -> object:
        p = S.el("w:p")
        if ppr is not None:
            p.append(ppr)
        elif style:
            p.append(S.el("w:pPr", children=[S.el("w:pStyle", {"w:val": style})]))
        if text:
            p.append(self._run(clean_text(text), self._run_rpr(font)))
        return p

    def heading(self, text: str, level: int):
        level = max(1, min(level, 4))
        return self.para(text, style=S.STYLE_HEADINGS[level], font=S.HEADING_FONTS[level])

    def body_paragraphs(self, text: str | None) -> list:
        return [self.para(line) for line in split_paragraphs(text)]

    def amount(self, value: Decimal | None) -> str:
        return fmt_amount(value, self.places)

    # ------------------------------------------------------------ tables
    def table(self, title: str, columns: list[tuple[str, int, str]], rows: list[list[tuple]],
              unit_line: bool = True) -> list:
        """columns: (header, width in twips, align 'left'|'right'|'center');
        rows: cells as (text, bookmark path or None[, align])."""
        self.table_no += 1
        out = [self.para(f"表{self.table_no}\u3000{title}", style=S.STYLE_CAPTION)]
        if unit_line:
            out.append(self.para("单位：万元", ppr=S.ppr(style=S.STYLE_CAPTION, keep_next=True,
                                                       ind=S.NO_IND, jc="right")))
        widths = [w for _, w, _ in columns]
        total = sum(widths)
        if total > S.TEXT_WIDTH:          # never wider than the 版心 (156 mm)
            widths = [w * S.TEXT_WIDTH // total for w in widths]
            total = sum(widths)
        border = {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"}
        tbl_pr = S.el("w:tblPr", children=[
            S.el("w:tblW", {"w:w": total, "w:type": "dxa"}),
            S.el("w:jc", {"w:val": "center"}),
            S.el("w:tblBorders", children=[S.el(f"w:{side}", border) for side in
                                          ("top", "left", "bottom", "right", "insideH", "insideV")]),
            S.el("w:tblLayout", {"w:type": "fixed"}),
            S.el("w:tblCellMar", children=[S.el("w:left", {"w:w": 57, "w:type": "dxa"}),
                                           S.el("w:right", {"w:w": 57, "w:type": "dxa"})]),
            S.el("w:tblLook", {"w:val": "04A0", "w:firstRow": 1, "w:lastRow": 0, "w:firstColumn": 1,
                               "w:lastColumn": 0, "w:noHBand": 0, "w:noVBand": 1}),
        ])
        grid = S.el("w:tblGrid", children=[S.el("w:gridCol", {"w:w": w}) for w in widths])
        tbl = S.el("w:tbl", children=[tbl_pr, grid])
        header = [(h, None, "center") for h, _, _ in columns]
        tbl.append(self._row(header, widths, [c[2] for c in columns], is_header=True))
        for row in rows:
            tbl.append(self._row(row, widths, [c[2] for c in columns], is_header=False))
        out.append(tbl)
        return out

    def _row(self, cells, widths, aligns, is_header: bool):
        tr_pr = S.el("w:trPr", children=[S.el("w:cantSplit")])
        if is_header:
            tr_pr.append(S.el("w:tblHeader"))
        tr = S.el("w:tr", children=[tr_pr])
        rpr = self._run_rpr(S.FONT_TABLE)
        for i, cell in enumerate(cells):
            text, path = cell[0], cell[1]
            align = cell[2] if len(cell) > 2 else aligns[i]
            tc = S.el("w:tc", children=[S.el("w:tcPr", children=[
                S.el("w:tcW", {"w:w": widths[i], "w:type": "dxa"}), S.el("w:vAlign", {"w:val": "center"})])])
            p = S.el("w:p", children=[S.ppr(style=S.STYLE_TABLE_TEXT, jc=align)])
            name = bookmark_name(path) if path else None
            if name and name not in self.bookmarks_used:
                self.bookmarks_used.add(name)
                self.bookmark_id += 1
                p.append(S.el("w:bookmarkStart", {"w:id": self.bookmark_id, "w:name": name}))
                if text:
                    p.append(self._run(clean_text(text), rpr))
                p.append(S.el("w:bookmarkEnd", {"w:id": self.bookmark_id}))
            elif text:
                p.append(self._run(clean_text(text), rpr))
            tc.append(p)
            tr.append(tc)
        return tr

    def money_cell(self, value, path: str | None):
        return (self.amount(value), path if value is not None else None, "right")

    # ------------------------------------------------------------ figure tables
    def figure_tables(self) -> list:
        r = self.report
        out: list = []
        inc, ex = r.income, r.expenditure
        rows = []
        stated_final = inc.budget_total is not None
        for label, value, path in (
            ("年初预算", inc.budget_initial, "income.budget_initial"),
            ("调整追加", inc.budget_adjustment, "income.budget_adjustment"),
            ("全年预算", derived.budget_final(r), "income.budget_total" if stated_final else None),
            ("其他资金来源", inc.other_sources, "income.other_sources"),
            ("上年结转", inc.carryover_prior, "income.carryover_prior"),
            ("其中：财政资金", inc.fiscal_funds, "income.fiscal_funds"),
            ("支出合计", derived.total_actual(r), "expenditure.total" if ex.total is not None else None),
            ("基本支出", ex.basic, "expenditure.basic"),
            ("其中：人员经费", ex.personnel, "expenditure.personnel"),
            ("日常公用经费", ex.public_ops, "expenditure.public_ops"),
            ("项目支出", ex.project_total, "expenditure.project_total"),
            ("项目预算合计", ex.project_budget_total, "expenditure.project_budget_total"),
            ("结余结转", ex.carryover_end, "expenditure.carryover_end"),
        ):
            if value is not None:
                rows.append([(label, None), self.money_cell(value, path)])
        if rows:
            rate = derived.exec_rate(r)
            if rate is not None:
                rows.append([("预算执行率", None), (fmt_percent(rate), None, "right")])
            out += self.table("收支情况", [("项目", 4400, "left"), ("金额", 3000, "right")], rows)

        if r.projects:
            rows = []
            for i, p in enumerate(r.projects):
                final = derived.project_budget_final(p)
                rows.append([
                    (p.name, f"projects[{i}].name"),
                    (KIND_LABELS.get(p.kind, p.kind), f"projects[{i}].kind", "center"),
                    self.money_cell(p.budget_initial, f"projects[{i}].budget_initial"),
                    self.money_cell(p.budget_adjustment, f"projects[{i}].budget_adjustment"),
                    self.money_cell(final, f"projects[{i}].budget_final" if p.budget_final is not None else None),
                    self.money_cell(p.actual, f"projects[{i}].actual"),
                    self.money_cell(p.carryover, f"projects[{i}].carryover"),
                    (fmt_percent(derived.project_exec_rate(p), empty="—"), None, "right"),
                ])
            t = derived.project_totals(r)
            rows.append([("合计", None, "center"), ("", None)] + [
                (self.amount(v), None, "right") for v in
                (t.budget_initial, t.budget_adjustment, t.budget_final, t.actual, t.carryover)] + [("", None)])
            out += self.table("项目支出情况", [
                ("项目名称", 2285, "left"), ("类型", 620, "center"), ("年初预算", 990, "right"),
                ("调整", 990, "right"), ("全年预算", 990, "right"), ("实际支出", 990, "right"),
                ("结余结转", 990, "right"), ("执行率", 990, "right")], rows)

        if ex.by_function:
            rows = [[(f.code, f"expenditure.by_function[{i}].code", "center"),
                     (f.name, f"expenditure.by_function[{i}].name"),
                     self.money_cell(f.amount, f"expenditure.by_function[{i}].amount")]
                    for i, f in enumerate(ex.by_function)]
            rows.append([("合计", None, "center"), ("", None), (self.amount(derived.function_sum(r)), None, "right")])
            out += self.table("支出功能分类", [("科目编码", 1500, "center"), ("科目名称", 4500, "left"),
                                           ("金额", 2000, "right")], rows)

        if ex.by_econ:
            rows = []
            scope_names = {"basic": "基本支出", "project": "项目支出", "total": "合计口径"}
            for scope in ("basic", "project", "total"):
                lines = [(i, e) for i, e in enumerate(ex.by_econ) if e.scope == scope]
                if not lines:
                    continue
                for i, e in lines:
                    rows.append([(scope_names[scope], f"expenditure.by_econ[{i}].scope", "center"),
                                 (e.code, f"expenditure.by_econ[{i}].code", "center"),
                                 (e.name, f"expenditure.by_econ[{i}].name"),
                                 self.money_cell(e.amount, f"expenditure.by_econ[{i}].amount")])
                rows.append([(scope_names[scope], None, "center"), ("", None), ("小计", None, "center"),
                             (self.amount(derived.econ_sum(r, scope)), None, "right")])
            out += self.table("支出经济分类", [("口径", 1300, "center"), ("科目编码", 1300, "center"),
                                           ("科目名称", 3800, "left"), ("金额", 2000, "right")], rows)

        tp = r.three_public
        items = [(key, label, getattr(tp, key)) for key, label in derived.THREE_PUBLIC_ITEMS]
        if any(ba.budget is not None or ba.actual is not None for _, _, ba in items):
            rows = [[(label, None),
                     self.money_cell(ba.budget, f"three_public.{key}.budget"),
                     self.money_cell(ba.actual, f"three_public.{key}.actual")] for key, label, ba in items]
            rows.append([("合计", None, "center"),
                         (self.amount(derived.three_public_total(r, "budget")), None, "right"),
                         (self.amount(derived.three_public_total(r, "actual")), None, "right")])
            out += self.table("“三公”经费支出情况", [("项目", 3800, "left"), ("预算数", 2000, "right"),
                                                 ("实际支出", 2000, "right")], rows)
        return out

    # ------------------------------------------------------------ generated parts
    def part(self, name: str, slot: Slot) -> list:
        r = self.report
        if name == "text":
            return self.body_paragraphs(r.narrative.get(slot.id))
        if name == "duties_dot":
            return [self.para(f"{i}.{d}") for i, d in enumerate(r.profile.duties, 1) if d.strip()]
        if name == "duties_paren":
            return [self.para(f"（{cn_index(i)}）{d}") for i, d in enumerate(r.profile.duties, 1) if d.strip()]
        if name == "org_units":
            return [self.para(f"{i}.{o.name}：{o.duties}" if o.duties.strip() else f"{i}.{o.name}")
                    for i, o in enumerate(r.profile.org_units, 1) if o.name.strip() or o.duties.strip()]
        if name == "staff_sentence":
            return self._staff_sentence()
        if name == "income_sentence":
            return self._income_sentence()
        if name == "expenditure_sentence":
            return self._expenditure_sentence()
        if name == "project_lists":
            return self._project_lists()
        if name == "project_analyses":
            return self._project_analyses()
        if name == "figure_tables":
            return self.figure_tables()
        if name == "grade_sentence":
            if (r.narrative.get(slot.id) or "").strip():
                return []
            score = derived.self_score(r)
            if score is None:
                return []
            grade = r.self_eval.grade_stated or derived.grade_of(r, score)
            year = f"{r.meta.fiscal_year}年" if r.meta.fiscal_year else ""
            return [self.para(f"{year}部门整体支出绩效自评得分{fmt_plain(score)}分，等级为“{grade}”。")]
        return []

    def _staff_sentence(self) -> list:
        prof = self.report.profile
        a, b = prof.staff_authorized, derived.staff_actual(self.report)
        names = [o.name for o in prof.org_units if o.name.strip()]
        k = prof.declared_org_unit_count if prof.declared_org_unit_count is not None else (len(names) or None)
        first = []
        if a is not None:
            first.append(f"本部门共有编制人数{a}人")
        if b is not None:
            first.append(f"实有人数{b}人" if first else f"本部门实有人数{b}人")
        text = "，".join(first) + ("。" if first else "")
        if k is not None:
            text += f"内设科室{k}个" + (f"，分别为：{'、'.join(names)}。" if names else "。")
        return [self.para(text)] if text else []

    def _year(self) -> str:
        return f"{self.report.meta.fiscal_year}年" if self.report.meta.fiscal_year else ""

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
        return [self.para(text)]

    def _expenditure_sentence(self) -> list:
        ex = self.report.expenditure
        total = derived.total_actual(self.report)
        if total is None:
            return []
        parts = [f"{label}{self.amount(v)}万元" for label, v in
                 (("基本支出", ex.basic), ("项目支出", ex.project_total), ("结余结转", ex.carryover_end))
                 if v is not None]
        text = f"{self._year()}支出{self.amount(total)}万元" + ("，其中" + "，".join(parts) if parts else "") + "。"
        return [self.para(text)]

    def _project_clause(self, p) -> str:
        text = p.name
        final = derived.project_budget_final(p)
        bits = []
        if final is not None:
            bits.append(f"{text}{self.amount(final)}万元")
        else:
            bits.append(text)
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
            out.append(self.para(f"{number}．{label}{clauses}。项目实施及绩效情况如下："))
            for k, p in enumerate(group, 1):
                out.append(self.para(f"（{k}）{p.name}"))
                out += self.body_paragraphs(p.purpose)
        return out

    def _project_analyses(self) -> list:
        out = []
        number = 0
        for p in self.report.projects:
            texts = [p.purpose, p.analysis_economy, p.analysis_effectiveness, p.analysis_sustainability]
            if not any((t or "").strip() for t in texts):
                continue
            number += 1
            out.append(self.heading(f"{number}.{p.name}", 3))
            out += self.body_paragraphs(p.purpose)
            for label, text in (("经济性", p.analysis_economy), ("有效性", p.analysis_effectiveness),
                                ("可持续性", p.analysis_sustainability)):
                paras = split_paragraphs(text)
                if paras:
                    out.append(self.para(f"{label}：{paras[0]}"))
                    out += [self.para(t) for t in paras[1:]]
        return out

    # ------------------------------------------------------------ sections
    def slot(self, slot: Slot) -> list:
        content: list = []
        for name in slot.parts:
            if name != "figure_tables":
                content += self.part(name, slot)
        for child in slot.children:
            content += self.slot(child)
        if "figure_tables" in slot.parts:
            content += self.part("figure_tables", slot)
        if not content and slot.level > 1:
            return []
        heading = self.report.headings.get(slot.id) or numbered_heading(slot)
        return [self.heading(heading, slot.level)] + content

    def header_block(self) -> None:
        meta = self.report.meta
        self._add(self.para(report_title(meta.unit_name, meta.fiscal_year), style=S.STYLE_TITLE, font=S.FONT_TITLE))
        self._add(self.para("", ppr=S.ppr(ind=S.NO_IND)))
        self._add(self.para(f"单位名称（盖章）：{meta.unit_name}", ppr=S.ppr(ind=S.NO_IND)))

    def signature(self) -> None:
        meta = self.report.meta
        if not meta.unit_name.strip() and not meta.report_date.strip():
            return
        self._add(self.para(""))
        if meta.unit_name.strip():
            self._add(self.para(meta.unit_name, ppr=S.ppr(ind=S.NO_IND, jc="right")))
        if meta.report_date.strip():
            self._add(self.para(format_date(meta.report_date),
                                ppr=S.ppr(ind={"right": 1280, "rightChars": 400, "firstLineChars": 0,
                                               "firstLine": 0}, jc="right")))

    def appendix(self) -> None:
        r = self.report
        label_ppr = S.ppr(style=S.STYLE_HEADINGS[1], page_break_before=True, ind=S.NO_IND, jc="left")
        self._add(self.para(APPENDIX_TITLE, ppr=label_ppr, font=S.FONT_H1))
        nodes = r.scoring.nodes
        if not nodes:
            self._add(self.para("评分表未填写"))
            return
        order = _tree_order(nodes)
        rows = []
        for i in order:
            n = nodes[i]
            level = n.level if n.level in (1, 2, 3) else 3
            names = [("", None), ("", None), ("", None)]
            names[level - 1] = (n.name, f"scoring.nodes[{i}].name")
            target = n.target_text or fmt_plain(n.target)
            achieved = n.achieved_text or fmt_plain(n.achieved)
            score = derived.node_score(nodes, n)
            rows.append(names + [
                (fmt_plain(n.weight), f"scoring.nodes[{i}].weight", "right"),
                (target, None, "center"), (achieved, None, "center"),
                (fmt_plain(score), f"scoring.nodes[{i}].score_stated" if n.score_stated is not None else None,
                 "right"),
                (n.deviation_reason, None)])
        total = derived.scoring_total(r)
        grade = derived.grade_of(r, total)
        rows.append([("合计", None, "center"), ("", None), ("", None), ("", None), ("", None), ("", None),
                     (fmt_plain(total), None, "right"), (f"等级：{grade}" if grade else "", None, "center")])
        self._add_all(self.table("部门整体支出绩效自评评分表", [
            ("一级指标", 900, "center"), ("二级指标", 1000, "center"), ("三级指标", 1600, "left"),
            ("分值", 700, "right"), ("指标值", 1050, "center"), ("完成值", 1050, "center"),
            ("得分", 700, "right"), ("偏差原因", 1845, "left")], rows, unit_line=False))

    def _add_all(self, elements) -> None:
        for element in elements:
            self._add(element)

    def embed_model(self) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from lxml import etree

        root = etree.Element(f"{{{S.MODEL_NS}}}{S.MODEL_ROOT}", nsmap={None: S.MODEL_NS})
        root.text = model_payload(self.report)
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        package = self.doc.part.package
        item_name = package.next_partname("/customXml/item%d.xml")
        props_name = PackURI(f"/customXml/itemProps{item_name.idx}.xml")
        item = Part(item_name, "application/xml", blob, package)
        props_blob = (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
            '<ds:datastoreItem ds:itemID="{6F1B4D0C-2A47-4E8B-9C1E-50A1C0DE0001}" '
            'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
            f'<ds:schemaRefs><ds:schemaRef ds:uri="{S.MODEL_NS}"/></ds:schemaRefs></ds:datastoreItem>'
        ).encode("utf-8")
        props = Part(props_name,
                     "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                     props_blob, package)
        item.relate_to(props, RT.CUSTOM_XML_PROPS)
        self.doc.part.relate_to(item, RT.CUSTOM_XML)

    def set_properties(self) -> None:
        cp = self.doc.core_properties
        meta = self.report.meta
        cp.title = clean_text(report_title(meta.unit_name, meta.fiscal_year))[:255]
        cp.author = clean_text(meta.unit_name)[:255]
        cp.language = "zh-CN"
        cp.comments = ""

    def build(self, progress: Progress | None) -> bytes:
        sections = self.template.sections
        total = len(sections) + 3
        step = 0

        def tick():
            nonlocal step
            step += 1
            if progress is not None:
                progress(step, total)

        self.header_block()
        tick()
        for section in sections:
            self._add_all(self.slot(section))
            tick()
        self.signature()
        self.appendix()
        tick()
        self.embed_model()
        self.set_properties()
        buf = io.BytesIO()
        self.doc.save(buf)
        tick()
        return buf.getvalue()


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

    def walk(i: int) -> None:
        if i in seen:
            return
        seen.add(i)
        out.append(i)
        for child in by_parent.get(nodes[i].id, []):
            walk(child)

    for i in roots:
        walk(i)
    for i in range(len(nodes)):      # cycles: print the rest in list order
        walk(i)
    return out


def model_payload(report: Report) -> str:
    """The project-file JSON envelope (as io/project_file.report_to_bytes writes it), ASCII-escaped
    so that any text of the model — lone surrogates and control characters included — fits in XML."""
    from .. import __version__
    from .project_file import ENVELOPE_ATTR, FORMAT_NAME, FORMAT_VERSION

    data: dict = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "app_version": __version__,
                  "saved_at": datetime.now().isoformat(timespec="seconds")}
    extra = getattr(report, ENVELOPE_ATTR, None)
    if extra:
        for key, value in extra.items():
            data.setdefault(key, value)
    data["report"] = report_to_data(report)
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


def build_docx_bytes(report: Report, *, progress: Progress | None = None, char_grid: bool = True) -> bytes:
    """The .docx file content for ``report`` (no file written).

    ``char_grid=False`` writes a line grid only (docGrid type "lines"): for LibreOffice previews.
    LibreOffice 7.4 gives every 16 pt glyph two cells of the official 15.79 pt character grid
    (charSpace −848), which spreads the text; Word and WPS compress the glyphs into the grid.
    """
    return _Builder(report, char_grid).build(progress)


def export_docx(report: Report, path: str | Path, *, progress: Progress | None = None) -> None:
    """Write ``report`` as a .docx to ``path`` atomically.

    Raises :class:`perfeval_gui.io.atomic.WriteError` (Chinese message naming the file) when the
    file cannot be written; the target is then left as it was and no temporary file remains.
    """
    data = build_docx_bytes(report, progress=progress)
    atomic_write(Path(path), lambda fh: fh.write(data))


__all__ = ["export_docx", "build_docx_bytes", "clean_text", "split_paragraphs", "format_date",
           "bookmark_name", "model_payload"]
