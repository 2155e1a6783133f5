"""Hand-made .xlsx files (zip + XML written directly): fast, streaming, and able to hold what
openpyxl would refuse to write (odd sheet names, DDE formulas, external links, lying sizes)."""
from __future__ import annotations

import zipfile
from pathlib import Path
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from perfeval_gui.io.excel_book import col_letter as col

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def cell_xml(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):               # ("f", formula, cached) : a formula cell
        _, formula, cached = value
        if cached is None:
            return f'<c r="{ref}"><f>{escape(formula)}</f></c>'
        if isinstance(cached, str):
            return f'<c r="{ref}" t="str"><f>{escape(formula)}</f><v>{escape(cached)}</v></c>'
        return f'<c r="{ref}"><f>{escape(formula)}</f><v>{cached}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, RawV):
        return f'<c r="{ref}"{value.attrs}><v>{value.text}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


class RawV:
    """A cell written exactly as given: <c r=.. {attrs}><v>{text}</v></c>."""
    def __init__(self, text: str, attrs: str = "") -> None:
        self.text, self.attrs = text, attrs


def write_xlsx(path: Path, sheets: list[tuple[str, Iterable[list]]], *, extra_parts: dict[str, bytes] | None = None,
               workbook_extra: str = "", workbook_rels_extra: str = "", compresslevel: int = 1) -> Path:
    """sheets: (name, rows); rows are lists of cell values (streamed, never held in memory)."""
    sheet_entries = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, 1))
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{RNS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1))
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/xl/workbook.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                    f'{overrides}</Types>')
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{RNS}/officeDocument" Target="xl/workbook.xml"/>'
                    '</Relationships>')
        zf.writestr("xl/workbook.xml",
                    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{RNS}">'
                    f'<sheets>{sheet_entries}</sheets>{workbook_extra}</workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels",
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'{rels}{workbook_rels_extra}</Relationships>')
        for i, (_, rows) in enumerate(sheets, 1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w") as fh:
                fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}" xmlns:r="{RNS}">'
                         "<sheetData>".encode())
                buf = []
                for r, row in enumerate(rows, 1):
                    if isinstance(row, str):         # pre-rendered <row> element (fast path)
                        buf.append(row)
                        continue
                    cells = "".join(cell_xml(f"{col(c)}{r}", v) for c, v in enumerate(row, 1))
                    buf.append(f'<row r="{r}">{cells}</row>')
                    size = getattr(fh, "_buffered", 0) + len(buf[-1])
                    fh._buffered = size
                    if len(buf) >= 5000 or size > (1 << 20):
                        fh.write("".join(buf).encode())
                        buf.clear()
                        fh._buffered = 0
                fh.write(("".join(buf) + "</sheetData></worksheet>").encode())
        for name, data in (extra_parts or {}).items():
            zf.writestr(name, data)
    return path


def kv_sheet(name: str, pairs: list[tuple[str, object]]) -> tuple[str, list[list]]:
    """One of our template's key-value sheets (字段 | 数值 | 说明 | 字段代码)."""
    rows = [[name], ["单位：万元"], ["字段", "数值", "说明", "字段代码"]]
    rows += [[label, value, "", ""] for label, value in pairs]
    return name, rows
