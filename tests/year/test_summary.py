"""Reviewer summary workbook: ``perfeval check … --summary 汇总.xlsx`` (issue 19)."""
from __future__ import annotations

import zipfile
from decimal import Decimal

import openpyxl

from perfeval_gui.cli import main
from perfeval_gui.core.engine import Checker
from perfeval_gui.io.project_file import load_project, save_project
from perfeval_gui.resources import sample_path


def _files(tmp_path):
    a = tmp_path / "浏阳.pefx"
    a.write_bytes(sample_path("liuyang-2021.pefx").read_bytes())
    b = tmp_path / "石峰.pefx"
    b.write_bytes(sample_path("shifeng-2023.pefx").read_bytes())
    # a unit that types a formula as its name and explains a warning with another one
    evil = load_project(sample_path("shifeng-2023.pefx"))
    evil.meta.unit_name = '=HYPERLINK("http://x.invalid","点我")'
    checker = Checker(evil)
    warning = next(f for f in checker.check_all() if f.severity.value == "warning")
    evil.acknowledged[warning.key] = "=1+1 已核实"
    c = tmp_path / "公式.pefx"
    save_project(evil, c, keep_backup=False)
    bad = tmp_path / "坏.pefx"
    bad.write_text("{not json", encoding="utf-8")
    return [a, b, c, bad]


def test_summary_workbook_rows_findings_table_and_frozen_header(tmp_path, capsys):
    files = _files(tmp_path)
    out = tmp_path / "汇总.xlsx"
    code = main(["check", *map(str, files), "--summary", str(out)])
    assert code == 2                       # a file could not be read: as without --summary
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "问题清单"]
    ws = wb["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:10] == ("单位", "年度", "模板", "自评得分", "等级", "执行率", "错误数", "警告数",
                            "已说明的警告数", "第一个错误")
    assert len(rows) == 5
    liuyang = rows[1]
    assert liuyang[0] == "浏阳市优化营商环境协调事务中心" and liuyang[1] == 2021
    assert liuyang[3] == 99 and liuyang[4] == "优" and liuyang[6] == 0
    assert Decimal(str(liuyang[5])) == 1            # 385.5 / 385.5 (财政资金)
    assert ws.cell(row=2, column=6).number_format == "0.00%"
    shifeng = rows[2]
    assert shifeng[6] == 2 and shifeng[9].startswith("PRJ-03 ") and "4.00" in shifeng[9]
    evil = rows[3]
    assert evil[8] == 1                              # one explained warning
    assert evil[7] == shifeng[7] - 1
    broken = rows[4]
    assert broken[9].startswith("无法读取") and broken[10].endswith("坏.pefx")
    # sortable / filterable: an Excel table over all rows, header row frozen
    (name, ref), = ws.tables.items()
    assert ref == "A1:K5" and ws.freeze_panes == "A2"
    assert [c.name for c in ws.tables[name].tableColumns][:3] == ["单位", "年度", "模板"]
    fs = wb["问题清单"]
    frows = list(fs.iter_rows(values_only=True))
    assert frows[0][:6] == ("单位", "规则", "级别", "位置", "说明", "单位的说明")
    prj = [r for r in frows if r[1] == "PRJ-03"]
    assert prj and prj[0][2] == "错误" and prj[0][0] == "株洲市石峰区优化营商环境协调事务中心"
    assert "业务性专项" in prj[0][3] and "结余结转" in prj[0][3]      # 位置 named as the officer sees it
    noted = [r for r in frows[1:] if r[5]]
    assert [r[5] for r in noted] == ["=1+1 已核实"]
    assert fs.freeze_panes == "A2" and len(fs.tables) == 1
    assert "已写出汇总表" in capsys.readouterr().err


def test_text_starting_with_equals_is_never_a_formula(tmp_path):
    out = tmp_path / "汇总.xlsx"
    main(["check", *map(str, _files(tmp_path)), "--summary", str(out)])
    with zipfile.ZipFile(out) as zf:
        sheets = [zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s or "<f " in s for s in sheets)
    wb = openpyxl.load_workbook(out)
    cell = wb["汇总"]["A4"]
    assert cell.value == '=HYPERLINK("http://x.invalid","点我")' and cell.data_type == "s"


def test_summary_cannot_be_written_says_so(tmp_path, capsys):
    files = _files(tmp_path)[:1]
    target = tmp_path / "no-such-dir" / "汇总.xlsx"
    assert main(["check", *map(str, files), "--summary", str(target)]) == 2
    assert "汇总.xlsx" in capsys.readouterr().err
    assert not target.exists()
