"""The import dialog (offscreen): preview, differences, checkboxes, cancel/confirm, mapping step."""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal as D


from excel_helpers import write_rows
from perfeval_gui.core.edits import apply_changes
from perfeval_gui.core.model import Report
from perfeval_gui.gui.import_dialog import DIFF_COLOR, ImportDialog
from perfeval_gui.io.excel_template import export_excel


def workbook(tmp_path):
    source = Report()
    source.income.budget_initial = D("115.62")
    source.income.budget_total = D("133.85")
    source.expenditure.total = D("133.85")
    path = tmp_path / "上年.xlsx"
    export_excel(source, path)
    return path


def current_report():
    report = Report()
    report.income.budget_initial = D("115.62")     # same as the workbook
    report.prior_year["income.budget_total"] = D("1")
    return report


def rows_by_label(dialog):
    return {dialog.table.item(i, 0).text(): i for i in range(dialog.table.rowCount())}


def test_preview_as_prior_shows_differences(qtbot, tmp_path):
    report = current_report()
    before = report.clone()
    dialog = ImportDialog(report, workbook(tmp_path))
    qtbot.addWidget(dialog)
    assert dialog.stack.currentIndex() == ImportDialog.PAGE_PREVIEW
    assert dialog.as_prior_radio.isChecked()
    rows = rows_by_label(dialog)
    r = rows["上年数：全年预算数"]
    assert [dialog.table.item(r, c).text() for c in range(4)] == ["上年数：全年预算数", "1", "133.85", "收入!B6"]
    assert dialog.table.item(r, 2).background().color() == DIFF_COLOR
    assert report.prior_year == before.prior_year          # preview never modifies the report


def test_as_current_highlights_only_real_differences(qtbot, tmp_path):
    report = current_report()
    dialog = ImportDialog(report, workbook(tmp_path))
    qtbot.addWidget(dialog)
    dialog.as_current_radio.setChecked(True)
    rows = rows_by_label(dialog)
    same, changed = rows["年初预算"], rows["全年预算数"]
    assert not dialog.row_differs(same) and dialog.row_differs(changed)
    assert dialog.table.item(same, 2).background().color() != DIFF_COLOR
    assert dialog.table.item(changed, 2).background().color() == DIFF_COLOR


def test_unchecking_a_row_excludes_it_and_confirm_returns_changes(qtbot, tmp_path):
    report = current_report()
    dialog = ImportDialog(report, workbook(tmp_path))
    qtbot.addWidget(dialog)
    rows = rows_by_label(dialog)
    dialog.set_row_checked(rows["上年数：支出合计"], False)
    dialog.ok_button.click()
    changes = dialog.changes()
    assert {c.path for c in changes} == {"prior_year[income.budget_initial]", "prior_year[income.budget_total]"}
    old = {c.path: c.old for c in changes}
    assert old["prior_year[income.budget_total]"] == D("1")
    assert report.prior_year == {"income.budget_total": D("1")}   # the caller applies
    apply_changes(report, changes)
    assert report.prior_year["income.budget_total"] == D("133.85")


def test_cancel_returns_none(qtbot, tmp_path):
    dialog = ImportDialog(current_report(), workbook(tmp_path))
    qtbot.addWidget(dialog)
    dialog.cancel_button.click()
    assert dialog.changes() is None and dialog.result() == 0


def test_bad_file_shows_message_and_cannot_import(qtbot, tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_text("not excel", encoding="utf-8")
    dialog = ImportDialog(Report(), bad)
    qtbot.addWidget(dialog)
    assert dialog.stack.currentIndex() == ImportDialog.PAGE_MESSAGE
    assert "不是 Excel 工作簿" in dialog.message_label.text()
    assert not dialog.ok_button.isEnabled()


def test_mapping_step_is_remembered_per_header(qtbot, tmp_path):
    rows = [["自制表"], ["金额单位：元"], ["名称", "数"], ["年初", 1156200], ["合计", 1338500]]
    path = write_rows(tmp_path / "自制.xlsx", {"数据": rows})
    dialog = ImportDialog(Report(), path)
    qtbot.addWidget(dialog)
    assert dialog.stack.currentIndex() == ImportDialog.PAGE_MAPPING
    assert dialog.grid.item(3, 1).text() == "1156200"          # live preview of the cells
    dialog.grid.setCurrentCell(3, 1)
    dialog.field_combo.setCurrentIndex(dialog.field_combo.findData("income.budget_initial"))
    dialog.assign_current_cell()
    dialog.assign("income.budget_total", "B5")
    assert dialog.mapping_table.rowCount() == 2
    assert dialog.apply_mapping()
    assert dialog.stack.currentIndex() == ImportDialog.PAGE_PREVIEW
    dialog.as_current_radio.setChecked(True)
    dialog.ok_button.click()
    got = {c.path: c.new for c in dialog.changes()}
    assert got == {"income.budget_initial": D("115.62"), "income.budget_total": D("133.85")}
    # same header, other numbers: the saved mapping is applied at once
    rows2 = rows[:3] + [["年初", 10000], ["合计", 20000]]
    again = ImportDialog(Report(), write_rows(tmp_path / "自制2.xlsx", {"数据": rows2}))
    qtbot.addWidget(again)
    assert again.stack.currentIndex() == ImportDialog.PAGE_PREVIEW
    assert "上次" in again.summary_label.text()
    again.as_current_radio.setChecked(True)
    again.ok_button.click()
    assert {c.path: c.new for c in again.changes()} == {"income.budget_initial": D(1), "income.budget_total": D(2)}


def test_gui_module_does_not_import_openpyxl_at_import_time():
    code = ("import sys, perfeval_gui.gui.import_dialog;"
            "print(sorted(m for m in sys.modules if m.startswith(('openpyxl', 'xlrd'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert out.stdout.strip() == "[]"
