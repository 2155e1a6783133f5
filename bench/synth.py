"""Synthetic reports for the benchmarks, built with the model (no files in the repository)."""
from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from perfeval_gui.core.model import EconLine, Project, Report
from perfeval_gui.io.project_file import load_project

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "liuyang-2021.pefx"

_PARA = ("该项目严格按照预算管理办法执行，资金使用规范，支出进度与工作进度相匹配，"
         "各项绩效指标基本完成，社会效益和满意度较好，后续将进一步加强项目全过程绩效管理。")


def sample() -> Report:
    return load_project(SAMPLE)


def synthetic_report(projects: int = 1000, econ: int = 5000, text_chars: int = 0) -> Report:
    """The 浏阳 sample with ``projects`` projects and ``econ`` economic-classification lines.

    ``text_chars`` > 0 gives every project a purpose and three analysis paragraphs of about that
    many characters in total (a long report for the Word export)."""
    report = sample()
    base = report.projects or [Project(name="项目")]
    out = []
    for i in range(projects):
        p = copy.deepcopy(base[i % len(base)])
        p.name = f"{p.name}{i + 1:04d}"
        amount = Decimal(10 + i % 90) + Decimal("0.25")
        p.budget_final, p.actual = amount, amount - Decimal("0.25")
        p.carryover = Decimal("0.25")
        if p.form.fiscal.budget_final is not None:      # a 自评表 其中 row stated: keep it consistent
            p.form.fiscal.budget_final, p.form.fiscal.actual = p.budget_final, p.actual
        if text_chars:
            chunk = (_PARA * (1 + text_chars // (4 * len(_PARA))))[: max(1, text_chars // 4)]
            p.purpose = p.analysis_economy = p.analysis_effectiveness = p.analysis_sustainability = chunk
        out.append(p)
    report.projects = out
    lines = report.expenditure.by_econ or [EconLine(code="30201", name="办公费", amount=Decimal("1"))]
    report.expenditure.by_econ = [
        EconLine(scope=lines[i % len(lines)].scope, code=lines[i % len(lines)].code,
                 name=f"{lines[i % len(lines)].name}{i + 1}", amount=Decimal(i % 50) + Decimal("0.10"))
        for i in range(econ)]
    return report
