"""The field registry (issue 12): one label per field, read by the window, the Excel template and undo texts."""
from __future__ import annotations

import openpyxl
import pytest

from perfeval_gui.core import fields
from perfeval_gui.core.model import (EconLine, FunctionLine, LeaderPost, OrgUnit, Project, Report, RoleCount,
                                     ScoreNode, get_value)
from perfeval_gui.io import excel_layouts as L


def _report_with_rows() -> Report:
    r = Report(projects=[Project(name="党建经费", indicators=[ScoreNode(name="培训人次")])])
    r.expenditure.by_econ = [EconLine(scope="basic", code="30201", name="办公费")]
    r.scoring.nodes = [ScoreNode(id="1", name="预算执行率")]
    r.profile.duties = ["负责全市营商环境"]
    r.profile.org_units = [OrgUnit(name="综合科")]
    r.profile.leader_posts = [LeaderPost(title="主任", quota=1)]
    r.profile.staff_by_role = [RoleCount(role="管理岗", count=3)]
    r.expenditure.by_function = [FunctionLine(code="2013850", name="事业运行")]
    return r


def _gui_paths():
    from perfeval_gui.gui.sections import specs
    for blocks in specs.BLOCKS.values():
        for block in blocks:
            for f in getattr(block, "fields", []) if isinstance(getattr(block, "fields", None), list) else []:
                if isinstance(f, specs.F):
                    yield f.path, f.label
            if isinstance(block, specs.Table):
                for c in block.columns:
                    yield (f"{block.list_path}[0].{c.attr}" if c.attr else f"{block.list_path}[0]"), c.header


def test_every_registered_field_is_a_real_model_path():
    r = _report_with_rows()
    for key, info in fields.REGISTRY.items():
        if info.virtual:
            continue
        concrete = key.replace("[]", "[0]")
        get_value(r, concrete)        # raises PathError for a misspelt registry key


def test_window_labels_come_from_the_registry():
    seen = 0
    for path, label in _gui_paths():
        assert fields.info(path) is not None, f"{path} is shown in the window but not registered"
        assert fields.label(path) in label, (path, label)
        seen += 1
    assert seen > 60


def test_excel_template_labels_come_from_the_registry(tmp_path):
    from perfeval_gui.io.excel_template import write_template
    book = tmp_path / "模板.xlsx"
    write_template(book)
    wb = openpyxl.load_workbook(book)
    for sheet, defs in L.KV_SHEETS.items():
        labels = [c.value for c in wb[sheet]["A"]]
        for d in defs:
            assert fields.label(d.path) in labels, (sheet, d.path)
    for sheet, (list_path, cols) in L.TABLE_SHEETS.items():
        headers = {c.value for row in wb[sheet].iter_rows(max_row=5) for c in row}
        for c in cols:
            if c.attr != "project":
                assert fields.label(f"{list_path}[].{c.attr}") in headers, (sheet, c.attr)


def test_relabelling_a_field_is_one_edit(monkeypatch):
    """Change the registry entry alone: the Excel layout, undo text and finding names follow."""
    info = fields.REGISTRY["income.budget_initial"]
    monkeypatch.setitem(fields.REGISTRY, "income.budget_initial",
                        fields.FieldInfo(info.key, "年初批复预算", info.kind, info.unit, info.aliases))
    assert L.SCALAR_FIELDS["income.budget_initial"].label == "年初批复预算"
    assert fields.undo_text("income.budget_initial") == "修改 年初批复预算"
    assert fields.field_label("prior_year[income.budget_initial]") == "上年数：年初批复预算"


@pytest.mark.parametrize("path, expected", [
    ("meta.unit_name", "单位名称"),
    ("projects[0].actual", "项目“党建经费”的实际支出"),
    ("projects[0].indicators[0].score_stated", "项目“党建经费”的指标“培训人次”的得分"),
    ("expenditure.by_econ[0].amount", "经济分类科目“办公费”的金额"),
    ("scoring.nodes[0].weight", "评分表指标“预算执行率”的分值"),
    ("profile.duties[0]", "部门职能“负责全市营商环境”"),
    ("prior_year[expenditure.total]", "上年数：支出合计"),
    ("narrative[五.一]", "正文 五（一）整体绩效情况分析"),
    ("three_public.reception.actual", "公务接待费实际支出"),
])
def test_field_label_names_the_row_and_the_field(path, expected):
    assert fields.field_label(path, _report_with_rows()) == expected


def test_field_label_never_raises_on_odd_paths():
    for odd in ("", "projects[99].actual", "no.such.path", "narrative[不存在]", "[[", "projects[0"):
        assert isinstance(fields.field_label(odd, _report_with_rows()), str)


def test_vocabularies_read_every_wording_back():
    assert fields.PROJECT_KINDS.code_for("年中追加项目") == "added"
    assert fields.PROJECT_KINDS.code_for("追加") == "added"
    assert fields.PROJECT_KINDS.code_for("上年结转") == "carried"
    assert fields.ECON_SCOPES.code_for("合计口径") == "total"
    assert fields.THREE_PUBLIC_PARTS.code_for("因公出国（境）费") == "abroad"
