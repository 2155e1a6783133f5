"""Format 1.1 (issue 17): the forms' blocks are saved; every 1.0 file opens with every value it had."""
from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from perfeval_gui.core.model import DeptForm, BasicData, ProjectForm
from perfeval_gui.core.serialize import report_to_data
from perfeval_gui.io.project_file import FORMAT_VERSION, load_project, save_project

DATA = Path(__file__).resolve().parent / "data"


def _strip_forms(data: dict, raw: dict) -> dict:
    """A 1.1 report's data without the keys 1.1 added (what a 1.0 file holds); other keys a later version
    added with nothing in them (``drafts``) are left out too."""
    data = json.loads(json.dumps(data))
    data.pop("dept_form"), data.pop("basic_data")
    for key in [k for k in data if k not in raw]:
        assert data.pop(key) in ({}, [], "", None)
    for p in data["projects"]:
        p.pop("form"), p.pop("category")
    return data


@pytest.mark.parametrize("name", ["liuyang-2021", "shifeng-2023"])
def test_a_format_10_file_opens_unchanged(name, tmp_path):
    path = DATA / f"{name}-format-1.0.pefx"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["version"] == "1.0" and "dept_form" not in raw["report"]
    report = load_project(path)
    # every value the 1.0 file holds is there, exactly (decimals as typed); the new blocks start empty
    assert _strip_forms(report_to_data(report), raw["report"]) == raw["report"]
    assert report.dept_form == DeptForm() and report.basic_data == BasicData()
    assert all(p.form == ProjectForm() and p.category == "" for p in report.projects)
    # saved again it is a 1.1 file that reads back the same
    out = tmp_path / "again.pefx"
    save_project(report, out)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["version"] == FORMAT_VERSION == "1.1"
    assert load_project(out) == report


def test_forms_blocks_survive_a_save(tmp_path):
    report = load_project(DATA / "liuyang-2021-format-1.0.pefx")
    report.dept_form.general_budget.actual = D("385.50")
    report.basic_data.buildings.approved_scale = D("120.5")
    report.projects[0].form.lead = "张三"
    report.projects[0].category = "business"
    path = tmp_path / "r.pefx"
    save_project(report, path)
    back = load_project(path)
    assert str(back.dept_form.general_budget.actual) == "385.50"
    assert back.basic_data.buildings.approved_scale == D("120.5")
    assert (back.projects[0].form.lead, back.projects[0].category) == ("张三", "business")


def test_the_samples_carry_only_what_their_reports_state():
    from perfeval_gui.resources import sample_path
    ly = load_project(sample_path("liuyang-2021.pefx"))
    # 五（二）2：“共计投入112.3万元，已支出112.3万元，全部为财政资金”
    assert ly.projects[1].form.fiscal.budget_final == D("112.3") == ly.projects[1].form.fiscal.actual
    assert ly.dept_form == DeptForm() and ly.basic_data == BasicData()
    sf = load_project(sample_path("shifeng-2023.pefx"))
    assert sf.dept_form == DeptForm() and sf.basic_data == BasicData()
    assert all(p.form == ProjectForm() for p in sf.projects)
