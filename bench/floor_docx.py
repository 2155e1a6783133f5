"""Word floor: python-docx's public API writing the same styled content as our export.

:func:`extract` reads our exported file back (python-docx): the page set-up, the paragraph styles
it uses (font, East-Asian font, size, alignment, indent, line spacing, keep-with-next), every body
paragraph (text, style, alignment, indent override, page break, East-Asian font of its runs) and every
table (column widths, header rows, each cell's text, alignment and font), and the footer line.
:func:`write` builds that document the way a straightforward python-docx program would: styles set
up once through ``doc.styles``, ``add_paragraph(style=…)`` / ``add_run`` with the fonts on each run,
``add_table`` with "Table Grid" borders, widths and header rows, a ``PAGE`` field in the footers.
No bookmarks and no embedded model (those are ours only), so the floor does strictly less work.
"""
from __future__ import annotations

import io

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _east_asia(rpr) -> str | None:
    if rpr is None:
        return None
    fonts = rpr.find(f"{W}rFonts")
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def _style_info(style) -> dict:
    f, pf = style.font, style.paragraph_format
    return {"font": f.name, "east_asia": _east_asia(style.element.find(f"{W}rPr")),
            "size": f.size, "bold": f.bold, "alignment": pf.alignment, "first_line_indent": pf.first_line_indent,
            "line_spacing": pf.line_spacing, "line_spacing_rule": pf.line_spacing_rule,
            "keep_with_next": pf.keep_with_next, "space_before": pf.space_before, "space_after": pf.space_after}


def _para_info(p) -> dict:
    pf = p.paragraph_format
    runs = p.runs
    return {"text": p.text, "style": p.style.name if p.style is not None else None, "alignment": p.alignment,
            "first_line_indent": pf.first_line_indent, "page_break_before": pf.page_break_before,
            "keep_with_next": pf.keep_with_next,
            "font": runs[0].font.name if runs else None,
            "east_asia": _east_asia(runs[0]._element.find(f"{W}rPr")) if runs else None}


def extract(docx_bytes: bytes) -> dict:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(io.BytesIO(docx_bytes))
    sec = doc.sections[0]
    page = {k: getattr(sec, k) for k in ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin",
                                         "right_margin", "header_distance", "footer_distance")}
    body, used = [], set()
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            info = _para_info(Paragraph(child, doc))
            used.add(info["style"])
            body.append(("p", info))
        elif tag == "tbl":
            table = Table(child, doc)
            rows = []
            header_rows = 0
            for row in table.rows:
                if row._tr.trPr is not None and row._tr.trPr.find(f"{W}tblHeader") is not None:
                    header_rows += 1
                cells = []
                for cell in row.cells:
                    p = cell.paragraphs[0]
                    info = _para_info(p)
                    used.add(info["style"])
                    cells.append(info)
                rows.append(cells)
            widths = [int(g.get(f"{W}w")) for g in child.find(f"{W}tblGrid")]
            body.append(("t", {"rows": rows, "widths": widths, "header_rows": header_rows}))
    used.discard(None)
    styles = {name: _style_info(doc.styles[name]) for name in sorted(used)}
    footer = sec.footer.paragraphs[0].text if sec.footer.paragraphs else ""
    return {"page": page, "styles": styles, "body": body, "footer": footer}


def _set_east_asia(element, font: str | None) -> None:
    if not font:
        return
    from docx.oxml.ns import qn
    rpr = element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _apply_style(style, info: dict) -> None:
    f, pf = style.font, style.paragraph_format
    if info["font"]:
        f.name = info["font"]
    _set_east_asia(style.element, info["east_asia"])
    if info["size"] is not None:
        f.size = info["size"]
    if info["bold"] is not None:
        f.bold = info["bold"]
    for key in ("alignment", "first_line_indent", "keep_with_next", "space_before", "space_after"):
        if info[key] is not None:
            setattr(pf, key, info[key])
    if info["line_spacing"] is not None:
        pf.line_spacing = info["line_spacing"]
        if info["line_spacing_rule"] is not None:
            pf.line_spacing_rule = info["line_spacing_rule"]


def _fill_paragraph(p, info: dict, style) -> None:
    if style is not None and style.name != "Normal":
        # Paragraph.style = … looks the default style up on every call (~1 ms); a program that
        # cares sets the style id directly, which is what the floor should cost
        p._p.style = style.style_id
    if info["alignment"] is not None:
        p.alignment = info["alignment"]
    pf = p.paragraph_format
    if info["first_line_indent"] is not None:
        pf.first_line_indent = info["first_line_indent"]
    if info["page_break_before"]:
        pf.page_break_before = True
    if info["keep_with_next"]:
        pf.keep_with_next = True
    if info["text"]:
        run = p.add_run(info["text"])
        if info["font"]:
            run.font.name = info["font"]
        _set_east_asia(run._element, info["east_asia"])


def _page_field(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def write(content: dict) -> bytes:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.shared import Twips

    doc = docx.Document()
    sec = doc.sections[0]
    for key, value in content["page"].items():
        setattr(sec, key, value)
    styles = {}
    for name, info in content["styles"].items():
        try:
            style = doc.styles[name]
        except KeyError:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
        _apply_style(style, info)
        styles[name] = style
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((sec.footer, 2), (sec.even_page_footer, 0)):
        _page_field(footer.paragraphs[0])
        footer.paragraphs[0].alignment = align
    for kind, value in content["body"]:
        if kind == "p":
            _fill_paragraph(doc.add_paragraph(), value, styles.get(value["style"]))
            continue
        rows, widths = value["rows"], value["widths"]
        table = doc.add_table(rows=len(rows), cols=len(widths))
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = Twips(width)
        for r, row in enumerate(rows):
            tr = table.rows[r]
            if r < value["header_rows"]:
                tr._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for c, (cell, info) in enumerate(zip(tr.cells, row)):
                cell.width = Twips(widths[c])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                _fill_paragraph(cell.paragraphs[0], info, styles.get(info["style"]))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
