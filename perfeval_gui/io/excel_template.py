"""Our own Excel data template (one sheet per block) and the export of a report into it.

Sheets: 基本信息, 收入, 支出, 项目, 功能分类, 经济分类, 三公经费, 资产, 评分表 (excel_layouts.py).
Key-value sheets: 字段 | 数值 | 说明 | 字段代码; table sheets: a header row. Every sheet states
"单位：万元" in row 2. Amounts are written as numbers with a number format showing exactly the
decimals typed (4.00 → "0.00"), so the importer gives back the same Decimal. The blank
template carries example rows marked “（示例）”, which the importer skips.
Files are written atomically (io/atomic.py). openpyxl is imported on first use.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.model import Report, ScoreNode, get_value
from ..core.money import decimals_of
from . import excel_layouts as L
from .atomic import atomic_write

UNIT_NOTE = "单位：万元"

_EXAMPLES: dict[str, list[list[Any]]] = {
    "项目": [["（示例）营商环境指标评价", "年初预算项目", Decimal("73.30"), Decimal("0.00"), Decimal("73.30"),
             Decimal("73.30"), Decimal("0.00"), None, "财政拨款", Decimal("95"), ""]],
    "功能分类": [["（示例）2013850", "事业运行", Decimal("184.90")]],
    "经济分类": [["（示例）项目支出", "30201", "办公费", Decimal("3.90")]],
    "评分表": [["", "（示例）1", 1, "", "投入", Decimal("20"), "manual", "≥", None, None, "", "", "", Decimal("19"),
               "", ""]],
}


def _num_format(value: Decimal) -> str:
    places = decimals_of(value)
    return "0" if places == 0 else "0." + "0" * places


def keep_as_text(cell) -> None:
    """Text starting with '=' stays text, never a live formula (DDE/HYPERLINK injection).

    openpyxl types such a string as a formula; every writer of a workbook calls this for text cells."""
    value = cell.value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _build(report: Report | None):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    grey = Font(color="808080")
    head_fill = PatternFill("solid", fgColor="DDEBF7")

    def put(ws, row: int, col: int, value: Any):
        cell = ws.cell(row=row, column=col)
        if isinstance(value, Decimal):
            cell.value = value
            cell.number_format = _num_format(value)
        elif value is not None:
            cell.value = value
            keep_as_text(cell)
        return cell

    wb = Workbook()
    wb.remove(wb.active)
    for name in L.TEMPLATE_SHEET_ORDER:
        ws = wb.create_sheet(name)
        ws.cell(row=1, column=1, value=name if report is None else f"{name}（{report.meta.unit_name or '本单位'}）"
                ).font = title_font
        ws.cell(row=2, column=1, value=UNIT_NOTE + ("；人数、个数填整数" if name in ("基本信息", "资产") else ""))
        if name in L.KV_SHEETS:
            for col, header in enumerate(L.KV_HEADERS, start=1):
                c = ws.cell(row=3, column=col, value=header)
                c.font, c.fill = bold, head_fill
            for i, fdef in enumerate(L.KV_SHEETS[name]):
                r = 4 + i
                ws.cell(row=r, column=1, value=fdef.label)
                if report is not None:
                    value = get_value(report, fdef.path)
                    if value not in (None, ""):
                        put(ws, r, 2, value)
                hint = fdef.hint or {"money": "万元", "count": "整数", "score": "分", "year": "四位年份",
                                     "text": "文字"}[fdef.kind]
                ws.cell(row=r, column=3, value=hint).font = grey
                ws.cell(row=r, column=4, value=fdef.path).font = grey
            ws.column_dimensions["A"].width = 26
            ws.column_dimensions["B"].width = 22
            ws.column_dimensions["C"].width = 34
            ws.column_dimensions["D"].width = 34
            ws.cell(row=2, column=4, value="字段代码供程序识别，请勿修改").font = grey
            continue
        _list_path, columns = L.TABLE_SHEETS[name]
        for col, cdef in enumerate(columns, start=1):
            c = ws.cell(row=3, column=col, value=cdef.header)
            c.font, c.fill = bold, head_fill
            c.alignment = Alignment(wrap_text=True)
            ws.column_dimensions[c.column_letter].width = 24 if cdef.kind == L.TEXT else 13
        rows = _EXAMPLES[name] if report is None else _table_rows(report, name)
        for i, values in enumerate(rows):
            for col, value in enumerate(values, start=1):
                put(ws, 4 + i, col, value)
        last = max(4 + len(rows) + 200, 300)
        if name == "项目":
            dv = DataValidation(type="list", formula1='"' + ",".join(L.PROJECT_KIND_LABELS.values()) + '"',
                                allow_blank=True)
            ws.add_data_validation(dv)
            dv.add(f"B4:B{last}")
        elif name == "经济分类":
            dv = DataValidation(type="list", formula1='"' + ",".join(L.ECON_SCOPE_LABELS.values()) + '"',
                                allow_blank=True)
            ws.add_data_validation(dv)
            dv.add(f"A4:A{last}")
        ws.freeze_panes = "A4"
    return wb


def _node_row(owner: str, n: ScoreNode) -> list[Any]:
    return [owner, n.id, n.level, n.parent_id, n.name, n.weight, n.rule, n.direction, n.target, n.achieved,
            n.unit, n.target_text, n.achieved_text, n.score_stated, n.tier, n.deviation_reason]


def _table_rows(report: Report, name: str) -> list[list[Any]]:
    if name == "项目":
        return [[p.name, L.PROJECT_KIND_LABELS.get(p.kind, p.kind), p.budget_initial, p.budget_adjustment,
                 p.budget_final, p.actual, p.carryover, p.carryover_prior, p.fund_source, p.self_score,
                 p.deviation_reason] for p in report.projects]
    if name == "功能分类":
        return [[f.code, f.name, f.amount] for f in report.expenditure.by_function]
    if name == "经济分类":
        return [[L.ECON_SCOPE_LABELS.get(e.scope, e.scope), e.code, e.name, e.amount]
                for e in report.expenditure.by_econ]
    rows = [_node_row("", n) for n in report.scoring.nodes]
    for p in report.projects:
        rows.extend(_node_row(p.name, n) for n in p.indicators)
    return rows


def _save(wb, path: Path | str) -> None:
    atomic_write(path, lambda fh: wb.save(fh))


def write_template(path: Path | str) -> None:
    """The blank data template (headers, 单位：万元, example rows marked “（示例）”)."""
    _save(_build(None), path)


def export_excel(report: Report, path: Path | str) -> None:
    """The report's figures in the template layout (re-importable with as_prior=False).

    Refuses (WriteError naming the field) what a project file could not hold either — control
    characters, lone surrogates, out-of-range figures — so the workbook always imports back."""
    from ..core.serialize import ReportDataError, validate_report
    from .atomic import WriteError
    try:
        validate_report(report)
    except (ReportDataError, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, ReportDataError) else "报告数据嵌套层数过深"
        raise WriteError(f"无法导出“{path}”：{reason}。请改正后再导出。") from None
    _save(_build(report), path)


__all__ = ["write_template", "export_excel", "keep_as_text", "UNIT_NOTE"]
