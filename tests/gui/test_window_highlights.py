"""Issue 21 (1): the red/amber frame of a field always matches the current findings — checked on
the rendered widget (pixels and palette), not only on a property."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from perfeval_gui.gui.styles import WARNING_COLOR

from test_main_window import retype, type_text


def _rendered(qtbot, widget):
    """(colour of the left frame pixel, colour of the field's base) as painted now."""
    content = widget.window()
    # the tab's layout has settled (a freshly built tab is first squeezed into the viewport, then
    # grown to its minimum size): the field has at least its minimum height
    qtbot.wait(100)

    qtbot.waitUntil(lambda: widget.height() >= min(widget.minimumSizeHint().height(), widget.maximumHeight()) > 0,
                    timeout=3000)
    qtbot.wait(30)          # pending polish and paint events
    assert content.isVisible()
    image = widget.grab().toImage()
    return image.pixelColor(1, image.height() // 2), widget.palette().color(QPalette.ColorRole.Base)


def _amber(colour: QColor) -> bool:
    return colour.name() == QColor(WARNING_COLOR).name()


def test_filling_new_report_fields_clears_their_amber_frame(qtbot, make_win):
    win = make_win()
    try:
        tab = win.section_tab("一")
        win.tabs.setCurrentWidget(tab)
        fields = [tab.fields["meta.unit_name"], tab.fields["meta.fiscal_year"], tab.fields["narrative[一.一]"]]
        for widget in fields:
            tab.ensureWidgetVisible(widget)
            edge, base = _rendered(qtbot, widget)
            assert widget.severity is not None and _amber(edge), widget.path
            assert base.name() != "#ffffff"
        retype(qtbot, fields[0], "浏阳市财政局")
        retype(qtbot, fields[1], "2021")
        fields[2].setFocus()
        type_text(qtbot, fields[2], "本部门负责全市财政工作。")
        for widget in fields:
            tab.ensureWidgetVisible(widget)
            edge, base = _rendered(qtbot, widget)
            assert widget.severity is None, widget.path
            assert not _amber(edge), widget.path
            assert base.name() == "#ffffff", widget.path
        # and back: clearing the unit name brings the frame back at once
        retype(qtbot, fields[0], "")
        edge, _ = _rendered(qtbot, fields[0])
        assert _amber(edge)
    finally:
        win.shutdown()
        win.close()


def test_table_cell_mark_follows_the_findings_and_repaints_only_changed_cells(qtbot, window):
    from decimal import Decimal

    from perfeval_gui.gui.table import ERROR_BG
    from PySide6.QtCore import Qt as _Qt
    tab = window.section_tab("五")
    tab.ensure_built()
    window.tabs.setCurrentWidget(tab)
    model = tab.project_table.model
    col = [c.attr for c in model.columns].index("carryover")
    old = window.doc.report.projects[1].carryover
    emitted = []
    model.dataChanged.connect(lambda a, b, *_: emitted.append(((a.row(), a.column()), (b.row(), b.column()))))
    window.doc.set_value("projects[1].carryover", Decimal("50"))
    brush = model.data(model.index(1, col), _Qt.ItemDataRole.BackgroundRole)
    assert brush is not None and brush.color() == ERROR_BG
    n = model.item_count()
    # the edited cell, the totals row, the newly marked cells — never the whole table
    assert all(a == b or a[0] == b[0] == n for a, b in emitted), emitted
    assert ((1, col), (1, col)) in emitted
    window.doc.set_value("projects[1].carryover", old)
    assert model.data(model.index(1, col), _Qt.ItemDataRole.BackgroundRole) is None


def test_findings_panel_follows_typed_figures_after_a_pause(qtbot, window):
    from decimal import Decimal
    lst = window.findings_panel.list

    def texts():
        return [lst.item(i).text() for i in range(lst.count())]
    window.doc.set_value("expenditure.total", Decimal("400"))      # EXP-01 appears at once
    assert any("[EXP-01]" in t and "400" in t for t in texts())
    count = lst.count()
    window.doc.set_value("expenditure.total", Decimal("401"))      # same findings, new figures
    qtbot.waitUntil(lambda: any("[EXP-01]" in t and "401" in t for t in texts()), timeout=2000)
    assert lst.count() == count
    window.doc.set_value("expenditure.total", Decimal("385.5"))    # gone again
    assert not any("[EXP-01]" in t for t in texts())
