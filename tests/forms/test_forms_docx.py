"""The forms as Word appendices (附件1, 附件2 …) after the report: `perfeval export … --forms`."""
from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import docx

from formkit import SAMPLES, clean_report
from perfeval_gui.cli import main
from perfeval_gui.core import forms
from perfeval_gui.io.project_file import load_project, save_project


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def test_export_with_forms_appends_one_appendix_per_form(tmp_path):
    report = clean_report()
    src = tmp_path / "r.pefx"
    save_project(report, src)
    code, _, _ = _run(["export", str(src), "-o", str(tmp_path / "r.docx"), "--forms"])
    assert code == 0
    d = docx.Document(tmp_path / "r.docx")
    labels = [p.text for p in d.paragraphs if p.text.startswith("附件")]
    grids = forms.form_grids(report)
    assert labels == [f"附件{i}" for i in range(1, len(grids) + 1)]
    captions = [p.text for p in d.paragraphs if p.text.startswith("表") and "年度" in p.text]
    for grid in grids:
        assert any(c.endswith(grid.title) for c in captions)
    dept = next(t for t in d.tables if any("按收入性质分：" in c.text for row in t.rows for c in row.cells))
    texts = {c.text.strip() for row in dept.rows for c in row.cells}
    assert {"年度资金总额", "95.65%", "9.57", "100.00", "一般公共预算"} <= texts
    # without --forms: the report alone
    code, _, _ = _run(["export", str(src), "-o", str(tmp_path / "plain.docx")])
    assert code == 0
    assert not [p for p in docx.Document(tmp_path / "plain.docx").paragraphs if p.text.startswith("附件")]


def test_a_docx_with_appendices_reads_back_as_the_same_report(tmp_path):
    src = SAMPLES / "shifeng-2023.pefx"
    out = tmp_path / "sf.docx"
    code, _, _ = _run(["export", str(src), "-o", str(out), "--forms", "--force"])
    assert code == 0
    code, _, _ = _run(["import-docx", str(out), "-o", str(tmp_path / "back.pefx")])
    assert code == 0
    assert load_project(tmp_path / "back.pefx") == load_project(src)


def test_appendices_print_within_the_page(tmp_path):
    import re
    import shutil
    import subprocess

    import pytest
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice / poppler not installed")
    from test_forms_xlsx import _to_pdf
    report = clean_report()
    src = tmp_path / "r.pefx"
    save_project(report, src)
    assert _run(["export", str(src), "-o", str(tmp_path / "r.docx"), "--forms", "--force"])[0] == 0
    pdf = _to_pdf(tmp_path / "r.docx", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    starts = [i for i, page in enumerate(pages) if re.search(r"^\s*附件\s*\d", page, re.M)]
    assert len(starts) == len(forms.form_grids(report))
    # every page of an appendix keeps its figures inside the page: the last column's words are printed
    flat = [re.sub(r"\s+", "", pages[i]) for i in starts]
    assert "偏差原因" in flat[0] and "自评得分" in flat[0] and "9.57" in flat[0]
    assert "投资概算" in flat[1] and "本年决算" in flat[1]
    for page in pages[starts[0]:]:
        for line in page.splitlines():
            assert len(line.rstrip()) < 120, line          # nothing runs past the right margin
