"""文件 → 新建下一年度报告 and 文件 → 批量检查… driven in the real window (issue 19)."""
from __future__ import annotations

from decimal import Decimal

import openpyxl
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from perfeval_gui.core.findings import Severity
from perfeval_gui.core.next_year import DRAFT_LABEL, pending_drafts
from perfeval_gui.gui.next_year_dialog import NextYearDialog
from perfeval_gui.resources import sample_path

from test_main_window import type_text


def _drive_next_year_dialog(qtbot, clear: list[str]):
    """When the modal dialog is up: tick 清空 for ``clear`` and press 新建."""
    seen = {}

    def act():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NextYearDialog)
        seen["parts"] = [sid for sid, _, _ in dialog.parts]
        for sid in clear:
            dialog.clear_buttons[sid].click()
        box = dialog.findChild(QDialogButtonBox)
        box.button(QDialogButtonBox.StandardButton.Ok).click()
    QTimer.singleShot(0, act)
    return seen


def test_new_next_year_report_from_the_menu(qtbot, window):
    assert window.next_year_action in window.file_menu.actions()
    seen = _drive_next_year_dialog(qtbot, ["六"])
    window.next_year_action.trigger()
    assert "六" in seen["parts"] and "五.一" in seen["parts"]
    report = window.doc.report
    assert report.meta.fiscal_year == 2022
    assert report.prior_year["expenditure.total"] == Decimal("385.5")
    assert report.expenditure.total is None
    assert "六" not in report.narrative
    assert window.doc.path is None and window.doc.is_dirty()          # a new, unsaved report
    assert "未命名" in window.windowTitle()
    # the kept text is 待更新: highlighted with the reason in its tooltip …
    window.goto_path("narrative[七]")
    editor = window.section_tab("七").locate("narrative[七]")
    assert editor.severity is Severity.WARNING and DRAFT_LABEL in editor.toolTip()
    # … until the officer edits it
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    type_text(qtbot, editor, "本年补充。")
    editor.clearFocus()
    qtbot.waitUntil(lambda: "narrative[七]" not in pending_drafts(window.doc.report))
    qtbot.waitUntil(lambda: DRAFT_LABEL not in editor.toolTip())
    assert editor.severity is None
    # 上年数 stands next to this year's (empty) figure and compares from the first keystroke
    total = window.goto_path("expenditure.total")
    assert total.text() == "" and "上年 385.5" in total.prior_label.text()
    total.setFocus()
    type_text(qtbot, total, "600")
    qtbot.waitUntil(lambda: "增减 55.64%" in total.prior_label.text())


def test_cancel_leaves_the_report_alone(qtbot, window):
    def act():
        dialog = QApplication.activeModalWidget()
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()
    QTimer.singleShot(0, act)
    assert window.new_next_year() is False
    assert window.doc.report.meta.fiscal_year == 2021 and not window.doc.is_dirty()


def _copies(tmp_path, n):
    raw = [sample_path("liuyang-2021.pefx").read_bytes(), sample_path("shifeng-2023.pefx").read_bytes()]
    out = []
    for i in range(n):
        p = tmp_path / f"r{i:03d}.pefx"
        p.write_bytes(raw[i % 2])
        out.append(str(p))
    return out


def test_batch_check_writes_the_summary_with_progress(qtbot, window, tmp_path):
    files = _copies(tmp_path, 6)
    out = tmp_path / "汇总.xlsx"
    assert window.batch_check_action in window.file_menu.actions()
    from perfeval_gui.gui.batch_check import run_batch_check
    dialog = run_batch_check(window, files, str(out), modal=False)
    qtbot.waitUntil(lambda: dialog.ok is not None, timeout=20000)
    assert dialog.ok is True and dialog.bar.value() == 6
    assert "3 份有错误" in dialog.label.text() and str(out) in dialog.label.text()
    assert dialog.close_button.isEnabled() and not dialog.cancel_button.isEnabled()
    rows = list(openpyxl.load_workbook(out)["汇总"].iter_rows(values_only=True))
    assert len(rows) == 7 and rows[1][0] == "浏阳市优化营商环境协调事务中心"
    dialog.accept()


def test_batch_check_cancel_writes_nothing(qtbot, window, tmp_path):
    files = _copies(tmp_path, 300)
    out = tmp_path / "汇总.xlsx"
    from perfeval_gui.gui.batch_check import run_batch_check
    dialog = run_batch_check(window, files, str(out), modal=False)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.ok is not None, timeout=20000)
    assert dialog.ok is False and "已取消" in dialog.label.text()
    assert dialog.bar.value() < 300
    assert not out.exists()
    dialog.accept()


def test_word_import_shows_what_was_read_before_applying(qtbot, window, tmp_path, monkeypatch):
    import docx
    from PySide6.QtWidgets import QMessageBox
    from perfeval_gui.gui.docx_import_dialog import DocxImportDialog
    seed = sample_path("liuyang-2021.pefx").parents[2] / "tests" / "samples" / "seeds" / "liuyang-2021.txt"
    d = docx.Document()
    for line in seed.read_text(encoding="utf-8").splitlines():
        d.add_paragraph(line)
    src = tmp_path / "手写.docx"
    d.save(str(src))
    assert window.docx_import_action in window.file_menu.actions()
    seen = {}

    def look_then(button):
        def act():
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, DocxImportDialog)
            rows = [(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
                    for r in range(dialog.table.rowCount())]
            seen["rows"] = rows
            dialog.findChild(QDialogButtonBox).button(button).click()
        QTimer.singleShot(0, act)

    look_then(QDialogButtonBox.StandardButton.Cancel)
    assert window.import_word(src) is False
    assert ("财政资金", "385.5", "全年本中心共支出资金385.5万元，其中财政资金385.5万元。") in seen["rows"]
    assert window.doc.report.meta.fiscal_year == 2021 and window.doc.path is not None   # nothing applied
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    look_then(QDialogButtonBox.StandardButton.Ok)
    assert window.import_word(src) is True
    report = window.doc.report
    assert len(report.projects) == 5 and report.income.fiscal_funds == Decimal("385.5")
    assert window.doc.path is None and window.doc.is_dirty()


def test_word_import_of_an_exported_file_edited_in_word_lists_the_edits(qtbot, window, tmp_path, monkeypatch):
    import docx
    from PySide6.QtWidgets import QMessageBox
    from perfeval_gui.io.docx_export import export_docx
    report = window.doc.report
    out = tmp_path / "导出.docx"
    export_docx(report, out)
    d = docx.Document(str(out))
    para = next(p for p in d.paragraphs if p.text == report.narrative["七"].split("\n")[0])
    for run in para.runs[1:]:
        run.text = ""
    para.runs[0].text = "（一）在 Word 里改写的措施。"
    d.save(str(out))
    seen = {}

    def act():
        dialog = QApplication.activeModalWidget()
        seen["rows"] = [tuple(dialog.table.item(r, c).text() for c in range(3)) for r in range(dialog.table.rowCount())]
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    QTimer.singleShot(0, act)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.import_word(out) is True
    assert len(seen["rows"]) == 1 and "七、改进措施" in seen["rows"][0][0]
    assert seen["rows"][0][2].startswith("（一）在 Word 里改写的措施。")
    assert window.doc.report.narrative["七"].startswith("（一）在 Word 里改写的措施。")
    assert window.doc.report.projects == report.projects
