"""One case per failure class of issue 15 (our own wording; each failed before the fix), plus the
per-paragraph cache that keeps a recheck within one frame and the linear scan of long digit runs."""
from __future__ import annotations

from decimal import Decimal as D

from perfeval_gui.core import narrative
from perfeval_gui.core.engine import Checker
from perfeval_gui.core.model import EconLine, FunctionLine

from rulekit import clean_report, run, setp


def _ids(report, *rule_ids):
    return [(f.rule_id, f.message) for f in run(report) if f.rule_id in rule_ids]


def _with_econ(name, amount, code="30211"):
    r = clean_report()
    r.expenditure.by_econ.append(EconLine("basic", code, name, D(amount)))
    return r


# ------------------------------------------------------------------ silent on a wrong sentence
def test_nar04_zero_statement_about_an_economic_class():
    r = setp(_with_econ("差旅费", "2.00"), "narrative[二.一.1]", "本年度未列支差旅费。")
    (f,) = run(r, "NAR-04")
    assert "差旅费" in f.message and f.paths == ("narrative[二.一.1]", "expenditure.by_econ[4].amount")
    assert (f.expected, f.actual) == ("0", "2.00")
    assert run(setp(_with_econ("差旅费", "0"), "narrative[二.一.1]", "本年度未列支差旅费。"), "NAR-04") == []


def test_nar04_zero_statement_about_a_three_public_part_and_a_list():
    r = setp(clean_report(), "narrative[二.一.3]", "2023年度公务用车运行维护费为零。")
    (f,) = run(r, "NAR-04")
    assert f.paths[1] == "three_public.vehicle_operation.actual" and f.actual == "2.00"
    r = _with_econ("差旅费", "0")
    r.expenditure.by_econ.append(EconLine("basic", "30202", "印刷费", D("3.00")))
    setp(r, "narrative[二.一.1]", "本年度未列支差旅费和印刷费。")
    (f,) = run(r, "NAR-04")
    assert "印刷费" in f.message and f.paths[1] == "expenditure.by_econ[5].amount"


def test_nar04_reaches_functional_classes_and_leaves_tpf05_its_own_statements():
    r = clean_report()
    r.expenditure.by_function.append(FunctionLine("208", "社会保障和就业支出", D("0.50")))
    setp(r, "narrative[五]", "本年度无社会保障和就业支出。")
    (f,) = run(r, "NAR-04")
    assert f.paths[1] == "expenditure.by_function[1].amount"
    r = setp(clean_report(), "narrative[二.一.3]", "2023年度无公务用车运行维护费支出。")
    assert [x.rule_id for x in run(r) if x.rule_id in ("NAR-04", "TPF-05")] == ["TPF-05"]


def test_nar05_all_indicators_achieved_while_one_misses_its_target():
    # clean_report: 预算执行率 achieved 95.65 % of a 100 % target
    for claim in ("各项指标均已完成。", "全面完成年度目标。"):
        (f,) = run(setp(clean_report(), "narrative[五.一]", claim), "NAR-05")
        assert "预算执行率" in f.message and "scoring.nodes[1].achieved" in f.paths
    r = clean_report()
    r.scoring.nodes[1].achieved = D("100")
    r.scoring.nodes[1].score_stated = r.scoring.nodes[0].score_stated = D("20")
    assert run(setp(r, "narrative[五.一]", "各项指标均已完成。"), "NAR-05") == []
    assert run(setp(clean_report(), "narrative[五.一]", "各项指标基本完成。"), "NAR-05") == []


def test_nar03_count_against_numbered_items():
    text = "主要开展了3项工作：（1）开展评价；（2）处理投诉；（3）宣传培训；（4）营商环境监测。"
    (f,) = run(setp(clean_report(), "narrative[五.一]", text), "NAR-03")
    assert (f.expected, f.actual) == ("4", "3")
    text = "主要开展了3项工作：\n1．开展评价。\n2．处理投诉。\n3．宣传培训。\n4．营商环境监测。"
    (f,) = run(setp(clean_report(), "narrative[五.一]", text), "NAR-03")
    assert (f.expected, f.actual) == ("4", "3")
    text = "主要开展了4项工作：①开展评价；②处理投诉；③宣传培训；④营商环境监测。"
    assert run(setp(clean_report(), "narrative[五.一]", text), "NAR-03") == []


def test_fmt01_repeated_paragraph_number():
    r = setp(clean_report(), "narrative[六]", "（一）预算编制精细化程度不够。\n（一）绩效目标设置不够具体。")
    (f,) = run(r, "FMT-01")
    assert "重复" in f.message and f.expected == "（二）"
    r = setp(clean_report(), "narrative[六]", "（一）问题一。\n（二）问题二。\n（二）问题三。")
    (f,) = run(r, "FMT-01")
    assert "重复" in f.message and f.expected == "（三）"
    r = setp(clean_report(), "narrative[七]", "1.加强管理。\n2.完善制度。\n下一步：\n1.细化。\n2.落实。")
    assert run(r, "FMT-01") == []


def test_scores_are_exact_to_the_cent():
    (f,) = run(setp(clean_report(), "scoring.nodes[5].score_stated", D("30.01")), "SCO-02")
    assert (f.difference, f.tolerance) == ("0.01", "0")
    (f,) = run(setp(clean_report(), "scoring.nodes[7].score_stated", D("15.99")), "SCO-05")
    assert (f.expected, f.difference, f.tolerance) == ("16.00–20.00", "-0.01", "0")
    assert run(setp(clean_report(), "scoring.nodes[7].score_stated", D("16")), "SCO-05") == []
    assert run(setp(clean_report(), "scoring.nodes[7].score_stated", D("20.00")), "SCO-05") == []


# ------------------------------------------------------------------ error on a correct sentence
def test_nar01_project_carryover_is_the_projects_own():
    r = clean_report()
    p = r.projects[0]
    p.budget_initial = p.budget_final = D("27.00")
    p.carryover = D("2.00")
    setp(r, "narrative[五.二]", "营商环境评价项目全年预算27万元，结余结转2万元。")
    assert _ids(r, "NAR-01") == []
    setp(r, "narrative[五.二]", "营商环境评价项目全年预算27万元，结余结转3万元。")
    (f,) = run(r, "NAR-01")
    assert f.paths[1] == "projects[0].carryover"


def test_nar01_figures_of_another_year_are_not_compared():
    text = ("2021年人员经费60万元。上年公务接待费2万元。“三公”经费比上年的3.50万元减少0.5万元。"
            "上年度我中心基本支出70万元，本年度基本支出75万元。")
    assert _ids(setp(clean_report(), "narrative[二.一.1]", text), "NAR-01") == []
    (f,) = run(setp(clean_report(), "narrative[二.一.1]", "上年度基本支出70万元，本年度基本支出76万元。"), "NAR-01")
    assert f.paths[1] == "expenditure.basic" and f.actual == "76.00"


def test_nar01_initial_budget_stated_before_its_adjustment():
    r = clean_report()
    p = r.projects[0]
    p.budget_initial, p.budget_adjustment = D("20.00"), D("5.00")
    setp(r, "narrative[五.二]", "营商环境评价项目年初预算20万元，年中追加5万元，实际支出25万元。")
    assert _ids(r, "NAR-01") == []
    setp(r, "narrative[五.二]", "营商环境评价项目年初预算20万元，年中追加6万元，实际支出25万元。")
    (f,) = run(r, "NAR-01")
    assert f.paths[1] == "projects[0].budget_adjustment"
    assert (f.expected, f.actual, f.difference, f.tolerance) == ("5.00", "6.00", "1.00", "0.505")


def test_nar03_yishi_enumeration_across_clauses_and_sentences():
    text = "主要有四项做法：一是健全制度，加强管理；二是加强培训，提升能力；三是强化监督；四是完善考核。"
    assert run(setp(clean_report(), "narrative[八]", text), "NAR-03") == []
    text = "主要做法有四个方面。一是健全制度，加强管理。二是加强培训。三是强化监督。四是完善考核。"
    assert run(setp(clean_report(), "narrative[八]", text), "NAR-03") == []
    text = "主要做法有三个方面。一是健全制度。二是加强培训。三是强化监督。四是完善考核。"
    (f,) = run(setp(clean_report(), "narrative[八]", text), "NAR-03")
    assert (f.expected, f.actual) == ("4", "3")


def test_inc02_applies_only_to_an_increase():
    r = clean_report()
    r.income.budget_adjustment, r.income.budget_total = D("-5.00"), D("95.00")
    assert run(r, "INC-02") == []


def test_exp10_rate_stated_with_its_cause_anywhere_explains_it():
    r = setp(clean_report(), "income.budget_total", D("150.00"))
    assert run(r, "EXP-10")
    for text in ("全年支出110.00万元，预算执行率为73.33%，主要是部分项目延至次年实施。",
                 "执行率为73.3%，主要原因是培训延期。", "由于项目延期，年末结余较多。"):
        assert run(setp(r, "narrative[五]", text), "EXP-10") == [], text
    assert run(setp(r, "narrative[五]", "执行率为73.33%。"), "EXP-10")


# ------------------------------------------------------------------ details findings lacked
def test_nar01_project_and_score_findings_carry_difference_and_tolerance():
    r = setp(clean_report(), "narrative[五.二]", "宣传培训项目全年预算15万元，实际支出12万元，结余结转5万元。")
    (f,) = run(r, "NAR-01")
    assert f.paths[1] == "projects[1].actual"
    assert (f.expected, f.actual, f.difference, f.tolerance) == ("10.00", "12.00", "2.00", "0.505")
    (f, _) = run(setp(clean_report(), "narrative[九]", "2023年部门整体支出绩效自评得分92分，等级为“良”。"), "NAR-01")
    assert (f.expected, f.actual, f.difference, f.tolerance) == ("97.13", "92", "-5.13", "0.5")


def test_nar02_names_the_project_as_the_model_does():
    r = clean_report()
    r.projects[1].actual = r.projects[1].carryover = None
    setp(r, "narrative[五.二]", "宣传培训项目全年15万元，实际支出10万元，结余结转3万元。")
    (f,) = run(r, "NAR-02")
    assert "项目“宣传培训”" in f.message and f.paths == ("narrative[五.二]", "projects[1].carryover")
    assert (f.expected, f.actual, f.difference) == ("5.00", "3.00", "-2.00")


# ------------------------------------------------------------------ speed and caching (behaviour, not time)
def test_recheck_reextracts_only_the_changed_paragraph():
    r = clean_report()
    paragraphs = [f"{i}．第{i}项工作有序开展，支出{i}万元。" for i in range(1, 40)]
    r.narrative["五.一"] = "\n".join(paragraphs)
    checker = Checker(r)
    checker.check_all()
    before = narrative.paragraph_cache_info()["misses"]
    paragraphs[7] = "8．第8项工作有序开展，支出9万元。"
    r.narrative["五.一"] = "\n".join(paragraphs)
    checker.recheck(["narrative[五.一]"])
    assert narrative.paragraph_cache_info()["misses"] - before == 1


def test_a_megabyte_of_digits_is_read_without_claims_and_checked():
    digits = "1" * 1_000_000
    ex = narrative.extract(digits)
    assert ex.amounts == () and ex.lists == () and ex.counts == ()
    r = setp(clean_report(), "narrative[五.一]", "全年支出" + digits + "万元。")
    assert [f.rule_id for f in Checker(r).check_all() if f.rule_id.startswith("NAR")] == []


# ------------------------------------------------------------------ correct sentences stay silent
CORRECT = [
    "2023年预算收入115.00万元，其中年初预算100.00万元，调整追加15.00万元。其他资金来源0万元。",
    "2023年支出110.00万元，其中基本支出75.00万元，项目支出35.00万元，结余结转5.00万元。",
    "全年预算数115万元，全年执行数110万元，执行率95.65%。",
    "年中追加项目1个，追加资金15万元，实际支出10万元。",
    "年初预算项目无结余结转。",
    "宣传培训项目结余结转5万元，主要是培训延至次年。",
    "营商环境评价项目预算25万元，全年执行数25万元。",
    "公务接待费预算2万元，实际支出1万元。",
    "“三公”经费支出3万元，比上年减少0.5万元，下降14.29%。",
    "基本支出预算80万元，实际支出75万元。",
    "2024年计划安排基本支出90万元。",
    "上年结转0万元，年末结余结转5万元。",
    "节约资金5万元，为企业减免租金30万元，人均经费5万元。",
    "干部8名。\n1．评价工作有序开展。",
    "已全部完成整改。",
    "无超预算支出，无违规支出，无截留、挪用等现象，无其他需要说明的情况。",
    "营商环境评价项目年中调减0万元。",
    "2023年度我中心全年基本支出75万元，其中，人员经费支出65万元，日常公用经费支出10万元。",
]


def test_correct_sentences_give_no_narrative_finding():
    for text in CORRECT:
        r = setp(clean_report(), "narrative[八]", text)
        assert [(f.rule_id, f.message) for f in run(r) if f.rule_id.startswith("NAR")] == [], text


def _travel_and_printing():
    r = _with_econ("差旅费", "2.00")
    r.expenditure.by_econ.append(EconLine("basic", "30202", "印刷费", D("3.00")))
    return r


# other wordings of the same failure classes: (report factory, slot, text, rule, a path the finding names)
FLAGGED = [
    (_travel_and_printing, "二.一.1", "本年度差旅费支出为0。", "NAR-04", "expenditure.by_econ[4].amount"),
    (_travel_and_printing, "二.一.1", "印刷费、差旅费均为零。", "NAR-04", "expenditure.by_econ[5].amount"),
    (_travel_and_printing, "二.一.1", "全年没有安排差旅费。", "NAR-04", "expenditure.by_econ[4].amount"),
    (_travel_and_printing, "二.一.1", "差旅费、印刷费支出均为0元。", "NAR-04", "expenditure.by_econ[4].amount"),
    (clean_report, "五.一", "圆满完成了全部绩效目标。", "NAR-05", "scoring.nodes[1].achieved"),
    (clean_report, "五.一", "年度绩效指标均已达到。", "NAR-05", "scoring.nodes[1].achieved"),
    (clean_report, "五.一", "围绕三个方面开展工作：\n（一）评价。\n1.摸底。\n2.测评。\n（二）投诉处理。\n（三）宣传。\n（四）培训。",
     "NAR-03", "narrative[五.一]"),
    (clean_report, "五.一", "设立了4个工作专班，即评价专班、投诉专班、宣传专班。", "NAR-03", "narrative[五.一]"),
    (clean_report, "五", "2023年预算支出120万元。", "NAR-01", "income.budget_total"),
    (clean_report, "五.二", "宣传培训项目年初安排0万元，年中追加16万元。", "NAR-01", "projects[1].budget_adjustment"),
]


def test_other_wordings_of_the_failure_classes_are_flagged():
    for make, slot, text, rule_id, path in FLAGGED:
        found = run(setp(make(), f"narrative[{slot}]", text), rule_id)
        assert any(path in f.paths for f in found), (text, [(f.message, f.paths) for f in found])
        assert all(f.expected is not None and f.actual is not None for f in found)


CORRECT_MORE = [
    "围绕三个方面开展工作：\n（一）评价。\n1.摸底。\n2.测评。\n（二）投诉处理。\n（三）宣传。",
    "营商环境评价项目25万元，宣传培训项目15万元，实际支出分别为25万元、10万元。",
    "2023年预算支出115万元。",
    "较2022年的3.50万元有所下降。与上年相比，基本支出增加5万元。",
    "宣传培训项目年初安排0万元，年中追加15万元，结余5万元，结转下年使用。",
]


def test_more_correct_wordings_give_no_narrative_finding():
    for text in CORRECT_MORE:
        r = setp(clean_report(), "narrative[五.一]", text)
        assert [(f.rule_id, f.message) for f in run(r) if f.rule_id.startswith("NAR")] == [], text


# ------------------------------------------------------------------ issue 12 item 3: 四舍五入 in score messages
def test_score_messages_round_half_up():
    r = clean_report()
    n = r.scoring.nodes[5]                      # ratio_up, weight 30: make the rule give exactly 7.125
    n.weight, n.target, n.achieved, n.score_stated = D("10"), D("80"), D("57"), D("8")
    (f,) = run(r, "SCO-04")
    assert f.expected == "7.13" and "≈7.13" in f.message and f.difference == "0.88"
    r = clean_report()
    q = r.scoring.nodes[7]                      # qualitative, 部分达成 = 60–80 % of 11.875 → 7.125–9.5
    q.weight, q.tier, q.score_stated = D("11.875"), "部分达成", D("7")
    (f,) = run(r, "SCO-05")
    assert f.expected == "7.13–9.50" and "7.13–9.50" in f.message
