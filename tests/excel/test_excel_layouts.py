"""External layouts (自评表, 决算总表), units, number forms, formulas, .xls, custom mapping."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from excel_helpers import rewrite_part, set_cached_value, write_rows
from perfeval_gui.core.edits import apply_changes
from perfeval_gui.core.model import Project, Report
from perfeval_gui.io import excel_layouts as L
from perfeval_gui.core.imports import plan_import
from perfeval_gui.io.excel_import import (ExcelImportError, header_fingerprint,
                                          preview_sheets, read_workbook)


def values(result):
    return {v.path: v for v in result.values}


# ------------------------------------------------------------------ 项目支出绩效自评表
SELF_EVAL = [
    ["项目支出绩效自评表"],
    ["（2023年度）"],
    ["项目名称", "乡村振兴培训", None, None, None, None, None, None, None],
    ["主管部门", "某局", None, None, "实施单位", "某中心"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", 100, 120.5, 110.25, 10, 0.915, 9.15],
    [None, "其中：当年财政拨款", 100, 120.5, 110.25, "—", None, "—"],
    ["年度总体目标", "预期目标", None, None, "实际完成情况"],
    [None, "完成培训", None, None, "已完成"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分", "偏差原因分析及改进措施"],
    [None, "产出指标", "数量指标", "培训人次", "≥１，０００人次", "1200人次", 20, 20, None],
    [None, None, None, "培训期数", "≥4期", "3期", 10, 7.5, "疫情影响"],
    [None, None, "质量指标", "合格率", 0.95, 0.97, 20, 20, None],
    [None, "效益指标", "社会效益指标", "群众满意", "显著", "较显著", 30, 27, None],
    ["总分", None, None, None, None, None, 100, 92.65, None],
]


def test_project_self_eval_table_with_merged_headers(tmp_path):
    path = write_rows(tmp_path / "自评表.xlsx", {"Sheet1": SELF_EVAL},
                      merges={"Sheet1": ["A1:I1", "B3:I3", "A5:B5", "A10:A14", "B11:B13", "C11:C12"]},
                      formats={"Sheet1": {"E13": "0%", "F13": "0%"}})
    result = read_workbook(path)
    assert result.layout_name == L.LAYOUT_PROJECT_SELF_EVAL
    (project,) = values(result)["projects"].value
    assert project.name == "乡村振兴培训"
    assert (project.budget_initial, project.budget_final, project.actual) == (D(100), D("120.5"), D("110.25"))
    assert project.self_score == D("92.65")
    leaves = [n for n in project.indicators if n.level == 3]
    assert [n.name for n in leaves] == ["培训人次", "培训期数", "合格率", "群众满意"]
    first = leaves[0]
    assert (first.target, first.achieved, first.direction, first.rule) == (D(1000), D(1200), "≥", "ratio_up")
    assert first.target_text == "≥１，０００人次"
    # merged 一级/二级 labels are carried down
    parents = {n.id: n for n in project.indicators}
    assert parents[leaves[1].parent_id].name == "数量指标"
    assert parents[leaves[2].parent_id].name == "质量指标"
    assert parents[parents[leaves[2].parent_id].parent_id].name == "产出指标"
    assert leaves[1].deviation_reason == "疫情影响"
    assert leaves[2].target == D(95) and leaves[2].unit == "%"
    assert leaves[3].direction == "qual" and leaves[3].target is None
    exec_node = next(n for n in project.indicators if n.rule == "exec_rate")
    assert exec_node.weight == D(10) and exec_node.score_stated == D("9.15")


def test_self_eval_merges_into_same_named_project(tmp_path):
    path = write_rows(tmp_path / "自评表.xlsx", {"Sheet1": SELF_EVAL})
    result = read_workbook(path)
    report = Report(projects=[Project(name="其他项目"), Project(name="乡村振兴培训", fund_source="财政")])
    changes = plan_import(report, result.values, "current")
    assert changes and all(c.path.startswith("projects[1].") for c in changes)
    assert {"projects[1].budget_initial", "projects[1].budget_final", "projects[1].actual"} <= {c.path for c in changes}
    apply_changes(report, changes)
    assert report.projects[1].fund_source == "财政" and report.projects[1].actual == D("110.25")
    assert report.projects[0].name == "其他项目"


# ------------------------------------------------------------------ 收入支出决算总表
FINAL = [
    ["收入支出决算总表"],
    [None, None, None, None, None, "财决01表"],
    ["编制单位：某中心", None, None, None, None, "金额单位：元"],
    ["收入", None, None, "支出"],
    ["项目", "行次", "决算数", "项目", "行次", "决算数"],
    ["栏次", None, 1, "栏次", None, 2],
    ["一、一般公共预算财政拨款收入", 1, 3855000, "一、一般公共服务支出", 32, "1,849,000.00"],
    ["二、其他收入", 2, "12,345.67", "基本支出", 33, "1,849,000.00"],
    ["本年收入合计", 3, 3867345.67, "项目支出", 34, 2006000.5],
    ["年初结转和结余", 4, "—", "本年支出合计", 35, 3855000.5],
    ["总计", 5, 3867345.67, "年末结转和结余", 36, 12345.17],
]


def test_final_accounts_in_yuan_are_converted_exactly(tmp_path):
    path = write_rows(tmp_path / "决算.xlsx", {"财决01表": FINAL},
                      merges={"财决01表": ["A1:F1", "A4:C4", "D4:F4"]})
    result = read_workbook(path)
    assert result.layout_name == L.LAYOUT_FINAL_ACCOUNTS
    got = {p: v.value for p, v in values(result).items()}
    assert got["income.fiscal_funds"] == D("385.5")
    assert str(got["income.other_sources"]) == "1.234567"
    assert got["income.budget_total"] == D("386.734567")
    assert got["expenditure.basic"] == D("184.9")
    assert str(got["expenditure.project_total"]) == "200.60005"
    assert got["expenditure.total"] == D("385.50005")
    assert got["expenditure.carryover_end"] == D("1.234517")
    assert "income.carryover_prior" not in got          # "—" = not stated, never 0
    assert values(result)["income.fiscal_funds"].source == "财决01表!C7"


def test_expenditure_table_with_basic_and_project_columns(tmp_path):
    rows = [["支出决算表"], [None, None, None, "单位：万元"],
            ["科目名称", "合计", "基本支出", "项目支出"],
            ["一般公共服务支出", 385.5, 184.9, 200.6],
            ["合计", 385.5, 184.9, 200.6]]
    result = read_workbook(write_rows(tmp_path / "支出.xlsx", {"支出": rows}))
    got = {p: v.value for p, v in values(result).items()}
    assert got == {"expenditure.total": D("385.5"), "expenditure.basic": D("184.9"),
                   "expenditure.project_total": D("200.6")}


# ------------------------------------------------------------------ number forms in our template
def kv_rows(pairs):
    return [["收入"], ["单位：万元"], ["字段", "数值", "说明", "字段代码"]] + [
        [label, value, None, code] for label, value, code in pairs]


def test_fullwidth_suffixed_separated_and_dash_values(tmp_path):
    rows = kv_rows([("年初预算", "１２３．４５万元", "income.budget_initial"),
                    ("调整追加", "(1,234.50)", "income.budget_adjustment"),
                    ("全年预算数", "  1，000.5  ", "income.budget_total"),
                    ("其他资金来源", "—", "income.other_sources"),
                    ("上年结转", "12300元", "income.carryover_prior"),
                    ("其中：财政资金", "abc", "income.fiscal_funds")])
    result = read_workbook(write_rows(tmp_path / "t.xlsx", {"收入": rows}))
    got = {p: v.value for p, v in values(result).items()}
    assert got == {"income.budget_initial": D("123.45"), "income.budget_adjustment": D("-1234.50"),
                   "income.budget_total": D("1000.5"), "income.carryover_prior": D("1.23")}
    (warning,) = result.warnings
    assert "收入" in warning and "B9" in warning and "abc" in warning


def test_sheet_in_yuan_is_converted(tmp_path):
    rows = kv_rows([("年初预算", 1156200, "income.budget_initial"), ("调整追加", 0.5, "income.budget_adjustment")])
    rows[1] = ["金额单位：元"]
    got = {v.path: v.value for v in read_workbook(write_rows(tmp_path / "t.xlsx", {"收入": rows})).values}
    assert got == {"income.budget_initial": D("115.62"), "income.budget_adjustment": D("0.00005")}


def test_label_without_code_column_is_matched_by_text(tmp_path):
    rows = kv_rows([("年初预算", 1, None), ("全年 预算数", 2.5, None)])
    got = {v.path: v.value for v in read_workbook(write_rows(tmp_path / "t.xlsx", {"收入": rows})).values}
    assert got == {"income.budget_initial": D(1), "income.budget_total": D("2.5")}


# ------------------------------------------------------------------ formulas
def test_formula_without_cached_value_is_a_warning_naming_the_cell(tmp_path):
    rows = kv_rows([("年初预算", "=1+2", "income.budget_initial"), ("全年预算数", 5, "income.budget_total")])
    result = read_workbook(write_rows(tmp_path / "f.xlsx", {"收入": rows}))
    got = {v.path: v.value for v in result.values}
    assert got == {"income.budget_total": D(5)}          # never silently 0
    assert any("B4" in w and "公式" in w and "收入" in w for w in result.warnings)


def test_formula_with_cached_value_is_read(tmp_path):
    path = write_rows(tmp_path / "f.xlsx", {"收入": kv_rows([("年初预算", "=1+2", "income.budget_initial")])})
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda d: set_cached_value(d, "1+2", "3.25"))
    result = read_workbook(path)
    assert {v.path: v.value for v in result.values} == {"income.budget_initial": D("3.25")}
    assert result.warnings == []


# ------------------------------------------------------------------ hidden sheets, .xls, custom mapping
def test_hidden_final_accounts_sheet_is_skipped_with_warning(tmp_path):
    path = write_rows(tmp_path / "h.xlsx", {"可见": FINAL, "隐藏": FINAL}, hidden=("隐藏",))
    result = read_workbook(path)
    assert any("隐藏" in w for w in result.warnings)
    assert all(v.source.startswith("可见!") for v in result.values)


def write_xls(path, rows, sheet="Sheet1"):
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    two = xlwt.easyxf(num_format_str="0.00")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, float):
                ws.write(r, c, value, two)
            else:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def test_legacy_xls_final_accounts(tmp_path):
    rows = [["收入支出决算总表"], [None, None, "金额单位：元"], ["项目", "行次", "决算数"],
            ["一般公共预算财政拨款收入", 1, 3855000.0], ["本年支出合计", 2, 3855000.0],
            ["年末结转和结余", 3, "0"]]
    result = read_workbook(write_xls(tmp_path / "决算.xls", rows))
    got = {v.path: v.value for v in result.values}
    assert got["income.fiscal_funds"] == D("385.5") and got["expenditure.total"] == D("385.5")
    assert got["expenditure.carryover_end"] == D(0)


def test_real_xls_renamed_xlsx_is_read_with_xlrd(tmp_path):
    src = write_xls(tmp_path / "a.xls", [["收入支出决算总表"], ["项目", "决算数"], ["本年支出合计", 10000.0],
                                          ["年末结转和结余", 0.0], ["金额单位：元"]])
    renamed = tmp_path / "a.xlsx"
    src.rename(renamed)
    got = {v.path: v.value for v in read_workbook(renamed).values}
    assert got["expenditure.total"] == D("1.0000")


def test_unrecognised_layout_then_custom_mapping(tmp_path):
    rows = [["某某表"], ["金额单位：元"], ["名称", "数"], ["甲", 1234500], ["乙", "55.5万元"]]
    path = write_rows(tmp_path / "x.xlsx", {"数据": rows})
    with pytest.raises(ExcelImportError) as err:
        read_workbook(path)
    assert err.value.unrecognised and "无法识别" in str(err.value) and "对应关系" in str(err.value)
    mapping = {"sheet": "数据", "cells": {"income.budget_initial": "B4", "income.budget_total": "B5",
                                          "income.other_sources": "C9"}}
    result = read_workbook(path, mapping=mapping)
    assert result.layout_name == "自定义映射"
    got = {v.path: (v.value, v.source) for v in result.values}
    assert got == {"income.budget_initial": (D("123.45"), "数据!B4"), "income.budget_total": (D("55.5"), "数据!B5")}
    assert any("C9" in w for w in result.warnings)
    previews = preview_sheets(path)
    assert previews[0].name == "数据" and previews[0].rows[3] == ["甲", "1234500"]
    fp = header_fingerprint(previews[0])
    assert fp == header_fingerprint(preview_sheets(write_rows(tmp_path / "y.xlsx", {"数据": rows[:3]}))[0])


def test_mapping_store_round_trip(tmp_path):
    from perfeval_gui.io.excel_mapping import load_mapping, save_mapping
    save_mapping(tmp_path, "abc", {"sheet": "S", "cells": {"income.budget_initial": "B4"}})
    assert load_mapping(tmp_path, "abc") == {"sheet": "S", "cells": {"income.budget_initial": "B4"}}
    assert load_mapping(tmp_path, "other") is None
    (tmp_path / "excel_mappings.json").write_text("{broken", encoding="utf-8")
    assert load_mapping(tmp_path, "abc") is None
