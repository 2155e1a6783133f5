"""Issue 21 (5, 6): tables take what Excel/WPS put on the clipboard, clear with Delete, have a
right-click menu, and Tab leaves a table after its last cell."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QItemSelectionModel, QMimeData, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from perfeval_gui.gui.clipboard import parse_html_table, parse_tsv


def projects_table(win):
    tab = win.section_tab("五")
    tab.ensure_built()
    win.tabs.setCurrentWidget(tab)
    return tab.project_table


def col(table, attr):
    return [c.attr for c in table.model.columns].index(attr)


def test_excel_text_with_quoted_line_breaks_blank_cells_and_trailing_columns():
    text = '"农村公路\n建设"\t12.5\t\t\r\n"说""明"\t\t3\t\r\n\t\t\t\r\n'
    assert parse_tsv(text) == [["农村公路\n建设", "12.5", ""], ['说"明', "", "3"]]


def test_html_table_from_wps():
    html = ("<html><body><table><tr><td>项目<br>甲</td><td>1,000.00</td><td></td></tr>"
            "<tr><td>乙</td><td colspan='2'>5</td></tr></table></body></html>")
    assert parse_html_table(html) == [["项目\n甲", "1,000.00"], ["乙", "5"]]
    assert parse_html_table("<p>没有表格</p>") is None


def test_paste_from_excel_clipboard_with_line_breaks_and_blanks(qtbot, window):
    table = projects_table(window)
    doc = window.doc
    old_budget = doc.report.projects[1].budget_initial
    old_kind = doc.report.projects[0].kind
    table.select_cell(0, col(table, "name"))
    count = doc.undo_stack.count()
    mime = QMimeData()
    # names with a line break (quoted by Excel), blank 类别 and 年初预算 cells, empty trailing columns
    mime.setText('"农村公路\n建设"\t\t10\t\t\n"第二个\n项目"\t\t\t\t\n')
    QGuiApplication.clipboard().setMimeData(mime)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert table.message.isHidden(), table.message.text()
    assert doc.undo_stack.count() == count + 1
    names = [p.name for p in doc.report.projects[:2]]
    assert names == ["农村公路建设", "第二个项目"]
    assert doc.report.projects[0].budget_initial == Decimal("10")
    assert doc.report.projects[1].budget_initial == old_budget          # blank: kept
    assert doc.report.projects[0].kind == old_kind
    assert "空白单元格保持原值" in table.note.text() and not table.note.isHidden()


def test_paste_prefers_the_html_table(qtbot, window):
    table = projects_table(window)
    table.select_cell(2, col(table, "budget_initial"))
    mime = QMimeData()
    mime.setText("garbage")
    mime.setHtml("<table><tr><td>7.5</td><td>0</td></tr></table>")
    QGuiApplication.clipboard().setMimeData(mime)
    assert table.paste_from_clipboard()
    p = window.doc.report.projects[2]
    assert (p.budget_initial, p.budget_adjustment) == (Decimal("7.5"), Decimal("0"))


def test_blank_cell_in_a_choice_column_is_accepted(qtbot, window):
    tab = window.section_tab("附")
    tab.ensure_built()
    table = tab.indicator_table
    window.doc.insert_item("projects[0].indicators", 0)
    assert table.model.item_count() == 1
    before = window.doc.get(table.model.path_for(0, col(table, "rule")))
    table.select_cell(0, col(table, "weight"))
    assert table.paste_text("5\t\t"), table.message.text()
    assert window.doc.get(table.model.path_for(0, col(table, "rule"))) == before


def test_refusal_names_row_column_and_reason(qtbot, window):
    table = projects_table(window)
    table.select_cell(1, col(table, "actual"))
    assert not table.paste_text("12\nabc\n")
    text = table.message.text()
    assert "第 3 行" in text and "实际支出" in text and "abc" in text and "未做任何修改" in text


def test_delete_clears_selected_cells_in_one_undo_step(qtbot, window):
    table = projects_table(window)
    doc = window.doc
    c1, c2 = col(table, "budget_final"), col(table, "actual")
    table.select_cell(0, c1)
    sel = table.view.selectionModel()
    for r in (0, 1):
        for c in (c1, c2):
            sel.select(table.model.index(r, c), QItemSelectionModel.SelectionFlag.Select)
    before = [(p.budget_final, p.actual) for p in doc.report.projects[:2]]
    assert all(v is not None for pair in before for v in pair)
    count = doc.undo_stack.count()
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_Delete)
    assert [(p.budget_final, p.actual) for p in doc.report.projects[:2]] == [(None, None), (None, None)]
    assert doc.undo_stack.count() == count + 1
    window.undo_action.trigger()
    assert [(p.budget_final, p.actual) for p in doc.report.projects[:2]] == before


def test_right_click_menu_offers_row_and_cell_actions(qtbot, window):
    table = projects_table(window)
    table.select_cell(1, 0)
    n = len(window.doc.report.projects)
    shown = []

    def pick():
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        shown.extend(a.text() for a in menu.actions() if a.text())
        insert = next(a for a in menu.actions() if a.text() == "插入行")
        menu.close()
        insert.trigger()
    QTimer.singleShot(50, pick)
    rect = table.view.visualRect(table.model.index(1, 0))
    table.show_context_menu(rect.center())
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert shown == ["插入行", "删除行", "复制", "粘贴", "清除"]
    assert len(window.doc.report.projects) == n + 1
    assert window.doc.report.projects[1].name in ("", None)


def test_copy_puts_excel_text_on_the_clipboard(qtbot, window):
    table = projects_table(window)
    table.select_cell(0, col(table, "name"))
    for c in (col(table, "name"), col(table, "actual")):
        table.view.selectionModel().select(table.model.index(0, c), QItemSelectionModel.SelectionFlag.Select)
    table.copy_selection()
    rows = parse_tsv(QGuiApplication.clipboard().text())
    p = window.doc.report.projects[0]
    assert rows[0][0] == p.name and Decimal(rows[0][-1]) == p.actual


def test_tab_on_the_last_cell_leaves_the_table(qtbot, window):
    table = projects_table(window)
    last_row = table.model.item_count() - 1
    last_col = table.model.columnCount() - 1
    table.select_cell(last_row, last_col)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not table.view and not table.view.isAncestorOf(focus)
    # and Shift+Tab on the first cell leaves backwards
    table.select_cell(0, 0)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    focus = QApplication.focusWidget()
    assert focus is not table.view and not table.view.isAncestorOf(focus)
    # inside the table Tab still moves cell by cell
    table.select_cell(0, 0)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is table.view and table.view.currentIndex().column() == 1


def test_tab_in_an_open_cell_editor_on_the_last_cell_leaves_the_table(qtbot, window):
    table = projects_table(window)
    last_row = table.model.item_count() - 1
    last_col = table.model.columnCount() - 1
    table.select_cell(last_row, last_col)
    table.view.setFocus()
    table.view.edit(table.view.currentIndex())
    editor = QApplication.focusWidget()
    assert editor is not table.view
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not None and not table.view.isAncestorOf(focus) and focus is not table.view
