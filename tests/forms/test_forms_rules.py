"""Cross-form rules (issue 17): the 衡山 2023 published 自评表 and the package's own checks."""
from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from perfeval_gui.core import forms
from perfeval_gui.core.engine import Checker
from perfeval_gui.core.findings import Severity
from perfeval_gui.core.model import FundRow, Meta, Profile, Expenditure, Income, Report
from perfeval_gui.core.rule_profile import load_profile


def hengshan_2023() -> Report:
    """衡山 2023's published 部门整体支出绩效自评表 (issue 17): 按收入性质 1325.68 + 118.82 + 585.62 = 2030.12,
    按支出性质 900.47 + 1025.20 = 1925.67; 编制 46, 在职 50. (Which 收入性质 row holds which of the three
    figures does not change the sum; they are entered as 一般公共预算 / 政府性基金拨款 / 其他资金.)"""
    r = Report(meta=Meta(template="hunan9", fiscal_year=2023, unit_name="衡山县某单位"),
               profile=Profile(staff_authorized=46, staff_actual=50),
               income=Income(), expenditure=Expenditure(total=D("2030.12"), basic=D("900.47"),
                                                        project_total=D("1025.20")))
    r.dept_form.general_budget = FundRow(actual=D("1325.68"))
    r.dept_form.gov_fund = FundRow(actual=D("118.82"))
    r.dept_form.other_funds = FundRow(actual=D("585.62"))
    return r


def _by_rule(findings):
    out = {}
    for f in findings:
        out.setdefault(f.rule_id, []).append(f)
    return out


def test_hengshan_both_published_errors_are_found_with_their_arithmetic():
    found = _by_rule(Checker(hengshan_2023()).check_all())
    # 1. 按支出性质 900.47 + 1025.20 = 1925.67, 104.45 short of the 全年执行数 2030.12
    (exp,) = found["EXP-01"]
    assert exp.severity is Severity.ERROR
    for figure in ("900.47", "1025.20", "1925.67", "2030.12", "104.45"):
        assert figure in exp.message
    assert "部门整体支出绩效自评表" in exp.message and "按支出性质分" in exp.message and "全年执行数" in exp.message
    assert set(exp.paths) >= {"expenditure.total", "expenditure.basic", "expenditure.project_total"}
    # 按收入性质 1325.68 + 118.82 + 585.62 = 2030.12 holds: no INC-04
    assert "INC-04" not in found
    # 2. 编制 46, 在职 50: 控制率 108.70 % — a warning asking for an explanation
    (stf,) = found["STF-01"]
    assert stf.severity is Severity.WARNING and stf.acknowledgeable
    assert "50" in stf.message and "46" in stf.message and "108.70%" in stf.message and "说明" in stf.message


def test_hengshan_income_nature_sum_off_names_form_row_and_column():
    r = hengshan_2023()
    r.dept_form.other_funds.actual = D("485.62")
    (f,) = Checker(r).check_all() and [x for x in Checker(r).check_all() if x.rule_id == "INC-04"]
    assert "部门整体支出绩效自评表" in f.message and "年度资金总额" in f.message and "全年执行数" in f.message
    assert "1325.68 + 政府性基金拨款 118.82 + 其他资金 485.62 = 1930.12" in f.message
    assert "2030.12" in f.message and "100.00" in f.message
    assert f.section == "部门自评表"
    assert dict(f.args)["column"] == "actual"


def test_stated_control_rate_is_checked_exactly():
    r = hengshan_2023()
    r.basic_data.staff_control_rate_stated = D("108.70")
    assert not [f for f in Checker(r).check_all() if f.rule_id == "STF-06"]
    r.basic_data.staff_control_rate_stated = D("92.00")       # 46 ÷ 50 written the wrong way round
    (f,) = [f for f in Checker(r).check_all() if f.rule_id == "STF-06"]
    assert "50 ÷ 编制数 46 = 108.70%" in f.message and "92.00%" in f.message and "基础数据表" in f.message


def test_funds_score_never_above_weight_and_follows_the_rate():
    r = Report()
    r.income.budget_total = D("200.00")
    r.expenditure.total = D("210.00")       # 105 %: full marks, no more
    r.dept_form.exec_weight = D("10")
    r.dept_form.exec_score_stated = D("10.50")
    (f,) = [f for f in Checker(r).check_all() if f.rule_id == "SCO-13"]
    assert "超过分值 10" in f.message
    r.expenditure.total = D("180.00")       # 90 % → 9.00
    r.dept_form.exec_score_stated = D("9.50")
    (f,) = [f for f in Checker(r).check_all() if f.rule_id == "SCO-13"]
    assert "分值 10 × 执行率 90.00%" in f.message and "= 9.00" in f.message and "9.50" in f.message
    r.dept_form.exec_score_stated = D("9.00")
    assert not [f for f in Checker(r).check_all() if f.rule_id == "SCO-13"]


def test_a_profile_without_a_form_checks_none_of_it():
    r = hengshan_2023()
    r.dept_form.other_funds.actual = D("485.62")
    base = load_profile("hunan-default")
    no_dept = dataclasses.replace(base, data={**base.data, "forms": {"include": ["basic_data", "project_form"]}})
    rules = {f.rule_id for f in Checker(r, no_dept).check_all()}
    assert "INC-04" not in rules
    assert forms.forms_for(r, no_dept) == ("basic_data", "project_form")
    assert [g.form_id for g in forms.form_grids(r, forms.forms_for(r, no_dept))] == ["basic_data"]
    assert "INC-04" in {f.rule_id for f in Checker(r).check_all()}


def test_completeness_lists_the_empty_cells_of_each_form():
    r = hengshan_2023()
    cmp03 = [f for f in Checker(r).check_all() if f.rule_id in ("CMP-03", "CMP-04")]
    by_form = {dict(f.args)["form"]: f for f in cmp03}
    assert set(by_form) == {"dept_form", "basic_data"}          # no project: no project form
    assert "年度总体目标" in by_form["dept_form"].message
    assert "厉行节约保障措施" in by_form["basic_data"].message
    assert by_form["basic_data"].section == "基础数据表"


def test_word_appendices_are_the_same_tables_as_the_workbook():
    """附件1, 附件2 …: the blocks io/docx_export.py will print after the report (not wired in yet)."""
    from formkit import clean_report
    report = clean_report()
    blocks = forms.appendix_blocks(report)
    grids = forms.form_grids(report)
    assert [b.label for b in blocks] == [f"附件{i}" for i in range(1, len(grids) + 1)]
    assert [b.title for b in blocks] == [g.title for g in grids]
    assert [b.landscape for b in blocks] == [True, False, True, True]
    dept = blocks[0]
    texts = [text for row in dept.rows for text, *_ in row]
    assert "年度资金总额" in texts and "95.65%" in texts and "9.57" in texts
    assert all(span_cols >= 1 and span_rows >= 1 for row in dept.rows for _, span_cols, span_rows, _ in row)


def test_narrative_figures_are_checked_against_the_forms_rows():
    """NAR-01's lexicon knows the 基础数据表's own rows (办公经费, 水电差旅, 会议培训, 政府采购金额)."""
    from formkit import clean_report
    r = clean_report()
    r.narrative["四.一"] = "全年办公经费6.00万元，政府采购金额8.00万元。"
    nar = [f for f in Checker(r).check_all() if f.rule_id == "NAR-01"]
    assert len(nar) == 1 and "6.00" in nar[0].message and "basic_data.office.final" in nar[0].paths
    r.narrative["四.一"] = "全年办公经费5.00万元，政府采购金额8.00万元。"
    assert not [f for f in Checker(r).check_all() if f.rule_id == "NAR-01"]



def test_many_incomplete_project_forms_are_listed_then_summed_up():
    from perfeval_gui.core.model import Project
    r = hengshan_2023()
    r.projects = [Project(name=f"项目{i:02d}", budget_initial=D("1"), budget_final=D("1"), actual=D("1"))
                  for i in range(25)]
    cmp04 = [f for f in Checker(r).check_all() if f.rule_id == "CMP-04"]
    assert len(cmp04) == 20 + 1                                   # hunan-default: forms.completeness_list = 20
    assert "另有 5 个项目" in cmp04[-1].message and "“项目20”" in cmp04[-1].message
    assert cmp04[-1].paths[0].startswith("projects[20].") and cmp04[-1].section == "项目自评表"
