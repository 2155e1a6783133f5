"""The built-in samples are faithful transcriptions of the two seed reports.

Seeds: tests/samples/seeds/*.txt (copies of /work/shared/examples/000_… and 004_…).
Every non-empty line of a seed must be recoverable from its sample: a narrative paragraph, a
heading, the header line, a duty / org-unit line (numbering aside) or a sentence the short5
layout generates from the model (regenerated here from the wording in docs/architecture.md).
"""
from __future__ import annotations

import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest

from perfeval_gui.core import derived
from perfeval_gui.core.model import Report
from perfeval_gui.core.money import fmt_plain
from perfeval_gui.io.project_file import load_project, save_project

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SEEDS = HERE / "seeds"
SAMPLES = ROOT / "resources" / "samples"
CASES = {"liuyang-2021": "hunan9", "shifeng-2023": "short5"}

ARTEFACT = "[bookmark: _GoBack]"
NUMBERING = re.compile(r"^(\d+\s*[.．、]|（[一二三四五六七八九十]+）)\s*")


def _make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "tools" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _seed_lines(name: str) -> list[str]:
    text = (SEEDS / f"{name}.txt").read_text(encoding="utf-8")
    lines = (line.replace(ARTEFACT, "").strip() for line in text.splitlines())
    return [line for line in lines if line]


def _nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _unnumbered(text: str) -> str:
    return NUMBERING.sub("", text, count=1)


def _paragraphs(report: Report) -> list[str]:
    out = [p for text in report.narrative.values() for p in text.split("\n")]
    out += [p.purpose for p in report.projects if p.purpose]
    return out


def _short5_generated(report: Report) -> list[str]:
    """short5 sentences generated from the model (docs/architecture.md, DOMAIN §2.2)."""
    v = fmt_plain
    prof, inc, exp = report.profile, report.income, report.expenditure
    year = report.meta.fiscal_year
    out = [
        f"本部门共有编制人数{prof.staff_authorized}人，实有人数{prof.staff_actual}人。"
        f"内设科室{prof.declared_org_unit_count}个，分别为：{'、'.join(u.name for u in prof.org_units)}。",
        f"{year}年预算收入{v(inc.budget_total)}万元，其中年初预算{v(inc.budget_initial)}万元，"
        f"调整追加{v(inc.budget_adjustment)}万元。其他资金来源{v(inc.other_sources)}万元。",
        f"{year}年支出{v(exp.total)}万元，其中基本支出{v(exp.basic)}万元，"
        f"项目支出{v(exp.project_total)}万元，结余结转{v(exp.carryover_end)}万元。",
    ]
    # project lists: "1．年初预算项目{name}{budget}万元，…" ; the 年中追加 list as the seed words it
    # ("{name}金额{budget}万元"), several projects joined with "；"
    groups = [("1．年初预算项目", "initial", ""), ("2．年中追加项目", "added", "金额")]
    for lead, kind, amount_word in groups:
        items = [p for p in report.projects if p.kind == kind]
        if items:
            out.append(lead + "；".join(
                f"{p.name}{amount_word}{v(p.budget_final)}万元，实际支出{v(p.actual)}万元，"
                f"结余结转{v(p.carryover)}万元" for p in items) + "。项目实施及绩效情况如下：")
    return out


def _unrecovered(report: Report, lines: list[str]) -> list[str]:
    exact = set(_paragraphs(report)) | set(report.headings.values())
    exact.add(f"单位名称（盖章）：{report.meta.unit_name}")
    # a heading run into its text in one seed paragraph ("（一）项目组织情况。2021年项目支出…")
    for slot_id, heading in report.headings.items():
        first = report.narrative.get(slot_id, "").split("\n")[0]
        if first:
            exact.add(heading + first)
    listed = set(report.profile.duties)
    listed |= {f"{u.name}：{u.duties}" for u in report.profile.org_units}
    generated = set()
    if report.meta.template == "short5":
        generated = {_nospace(s) for s in _short5_generated(report)}
    missing = []
    for line in lines:
        if line in exact or _unnumbered(line) in listed or _nospace(line) in generated:
            continue
        missing.append(line)
    return missing


@pytest.fixture(scope="module")
def built():
    module = _make_samples()
    return {"liuyang-2021": module.build_liuyang(), "shifeng-2023": module.build_shifeng()}


@pytest.fixture(scope="module")
def loaded():
    return {name: load_project(SAMPLES / f"{name}.pefx") for name in CASES}


# ------------------------------------------------------------------ files and round trip

@pytest.mark.parametrize("name", CASES)
def test_sample_loads_and_matches_generator(name, loaded, built):
    report = loaded[name]
    assert report.meta.template == CASES[name]
    assert report == built[name], "resources/samples is stale: run tools/make_samples.py"


@pytest.mark.parametrize("name", CASES)
def test_save_load_round_trip(name, loaded, tmp_path):
    path = tmp_path / f"{name}.pefx"
    save_project(loaded[name], path, keep_backup=False)
    again = load_project(path)
    assert again == loaded[name]
    # Decimal equality ignores the exponent: check the typed decimals survive too
    from perfeval_gui.core.model import iter_money_paths
    before = {p: str(v) for p, v in iter_money_paths(loaded[name])}
    after = {p: str(v) for p, v in iter_money_paths(again)}
    assert before == after and before


# ------------------------------------------------------------------ text fidelity

@pytest.mark.parametrize("name", CASES)
def test_every_seed_line_is_recoverable(name, loaded):
    lines = _seed_lines(name)
    assert len(lines) > 20
    assert _unrecovered(loaded[name], lines) == []


@pytest.mark.parametrize("name", CASES)
def test_no_invented_text(name, loaded):
    """Every stored paragraph / heading is a seed line (nothing made up, nothing reworded)."""
    lines = set(_seed_lines(name))
    report = loaded[name]
    headings = set(report.headings.values())
    for text in _paragraphs(report):
        assert text in lines or any(
            line.endswith(text) and line[:-len(text)] in headings for line in lines), text
    for slot_id, heading in report.headings.items():
        run_in = heading + report.narrative.get(slot_id, "").split("\n")[0]
        assert heading in lines or run_in in lines, heading
    for duty in report.profile.duties:
        assert any(_unnumbered(line) == duty for line in lines), duty


def test_fidelity_check_detects_a_changed_character(loaded):
    report = loaded["liuyang-2021"].clone()
    report.narrative["九"] = report.narrative["九"].replace("99", "98")
    assert _unrecovered(report, _seed_lines("liuyang-2021")) == ["2021年部门整体支出绩效自评得分99分，等级为“优”。"]
    short = loaded["shifeng-2023"].clone()
    short.projects[0].carryover = Decimal("0")          # "fixing" the seed error breaks fidelity
    missing = _unrecovered(short, _seed_lines("shifeng-2023"))
    assert len(missing) == 1 and missing[0].startswith("1．年初预算项目业务性专项")


def test_artefacts_and_padding_dropped(loaded):
    for report in loaded.values():
        for text in _paragraphs(report) + list(report.headings.values()):
            assert "bookmark" not in text
            for paragraph in text.split("\n"):
                assert paragraph == paragraph.strip()


# ------------------------------------------------------------------ key figures

def _typed(value) -> str:
    assert isinstance(value, Decimal), value
    return str(value)


def test_liuyang_figures(loaded):
    r = loaded["liuyang-2021"]
    assert (r.meta.fiscal_year, r.meta.amount_decimals, r.meta.unit_type, r.meta.rank, r.meta.supervisor) == (
        2021, 1, "公益一类事业单位", "正科级", "市发展和改革局")
    exp = r.expenditure
    assert [_typed(x) for x in (exp.total, exp.basic, exp.personnel, exp.public_ops, exp.project_total)] == [
        "385.5", "184.9", "173.9", "11", "200.6"]
    assert _typed(r.income.fiscal_funds) == "385.5"
    assert r.income.budget_initial is None and r.income.budget_total is None
    assert [(p.name, _typed(p.budget_final), _typed(p.actual), p.kind) for p in r.projects] == [
        ("营商环境指标评价", "73.3", "73.3", "initial"), ("全市营商环境氛围浓厚", "112.3", "112.3", "initial"),
        ("投诉处理", "5", "5", "initial"), ("营商环境监测点", "5", "5", "initial"),
        ("政策落地", "5", "5", "initial")]
    econ = exp.by_econ
    assert len(econ) == 12 and {e.scope for e in econ} == {"project"}
    assert [(e.code, e.name) for e in econ][9] == ("30239", "其他交通费")
    assert sum(e.amount for e in econ) == Decimal("200.6")
    assert r.profile.staff_actual is None and derived.staff_actual(r) == 11
    assert r.profile.staff_authorized == 12 and r.profile.staff_kind == "全额拨款事业编制"
    assert [u.name for u in r.profile.org_units] == ["办公室", "营商环境评价部", "投诉和宣传培训部"]
    assert r.profile.org_units[0].duties.startswith("主要负责中心内部")
    assert len(r.profile.duties) == 6 and not r.profile.duties[0].startswith("1")
    tp = r.three_public
    assert (_typed(tp.reception.actual), _typed(tp.abroad.actual), _typed(tp.vehicle_purchase.actual),
            tp.vehicle_operation.actual, _typed(tp.total_stated)) == ("0.5", "0", "0", None, "0.5")
    assert (_typed(r.self_eval.score_stated), r.self_eval.grade_stated) == ("99", "优")
    assert r.scoring.nodes == [] and r.assets.rooms == 5
    assert r.headings["三"] == "3、 部门项目组织实施情况" and r.headings["五"] == "5、 部门整体支出绩效情况"
    assert r.narrative["九"] == "2021年部门整体支出绩效自评得分99分，等级为“优”。"
    assert len(r.narrative["五.一"].split("\n")) == 7


def test_shifeng_figures(loaded):
    r = loaded["shifeng-2023"]
    assert (r.meta.fiscal_year, r.meta.amount_decimals) == (2023, 2)
    inc, exp = r.income, r.expenditure
    assert [_typed(x) for x in (inc.budget_total, inc.budget_initial, inc.budget_adjustment, inc.other_sources)] == [
        "133.85", "115.62", "18.23", "0"]
    assert [_typed(x) for x in (exp.total, exp.basic, exp.project_total, exp.carryover_end)] == [
        "133.85", "121.47", "12.38", "0"]
    rows = [(p.name, p.kind, p.budget_initial, p.budget_adjustment, p.budget_final, p.actual, p.carryover)
            for p in r.projects]
    typed = [tuple(x if not isinstance(x, Decimal) else str(x) for x in row) for row in rows]
    assert typed == [
        ("业务性专项", "initial", "4", None, "4", "4", "4"),          # the seed's carry-over error, kept
        ("营商环境工作经费", "added", None, "6.88", "6.88", "6.88", "0"),
        ("中小企业平台运行专项", "added", None, "1.5", "1.5", "1.5", "0"),
    ]
    prof = r.profile
    assert (prof.staff_authorized, prof.staff_actual, prof.declared_org_unit_count) == (7, 7, 3)
    assert [(u.name, u.duties) for u in prof.org_units] == [("综合办公室", ""), ("企业服务室", ""), ("投诉协调室", "")]
    assert len(prof.duties) == 5 and not prof.duties[0].startswith("（")
    assert "二" not in r.narrative
    assert r.headings["三.二"] == "二）项目支出绩效情况" and r.headings["五"] == "5、 其他需要说明的情况"
    assert r.projects[0].purpose.startswith("项目支出4万元，主要用于")
