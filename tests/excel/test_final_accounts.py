"""A 决算 workbook imported as this year's final accounts feeds DEC-01 without changing the figures."""
import json
import subprocess
import sys
from decimal import Decimal

from perfeval_gui.core.engine import check_report
from perfeval_gui.core.model import Report
from perfeval_gui.io.excel_template import export_excel
from perfeval_gui.io.project_file import load_project, save_project


def _run(*args):
    return subprocess.run([sys.executable, "-m", "perfeval_gui.cli", *args], capture_output=True, text=True)


def test_import_as_final_flags_figures_that_differ_from_the_final_accounts(tmp_path):
    authority = Report()
    authority.expenditure.total = Decimal("385.50")
    authority.expenditure.basic = Decimal("184.90")
    book = tmp_path / "决算 2021.xlsx"
    export_excel(authority, book)

    mine = Report()
    mine.expenditure.total = Decimal("380.50")       # typed wrong
    mine.expenditure.basic = Decimal("184.90")       # agrees
    project = tmp_path / "mine.pefx"
    save_project(mine, project)
    out = tmp_path / "out.pefx"

    result = _run("import-excel", str(book), "--into", str(project), "-o", str(out), "--as", "final", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["changes"]
    assert {r["path"] for r in rows} >= {"final_accounts[expenditure.total]", "final_accounts[expenditure.basic]"}

    report = load_project(out)
    assert report.expenditure.total == Decimal("380.50")          # figures untouched
    dec = [f for f in check_report(report) if f.rule_id == "DEC-01"]
    assert [f.paths[0] for f in dec] == ["expenditure.total"]
    assert "385.50" in dec[0].message and "380.50" in dec[0].message
    assert dec[0].message.startswith("支出合计 填 380.50 万元"), dec[0].message   # named as the officer knows it
