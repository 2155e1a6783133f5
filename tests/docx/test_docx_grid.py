"""The 28 × 22 grid as LibreOffice renders the two samples (docs/word-layout.md).

Both samples are exported, converted with ``soffice --headless --convert-to pdf`` and read back
with pdftotext: every full body line of Chinese text holds 28 characters (27 where a
punctuation mark may not start the next line), every full page 22 lines.
"""
from __future__ import annotations

import re
import shutil

import pytest
from pdf_text import chinese_full_lines, full_lines, full_pages, pages

from perfeval_gui.io.docx_export import export_docx
from perfeval_gui.io.project_file import load_project
from perfeval_gui.io.pdf_export import convert_with_office, find_office

from docx_helpers import SAMPLES

FONTS = {"FONTCONFIG_FILE": str(SAMPLES.parents[1] / "resources" / "fonts" / "fonts.conf")}
pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed for this test"
    office = find_office()
    assert office is not None, "LibreOffice (soffice) is needed for this test"
    out = {}
    folder = tmp_path_factory.mktemp("grid")
    for name in ("liuyang-2021", "shifeng-2023"):
        report = load_project(SAMPLES / f"{name}.pefx")
        docx_path = folder / f"{name}.docx"
        export_docx(report, docx_path)
        pdf = folder / f"{name}.pdf"
        convert_with_office(docx_path, pdf, office, extra_env=FONTS)
        out[name] = pages(pdf)
    return out


@pytest.mark.parametrize("name", ["liuyang-2021", "shifeng-2023"])
def test_full_lines_hold_28_characters(rendered, name):
    lines = full_lines(rendered[name])
    chinese = chinese_full_lines(rendered[name])
    assert len(chinese) >= 20, [ln.text for ln in lines]
    # lines with adjacent punctuation (”“, 。”) may be compressed by LibreOffice: checked for ≤ 28 below
    widths = {ln.text: ln.chars for ln in chinese if not re.search(r"[“”‘’。，、；：（）《》]{2}", ln.text)}
    assert all(w in (27.0, 28.0) for w in widths.values()), {t: w for t, w in widths.items() if w not in (27, 28)}
    assert sum(1 for w in widths.values() if w == 28) > len(widths) / 2      # 27 only before a 、，。
    # lines with digits: never more than the 版心, and close to it
    for ln in lines:
        assert 25 <= ln.chars <= 28.5, (ln.chars, ln.text)
        assert ln.x_end <= 595.3 - 26 / 25.4 * 72 + 1, ln.text          # nothing beyond the right margin


@pytest.mark.parametrize("name", ["liuyang-2021", "shifeng-2023"])
def test_full_pages_hold_22_lines(rendered, name):
    full = full_pages(rendered[name])
    assert len(full) >= 2
    assert [len(p.lines) for p in full] == [22] * len(full)


def test_page_counts_and_page_numbers(rendered):
    assert len(rendered["liuyang-2021"]) == 14          # was 23 with the linesAndChars grid
    assert len(rendered["shifeng-2023"]) == 7
    for name, ps in rendered.items():
        assert all(p.has_page_number for p in ps), name


def test_forced_export_is_marked_on_every_page(rendered):
    # the 石峰 sample has errors (结余结转 4.00 of a fully spent project): the draft mark on every page
    assert all(p.draft_marked for p in rendered["shifeng-2023"])
    assert not any(p.draft_marked for p in rendered["liuyang-2021"])
