"""export_docx → import_docx: exact through the embedded model; best effort without it."""
from __future__ import annotations

import io
import zipfile
from decimal import Decimal as D
from pathlib import Path

import docx
import pytest
from docx_helpers import full_report, random_report

from perfeval_gui.io.docx_export import bookmark_name, build_docx_bytes, export_docx
from perfeval_gui.io.docx_import import DocxReadError, decode_bookmark, import_docx

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"   # the two example reports, as text


@pytest.mark.parametrize("name", ["liuyang-2021.pefx", "shifeng-2023.pefx"])
def test_samples_round_trip(sample, name, tmp_path):
    report = sample(name)
    path = tmp_path / "s.docx"
    export_docx(report, path)
    assert import_docx(path) == report
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0].endswith("年度部门整体支出绩效自评报告") and report.meta.unit_name in texts[0]


def test_liuyang_figures_printed(sample, tmp_path):
    report = sample("liuyang-2021.pefx")
    path = tmp_path / "l.docx"
    export_docx(report, path)
    cells = [c.text for t in docx.Document(str(path)).tables for row in t.rows for c in row.cells]
    assert report.meta.amount_decimals == 1          # amounts at the report's precision
    for figure in ("385.5", "184.9", "200.6", "73.3", "112.3", "60.0", "0.5"):
        assert figure in cells, figure


@pytest.mark.parametrize("seed", range(8))
def test_random_report_round_trip(seed, tmp_path):
    report = random_report(seed)
    path = tmp_path / f"r{seed}.docx"
    export_docx(report, path)
    assert import_docx(path) == report


def _strip_model(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out_buf = io.BytesIO()
    with zipfile.ZipFile(out_buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("customXml/") and b"perfeval" in body:
                body = b'<?xml version="1.0"?><other/>'
            out.writestr(info.filename, body)
    return out_buf.getvalue()


def test_bookmarks_recover_figures_without_model(tmp_path):
    report = full_report("hunan9")
    path = tmp_path / "nomodel.docx"
    path.write_bytes(_strip_model(build_docx_bytes(report)))
    back = import_docx(path)
    assert back.income.budget_initial == D("115.62")
    assert back.expenditure.personnel == D("100.10")
    assert [p.name for p in back.projects] == ["业务性专项", "营商环境工作经费"]
    assert back.projects[1].kind == "added" and back.projects[1].budget_adjustment == D("6.88")
    assert back.expenditure.by_econ[1].name == "公务接待费" and back.expenditure.by_econ[1].scope == "project"
    assert back.three_public.reception.actual == D("0.50")
    assert back.scoring.nodes[2].score_stated == D("19.5")
    assert back.meta.unit_name == report.meta.unit_name and back.meta.fiscal_year == 2023
    assert back.narrative["六"] == report.narrative["六"]
    assert back.narrative["五.一"] == report.narrative["五.一"]


def test_bookmark_names_decode():
    for path in ("projects[2].actual", "three_public.vehicle_operation.actual", "expenditure.by_econ[11].amount",
                 "income.budget_initial", "scoring.nodes[4].score_stated"):
        name = bookmark_name(path)
        assert name and len(name) <= 40
        assert decode_bookmark(name) == path


def _docx_from_lines(lines, path):
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(str(path))


def test_best_effort_short5_seed(tmp_path):
    lines = (SEEDS / "shifeng-2023.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "hand.docx"
    _docx_from_lines(["株洲市石峰区优化营商环境协调事务中心2023年度部门整体支出绩效自评报告", ""] + lines, path)
    r = import_docx(path)
    assert r.meta.template == "short5" and r.meta.fiscal_year == 2023
    assert r.meta.unit_name == "株洲市石峰区优化营商环境协调事务中心"
    assert (r.income.budget_total, r.income.budget_initial, r.income.budget_adjustment) == \
        (D("133.85"), D("115.62"), D("18.23"))
    assert (r.expenditure.total, r.expenditure.basic, r.expenditure.project_total, r.expenditure.carryover_end) == \
        (D("133.85"), D("121.47"), D("12.38"), D("0"))
    assert (r.profile.staff_authorized, r.profile.staff_actual, r.profile.declared_org_unit_count) == (7, 7, 3)
    assert [o.name for o in r.profile.org_units] == ["综合办公室", "企业服务室", "投诉协调室"]
    assert len(r.profile.duties) == 5
    assert [(p.name, p.kind, p.carryover) for p in r.projects] == [
        ("业务性专项", "initial", D("4")), ("营商环境工作经费", "added", D("0")), ("中小企业平台运行专项", "added", D("0"))]
    assert r.projects[2].purpose.startswith("项目支出1.5万元")
    assert r.headings["三.二"] == "二）项目支出绩效情况" and r.headings["五"] == "5、 其他需要说明的情况"
    assert r.narrative["三.一"].startswith("1.发展环境不断优化")
    assert r.narrative["五"] == "无其他需要说明的情况。"


def test_best_effort_hunan9_seed(tmp_path):
    lines = (SEEDS / "liuyang-2021.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "hand.docx"
    _docx_from_lines(lines, path)
    r = import_docx(path)
    assert r.meta.template == "hunan9" and r.meta.unit_name == "浏阳市优化营商环境协调事务中心"
    assert r.meta.fiscal_year == 2021
    assert r.headings["三"] == "3、 部门项目组织实施情况" and r.headings["五"] == "5、 部门整体支出绩效情况"
    assert r.headings["二.二.3"] == "3．项目资金管理情况"
    assert set(r.narrative) >= {"一.一", "一.三", "三.一", "三.二", "四.二", "五.一", "五.二", "六", "七", "八", "九"}
    assert r.narrative["三.一"].startswith("2021年项目支出未达到招标采购限额")
    assert len(r.profile.duties) == 6 and [o.name for o in r.profile.org_units] == \
        ["办公室", "营商环境评价部", "投诉和宣传培训部"]
    assert (r.expenditure.total, r.expenditure.basic, r.expenditure.project_total) == \
        (D("385.5"), D("184.9"), D("200.6"))
    assert (r.expenditure.personnel, r.expenditure.public_ops) == (D("173.9"), D("11"))
    assert r.three_public.reception.actual == D("0.5")
    assert (r.self_eval.score_stated, r.self_eval.grade_stated) == (D("99"), "优")


def test_read_errors(tmp_path):
    cases = {
        "missing.docx": (None, "找不到"),
        "text.docx": (b"hello world", "不是 Word"),
        "empty.docx": (b"", "空文件"),
        "ole.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "密码"),
        "corrupt.docx": (b"PK\x03\x04" + b"\x00garbage" * 50, "损坏"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        with pytest.raises(DocxReadError, match=message):
            import_docx(path)
    zip_path = tmp_path / "plain.docx"
    with zipfile.ZipFile(zip_path, "w") as zf:
        zf.writestr("a.txt", "x")
    with pytest.raises(DocxReadError, match="document.xml"):
        import_docx(zip_path)
    with pytest.raises(DocxReadError, match="文件夹"):
        import_docx(tmp_path)
