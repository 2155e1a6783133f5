"""The forms' tabs (issue 17): the same fields as the report, live findings, click-to-field, undo."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QApplication

from test_main_window import _click_finding, panel_rules, retype


def form_tab(win, section_id):
    tab = next(t for t in win.section_tabs if t.section_id == section_id)
    win.tabs.setCurrentWidget(tab)
    tab.ensure_built()
    return tab


def test_every_form_has_its_tab_after_the_report(window):
    titles = [window.tabs.tabText(window.tabs.indexOf(t)) for t in window.section_tabs[-3:]]
    assert [t.split(" (")[0] for t in titles] == ["表 部门自评表", "表 基础数据表", "表 项目自评表"]


def test_a_figure_typed_on_the_form_is_the_reports_figure(qtbot, window):
    tab = form_tab(window, "部门自评表")
    cell = tab.fields["expenditure.basic"]            # 按支出性质分 基本支出 × 全年执行数
    retype(qtbot, cell, "190")
    assert window.doc.report.expenditure.basic == Decimal("190")
    # the same field on the report's tab shows it, and EXP-01 names the form's cells
    report_tab = window.section_tab("二")
    report_tab.ensure_built()
    assert report_tab.fields["expenditure.basic"].text().startswith("190")
    exp01 = next(f for f in window.doc.findings if f.rule_id == "EXP-01")
    assert "部门整体支出绩效自评表" in exp01.message
    assert cell.severity is not None                   # marked on the form too
    window.doc.undo_stack.undo()
    assert window.doc.report.expenditure.basic == Decimal("184.9")
    assert "EXP-01" not in panel_rules(window)


def test_form_cell_finding_clicks_to_the_form_and_undo_restores(qtbot, window):
    tab = form_tab(window, "部门自评表")
    cell = tab.fields["dept_form.general_budget.actual"]
    start = window.doc.undo_stack.index()
    retype(qtbot, cell, "300")
    assert window.doc.report.dept_form.general_budget.actual == Decimal("300")
    assert "INC-04" in panel_rules(window)
    assert window.tabs.tabText(window.tabs.indexOf(tab)).endswith("(1)")
    window.tabs.setCurrentIndex(0)
    _click_finding(qtbot, window, "INC-04")
    assert window.tabs.currentWidget() is tab
    assert QApplication.focusWidget() is cell
    while window.doc.undo_stack.index() > start:
        window.doc.undo_stack.undo()
    assert window.doc.report.dept_form.general_budget.actual is None
    assert "INC-04" not in panel_rules(window)


def test_computed_values_show_as_placeholders_until_a_figure_is_stated(qtbot, window):
    tab = form_tab(window, "基础数据表")
    rate = tab.fields["basic_data.staff_control_rate_stated"]
    assert rate.text() == "" and rate.placeholderText() == "计算：91.67%"      # 11 ÷ 12
    retype(qtbot, rate, "95%")
    assert window.doc.report.basic_data.staff_control_rate_stated == Decimal("95")
    stf06 = next(f for f in window.doc.findings if f.rule_id == "STF-06")
    assert "11 ÷ 编制数 12 = 91.67%" in stf06.message
    retype(qtbot, rate, "91.67")
    assert "STF-06" not in panel_rules(window)


def test_project_form_follows_the_chosen_project(qtbot, window):
    tab = form_tab(window, "项目自评表")
    assert tab.project_combo.count() == len(window.doc.report.projects)
    tab.project_combo.setCurrentIndex(2)
    name = window.doc.report.projects[2].name
    cell = tab.fields["projects[2].form.fiscal.actual"]
    retype(qtbot, cell, "200")
    prj08 = next(f for f in window.doc.findings if f.rule_id == "PRJ-08")
    assert name in prj08.message and "当年财政拨款" in prj08.message and "项目支出绩效自评表" in prj08.message
    # clicking the finding while another project is shown brings this project's form back
    tab.project_combo.setCurrentIndex(0)
    _click_finding(qtbot, window, "PRJ-08")
    assert tab.project_combo.currentIndex() == 2
    assert QApplication.focusWidget() is tab.fields["projects[2].form.fiscal.actual"]
    window.doc.undo_stack.undo()
    assert window.doc.report.projects[2].form.fiscal.actual is None


def test_basic_data_rows_follow_the_projects(qtbot, window):
    tab = form_tab(window, "基础数据表")
    assert "projects[0].actual" in tab.fields
    window.doc.set_value("projects[0].category", "business")        # now counted in 业务工作经费
    assert "projects[0].actual" not in tab.fields
    window.doc.undo_stack.undo()
    assert "projects[0].actual" in tab.fields


def test_renaming_a_project_relabels_its_basic_data_row_in_place(qtbot, window):
    tab = form_tab(window, "基础数据表")
    cell = tab.fields["projects[2].actual"]
    window.doc.set_value("projects[2].name", "投诉处理（改名）")
    assert tab.fields["projects[2].actual"] is cell                 # not rebuilt: typing elsewhere keeps focus
    assert tab.row_labels["project_2"].text().strip() == "投诉处理（改名）"
    window.doc.undo_stack.undo()
    assert tab.row_labels["project_2"].text().strip() == "投诉处理"


def test_a_block_pasted_from_excel_fills_the_form_as_one_step(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    tab = form_tab(window, "部门自评表")
    start = window.doc.undo_stack.index()
    first = tab.fields["dept_form.general_budget.budget_initial"]
    QGuiApplication.clipboard().setText("100.00\t385.50\t385.5\n\t\t0\n")     # two rows × three columns
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    df = window.doc.report.dept_form
    assert (df.general_budget.budget_initial, df.general_budget.budget_final) == (Decimal("100.00"), Decimal("385.50"))
    assert df.general_budget.actual == Decimal("385.5") and df.gov_fund.actual == Decimal("0")
    assert window.doc.undo_stack.index() == start + 1                # one undo step
    window.doc.undo_stack.undo()
    assert df.general_budget.budget_initial is None and df.gov_fund.actual is None
    # a block reaching a computed cell is refused as a whole, with a message naming the cell
    QGuiApplication.clipboard().setText("1\t2\t3\t4")
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert df.general_budget.budget_initial is None
    assert window.doc.undo_stack.index() == start
