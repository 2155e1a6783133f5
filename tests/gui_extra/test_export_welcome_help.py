"""Export Word from the window, the first-run welcome strip, the help and about windows."""
from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence

from gui_extra_helpers import close, open_window
from perfeval_gui.core.serialize import report_to_data
from perfeval_gui.gui import export_dialog, help as help_mod
from perfeval_gui.gui.welcome import WelcomeStrip
from perfeval_gui.resources import sample_path


@pytest.fixture
def dialogs(monkeypatch):
    """Record the export dialogs instead of showing them."""
    log = {"asked": [], "failures": [], "success": [], "urls": [], "answer": False, "choice": "close"}

    def ask(parent, errors):
        log["asked"].append(errors)
        return log["answer"]

    monkeypatch.setattr(export_dialog, "ask_continue_with_errors", ask)
    monkeypatch.setattr(export_dialog, "choose_path", lambda *a: pytest.fail("file dialog shown"))
    monkeypatch.setattr(export_dialog, "show_failure", lambda parent, msg: log["failures"].append(msg))
    monkeypatch.setattr(export_dialog, "show_success",
                        lambda parent, path, notes="": log["success"].append(path) or log.setdefault(
                            "notes", []).append(notes) or log["choice"])
    monkeypatch.setattr(export_dialog, "ask_report_date", lambda parent: log.setdefault("dates", []).append(1))
    monkeypatch.setattr(export_dialog, "open_url", lambda url: log["urls"].append(url) or True)
    monkeypatch.setattr(export_dialog, "ask_include_forms",
                        lambda parent: log.setdefault("forms_asked", []).append(1) or log.get("forms", False))
    return log


def test_export_with_errors_asks_and_cancel_writes_nothing(win, dialogs, tmp_path):
    win.doc.set_value("expenditure.total", Decimal("400"))       # EXP-01 error
    target = tmp_path / "out.docx"
    assert win.export_word(target) is False
    assert len(dialogs["asked"]) == 1
    assert any(f.rule_id == "EXP-01" for f in dialogs["asked"][0])
    assert not target.exists() and list(tmp_path.iterdir()) == [tmp_path / "我的 报告"]


def test_error_list_is_capped_at_ten():
    from perfeval_gui.core.findings import Finding, Severity
    errors = [Finding("X", Severity.ERROR, f"错误{i}") for i in range(14)]
    text = export_dialog.error_list_text(errors)
    assert "10. 错误9" in text and "错误10" not in text and "等 14 项" in text


def test_successful_export_to_chinese_path_with_spaces(win, dialogs, own_file):
    target = own_file.parent / "导出 结果 2021"           # no suffix: .docx is added
    dialogs["choice"] = "folder"
    assert win.export_word(target) is True
    written = target.with_name(target.name + ".docx")
    assert written.is_file()
    import docx
    text = "\n".join(p.text for p in docx.Document(str(written)).paragraphs)
    assert "浏阳市优化营商环境协调事务中心" in text
    assert dialogs["asked"] == []                          # the sample has no errors
    assert dialogs["success"] == [written]
    assert dialogs["urls"] == [QUrl.fromLocalFile(str(written.parent))]


def test_write_error_shows_message_and_keeps_the_report(win, dialogs, own_file):
    win.doc.set_value("income.budget_total", Decimal("390"))
    before = report_to_data(win.doc.report)
    target = own_file.parent / "不存在的文件夹" / "报告.docx"
    assert win.export_word(target) is False
    assert len(dialogs["failures"]) == 1 and "文件夹不存在" in dialogs["failures"][0]
    assert dialogs["success"] == []
    assert win.doc.is_dirty()
    assert report_to_data(win.doc.report) == before
    assert win.doc.get("income.budget_total") == Decimal("390")


def test_default_export_name_sits_next_to_the_project(win):
    path = export_dialog.default_path(win.doc)
    assert path.parent == win.doc.path.parent
    assert path.name == "浏阳市优化营商环境协调事务中心2021年度部门整体支出绩效自评报告.docx"


def test_welcome_strip_on_sample_and_dismissal_persists(qtbot):
    w = open_window(qtbot, sample_path("liuyang-2021.pefx"), is_sample=True)
    strip = w.findChild(WelcomeStrip)
    assert strip is not None and strip.isVisible()
    assert "这是示例报告（浏阳市 2021 年）。" in strip.label.text()
    assert w.tabs.isVisible()
    strip.close_button.click()
    assert not strip.isVisible()
    close(w)
    again = open_window(qtbot, sample_path("liuyang-2021.pefx"), is_sample=True)
    assert again.findChild(WelcomeStrip) is None
    close(again)


def test_welcome_strip_not_shown_for_own_file(win):
    assert win.findChild(WelcomeStrip) is None


def test_help_window_shows_the_guide(win):
    assert win.help_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    win.help_action.trigger()
    helper = win.help_window
    assert helper.isVisible()
    first_heading = next(line for line in help_mod.guide_path().read_text(encoding="utf-8").splitlines()
                         if line.startswith("# "))[2:].strip()
    assert first_heading in helper.browser.toPlainText()
    html = helper.browser.toHtml()
    assert "images/" in html                               # the screenshots are referenced …
    image = helper.browser.loadResource(2, QUrl("images/overview.png"))   # … and resolvable
    assert image is not None and not image.isNull()
    helper.close()


def test_about_names_version_and_qt(monkeypatch, win):
    shown = []
    monkeypatch.setattr(help_mod.QMessageBox, "about", lambda parent, title, text: shown.append(text))
    win.about_action.trigger()
    from perfeval_gui import __version__
    assert __version__ in shown[0] and "PySide6" in shown[0] and "许可" in shown[0]


def test_export_with_the_forms_appends_them_as_annexes_and_the_workbook_menu_writes_them(win, dialogs, tmp_path):
    from docx import Document
    dialogs["answer"] = True
    dialogs["forms"] = True
    target = tmp_path / "带附件.docx"
    assert win.export_word(target) is True
    assert dialogs["forms_asked"] == [1]
    text = "\n".join(p.text for p in Document(target).paragraphs)
    assert "附件1" in text and "部门整体支出绩效自评表" in text
    dialogs["forms"] = False
    alone = tmp_path / "只有报告.docx"
    assert win.export_word(alone) is True
    assert "附件1" not in "\n".join(p.text for p in Document(alone).paragraphs)
    book = tmp_path / "表格.xlsx"
    assert "导出报送表格（Excel）…" in [a.text() for a in win.file_menu.actions()]
    assert win.export_forms(book) is True
    import openpyxl
    names = openpyxl.load_workbook(book).sheetnames
    assert any("自评表" in n for n in names)
