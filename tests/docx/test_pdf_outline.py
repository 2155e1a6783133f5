"""io/pdf_outline.add_outline: bookmarks appended to a finished PDF, read back by poppler."""
from __future__ import annotations

import html
import re
import subprocess

from perfeval_gui.io.pdf_outline import OutlineEntry, add_outline


def _two_page_pdf(path):
    from PySide6.QtGui import QPainter, QPdfWriter
    from perfeval_gui.gui.pdf_render import ensure_gui_app
    ensure_gui_app()
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    painter.drawText(100, 100, "page one")
    writer.newPage()
    painter.drawText(100, 100, "page two")
    painter.end()
    return path.read_bytes()


def test_nested_outline_is_read_back(tmp_path):
    data = _two_page_pdf(tmp_path / "a.pdf")
    entries = [OutlineEntry(1, "一、部门概况", 0, 120), OutlineEntry(2, "（一）职能“概述”&<>", 0, 200),
               OutlineEntry(2, "（二）人员", 1, 100), OutlineEntry(1, "二、支出", 1, 300)]
    out = tmp_path / "b.pdf"
    out.write_bytes(add_outline(data, entries))
    assert out.read_bytes().startswith(data)                 # an incremental update: the original kept
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(out)], capture_output=True,
                         text=True, check=True).stdout
    items = [(int(p), html.unescape(t)) for p, t in re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)]
    assert items == [(1, "一、部门概况"), (1, "（一）职能“概述”&<>"), (2, "（二）人员"), (2, "二、支出")]
    nested = xml[xml.index("<outline>") + 9:]
    assert nested.index("<outline>") < nested.index("（一）")        # 一、's children are nested under it
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True)
    assert info.returncode == 0 and "Pages:           2" in info.stdout and "Error" not in info.stderr


def test_unreadable_pdf_is_returned_unchanged():
    assert add_outline(b"not a pdf", [OutlineEntry(1, "x", 0, 0)]) == b"not a pdf"
    assert add_outline(b"%PDF-1.4 whatever", []) == b"%PDF-1.4 whatever"


def test_hostile_and_random_reports_render_by_the_qt_route(tmp_path):
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parent))
    from docx_helpers import random_report
    from perfeval_gui.gui.pdf_render import write_pdf
    from perfeval_gui.io.layout import build_layout
    for seed in range(4):
        report = random_report(seed)
        report.meta.unit_name = "" if seed == 0 else report.meta.unit_name + "\u202e😀"
        out = tmp_path / f"r{seed}.pdf"
        pages = write_pdf(build_layout(report, 0), out)
        assert pages >= 1 and out.read_bytes().startswith(b"%PDF")
