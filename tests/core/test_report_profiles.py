"""Report profiles as data (issue 20): outlines from the profile files, one test report per shipped
profile exercising its differences, switching profiles, broken files named by key and line, the CLI."""
from __future__ import annotations

import io
import json
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal as D
from pathlib import Path

import pytest
from docx import Document

from perfeval_gui.cli import main
from perfeval_gui.core import derived, profiles, rule_profile
from perfeval_gui.core.edits import apply_changes
from perfeval_gui.core.engine import Checker
from perfeval_gui.core.model import ScoreNode
from perfeval_gui.core.rule_profile import ProfileError
from perfeval_gui.core.scoring_rules import computed_score
from perfeval_gui.core.template import get_template, numbered_heading, section_of_path
from perfeval_gui.io.docx_export import export_docx
from perfeval_gui.io.project_file import load_project, save_project
from perfeval_gui.resources import resource_path, sample_path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
from rulekit import clean_report  # noqa: E402

SHIPPED = ("hunan-default", "hunan-shifeng", "hunan-provincial", "national-285", "anhui-tianchang", "sichuan-dept")


def _rules(report, rule_id=None):
    return [f for f in Checker(report).check_all() if rule_id is None or f.rule_id == rule_id]


def _switched(report, name):
    apply_changes(report, profiles.plan_switch(report, name).changes)
    return report


def _docx_lines(report, tmp_path) -> list[str]:
    out = tmp_path / "r.docx"
    export_docx(report, out)
    return [p.text.strip() for p in Document(out).paragraphs if p.text.strip()]


# ------------------------------------------------------------------ the outlines are the old ones
# (id, title, level, narrative, parts) of every slot of the two outlines as they were written in Python
HUNAN9 = [
    ("一", "部门概况", 1, False, ("text",)), ("一.一", "部门职能概述", 2, True, ("text", "duties_dot")),
    ("一.二", "部门组织机构及人员情况", 2, True, ("org_units", "text")), ("一.三", "年度重点工作计划", 2, True, ("text",)),
    ("一.四", "部门整体支出规模、使用方向、主要内容和涉及范围", 2, True, ("text",)),
    ("二", "部门整体支出管理及使用情况", 1, False, ("figure_tables",)), ("二.一", "基本支出", 2, False, ("text",)),
    ("二.一.1", "实际整体收支情况", 3, True, ("text",)), ("二.一.2", "“三公”经费总支出情况", 3, True, ("text",)),
    ("二.一.3", "因公出国（境）费用支出和公务用车（购置）情况", 3, True, ("text",)),
    ("二.二", "项目支出", 2, False, ("text",)), ("二.二.1", "项目资金总投入情况", 3, True, ("text",)),
    ("二.二.2", "项目资金实际使用情况分析", 3, True, ("text",)), ("二.二.3", "项目资金管理情况", 3, True, ("text",)),
    ("三", "部门专项组织实施情况", 1, False, ("text",)), ("三.一", "项目组织情况", 2, True, ("text",)),
    ("三.二", "项目管理情况", 2, True, ("text",)), ("四", "资产管理情况", 1, False, ("text",)),
    ("四.一", "固定资产情况", 2, True, ("text",)), ("四.二", "固定资产管理情况", 2, True, ("text",)),
    ("五", "部门整体支出绩效情况", 1, True, ("text",)), ("五.一", "整体绩效情况分析", 2, True, ("text",)),
    ("五.二", "单位项目资金绩效分析", 2, True, ("project_analyses", "text")), ("六", "存在的主要问题", 1, True, ("text",)),
    ("七", "改进措施和有关建议", 1, True, ("text",)),
    ("八", "单位在资金管理、项目管理等方面的先进经验及做法", 1, True, ("text",)),
    ("九", "部门整体支出绩效评价等级", 1, True, ("text", "grade_sentence")),
]
SHORT5 = [
    ("一", "预算单位基本情况", 1, True, ("text", "duties_paren", "staff_sentence")),
    ("二", "预算收支出情况（按单位预算口径）", 1, True,
     ("income_sentence", "expenditure_sentence", "text", "figure_tables")),
    ("三", "资金使用及绩效情况（包含单位管理的公共专项）", 1, False, ("text",)),
    ("三.一", "整体支出绩效情况", 2, True, ("text",)), ("三.二", "项目支出绩效情况", 2, True, ("project_lists", "text")),
    ("四", "绩效管理存在的问题及下一步改进措施", 1, True, ("text",)), ("五", "其他需要说明的情况", 1, True, ("text",)),
]
FIGURES = {
    "hunan9": {"meta": "一", "profile": "一", "income": "二", "expenditure": "二", "three_public": "二",
               "projects": "五", "assets": "四", "procurement": "三", "scoring": "附", "self_eval": "九", "prior_year": "二"},
    "short5": {"meta": "一", "profile": "一", "income": "二", "expenditure": "二", "three_public": "二",
               "projects": "三", "assets": "二", "procurement": "二", "scoring": "附", "self_eval": "四", "prior_year": "二"},
}


@pytest.mark.parametrize("outline,expected", [("hunan9", HUNAN9), ("short5", SHORT5)])
def test_the_two_outlines_read_from_data_are_the_old_python_ones(outline, expected):
    t = get_template(outline)
    assert [(s.id, s.title, s.level, s.narrative, s.parts) for s in t.slots()] == expected
    assert t.figure_sections == FIGURES[outline]
    assert section_of_path("expenditure.by_econ[0].amount", outline) == "二"
    assert section_of_path("projects[0].indicators[1].score_stated", outline) == "附"


def test_every_shipped_profile_loads_with_a_chinese_name_and_a_usable_outline():
    infos = {i.name: i for i in profiles.list_profiles()}
    assert set(SHIPPED) <= set(infos)
    for name in SHIPPED:
        info = infos[name]
        assert not info.error, info.error
        assert any("\u4e00" <= ch <= "\u9fff" for ch in info.title) and info.province
        template = get_template(info.outline_id)
        assert template.sections and all(template.place(k) for k in ("income", "projects", "problems", "self_eval"))


# ------------------------------------------------------------------ one report per profile
def test_hunan_shifeng_profile_checks_the_shifeng_sample_exactly_as_before():
    before = load_project(sample_path("shifeng-2023.pefx"))
    after = load_project(sample_path("shifeng-2023.pefx"))
    _switched(after, "hunan-shifeng")
    assert after.meta.template == "short5" and after.narrative == before.narrative
    key = lambda f: (f.rule_id, f.message)  # noqa: E731
    assert sorted(map(key, _rules(after))) == sorted(map(key, _rules(before)))


def test_hunan_provincial_outline_opens_with_bu_men_ji_ben_qing_kuang(tmp_path):
    r = profiles.new_report("hunan-provincial")
    r.meta.unit_name, r.meta.fiscal_year = "湖南省某厅", 2023
    r.profile.duties = ["负责全省营商环境工作。"]
    r.narrative["一.一"] = "本厅是省政府组成部门。"
    r.headings["一"] = "一、部门基本情况"
    lines = _docx_lines(r, tmp_path)
    assert "一、部门基本情况" in lines and "（一）部门职能职责" in lines
    assert "一、部门概况" not in lines
    assert not _rules(r, "FMT-01")                 # the officer's heading matches the provincial outline
    r.headings["一"] = "一、部门概况"
    assert not _rules(r, "FMT-01")                 # numbering right; wording is the officer's


def test_national_285_has_six_items_and_10_50_30_10(tmp_path):
    r = _switched(clean_report(), "national-285")
    lines = _docx_lines(r, tmp_path)
    tops = ["一、基本概况", "二、绩效目标及调整", "三、管理措施及组织实施", "四、目标完成情况", "五、未完成目标及原因", "六、改进意见"]
    assert [line for line in lines if line in tops] == tops
    # the problems text of 六 went to 五、未完成目标及原因; the improvements of 七 to 六、改进意见
    assert r.narrative["五"].startswith("（一）预算编制精细化程度不够") and r.narrative["六"] == "加强预算编制管理。"
    names = ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    r.projects[0].indicators = [ScoreNode(id=str(i), level=1, name=n, weight=D(w)) for i, (n, w)
                                in enumerate(zip(names, ["10", "50", "30", "10"]))]
    assert not _rules(r, "SCO-11")
    r.projects[0].indicators[0].weight, r.projects[0].indicators[1].weight = D("20"), D("40")
    (f,) = _rules(r, "SCO-11")
    assert "10/50/30/10" in f.message


def test_anhui_20_80_half_bands_t_over_a_and_carryover_in_the_budget():
    r = _switched(clean_report(), "anhui-tianchang")
    assert r.meta.template == "n285"
    r.income.carryover_prior = D("5.00")
    r.income.budget_total, r.expenditure.total = D("115.00"), D("110.00")
    assert derived.exec_rate(r) == D("110.00") / D("120.00")            # 天长: 预算数 counts 上年结转
    r.meta.rule_profile = "hunan-default"
    assert derived.exec_rate(r) == D("110.00") / D("115.00")
    r.meta.rule_profile = "anhui-tianchang"
    # qualitative 部分达成 is 50–80 % of the weight in 天长 (60–80 % in Hunan)
    node = r.scoring.nodes[7]
    node.tier, node.score_stated = "部分达成", D("11")
    assert not _rules(r, "SCO-05")
    r.meta.rule_profile = "hunan-default"
    assert _rules(r, "SCO-05")
    r.meta.rule_profile = "anhui-tianchang"
    # a ≤ indicator scores w × t ÷ a
    n = ScoreNode(weight=D("10"), rule="ratio_down", direction="≤", target=D("20"), achieved=D("25"))
    assert computed_score(n, profiles.resolve("anhui-tianchang").get("formulas")).score == D("8")
    # 预算执行率 20 + 指标 80
    r.projects[1].indicators = []
    names = ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    r.projects[0].indicators = [ScoreNode(id=str(i), level=1, name=n, weight=D(w)) for i, (n, w)
                                in enumerate(zip(names, ["20", "40", "30", "10"]))]
    assert not _rules(r, "SCO-11")
    r.projects[0].indicators[0].weight = D("10")
    (f,) = _rules(r, "SCO-11")
    assert "通常的 20" in f.message


def test_sichuan_tree_linear_rule_limits_and_required_explanations(tmp_path):
    r = profiles.new_report("sichuan-dept")
    assert [(n.id, n.name, n.weight) for n in r.scoring.nodes][:3] == [
        ("1", "部门决策", D("25")), ("1.1", "目标任务", D("15")), ("1.2", "预算编制", D("10"))]
    assert not [f for f in _rules(r) if f.rule_id in ("SCO-01", "SCO-16")]
    # the ≤ rule is linear here: a = 1.5 t → w × 0.5; the t ÷ a score is flagged by SCO-04
    node = ScoreNode(id="2.1", level=2, name="单位成本", parent_id="2", weight=D("30"), rule="ratio_down",
                     direction="≤", target=D("20"), achieved=D("30"), score_stated=D("20"),
                     deviation_reason="单价上涨。")
    r.scoring.nodes.append(node)
    (f,) = _rules(r, "SCO-04")
    assert "30 × (1 − (30 − 20) ÷ 20) = 15" in f.message
    node.score_stated = D("15")
    assert not _rules(r, "SCO-04")
    # execution rate = 执行数 ÷ (年初 + 调整) even when a different 全年预算 is stated
    r.income.budget_initial, r.income.budget_adjustment, r.income.budget_total = D("100"), D("20"), D("150")
    r.expenditure.total = D("108")
    assert derived.exec_rate(r) == D("0.9")
    # a mid-year adjustment must be explained (an error in this profile), and 存在问题 ≤ 200 字
    (f,) = _rules(r, "TXT-02")
    assert f.severity.value == "error" and "20" in f.message
    r.narrative["四"] = "预" * 201
    r.narrative["二"] = "年中追加预算20万元，用于专项工作。"
    assert not _rules(r, "TXT-02")
    (f,) = _rules(r, "TXT-01")
    assert "201 字" in f.message and "存在问题" in f.message
    r.narrative["四"] = "预" * 200
    assert not _rules(r, "TXT-01")
    r.scoring.nodes[0].achieved_text = "完" * 101
    (f,) = _rules(r, "TXT-01")
    assert f.paths == ("scoring.nodes[0].achieved_text",) and "完成情况" in f.message


def test_strict_and_alternative_grade_bands(tmp_path, monkeypatch):
    folder = tmp_path / "rules"
    shutil.copytree(resource_path("rules"), folder)
    (folder / "strict90.toml").write_text(
        'name = "优须高于90分"\n[[grades]]\ngrade = "优"\nmin = "90"\nstrict = true\n[[grades]]\ngrade = "良"\n'
        'min = "80"\n[[grades]]\ngrade = "中"\nmin = "60"\n[[grades]]\ngrade = "差"\nmin = "0"\n', encoding="utf-8")
    (folder / "band80.toml").write_text(
        'name = "80优70良60中"\n[[grades]]\ngrade = "优"\nmin = "80"\n[[grades]]\ngrade = "良"\nmin = "70"\n'
        '[[grades]]\ngrade = "中"\nmin = "60"\n[[grades]]\ngrade = "差"\nmin = "0"\n', encoding="utf-8")
    monkeypatch.setattr(rule_profile, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    rule_profile.load_profile.cache_clear()
    try:
        r = clean_report()
        r.meta.rule_profile = "strict90"
        assert derived.grade_of(r, D("90")) == "良" and derived.grade_of(r, D("90.01")) == "优"
        r.meta.rule_profile = "band80"
        assert derived.grade_of(r, D("80")) == "优" and derived.grade_of(r, D("79.99")) == "良"
    finally:
        rule_profile.load_profile.cache_clear()


def test_over_achievement_directions_of_tianjin(tmp_path):
    data = dict(profiles.resolve("hunan-default").data, over_achievement={"directions": ["≥", "≤", "="]})
    r = clean_report()
    r.scoring.nodes[3].achieved = D("101")            # 在职人员控制率 ≤ 100
    hunan = [f for f in Checker(r).check_all() if f.rule_id == "SCO-07"]
    tianjin = [f for f in Checker(r, rule_profile.RuleProfile("hunan-default", data)).check_all()
               if f.rule_id == "SCO-07"]
    assert hunan == [] and len(tianjin) == 1 and "“≤”指标" in tianjin[0].message


# ------------------------------------------------------------------ switching
def test_switching_keeps_every_text_and_lists_what_has_no_place():
    r = load_project(sample_path("liuyang-2021.pefx"))
    texts = {k: v for k, v in r.narrative.items() if v}
    plan = profiles.plan_switch(r, "hunan-shifeng")
    apply_changes(r, plan.changes)
    assert r.meta.template == "short5" and r.meta.rule_profile == "hunan-shifeng"
    joined = "\n".join(r.narrative.values())
    assert all(t in joined for t in texts.values())                 # nothing dropped
    assert ("六、存在的主要问题", "四、绩效管理存在的问题及下一步改进措施") in plan.moved
    kept = dict(plan.kept)
    assert "narrative[hunan9:三.一]" in kept and kept["narrative[hunan9:三.一]"] == "三（一）项目组织情况"
    listed = {f.paths[0] for f in _rules(r, "CMP-05")}
    assert "narrative[hunan9:三.一]" in listed
    # back again: the kept parts return to their places
    apply_changes(r, profiles.plan_switch(r, "hunan-default").changes)
    assert r.meta.template == "hunan9"
    assert r.narrative["三.一"] == texts["三.一"] and not _rules(r, "CMP-05")
    assert all(t in "\n".join(r.narrative.values()) for t in texts.values())


def test_switching_to_the_same_outline_changes_only_the_profile():
    r = clean_report()
    plan = profiles.plan_switch(r, "hunan-provincial")
    assert plan.changes[0].path == "meta.rule_profile"
    plan = profiles.plan_switch(r, "hunan-default")
    assert plan.changes == [] or {c.path for c in plan.changes} == {"meta.rule_profile"}


# ------------------------------------------------------------------ broken files
def _broken(tmp_path, text: str) -> str:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        profiles.load_profile_file(path)
    return str(exc.value)


def test_a_broken_profile_file_is_named_with_its_key_and_line(tmp_path):
    msg = _broken(tmp_path, 'name = "我的配置"\n\n[execution]\ndenominator = "budget_only"\n')
    assert "mine.toml" in msg and "第 4 行" in msg and "execution.denominator" in msg and "budget_only" in msg
    text = (resource_path("rules", "hunan-shifeng.toml").read_text(encoding="utf-8")
            .replace('title = "整体支出绩效情况"', 'titel = "整体支出绩效情况"'))
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "titel" in ln)
    msg = _broken(tmp_path, text)
    assert f"第 {line} 行" in msg and "outline.slots[3]" in msg and "titel" in msg
    msg = _broken(tmp_path, 'name = "x"\n[[grades]]\ngrade = "优"\nmin = "九十"\n')
    assert "第 4 行" in msg and "grades[0].min" in msg
    msg = _broken(tmp_path, 'name = "x"\n[thresholds\n')
    assert "第 2 行" in msg


def test_a_user_profile_installed_next_to_the_shipped_ones_is_listed_and_used(tmp_path):
    src = tmp_path / "我的县.toml"
    src.write_text(resource_path("rules", "national-285.toml").read_text(encoding="utf-8")
                   .replace('name = "全国·财预〔2011〕285号六项"', 'name = "我的县（复制自285号）"'), encoding="utf-8")
    installed = profiles.install_profile(src)
    assert installed.name == "我的县" and (profiles.user_dir() / "我的县.toml").is_file()
    assert "我的县" in {i.name for i in profiles.list_profiles()}
    profiles._SESSION.clear()                                 # a later session finds it in the folder
    r = profiles.new_report("我的县")
    assert r.meta.template == "n285" and profiles.profile_label("我的县") == "我的县（复制自285号）"


# ------------------------------------------------------------------ CLI
def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_profiles_lists_shipped_and_local_profiles():
    code, out, _ = _cli("profiles", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert code == 0 and set(SHIPPED) <= set(rows)
    assert rows["anhui-tianchang"]["title"].startswith("安徽") and rows["national-285"]["outline"] == "n285"
    code, out, _ = _cli("profiles")
    assert "湖南·区县五部分简表（石峰）" in out


def test_cli_check_with_profile_name_and_file(tmp_path):
    path = tmp_path / "r.pefx"
    r = clean_report()
    r.income.budget_total = D("115.00")
    save_project(r, path)
    code, out, _ = _cli("check", "--json", str(path))
    assert code == 0 and not [x for x in json.loads(out) if x["rule"] == "TXT-02"]
    code, out, _ = _cli("check", "--json", "--profile", "sichuan-dept", str(path))
    rows = json.loads(out)
    assert code == 1 and any(x["rule"] == "TXT-02" and x["severity"] == "error" for x in rows)
    own = tmp_path / "本县.toml"
    own.write_text('name = "本县"\n[thresholds]\nexec_rate_low = "0.99"\n', encoding="utf-8")
    code, out, _ = _cli("check", "--json", "--profile", str(own), str(path))
    assert any(x["rule"] == "EXP-10" for x in json.loads(out))          # 110 ÷ 115 = 95.65 % < 99 %
    bad = tmp_path / "坏.toml"
    bad.write_text('name = "坏"\n[formulas]\n"≤" = "half"\n', encoding="utf-8")
    code, _, err = _cli("check", "--profile", str(bad), str(path))
    assert code == 2 and "formulas.≤" in err and "第 3 行" in err


def test_numbered_headings_follow_the_outline_numbering():
    t = get_template("hunan9")
    assert numbered_heading(t.slot("二.一.3")) == "3.因公出国（境）费用支出和公务用车（购置）情况"
    assert numbered_heading(t.slot("五.二")) == "（二）单位项目资金绩效分析"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_profile_exports_its_outline_to_word_and_checks_without_internal_errors(name, tmp_path):
    r = _switched(clean_report(), name)
    template = get_template(r.meta.template)
    lines = _docx_lines(r, tmp_path)
    for section in template.sections:          # every section with text is printed under its heading
        if any(k == section.id or k.startswith(section.id + ".") for k, v in r.narrative.items() if v):
            assert numbered_heading(section) in lines or r.headings.get(section.id) in lines, section.id
    assert not [f for f in _rules(r) if "内部错误" in f.message]


def test_mangled_profile_files_are_refused_with_a_message_never_a_crash(tmp_path):
    """Values of every wrong shape in every key of the shipped files (fixed seed): ProfileError or a
    usable profile, nothing else."""
    import random
    rnd = random.Random(20)
    sources = [resource_path("rules", f"{n}.toml").read_text(encoding="utf-8") for n in SHIPPED]
    values = ["1", '"x"', "[]", "{}", "true", "[1, 2]", "[{a = 1}]", '"≤"', "-5", '{id = "一"}', "[[]]", "0"]
    path = tmp_path / "mangled.toml"
    refused = 0
    for _ in range(300):
        lines = rnd.choice(sources).splitlines()
        for _ in range(rnd.randint(1, 3)):
            j = rnd.randrange(len(lines))
            if "=" in lines[j] and not lines[j].lstrip().startswith("#"):
                lines[j] = lines[j].partition("=")[0] + "= " + rnd.choice(values)
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            profiles.load_profile_file(path)
        except ProfileError as exc:
            refused += 1
            assert "mangled.toml" in str(exc)
    profiles._SESSION.clear()
    assert refused > 100
