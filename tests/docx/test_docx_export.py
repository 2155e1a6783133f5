"""Word export: layout facts read back from the real .docx with python-docx."""
from __future__ import annotations

import errno
import os
import zipfile
from decimal import Decimal as D

import docx
import pytest
from docx.oxml.ns import qn
from docx_helpers import full_report

from perfeval_gui.core.template import get_template, numbered_heading
from perfeval_gui.io.atomic import WriteError
from perfeval_gui.io.docx_export import clean_text, export_docx, format_date
from perfeval_gui.io.docx_import import import_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _export(report, tmp_path, name="报告.docx"):
    path = tmp_path / name
    export_docx(report, path)
    return path, docx.Document(str(path))


def _texts(doc):
    return [p.text for p in doc.paragraphs]


def test_page_setup_grid_and_settings(report, tmp_path):
    _, doc = _export(report, tmp_path)
    sect = doc.sections[0]._sectPr
    sz = sect.find(qn("w:pgSz"))
    assert (sz.get(qn("w:w")), sz.get(qn("w:h"))) == ("11906", "16838")
    mar = sect.find(qn("w:pgMar"))
    assert [mar.get(qn(f"w:{k}")) for k in ("top", "bottom", "left", "right")] == ["2098", "1984", "1587", "1474"]
    grid = sect.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579" and grid.get(qn("w:charSpace")) == "-848"
    assert doc.settings.element.find(qn("w:evenAndOddHeaders")) is not None


def test_styles_fonts_sizes_spacing(report, tmp_path):
    path, doc = _export(report, tmp_path)
    normal = doc.styles["Normal"].element
    rf = normal.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rf.get(qn("w:eastAsia")) == "仿宋_GB2312" and rf.get(qn("w:ascii")) == "Times New Roman"
    assert normal.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) == "32"
    assert normal.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    sp = normal.find(qn("w:pPr")).find(qn("w:spacing"))
    assert (sp.get(qn("w:line")), sp.get(qn("w:lineRule"))) == ("579", "exact")
    ind = normal.find(qn("w:pPr")).find(qn("w:ind"))
    assert (ind.get(qn("w:firstLineChars")), ind.get(qn("w:firstLine"))) == ("200", "640")
    assert normal.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == "both"
    expect = {"Heading1": "黑体", "Heading2": "楷体_GB2312", "Heading3": "仿宋_GB2312", "Title": "方正小标宋简体"}
    for style in doc.styles.element.findall(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if sid in expect:
            rpr = style.find(qn("w:rPr"))
            assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == expect[sid]
            assert rpr.find(qn("w:b")).get(qn("w:val")) == "0"
    assert doc.styles["Title"].font.size.pt == 22
    # no theme fonts left anywhere in styles; theme part uses the document fonts
    with zipfile.ZipFile(path) as zf:
        styles_xml = zf.read("word/styles.xml").decode()
        theme = zf.read("word/theme/theme1.xml").decode()
    assert "asciiTheme" not in styles_xml and "eastAsiaTheme" not in styles_xml
    assert 'typeface="Times New Roman"' in theme and 'typeface="仿宋_GB2312"' in theme
    # every run with text carries an East-Asian font
    for p in doc.paragraphs:
        for r in p.runs:
            if r.text:
                assert r._r.rPr.rFonts.get(qn("w:eastAsia")), p.text[:20]


def test_title_header_and_heading_order(report, tmp_path):
    _, doc = _export(report, tmp_path)
    texts = _texts(doc)
    assert texts[0] == "测试市优化营商环境协调事务中心2023年度部门整体支出绩效自评报告"
    assert doc.paragraphs[0].style.style_id == "Title"
    assert doc.styles["Title"].paragraph_format.alignment == 1  # centre
    assert texts[1] == "" and texts[2] == "单位名称（盖章）：测试市优化营商环境协调事务中心"
    headings = [(p.style.style_id, p.text) for p in doc.paragraphs if p.style.style_id.startswith("Heading")]
    tops = [t for s, t in headings if s == "Heading1"]
    assert tops == [numbered_heading(s) for s in get_template("hunan9").sections] + ["附相关评分"]
    seconds = [t for s, t in headings if s == "Heading2"]
    assert seconds[:2] == ["（一）部门职能概述", "（二）部门组织机构及人员情况"]
    # heading runs use the heading font
    h1 = next(p for p in doc.paragraphs if p.style.style_id == "Heading1")
    assert h1.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    # grade sentence (九 narrative empty), signature with Chinese date
    assert "2023年部门整体支出绩效自评得分97.5分，等级为“优”。" in texts
    assert "2024年3月5日" in texts


def test_headings_verbatim_and_empty_slots_omitted(tmp_path):
    r = full_report("short5")
    r.narrative = {"四": "问题。"}
    r.projects = []
    r.headings = {"五": "5、 其他需要说明的情况"}
    _, doc = _export(r, tmp_path)
    texts = _texts(doc)
    assert "5、 其他需要说明的情况" in texts
    # 三 has no content but is top level → printed; its empty children are not
    assert "三、资金使用及绩效情况（包含单位管理的公共专项）" in texts
    assert "（一）整体支出绩效情况" not in texts and "（二）项目支出绩效情况" not in texts
    assert "2023年预算收入133.85万元，其中年初预算115.62万元，调整追加18.23万元。其他资金来源0.00万元。" in texts
    assert "2023年支出133.85万元，其中基本支出121.47万元，项目支出12.38万元，结余结转0.00万元。" in texts
    assert "（一）负责统筹协调推进全市优化营商环境工作。" in texts
    assert "本部门共有编制人数7人，实有人数7人。内设科室2个，分别为：综合办公室、企业服务室。" in texts


def test_short5_project_lists(tmp_path):
    r = full_report("short5")
    _, doc = _export(r, tmp_path)
    texts = _texts(doc)
    assert "1．年初预算项目业务性专项4.00万元，实际支出4.00万元，结余结转0.00万元。项目实施及绩效情况如下：" in texts
    assert "2．年中追加项目营商环境工作经费6.88万元，实际支出6.88万元，结余结转0.00万元。项目实施及绩效情况如下：" in texts
    i = texts.index("（1）业务性专项")
    assert texts[i + 1] == "主要用于营造一流营商环境。"


def test_footers_page_field_odd_even(report, tmp_path):
    _, doc = _export(report, tmp_path)
    sect = doc.sections[0]
    for footer, align in ((sect.footer, "right"), (sect.even_page_footer, "left")):
        xml = footer._element
        instr = "".join(t.text for t in xml.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        kinds = [f.get(qn("w:fldCharType")) for f in xml.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        p = footer.paragraphs[0]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        rpr = p.runs[0]._r.rPr
        assert rpr.rFonts.get(qn("w:eastAsia")) == "宋体" and rpr.find(qn("w:sz")).get(qn("w:val")) == "28"


def test_tables_figures_two_decimals_and_widths(report, tmp_path):
    _, doc = _export(report, tmp_path)
    # 收支, 项目, 功能分类, 经济分类, 三公, 评分
    assert len(doc.tables) == 6
    captions = [t for t in _texts(doc) if t.startswith("表")]
    assert captions[0] == "表1\u3000收支情况" and captions[-1].startswith("表6\u3000")
    assert _texts(doc).count("单位：万元") == 5
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for figure in ("115.62", "18.23", "133.85", "121.47", "100.10", "21.37", "12.38", "4.00", "6.88",
                   "10.88", "3.90", "0.50", "1.00", "0.00", "100.00%"):
        assert figure in cells, figure
    for t in doc.tables:
        tbl = t._tbl
        grid = [int(g.get(qn("w:w"))) for g in tbl.tblGrid.findall(qn("w:gridCol"))]
        tblw = int(tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))
        assert sum(grid) == tblw <= 8845          # ≤ 156 mm
        first = tbl.findall(qn("w:tr"))[0]
        assert first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        for tr in tbl.findall(qn("w:tr")):
            widths = [int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.findall(qn("w:tc"))]
            assert widths == grid
        assert tbl.tblPr.find(qn("w:tblBorders")) is not None
    # amounts right-aligned, table text 12 pt style
    amount_p = next(c.paragraphs[0] for c in doc.tables[0].rows[1].cells if c.text == "115.62")
    assert amount_p.alignment == 2
    assert doc.styles["PE Table Text"].font.size.pt == 12


def test_scoring_table_total_grade_and_new_page(report, tmp_path):
    _, doc = _export(report, tmp_path)
    label = next(p for p in doc.paragraphs if p.text == "附相关评分")
    assert label._p.pPr.find(qn("w:pageBreakBefore")) is not None
    rows = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "分值", "指标值", "完成值", "得分", "偏差原因"]
    assert rows[1][0] == "投入" and rows[3][2] == "绩效目标合理性"
    assert rows[-1][0] == "合计" and rows[-1][6] == "97.5" and rows[-1][7] == "等级：优"


def test_empty_scoring_prints_note(report, tmp_path):
    report.scoring.nodes = []
    _, doc = _export(report, tmp_path)
    texts = _texts(doc)
    assert texts[texts.index("附相关评分") + 1] == "评分表未填写"


HOSTILE = ("控制\x00\x01\x08字符\x0b竖\x0c页\x1f；孤立\ud800代理\udfff；emoji 😀👨‍👩‍👧；RTL \u202eabc\u202c \u200f"
           "עברית；\ufffe\uffff结束")


def test_hostile_text_exports_and_reads_back(report, tmp_path):
    report.narrative["六"] = HOSTILE + "\n" + "长" * 100_000
    report.projects[0].name = "项目\x07名😀"
    path, doc = _export(report, tmp_path)
    texts = _texts(doc)
    assert clean_text(HOSTILE) in texts
    assert "\x00" not in clean_text(HOSTILE) and "\ud800" not in clean_text(HOSTILE)
    assert "竖 页" in clean_text(HOSTILE) and "😀👨‍👩‍👧" in clean_text(HOSTILE)
    assert "长" * 100_000 in texts
    # embedded model: exact, less what a project file may not hold (as on the page: issue 13)
    assert import_docx(path) == storable_copy(report)


def storable_copy(report):
    from perfeval_gui.core.serialize import report_from_data, report_to_data, storable_data
    return report_from_data(storable_data(report_to_data(report)))


def test_format_date():
    assert format_date("2022-03-05") == "2022年3月5日"
    assert format_date("2022/12/31") == "2022年12月31日"
    assert format_date("三月") == "三月"


def test_chinese_path_with_spaces_and_progress(report, tmp_path):
    folder = tmp_path / "导出 文件夹"
    folder.mkdir()
    calls = []
    export_docx(report, folder / "自评 报告 2023.docx", progress=lambda i, n: calls.append((i, n)))
    assert (folder / "自评 报告 2023.docx").stat().st_size > 10_000
    assert calls[-1][0] == calls[-1][1] and [c[0] for c in calls] == list(range(1, calls[-1][1] + 1))
    assert os.listdir(folder) == ["自评 报告 2023.docx"]


def test_path_is_directory(report, tmp_path):
    target = tmp_path / "a.docx"
    target.mkdir()
    with pytest.raises(WriteError, match="文件夹"):
        export_docx(report, target)
    assert os.listdir(tmp_path) == ["a.docx"] and target.is_dir()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder(report, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(WriteError, match="权限|只读"):
            export_docx(report, folder / "x.docx")
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o700)


def test_read_only_existing_file_kept(report, tmp_path, monkeypatch):
    """A locked target (os.replace refused) leaves the old file and no temporary file."""
    target = tmp_path / "old.docx"
    target.write_bytes(b"old content")

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError, match="权限"):
        export_docx(report, target)
    assert target.read_bytes() == b"old content"
    assert os.listdir(tmp_path) == ["old.docx"]


def test_disk_full(report, tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match="磁盘空间已满") as info:
        export_docx(report, tmp_path / "满.docx")
    assert "满.docx" in str(info.value)
    assert os.listdir(tmp_path) == []


def test_missing_values_are_not_zero(tmp_path):
    from perfeval_gui.core.model import Report
    r = Report()
    r.meta.template = "short5"
    r.meta.unit_name = "单位"
    r.expenditure.basic = D("1.5")
    _, doc = _export(r, tmp_path)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "1.50" in cells and "0.00" not in cells


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_exported_file_is_readable_by_colleagues_like_any_document(report, tmp_path):
    """mkstemp's private 0600 must not leak into the submitted file on a shared folder."""
    from perfeval_gui.io.docx_export import export_docx
    old = os.umask(0o022)
    try:
        out = tmp_path / "报告.docx"
        export_docx(report, out)
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o640)                       # the officer restricted it: a re-export keeps that
        export_docx(report, out)
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
