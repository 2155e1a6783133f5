"""Issue 21 (3): no English word in any dialog, button, menu or context menu of the window.

Each dialog is opened the way the officer opens it (menu action, right click), inspected while
it is on screen, and closed; every visible label, button, menu entry, tooltip, group title and
column header is searched for ASCII words."""
from __future__ import annotations

import re
from decimal import Decimal

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QComboBox, QGroupBox, QLabel, QLineEdit, QMenu, QMessageBox, QWidget)

ALLOWED = {"Excel", "WPS", "Word", "PDF", "Ctrl", "Shift", "Alt", "Del", "PgUp", "PgDn", "Tab", "Esc",
           "pefx", "xlsx", "xls", "xlsm", "docx", "doc", "Qt", "PySide", "GNU", "LGPL", "MIT"}
RULE_ID = re.compile(r"\b[A-Z]{2,4}-\d{2}\b")
PATHLIKE = re.compile(r"\S*[/\\]\S*")
TAG = re.compile(r"<[^>]+>|&\w+;")


def english_words(text: str) -> list[str]:
    text = PATHLIKE.sub(" ", RULE_ID.sub(" ", TAG.sub(" ", text or "")))
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED]


def visible_texts(top: QWidget) -> list[str]:
    texts = [top.windowTitle()]
    for w in [top] + top.findChildren(QWidget):
        if not w.isVisible():
            continue
        texts.append(w.toolTip())
        if isinstance(w, QLabel):
            texts.append(w.text())
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QMenu):
            texts += [a.text() for a in w.actions()]
        elif isinstance(w, QComboBox) and not w.isEditable() and w.objectName() != "lookInCombo":
            texts += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            m = w.model()
            texts += [str(m.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(m.columnCount())]
    return texts


class Inspector:
    """Waits for the next modal dialog or popup menu, records its texts and closes it."""

    def __init__(self, steps: int = 1, then=None):
        self.found: list[tuple[str, list[str]]] = []
        self.steps = steps
        self.then = then or (lambda w: w.close() if isinstance(w, QMenu) else w.reject())
        self._last = None
        QTimer.singleShot(30, self._poll)

    def _poll(self):
        w = QApplication.activePopupWidget() or QApplication.activeModalWidget()
        if w is None or w is self._last:
            QTimer.singleShot(30, self._poll)
            return
        self._last = w
        self.found.append((w.windowTitle() or type(w).__name__, visible_texts(w)))
        self.steps -= 1
        action = self.then
        if self.steps > 0:
            QTimer.singleShot(30, self._poll)
        action(w)

    def english(self) -> list[tuple[str, list[str]]]:
        return [(title, words) for title, texts in self.found
                for words in [sum((english_words(t) for t in texts), [])] if words]


def open_and_inspect(qtbot, trigger, steps=1, then=None) -> Inspector:
    inspector = Inspector(steps, then)
    trigger()
    qtbot.waitUntil(lambda: len(inspector.found) >= 1, timeout=5000)
    return inspector


def test_english_word_finder_finds_english():
    assert english_words("Look in: File name") == ["Look", "in", "File", "name"]
    assert english_words("从 Excel 导入 — /tmp/a b/c.xlsx [EXP-01]") == []


def test_menus_of_the_window_are_chinese(window):
    texts = []
    for menu in window.menuBar().findChildren(QMenu):
        menu.aboutToShow.emit()
        texts += [menu.title()] + [a.text() for a in menu.actions()] + [a.toolTip() for a in menu.actions()]
    assert [w for t in texts for w in english_words(t)] == []


def test_every_dialog_and_context_menu_is_chinese(qtbot, window, tmp_path, monkeypatch):
    win = window
    win.build_all_tabs()
    seen: list[Inspector] = []

    # file dialogs: 打开, 另存为 with the overwrite prompt, 从 Excel 导入
    monkeypatch.setattr(win, "maybe_save", lambda: True)
    seen.append(open_and_inspect(qtbot, lambda: win.open_file()))
    existing = tmp_path / "已有.pefx"
    existing.write_text("{}", encoding="utf-8")

    def type_existing_name(dialog):
        edit = next(e for e in dialog.findChildren(QLineEdit) if e.isVisible())
        edit.setText(str(existing))
        dialog.accept()          # → "已存在，要替换吗？"
    def answer_no_and_cancel(box):
        box.reject()
        QTimer.singleShot(0, box.parentWidget().reject)     # and cancel the file dialog itself
    save_as = Inspector(2, then=lambda w: answer_no_and_cancel(w) if isinstance(w, QMessageBox)
                        else type_existing_name(w))
    QTimer.singleShot(0, lambda: win.save_as())
    qtbot.waitUntil(lambda: len(save_as.found) >= 2 and QApplication.activeModalWidget() is None, timeout=5000)
    seen.append(save_as)
    seen.append(open_and_inspect(qtbot, lambda: win.import_excel()))
    monkeypatch.undo()

    # message boxes: 保存修改 (with its three buttons), 关于
    win.doc.set_value("meta.contact", "张三")
    seen.append(open_and_inspect(qtbot, lambda: win.maybe_save()))
    seen.append(open_and_inspect(qtbot, lambda: win.show_about(), then=lambda w: w.accept()))

    # input dialogs: 上年数, 核实并说明
    amount = next(t.fields["expenditure.total"] for t in win.section_tabs if "expenditure.total" in t.fields)
    seen.append(open_and_inspect(qtbot, amount.ask_prior_year))
    finding = next(f for f in win.doc.findings if f.acknowledgeable)
    seen.append(open_and_inspect(qtbot, lambda: win.findings_panel.ask_note(finding)))

    # right-click menus: amount field, narrative, a plain text field, a table, the findings list
    def right_click(widget, pos=QPoint(10, 10)):  # noqa: B008
        def go():
            widget.setFocus()
            from PySide6.QtGui import QContextMenuEvent
            QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                             widget.mapToGlobal(pos)))
        return go
    tab_one = win.section_tab("一")
    narrative = tab_one.fields["narrative[一.一]"]
    seen.append(open_and_inspect(qtbot, right_click(amount)))
    seen.append(open_and_inspect(qtbot, right_click(narrative.viewport())))
    seen.append(open_and_inspect(qtbot, right_click(tab_one.fields["meta.unit_name"])))
    table = win.section_tab("五").project_table
    table.select_cell(0, 0)
    seen.append(open_and_inspect(qtbot, right_click(table.view.viewport())))
    win.doc.set_value("projects[1].carryover", Decimal("50"))
    lst = win.findings_panel.list
    rect = lst.visualItemRect(lst.item(0))
    seen.append(open_and_inspect(qtbot, right_click(lst.viewport(), rect.center())))

    # 新建下一年度报告…, 批量检查… and 从 Word 导入 (their file dialogs)
    seen.append(open_and_inspect(qtbot, lambda: win.new_next_year()))
    seen.append(open_and_inspect(qtbot, lambda: win.batch_check()))
    monkeypatch.setattr(win, "maybe_save", lambda: True)
    seen.append(open_and_inspect(qtbot, lambda: win.import_word()))
    monkeypatch.undo()

    # the help window (not modal)
    help_window = win.show_help() or win.help_window
    qtbot.wait(20)
    english = [(help_window.windowTitle(), sum((english_words(t) for t in visible_texts(help_window)), []))]
    help_window.close()

    assert sum(len(i.found) for i in seen) >= 15
    english += [e for i in seen for e in i.english()]
    assert [e for e in english if e[1]] == []


def test_rule_profile_is_shown_by_its_chinese_name(window):
    import tomllib
    from perfeval_gui.resources import resource_path
    combo = next(t.fields["meta.rule_profile"] for t in (window.section_tab("一"),) if t.ensure_built() or True)
    with open(resource_path("rules", "hunan-default.toml"), "rb") as fh:
        name = tomllib.load(fh)["name"]
    assert combo.currentText() == name and english_words(name) == []
    assert window.doc.report.meta.rule_profile in (None, "", "hunan-default")


def test_selected_tab_is_drawn_differently(qtbot, window):
    bar = window.tabs.tabBar()
    window.tabs.setCurrentIndex(2)
    qtbot.wait(30)
    image = bar.grab().toImage()
    selected, other = bar.tabRect(2), bar.tabRect(3)
    y = selected.bottom() - 1
    assert image.pixelColor(selected.center().x(), y) != image.pixelColor(other.center().x(), y)
