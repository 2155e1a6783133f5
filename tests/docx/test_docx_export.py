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
from datetime import UTC

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
    # a lines-only grid (every suite honours it) + body runs condensed by 0.25 pt: docs/word-layout.md
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579" and grid.get(qn("w:charSpace")) is None
    normal_rpr = doc.styles["Normal"].element.find(qn("w:rPr"))
    assert normal_rpr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    body_run = next(p for p in doc.paragraphs if p.style.style_id == "Normal" and p.text.endswith("说明文字。")).runs[0]
    assert body_run._r.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    settings = doc.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    assert settings.find(qn("w:zoom")).get(qn("w:percent")) == "100"
    modes = [c.get(qn("w:val")) for c in settings.iter(qn("w:compatSetting"))
             if c.get(qn("w:name")) == "compatibilityMode"]
    assert modes == ["15"]
    assert settings.find(qn("w:savePreviewPicture")) is None


def test_package_metadata_tells_the_truth(report, tmp_path):
    from datetime import datetime, timedelta
    from perfeval_gui import __version__
    path, doc = _export(report, tmp_path)
    cp = doc.core_properties
    assert cp.title == "测试市优化营商环境协调事务中心2023年度部门整体支出绩效自评报告"
    assert cp.author == "测试市优化营商环境协调事务中心"
    now = datetime.now(UTC)
    assert abs(cp.created - now) < timedelta(minutes=5) and abs(cp.modified - now) < timedelta(minutes=5)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        app = zf.read("docProps/app.xml").decode()
        fonts = zf.read("word/fontTable.xml").decode()
        rels = zf.read("_rels/.rels").decode()
    assert f"perfeval_gui {__version__}" in app and "Microsoft" not in app
    assert "thumbnail" not in rels and not any("thumbnail" in n for n in names)
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="仿宋"><w:altName w:val="FangSong"/>' in fonts
    for name in ("方正小标宋简体", "黑体", "楷体_GB2312", "宋体", "Times New Roman"):
        assert f'w:name="{name}"' in fonts
    assert "MS Mincho" not in fonts and "ＭＳ" not in fonts


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
    bold = {"Heading1": "0", "Heading2": "0", "Heading3": "1", "Title": "0"}     # 1. headings: bold 仿宋
    for style in doc.styles.element.findall(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if sid in expect:
            rpr = style.find(qn("w:rPr"))
            assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == expect[sid]
            assert rpr.find(qn("w:b")).get(qn("w:val")) == bold[sid], sid
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
    # a title longer than a line breaks after the unit name, never inside a word
    assert texts[0] == "测试市优化营商环境协调事务中心\n2023年度部门整体支出绩效自评报告"
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


def test_numbering_from_structure_words_kept_empty_parts_left_out(tmp_path):
    from perfeval_gui.io.docx_export import export_docx as _export_docx
    r = full_report("short5")
    r.narrative = {"四": "问题。", "五": "无。", "三.二": "项目情况。"}
    r.projects = []
    r.headings = {"五": "5、 其他需要说明的情况", "三.二": "二）项目支出绩效情况", "四": "4、 存在的问题及改进措施"}
    path = tmp_path / "n.docx"
    result = _export_docx(r, path)
    doc = docx.Document(str(path))
    heads = [(p.style.style_id, p.text) for p in doc.paragraphs if p.style.style_id.startswith("Heading")]
    # 三.一 is empty: 三.二 becomes （一）, typed numbering never printed, the officer's words kept
    assert heads == [("Heading1", "一、预算单位基本情况"), ("Heading1", "二、预算收支出情况（按单位预算口径）"),
                     ("Heading1", "三、资金使用及绩效情况（包含单位管理的公共专项）"), ("Heading2", "（一）项目支出绩效情况"),
                     ("Heading1", "四、存在的问题及改进措施"), ("Heading1", "五、其他需要说明的情况")]
    assert any("三.一" in w and "整体支出绩效情况" in w for w in result.warnings), result.warnings
    # a cleared top-level part: not printed, the following ones renumbered, named in the warnings
    r.narrative.pop("四")
    result = _export_docx(r, path)
    heads = [p.text for p in docx.Document(str(path)).paragraphs if p.style.style_id == "Heading1"]
    assert heads[-2:] == ["三、资金使用及绩效情况（包含单位管理的公共专项）", "四、其他需要说明的情况"]
    assert any("四、存在的问题及改进措施" in w for w in result.warnings)
    # FMT-01 still flags what the officer typed (the window shows it)
    from perfeval_gui.core.engine import Checker
    assert any(f.rule_id == "FMT-01" and f.paths == ("headings[五]",) for f in Checker(r).check_all())


def test_generated_sentences_short5(tmp_path):
    r = full_report("short5")
    _, doc = _export(r, tmp_path)
    texts = _texts(doc)
    assert "2023年预算收入133.85万元，其中年初预算115.62万元，调整追加18.23万元。其他资金来源0.00万元。" in texts
    assert "2023年支出133.85万元，其中基本支出121.47万元，项目支出12.38万元，结余结转0.00万元。" in texts
    assert "（一）负责统筹协调推进全市优化营商环境工作。" in texts
    assert "本部门共有编制人数7人，实有人数7人。内设科室2个，分别为：综合办公室、企业服务室。" in texts


def test_short5_project_lists(tmp_path):
    r = full_report("short5")
    _, doc = _export(r, tmp_path)
    texts = _texts(doc)
    assert "1.年初预算项目业务性专项4.00万元，实际支出4.00万元，结余结转0.00万元。项目实施及绩效情况如下：" in texts
    assert "2.年中追加项目营商环境工作经费6.88万元，实际支出6.88万元，结余结转0.00万元。项目实施及绩效情况如下：" in texts
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
    assert captions[0] == "表1\u3000部门整体支出预算执行情况" and captions[-1].startswith("表6\u3000")
    # each table is referred to in the text where it stands
    for n in range(1, 6):
        assert any(t.endswith(f"详见表{n}。") for t in _texts(doc)), n
    # 表1 like the official 自评表: 年初预算数 / 全年预算数 / 全年执行数 / 执行率
    head = [c.text for c in doc.tables[0].rows[0].cells]
    assert head[:5] == ["项目", "年初预算数", "全年预算数", "全年执行数", "执行率"]
    assert [c.text for c in doc.tables[0].rows[1].cells][0] == "年度资金总额"
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
            col = 0
            for tc in tr.findall(qn("w:tc")):
                span_el = tc.find(qn("w:tcPr")).find(qn("w:gridSpan"))
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                assert int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))) == sum(grid[col:col + span])
                col += span
            assert col == len(grid)
        # header words are never broken: each header column is at least its text's width (12 pt, or
        # 10.5 pt in tables of 7 columns and more) plus the cell padding
        head_cells = first.findall(qn("w:tc"))
        em = 210 if len(grid) >= 7 else 240
        for tc, w in zip(head_cells, grid):
            text = "".join(x.text or "" for x in tc.iter(qn("w:t")))
            assert w >= len(text) * em + 170, text
        # no orphan rows: a table shorter than a page keeps every row with the next
        rows = tbl.findall(qn("w:tr"))
        for tr in rows[:-1]:
            assert tr.find(qn("w:tc")).find(qn("w:p")).pPr.find(qn("w:keepNext")) is not None
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
    # 一级/二级 cells merged down over their children; 分值 on the parent rows
    assert [r[0] for r in rows[1:4]] == ["投入", "投入", "投入"] and rows[4][0] == "产出"
    assert [r[1] for r in rows[2:4]] == ["目标设定", "目标设定"] and rows[3][2] == "绩效目标合理性"
    assert rows[1][3] == "20" and rows[2][3] == "20" and rows[4][3] == "80"
    tbl = doc.tables[-1]._tbl
    merges = [tc.find(qn("w:tcPr")).find(qn("w:vMerge")) for tc in tbl.findall(qn("w:tr"))[2].findall(qn("w:tc"))]
    assert merges[0] is not None and merges[0].get(qn("w:val")) is None     # continues 投入
    # 合计: 分值 100, 得分 and 等级
    assert rows[-1][0] == "合计" and rows[-1][3] == "100" and rows[-1][6] == "97.5" and rows[-1][7] == "等级：优"


def test_no_placeholder_text_ever(report, tmp_path):
    from perfeval_gui.io.docx_export import export_docx as _export_docx
    report.scoring.nodes = []
    path = tmp_path / "e.docx"
    result = _export_docx(report, path)
    texts = _texts(docx.Document(str(path)))
    assert "附相关评分" not in texts and "评分表未填写" not in texts
    assert any("附相关评分" in w for w in result.warnings)
    # the five-part form has no appendix at all, even with a scoring table
    short = full_report("short5")
    result = _export_docx(short, path)
    texts = _texts(docx.Document(str(path)))
    assert "附相关评分" not in texts and not any("附相关评分" in w for w in result.warnings)


def test_forced_export_carries_the_draft_mark(report, tmp_path):
    from perfeval_gui.io.docx_export import export_docx as _export_docx
    report.projects[0].carryover = D("4")          # PRJ-03: an error
    path = tmp_path / "d.docx"
    result = _export_docx(report, path)
    assert result.draft_errors >= 1
    doc = docx.Document(str(path))
    sect = doc.sections[0]
    mark = f"草稿：本报告尚有 {result.draft_errors} 个错误，不得报送"
    assert sect.header.paragraphs[0].text == mark and sect.even_page_header.paragraphs[0].text == mark
    clean = full_report()
    assert _export_docx(clean, path, draft_errors=0).draft_errors == 0
    doc = docx.Document(str(path))
    assert all(not p.text for p in doc.sections[0].header.paragraphs)


def test_signature_centred_over_the_date_and_heading3_bold(report, tmp_path):
    _, doc = _export(report, tmp_path)
    paras = doc.paragraphs
    k = next(i for i, p in enumerate(paras) if p.text == "2024年3月5日")
    name, date = paras[k - 1], paras[k]
    assert name.text == report.meta.unit_name and name.style.style_id == "PESignature"

    def right(p):
        return int(p._p.pPr.find(qn("w:ind")).get(qn("w:right")))
    # the name and the date share their centre line; a long name stands 2 characters from the margin
    name_w, date_w = len(name.text), 3 + 6 * 0.5      # 2024年3月5日: digits are half-width
    assert abs((right(name) + name_w * 315 / 2) - (right(date) + date_w * 315 / 2)) < 40
    assert right(name) == 2 * 315
    report.meta.unit_name = "测试中心"                      # a short name: the date 4 characters in
    _, doc = _export(report, tmp_path, "short.docx")
    paras = doc.paragraphs
    k = next(i for i, p in enumerate(paras) if p.text == "2024年3月5日")
    assert right(paras[k]) == 4 * 315
    assert abs((right(paras[k - 1]) + 4 * 315 / 2) - (right(paras[k]) + date_w * 315 / 2)) < 40
    h3 = next(p for p in doc.paragraphs if p.style.style_id == "Heading3")
    assert h3.runs[0]._r.rPr.find(qn("w:b")) is not None


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
    steps = [c[0] for c in calls]
    assert calls[-1][0] == calls[-1][1] and steps == sorted(set(steps)) and len(steps) >= 5
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
