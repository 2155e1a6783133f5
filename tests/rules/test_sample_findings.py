"""Regression fixtures: the findings of the two built-in samples (DOMAIN.md §10, §10.1).

Seed 000 (石峰 2023): PRJ-03 (业务性专项) and PRJ-04 are the only errors; FMT-01 warnings for "二）" and
"5、"; INC-02 at most an info. Seed 004 (浏阳 2021): no error; the warnings/infos of the §10 table
(SCO-12, AST-02, NAR-05, PRJ-06, FMT-01, INF-01) plus NAR-06 (DOMAIN §8 names seed 004's repeated
43-网点 sentence as its example). Both: CMP-03/CMP-04 list the cells of the submission forms (issue 17) that
neither report states.
"""
from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from collections import Counter

from perfeval_gui.cli import main
from perfeval_gui.core.engine import Checker
from perfeval_gui.io.project_file import load_project
from perfeval_gui.resources import sample_path

SHIFENG = sample_path("shifeng-2023.pefx")
LIUYANG = sample_path("liuyang-2021.pefx")


def _cli_check(path):
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", "--json", str(path)])
    return code, json.loads(out.getvalue())


def test_shifeng_cli_exits_1_with_prj03_and_prj04():
    code, rows = _cli_check(SHIFENG)
    assert code == 1
    errors = [r for r in rows if r["severity"] == "error"]
    assert sorted(r["rule"] for r in errors) == ["PRJ-03", "PRJ-04"]
    prj03 = next(r for r in errors if r["rule"] == "PRJ-03")
    assert "业务性专项" in prj03["message"]
    assert prj03["expected"] == "0.00" and prj03["actual"] == "4.00" and prj03["difference"] == "4.00"
    assert prj03["paths"][0].endswith(".carryover")
    others = Counter(r["rule"] for r in rows if r["severity"] != "error")
    assert others["FMT-01"] == 2
    assert set(others) <= {"FMT-01", "INC-02", "CMP-03", "CMP-04"}
    # the submission forms: what the report does not state stays empty and CMP-03/04 say so (issue 17)
    assert others["CMP-03"] == 2 and others["CMP-04"] == 3
    assert all(r["severity"] == "info" for r in rows if r["rule"] == "INC-02")


def test_shifeng_fmt01_names_both_headings():
    report = load_project(SHIFENG)
    fmt = [f for f in Checker(report).check_all() if f.rule_id == "FMT-01"]
    assert {f.expected for f in fmt} == {"（二）", "五、"}


def test_liuyang_cli_exits_0_with_the_expected_warnings_and_infos():
    code, rows = _cli_check(LIUYANG)
    assert code == 0
    assert [r for r in rows if r["severity"] == "error"] == []
    rules = Counter(r["rule"] for r in rows)
    assert set(rules) == {"SCO-12", "AST-02", "NAR-05", "PRJ-06", "FMT-01", "INF-01", "NAR-06", "CMP-03", "CMP-04"}
    assert rules["CMP-03"] == 2 and rules["CMP-04"] == 5    # 部门自评表, 基础数据表; one per 项目自评表
    assert rules["FMT-01"] == 2 and rules["PRJ-06"] == 3
    prj06 = " ".join(r["message"] for r in rows if r["rule"] == "PRJ-06")
    for name in ("投诉处理", "营商环境监测点", "政策落地"):
        assert name in prj06
    nar05 = next(r for r in rows if r["rule"] == "NAR-05")
    assert "营商环境指标评价" in nar05["message"] and "有待加强" in nar05["quote"]
    assert any("43个网点" in (r["quote"] or "") for r in rows if r["rule"] == "NAR-06")


def test_fixing_shifeng_carryover_clears_the_errors():
    report = load_project(SHIFENG)
    checker = Checker(report)
    checker.check_all()
    i = next(i for i, p in enumerate(report.projects) if p.name == "业务性专项")
    report.projects[i].carryover = type(report.projects[i].carryover)("0")
    findings = checker.recheck([f"projects[{i}].carryover"])
    assert [f.rule_id for f in findings if f.severity.value == "error"] == []
