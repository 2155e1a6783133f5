"""Helpers for the Excel tests: real workbooks written by the tests themselves."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path


def write_rows(path: Path, sheets: dict[str, list[list]], *, merges: dict[str, list[str]] | None = None,
               hidden: tuple[str, ...] = (), formats: dict[str, dict[str, str]] | None = None) -> Path:
    """A workbook with the given rows (lists of cell values, None = empty)."""
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        for coord, fmt in (formats or {}).get(name, {}).items():
            ws[coord].number_format = fmt
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def rewrite_part(path: Path, part: str, edit) -> None:
    """Replace one part of the zip with edit(bytes) -> bytes."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = edit(data)
            dst.writestr(info.filename, data)
    shutil.move(tmp, path)


def sheet_part(path: Path, sheet_index: int = 1) -> str:
    return f"xl/worksheets/sheet{sheet_index}.xml"


def set_cached_value(data: bytes, formula: str, value: str) -> bytes:
    """openpyxl writes <f>…</f><v></v>: put a cached result in, as Excel would."""
    needle = f"<f>{formula}</f><v></v>".encode()
    assert needle in data
    return data.replace(needle, f"<f>{formula}</f><v>{value}</v>".encode())


def patch_declared_size(path: Path, member: str, size: int) -> None:
    """Lie about a member's uncompressed size in the central directory (zip bomb by declaration)."""
    raw = bytearray(path.read_bytes())
    name = member.encode()
    pos = 0
    while True:
        pos = raw.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = int.from_bytes(raw[pos + 28:pos + 30], "little")
        if raw[pos + 46:pos + 46 + name_len] == name:
            raw[pos + 24:pos + 28] = size.to_bytes(4, "little")
        pos += 4
    path.write_bytes(bytes(raw))


def entity_bomb_xml(root: str = "worksheet") -> bytes:
    lols = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY lol0 "lol">{lols}]>'
            f'<{root} xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
            f'</{root}>').encode()


def first_sheet_name(data: bytes) -> str:
    m = re.search(rb'<sheet [^>]*name="([^"]+)"', data)
    return m.group(1).decode() if m else ""
