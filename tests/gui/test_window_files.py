"""Issue 21 (8): files dropped on the window go where they belong; a wrong or damaged file gets
the message for what it really is; the shipped sample is never overwritten; the welcome strip
goes once the sample is saved as the officer's own report."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from perfeval_gui.io.docx_export import export_docx
from perfeval_gui.resources import sample_path


def _drop(win, path: Path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    win.dragEnterEvent(enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    win.dropEvent(event)
    assert event.isAccepted()


def test_dropped_workbook_opens_the_import_preview(qtbot, window, tmp_path, monkeypatch):
    book = tmp_path / "上年决算.xlsx"
    wb = Workbook()
    wb.active["A1"] = "收入支出决算总表"
    wb.save(book)
    seen = []
    import perfeval_gui.gui.import_dialog as dialog_mod
    monkeypatch.setattr(dialog_mod.ImportDialog, "exec", lambda self: seen.append(self.path) or 0)
    _drop(window, book)
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert seen == [book]


def test_dropped_docx_is_imported_as_a_new_unsaved_report(qtbot, window, tmp_path, monkeypatch):
    out = tmp_path / "报告.docx"
    export_docx(window.doc.report, out)
    unit = window.doc.report.meta.unit_name
    monkeypatch.setattr(window, "maybe_save", lambda: True)
    import perfeval_gui.gui.docx_import_dialog as word_mod
    previews = []
    monkeypatch.setattr(word_mod.DocxImportDialog, "exec",
                        lambda self: previews.append(self) or word_mod.QDialog.DialogCode.Accepted)
    window.doc.set_value("meta.unit_name", "别的单位")
    _drop(window, out)
    qtbot.waitUntil(lambda: window.doc.report.meta.unit_name == unit, timeout=5000)
    assert previews                                  # the Word import preview was shown first
    assert window.doc.path is None and window.doc.is_dirty()


def test_workbook_renamed_pefx_and_cut_file_get_clear_messages(qtbot, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(window, "maybe_save", lambda: True)
    renamed = tmp_path / "报告.pefx"
    wb = Workbook()
    wb.active["A1"] = 1
    wb.save(renamed)
    assert not window.open_file(renamed)
    assert "这是 Excel 工作簿，请用 文件 → 从 Excel 导入" in shown[-1]
    cut = tmp_path / "截断.pefx"
    raw = sample_path("liuyang-2021.pefx").read_bytes()
    pos = next(i for i in range(len(raw) // 2, len(raw)) if raw[i] >= 0xE0)   # first byte of a 3-byte character
    cut.write_bytes(raw[:pos + 1])
    assert not window.open_file(cut)
    assert "不完整" in shown[-1] and "UTF-8" not in shown[-1]


def test_shipped_sample_opened_through_open_is_an_unsaved_copy(qtbot, window, monkeypatch, tmp_path):
    monkeypatch.setattr(window, "maybe_save", lambda: True)
    sample = sample_path("liuyang-2021.pefx")
    before = sample.read_bytes()
    assert window.open_file(sample)
    assert window.doc.is_sample and "（示例）" in window.windowTitle()
    window.doc.set_value("meta.contact", "不应写进示例")
    target = tmp_path / "我的"
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(1) or (str(target), ""))
    assert window.save()
    assert asked and sample.read_bytes() == before
    assert (tmp_path / "我的.pefx").exists()


def test_welcome_strip_goes_after_save_as(qtbot, make_win, tmp_path, monkeypatch):
    win = make_win(sample_path("liuyang-2021.pefx"), is_sample=True)
    try:
        strip = win.welcome_strip
        assert strip.isVisible() and "示例" in strip.label.text()
        assert win.save_as(tmp_path / "自己的报告.pefx")
        assert not strip.isVisible()
    finally:
        win.shutdown()
        win.close()
