"""文件 → 导出 PDF… and 打印预览… (Ctrl+P) from the real window."""
from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtGui import QKeySequence

from perfeval_gui.gui import export_dialog


@pytest.fixture
def quiet(monkeypatch):
    log = {"success": [], "notes": [], "failures": [], "dates": 0}

    def date(parent):
        log["dates"] += 1
        return "2022-03-05"
    monkeypatch.setattr(export_dialog, "ask_report_date", date)
    monkeypatch.setattr(export_dialog, "ask_continue_with_errors", lambda parent, errors: True)
    monkeypatch.setattr(export_dialog, "show_success",
                        lambda parent, path, notes="": log["success"].append(path) or log["notes"].append(notes)
                        or "close")
    monkeypatch.setattr(export_dialog, "show_failure", lambda parent, msg: log["failures"].append(msg))
    monkeypatch.setattr(export_dialog, "ask_include_forms", lambda parent: False)
    return log


def test_menu_has_pdf_and_print_preview(win):
    texts = [a.text() for a in win.file_menu.actions()]
    assert "导出 PDF…" in texts and "打印预览…" in texts
    assert win.print_preview_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)


def test_export_pdf_asks_for_the_date_and_marks_errors(win, quiet, own_file, monkeypatch):
    monkeypatch.setenv("PERFEVAL_OFFICE", "")              # the built-in rendering (no office suite)
    win.doc.set_value("expenditure.total", Decimal("400"))       # an error: forced export
    target = own_file.parent / "报告 PDF"
    assert win.export_pdf(target) is True
    written = target.with_name(target.name + ".pdf")
    assert written.read_bytes().startswith(b"%PDF")
    assert quiet["dates"] == 1 and win.doc.report.meta.report_date == "2022-03-05"
    assert "草稿：本报告尚有" in quiet["notes"][0]
    win.doc.undo_stack.undo() if hasattr(win.doc, "undo_stack") else None


def test_print_preview_opens_and_closes(win, quiet, qtbot):
    dialog = win.print_preview(exec_dialog=False)
    assert dialog is not None and dialog.page_count >= 10
    assert "共" in dialog.windowTitle()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.close()
    assert not dialog.isVisible()


def test_print_preview_can_be_cancelled(win, quiet, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    assert win.print_preview(exec_dialog=False) is None
    assert "取消" in win.statusBar().currentMessage()


def test_print_preview_shows_the_draft_mark_pages(win, quiet):
    from decimal import Decimal as D
    win.doc.set_value("expenditure.total", D("400"))        # an error
    dialog = win.print_preview(exec_dialog=False)
    assert dialog._pages.layout.draft_mark.startswith("草稿：本报告尚有")
    dialog.close()
