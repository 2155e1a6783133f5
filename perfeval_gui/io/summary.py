"""Reviewer summary of many reports: ``perfeval check … --summary 汇总.xlsx`` and 文件 → 批量检查….

One workbook, two sheets:

* 汇总 — one row per report: 单位, 年度, 模板, 自评得分, 等级, 执行率, 错误数, 警告数, 已说明的警告数,
  第一个错误, 文件 — an Excel table (sortable, filterable) with its header row frozen;
* 问题清单 — every finding: 单位, 规则, 级别, 位置, 说明, 单位的说明, 文件 — also a table.

Every figure comes from core/derived and the rule engine; text that starts with '=' is written as text
(excel_template.keep_as_text). Written with openpyxl's write-only mode, atomically.
"""
from __future__ import annotations

import warnings
from dataclasses import field
from decimal import Decimal
from pathlib import Path
from collections.abc import Callable, Iterable

from ..core.records import record
from ..core import derived
from ..core.findings import Finding, Severity
from ..core.model import Report
from ..core.template import get_template

SUMMARY_SHEET, FINDINGS_SHEET = "汇总", "问题清单"
SUMMARY_HEADERS = ("单位", "年度", "模板", "自评得分", "等级", "执行率", "错误数", "警告数", "已说明的警告数",
                   "第一个错误", "文件")
FINDINGS_HEADERS = ("单位", "规则", "级别", "位置", "说明", "单位的说明", "文件")
_WIDTHS_SUMMARY = (30, 8, 16, 10, 6, 10, 8, 8, 14, 60, 30)
_WIDTHS_FINDINGS = (30, 9, 6, 26, 80, 40, 30)


@record
class ReportRow:
    """One report of the batch; ``read_error`` set when the file could not be read."""
    file: str
    unit: str = ""
    year: int | None = None
    template: str = ""              # the template's Chinese name
    template_id: str = "hunan9"
    score: Decimal | None = None
    grade: str = ""
    exec_rate: Decimal | None = None
    errors: int | None = None
    warnings: int | None = None
    acknowledged_warnings: int | None = None
    first_error: str = ""
    findings: list[Finding] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)     # one per finding
    read_error: str = ""


def report_row(file: str, report: Report, checker) -> ReportRow:
    """The summary row of a checked report (``checker``: a core.engine.Checker that ran check_all)."""
    findings = checker.findings
    summary = checker.summary()
    score = derived.self_score(report)
    first = next((f for f in findings if f.severity is Severity.ERROR), None)
    return ReportRow(
        file=file, unit=report.meta.unit_name, year=report.meta.fiscal_year,
        template=get_template(report.meta.template).name, template_id=report.meta.template, score=score,
        grade=derived.grade_for(score, checker.profile.get("grades")),
        exec_rate=derived.exec_rate(report), errors=summary.errors, warnings=summary.warnings,
        acknowledged_warnings=sum(1 for f in findings if f.severity is Severity.WARNING and f.note is not None),
        first_error=f"{first.rule_id} {first.message}" if first else "", findings=list(findings),
        locations=[location(f, report) for f in findings])


def unreadable_row(file: str, message: str) -> ReportRow:
    return ReportRow(file=file, read_error=message, first_error=f"无法读取：{message}")


def summarise_file(path: str | Path) -> ReportRow:
    """Load and check one .pefx; an unreadable file gives a row that says why."""
    from ..core.engine import Checker
    from .project_file import ProjectFileError, load_project

    name = str(path)
    try:
        report = load_project(path)
    except ProjectFileError as exc:
        return unreadable_row(name, str(exc))
    checker = Checker(report)
    checker.check_all()
    return report_row(name, report, checker)


def summarise_files(paths: Iterable[str | Path], progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> list[ReportRow]:
    """Rows for ``paths`` in order; ``progress(done, total)`` after each; stops early when ``cancelled()``."""
    paths = list(paths)
    rows = []
    for i, path in enumerate(paths):
        if cancelled is not None and cancelled():
            break
        rows.append(summarise_file(path))
        if progress is not None:
            progress(i + 1, len(paths))
    return rows


def location(finding: Finding, report: Report) -> str:
    """Where a finding points, as the officer names it: '第二部分：支出合计' (core/fields.field_label)."""
    from ..core.fields import field_label
    from ..core.template import section_of_path
    if not finding.paths:
        return f"第{finding.section}部分" if finding.section else ""
    path = finding.paths[0]
    section = finding.section or section_of_path(path, report.meta.template)
    label = field_label(path, report)
    return f"第{section}部分：{label}" if section else label


_LEVEL = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


def write_summary(rows: list[ReportRow], path: str | Path) -> None:
    """Write the reviewer workbook (atomically). Raises io.atomic.WriteError (Chinese message)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    from .atomic import atomic_write
    from .excel_template import keep_as_text

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    # built inside the atomic write: a write-only workbook streams its rows while it is saved

    def sheet(title: str, table_name: str, headers, widths, data_rows, formats) -> None:
        ws = wb.create_sheet(title)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        head = []
        for h in headers:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            head.append(c)
        ws.append(head)
        count = 0
        for values in data_rows:
            out = []
            for col, value in enumerate(values):
                if isinstance(value, str):
                    c = WriteOnlyCell(ws, value=value)
                    keep_as_text(c)
                    out.append(c)
                elif value is None:
                    out.append(None)
                elif formats[col]:
                    c = WriteOnlyCell(ws, value=value)
                    c.number_format = formats[col]
                    out.append(c)
                else:
                    out.append(value)
            ws.append(out)
            count += 1
        if count == 0:        # a table needs a data row; an empty sheet keeps just its header
            return
        ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
        # write-only sheets cannot read the header back: name the columns and the filter here
        table = Table(displayName=table_name, ref=ref, autoFilter=AutoFilter(ref=ref),
                      tableColumns=[TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)])
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)     # "must add table columns manually": done above
            ws.add_table(table)

    def summary_values():
        for r in rows:
            yield (r.unit, r.year, r.template, r.score, r.grade, r.exec_rate, r.errors, r.warnings,
                   r.acknowledged_warnings, r.first_error, r.file)

    def finding_values():
        for r in rows:
            for f, where in zip(r.findings, r.locations):
                yield (r.unit, f.rule_id, _LEVEL[f.severity], where, f.message,
                       f.note if f.note is not None else "", r.file)

    def write(fh) -> None:
        sheet(SUMMARY_SHEET, "Reports", SUMMARY_HEADERS, _WIDTHS_SUMMARY, summary_values(),
              (None, "0", None, "0.##", None, "0.00%", "0", "0", "0", None, None))
        sheet(FINDINGS_SHEET, "Findings", FINDINGS_HEADERS, _WIDTHS_FINDINGS, finding_values(), (None,) * 7)
        wb.save(fh)

    atomic_write(path, write)
