"""The main window driven like the officer would: typing, clicking findings, undo, paste, saving."""
from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QStyle

from perfeval_gui.core.serialize import report_to_data
from perfeval_gui.gui import app as gui_app
from perfeval_gui.gui.autosave import find_recoveries, recovery_files
from perfeval_gui.gui.widgets import AmountEdit
from window_helpers import field



def built(win, section_id):
    tab = win.section_tab(section_id)
    tab.ensure_built()
    return tab



def panel_rules(win):
    return [f.rule_id for f in win.findings_panel.findings]


def type_text(qtbot, editor, text):
    """Real key events, one per character (QTest only handles ASCII, so build the rest)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(editor, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def retype(qtbot, editor, text):
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_text(qtbot, editor, text)


def snapshot(win):
    return report_to_data(win.doc.report)


# ------------------------------------------------------------------ typing → findings
def test_wrong_total_shows_finding_immediately_and_correcting_removes_it(qtbot, window):
    assert "EXP-01" not in panel_rules(window)
    total = field(window, "expenditure.total")
    assert isinstance(total, AmountEdit)
    retype(qtbot, total, "400")
    # no event-loop turn in between: the panel is already up to date
    assert window.doc.report.expenditure.total == Decimal("400")
    assert "EXP-01" in panel_rules(window)
    assert any("EXP-01" in m and "400" in m for m in window.findings_panel.messages())
    assert total.severity is not None and "EXP-01" not in total.toolTip()  # tooltip = message
    assert "支出合计应为" in total.toolTip()
    assert window.tabs.tabText(window.tabs.indexOf(window.section_tab("二"))).endswith("(1)")
    errors = sum(1 for f in window.doc.findings if f.severity.value == "error")
    infos = sum(1 for f in window.doc.findings if f.severity.value == "info")
    assert errors >= 1 and window.status_label.text().startswith(f"{errors} 个错误")
    assert window.status_label.text().endswith(f"{infos} 个提示")      # the status bar counts 提示 too
    # each line carries its severity's standard icon (an error's differs from a warning's)
    lst, style = window.findings_panel.list, window.style()
    icons = {f.severity.value: lst.item(i).icon() for i, f in enumerate(window.findings_panel.findings)}
    for severity, pixmap in (("error", QStyle.StandardPixmap.SP_MessageBoxCritical),
                             ("warning", QStyle.StandardPixmap.SP_MessageBoxWarning)):
        assert icons[severity].pixmap(16).toImage() == style.standardIcon(pixmap).pixmap(16).toImage()
    retype(qtbot, total, "３８５．５万元")          # full-width digits + unit
    assert window.doc.report.expenditure.total == Decimal("385.5")
    assert "EXP-01" not in panel_rules(window)
    assert total.severity is None


def test_unparsable_amount_changes_nothing_and_explains(qtbot, window):
    total = field(window, "expenditure.total")
    before = window.doc.report.expenditure.total
    total.setFocus()
    total.end(False)
    type_text(qtbot, total, "x")                     # "385.50x"
    assert total.text().endswith("x")
    assert window.doc.report.expenditure.total == before
    assert "无法识别的数字" in total.error_label.text()
    assert not total.error_label.isHidden()
    retype(qtbot, total, "1,234.5")
    assert window.doc.report.expenditure.total == Decimal("1234.5")
    assert total.error_label.isHidden()


def test_focus_out_shows_normalised_amount(qtbot, window):
    basic = field(window, "expenditure.basic")
    retype(qtbot, basic, "120000元")
    assert window.doc.report.expenditure.basic == Decimal("12.0000")
    retype(qtbot, basic, "12.3万元")
    assert basic.text() == "12.3万元"                  # not clobbered while typing
    field(window, "expenditure.total").setFocus()
    basic.clearFocus()
    assert basic.text() == "12.30"


# ------------------------------------------------------------------ findings → goto
def _click_finding(qtbot, win, rule_id):
    lst = win.findings_panel.list
    for i in range(lst.count()):
        if f"[{rule_id}]" in lst.item(i).text():
            rect = lst.visualItemRect(lst.item(i))
            qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"{rule_id} not in panel")


def test_clicking_finding_activates_tab_and_focuses_field(qtbot, window):
    window.tabs.setCurrentIndex(0)
    window.doc.set_value("expenditure.total", Decimal("999"))
    _click_finding(qtbot, window, "EXP-01")
    assert window.tabs.currentWidget() is window.section_tab("二")
    editor = field(window, "expenditure.total")
    assert QApplication.focusWidget() is editor


def test_clicking_finding_selects_table_cell(qtbot, window):
    window.tabs.setCurrentIndex(0)
    window.doc.set_value("projects[1].carryover", Decimal("50"))
    assert "PRJ-03" in panel_rules(window)
    _click_finding(qtbot, window, "PRJ-03")
    tab = window.section_tab("五")
    assert window.tabs.currentWidget() is tab
    table = tab.project_table
    index = table.view.currentIndex()
    assert (index.row(), table.model.columns[index.column()].attr) == (1, "carryover")
    assert QApplication.focusWidget() is table.view
    # the cell is highlighted
    assert table.model.highlights.get((1, index.column()))


# ------------------------------------------------------------------ undo / redo
def test_undo_redo_restore_exact_values(qtbot, window):
    doc = window.doc
    s0 = snapshot(window)
    total = field(window, "expenditure.total")
    retype(qtbot, total, "390.25")
    s1 = snapshot(window)
    assert doc.undo_stack.count() >= 1
    projects = built(window, "五").project_table
    projects.select_cell(1, 0)
    projects.add_row()
    assert len(doc.report.projects) == 6
    s2 = snapshot(window)
    projects.select_cell(0, 0)
    projects.remove_row()
    s3 = snapshot(window)
    assert doc.report.projects[0].name == "全市营商环境氛围浓厚"
    projects.select_cell(0, 2)
    assert projects.paste_text("1\t2\t3\n4\t5\t6\n")
    s4 = snapshot(window)
    for expected in (s3, s2, s1, s0):
        window.undo_action.trigger()
        assert snapshot(window) == expected
    assert doc.report.expenditure.total == Decimal("385.5")
    assert total.text() in ("385.50", "385.5")
    for expected in (s1, s2, s3, s4):
        window.redo_action.trigger()
        assert snapshot(window) == expected


def test_keystrokes_in_one_field_merge_into_one_undo_step(qtbot, window):
    total = field(window, "expenditure.total")
    start = window.doc.undo_stack.count()
    retype(qtbot, total, "1234")
    assert window.doc.undo_stack.count() == start + 1
    window.undo_action.trigger()
    assert window.doc.report.expenditure.total == Decimal("385.5")


def test_ctrl_z_in_field_goes_to_document_undo(qtbot, window):
    total = field(window, "expenditure.total")
    retype(qtbot, total, "500")
    qtbot.keyClick(total, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.report.expenditure.total == Decimal("385.5")


def test_narrative_edit_and_heading_restore(qtbot, window):
    edit = field(window, "narrative[六]")
    edit.setFocus()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    type_text(qtbot, edit, "新增一句。")
    assert window.doc.report.narrative["六"].endswith("新增一句。")
    assert "字" in edit.count_label.text()
    heading = field(window, "headings[六]")
    heading.restore_button.click()
    assert window.doc.report.headings["六"] == "六、存在的主要问题"


def test_undo_in_a_narrative_leaves_the_caret_where_the_change_was(qtbot, window):
    edit = field(window, "narrative[六]")
    original = window.doc.report.narrative["六"]
    edit.setFocus()
    cursor = edit.textCursor()
    cursor.setPosition(10)
    edit.setTextCursor(cursor)
    type_text(qtbot, edit, "插入😀")                  # an emoji counts 2 in Qt's positions
    assert window.doc.report.narrative["六"] == original[:10] + "插入😀" + original[10:]
    window.doc.undo_stack.undo()
    assert edit.toPlainText() == original
    assert edit.textCursor().position() == 10        # not thrown back to the top of the box
    window.doc.undo_stack.redo()
    assert edit.toPlainText() == original[:10] + "插入😀" + original[10:]
    assert edit.textCursor().position() == 10 + 2 + 2


# ------------------------------------------------------------------ paste
def test_paste_block_fills_cells_as_one_step(qtbot, window):
    doc = window.doc
    table = built(window, "五").project_table
    col = [c.attr for c in table.model.columns].index("budget_initial")
    table.select_cell(3, col)
    before = snapshot(window)
    count = doc.undo_stack.count()
    block = "10\t0\t10\t9.5\n20\t1,000元\t20.1\t20\n３０\t—\t30\t(1.5)\n"
    assert table.paste_text(block)
    assert doc.undo_stack.count() == count + 1
    p = doc.report.projects
    assert len(p) == 6                                    # one row appended
    assert (p[3].budget_initial, p[3].budget_adjustment, p[3].budget_final, p[3].actual) == (
        Decimal("10"), Decimal("0"), Decimal("10"), Decimal("9.5"))
    assert p[4].budget_adjustment == Decimal("0.1000")
    assert p[5].budget_initial == Decimal("30") and p[5].budget_adjustment is None
    assert p[5].actual == Decimal("-1.5")
    assert table.model.data(table.model.index(4, col)) == "20.00"
    window.undo_action.trigger()
    assert snapshot(window) == before


@pytest.mark.parametrize("block, expect", [
    ("1\t2\t3\n\"4\n5\"\t6\n", "“4 5”无法使用"),
    ("1\t2\nabc\t4\n", "abc"),
    ("1\t2\t3\t4\t5\t6\t7\t8\t9\t10\n", "放不下"),
])
def test_malformed_paste_changes_nothing_and_explains(qtbot, window, block, expect):
    table = built(window, "五").project_table
    col = [c.attr for c in table.model.columns].index("actual")
    table.select_cell(0, col)
    before = snapshot(window)
    count = window.doc.undo_stack.count()
    assert not table.paste_text(block)
    assert snapshot(window) == before
    assert window.doc.undo_stack.count() == count
    assert expect in table.message.text() and not table.message.isHidden()
    if expect == "abc":
        assert "第 2 行" in table.message.text() and "实际支出" in table.message.text()


def test_ctrl_v_pastes_clipboard(qtbot, window):
    table = built(window, "一").tables[0]      # duties list
    table.select_cell(0, 0)
    QApplication.clipboard().setText("职能甲\n职能乙\n")
    qtbot.keyClick(table.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.report.profile.duties[:2] == ["职能甲", "职能乙"]


def test_totals_row_is_computed_and_read_only(qtbot, window):
    model = built(window, "五").project_table.model
    n = model.item_count()
    col = [c.attr for c in model.columns].index("actual")
    assert model.data(model.index(n, col)) == "200.60"
    assert not model.flags(model.index(n, col)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(n, col), "1")
    window.doc.set_value("projects[0].actual", Decimal("74.3"))
    assert model.data(model.index(n, col)) == "201.60"


# ------------------------------------------------------------------ files, title, prompts
def test_title_star_and_close_prompt(qtbot, window, monkeypatch):
    assert "*" not in window.windowTitle()
    window.doc.set_value("meta.contact", "张三")
    assert window.windowTitle().startswith("浏阳2021.pefx* — ")
    answers = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.append(1) or QMessageBox.StandardButton.Cancel)
    assert not window.close()
    assert window.isVisible() and answers
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    assert window.close()
    assert "张三" in window.doc.path.read_text(encoding="utf-8")


def test_sample_is_marked_and_save_goes_to_save_as(qtbot, sample_window, tmp_path, monkeypatch):
    win = sample_window
    assert "（示例）" in win.windowTitle()
    target = tmp_path / "mine"
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    win.doc.set_value("meta.contact", "李四")
    assert win.save()
    assert (tmp_path / "mine.pefx").exists()
    assert win.doc.path == tmp_path / "mine.pefx" and not win.doc.is_sample
    assert win.windowTitle().startswith("mine.pefx — ")


def test_failed_save_keeps_edits(qtbot, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    window.doc.set_value("meta.contact", "王五")
    assert not window.save_as(tmp_path / "no-such-folder" / "x.pefx")
    assert shown and "无法写入" in shown[0]
    assert window.doc.is_dirty() and window.doc.report.meta.contact == "王五"


def test_refuses_to_overwrite_file_changed_on_disk(qtbot, window, monkeypatch):
    path = window.doc.path
    text = path.read_text(encoding="utf-8")
    os.utime(path, ns=(1, 1))
    path.write_text(text + " ", encoding="utf-8")
    window.doc.set_value("meta.contact", "赵六")
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    assert not window.save()
    assert asked and "修改过" in asked[0]
    assert path.read_text(encoding="utf-8") == text + " "
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.save()
    assert "赵六" in path.read_text(encoding="utf-8")


def test_template_switch_rebuilds_tabs(qtbot, window):
    window.doc.set_value("meta.template", "short5")
    qtbot.waitUntil(lambda: window._built_template == "short5", timeout=2000)
    forms = ["部门自评表", "基础数据表", "项目自评表"]          # the submission forms follow the report
    assert [t.section_id for t in window.section_tabs] == ["一", "二", "三", "四", "五", "附", *forms]
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window._built_template == "hunan9", timeout=2000)
    assert len(window.section_tabs) == 10 + len(forms)


def test_overview_hook(qtbot, window):
    from PySide6.QtWidgets import QLabel
    window.add_overview_tab(QLabel("概览内容"))
    assert window.tabs.tabText(0) == "概览"
    window.doc.set_value("meta.template", "short5")
    qtbot.waitUntil(lambda: window._built_template == "short5", timeout=2000)
    assert window.tabs.tabText(0) == "概览"


# ------------------------------------------------------------------ autosave and recovery
def test_autosave_crash_and_recovery(qtbot, sample_file, monkeypatch, make_win):
    win = make_win(sample_file, autosave_ms=50)
    win.doc.set_value("expenditure.total", Decimal("401.5"))
    data_file, sidecar = recovery_files(sample_file)
    # a journal from the unchanged file, or a full copy: either way something to recover
    qtbot.waitUntil(lambda: bool(find_recoveries()), timeout=5000)
    assert sidecar.exists()
    assert "385.5" in sample_file.read_text(encoding="utf-8")     # never over the officer's file
    # simulated crash: the window goes away without saving or prompting
    win.shutdown()
    win.deleteLater()
    assert find_recoveries()
    win2 = make_win(sample_file)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    assert gui_app.offer_recovery(win2)
    assert "自动保存" in asked[0]
    assert win2.doc.report.expenditure.total == Decimal("401.5")
    assert win2.doc.is_dirty() and "*" in win2.windowTitle()
    assert win2.doc.path == sample_file
    assert win2.save()
    assert not data_file.exists() and not sidecar.exists() and not find_recoveries()
    win2.shutdown()
    win2.deleteLater()


def test_clean_close_leaves_no_recovery(qtbot, sample_file, monkeypatch, make_win):
    win = make_win(sample_file)
    win.doc.set_value("meta.contact", "x")
    assert win.autosave.save_now()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert win.close()
    assert not find_recoveries()


# ------------------------------------------------------------------ screenshot
def test_screenshot_writes_non_blank_png(tmp_path):
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    sample = Path(gui_app.__file__).resolve().parents[2] / "resources" / "samples" / "liuyang-2021.pefx"
    proc = subprocess.run([sys.executable, "-m", "perfeval_gui", "--screenshot", str(out), "--tab", "1",
                           str(sample)], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage
    image = QImage(str(out))
    assert image.width() == 1400 and image.height() == 900
    colours = {image.pixel(x, y) for x in range(0, 1400, 23) for y in range(0, 900, 17)}
    assert len(colours) > 20


# ------------------------------------------------------------------ start-up choice, recent files, drop
def test_first_run_opens_sample_then_last_project(qtbot, sample_file):
    doc, error, _ = gui_app.initial_document(None)
    assert doc.is_sample and doc.report.meta.unit_name.startswith("浏阳")
    doc2, _, _ = gui_app.initial_document(None)          # not the first run, nothing saved yet
    assert not doc2.is_sample and doc2.report.meta.unit_name == ""
    from perfeval_gui.gui.main_window import MainWindow
    MainWindow.remember(sample_file)
    doc3, _, path = gui_app.initial_document(None)
    assert path == sample_file.resolve() and not doc3.is_sample
    assert MainWindow.recent_files()[0] == str(sample_file.resolve())


def test_drop_pefx_opens_it(qtbot, window, sample_file, tmp_path, monkeypatch):
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDropEvent
    other = tmp_path / "另一个.pefx"
    other.write_bytes(sample_file.read_bytes())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.doc.path == other, timeout=2000)
    assert window.windowTitle().startswith("另一个.pefx — ")


def test_apply_changes_appends_rows_and_is_one_undo_step(qtbot, window):
    from perfeval_gui.core.edits import FieldChange
    before = snapshot(window)
    n = len(window.doc.report.projects)
    window.doc.apply_changes([FieldChange(f"projects[{n + 1}].name", "导入项目"),
                              FieldChange(f"projects[{n + 1}].actual", Decimal("3.5")),
                              FieldChange("income.budget_initial", Decimal("385.5"))], "从 Excel 导入")
    assert len(window.doc.report.projects) == n + 2
    assert window.doc.report.projects[n + 1].name == "导入项目"
    window.undo_action.trigger()
    assert snapshot(window) == before
    with pytest.raises(ValueError):
        window.doc.apply_changes([FieldChange("income.no_such_field", 1)], "x")
    assert snapshot(window) == before


def test_save_commits_open_cell_editor(qtbot, window):
    table = built(window, "五").project_table
    window.tabs.setCurrentWidget(window.section_tab("五"))
    col = [c.attr for c in table.model.columns].index("fund_source")
    table.select_cell(0, col)
    table.view.setFocus()
    table.view.edit(table.view.currentIndex())
    editor = QApplication.focusWidget()
    assert editor is not table.view
    editor.setText("一般公共预算")
    assert window.save()
    assert window.doc.report.projects[0].fund_source == "一般公共预算"
    assert "一般公共预算" in window.doc.path.read_text(encoding="utf-8")


def test_prior_year_shown_beside_amount_with_change(qtbot, window):
    total = field(window, "expenditure.total")
    assert total.prior_label.isHidden()
    window.doc.set_value("prior_year[expenditure.total]", Decimal("350"))
    assert not total.prior_label.isHidden()
    assert total.prior_label.text() == "上年 350.00，增减 10.14%"
    window.undo_action.trigger()
    assert total.prior_label.isHidden()


def test_template_combo_switches_layout(qtbot, window):
    combo = field(window, "meta.template")
    combo.setCurrentIndex(combo.findData("short5"))
    qtbot.waitUntil(lambda: window._built_template == "short5", timeout=2000)
    assert window.doc.report.meta.template == "short5"
    assert window.section_tab("三").full_title.startswith("三、资金使用及绩效情况")


def test_section_nine_shows_the_scoring_table_total_not_the_typed_score(qtbot, window):
    """浏阳 states 99 分 but has no 评分表: the computed line must not echo the typed 99 back."""
    tab = built(window, "九")
    labels = {spec.label: label for label, spec in tab.derived_labels}
    assert labels["评分表合计得分"].text() == "—（评分表未填写）"
    assert window.doc.report.self_eval.score_stated == Decimal("99")


def test_acknowledging_a_warning_from_the_panel_is_one_undoable_step(qtbot, window, monkeypatch):
    from perfeval_gui.core.findings import Severity
    panel = window.findings_panel
    heading = field(window, "headings[三]")
    fmt = next(f for f in window.doc.findings if f.rule_id == "FMT-01" and f.paths[0] == "headings[三]")
    assert heading.severity is Severity.WARNING
    monkeypatch.setattr(panel, "ask_note", lambda f: "  沿用财政局下发模板的写法  ")
    panel.acknowledge(fmt)
    assert window.doc.report.acknowledged == {fmt.key: "沿用财政局下发模板的写法"}
    last = panel.messages()[-1]
    assert last.startswith("已核实 [FMT-01]") and "说明：沿用财政局下发模板的写法" in last
    assert "另 1 条已核实" in window.status_label.text()
    assert heading.severity is None                        # no amber frame on an explained heading
    assert window.windowTitle().find("*") >= 0             # the note is part of the report: unsaved
    window.doc.undo_stack.undo()
    assert window.doc.report.acknowledged == {}
    assert heading.severity is Severity.WARNING
    assert not any(m.startswith("已核实") for m in panel.messages())


def test_cancelled_note_changes_nothing(qtbot, window, monkeypatch):
    panel = window.findings_panel
    warning = next(f for f in window.doc.findings if f.rule_id == "FMT-01")
    count = window.doc.undo_stack.count()
    monkeypatch.setattr(panel, "ask_note", lambda f: None)
    panel.acknowledge(warning)
    assert window.doc.report.acknowledged == {} and window.doc.undo_stack.count() == count


def test_a_hidden_tab_shows_current_computed_figures_when_opened(qtbot, window):
    """Computed lines of tabs not on screen are brought up to date when the officer opens the tab
    (they are not recomputed on every keystroke elsewhere — issue 21), never left stale."""
    from perfeval_gui.core import derived
    from perfeval_gui.core.money import fmt_percent
    tab = next(t for t in window.section_tabs
               if (t.ensure_built() or True) and any(s.label == "预算执行率（计算）" for _, s in t.derived_labels))
    label = next(lb for lb, s in tab.derived_labels if s.label == "预算执行率（计算）")
    other = next(t for t in window.section_tabs if t is not tab)
    window.tabs.setCurrentWidget(other)
    qtbot.waitUntil(lambda: not tab.isVisible())
    before = label.text()
    window.doc.set_value("expenditure.total", window.doc.report.expenditure.total / 2)
    want = fmt_percent(derived.exec_rate(window.doc.report))
    assert want != before
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: label.text() == want, timeout=2000)


def test_a_short_table_row_grows_with_its_wrapped_text_and_shrinks_back(qtbot, window):
    """Rows of a short table are measured when their text changes (only those rows — not every row
    on every keystroke, issue 21); a long name wraps onto more lines instead of being cut."""
    tab = window.section_tab("五")
    window.tabs.setCurrentWidget(tab)
    table = tab.project_table
    col = next(i for i, c in enumerate(table.model.columns) if c.attr == "name")
    table.view.setColumnWidth(col, 120)
    qtbot.waitExposed(table.view)
    before = table.view.rowHeight(1)
    other = table.view.rowHeight(2)
    old = window.doc.report.projects[1].name
    window.doc.set_value("projects[1].name", "很长的项目名称" * 8)
    qtbot.waitUntil(lambda: table.view.rowHeight(1) > before)
    assert table.view.rowHeight(2) == other          # the other rows are not touched
    window.doc.set_value("projects[1].name", old)
    qtbot.waitUntil(lambda: table.view.rowHeight(1) == before)


def test_marked_cells_show_the_current_text_while_the_officer_types(qtbot, window):
    """A sum over every project marks every project's cell; typing 项目支出 changes the message's
    figures, not the marks — the text shown on hover over a cell is still the current one."""
    from PySide6.QtCore import Qt as _Qt
    tab = window.section_tab("五")
    window.tabs.setCurrentWidget(tab)
    table = tab.project_table
    col = next(i for i, c in enumerate(table.model.columns) if c.attr == "actual")
    index = table.model.index(0, col)
    for value in ("1.00", "2.00"):
        window.doc.set_value("expenditure.project_total", Decimal(value))
        tip = table.model.data(index, _Qt.ItemDataRole.ToolTipRole) or ""
        assert "项目支出" in tip and f"现填 {value}" in tip, tip


def test_going_to_a_cell_of_a_tall_table_shows_that_cell(qtbot, window):
    """A finding about the last project's cell scrolls the section until that cell is on screen."""
    from PySide6.QtCore import QRect
    window.resize(1366, 600)
    last = len(window.doc.report.projects) - 1
    window.doc.set_value(f"projects[{last - 1}].name", "很长的项目名称" * 30)    # a row several lines tall
    window.tabs.setCurrentIndex(0)
    qtbot.wait(50)
    view = window.goto_path(f"projects[{last}].carryover")
    tab = window.tabs.currentWidget()

    def cell_on_screen() -> bool:
        rect = view.visualRect(view.currentIndex())
        top_left = view.viewport().mapTo(tab.viewport(), rect.topLeft())
        return tab.viewport().rect().contains(QRect(top_left, rect.size()).center())
    qtbot.waitUntil(cell_on_screen, timeout=2000)
