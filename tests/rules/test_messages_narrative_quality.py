"""NAR-* and IND-*/REV-* messages rendered from the catalogue (issue 12): the variants and fragments the
flagged cases and samples of tests/core/test_messages.py do not reach, each with its full wording."""
from __future__ import annotations

from decimal import Decimal as D

from perfeval_gui.core import messages
from perfeval_gui.core.model import EconLine, ScoreNode

from rulekit import clean_report, run, setp


def _one(report, rule_id):
    (f,) = run(report, rule_id)
    assert f.template.startswith(rule_id) and f.message == messages.render(f.template, dict(f.args))
    return f


def test_nar02_with_the_prior_carryover():
    r = clean_report()
    p = r.projects[1]
    p.actual = p.carryover = None
    p.carryover_prior = D("2")
    f = _one(setp(r, "narrative[五.二]", "宣传培训项目全年15万元，实际支出10万元，结余结转3万元。"), "NAR-02")
    assert f.message == ("项目“宣传培训”：结余结转应为 预算 15.00 + 上年结转 2.00 − 实际支出 10.00 = 7.00 万元，"
                         "文字写 3.00 万元（相差 -4.00，允许误差 0.015）。")


def test_nar03_counts_with_the_measure_word_once():
    f = _one(setp(clean_report(), "narrative[一.三]", "内设科室3个，分别为：办公室、评价部。"), "NAR-03")
    assert f.message == "文字写 3 个，但列举了 2 项（办公室、评价部）。"
    f = _one(setp(clean_report(), "narrative[五.一]", "主要开展了3项工作：（1）评价；（2）投诉处理。"), "NAR-03")
    assert f.message == "文字写 3 个工作，但列举了 2 项。"


def test_nar04_names_the_lines_it_adds_up():
    r = clean_report()
    r.expenditure.by_econ.append(EconLine("basic", "30211", "差旅费", D("2.00")))
    f = _one(setp(r, "narrative[二.一.1]", "本年度未列支差旅费。"), "NAR-04")
    assert f.message == "文字写没有差旅费，但经济分类科目“差旅费”的金额为 2.00 万元。"
    r.expenditure.by_econ.append(EconLine("project", "30211", "差旅费", D("1.00")))
    f = _one(r, "NAR-04")
    assert f.message == "文字写没有差旅费，但经济分类科目“差旅费”的金额等 2 行合计为 3.00 万元。"


def test_nar05_all_achieved_against_more_than_five_missed_indicators():
    r = clean_report()
    for k in range(6):
        r.scoring.nodes.append(ScoreNode(id=f"3.{k + 2}", level=2, name=f"工作指标{k}", parent_id="3", weight=D("0"),
                                         rule="ratio_up", target=D("10"), achieved=D("5"), unit="个"))
    f = _one(setp(r, "narrative[五.一]", "各项指标均已完成。"), "NAR-05")
    assert f.message == ("文字说“各项指标均已完成”，但“预算执行率”实际完成值 95.65% 未达到指标值 100%；"
                         + "；".join(f"“工作指标{k}”实际完成值 5个 未达到指标值 10个" for k in range(4)) + " 等 7 项。")
    assert (f.expected, f.actual) == ("7 项指标未达到目标值", "各项指标均已完成")


def test_nar05_execution_inferred_from_the_unit():
    r = clean_report()
    p = r.projects[1]
    p.budget_initial = p.budget_final = p.budget_adjustment = None
    r.income.budget_total, r.income.budget_adjustment = D("110.00"), D("10.00")
    f = _one(setp(r, "narrative[六]", "（一）宣传培训项目预算执行方面有待加强。"), "NAR-05")
    assert f.message == ("“存在的主要问题”说项目“宣传培训”预算执行有待加强，但其执行率为 100.00%"
                         "（项目未填预算，按单位整体执行率推定），文字与数字矛盾。")


def test_ind04_placeholder_as_the_target():
    r = clean_report()
    r.scoring.nodes[3].target_text = "待定"
    f = _one(r, "IND-04")
    assert f.template == "IND-04.target_text"
    assert f.message == "评分表中“在职人员控制率”的年度指标值“待定”是占位符（“待定”），请填写实际的数值或内容。"
