"""The submission forms as Word appendices (附件1, 附件2 …) after the report, in io/layout.py blocks.

The content comes from core/forms.py's grids (the same cells the workbook prints). io/docx_export.py
is not changed: :func:`layout_with_forms` builds the report's layout and appends the appendices, and
``export_docx(report, path, layout=...)`` writes it; ``perfeval export R.pefx -o R.docx --forms`` does
exactly that. Each appendix starts on a new page: label 附件N (黑体, as 附相关评分), the form's title
centred, the table with merged headers (column spans, vertical merges), 五号 text.
"""
from __future__ import annotations

from ..core import forms as F
from ..core.model import Report
from . import docx_style as S
from .layout import Cell, Heading, Layout, Para, Table, build_layout, clean_text, column_widths

_ALIGN = {F.AMOUNT: "right", F.SCORE: "right", F.RATE: "right", F.COUNT: "right", F.MEASURE: "right",
          F.HEADER: "center", F.LABEL: "left", F.TEXT: "left", F.NOTE: "left"}


def _table(grid: F.FormGrid, number: int) -> Table:
    """The grid below its title and unit lines as one table; merged cells as spans / vertical merges."""
    cols = grid.n_cols
    first = grid.table_from
    covered: dict[tuple[int, int], tuple[int, int]] = {}      # (row, col) → the merge's top-left
    for (r, c), cell in grid.cells.items():
        for rr in range(r, r + cell.rows):
            for cc in range(c, c + cell.cols):
                if (rr, cc) != (r, c):
                    covered[(rr, cc)] = (r, c)
    rows: list[list[Cell]] = []
    last = max((r for (r, c), cell in grid.cells.items() if cell.kind != F.NOTE), default=first)
    for r in range(first, last + 1):
        line: list[Cell] = []
        c = 1
        while c <= cols:
            cell = grid.cells.get((r, c))
            top = covered.get((r, c))
            if cell is not None:
                text = clean_text(F.display(cell))
                merge = "restart" if cell.rows > 1 else ""
                line.append(Cell(text, None, cell.align or _ALIGN.get(cell.kind, "left"), span=cell.cols,
                                 merge=merge, bold=False))
                c += cell.cols
            elif top is not None and top[0] < r:             # below a vertically merged cell
                span = grid.cells[top].cols
                line.append(Cell("", None, "center", span=span, merge="continue"))
                c += span
            else:
                line.append(Cell("", None, "left"))
                c += 1
        rows.append(line)
    header, body = rows[0], rows[1:]
    # a column holding only figures is as wide as its longest figure (never wrapped); the others share the rest
    numeric = [True] * cols
    for (r, c), cell in grid.cells.items():
        if r > first and cell.cols == 1 and cell.kind not in F.NUMERIC and F.display(cell) not in ("", "—"):
            numeric[c - 1] = False
    widths = column_widths([""] * cols, body, [not n for n in numeric], em=S.SIZE_TABLE_SMALL * 10)
    notes = [F.display(c) for (r, _), c in sorted(grid.cells.items()) if r == 2 and c.kind == F.NOTE]
    unit = "　".join(clean_text(n) for n in notes if n.startswith("单位"))
    return Table(number, clean_text(grid.title), widths, header, body, unit=unit, font_size=S.SIZE_TABLE_SMALL)


def appendix_blocks(report: Report, first_number: int = 1, first_table: int = 1) -> list:
    """附件N heading, the form's title and unit line, and its table, for every form of the report."""
    out: list = []
    for k, grid in enumerate(F.form_grids(report)):
        out.append(Heading(f"附件{first_number + k}", 1, page_break_before=True, numbered=False))
        unit_line = next((F.display(c) for (r, _), c in sorted(grid.cells.items())
                          if r == 2 and c.kind == F.NOTE and not F.display(c).startswith("单位")), "")
        if unit_line:       # 单位名称：… (the 基础数据表's line above the table)
            out.append(Para(clean_text(unit_line), kind="plain", align="left", keep_next=True))
        out.append(_table(grid, first_table + k))
    return out


def layout_with_forms(report: Report, draft_errors: int | None = None) -> Layout:
    """The report's layout with the forms appended as 附件1, 附件2 … (numbered after its own tables)."""
    layout = build_layout(report, draft_errors)
    tables = sum(1 for b in layout.blocks if isinstance(b, Table))
    layout.blocks += appendix_blocks(report, 1, tables + 1)
    return layout


__all__ = ["appendix_blocks", "layout_with_forms"]
