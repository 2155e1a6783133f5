"""Issue 21 (6): sections switch from anywhere by keyboard — Ctrl+Tab / Ctrl+Shift+Tab,
Ctrl+PgDn / Ctrl+PgUp and Alt+digit — even when focus is in a table, a narrative box or the
findings list."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def _focus_targets(win):
    tab = win.section_tab("五")
    win.tabs.setCurrentWidget(tab)
    return {"table": tab.project_table.view,
            "narrative": tab.fields["narrative[五.一]"],
            "findings": win.findings_panel.list}


@pytest.mark.parametrize("where", ["table", "narrative", "findings"])
def test_ctrl_tab_and_ctrl_pgdn_switch_sections_from_anywhere(qtbot, window, where):
    win = window
    widget = _focus_targets(win)[where]
    start = win.tabs.currentIndex()
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Tab, CTRL)
    assert win.tabs.currentIndex() == start + 1
    widget = _focus_targets(win)[where]
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert win.tabs.currentIndex() == start - 1
    widget = _focus_targets(win)[where]
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_PageDown, CTRL)
    assert win.tabs.currentIndex() == start + 1
    qtbot.keyClick(win.tabs.currentWidget(), Qt.Key.Key_PageUp, CTRL)
    assert win.tabs.currentIndex() == start


def test_alt_digit_jumps_to_a_section(qtbot, window):
    win = window
    view = _focus_targets(win)["table"]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_2, ALT)
    assert win.tabs.currentWidget() is win.section_tab("二")
    qtbot.keyClick(win.tabs.currentWidget(), Qt.Key.Key_0, ALT)
    assert win.tabs.currentIndex() == 0
    texts = [a.text() for a in win.goto_menu.actions() if a.isVisible()]
    assert any("二、" in t for t in texts)
