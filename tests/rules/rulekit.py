"""Test helpers for tests/rules: a fully consistent report and a one-rule finder."""
from __future__ import annotations

from decimal import Decimal as D

from perfeval_gui.core.engine import Checker
from perfeval_gui.core.model import (Assets, BudgetActual, EconLine, Expenditure, FunctionLine, Income, LeaderPost,
                                     Meta, OrgUnit, Procurement, Profile, Project, Report, RoleCount, ScoreNode,
                                     Scoring, SelfEval, ThreePublic, set_value)


NARRATIVE = {
    "一.三": "推进营商环境建设。",
    "三.一": "项目按规定组织实施。",
    "四.一": "固定资产管理规范。",
    "五": "全年支出110.00万元，其中基本支出75.00万元，项目支出35.00万元。",
    "五.一": "1.评价工作有序开展。\n2.投诉处理及时。",
    "六": "（一）预算编制精细化程度不够。\n（二）绩效目标设置不够具体。",
    "七": "加强预算编制管理。",
    "八": "健全内控制度。",
    "九": "2023年部门整体支出绩效自评得分97.13分，等级为“优”。",
}


def clean_report() -> Report:
    """A hunan9 report in which every relation holds (check_all → no findings at all)."""
    nodes = [
        ScoreNode(id="1", level=1, name="投入", weight=D("20"), score_stated=D("19.13")),
        ScoreNode(id="1.1", level=2, name="预算执行率", parent_id="1", weight=D("20"), rule="exec_rate",
                  target=D("100"), achieved=D("95.65"), unit="%", score_stated=D("19.13"),
                  deviation_reason="部分培训延至次年。"),
        ScoreNode(id="2", level=1, name="过程", weight=D("30"), score_stated=D("30")),
        ScoreNode(id="2.1", level=2, name="在职人员控制率", parent_id="2", weight=D("30"), rule="deduct_per_point",
                  rule_params={"step": "0.5"}, direction="≤", target=D("100"), achieved=D("90"), unit="%",
                  score_stated=D("30")),
        ScoreNode(id="3", level=1, name="产出", weight=D("30"), score_stated=D("30")),
        ScoreNode(id="3.1", level=2, name="重点工作完成率", parent_id="3", weight=D("30"), rule="ratio_up",
                  target=D("100"), achieved=D("100"), unit="%", score_stated=D("30")),
        ScoreNode(id="4", level=1, name="效果", weight=D("20"), score_stated=D("18")),
        ScoreNode(id="4.1", level=2, name="服务对象满意度", parent_id="4", weight=D("20"), rule="qualitative",
                  direction="qual", tier="达成", score_stated=D("18"),
                  deviation_reason="少数服务对象认为办理时限偏长。"),
    ]
    return fill_forms(Report(
        meta=Meta(template="hunan9", fiscal_year=2023, unit_name="测试市营商环境中心", amount_decimals=2),
        profile=Profile(duties=["负责营商环境评价工作。", "负责投诉受理。"],
                        org_units=[OrgUnit("办公室", "综合"), OrgUnit("评价部", "评价")], declared_org_unit_count=2,
                        staff_authorized=10, staff_kind="全额拨款事业编制", leader_posts=[LeaderPost("主任", 1)],
                        staff_by_role=[RoleCount("主任", 1), RoleCount("干部", 8)], staff_actual=9),
        income=Income(budget_initial=D("100.00"), budget_adjustment=D("15.00"), budget_total=D("115.00"),
                      other_sources=D("0"), carryover_prior=D("0"), fiscal_funds=D("110.00")),
        expenditure=Expenditure(
            total=D("110.00"), basic=D("75.00"), personnel=D("65.00"), public_ops=D("10.00"),
            project_total=D("35.00"), project_budget_total=D("40.00"), carryover_end=D("5.00"),
            by_function=[FunctionLine("201", "一般公共服务支出", D("110.00"))],
            by_econ=[EconLine("basic", "30101", "基本工资", D("65.00")), EconLine("basic", "30201", "办公费", D("10.00")),
                     EconLine("project", "30217", "公务接待费", D("1.00")),
                     EconLine("project", "30227", "委托业务费", D("34.00"))]),
        projects=[
            Project(name="营商环境评价项目", kind="initial", budget_initial=D("25.00"), budget_final=D("25.00"),
                    actual=D("25.00"), carryover=D("0.00"), analysis_effectiveness="完成年度评价。"),
            Project(name="宣传培训", kind="added", budget_adjustment=D("15.00"), budget_final=D("15.00"),
                    actual=D("10.00"), carryover=D("5.00"), analysis_effectiveness="完成培训。",
                    deviation_reason="培训延至次年。"),
        ],
        three_public=ThreePublic(abroad=BudgetActual(D("0"), D("0")), vehicle_purchase=BudgetActual(D("0"), D("0")),
                                 vehicle_operation=BudgetActual(D("3.00"), D("2.00")),
                                 reception=BudgetActual(D("2.00"), D("1.00")), total_stated=D("3.00"),
                                 prior_year_total=D("3.50")),
        assets=Assets(fixed_begin=D("50.00"), fixed_increase=D("5.00"), fixed_decrease=D("0"), fixed_end=D("55.00")),
        procurement=Procurement(budget=D("10.00"), actual=D("8.00")),
        scoring=Scoring(nodes=nodes),
        self_eval=SelfEval(score_stated=D("97.13"), grade_stated="优"),
        narrative=dict(NARRATIVE),
        headings={"三": "三、部门专项组织实施情况", "五.一": "（一）整体绩效情况分析"},
    ))


def project_indicators(exec_score: str) -> list[ScoreNode]:
    """A 项目支出绩效自评表's indicators: 预算执行率 10 (its score per SCO-13), 产出 50, 效益 30, 满意度 10."""
    return [
        ScoreNode(id="0", level=1, name="预算执行率", weight=D("10"), rule="exec_rate", score_stated=D(exec_score)),
        ScoreNode(id="1", level=1, name="产出指标", weight=D("50")),
        ScoreNode(id="1.1", level=2, name="数量指标", parent_id="1", weight=D("50")),
        ScoreNode(id="1.1.1", level=3, name="完成评价报告", parent_id="1.1", weight=D("50"), rule="ratio_up",
                  target=D("1"), achieved=D("1"), unit="份", target_text="1份", achieved_text="1份",
                  score_stated=D("50")),
        ScoreNode(id="2", level=1, name="效益指标", weight=D("30")),
        ScoreNode(id="2.1", level=2, name="社会效益指标", parent_id="2", weight=D("30")),
        ScoreNode(id="2.1.1", level=3, name="营商环境改善", parent_id="2.1", weight=D("30"), rule="qualitative",
                  direction="qual", tier="达成", target_text="明显改善", achieved_text="明显改善", score_stated=D("27"),
                  deviation_reason="少数企业认为办事时限仍偏长。"),
        ScoreNode(id="3", level=1, name="满意度指标", weight=D("10")),
        ScoreNode(id="3.1", level=2, name="服务对象满意度指标", parent_id="3", weight=D("10")),
        ScoreNode(id="3.1.1", level=3, name="企业满意度", parent_id="3.1", weight=D("10"), rule="ratio_up",
                  target=D("90"), achieved=D("95"), unit="%", target_text="≥90%", achieved_text="95%",
                  score_stated=D("10")),
    ]


def fill_forms(r: Report) -> Report:
    """The submission forms filled consistently with the report (CMP-03 and every cross-form rule silent)."""
    from perfeval_gui.core.model import FundRow
    df = r.dept_form
    df.general_budget = FundRow(D("100.00"), D("115.00"), D("110.00"))
    df.basic_budget_initial, df.basic_budget_final, df.project_budget_initial = D("75.00"), D("75.00"), D("25.00")
    df.exec_weight, df.exec_rate_stated, df.exec_score_stated = D("10"), D("95.65"), D("9.57")
    df.goal_expected, df.goal_actual = "完成年度营商环境评价。", "已完成。"
    bd = r.basic_data
    bd.staff_control_rate_stated = D("90.00")
    bd.public_ops_budget = D("12.00")
    bd.office.final, bd.utilities_travel.final, bd.meeting_training.final = D("5.00"), D("2.00"), D("1.00")
    bd.frugality = "严格执行公务接待标准。"
    for p, score, total, rate, grade in ((r.projects[0], "10", "97", "100.00", "优"),
                                         (r.projects[1], "6.67", "71.00", "66.67", "中")):
        p.indicators = project_indicators(score)
        p.self_score = D(total)
        f = p.form
        f.exec_rate_stated = D(rate)
        f.goal_expected, f.goal_actual = "完成项目目标。", "基本完成。"
        f.grade_stated = grade
        f.lead, f.finance_lead, f.filler, f.phone, f.date = "张三", "李四", "王五", "0731-1234567", "2024-03-05"
    # 宣传培训 spent 10.00 of 15.00 (66.67 %): its indicators score no higher than that supports (REV-02)
    out = r.projects[1].indicators
    out[3].target, out[3].achieved, out[3].target_text, out[3].achieved_text = D("3"), D("2"), "3期", "2期"
    out[3].score_stated, out[3].deviation_reason = D("33.33"), "一期培训延至次年。"
    out[6].tier, out[6].score_stated, out[6].deviation_reason = "部分达成", D("21"), "培训覆盖面未达预期。"
    return r


def run(report: Report, rule_id: str | None = None):
    findings = Checker(report).check_all()
    return [f for f in findings if rule_id is None or f.rule_id == rule_id]


def setp(report: Report, path: str, value) -> Report:
    set_value(report, path, value)
    return report
