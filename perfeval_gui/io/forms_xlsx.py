"""The submission forms as one formatted workbook (``perfeval export-forms``; 文件 → 导出附表).

One sheet per form in its official layout, copied from core/forms.py's grids: merged headers, thin
borders, 宋体, numbers stored as numbers shown with two decimals (rates as percentages), text never a
formula (excel_template.keep_as_text), A4 with the orientation of the form, fitted to the page width,
the title rows repeated on every printed page. Each indicator row carries its id in a hidden column
outside the print area, so the workbook reads back exactly (io/excel_import.py). Written atomically.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..core import forms as F
from ..core.model import Report
from ..core.money import decimals_of
from . import excel_layouts as L
from .atomic import atomic_write
from .excel_template import keep_as_text

FONT = "宋体"
MAX_SHEET_NAME = 31
_FORMATS = {F.AMOUNT: "0.00", F.SCORE: "0.00", F.MEASURE: "0.00", F.RATE: "0.00%", F.COUNT: "0"}


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in '[]:*?/\\')[:MAX_SHEET_NAME] or "表"
    out, n = base, 2
    while out in used:
        suffix = f"({n})"
        out = base[:MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    used.add(out)
    return out


def _line_count(text: str, width_chars: float) -> int:
    """Printed lines of a wrapped text in a cell of ``width_chars`` (a CJK character counts 2)."""
    if not text:
        return 1
    lines = 0
    for part in str(text).split("\n"):
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in part)
        lines += max(1, -(-units // max(int(width_chars * 1.0), 1)))
    return lines


def write_grid(wb, grid: F.FormGrid, used: set[str]) -> str:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws = wb.create_sheet(_sheet_name(grid.sheet_name, used))
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fonts = {F.TITLE: Font(name=FONT, size=16, bold=True), F.HEADER: Font(name=FONT, size=10.5, bold=True),
             F.NOTE: Font(name=FONT, size=10)}
    body = Font(name=FONT, size=10.5)
    print_cols = grid.n_cols
    for c, width in enumerate(grid.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    heights: dict[int, float] = {}
    for (r, c), cell in sorted(grid.cells.items()):
        xc = ws.cell(row=r, column=c)
        value = cell.value
        if isinstance(value, Decimal):
            xc.value = value / 100 if cell.kind == F.RATE else value
            xc.number_format = _FORMATS.get(cell.kind, "0.00")
        elif isinstance(value, int) and not isinstance(value, bool):
            xc.value = value
            xc.number_format = "0"
        elif value not in (None, ""):
            xc.value = str(value)
            keep_as_text(xc)
        xc.font = fonts.get(cell.kind, body)
        numeric = cell.kind in F.NUMERIC and value is not None and not isinstance(value, str)
        horizontal = cell.align or ("right" if numeric else "center" if cell.kind in (F.TITLE, F.HEADER) else
                                    "left" if cell.kind in (F.TEXT, F.NOTE) else "center")
        xc.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if cell.rows > 1 or cell.cols > 1:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + cell.rows - 1, end_column=c + cell.cols - 1)
        if isinstance(value, str) and cell.rows == 1 and c <= print_cols:
            width = sum(grid.widths[c - 1:c - 1 + cell.cols])
            heights[r] = max(heights.get(r, 15.0), 14.5 * _line_count(value, width) + 3)
    # every cell of the table body is ruled, empty ones too (the official forms are fully ruled)
    for r in range(grid.table_from, grid.n_rows + 1):
        first = grid.cells.get((r, 1))
        if first is not None and first.kind == F.NOTE:
            continue
        for c in range(1, print_cols + 1):
            ws.cell(row=r, column=c).border = border
    for r in range(1, grid.n_rows + 1):
        h = max(heights.get(r, 0), grid.row_heights.get(r, 0))
        if r == 1:
            h = max(h, 30)
        if h:
            ws.row_dimensions[r].height = h
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = "landscape" if grid.landscape else "portrait"
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = f"1:{grid.header_rows}"
    ws.print_area = f"A1:{get_column_letter(print_cols)}{grid.n_rows}"
    ws.sheet_view.showGridLines = False
    return ws.title


def build_workbook(report: Report, include: tuple[str, ...] | None = None):
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = {CODE_SHEET}
    entries: list[tuple] = []
    for grid in F.form_grids(report, include):
        title = write_grid(wb, grid, used)
        for (r, c), cell in sorted(grid.cells.items()):
            if cell.path and (cell.field or cell.value in (None, "")):
                places = decimals_of(cell.value) if isinstance(cell.value, Decimal) else None
                entries.append((title, f"{get_column_letter(c)}{r}", F.keyed_path(report, cell.path), cell.prefix,
                                places))
    if not wb.worksheets:
        wb.create_sheet("说明").cell(row=1, column=1, value="本报告的规则配置不包含任何附表。")
    entries += _structure(report, include)
    _code_sheet(wb, entries)
    return wb


# facts the forms do not print but need to be read back into another report: the indicator trees
_NODE_FACTS = ("id", "level", "parent_id", "name", "rule", "direction", "unit", "target", "achieved", "tier")


def _structure(report: Report, include: tuple[str, ...] | None) -> list[tuple]:
    include = F.forms_for(report) if include is None else include
    out: list[tuple] = []
    if report.meta.fiscal_year is not None:
        out.append(("", "", "meta.fiscal_year", "", None, report.meta.fiscal_year))
    trees = []
    if "dept_form" in include:
        trees.append(("scoring.nodes", report.scoring.nodes))
    if "project_form" in include:
        trees += [(f"projects[{i}].indicators", p.indicators) for i, p in enumerate(report.projects)]
    default = F.ScoreNode()
    for prefix, nodes in trees:
        parents = {n.parent_id for n in nodes if n.parent_id}
        for k, node in enumerate(nodes):
            # a parent's 分值/得分 are not printed (the forms list leaves), a leaf's are (its cells map them)
            facts = _NODE_FACTS + (("weight", "score_stated") if node.id in parents else ())
            for attr in facts:
                value = getattr(node, attr)
                if value in (None, "") or (attr != "id" and value == getattr(default, attr)):
                    continue
                places = decimals_of(value) if isinstance(value, Decimal) else None
                out.append(("", "", F.keyed_path(report, f"{prefix}[{k}].{attr}"), "", places,
                            format(value, "f") if isinstance(value, Decimal) else value))
    return out


CODE_SHEET = L.FORMS_CODE_SHEET
CODE_HEADERS = L.FORMS_CODE_HEADERS


def _code_sheet(wb, entries) -> None:
    """A hidden sheet naming the field of every value cell: the workbook reads back exactly, and a value
    typed into an empty cell in Excel lands in its field. Hidden sheets are not printed."""
    ws = wb.create_sheet(CODE_SHEET)
    ws.sheet_state = "hidden"
    for c, head in enumerate(CODE_HEADERS, start=1):
        ws.cell(row=1, column=c, value=head)
    for r, entry in enumerate(entries, start=2):
        for c, value in enumerate(entry, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            keep_as_text(cell)


def export_forms(report: Report, path: Path | str, include: tuple[str, ...] | None = None) -> None:
    """Write the report's forms (those of its rule profile unless ``include`` says) to ``path``."""
    wb = build_workbook(report, include)
    atomic_write(path, lambda fh: wb.save(fh))


__all__ = ["export_forms", "build_workbook"]
