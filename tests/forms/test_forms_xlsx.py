"""The forms workbook (issue 17): official layout, print set-up, numbers as numbers, exact read-back."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import uuid
from contextlib import redirect_stdout
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from formkit import FONTS_CONF, SAMPLES, clean_report
from perfeval_gui.cli import main
from perfeval_gui.core import forms
from perfeval_gui.core.edits import apply_changes
from perfeval_gui.core.imports import plan_import
from perfeval_gui.core.model import Report
from perfeval_gui.io.excel_import import read_workbook
from perfeval_gui.io.forms_xlsx import export_forms
from perfeval_gui.io.project_file import load_project


def _export(report, tmp_path, name="附表.xlsx") -> Path:
    path = tmp_path / name
    export_forms(report, path)
    return path


def test_one_sheet_per_form_in_official_layout(tmp_path):
    report = clean_report()
    wb = openpyxl.load_workbook(_export(report, tmp_path))
    assert wb.sheetnames == ["部门自评表", "基础数据表", "项目自评表1", "项目自评表2", "字段代码"]
    assert wb["字段代码"].sheet_state == "hidden"
    dept = wb["部门自评表"]
    assert dept["A1"].value == "2023年度部门整体支出绩效自评表"
    assert "A1:I1" in {str(r) for r in dept.merged_cells.ranges}
    assert dept.page_setup.orientation == "landscape" and int(dept.page_setup.paperSize) == 9     # A4
    assert dept.print_title_rows.replace("$", "") == "1:3" and dept.sheet_properties.pageSetUpPr.fitToPage
    assert wb["基础数据表"].page_setup.orientation == "portrait"
    # the funds block: numbers stored as numbers, two decimals; the rate as a percentage
    row = next(r for r in dept.iter_rows() if r[1].value == "年度资金总额")
    total_actual, rate, score = row[5], row[7], row[8]
    assert isinstance(total_actual.value, (int, float)) and total_actual.value == 110
    assert total_actual.number_format == "0.00"
    assert rate.number_format == "0.00%" and abs(float(rate.value) - 0.9565) < 1e-9
    assert score.value == pytest.approx(9.57) and score.number_format == "0.00"
    heads = [dept.cell(row=row[0].row - 1, column=c).value for c in range(4, 10)]
    assert heads == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "自评得分"]
    # every cell of the table body is ruled (a merged range by its top-left cell)
    inner = {(r, c) for rng in dept.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
             for c in range(rng.min_col, rng.max_col + 1) if (r, c) != (rng.min_row, rng.min_col)}
    cells = [(r, c) for r in range(3, dept.max_row + 1) for c in range(1, 10) if (r, c) not in inner]
    assert len(cells) > 60
    assert all(dept.cell(row=r, column=c).border.left.style == "thin" for r, c in cells)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    report = clean_report()
    report.dept_form.goal_expected = '=HYPERLINK("http://evil","点击")'
    report.projects[0].form.lead = "=1+1"
    wb = openpyxl.load_workbook(_export(report, tmp_path))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.data_type == "f"]
    assert any(c.value == '=HYPERLINK("http://evil","点击")' and c.data_type == "s" for c in cells)
    back = Report()
    apply_changes(back, plan_import(back, read_workbook(_export(report, tmp_path, "b.xlsx")).values, "current"))
    assert back.dept_form.goal_expected == '=HYPERLINK("http://evil","点击")'
    assert back.projects[0].form.lead == "=1+1"


def test_round_trip_gives_the_same_figures(tmp_path):
    report = clean_report()
    path = _export(report, tmp_path)
    result = read_workbook(path)
    assert result.warnings == []
    # into the same report: nothing to change (typed decimals included)
    assert plan_import(report, result.values, "current") == []
    # into an empty report: the same forms, cell by cell
    fresh = Report()
    apply_changes(fresh, plan_import(fresh, result.values, "current"))
    assert [g.text_rows() for g in forms.form_grids(fresh)] == [g.text_rows() for g in forms.form_grids(report)]
    assert fresh.projects[1].form.exec_rate_stated == D("66.67")
    assert str(fresh.dept_form.general_budget.actual) == "110.00"


def test_a_figure_edited_in_excel_comes_back_into_its_field(tmp_path):
    report = clean_report()
    path = _export(report, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["项目自评表2"]
    cell = next(r for r in ws.iter_rows() if r[1].value and "当年财政拨款" in str(r[1].value))[5]
    cell.value = 9.5                     # 全年执行数 of 当年财政拨款, typed in Excel
    wb.save(path)
    changes = plan_import(report, read_workbook(path).values, "current")
    assert [(c.path, c.new) for c in changes] == [("projects[1].form.fiscal.actual", D("9.50"))]
    assert "宣传培训" in changes[0].label


def test_rows_are_found_by_name_after_the_projects_moved(tmp_path):
    report = clean_report()
    path = _export(report, tmp_path)
    report.projects.reverse()
    report.projects[0].form.filler = "赵六"
    changes = plan_import(report, read_workbook(path).values, "current")
    assert [(c.path, c.new) for c in changes] == [("projects[0].form.filler", "王五")]


def test_cli_export_forms(tmp_path):
    out = tmp_path / "自评表.xlsx"
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(["export-forms", str(SAMPLES / "shifeng-2023.pefx"), "-o", str(out)])
    assert code == 0 and out.exists()
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["部门自评表", "基础数据表"]
    with redirect_stdout(io.StringIO()):
        assert main(["export-forms", str(SAMPLES / "shifeng-2023.pefx"), "-o", str(tmp_path / "b.xlsx"),
                     "--only", "basic_data"]) == 0
    assert openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames == ["基础数据表", "字段代码"]
    assert main(["export-forms", str(tmp_path / "missing.pefx"), "-o", str(tmp_path / "c.xlsx")]) == 2


# ------------------------------------------------------------------ LibreOffice: A4, no cut columns
def _to_pdf(xlsx: Path, out: Path) -> Path:
    profile = Path("/tmp") / f"perfeval-lo-{uuid.uuid4().hex}"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(out), "FONTCONFIG_FILE": str(FONTS_CONF)}
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), str(xlsx)],
                       check=True, capture_output=True, timeout=60, env=env)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out / (xlsx.stem + ".pdf")
    assert pdf.exists(), "LibreOffice Calc did not convert the workbook (libreoffice-calc-nogui installed?)"
    return pdf


LAST_HEADER = {"dept_form": "偏差原因分析及改进措施", "project_form": "偏差原因分析及改进措施", "basic_data": "投资概算控"}


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice / poppler not installed")
@pytest.mark.parametrize("sample", ["liuyang-2021.pefx", "shifeng-2023.pefx", None])
def test_each_sheet_prints_on_a4_without_cut_columns(tmp_path, sample):
    report = load_project(SAMPLES / sample) if sample else clean_report()
    if sample is None:      # long texts: rows grow, the columns still fit the page width
        report.dept_form.goal_expected = "全面完成年度重点工作任务，优化营商环境。" * 6
        report.scoring.nodes[1].deviation_reason = "部分培训因场地原因延至次年一季度举办，已调整计划。" * 3
    grids = forms.form_grids(report)
    pdf = _to_pdf(_export(report, tmp_path), tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages == len(grids)                       # one page per form: nothing spills to a second page
    for n, grid in enumerate(grids, start=1):
        out = subprocess.run(["pdfinfo", "-f", str(n), "-l", str(n), str(pdf)], capture_output=True, text=True).stdout
        w, h = map(float, re.search(rf"Page\s+{n} size:\s+([\d.]+) x ([\d.]+)", out).groups())
        assert sorted((round(w), round(h))) == [595, 842]                 # A4
        assert (w > h) == grid.landscape
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                              capture_output=True, text=True).stdout
        flat = re.sub(r"\s+", "", text)
        assert grid.title in flat
        assert LAST_HEADER[grid.form_id] in flat                          # the last column is on the page
        for cell in grid.cells.values():                                  # every figure is printed
            if cell.kind == forms.AMOUNT and cell.value is not None:
                assert forms.display(cell) in flat, (grid.sheet_name, forms.display(cell))
