"""Report profiles in the window (issue 20): 新建报告 offers 省份/模板 by Chinese name; switching the
profile of an open report is one undo step that keeps every figure and text; a broken profile file
gets a message naming the key and line."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from perfeval_gui.core import profiles
from perfeval_gui.core.serialize import report_to_data
from perfeval_gui.gui.profile_dialog import NewReportDialog, ProfileChoice, load_profile_file
from perfeval_gui.resources import resource_path
from window_helpers import field



def _tab_titles(win):
    return [win.tabs.tabText(win.tabs.indexOf(t)).split(" (")[0] for t in win.section_tabs]


def test_new_report_dialog_offers_provinces_and_chinese_names(qtbot, window):
    dialog = NewReportDialog(window, "hunan-default")
    qtbot.addWidget(dialog)
    provinces = [dialog.province.itemText(i) for i in range(dialog.province.count())]
    assert provinces[0] == "湖南" and {"安徽", "四川", "全国"} <= set(provinces) and provinces[-1] == "全国"
    names = [dialog.template.itemText(i) for i in range(dialog.template.count())]
    assert "湖南·区县部门整体（九部分格式，浏阳）" in names and "湖南·区县五部分简表（石峰）" in names
    dialog.province.setCurrentIndex(dialog.province.findData("四川"))
    assert dialog.chosen() == "sichuan-dept"
    assert "部门整体支出绩效自评表" in dialog.details.text()

    def pick():
        d = next(w for w in QApplication.topLevelWidgets() if isinstance(w, NewReportDialog) and w.isVisible())
        d.province.setCurrentIndex(d.province.findData("四川"))
        d.accept()
    window.doc.mark_clean()
    QTimer.singleShot(0, pick)
    window.new_report()
    report = window.doc.report
    assert report.meta.rule_profile == "sichuan-dept" and report.meta.template == "sc-dept"
    # the sections of the 四川 outline, and the forms of its package (no 基础数据表)
    assert _tab_titles(window) == ["一 基本情况", "二 完成情况", "三 评价结论", "四 存在问题", "五 改进措施", "附 评分表",
                                   "表 部门自评表", "表 项目自评表"]
    assert [n.name for n in report.scoring.nodes][:3] == ["部门决策", "目标任务", "预算编制"]


def test_switching_profile_is_one_undo_step_keeping_every_figure_and_text(qtbot, window):
    before = report_to_data(window.doc.report)
    steps = window.doc.undo_stack.count()
    combo = field(window, "meta.rule_profile")
    assert isinstance(combo, ProfileChoice) and combo.currentText() == "湖南·区县部门整体（九部分格式，浏阳）"
    combo.setCurrentIndex(combo.findData("hunan-shifeng"))
    qtbot.waitUntil(lambda: window._built_template == "short5", timeout=3000)
    assert window.doc.undo_stack.count() == steps + 1
    report = window.doc.report
    assert report.meta.rule_profile == "hunan-shifeng" and report.meta.template == "short5"
    assert window.profile_label.text() == "模板：湖南·区县五部分简表（石峰）"
    assert report_to_data(report)["income"] == before["income"]
    assert report_to_data(report)["projects"] == before["projects"]
    texts = [t for t in before["narrative"].values() if t]
    assert all(t in "\n".join(report.narrative.values()) for t in texts)
    message = window.last_switch_message.text()
    assert "湖南·区县五部分简表（石峰）" in message and "三（一）项目组织情况" in message
    assert "CMP-05" in [f.rule_id for f in window.findings_panel.findings]
    assert _tab_titles(window) == ["一 基本情况", "二 预算收支", "三 资金使用及绩效", "四 问题及改进", "五 其他情况",
                                   "附 评分表", "表 部门自评表", "表 基础数据表", "表 项目自评表"]
    kept = next(f for f in window.findings_panel.findings if f.rule_id == "CMP-05")
    assert kept.section == "五"
    widget = window.goto_path(kept.paths[0])                  # click-through: the kept text, editable
    assert widget is not None and widget.toPlainText() == report.narrative[kept.paths[0][10:-1]]
    window.doc.undo_stack.undo()
    qtbot.waitUntil(lambda: window._built_template == "hunan9", timeout=3000)
    assert report_to_data(window.doc.report) == before
    assert "切换模板" in window.doc.undo_stack.redoText()


def test_a_broken_profile_file_gets_a_message_naming_key_and_line(qtbot, window, tmp_path):
    before = report_to_data(window.doc.report)
    bad = tmp_path / "本县.toml"
    bad.write_text('name = "本县"\n\n[qualitative]\n"达成" = ["0.8"]\n', encoding="utf-8")
    assert load_profile_file(window, str(bad)) is None
    text = window.last_profile_error.text()
    assert "本县.toml" in text and "第 4 行" in text and "qualitative.达成" in text
    assert report_to_data(window.doc.report) == before
    good = tmp_path / "本县2.toml"
    good.write_text(resource_path("rules", "anhui-tianchang.toml").read_text(encoding="utf-8")
                    .replace("安徽·天长（执行率 20 + 指标 80）", "本县（按天长）"), encoding="utf-8")
    assert load_profile_file(window, str(good)) == "本县2"
    qtbot.waitUntil(lambda: window._built_template == "n285", timeout=3000)
    assert window.doc.report.meta.rule_profile == "本县2"
    assert "本县2" in {i.name for i in profiles.list_profiles()}


def test_changing_only_the_outline_moves_the_text_and_keeps_the_profile(qtbot, window):
    before = report_to_data(window.doc.report)
    problems, opening = window.doc.report.narrative["六"], window.doc.report.narrative["五"]
    combo = field(window, "meta.template")
    combo.setCurrentIndex(combo.findData("short5"))
    qtbot.waitUntil(lambda: window._built_template == "short5", timeout=3000)
    report = window.doc.report
    assert report.meta.rule_profile == "hunan-default" and report.meta.template == "short5"
    assert report.narrative["四"].startswith(problems)          # 六 存在的主要问题 → 四 问题及改进
    # 五 of the nine parts (绩效情况) is not 五 of the five parts (其他需要说明的情况): it moves to 三（一）
    assert "五" not in report.narrative and report.narrative["三.一"].startswith(opening)
    window.doc.undo_stack.undo()
    qtbot.waitUntil(lambda: window._built_template == "hunan9", timeout=3000)
    assert report_to_data(window.doc.report) == before
