"""Word floor: python-docx writing the same paragraphs and tables, no styling logic.

``content`` is what :func:`extract` read from our exported file: a list of
("p", text) and ("t", rows) items in body order."""
from __future__ import annotations

import io


def extract(docx_bytes: bytes) -> list:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(io.BytesIO(docx_bytes))
    out = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(("p", Paragraph(child, doc).text))
        elif tag == "tbl":
            out.append(("t", [[c.text for c in row.cells] for row in Table(child, doc).rows]))
    return out


def write(content: list) -> bytes:
    import docx

    doc = docx.Document()
    for kind, value in content:
        if kind == "p":
            doc.add_paragraph(value)
        else:
            cols = max((len(r) for r in value), default=1)
            table = doc.add_table(rows=len(value), cols=cols)
            for r, row in enumerate(value):
                cells = table.rows[r].cells
                for c, text in enumerate(row):
                    cells[c].text = text
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
