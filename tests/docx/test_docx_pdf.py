"""LibreOffice render of the export: A4, headings present, ~22 lines per page."""
from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from docx_helpers import full_report

from perfeval_gui.io.docx_export import build_docx_bytes, export_docx

FONTS_CONF = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "fonts.conf"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


@pytest.fixture(autouse=True)
def _renderer_installed():
    """LibreOffice and poppler are test dependencies (scripts/setup.sh test): missing → fail."""
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    assert not missing, f"{missing} not installed: run `bash scripts/setup.sh test`"


def _to_pdf(docx_path: Path, out: Path) -> Path:
    profile = Path("/tmp") / f"perfeval-lo-{uuid.uuid4().hex}"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(out), "FONTCONFIG_FILE": str(FONTS_CONF)}
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), str(docx_path)],
                       check=True, capture_output=True, timeout=25, env=env)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return out / (docx_path.stem + ".pdf")


def test_pdf_a4_and_headings(tmp_path):
    # LibreOffice 7.4 spreads text on the official 15.79 pt character grid (each 16 pt glyph takes
    # two cells), which scrambles pdftotext's reading order: render the line-grid-only variant here;
    # the exact export is checked for A4 in test_pdf_exact_export_is_a4.
    report = full_report("hunan9")
    report.narrative["一.一"] = "本段用于检验每页行数，全部为正文文字。" * 120
    path = tmp_path / "r.docx"
    path.write_bytes(build_docx_bytes(report, char_grid=False))
    pdf = _to_pdf(path, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    for heading in ("一、部门概况", "二、部门整体支出", "九、部门整体支出绩效评价", "附相关评分",
                    "部门整体支出绩效自评报告", "—1—"):
        assert heading in flat, heading
    # body pages: ~22 text lines (line pitch 28.95 pt in a 225 mm 版心)
    page2 = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"],
                           capture_output=True, text=True).stdout
    lines = [ln for ln in page2.splitlines() if ln.strip()]
    assert len(lines) in (22, 23), lines   # 22 body lines + the page number


def test_pdf_exact_export_is_a4(tmp_path):
    path = tmp_path / "报告 导出.docx"
    export_docx(full_report("short5"), path)
    pdf = _to_pdf(path, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
