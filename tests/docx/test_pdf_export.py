"""PDF export by both routes (LibreOffice conversion of the .docx; Qt rendering of the same blocks)
and `perfeval export -o X.pdf`: A4, the grid, page count, embedded fonts, title, draft mark."""
from __future__ import annotations

import re
import subprocess
from collections import Counter
import sys

import pytest
from docx_helpers import SAMPLES
from pdf_text import chinese_full_lines, full_pages, pages

from perfeval_gui.gui.pdf_render import export_pdf
from perfeval_gui.io.pdf_export import PdfExportError, find_office
from perfeval_gui.io.project_file import load_project

FONTS = {"FONTCONFIG_FILE": str(SAMPLES.parents[1] / "resources" / "fonts" / "fonts.conf")}
pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    assert find_office() is not None, "LibreOffice (soffice) is needed for this test"
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name in ("liuyang-2021", "shifeng-2023"):
        report = load_project(SAMPLES / f"{name}.pefx")
        for route in ("office", "qt"):
            path = folder / f"{name}-{route}.pdf"
            result = export_pdf(report, path, route=route, extra_env=FONTS)
            assert result.route == route
            out[name, route] = (path, result)
    return out


def _info(path):
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("route", ["office", "qt"])
@pytest.mark.parametrize("name", ["liuyang-2021", "shifeng-2023"])
def test_a4_title_fonts_embedded(pdfs, name, route):
    path, _ = pdfs[name, route]
    info = _info(path)
    assert re.search(r"Page size:\s+595(\.\d+)? x 841\.|Page size:\s+595(\.\d+)? x 842", info), info
    assert "部门整体支出绩效自评报告" in re.search(r"Title:\s+(.*)", info).group(1)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    assert all(re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", r) for r in rows)
    assert all(r.split()[-5] == "yes" for r in rows), fonts           # emb column
    assert any("CJK" in r or "UMing" in r or "UKai" in r for r in rows), fonts


@pytest.mark.parametrize("route", ["office", "qt"])
@pytest.mark.parametrize("name", ["liuyang-2021", "shifeng-2023"])
def test_grid_28_by_22(pdfs, name, route):
    path, _ = pdfs[name, route]
    ps = pages(path)
    chinese = chinese_full_lines(ps)
    assert len(chinese) >= 15
    # lines with adjacent punctuation (”“, 。”) may be compressed by the renderer: at most 28, at least 25
    strict = [ln for ln in chinese if not re.search(r"[“”‘’。，、；：（）《》]{2}", ln.text)]
    bad = {ln.text: ln.chars for ln in strict if ln.chars not in (27.0, 28.0)}
    assert not bad, bad
    assert all(25 <= ln.chars <= 28.5 for ln in chinese), [(ln.chars, ln.text) for ln in chinese if not 25 <= ln.chars <= 28.5]
    full = full_pages(ps)
    assert full and [len(p.lines) for p in full] == [22] * len(full)
    assert all(p.has_page_number for p in ps)


@pytest.mark.parametrize("name", ["liuyang-2021", "shifeng-2023"])
def test_routes_agree_on_pages_and_text(pdfs, name):
    office, _ = pdfs[name, "office"]
    qt, _ = pdfs[name, "qt"]
    n_office = int(re.search(r"Pages:\s+(\d+)", _info(office)).group(1))
    n_qt = int(re.search(r"Pages:\s+(\d+)", _info(qt)).group(1))
    assert abs(n_office - n_qt) <= 1, (n_office, n_qt)

    def chinese(path):
        import unicodedata       # NFKC: LibreOffice's CJK fonts map some glyphs to Kangxi radicals
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
        return Counter(ch for ch in unicodedata.normalize("NFKC", text) if "\u4e00" <= ch <= "\u9fff")
    a, b = chinese(office), chinese(qt)
    common = sum((a & b).values())
    assert common >= 0.95 * max(sum(a.values()), sum(b.values())), (sum(a.values()), sum(b.values()), common)


def test_draft_mark_on_every_page_both_routes(pdfs):
    for route in ("office", "qt"):
        path, result = pdfs["shifeng-2023", route]
        assert result.draft_errors == 2
        assert all(p.draft_marked for p in pages(path)), route
        assert not any(p.draft_marked for p in pages(pdfs["liuyang-2021", route][0])), route


def test_office_route_refuses_without_office(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFEVAL_OFFICE", "")
    report = load_project(SAMPLES / "shifeng-2023.pefx")
    with pytest.raises(PdfExportError, match="LibreOffice"):
        export_pdf(report, tmp_path / "x.pdf", route="office")
    result = export_pdf(report, tmp_path / "x.pdf", route="auto")       # falls back to Qt
    assert result.route == "qt" and (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")


def _cli(*args, env_extra=None):
    import os
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "perfeval_gui.cli", *args], capture_output=True, text=True,
                          env=env, timeout=200)


def test_cli_export_pdf_by_suffix(tmp_path):
    out = tmp_path / "报告 2023.pdf"
    proc = _cli("export", str(SAMPLES / "shifeng-2023.pefx"), "-o", str(out))
    assert proc.returncode == 1 and not out.exists()            # errors: refused as for .docx
    proc = _cli("export", str(SAMPLES / "shifeng-2023.pefx"), "-o", str(out), "--force",
                env_extra={"PERFEVAL_OFFICE": ""})
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")                  # a PDF, not a Word file named .pdf
    assert "草稿：本报告尚有 2 个错误，不得报送" in proc.stderr
    assert "内置排版" in proc.stdout
    proc = _cli("export", str(SAMPLES / "liuyang-2021.pefx"), "-o", str(tmp_path / "r.odt"))
    assert proc.returncode == 2 and ".docx" in proc.stderr and not (tmp_path / "r.odt").exists()


@pytest.mark.parametrize("name", ["liuyang-2021", "shifeng-2023"])
def test_qt_route_keeps_tables_and_headings_like_word(name):
    from perfeval_gui.gui.pdf_render import QtPages, ensure_gui_app
    from perfeval_gui.io.layout import build_layout
    ensure_gui_app()
    pages_ = QtPages(build_layout(load_project(SAMPLES / f"{name}.pefx"), 0))
    doc_layout, h = pages_.doc.documentLayout(), pages_.text_h
    tables = [f for f in pages_.doc.rootFrame().childFrames()]
    assert tables
    def page(y):
        return int((y + 0.5) // h)
    for frame in tables:                       # a table shorter than a page is never split
        rect = doc_layout.frameBoundingRect(frame)
        assert page(rect.top()) == page(rect.bottom() - 1), rect
    for anchor, frame in pages_._keeps:        # a heading never ends a page
        if frame is None and anchor.next().isValid():
            top = doc_layout.blockBoundingRect(anchor).top()
            nxt = doc_layout.blockBoundingRect(anchor.next()).top()
            assert page(top) == page(nxt), anchor.text()


def _outline(path):
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(path)], capture_output=True,
                         text=True).stdout
    import html
    return [(int(p), html.unescape(t)) for p, t in re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)]


@pytest.mark.parametrize("name", ["liuyang-2021", "shifeng-2023"])
def test_both_routes_have_the_headings_as_pdf_outline(pdfs, name):
    office = _outline(pdfs[name, "office"][0])
    qt = _outline(pdfs[name, "qt"][0])
    assert len(qt) >= 7                     # every heading of the shorter sample too
    assert [t for _, t in qt] == [t for _, t in office]
    assert all(abs(a - b) <= 1 for (a, _), (b, _) in zip(qt, office))
    assert qt[0][1].startswith("一、")
    info = _info(pdfs[name, "qt"][0])
    assert re.search(r"Author:\s+\S*优化营商环境协调事务中心", info), info
