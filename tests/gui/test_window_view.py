"""Issue 21 (10): 字号 from the desktop's font (Ctrl++ / Ctrl+-), a toolbar, 查找 (Ctrl+F) across
narrative, headings and tables."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolBar

from perfeval_gui.gui.fontsize import desktop_point_size

CTRL = Qt.KeyboardModifier.ControlModifier


def test_font_size_steps_from_the_desktop_size_and_is_remembered(qtbot, window, make_win):
    app = QApplication.instance()
    desktop = desktop_point_size(app)
    try:
        window.tabs.setCurrentWidget(window.section_tab("二"))
        field = window.section_tab("二").fields["expenditure.total"]
        before = field.fontInfo().pointSizeF()
        qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_Plus, CTRL)
        qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_Plus, CTRL)
        assert app.font().pointSizeF() == desktop + 2
        field = window.section_tab("二").fields["expenditure.total"]     # rebuilt with the new font
        assert field.fontInfo().pointSizeF() > before
        assert window.tabs.currentWidget() is window.section_tab("二")
        qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_Minus, CTRL)
        assert app.font().pointSizeF() == desktop + 1
        from perfeval_gui.gui.fontsize import current_step
        assert current_step() == 1                                       # remembered for next start
    finally:
        window.change_font(None)
    assert app.font().pointSizeF() == desktop


def test_toolbar_has_the_common_actions(window):
    bar = window.findChild(QToolBar, "main_toolbar")
    assert bar is not None and bar.isVisible()
    actions = bar.actions()
    for action in (window.new_action, window.open_action, window.save_action, window.undo_action,
                   window.import_action, window.export_action, window.find_action):
        assert action in actions


def test_find_goes_through_narrative_and_table_cells(qtbot, window):
    report = window.doc.report
    project = report.projects[2].name
    word = project[:2]
    qtbot.keyClick(window.tabs.currentWidget() or window, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is bar.edit, timeout=2000)
    bar.edit.setText(word)
    assert bar.matches and "共" in bar.count_label.text()
    seen = set()
    for _ in range(len(bar.matches)):
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
        seen.add(bar.matches[bar.index][0])
    # a table cell (the project name) and a narrative paragraph are both among the matches
    assert any(p.startswith("projects[") and p.endswith(".name") for p in seen)
    assert any(p.startswith("narrative[") for p in seen)
    # the last jump landed on its widget with the word selected (narrative) or the cell current (table)
    path, _pos = bar.matches[bar.index]
    focus_tab = window.tabs.currentWidget()
    assert focus_tab is not None
    narrative = next(((p, w) for p, w in focus_tab.fields.items() if p == path), None)
    if narrative and isinstance(narrative[1], QPlainTextEdit):
        assert narrative[1].textCursor().selectedText() == word
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()


def test_find_does_not_mark_fields_amber(qtbot, window):
    window.open_find()
    heading = window.doc.report.headings.get("六") or "存在的主要问题"
    window.find_bar.edit.setText(heading[-4:])
    window.find_bar.next()
    for tab in window.section_tabs:
        for widget in tab.fields.values():
            if widget.severity is not None:
                assert any(widget.path in f.paths for f in window.doc.findings), widget.path
