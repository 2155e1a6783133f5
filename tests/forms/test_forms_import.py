"""Importing a unit's own forms (issue 17): the 项目支出绩效自评表 keeps its whole budget block; the
部门整体支出绩效自评表 and 基础数据表 are recognised by their labels."""
from __future__ import annotations

import sys
from decimal import Decimal as D
from pathlib import Path

import openpyxl

from formkit import clean_report
from perfeval_gui.core.edits import apply_changes
from perfeval_gui.core.engine import Checker
from perfeval_gui.core.imports import plan_import
from perfeval_gui.core.model import Project, Report
from perfeval_gui.io import excel_layouts as L
from perfeval_gui.io.excel_import import read_workbook
from perfeval_gui.io.forms_xlsx import export_forms

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "excel"))
from excel_helpers import write_rows  # noqa: E402

# a county unit's 项目支出绩效自评表 as filled in the 预算绩效管理信息系统 and saved from WPS
UNIT_FORM = [
    ["项目支出绩效自评表"],
    ["（2023年度）", None, None, None, None, None, None, "单位：万元"],
    ["项目名称", "乡村振兴培训"],
    ["主管部门", "县农业农村局", None, None, "实施单位", "县农技推广中心"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"],
    [None, "年度资金总额", 100, 120.5, 110.25, 10, "91.49%", 9.15],
    [None, "其中：当年财政拨款", 100, 110.5, 100.25, "—", None, "—"],
    [None, "上年结转资金", 0, 10, 10, "—", None, "—"],
    [None, "其他资金", None, None, None, "—", None, "—"],
    ["年度总体目标", "预期目标", None, None, "实际完成情况"],
    [None, "培训农民 1000 人次", None, None, "培训 1200 人次"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    [None, "产出指标", "数量指标", "培训人次", "≥1000人次", "1200人次", 50, 50, None],
    [None, "效益指标", "社会效益指标", "农民增收", "显著", "较显著", 30, 27, "部分学员未转化"],
    [None, "满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "95%", 10, 10, None],
    ["总分", None, None, None, None, None, 100, 96.15, "自评等级：优"],
    ["项目负责人：李明", None, None, "财务负责人：王芳", None, None, "填表人：张强"],
    ["联系电话：0734-5551234", None, None, "填报日期：2024年3月5日"],
]


def test_a_units_project_form_keeps_its_whole_budget_block(tmp_path):
    path = write_rows(tmp_path / "项目自评表.xlsx", {"Sheet1": UNIT_FORM},
                      merges={"Sheet1": ["A5:A9", "A10:A11", "A12:A15", "B13:B13"]})
    result = read_workbook(path)
    assert result.layout_name == L.LAYOUT_PROJECT_SELF_EVAL
    report = Report(projects=[Project(name="其他项目", actual=D("5")),
                              Project(name="乡村振兴培训", kind="added", fund_source="财政")])
    changes = plan_import(report, result.values, "current")
    apply_changes(report, changes)
    p = report.projects[1]
    assert (p.budget_initial, p.budget_final, p.actual) == (D(100), D("120.5"), D("110.25"))
    assert p.form.exec_rate_stated == D("91.49")                     # 执行率 as the form states it
    exec_node = next(n for n in p.indicators if n.rule == "exec_rate")
    assert (exec_node.weight, exec_node.score_stated) == (D(10), D("9.15"))   # 分值, 得分
    assert (p.form.fiscal.budget_final, p.form.fiscal.actual) == (D("110.5"), D("100.25"))
    assert (p.form.carryover.budget_initial, p.form.carryover.actual) == (D(0), D(10))
    assert p.form.other.actual is None
    assert (p.form.goal_expected, p.form.goal_actual) == ("培训农民 1000 人次", "培训 1200 人次")
    assert (p.form.supervisor, p.form.implementer) == ("县农业农村局", "县农技推广中心")
    assert (p.form.lead, p.form.finance_lead, p.form.filler) == ("李明", "王芳", "张强")
    assert (p.form.phone, p.form.date) == ("0734-5551234", "2024年3月5日")
    assert (p.self_score, p.form.grade_stated) == (D("96.15"), "优")
    assert p.kind == "added" and p.fund_source == "财政"             # the form states no kind: kept
    assert report.projects[0].actual == D("5")
    # and the imported figures are checked like typed ones
    findings = {f.rule_id: f for f in Checker(report).check_all()}
    assert "PRJ-08" not in findings and "PRJ-09" not in findings and "SCO-13" not in findings
    report.projects[1].form.exec_rate_stated = D("95.00")
    assert any(f.rule_id == "PRJ-09" for f in Checker(report).check_all())


def test_a_units_form_for_a_new_project_adds_it(tmp_path):
    path = write_rows(tmp_path / "项目自评表.xlsx", {"Sheet1": UNIT_FORM})
    report = Report()
    apply_changes(report, plan_import(report, read_workbook(path).values, "current"))
    (p,) = report.projects
    assert p.name == "乡村振兴培训" and p.kind == "initial" and p.actual == D("110.25")


def test_dept_form_and_basic_data_without_our_codes_are_read_by_labels(tmp_path):
    report = clean_report()
    path = tmp_path / "单位附表.xlsx"
    export_forms(report, path)
    wb = openpyxl.load_workbook(path)
    del wb["字段代码"]                    # a unit's workbook: the same layout, no field codes
    wb["部门自评表"]["F8"] = 12.5          # 政府性基金拨款 全年执行数
    wb.save(path)
    result = read_workbook(path)
    assert result.layout_name.startswith(L.LAYOUT_FORMS_UNIT)
    values = {v.path: v.value for v in result.values}
    assert values["dept_form.gov_fund.actual"] == D("12.50")
    assert values["dept_form.general_budget.actual"] == D("110.00")
    assert values["expenditure.project_budget_total"] == D("40.00")
    assert values["profile.staff_authorized"] == 10 and values["basic_data.staff_control_rate_stated"] == D("90")
    assert values["basic_data.office.final"] == D("5.00") and values["procurement.actual"] == D("8.00")
    assert values["projects{宣传培训}.actual"] == D("10.00")
    assert values["basic_data.frugality"] == "严格执行公务接待标准。"
    assert values["dept_form.goal_expected"] == "完成年度营商环境评价。"
    changes = plan_import(report, result.values, "current")
    assert ("dept_form.gov_fund.actual", D("12.50")) in [(c.path, c.new) for c in changes]
    apply_changes(report, changes)
    inc04 = [f for f in Checker(report).check_all() if f.rule_id == "INC-04"]
    assert inc04 and "12.50" in inc04[0].message
