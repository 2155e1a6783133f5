"""Our data template: structure, example rows, export → import round trip (exact Decimals)."""
from __future__ import annotations

from decimal import Decimal as D

import openpyxl
import pytest

from perfeval_gui.core.edits import apply_changes, revert_changes
from perfeval_gui.core.model import EconLine, FunctionLine, Project, Report, ScoreNode
from perfeval_gui.core.serialize import report_to_data
from perfeval_gui.core.imports import plan_import
from perfeval_gui.io.excel_import import read_workbook
from perfeval_gui.io.excel_layouts import LAYOUT_TEMPLATE, TEMPLATE_SHEET_ORDER
from perfeval_gui.io.excel_template import export_excel, write_template


def sample_report() -> Report:
    r = Report()
    r.meta.unit_name = "浏阳市优化营商环境协调事务中心"
    r.meta.fiscal_year = 2021
    r.meta.report_date = "2022-03-05"
    r.profile.staff_authorized = 12
    r.profile.staff_actual = 11
    r.income.budget_initial = D("115.62")
    r.income.budget_adjustment = D("-3.20")
    r.income.budget_total = D("112.42")
    r.income.fiscal_funds = D("385.5")
    r.expenditure.total = D("385.5")
    r.expenditure.basic = D("184.9")
    r.expenditure.personnel = D("173.9")
    r.expenditure.public_ops = D("11")
    r.expenditure.project_total = D("200.6")
    r.expenditure.carryover_end = D("4.00")
    r.three_public.reception.actual = D("0.5")
    r.three_public.abroad.actual = D("0")
    r.three_public.total_stated = D("0.50")
    r.assets.fixed_end = D("12.345678")
    r.assets.vehicles = 2
    r.self_eval.score_stated = D("99")
    r.self_eval.grade_stated = "优"
    r.projects = [
        Project(name="营商环境指标评价", kind="initial", budget_initial=D("73.3"), actual=D("73.30"),
                carryover=D("0.00"), fund_source="财政拨款", self_score=D("95.5"),
                indicators=[ScoreNode(id="1", level=3, name="评价报告数", weight=D("20"), rule="ratio_up",
                                      target=D("1"), achieved=D("1"), unit="份", score_stated=D("20"))]),
        Project(name="投诉处理", kind="added", budget_adjustment=D("5"), actual=D("5")),
    ]
    r.expenditure.by_function = [FunctionLine("2013850", "事业运行", D("184.90")),
                                 FunctionLine("2013899", "其他市场监督管理事务", D("200.6"))]
    r.expenditure.by_econ = [EconLine("project", "30201", "办公费", D("3.9")),
                             EconLine("basic", "30101", "基本工资", D("100.25")),
                             EconLine("total", "", "合计", D("104.15"))]
    r.scoring.nodes = [ScoreNode(id="1", level=1, name="投入", weight=D("20")),
                       ScoreNode(id="1.1", level=2, name="目标设定", parent_id="1", weight=D("10"),
                                 score_stated=D("9.5"), target_text="≥95%", direction="≥")]
    return r


def test_template_has_sheets_headers_unit_and_examples(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(TEMPLATE_SHEET_ORDER)
    for ws in wb.worksheets:
        assert "单位：万元" in str(ws["A2"].value)
    assert [c.value for c in wb["收入"][3]] == ["字段", "数值", "说明", "字段代码"]
    assert wb["项目"]["A3"].value == "项目名称"
    assert str(wb["项目"]["A4"].value).startswith("（示例）")
    # the blank template imports as "our template" with nothing filled (examples skipped)
    result = read_workbook(path)
    assert result.layout_name == LAYOUT_TEMPLATE
    assert result.values == []


def test_round_trip_as_current_gives_exactly_the_same_figures(tmp_path):
    report = sample_report()
    path = tmp_path / "导出.xlsx"
    export_excel(report, path)
    result = read_workbook(path)
    assert result.layout_name == LAYOUT_TEMPLATE
    assert result.warnings == []
    fresh = Report()
    apply_changes(fresh, plan_import(fresh, result.values, "current"))
    assert report_to_data(fresh) == report_to_data(report)
    # typed decimals survive (Decimal equality alone would accept 4 == 4.00)
    assert str(fresh.expenditure.carryover_end) == "4.00"
    assert str(fresh.income.fiscal_funds) == "385.5"
    assert str(fresh.expenditure.public_ops) == "11"
    assert str(fresh.projects[0].actual) == "73.30"
    assert [(f.code, str(f.amount)) for f in fresh.expenditure.by_function] == [("2013850", "184.90"),
                                                                               ("2013899", "200.6")]
    assert str(fresh.assets.fixed_end) == "12.345678"
    assert str(fresh.income.budget_adjustment) == "-3.20"
    assert fresh.profile.staff_actual == 11 and isinstance(fresh.profile.staff_actual, int)


def test_sources_and_labels_are_given(tmp_path):
    path = tmp_path / "导出.xlsx"
    export_excel(sample_report(), path)
    by_path = {v.path: v for v in read_workbook(path).values}
    v = by_path["income.budget_initial"]
    assert v.source == "收入!B4" and v.label == "年初预算" and v.value == D("115.62")
    assert by_path["projects"].source.startswith("项目!A4:")


def test_as_prior_keys_scalars_by_current_path_and_reverts(tmp_path):
    path = tmp_path / "导出.xlsx"
    export_excel(sample_report(), path)
    result = read_workbook(path)
    report = Report()
    report.prior_year["income.budget_initial"] = D("1")
    changes = plan_import(report, result.values, "prior")
    paths = {c.path for c in changes}
    assert "prior_year[income.budget_initial]" in paths
    assert "prior_year[profile.staff_actual]" in paths
    assert not any(c.path.startswith(("projects", "prior_year[meta.")) for c in changes)
    apply_changes(report, changes)
    assert report.prior_year["income.budget_initial"] == D("115.62")
    assert report.prior_year["profile.staff_actual"] == D(11)
    assert report.income.budget_initial is None
    revert_changes(report, changes)
    assert report.prior_year == {"income.budget_initial": D("1")}


def test_selected_limits_the_plan(tmp_path):
    path = tmp_path / "导出.xlsx"
    export_excel(sample_report(), path)
    result = read_workbook(path)
    changes = plan_import(Report(), result.values, "current", selected={"income.budget_initial", "projects"})
    assert [c.path for c in changes] == ["income.budget_initial", "projects[0]", "projects[1]"]


def test_imported_rows_are_merged_never_dropping_a_row_and_revert_restores(tmp_path):
    path = tmp_path / "导出.xlsx"
    export_excel(sample_report(), path)
    result = read_workbook(path)
    report = Report()
    report.projects = [Project(name="旧项目", actual=D("1")), Project(name="投诉处理", fund_source="财政拨款")]
    before = report_to_data(report)
    changes = plan_import(report, result.values, "current", selected={"projects"})
    inserts = apply_changes(report, changes)
    # the project the file does not list stays; the matched one is updated and keeps its fund source
    assert [p.name for p in report.projects] == ["旧项目", "投诉处理", "营商环境指标评价"]
    assert report.projects[1].fund_source == "财政拨款" and report.projects[1].actual is not None
    assert report.projects[2].indicators[0].target == D("1")
    revert_changes(report, changes, inserts)
    assert report_to_data(report) == before


def test_export_is_atomic_and_reports_write_errors(tmp_path):
    from perfeval_gui.io.atomic import WriteError
    with pytest.raises(WriteError) as err:
        export_excel(sample_report(), tmp_path / "没有此文件夹" / "x.xlsx")
    assert "无法写入" in str(err.value)
    assert list(tmp_path.iterdir()) == []
