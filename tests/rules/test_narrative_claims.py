"""The narrative claim extractor (core/narrative.py) and the NAR rules on real sentences."""
from __future__ import annotations

from decimal import Decimal as D

from perfeval_gui.core.narrative import build_lexicon, extract

from rulekit import clean_report, run, setp


def _amounts(text):
    return [(c.label, c.value, c.approx, c.year) for c in extract(text).amounts]


def _refs(text, report=None):
    """[(number as written, ((owner, key, kind), …))] of the claims the lexicon ties to fields."""
    report = report or clean_report()
    lex = build_lexicon(tuple(p.name for p in report.projects), tuple(ln.name for ln in report.expenditure.by_econ))
    return [(r.claim.number_text, tuple((x.owner, x.key, x.kind) for x in r.refs))
            for r in lex.resolve(extract(text).amounts)]


def test_labelled_amounts_from_seed_sentences():
    got = _amounts("2021年度我中心全年基本支出184.9万元，其中，人员经费支出173.9万元，主要包括：基本工资；"
                   "日常公用经费支出11万元。")
    assert got == [("2021年度我中心全年基本支出", D("184.9"), False, 2021), ("人员经费支出", D("173.9"), False, 2021),
                   ("日常公用经费支出", D("11"), False, 2021)]
    assert _refs("2021年度我中心全年基本支出184.9万元，其中，人员经费支出173.9万元。") == [
        ("184.9万元", (("field", "expenditure.basic", None),)),
        ("173.9万元", (("field", "expenditure.personnel", "actual"),))]
    # '项目支出总投入' is said of the budget as often as of the spending: either may match
    assert _refs("2021年我中心项目支出总投入为200.6万元，其中：") == [
        ("200.6万元", (("field", "expenditure.project_budget_total", "budget"),
                      ("field", "expenditure.project_total", "actual")))]
    assert _refs("2023年支出133.85万元。") == [("133.85万元", (("field", "expenditure.total", "actual"),))]
    assert _refs("全年本中心共支出资金385.5万元。") == [("385.5万元", (("field", "expenditure.total", "actual"),))]


def test_approximate_and_yi_yuan_and_unlabelled():
    ex = extract("累计协调银行为企业提供纾困资金12.97亿元，向上级报送信息80余篇，培训经费约30万元。已支出112.3万元。")
    assert [(c.value, c.approx) for c in ex.amounts] == [(D("30"), True), (D("112.3"), False)]
    assert _refs("累计协调银行为企业提供纾困资金12.97亿元，培训经费约30万元。已支出112.3万元。") == []
    assert _refs("该项目共计投入73.3万元，已支出70万元。") == []      # '该项目' is not a name: unsure, silent


def test_yuan_converted_to_wan():
    (c,) = extract("其中公务接待费支出5000元。").amounts
    assert c.value == D("0.5") and c.label == "其中公务接待费支出" and c.decimals == 4
    r = setp(clean_report(), "narrative[二.一.2]", "其中公务接待费支出20000元。")
    (f,) = run(r, "NAR-01")
    assert "three_public.reception.actual" in f.paths
    r = setp(clean_report(), "narrative[二.一.2]", "其中公务接待费支出10000.4元。")
    assert run(r, "NAR-01") == []          # 1.00004 万元 vs 1.00: inside the interval


def test_counts_scores_lists_projects_zeros():
    ex = extract("本部门共有编制人数 7人，实有人数7人。内设科室 3个，分别为：综合办公室、企业服务室、投诉协调室。")
    assert [(c.field, c.value) for c in ex.counts] == [("staff_authorized", 7), ("staff_actual", 7), ("org_units", 3)]
    assert [(c.stated, c.counted) for c in ex.lists] == [(3, 3)]
    ex = extract("2021年部门整体支出绩效自评得分99分，等级为“优”。")
    assert ex.scores[0].score == D("99") and ex.grades[0].grade == "优"
    ex = extract("1．年初预算项目业务性专项4万元，实际支出4万元，结余结转4万元。")
    (p,) = ex.projects
    assert (p.name, p.budget, p.actual, p.carryover) == ("业务性专项", D("4"), D("4"), D("4"))
    ex = extract("再添四个国字号奖项。4月2日，浏阳荣膺十大县，6月17日，获评优质城市，7月12日获评示范县，11月获评执行力奖。荣誉在媒体报道。")
    assert [(c.stated, c.counted) for c in ex.lists] == [(4, 4)]
    assert [z.items for z in extract("本年度无结余结转。").zeros] == [("结余结转",)]


def test_contradicting_claim_flagged_with_sentence_quoted():
    sentence = "2023年度我中心全年基本支出80.00万元，其中人员经费支出65.00万元。"
    r = setp(clean_report(), "narrative[二.一.1]", sentence)
    (f,) = run(r, "NAR-01")
    assert f.quote == sentence
    assert f.paths == ("narrative[二.一.1]", "expenditure.basic")
    assert "80.00" in f.message and "75.00" in f.message
    assert f.section == "二"


def test_matching_claims_are_silent():
    text = ("2023年度我中心全年基本支出75万元，其中人员经费支出65.0万元，日常公用经费支出10万元。"
            "“三公”经费支出3万元，其中公务接待费支出1万元。项目支出总投入为35万元，其中：营商环境评价25万元，"
            "宣传培训15万元。分别为：委托业务费34万元，公务接待费1万元。编制人数 10人，实有人数9人。")
    r = setp(clean_report(), "narrative[二.一.1]", text)
    found = run(r)
    assert [f.message for f in found if f.rule_id.startswith("NAR")] == []


def test_project_name_claim_against_project_amounts():
    r = setp(clean_report(), "narrative[一.四]", "支出主要内容：营商环境评价30万元，宣传培训10万元。")
    (f,) = run(r, "NAR-01")
    assert "营商环境评价项目" in f.message and f.paths[1].startswith("projects[0]")


def test_ambiguous_or_unknown_labels_give_nothing():
    text = ("行政编制5名，事业编制3名。营商环境支出99万元。市级支出500万元。该项目共计投入73.3万元，已支出70万元。"
            "纾困资金12.97亿元。累计服务80余家企业，节约资金约50万元。")
    r = setp(clean_report(), "narrative[五.一]", text)
    assert [f.message for f in run(r) if f.rule_id.startswith("NAR")] == []


def test_score_and_grade_claims():
    r = setp(clean_report(), "narrative[九]", "2023年部门整体支出绩效自评得分92分，等级为“良”。")
    assert {f.rule_id for f in run(r) if f.rule_id == "NAR-01"} == {"NAR-01"}
    assert len(run(r, "NAR-01")) == 2


def test_extraction_is_cached():
    text = "2023年支出133.85万元，其中基本支出121.47万元。"
    assert extract(text) is extract(text)
