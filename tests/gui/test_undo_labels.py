"""Undo texts name the field in Chinese (issue 12 / 21): never a field path."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QMenu


def test_undo_menu_names_the_field_in_chinese(window, qtbot):
    doc = window.doc
    doc.set_value("meta.unit_name", "浏阳市某中心")
    assert doc.undo_stack.undoText() == "修改 单位名称"
    name = doc.report.projects[0].name
    doc.set_value("projects[0].actual", Decimal("1.00"))
    assert doc.undo_stack.undoText() == f"修改 项目“{name}”的实际支出"
    undo_action = next(a for m in window.menuBar().findChildren(QMenu)
                       for a in m.actions() if a.text().startswith("撤销"))
    assert "projects[" not in undo_action.text() and "实际支出" in undo_action.text()


def test_a_stale_note_can_be_removed_from_the_findings_panel(window, qtbot):
    doc = window.doc
    doc.set_value("acknowledged[PRJ-06:projects[9]#00000000]", "旧说明")
    stale = next(f for f in doc.findings if f.rule_id == "ACK-01")
    assert any("已不适用" in m for m in window.findings_panel.messages())
    window.findings_panel.note_changed.emit(stale, None)
    assert "PRJ-06:projects[9]#00000000" not in doc.report.acknowledged
    assert not [f for f in doc.findings if f.rule_id == "ACK-01"]
    doc.undo_stack.undo()
    assert doc.report.acknowledged["PRJ-06:projects[9]#00000000"] == "旧说明"
