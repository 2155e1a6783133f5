"""Issue 21 (8): the Excel import preview shows whole field labels and right-aligned numbers; a
file that cannot be read gets a small message window, not an empty 900×620 preview."""
from __future__ import annotations

from decimal import Decimal as D

from PySide6.QtCore import Qt

from perfeval_gui.core.model import Report
from perfeval_gui.gui.import_dialog import ImportDialog
from perfeval_gui.io.excel_template import export_excel


def test_preview_labels_whole_and_numbers_right_aligned(qtbot, tmp_path):
    source = Report()
    source.income.budget_total = D("133.85")
    source.expenditure.total = D("133.85")
    path = tmp_path / "上年.xlsx"
    export_excel(source, path)
    dialog = ImportDialog(Report(), path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(20)
    table = dialog.table
    metrics = table.fontMetrics()
    for row in range(table.rowCount()):
        label = table.item(row, 0).text()
        # the label column is as wide as its longest label (+ the check box), never elided
        assert table.columnWidth(0) >= metrics.horizontalAdvance(label), label
        value = table.item(row, 2)
        if value.text() and value.text().replace(".", "").replace("-", "").isdigit():
            assert value.textAlignment() & Qt.AlignmentFlag.AlignRight


def test_unreadable_file_gets_a_small_message_window(qtbot, tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_text("not excel", encoding="utf-8")
    dialog = ImportDialog(Report(), bad)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(20)
    assert dialog.stack.currentIndex() == ImportDialog.PAGE_MESSAGE
    assert dialog.width() <= 600 and dialog.height() <= 320
    assert not dialog.ok_button.isVisible() and dialog.cancel_button.text() == "关闭"
    assert "不是 Excel 工作簿" in dialog.message_label.text()
