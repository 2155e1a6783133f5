"""Every rule of DOMAIN §7/§8: a small report that must be flagged and a near miss that must not.

Each case starts from rulekit.clean_report() (no findings at all), applies one edit and checks the
findings of that one rule. Amounts use 2 decimals (h = 0.005 per value) unless a case says otherwise.
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from perfeval_gui.core.model import EconLine, Project, ScoreNode
from perfeval_gui.core.rules import RULES

from rulekit import clean_report, run, setp


def test_clean_report_has_no_findings():
    assert [(f.rule_id, f.message) for f in run(clean_report())] == []


def _s(path, value):
    return lambda r: setp(r, path, value)


def _do(*edits):
    def apply(r):
        for e in edits:
            e(r)
        return r
    return apply


def _put(attr, key, value):
    def apply(r):
        getattr(r, attr)[key] = value
        return r
    return apply


def _add_econ(scope, code, name, amount):
    def apply(r):
        r.expenditure.by_econ.append(EconLine(scope, code, name, D(amount)))
        return r
    return apply


def _split_basic(third):
    """basic 75.00 as three econ lines 30.00 + 35.00 + third (3 parts: bound 4 × 0.005 = 0.02)."""
    def apply(r):
        r.expenditure.by_econ[:2] = [EconLine("basic", "30101", "基本工资", D("30.00")),
                                     EconLine("basic", "30102", "津贴补贴", D("35.00")),
                                     EconLine("basic", "30201", "办公费", D(third))]
        return r
    return apply


def _dup_project(name, actual):
    def apply(r):
        r.projects.append(Project(name=name, kind="initial", actual=D(actual), analysis_effectiveness="有分析。"))
        return r
    return apply


def _project_table(weights):
    def apply(r):
        names = ["预算执行率", "产出指标", "效益指标", "满意度指标"]
        r.projects[0].indicators = [ScoreNode(id=str(i), level=1, name=n, weight=D(w))
                                    for i, (n, w) in enumerate(zip(names, weights))]
        return r
    return apply


D2 = "110.00"
# rule id → (edit that must be flagged, near miss that must stay silent)
CASES = {
    "STF-01": (_s("profile.staff_actual", 11), _s("profile.staff_actual", 10)),
    "STF-02": (_s("profile.staff_actual", 8), _s("profile.staff_actual", 9)),
    "STF-03": (_s("profile.declared_org_unit_count", 3), _s("profile.declared_org_unit_count", 2)),
    "STF-04": (_s("profile.staff_by_role[0].count", 2), _s("profile.staff_by_role[0].count", 1)),
    "STF-05": (_s("profile.staff_authorized", -1), _s("profile.staff_authorized", 0)),
    "INC-01": (_s("income.budget_total", D("115.05")), _s("income.budget_total", D("115.01"))),
    "INC-02": (_s("projects[1].budget_final", D("16.00")), _s("projects[1].budget_final", D("15.01"))),
    "INC-03": (_s("income.fiscal_funds", D("110.05")), _s("income.fiscal_funds", D("110.01"))),
    "EXP-01": (_s("expenditure.total", D("110.05")), _s("expenditure.total", D("110.01"))),
    "EXP-02": (_s("expenditure.personnel", D("65.05")), _s("expenditure.personnel", D("65.01"))),
    "EXP-03": (_s("expenditure.project_total", D("35.05")), _s("expenditure.project_total", D("35.01"))),
    "EXP-04": (_s("expenditure.project_budget_total", D("40.05")),
               _s("expenditure.project_budget_total", D("40.01"))),
    "EXP-05": (_split_basic("10.05"), _split_basic("10.02")),
    "EXP-06": (_s("expenditure.by_function[0].amount", D("110.05")),
               _s("expenditure.by_function[0].amount", D("110.01"))),
    "EXP-07": (_s("expenditure.carryover_end", D("5.10")), _s("expenditure.carryover_end", D("5.02"))),
    "EXP-08": (_s("expenditure.total", D("116.00")), _s("expenditure.total", D("115.01"))),
    "EXP-09": (_s("projects[0].actual", D("-1.00")), _s("income.budget_adjustment", D("-5.00"))),
    "EXP-10": (_s("income.budget_total", D("150.00")),
               _do(_s("income.budget_total", D("150.00")), _s("narrative[六]", "预算执行率偏低，执行进度有待加快。"))),
    "PRJ-01": (_s("projects[0].budget_final", D("25.05")), _s("projects[0].budget_final", D("25.01"))),
    "PRJ-02": (_s("projects[0].actual", D("25.10")), _s("projects[0].actual", D("25.01"))),
    "PRJ-03": (_s("projects[1].carryover", D("5.05")), _s("projects[1].carryover", D("5.01"))),
    "PRJ-04": (_s("projects[1].carryover", D("6.00")), _s("projects[1].carryover", D("5.01"))),
    "PRJ-05": (_s("projects[1].deviation_reason", ""),
               _do(_s("projects[1].deviation_reason", ""), _s("projects[1].actual", D("13.50")))),
    "PRJ-06": (_s("projects[1].analysis_effectiveness", ""),
               _do(_s("projects[1].analysis_effectiveness", ""), _s("narrative[五.二]", "2、宣传培训项目。完成培训3期。"))),
    "PRJ-07": (_dup_project("宣传培训", "1.00"), _dup_project("宣传培训二期", "1.00")),
    "TPF-01": (_s("three_public.total_stated", D("3.05")), _s("three_public.total_stated", D("3.01"))),
    "TPF-02": (_s("three_public.vehicle_operation.actual", D("3.50")),
               _s("three_public.vehicle_operation.actual", D("3.01"))),
    "TPF-03": (_s("three_public.prior_year_total", D("2.50")), _s("three_public.prior_year_total", D("2.99"))),
    "TPF-04": (_s("expenditure.by_econ[2].amount", D("1.05")), _s("expenditure.by_econ[2].amount", D("1.01"))),
    "TPF-05": (_do(_s("narrative[二.一.3]", "2023年度无因公出国（境）费支出。"), _s("three_public.abroad.actual", D("0.50"))),
               _s("narrative[二.一.3]", "2023年度无因公出国（境）费支出。")),
    "AST-01": (_s("assets.fixed_end", D("55.10")), _s("assets.fixed_end", D("55.02"))),
    "AST-02": (_do(_add_econ("project", "310", "资本性支出", "5.00"), _s("assets.fixed_increase", None)),
               _do(_add_econ("project", "310", "资本性支出", "5.00"), _s("assets.fixed_increase", None),
                   _s("narrative[四.一]", "资本性支出5万元用于购置办公电脑。"))),
    "PRC-01": (_s("procurement.actual", D("10.10")), _s("procurement.actual", D("10.01"))),
    "SCO-01": (_s("scoring.nodes[0].weight", D("25")), _s("scoring.nodes[0].weight", D("20"))),
    "SCO-02": (_s("scoring.nodes[5].score_stated", D("30.01")), _s("scoring.nodes[5].score_stated", D("30.00"))),
    "SCO-03": (_s("scoring.nodes[2].score_stated", D("29")), _s("scoring.nodes[2].score_stated", D("30.01"))),
    "SCO-04": (_s("scoring.nodes[1].score_stated", D("20")), _s("scoring.nodes[1].score_stated", D("19.14"))),
    "SCO-05": (_s("scoring.nodes[7].score_stated", D("15.99")), _s("scoring.nodes[7].score_stated", D("16.00"))),
    "SCO-06": (_s("scoring.nodes[5].achieved", D("90")),
               _do(_s("scoring.nodes[5].achieved", D("90")), _s("scoring.nodes[5].deviation_reason", "原因：…"))),
    "SCO-07": (_s("scoring.nodes[5].achieved", D("130")), _s("scoring.nodes[5].achieved", D("129"))),
    "SCO-08": (_s("self_eval.grade_stated", "良"), _s("self_eval.grade_stated", "优")),
    "SCO-09": (_s("self_eval.score_stated", D("96")), _s("self_eval.score_stated", D("97.14"))),
    "SCO-10": (_s("income.budget_total", D("150.00")), _s("income.budget_total", D("137.50"))),
    "SCO-11": (_project_table(["20", "40", "30", "10"]), _project_table(["10", "50", "30", "10"])),
    "SCO-12": (_s("scoring.nodes", []), _do(_s("scoring.nodes", []), _s("self_eval.score_stated", None))),
    "CMP-01": (_s("narrative[六]", ""), _s("narrative[六]", "无。")),
    "CMP-02": (_s("meta.unit_name", ""), _s("meta.report_date", "")),
    "FMT-01": (_s("headings[三]", "3、部门专项组织实施情况"), _s("headings[三]", "三、 部门专项组织实施情况")),
    "YOY-01": (_put("prior_year", "expenditure.total", D("80.00")),
               _put("prior_year", "expenditure.total", D("85.00"))),
    "DEC-01": (_put("final_accounts", "expenditure.total", D("110.05")),
               _put("final_accounts", "expenditure.total", D("110.01"))),
    "INF-01": (_s("narrative[六]", "（一）营商环境评价项目执行进度有待加强。"), _s("narrative[六]", "（一）档案管理有待加强。")),
    "NAR-01": (_s("narrative[五]", "全年支出110.00万元，其中基本支出75.10万元，项目支出35.00万元。"),
               _s("narrative[五]", "全年支出110万元，其中基本支出75.0万元，项目支出35万元。")),
    "NAR-02": (_s("narrative[五.二]", "新建项目10万元，实际支出8万元，结余结转3万元。"),
               _s("narrative[五.二]", "新建项目10万元，实际支出8万元，结余结转2万元。")),
    "NAR-03": (_s("narrative[一.三]", "内设科室3个，分别为：办公室、评价部。"),
               _s("narrative[一.三]", "内设科室2个，分别为：办公室、评价部。")),
    "NAR-04": (_s("narrative[五]", "全年支出110.00万元，结余结转0万元。"),
               _s("narrative[五]", "全年支出110.00万元，结余结转5万元，无其他需要说明的情况。")),
    "NAR-05": (_s("narrative[六]", "（一）营商环境评价项目预算执行方面有待加强。"),
               _s("narrative[六]", "（一）宣传培训项目预算执行方面有待加强。")),
    "NAR-06": (_s("narrative[八]", "项目按规定组织实施，严格执行政府采购和合同管理制度。"),
               _do(_s("narrative[三.一]", "项目按规定组织实施，严格执行政府采购和合同管理制度。"), _s("narrative[八]", "健全内控制度。"))),
}
# issue 17: the submission forms (rulekit.fill_forms fills them consistently)
CASES.update({
    "INC-04": (_s("dept_form.general_budget.actual", D("110.05")), _s("dept_form.general_budget.actual", D("110.01"))),
    "EXP-11": (_s("dept_form.basic_budget_final", D("75.05")), _s("dept_form.basic_budget_final", D("75.01"))),
    "EXP-12": (_s("dept_form.exec_rate_stated", D("95.70")), _s("dept_form.exec_rate_stated", D("95.66"))),
    "EXP-13": (_s("basic_data.office.final", D("8.00")), _s("basic_data.office.final", D("7.01"))),
    "EXP-14": (_add_econ("basic", "30205", "水费", "1.00"), _add_econ("basic", "30205", "水费", "0.01")),
    "PRJ-08": (_s("projects[0].form.fiscal.actual", D("25.05")), _s("projects[0].form.fiscal.actual", D("25.01"))),
    "PRJ-09": (_s("projects[1].form.exec_rate_stated", D("67.00")),
               _s("projects[1].form.exec_rate_stated", D("66.70"))),
    "STF-06": (_s("basic_data.staff_control_rate_stated", D("90.10")),
               _s("basic_data.staff_control_rate_stated", D("90.0"))),
    "TPF-06": (_put("prior_year", "three_public.reception.actual", D("4.00")),
               _put("prior_year", "three_public.reception.actual", D("3.51"))),
    "TPF-07": (_do(_s("three_public.meeting_fee.actual", D("0.50")), _s("three_public.training_fee.actual", D("0.60"))),
               _do(_s("three_public.meeting_fee.actual", D("0.50")), _s("three_public.training_fee.actual", D("0.51")))),
    "AST-03": (_do(_s("basic_data.buildings.approved_scale", D("100")), _s("basic_data.buildings.actual_scale", D("120"))),
               _do(_s("basic_data.buildings.approved_scale", D("100")), _s("basic_data.buildings.actual_scale", D("100")))),
    "SCO-13": (_s("dept_form.exec_score_stated", D("9.60")), _s("dept_form.exec_score_stated", D("9.57"))),
    "SCO-14": (_s("projects[0].self_score", D("96")), _s("projects[0].self_score", D("97.00"))),
    "SCO-15": (_s("projects[1].indicators[0].score_stated", D("7.00")),
               _s("projects[1].indicators[0].score_stated", D("6.67"))),
    "CMP-03": (_s("basic_data.frugality", ""), _s("basic_data.frugality", "严格执行八项规定。")),
    "CMP-04": (_s("projects[1].form.lead", ""), _s("projects[1].form.lead", "赵六")),
})


def _ind(index, **attrs):
    """Set attributes of indicator ``index`` of project 0's 自评表 (built by _indicators)."""
    def apply(r):
        _indicators(r)
        for k, v in attrs.items():
            setattr(r.projects[0].indicators[index], k, v)
        return r
    return apply


def _indicators(r):
    """Project 0 gets a complete 自评表: 预算执行率 / 产出 (数量, 成本) / 效益 / 满意度 (no IND/REV finding)."""
    if len(r.projects[0].indicators) == 10 and r.projects[0].indicators[3].name == "评价报告份数":
        return r
    r.projects[0].indicators = [
        ScoreNode(id="1", level=1, name="预算执行率", weight=D("10"), rule="exec_rate", target=D("100"),
                  achieved=D("100"), unit="%", score_stated=D("10")),
        ScoreNode(id="2", level=1, name="产出指标", weight=D("50"), score_stated=D("50")),
        ScoreNode(id="2.1", level=2, name="数量指标", parent_id="2", weight=D("30"), score_stated=D("30")),
        ScoreNode(id="2.1.1", level=3, name="评价报告份数", parent_id="2.1", weight=D("30"), rule="ratio_up",
                  target_text="≥1份", target=D("1"), achieved_text="1份", achieved=D("1"), unit="份",
                  score_stated=D("30")),
        ScoreNode(id="2.2", level=2, name="成本指标", parent_id="2", weight=D("20"), score_stated=D("20")),
        ScoreNode(id="2.2.1", level=3, name="评价费用", parent_id="2.2", weight=D("20"), rule="ratio_down",
                  direction="≤", target_text="≤25万元", target=D("25"), achieved=D("25"), unit="万元",
                  score_stated=D("20")),
        ScoreNode(id="3", level=1, name="效益指标", weight=D("30"), score_stated=D("30")),
        ScoreNode(id="3.1", level=2, name="营商环境评价得分提升", parent_id="3", weight=D("30"), rule="ratio_up",
                  target_text="≥80分", target=D("80"), achieved=D("85"), unit="分", score_stated=D("30")),
        ScoreNode(id="4", level=1, name="满意度指标", weight=D("10"), score_stated=D("10")),
        ScoreNode(id="4.1", level=2, name="服务对象满意度", parent_id="4", weight=D("10"), rule="ratio_up",
                  target_text="≥90%", target=D("90"), achieved_text="95%（问卷200份）", achieved=D("95"), unit="%",
                  score_stated=D("10")),
    ]
    return r


def _rename(index, name):
    def apply(r):
        _indicators(r).projects[0].indicators[index].name = name
        return r
    return apply


def _sichuan(*edits):
    return _do(_s("meta.rule_profile", "sichuan-dept"), *edits)


def _sichuan_tree(r):
    r.scoring.nodes = [ScoreNode(id=i, level=i.count(".") + 1, name=n, parent_id=i.rsplit(".", 1)[0] if "." in i else "",
                                 weight=D(w)) for i, n, w in (
        ("1", "部门决策", "25"), ("1.1", "目标任务", "15"), ("1.2", "预算编制", "10"), ("2", "综合管理", "30"),
        ("3", "部门绩效", "45"), ("3.1", "履职成效", "20"), ("3.2", "可持续发展能力", "15"), ("3.3", "满意度", "10"))]
    r.self_eval.score_stated = None
    r.self_eval.grade_stated = ""
    return r


CASES.update({
    "IND-01": (_rename(6, "社会效果指标"), _rename(6, "社会效益指标")),
    "IND-02": (_ind(5, direction="≥", rule="ratio_up"), _ind(5, direction="≤")),
    "IND-03": (_ind(9, target=D("101"), target_text="≥101%"), _ind(9, target=D("100"), target_text="≥100%")),
    "IND-04": (_ind(3, achieved_text="XX份"), _ind(3, achieved_text="1份")),
    "IND-05": (_ind(7, target_text="有效提升营商环境", target=None),
               _ind(7, target_text="营商环境评价提升5名", target=None)),
    "IND-06": (_ind(9, achieved=D("100"), achieved_text="100%"),
               _ind(9, achieved=D("100"), achieved_text="100%（发放问卷200份）")),
    "IND-07": (_ind(3, unit="万元", target_text="25万元"), _ind(3, unit="份")),
    "IND-08": (_ind(3, weight=D("0"), score_stated=D("0")), _ind(3, weight=D("30"))),
    "REV-01": (_s("scoring.nodes[7].deviation_reason", ""),
               _do(_s("scoring.nodes[7].deviation_reason", ""), _s("scoring.nodes[7].score_stated", D("20")))),
    "REV-02": (_s("scoring.nodes[1].achieved", D("85")), _s("scoring.nodes[1].achieved", D("93"))),
    "CMP-05": (_s("narrative[hunan9:十]", "旧提纲中的一段话。"), _s("narrative[五.二]", "一段话。")),
    "SCO-16": (_sichuan(), _sichuan(_sichuan_tree)),
    "TXT-01": (_sichuan(_s("narrative[六]", "预" * 201)), _sichuan(_s("narrative[六]", "预" * 200))),
    "TXT-02": (_sichuan(), _sichuan(_s("narrative[五.一]", "年中追加预算15万元用于宣传培训。"))),
})
CASES["NAR-06"] = (_do(_s("narrative[三.一]", "项目按规定组织实施，严格执行政府采购和合同管理制度。"),
                       _s("narrative[八]", "项目按规定组织实施，严格执行政府采购和合同管理制度。")),
                   _do(_s("narrative[三.一]", "项目按规定组织实施。"), _s("narrative[八]", "项目按规定组织实施。")))


def test_every_rule_has_a_case():
    assert sorted(CASES) == sorted(RULES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_flagged(rule_id):
    flag, _ = CASES[rule_id]
    found = run(flag(clean_report()), rule_id)
    assert found, f"{rule_id} not flagged"
    f = found[0]
    assert f.paths, "a finding names the fields to fix"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message), "message in Chinese"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_near_miss_silent(rule_id):
    _, near = CASES[rule_id]
    found = run(near(clean_report()), rule_id)
    assert found == [], [f.message for f in found]


def test_prj03_message_shows_the_arithmetic():
    r = setp(clean_report(), "projects[1].carryover", D("4.00"))
    r.projects[1].actual = D("15.00")
    (f,) = run(r, "PRJ-03")
    assert f.message == ("项目“宣传培训”：结余结转应为 预算 15.00 + 上年结转 0.00 − 实际支出 15.00 = 0.00 万元，"
                         "现填 4.00 万元（相差 4.00，允许误差 0.015）。")
    assert f.paths[0] == "projects[1].carryover" and "projects[1].actual" in f.paths
    assert (f.expected, f.actual, f.difference) == ("0.00", "4.00", "4.00")
    assert f.section == "五"


def test_three_parts_rounding_interval():
    """3 parts summing 0.02 off stay silent (bound 0.02), 0.05 off is flagged, 0.021 off too."""
    assert run(_split_basic("10.02")(clean_report()), "EXP-05") == []
    assert run(_split_basic("10.05")(clean_report()), "EXP-05")
    assert run(_split_basic("10.021")(clean_report()), "EXP-05")  # typed with 3 decimals: tighter


def test_one_decimal_report_uses_wider_interval():
    r = clean_report()
    r.meta.amount_decimals = 1
    r.expenditure.basic, r.expenditure.project_total = D("75.0"), D("35.0")
    r.expenditure.total = D("110.1")
    assert run(r, "EXP-01") == []          # bound 3 × 0.05 = 0.15
    r.expenditure.total = D("110.2")
    assert run(r, "EXP-01")
    r.expenditure.basic = D("75.00")       # an operand typed with 2 decimals is tighter: 0.05 + 0.005 + 0.05
    r.expenditure.total = D("110.11")
    assert run(r, "EXP-01")


def test_missing_operand_skips_and_zero_default_operands():
    r = clean_report()
    r.expenditure.basic = None
    assert run(r, "EXP-01") == [] and run(r, "EXP-02") == []
    r = clean_report()
    r.income.budget_adjustment = None      # zero-default: budget_total = initial + 0
    assert run(r, "INC-01")
    r.income.budget_total = D("100.00")
    assert run(r, "INC-01") == []


def test_profile_switches_rule_off_and_changes_threshold():
    from perfeval_gui.core.engine import Checker
    from perfeval_gui.core.rule_profile import RuleProfile, load_profile
    base = load_profile("hunan-default")
    r = setp(clean_report(), "scoring.nodes[5].achieved", D("130"))
    data = dict(base.data, severity={"SCO-07": "off"})
    assert [f for f in Checker(r, RuleProfile("hunan-default", data)).check_all() if f.rule_id == "SCO-07"] == []
    data = dict(base.data, thresholds=dict(base.data["thresholds"], over_achievement="1.50"))
    assert [f for f in Checker(r, RuleProfile("hunan-default", data)).check_all() if f.rule_id == "SCO-07"] == []


def test_broken_rule_params_do_not_crash():
    r = clean_report()
    r.scoring.nodes[3].rule_params = {"step": "abc"}
    r.scoring.nodes[3].achieved = D("120")
    found = run(r)
    assert any(f.rule_id == "SCO-04" and "参数" in f.message for f in found)
    assert not any("内部错误" in f.message for f in found)


def test_short5_problem_section_and_no_prj06():
    r = clean_report()
    r.meta.template = "short5"
    r.projects[1].analysis_effectiveness = ""
    assert run(r, "PRJ-06") == []


def test_fmt01_narrative_numbering():
    r = setp(clean_report(), "narrative[五.一]", "1.评价工作有序开展。\n3.投诉处理及时。")
    (f,) = run(r, "FMT-01")
    assert "跳号" in f.message and f.quote.startswith("3.")
    r = setp(clean_report(), "narrative[六]", "（一）问题一。\n二）问题二。")
    (f,) = run(r, "FMT-01")
    assert "左括号" in f.message
    r = setp(clean_report(), "narrative[七]", "一、加强管理。\n二、完善制度。\n3、强化培训。")
    (f,) = run(r, "FMT-01")
    assert "三、" in f.message
    r = setp(clean_report(), "narrative[七]", "1、加强管理。\n2、完善制度。\n（1）细化。\n（2）落实。")
    assert run(r, "FMT-01") == []
