"""Word export (DOMAIN.md §9): the report as a .docx in the official layout.

What is printed is decided once in :mod:`perfeval_gui.io.layout` (the block list); this module
only writes those blocks as OOXML. The full model is embedded as ``customXml/item1.xml`` (the
project-file JSON envelope) and figure-table cells carry bookmarks named after their field path,
so :func:`perfeval_gui.io.docx_import.import_docx` reads it back exactly. Writing goes through
:func:`perfeval_gui.io.atomic.atomic_write`. Layout choices and their measurements:
docs/word-layout.md.

Paragraph styles the importer may rely on: ``PECaption`` (table title), ``PEUnit`` (单位：万元),
``PEReference`` (the generated "…详见表N。" sentence), ``PESignature`` (unit name and date),
``Title`` and ``Heading1``–``Heading4``; everything else is Normal body text.
"""
from __future__ import annotations

import copy
import io
import json
import re
from dataclasses import field
from datetime import datetime, UTC
from pathlib import Path
from collections.abc import Callable

from ..core.records import record
from ..core.model import Report
from ..core.serialize import report_to_data, storable_data
from . import docx_style as S
from .atomic import atomic_write
from .layout import (Cell, Heading, Layout, PageBreak, Para, Table, Title, build_layout, clean_text, format_date,
                     split_paragraphs)

Progress = Callable[[int, int], None]


@record
class ExportResult:
    """What the officer is told after an export."""
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    draft_errors: int = 0
    route: str = "docx"        # docx | office (PDF via LibreOffice) | qt (PDF rendered by Qt)


def bookmark_name(path: str) -> str | None:
    """Field path → bookmark name ('projects[2].actual' → 'pe_projects_2_actual'); None if too long."""
    name = S.BOOKMARK_PREFIX + re.sub(r"[\[\].]+", "_", path).strip("_")
    if len(name) > S.BOOKMARK_MAX or not re.fullmatch(r"[A-Za-z0-9_]+", name):
        return None
    return name


_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_AFTER_TABLE = (S.LINE_PITCH, "exact", S.LINE_PITCH // 2)     # half a line between a table and the text


# ---------------------------------------------------------------- writer
class _Writer:
    def __init__(self, report: Report, layout: Layout):
        import docx  # lazy: GUI start-up must not pay for python-docx

        self.report = report
        self.layout = layout
        self.doc = docx.Document()
        self.body = self.doc.element.body
        self.sect_pr = self.body.find(S.qn("w:sectPr"))
        for child in list(self.body):
            if child is not self.sect_pr:
                self.body.remove(child)
        self.bookmark_id = 0
        self.bookmarks_used: set[str] = set()
        self._rpr_cache: dict[tuple, object] = {}
        self._setup_styles()
        self._setup_page()
        self._setup_footers()
        if layout.draft_mark:
            self._setup_draft_headers(layout.draft_mark)

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
        cs = S.CHAR_SPACING
        self._set_style("paragraph", S.STYLE_NORMAL, "Normal", None,
                        S.ppr(cjk_rules=True, spacing=body_spacing, ind=S.BODY_IND, jc="both"),
                        S.rpr(S.FONT_BODY, S.SIZE_BODY, spacing=cs))
        self._set_style("paragraph", S.STYLE_TITLE, "Title", S.STYLE_NORMAL,
                        S.ppr(keep_next=True, snap=False, spacing=body_spacing, ind=S.NO_IND, jc="center"),
                        S.rpr(S.FONT_TITLE, S.SIZE_TITLE))
        for level, style_id in S.STYLE_HEADINGS.items():
            self._set_style("paragraph", style_id, f"heading {level}", S.STYLE_NORMAL,
                            S.ppr(keep_next=True, keep_lines=True, spacing=body_spacing, ind=S.BODY_IND, jc="both",
                                  outline=level - 1),
                            S.rpr(S.HEADING_FONTS[level], S.SIZE_BODY, bold=S.HEADING_BOLD[level], spacing=cs))
        self._set_style("paragraph", S.STYLE_CAPTION, "PE Caption", S.STYLE_NORMAL,
                        S.ppr(keep_next=True, spacing=body_spacing, ind=S.NO_IND, jc="center"),
                        S.rpr(S.FONT_BODY, S.SIZE_BODY, spacing=cs))
        self._set_style("paragraph", S.STYLE_UNIT, "PE Unit", S.STYLE_NORMAL,
                        S.ppr(keep_next=True, snap=False, spacing=(360, "exact"), ind=S.NO_IND, jc="right"),
                        S.rpr(S.FONT_TABLE, S.SIZE_TABLE))
        self._set_style("paragraph", S.STYLE_REFERENCE, "PE Reference", S.STYLE_NORMAL,
                        S.ppr(keep_next=True, spacing=(S.LINE_PITCH, "exact", S.LINE_PITCH // 2)),
                        S.rpr(S.FONT_BODY, S.SIZE_BODY, spacing=cs))
        self._set_style("paragraph", S.STYLE_SIGNATURE, "PE Signature", S.STYLE_NORMAL,
                        S.ppr(ind=S.NO_IND, jc="right"), S.rpr(S.FONT_BODY, S.SIZE_BODY, spacing=cs))
        self._set_style("paragraph", S.STYLE_TABLE_TEXT, "PE Table Text", S.STYLE_NORMAL,
                        S.ppr(snap=False, spacing=(S.TABLE_LINE, "exact"), ind=S.NO_IND, jc="left"),
                        S.rpr(S.FONT_TABLE, S.SIZE_TABLE))
        self._set_style("paragraph", S.STYLE_FOOTER, "footer", S.STYLE_NORMAL,
                        S.ppr(snap=False, spacing=(240, "auto"), ind=S.NO_IND),
                        S.rpr(S.FONT_PAGE, S.SIZE_PAGE, latin=S.FONT_PAGE))
        self._set_style("paragraph", S.STYLE_HEADER, "header", S.STYLE_NORMAL,
                        S.ppr(snap=False, spacing=(240, "auto"), ind=S.NO_IND, jc="center"),
                        S.rpr(S.FONT_H1, S.SIZE_PAGE, color=S.DRAFT_COLOR))
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
        grid.set(S.qn("w:type"), "lines")
        grid.set(S.qn("w:linePitch"), str(S.LINE_PITCH))
        grid.attrib.pop(S.qn("w:charSpace"), None)
        self._setup_settings()

    def _setup_settings(self) -> None:
        """settings.xml: zoom with its required percent, even/odd footers, compatibility mode 15
        (Word 2013+; 14 opens the file in 兼容模式), no preview picture, Chinese theme language."""
        settings = self.doc.settings
        settings.odd_and_even_pages_header_footer = True
        el = settings.element
        zoom = el.find(S.qn("w:zoom"))
        if zoom is not None:
            zoom.attrib.pop(S.qn("w:val"), None)
            zoom.set(S.qn("w:percent"), "100")
        for tag in ("w:savePreviewPicture", "w:rsids", "w:proofState"):
            for node in el.findall(S.qn(tag)):
                el.remove(node)
        for cs in el.iter(S.qn("w:compatSetting")):
            if cs.get(S.qn("w:name")) == "compatibilityMode":
                cs.set(S.qn("w:val"), "15")
        lang = el.find(S.qn("w:themeFontLang"))
        if lang is not None:
            lang.set(S.qn("w:eastAsia"), "zh-CN")
        for node in el.iter():
            if node.tag == f"{{{_W14}}}docId":
                node.getparent().remove(node)
                break

    def _setup_footers(self) -> None:
        section = self.doc.sections[0]
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            ftr = footer._element
            for child in list(ftr):
                ftr.remove(child)
            ftr.append(self._page_number_paragraph(odd))

    def _setup_draft_headers(self, mark: str) -> None:
        section = self.doc.sections[0]
        rp = S.rpr(S.FONT_H1, S.SIZE_PAGE, color=S.DRAFT_COLOR, bold=True)
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            hdr = header._element
            for child in list(hdr):
                hdr.remove(child)
            p = S.el("w:p", children=[S.ppr(style=S.STYLE_HEADER, jc="center")])
            p.append(self._run(clean_text(mark), rp))
            hdr.append(p)

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
    def _run_rpr(self, font: str, size: int | None = None, bold: bool = False, spacing: int | None = None):
        key = (font, size, bold, spacing)
        cached = self._rpr_cache.get(key)
        if cached is None:
            cached = S.el("w:rPr", children=[S.rfonts(font)])
            if bold:
                cached.append(S.el("w:b"))
                cached.append(S.el("w:bCs"))
            if spacing:
                cached.append(S.el("w:spacing", {"w:val": spacing}))
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

    def para(self, text: str, ppr, font: str = S.FONT_BODY, bold: bool = False, body: bool = True):
        p = S.el("w:p", children=[ppr])
        if text:
            p.append(self._run(text, self._run_rpr(font, bold=bold, spacing=S.CHAR_SPACING if body else None)))
        return p

    # ------------------------------------------------------------ blocks
    def write(self, block) -> None:
        if isinstance(block, Para):
            self._add(self._para(block))
        elif isinstance(block, Heading):
            level = max(1, min(block.level, 4))
            ppr = S.ppr(style=S.STYLE_HEADINGS[level], page_break_before=block.page_break_before,
                        spacing=_AFTER_TABLE if block.space_before else None,
                        ind=S.NO_IND if not block.numbered else None, jc="left" if not block.numbered else None)
            self._add(self.para(block.text, ppr, S.HEADING_FONTS[level], S.HEADING_BOLD[level]))
        elif isinstance(block, Title):
            p = S.el("w:p", children=[S.ppr(style=S.STYLE_TITLE)])
            rpr = self._run_rpr(S.FONT_TITLE)
            for k, line in enumerate(block.lines or [block.text]):
                if k:
                    p.append(S.el("w:r", children=[copy.deepcopy(rpr), S.el("w:br")]))
                p.append(self._run(line, rpr))
            self._add(p)
        elif isinstance(block, Table):
            for element in self.table(block):
                self._add(element)
        elif isinstance(block, PageBreak):
            self._add(S.el("w:p", children=[S.el("w:r", children=[S.el("w:br", {"w:type": "page"})])]))

    def _para(self, block: Para):
        if block.kind == "body":
            if block.keep_next or block.space_before:
                return self.para(block.text, S.ppr(keep_next=block.keep_next,
                                                   spacing=_AFTER_TABLE if block.space_before else None))
            return self.para(block.text, S.el("w:pPr"))
        if block.kind == "reference":
            return self.para(block.text, S.ppr(style=S.STYLE_REFERENCE))
        if block.kind == "signature":
            right = int(round(block.right_chars * S.CHAR_PITCH_TW))
            return self.para(block.text, S.ppr(style=S.STYLE_SIGNATURE, keep_next=block.keep_next,
                                               ind={"right": right, "firstLineChars": 0, "firstLine": 0}))
        return self.para(block.text, S.ppr(ind=S.NO_IND, keep_next=block.keep_next,
                                           spacing=_AFTER_TABLE if block.space_before else None,
                                           jc=None if block.align == "both" else block.align))

    def table(self, t: Table) -> list:
        out = [self.para(f"表{t.number}\u3000{t.title}", S.ppr(style=S.STYLE_CAPTION))]
        total = t.width
        if t.unit:
            # the unit line ends at the table's right edge (the table is centred in the 版心)
            inset = max((S.TEXT_WIDTH - total) // 2, 0)
            out.append(self.para(t.unit, S.ppr(style=S.STYLE_UNIT, ind={"left": inset, "right": inset,
                                                                     "firstLineChars": 0, "firstLine": 0}),
                                 S.FONT_TABLE, body=False))
        border = {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "000000"}
        tbl_pr = S.el("w:tblPr", children=[
            S.el("w:tblW", {"w:w": total, "w:type": "dxa"}),
            S.el("w:jc", {"w:val": "center"}),
            S.el("w:tblBorders", children=[S.el(f"w:{side}", border) for side in
                                          ("top", "left", "bottom", "right", "insideH", "insideV")]),
            S.el("w:tblLayout", {"w:type": "fixed"}),
            S.el("w:tblCellMar", children=[
                S.el("w:top", {"w:w": S.CELL_MARGIN_TB, "w:type": "dxa"}),
                S.el("w:left", {"w:w": S.CELL_MARGIN_LR, "w:type": "dxa"}),
                S.el("w:bottom", {"w:w": S.CELL_MARGIN_TB, "w:type": "dxa"}),
                S.el("w:right", {"w:w": S.CELL_MARGIN_LR, "w:type": "dxa"})]),
            S.el("w:tblLook", {"w:val": "04A0", "w:firstRow": 1, "w:lastRow": 0, "w:firstColumn": 1,
                               "w:lastColumn": 0, "w:noHBand": 0, "w:noVBand": 1}),
        ])
        grid = S.el("w:tblGrid", children=[S.el("w:gridCol", {"w:w": w}) for w in t.widths])
        tbl = S.el("w:tbl", children=[tbl_pr, grid])
        rows = [t.header] + t.rows
        n = len(rows)
        # no row alone on a page: a table shorter than a page is kept in one piece (every row
        # keeps with the next); a longer one keeps its header with 2 rows and its last 3 rows
        # (合计 included) together.
        whole = n <= S.ROWS_PER_PAGE
        for k, row in enumerate(rows):
            keep = k < n - 1 and (whole or k < 3 or k >= n - 3)
            tbl.append(self._row(row, t.widths, is_header=(k == 0), keep_next=keep, size=t.font_size))
        out.append(tbl)
        return out

    def _row(self, cells: list[Cell], widths: list[int], is_header: bool, keep_next: bool, size: int = S.SIZE_TABLE):
        small = size != S.SIZE_TABLE
        tr_pr = S.el("w:trPr", children=[S.el("w:cantSplit")])
        if is_header:
            tr_pr.append(S.el("w:tblHeader"))
        tr = S.el("w:tr", children=[tr_pr])
        col = 0
        for cell in cells:
            width = sum(widths[col:col + cell.span])
            tc_pr = S.el("w:tcPr", children=[S.el("w:tcW", {"w:w": width, "w:type": "dxa"})])
            if cell.span > 1:
                tc_pr.append(S.el("w:gridSpan", {"w:val": cell.span}))
            if cell.merge:
                tc_pr.append(S.el("w:vMerge", {"w:val": "restart"}) if cell.merge == "restart" else S.el("w:vMerge"))
            tc_pr.append(S.el("w:vAlign", {"w:val": "center"}))
            tc = S.el("w:tc", children=[tc_pr])
            p = S.el("w:p", children=[S.ppr(style=S.STYLE_TABLE_TEXT, keep_next=keep_next, jc=cell.align,
                                            spacing=(S.TABLE_LINE_SMALL, "exact") if small else None)])
            rpr = self._run_rpr(S.FONT_TABLE, size=size if small else None, bold=cell.bold)
            name = bookmark_name(cell.path) if cell.path else None
            if name and name not in self.bookmarks_used:
                self.bookmarks_used.add(name)
                self.bookmark_id += 1
                p.append(S.el("w:bookmarkStart", {"w:id": self.bookmark_id, "w:name": name}))
                if cell.text:
                    p.append(self._run(cell.text, rpr))
                p.append(S.el("w:bookmarkEnd", {"w:id": self.bookmark_id}))
            elif cell.text:
                p.append(self._run(cell.text, rpr))
            tc.append(p)
            tr.append(tc)
            col += cell.span
        return tr

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
        ).encode()
        props = Part(props_name,
                     "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                     props_blob, package)
        item.relate_to(props, RT.CUSTOM_XML_PROPS)
        self.doc.part.relate_to(item, RT.CUSTOM_XML)

    def set_properties(self) -> None:
        """Core and app properties that tell the truth: title, author = the unit, created and
        modified now, this program as the application; no thumbnail."""
        from .. import __version__
        cp = self.doc.core_properties
        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        cp.title = self.layout.title[:255]
        cp.author = self.layout.author[:255]
        cp.last_modified_by = self.layout.author[:255]
        cp.created = now
        cp.modified = now
        cp.revision = 1
        cp.language = "zh-CN"
        cp.comments = ""
        cp.subject = "部门整体支出绩效自评报告"
        cp.keywords = ""
        cp.category = ""
        package = self.doc.part.package
        app_xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'<Template>Normal.dotm</Template><TotalTime>0</TotalTime>'
            f'<Application>绩效自评报告助手 perfeval_gui {__version__}</Application>'
            '<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>'
            f'<Company>{_xml_escape(self.layout.author)}</Company>'
            '<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
            '<HyperlinksChanged>false</HyperlinksChanged></Properties>').encode()
        for rel in list(package.rels.values()):
            target = rel.target_part if not rel.is_external else None
            if target is None:
                continue
            name = str(target.partname)
            if name.startswith("/docProps/thumbnail"):
                package.rels.pop(rel.rId)
            elif name == "/docProps/app.xml":
                target._blob = app_xml
        self._write_font_table()

    def _write_font_table(self) -> None:
        """word/fontTable.xml: the fonts the document uses with their fallbacks (altName chain
        仿宋_GB2312 → 仿宋 → FangSong …) and the GB2312 character set, instead of the Japanese
        fonts of python-docx's template."""
        fonts = []
        order = [S.FONT_LATIN, S.FONT_BODY, S.FONT_TITLE, S.FONT_H1, S.FONT_H2, S.FONT_PAGE, "仿宋", "楷体",
                 "FangSong", "KaiTi", "SimHei", "SimSun"]
        for name in order:
            alt = S.FONT_FALLBACKS.get(name, [])
            latin = name == S.FONT_LATIN or name.isascii() and name not in ("FangSong", "KaiTi", "SimHei", "SimSun")
            charset = "00" if latin else "86"
            family = "roman" if name in (S.FONT_LATIN, S.FONT_PAGE, "SimSun", S.FONT_TITLE) else "modern"
            pitch = "variable" if latin else "fixed"
            fonts.append(
                f'<w:font w:name="{_xml_escape(name)}">'
                + (f'<w:altName w:val="{_xml_escape(alt[0])}"/>' if alt else "")
                + f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
        xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               + "".join(fonts) + '</w:fonts>').encode("utf-8")
        for rel in self.doc.part.rels.values():
            if not rel.is_external and str(rel.target_part.partname) == "/word/fontTable.xml":
                rel.target_part._blob = xml

    def build(self, progress: Progress | None) -> bytes:
        blocks = self.layout.blocks
        total = len(blocks) + 2
        step = 0
        every = max(1, len(blocks) // 20)
        for k, block in enumerate(blocks, 1):
            self.write(block)
            if progress is not None and (k % every == 0 or k == len(blocks)):
                progress(k, total)
        step = len(blocks)
        self.embed_model()
        self.set_properties()
        step += 1
        if progress is not None:
            progress(step, total)
        buf = io.BytesIO()
        self.doc.save(buf)
        step += 1
        if progress is not None:
            progress(step, total)
        return buf.getvalue()


def _xml_escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


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
    # the text a project file may hold (lone surrogates and control characters dropped, as on the page)
    data["report"] = storable_data(report_to_data(report))
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


def build_docx_bytes(report: Report, *, progress: Progress | None = None, layout: Layout | None = None,
                     draft_errors: int | None = None) -> bytes:
    """The .docx file content for ``report`` (no file written); ``layout`` when already built."""
    if layout is None:
        layout = build_layout(report, draft_errors)
    return _Writer(report, layout).build(progress)


def export_docx(report: Report, path: str | Path, *, progress: Progress | None = None,
                draft_errors: int | None = None, layout: Layout | None = None) -> ExportResult:
    """Write ``report`` as a .docx to ``path`` atomically; returns the warnings for the officer
    (parts left out, missing date …) and the number of errors the draft mark names.

    ``draft_errors``: errors the caller's checker found (None: checked here). A report with errors
    carries "草稿：本报告尚有 N 个错误，不得报送" in the header of every page.
    Raises :class:`perfeval_gui.io.atomic.WriteError` (Chinese message naming the file) when the
    file cannot be written; the target is then left as it was and no temporary file remains.
    """
    if layout is None:
        layout = build_layout(report, draft_errors)
    data = build_docx_bytes(report, progress=progress, layout=layout)
    atomic_write(Path(path), lambda fh: fh.write(data))
    return ExportResult(Path(path), list(layout.warnings), layout.draft_errors)


__all__ = ["export_docx", "build_docx_bytes", "clean_text", "split_paragraphs", "format_date",
           "bookmark_name", "model_payload", "ExportResult"]
