"""import-docx reads what a careful person would (issue 19) and honours edits made in Word (issue 14 item 9).

The 浏阳 2021 seed (tests/samples/seeds/liuyang-2021.txt) written as a plain .docx with python-docx,
headings as typed, and a variant where the project and economic-class figures stand in Word tables.
The expected figures are those of the built-in sample, transcribed by hand from the same report.
"""
from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import docx
import pytest

from perfeval_gui.cli import main
from perfeval_gui.io.docx_export import export_docx
from perfeval_gui.io.docx_import import read_docx
from perfeval_gui.io.project_file import load_project
from perfeval_gui.resources import sample_path

SEED = Path(__file__).resolve().parents[1] / "samples" / "seeds" / "liuyang-2021.txt"
ECON_SENTENCE = "2021年我中心项目支出实际支出200.6万元，分别为："
PROJECT_SENTENCE = "2021年我中心项目支出总投入为200.6万元，其中："


def seed_lines() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 50
    return lines


def write_docx(path: Path, blocks) -> Path:
    d = docx.Document()
    for block in blocks:
        if isinstance(block, list):
            table = d.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        else:
            d.add_paragraph(block)
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def truth():
    return load_project(sample_path("liuyang-2021.pefx"))


@pytest.fixture
def plain(tmp_path):
    return read_docx(write_docx(tmp_path / "手写.docx", seed_lines()))


def _item(result, path):
    found = [i for i in result.items if i.path == path]
    assert found, f"{path} not read"
    return found[0]


def test_projects_from_the_sentences(plain, truth):
    r = plain.report
    assert [p.name for p in r.projects] == [p.name for p in truth.projects] == \
        ["营商环境指标评价", "全市营商环境氛围浓厚", "投诉处理", "营商环境监测点", "政策落地"]
    assert [(p.budget_final, p.actual) for p in r.projects] == [(p.budget_final, p.actual) for p in truth.projects]
    # the second project's spending is written in its own sentence; the others follow from
    # 项目支出 200.6 = Σ budgets, and the preview says so
    assert "已支出112.3万元" in _item(plain, "projects[1].actual").sentence
    assert "各项目预算之和" in _item(plain, "projects[0].actual").sentence
    assert "其中：营商环境指标评价73.3万元" in _item(plain, "projects[0].budget_final").sentence


def test_economic_classes_from_the_list(plain, truth):
    lines = plain.report.expenditure.by_econ
    assert [(e.name, e.amount, e.scope) for e in lines] == [(e.name, e.amount, e.scope) for e in truth.expenditure.by_econ]
    assert len(lines) == 12 and lines[-1].name == "资本性支出"
    assert _item(plain, "expenditure.by_econ[0].amount").sentence.startswith(ECON_SENTENCE)


def test_funds_totals_staffing_and_three_public(plain, truth):
    r = plain.report
    assert r.income.fiscal_funds == truth.income.fiscal_funds == D("385.5")
    assert "其中财政资金385.5万元" in _item(plain, "income.fiscal_funds").sentence
    assert r.expenditure.project_budget_total == truth.expenditure.project_budget_total == D("200.6")
    assert (r.expenditure.total, r.expenditure.basic, r.expenditure.project_total) == \
        (D("385.5"), D("184.9"), D("200.6"))
    p, t = r.profile, truth.profile
    assert (p.staff_authorized, p.staff_kind) == (t.staff_authorized, t.staff_kind) == (12, "全额拨款事业编制")
    assert [(x.title, x.quota) for x in p.leader_posts] == [(x.title, x.quota) for x in t.leader_posts]
    assert [(x.role, x.count) for x in p.staff_by_role] == [(x.role, x.count) for x in t.staff_by_role]
    tp = r.three_public
    assert (tp.abroad.actual, tp.vehicle_purchase.actual) == (D("0"), D("0"))
    assert tp.vehicle_operation.actual is None           # not stated: not a zero
    assert "无因公出国" in _item(plain, "three_public.abroad.actual").sentence
    assert (tp.reception.actual, tp.total_stated) == (D("0.5"), D("0.5"))


def test_amounts_at_the_precision_written(plain):
    r = plain.report
    assert r.meta.amount_decimals == 1
    assert str(r.projects[0].budget_final) == "73.3" and str(r.expenditure.public_ops) == "11"
    assert str(r.expenditure.by_econ[3].amount) == "7"


def test_narrative_score_and_headings_still_read(plain):
    r = plain.report
    assert len([k for k, v in r.narrative.items() if v.strip()]) == 21
    assert (r.self_eval.score_stated, r.self_eval.grade_stated) == (D("99"), "优")
    assert r.narrative["二.二.2"].startswith(ECON_SENTENCE)      # the text stays as written


def test_other_wording_of_the_unit_total(tmp_path):
    lines = [ln.replace("浏阳市优化营商环境中心工作纳入财政绩效自评的资金385.5万元",
                        "本单位2021年度整体支出资金总额385.5万元") for ln in seed_lines()]
    result = read_docx(write_docx(tmp_path / "其他措辞.docx", lines))
    assert result.report.expenditure.total == D("385.5")
    assert "资金总额385.5万元" in _item(result, "expenditure.total").sentence


def test_word_tables_variant(tmp_path, truth):
    blocks: list = []
    for line in seed_lines():
        if line.startswith(PROJECT_SENTENCE):
            blocks.append("2021年我中心项目支出总投入为200.6万元，各项目如下表：")
            blocks.append([["项目名称", "预算数（万元）", "实际支出（万元）", "结余结转（万元）"]]
                          + [[p.name, str(p.budget_final), str(p.actual), "0"] for p in truth.projects]
                          + [["合计", "200.6", "200.6", "0"]])
        elif line.startswith(ECON_SENTENCE):
            blocks.append("2021年我中心项目支出实际支出200.6万元，按经济分类如下表：")
            blocks.append([["经济分类科目", "金额（万元）"]]
                          + [[f"{e.code} {e.name}", str(e.amount)] for e in truth.expenditure.by_econ]
                          + [["合计", "200.6"]])
        else:
            blocks.append(line)
    result = read_docx(write_docx(tmp_path / "表格.docx", blocks))
    r = result.report
    assert [(p.name, p.budget_final, p.actual, p.carryover) for p in r.projects] == \
        [(p.name, p.budget_final, p.actual, D("0")) for p in truth.projects]
    assert _item(result, "projects[4].actual").sentence == "表格：政策落地 | 5 | 5 | 0"
    assert [(e.code, e.name, e.amount, e.scope) for e in r.expenditure.by_econ] == \
        [(e.code, e.name, e.amount, e.scope) for e in truth.expenditure.by_econ]
    assert r.expenditure.project_budget_total == D("200.6") and r.income.fiscal_funds == D("385.5")
    assert r.profile.staff_authorized == 12 and r.three_public.abroad.actual == D("0")
    assert "如下表" in r.narrative["二.二.1"] and not any("营商环境监测点 |" in v for v in r.narrative.values())


def test_cli_lists_every_value_with_its_sentence(tmp_path, capsys):
    src = write_docx(tmp_path / "手写.docx", seed_lines())
    out = tmp_path / "out.pefx"
    assert main(["import-docx", str(src), "-o", str(out), "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["embedded"] is False
    by_path = {i["path"]: i for i in listing["items"]}
    assert by_path["income.fiscal_funds"]["value"] == "385.5"
    assert by_path["profile.staff_authorized"]["value"] == 12
    assert "编制 12 名" in by_path["profile.staff_authorized"]["sentence"]
    assert "资本性支出" in by_path["expenditure.by_econ[11].amount"]["label"]
    assert load_project(out).expenditure.project_budget_total == D("200.6")
    assert main(["import-docx", str(src), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "原文：2021年度无因公出国（境）费支出和公务用车（购置）支出。" in text


# ---------------------------------------------------------------- exported, then edited in Word
def _edit_in_word(path: Path, old_text: str, new_text: str, bookmark: str, cell_text: str) -> None:
    d = docx.Document(str(path))
    done = 0
    for p in d.paragraphs:
        if p.text == old_text:
            for run in p.runs[1:]:
                run.text = ""
            p.runs[0].text = new_text
            done += 1
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    names = [el.get(docx.oxml.ns.qn("w:name")) for el in p._p.iter(docx.oxml.ns.qn("w:bookmarkStart"))]
                    if bookmark in names:
                        for run in p.runs[1:]:
                            run.text = ""
                        p.runs[0].text = cell_text
                        done += 1
    assert done >= 2
    d.save(str(path))


def test_exported_file_unchanged_reads_back_without_differences(tmp_path):
    for name in ("liuyang-2021.pefx", "shifeng-2023.pefx"):
        out = tmp_path / f"{name}.docx"
        export_docx(load_project(sample_path(name)), out)
        result = read_docx(out)
        assert result.embedded and result.differences == []


def test_edits_made_in_word_win_and_are_listed(tmp_path, capsys):
    report = load_project(sample_path("liuyang-2021.pefx"))
    out = tmp_path / "导出.docx"
    export_docx(report, out)
    old = report.narrative["八"]
    new = "为加强单位项目管理，2021年修订了财务管理制度。"
    _edit_in_word(out, old, new, "pe_expenditure_basic", "190.0")
    result = read_docx(out)
    assert sorted(d.path for d in result.differences) == ["expenditure.basic", "narrative[八]"]
    diff = {d.path: d for d in result.differences}
    assert diff["expenditure.basic"].embedded == D("184.9") and diff["expenditure.basic"].body == D("190.0")
    assert diff["narrative[八]"].body == new
    merged = result.report
    assert merged.narrative["八"] == new and merged.expenditure.basic == D("190.0")
    # what the body does not show comes from the embedded model
    assert merged.profile.staff_by_role == report.profile.staff_by_role
    assert merged.narrative["五.一"] == report.narrative["五.一"]
    assert main(["import-docx", str(out), "-o", str(tmp_path / "back.pefx")]) == 0
    text = capsys.readouterr().out
    assert "2 处以正文为准" in text and "184.9 → 190.0" in text


@pytest.mark.parametrize("sentence, zeros", [
    ("2021年度因公出国（境）费和公务用车购置费均为零。", {"abroad", "vehicle_purchase"}),
    ("2021年度没有公务用车运行维护费支出，严格执行公务接待制度，无超标准接待现象。", {"vehicle_operation"}),
    ("2021年度严格执行公务接待制度，无超标准接待现象。", set()),
])
def test_three_public_zero_statements_in_other_words(tmp_path, sentence, zeros):
    lines = [sentence if ln == "2021年度无因公出国（境）费支出和公务用车（购置）支出。" else ln for ln in seed_lines()]
    assert sentence in lines
    tp = read_docx(write_docx(tmp_path / "三公.docx", lines)).report.three_public
    got = {k for k in ("abroad", "vehicle_purchase", "vehicle_operation") if getattr(tp, k).actual == D(0)}
    assert got == zeros
    assert tp.reception.actual == D("0.5")          # stated with its amount elsewhere: not a zero
