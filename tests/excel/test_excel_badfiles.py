"""Bad files → a clear Chinese error before/while parsing; large files streamed with progress; CLI behaviour."""
from __future__ import annotations

import json
import zipfile

import pytest

from excel_helpers import entity_bomb_xml, patch_declared_size, rewrite_part, write_rows
from perfeval_gui import cli
from perfeval_gui.io.excel_import import ExcelImportError, ImportCancelled, read_workbook
from perfeval_gui.io.excel_template import export_excel, write_template


def good(tmp_path, name="ok.xlsx"):
    path = tmp_path / name
    write_template(path)
    return path


def expect_error(path, *words):
    with pytest.raises(ExcelImportError) as err:
        read_workbook(path)
    message = str(err.value)
    assert path.name in message
    for word in words:
        assert word in message, message
    return message


def test_defusedxml_is_active():
    import openpyxl.xml
    assert openpyxl.xml.DEFUSEDXML is True


def test_missing_and_empty_files(tmp_path):
    expect_error(tmp_path / "无.xlsx", "找不到")
    (tmp_path / "空.xlsx").write_bytes(b"")
    expect_error(tmp_path / "空.xlsx", "空文件")


def test_text_renamed_xlsx(tmp_path):
    p = tmp_path / "说明.xlsx"
    p.write_text("这不是表格\n1,2,3\n", encoding="utf-8")
    expect_error(p, "不是 Excel 工作簿")


def test_docx_renamed_xlsx(tmp_path):
    p = tmp_path / "报告.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    expect_error(p, "Word 文档")


def test_truncated_zip(tmp_path):
    src = good(tmp_path)
    p = tmp_path / "截断.xlsx"
    p.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    expect_error(p, "损坏或不完整")


def test_bad_crc(tmp_path):
    p = good(tmp_path, "crc.xlsx")
    raw = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as zf:
        info = zf.getinfo("xl/worksheets/sheet2.xml")
    # flip a byte inside the stored CRC of the local header and the central directory
    crc = info.CRC.to_bytes(4, "little")
    bad = ((info.CRC ^ 0xFFFF) & 0xFFFFFFFF).to_bytes(4, "little")
    assert raw.count(crc) >= 1
    p.write_bytes(bytes(raw).replace(crc, bad))
    expect_error(p, "损坏")


def test_fake_ole2_encrypted(tmp_path):
    p = tmp_path / "加密.xlsx"
    p.write_bytes(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")
                  + b"\0" * 1000)
    expect_error(p, "密码")


def test_ole2_garbage_is_reported_as_unreadable_xls(tmp_path):
    p = tmp_path / "坏.xls"
    p.write_bytes(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\x01" * 2000)
    expect_error(p, ".xls")


def test_entity_bomb_in_sheet(tmp_path):
    p = good(tmp_path, "bomb.xlsx")
    rewrite_part(p, "xl/worksheets/sheet1.xml", lambda d: entity_bomb_xml("worksheet"))
    expect_error(p, "实体", "xl/worksheets/sheet1.xml")


def test_entity_bomb_in_shared_strings(tmp_path):
    p = write_rows(tmp_path / "sst.xlsx", {"收入": [["收入"], ["字段", "数值", "说明", "字段代码"]]})
    with zipfile.ZipFile(p) as zf:
        names = zf.namelist()
    bomb = entity_bomb_xml("sst")
    if "xl/sharedStrings.xml" in names:
        rewrite_part(p, "xl/sharedStrings.xml", lambda d: bomb)
    else:
        with zipfile.ZipFile(p, "a") as zf:
            zf.writestr("xl/sharedStrings.xml", bomb)
    expect_error(p, "实体", "sharedStrings")


def test_entity_bomb_is_also_refused_by_openpyxl_itself(tmp_path):
    """Second line of defence: defusedxml in openpyxl (our pre-scan bypassed)."""
    import openpyxl
    p = good(tmp_path, "bomb2.xlsx")
    rewrite_part(p, "xl/worksheets/sheet1.xml", lambda d: entity_bomb_xml("worksheet"))
    with pytest.raises(Exception) as err:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        list(wb.worksheets[0].iter_rows(values_only=True))
    chain, exc = [], err.value
    while exc is not None:
        chain.append(type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    assert any("Forbidden" in name for name in chain), chain


def test_zip_bomb_by_declared_sizes(tmp_path):
    p = good(tmp_path, "zipbomb.xlsx")
    patch_declared_size(p, "xl/worksheets/sheet1.xml", 600 * 1024 * 1024)
    expect_error(p, "恶意")


def big_econ_workbook(path, rows):
    """Our template's 经济分类 sheet with many rows, written in streaming mode."""
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("经济分类")
    ws.append(["经济分类"])
    ws.append(["单位：万元"])
    ws.append(["口径", "科目编码", "科目名称", "金额"])
    for i in range(rows):
        ws.append(["项目支出", "30201", f"办公费{i}", i / 100])
    wb.save(path)
    return path


def test_many_rows_are_streamed_with_progress_and_cancel(tmp_path):
    p = big_econ_workbook(tmp_path / "big.xlsx", 8000)
    seen = []
    result = read_workbook(p, progress=lambda done, total: seen.append((done, total)))
    (lines,) = [v.value for v in result.values]
    assert len(lines) == 8000 and str(lines[-1].amount) == "79.99"
    assert seen and seen[-1][0] == seen[-1][1] == 8003
    done = [d for d, _ in seen]
    assert len(seen) >= 8 and done == sorted(done)       # a tick every 1,000 rows, not one at the end
    with pytest.raises(ImportCancelled):
        read_workbook(p, cancel=lambda: True)
    # 取消 on the second tick stops the read part-way: no row after it is reported
    asked, ticks = [], []
    with pytest.raises(ImportCancelled):
        read_workbook(p, progress=lambda d, t: ticks.append(d), cancel=lambda: asked.append(1) or len(asked) >= 2)
    assert len(ticks) == 1 and ticks[0] < 8003


# ------------------------------------------------------------------ CLI
def test_cli_import_excel_json_prints_figures_with_sources(tmp_path, capsys):
    from decimal import Decimal
    from perfeval_gui.core.model import Report
    report = Report()
    report.income.budget_initial = Decimal("115.62")
    wb = tmp_path / "数据.xlsx"
    export_excel(report, wb)
    out = tmp_path / "out.pefx"
    code = cli.main(["import-excel", str(wb), "-o", str(out), "--json", "--as", "current"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changes"] == [{"path": "income.budget_initial", "label": "年初预算", "old": None, "new": "115.62",
                                "source": "收入!B4"}]
    assert out.exists()


def test_cli_bad_file_exit_2_with_reason_and_nothing_written(tmp_path, capsys):
    bad = tmp_path / "坏.xlsx"
    bad.write_text("hello", encoding="utf-8")
    out = tmp_path / "out.pefx"
    assert cli.main(["import-excel", str(bad), "-o", str(out)]) == 2
    assert "不是 Excel 工作簿" in capsys.readouterr().err
    assert not out.exists()


def test_cli_template(tmp_path, capsys):
    out = tmp_path / "模板.xlsx"
    assert cli.main(["template", "-o", str(out)]) == 0
    assert out.exists() and "已生成模板" in capsys.readouterr().out


def test_sheet_over_the_row_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    from perfeval_gui.io import excel_safety
    monkeypatch.setattr(excel_safety, "MAX_SHEET_ROWS", 100)
    p = big_econ_workbook(tmp_path / "rows.xlsx", 200)
    expect_error(p, "超过 100 行")


def test_the_cell_limit_counts_cells_not_other_tags_that_start_alike(tmp_path, monkeypatch):
    """The pre-scan counts tags with a cheap bound first (<c also matches <col, <cols …); a sheet at
    the limit whose bound passes it is counted exactly and imported, one cell more is refused."""
    import openpyxl

    from perfeval_gui.io import excel_safety
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "经济分类"
    for row in (["经济分类"], ["单位：万元"], ["口径", "科目编码", "科目名称", "金额"]):
        ws.append(row)
    for i in range(40):
        ws.append(["项目支出", "30201", f"办公费{i}", i + 0.5])
    for i in range(1, 31):                                   # 30 <col> width entries in <cols>
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = 12 + i % 3
    p = tmp_path / "宽度.xlsx"
    wb.save(p)
    cells = 1 + 1 + 4 + 40 * 4                               # every <c> the sheet holds
    monkeypatch.setattr(excel_safety, "MAX_SHEET_CELLS", cells)
    (lines,) = [v.value for v in read_workbook(p).values]
    assert len(lines) == 40 and str(lines[-1].amount) == "39.5"
    monkeypatch.setattr(excel_safety, "MAX_SHEET_CELLS", cells - 1)
    expect_error(p, f"{cells - 1} 个单元格")
