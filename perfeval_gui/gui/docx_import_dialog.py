"""文件 → 从 Word 导入…: read a .docx (io/docx_import.read_docx) and show what was read before applying.

* a hand-written report: every value read, with the sentence (or table row) it came from;
* a file this program exported and the officer corrected in Word: where the body differs from the
  embedded model (the body wins).
Nothing is applied until the officer presses 导入; the report then opens as a new, unsaved report.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QDialog, QFileDialog, QHeaderView, QLabel, QMessageBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..io.docx_import import DocxImport
from .widgets import ok_cancel_buttons


def _text(value) -> str:
    if value is None or value == "":
        return "（空）"
    if hasattr(value, "as_tuple"):
        return format(value, "f")
    return str(value)


class DocxImportDialog(QDialog):
    def __init__(self, result: DocxImport, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = result
        self.setWindowTitle(f"从 Word 导入：{name}")
        self.resize(980, 600)
        layout = QVBoxLayout(self)
        r = result.report
        head = f"{r.meta.unit_name or '（未读出单位名称）'}　{r.meta.fiscal_year or ''}年度"
        if result.embedded:
            if result.differences:
                note = (f"{head}\n这是本程序导出的文件，正文在 Word 中改过：以下 {len(result.differences)} 处以正文为准，"
                        "其余内容取自文件中嵌入的报告数据。")
            else:
                note = f"{head}\n这是本程序导出的文件，正文与嵌入的报告数据一致。"
            rows = [(d.label, _text(d.embedded), _text(d.body)) for d in result.differences]
            headers = ["位置", "嵌入数据中的原值", "正文（导入后的值）"]
        else:
            note = (f"{head}\n从正文读出 {len(result.items)} 个数值（文字各部分另按标题读入）。"
                    "请逐项核对原句，确认后导入；导入后可在各页修改。")
            rows = [(i.label, _text(i.value), i.sentence) for i in result.items]
            headers = ["字段", "读出的值", "原句"]
        label = QLabel(note)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for col, value in enumerate(values):
                item = QTableWidgetItem(value.replace("\n", " ")[:300])
                item.setToolTip(value[:3000])
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        layout.addWidget(ok_cancel_buttons(self, "导入"))


def run_docx_import(window, path: str | Path | None = None) -> bool:
    """Ask for a .docx, show what was read, and open it as a new (unsaved) report when confirmed."""
    from ..io.docx_import import DocxReadError, read_docx
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "从 Word 导入", "", "Word 文档 (*.docx)")
        if not path:
            return False
    try:
        result = read_docx(path)
    except DocxReadError as exc:
        QMessageBox.critical(window, "从 Word 导入", str(exc))
        return False
    dialog = DocxImportDialog(result, Path(path).name, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    if not window.maybe_save():
        return False
    window.doc.replace_report(result.report, None, False, None)
    window.doc.mark_dirty()
    window.update_title()
    window.statusBar().showMessage(f"已从 Word 导入“{Path(path).name}”（尚未保存）。", 10000)
    return True
