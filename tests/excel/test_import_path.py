"""One import path (issue 12): the command line merges exactly as the window does, and says what it did."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal as D

from excel_helpers import write_rows
from test_excel_layouts import SELF_EVAL

from perfeval_gui import cli
from perfeval_gui.core.imports import plan_import
from perfeval_gui.io.excel_import import read_workbook
from perfeval_gui.io.project_file import load_project, save_project
from perfeval_gui.resources import sample_path


def _sample_with_project(tmp_path, name: str = "乡村振兴培训", fund_source: str = "省级财政"):
    report = load_project(sample_path("liuyang-2021.pefx"))
    report.projects[2].name = name
    report.projects[2].fund_source = fund_source
    path = tmp_path / "浏阳.pefx"
    save_project(report, path)
    return path, report


def test_cli_import_of_a_project_form_keeps_every_project_and_the_fund_source(tmp_path, capsys):
    """The bug: `--into sample --as current` wrote a report with only the imported project."""
    book = write_rows(tmp_path / "自评表.xlsx", {"Sheet1": SELF_EVAL})
    into, before = _sample_with_project(tmp_path)
    out = tmp_path / "out.pefx"
    code = cli.main(["import-excel", str(book), "--into", str(into), "-o", str(out), "--as", "current"])
    assert code == 0, capsys.readouterr().err
    after = load_project(out)
    assert [p.name for p in after.projects] == [p.name for p in before.projects]
    merged = after.projects[2]
    assert merged.fund_source == "省级财政"
    assert (merged.budget_initial, merged.budget_final, merged.actual) == (D("100"), D("120.5"), D("110.25"))
    assert len(merged.indicators) > 0
    # the other projects are untouched
    for i in (0, 1, 3, 4):
        assert after.projects[i] == before.projects[i]


def test_cli_and_window_plan_the_same_changes(tmp_path):
    from perfeval_gui.gui.import_dialog import ImportDialog   # noqa: F401 - the window's planner is core's
    book = write_rows(tmp_path / "自评表.xlsx", {"Sheet1": SELF_EVAL})
    _, report = _sample_with_project(tmp_path)
    result = read_workbook(book)
    changes = plan_import(report, result.values, "current")
    paths = [c.path for c in changes]
    assert all(p.startswith("projects[2].") for p in paths), paths
    labels = [c.label for c in changes]
    assert "项目“乡村振兴培训”的实际支出" in labels


def test_cli_json_is_json_data_with_old_new_and_source(tmp_path, capsys):
    book = write_rows(tmp_path / "自评表.xlsx", {"Sheet1": SELF_EVAL})
    into, _ = _sample_with_project(tmp_path)
    out = tmp_path / "out.pefx"
    code = cli.main(["import-excel", str(book), "--into", str(into), "-o", str(out), "--as", "current", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    actual = next(c for c in data["changes"] if c["path"] == "projects[2].actual")
    assert actual["new"] == "110.25" and actual["source"].startswith("Sheet1")
    assert "Project(" not in json.dumps(data, ensure_ascii=False)
    indicators = next(c for c in data["changes"] if c["path"] == "projects[2].indicators")
    assert isinstance(indicators["new"], list) and indicators["new"][0]["name"]


def test_project_form_as_prior_imports_nothing_and_says_so(tmp_path, capsys):
    book = write_rows(tmp_path / "自评表.xlsx", {"Sheet1": SELF_EVAL})
    into, _ = _sample_with_project(tmp_path)
    out = tmp_path / "out.pefx"
    code = cli.main(["import-excel", str(book), "--into", str(into), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "没有可导入的修改" in err and "--as current" in err
    assert not out.exists()


def test_a_total_row_never_becomes_a_project(tmp_path):
    from perfeval_gui.io.excel_template import export_excel
    from perfeval_gui.core.model import Project, Report
    src = Report(projects=[Project(name="甲", actual=D("1")), Project(name="合计", actual=D("1"))])
    book = tmp_path / "模板.xlsx"
    export_excel(src, book)
    report = Report()
    changes = plan_import(report, read_workbook(book).values, "current")
    assert [c.path for c in changes if c.path.startswith("projects")] == ["projects[0]"]


def test_importing_the_same_figures_again_changes_nothing(tmp_path, capsys):
    shutil.copyfile(sample_path("liuyang-2021.pefx"), tmp_path / "s.pefx")
    book = tmp_path / "s.xlsx"
    assert cli.main(["export-excel", str(tmp_path / "s.pefx"), "-o", str(book)]) == 0
    out = tmp_path / "o.pefx"
    code = cli.main(["import-excel", str(book), "--into", str(tmp_path / "s.pefx"), "-o", str(out), "--as", "current"])
    assert code == 1
    assert "相同" in capsys.readouterr().err
