"""Excel import, step 2: sheets and cells — openpyxl (read-only) / xlrd behind one small interface, and
the conversion of a cell to a figure (units, number formats, typed decimals). No Qt."""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator, Sequence

from ..core.records import record
from ..core.imports import ImportedValue
from ..core.money import decimals_of, yuan_to_wan
from ..core.numbers import (NumberParseError, normalise_text, parse_amount, parse_count,
                            parse_score, storable_problem)
from . import excel_layouts as L
from .excel_safety import DETECT_ROWS, ExcelImportError, _EXCEL_ERRORS, _UNIT_RE, check_file

@record
class ImportResult:
    """What reading a workbook gave: the recognised layout's name, imported values, Chinese warnings, file name."""
    layout_name: str
    values: list[ImportedValue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file: str = ""


@record
class SheetPreview:
    """The first cells of one sheet as text (the import dialog's mapping step), with its name and hidden flag."""
    name: str
    hidden: bool
    rows: list[list[str]]



# ====================================================================== sheet access
class _XCell:
    __slots__ = ("value", "number_format")

    def __init__(self, value: Any, number_format: str = "General") -> None:
        self.value = value
        self.number_format = number_format


@record
class _Sheet:
    """A sheet behind the openpyxl/xlrd interface: name, hidden flag, last row (if known), rows, formula cells."""
    name: str
    hidden: bool
    max_row: int | None
    rows: Callable[[], Iterator[Sequence[Any]]]       # each row: cells with .value/.number_format
    formula_cells: Callable[[], set[str]] | None = None


class _Book:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.info = check_file(path)
        self._wb = None
        self._xls = None
        self._formula_wb = None
        if self.info.kind == "xlsx":
            self._open_xlsx()
        else:
            self._open_xls()

    # ------------------------------------------------------------ xlsx
    def _open_xlsx(self) -> None:
        import openpyxl
        try:
            self._wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # noqa: BLE001 - any parser failure becomes a Chinese message
            raise _translate(exc, self.path.name) from None

    def _open_xls(self) -> None:
        import xlrd
        try:
            self._xls = xlrd.open_workbook(str(self.path), formatting_info=True, on_demand=True)
        except Exception as exc:  # noqa: BLE001
            try:
                self._xls = xlrd.open_workbook(str(self.path), on_demand=True)
            except Exception:  # noqa: BLE001
                raise ExcelImportError(
                    f"“{self.path.name}”无法作为 .xls 工作簿读取（{_short(exc)}）。"
                    "文件可能已损坏或加密；请在 Excel/WPS 中打开后另存为 .xlsx 再导入。") from None

    def sheets(self) -> list[_Sheet]:
        if self._wb is not None:
            return [self._xlsx_sheet(ws) for ws in self._wb.worksheets]
        return [self._xls_sheet(i) for i in range(self._xls.nsheets)]

    def _xlsx_sheet(self, ws) -> _Sheet:
        part = getattr(ws, "_worksheet_path", "").lstrip("/")
        # not ws.max_row: without a <dimension> element openpyxl parses the whole sheet for it
        max_row = self.info.dimensions.get(part)

        def rows():
            try:
                yield from ws.iter_rows()
            except Exception as exc:  # noqa: BLE001
                raise _translate(exc, self.path.name, ws.title) from None

        formula = None
        if part in self.info.formula_parts:
            formula = lambda: self._formula_coords(ws.title)  # noqa: E731
        return _Sheet(ws.title, ws.sheet_state != "visible", max_row, rows, formula)

    def _formula_coords(self, title: str) -> set[str]:
        """Cells holding formulas (second pass, only for sheets that contain formulas)."""
        import openpyxl
        if self._formula_wb is None:
            self._formula_wb = openpyxl.load_workbook(self.path, read_only=True, data_only=False,
                                                      keep_links=False)
        coords = set()
        try:
            for row in self._formula_wb[title].iter_rows():
                for cell in row:
                    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                        coords.add(cell.coordinate)
        except Exception as exc:  # noqa: BLE001
            raise _translate(exc, self.path.name, title) from None
        return coords

    # ------------------------------------------------------------ xls
    def _xls_sheet(self, index: int) -> _Sheet:
        book = self._xls
        try:
            sh = book.sheet_by_index(index)
        except Exception as exc:  # noqa: BLE001
            raise ExcelImportError(f"“{self.path.name}”第 {index + 1} 个工作表无法读取（{_short(exc)}）。") from None
        formats: dict[int, str] = {}
        if book.formatting_info:
            for xf_index, xf in enumerate(book.xf_list):
                fmt = book.format_map.get(xf.format_key)
                formats[xf_index] = fmt.format_str if fmt is not None else "General"

        def rows():
            import xlrd
            for r in range(sh.nrows):
                out = []
                for c in range(sh.ncols):
                    ctype = sh.cell_type(r, c)
                    value = sh.cell_value(r, c)
                    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        value = None
                    elif ctype == xlrd.XL_CELL_DATE:
                        try:
                            value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                        except Exception:  # noqa: BLE001
                            pass
                    elif ctype == xlrd.XL_CELL_ERROR:
                        value = xlrd.error_text_from_code.get(value, "#VALUE!")
                    elif ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(value)
                    fmt = formats.get(sh.cell_xf_index(r, c), "General") if formats else "General"
                    out.append(_XCell(value, fmt))
                yield out

        return _Sheet(sh.name, getattr(sh, "visibility", 0) != 0, sh.nrows, rows)

    def close(self) -> None:
        for wb in (self._wb, self._formula_wb):
            if wb is not None:
                try:
                    wb.close()
                except Exception:  # noqa: BLE001
                    pass
        if self._xls is not None:
            try:
                self._xls.release_resources()
            except Exception:  # noqa: BLE001
                pass


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 120 else text[:120] + "…"


def _translate(exc: BaseException, name: str, sheet: str = "") -> ExcelImportError:
    where = f"“{name}”" + (f"的工作表“{sheet}”" if sheet else "")
    kind = type(exc).__name__
    if isinstance(exc, ExcelImportError):
        return exc
    if "Entities" in kind or "DTD" in kind or "ExternalReference" in kind or "NotSupported" in kind:
        return ExcelImportError(f"{where}含有 XML 实体/DTD 声明，可能是恶意构造的文件，已拒绝读取。")
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return ExcelImportError(f"{where}已损坏或不完整（{_short(exc)}），无法读取。请重新获取该文件。")
    if isinstance(exc, KeyError):
        return ExcelImportError(f"{where}缺少必要的组成部分（{_short(exc)}），不是完整的 Excel 工作簿。")
    if isinstance(exc, MemoryError):
        return ExcelImportError(f"{where}过大，内存不足，无法读取。")
    return ExcelImportError(f"{where}无法读取：{_short(exc)}（{kind}）")


# ====================================================================== cell conversion
_FMT_CACHE: dict[str, int | None] = {}


def _format_places(fmt: str | None) -> int | None:
    """Decimals shown by a number format ('0.00' → 2, '#,##0' → 0); None for General/text."""
    if not fmt:
        return None
    cached = _FMT_CACHE.get(fmt, -1)
    if cached != -1:
        return cached
    first = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt.split(";")[0])
    places: int | None
    m = re.search(r"[0#?]\.([0#?]+)", first)
    if m:
        places = len(m.group(1))
    elif re.search(r"[0#?]", first) and "General" not in fmt:
        places = 0
    else:
        places = None
    _FMT_CACHE[fmt] = places
    return places


def col_letter(index: int) -> str:
    """1 → 'A', 27 → 'AA'."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_coord(coord: str) -> tuple[int, int]:
    """'C7' → (row 7, column 3). Raises ValueError."""
    m = re.fullmatch(r"\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})\s*", coord or "")
    if not m:
        raise ValueError(coord)
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def cell_text(value: Any) -> str:
    """Display text of a raw cell value (previews, labels)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


class _Reader:
    """Per-sheet conversion context: unit, warnings, formula cells."""

    def __init__(self, result: ImportResult, sheet: _Sheet, unit: str = "万元") -> None:
        self.result = result
        self.sheet = sheet
        self.unit = unit
        self._formulas: set[str] | None = None
        self._formats: dict[Any, str | None] = {}     # style id → number format (read-only cells)

    def where(self, row: int, col: int) -> str:
        return f"工作表“{self.sheet.name}”{col_letter(col)}{row}"

    def warn(self, text: str) -> None:
        self.result.warnings.append(text)

    def _is_formula(self, row: int, col: int) -> bool:
        if self.sheet.formula_cells is None:
            return False
        if self._formulas is None:
            self._formulas = self.sheet.formula_cells()
        return f"{col_letter(col)}{row}" in self._formulas

    def value(self, cell: Any, row: int, col: int, kind: str) -> Any:
        """Converted value of one cell, or None (blank / not readable → warning).

        The common cases (a number or a text in the cell) are tested first by exact type: this
        runs once per imported cell, 3 million times for a 200,000-row workbook.
        """
        return self.convert(cell.value if cell is not None else None, cell, row, col, kind)

    def convert(self, raw: Any, cell: Any, row: int, col: int, kind: str) -> Any:
        """``value`` for a cell whose value the caller has already read (``raw``)."""
        if raw is None:
            if cell is not None and self._is_formula(row, col):
                self.warn(f"{self.where(row, col)}：公式没有保存计算结果（文件可能由程序生成、未在 Excel/WPS 中"
                          "打开保存过），此格未导入。请在 Excel/WPS 中打开并保存后再导入，或手工填写。")
            return None
        cls = raw.__class__
        if kind == L.TEXT:
            return raw.strip() if cls is str else cell_text(raw)
        if cls is float or cls is int:
            return self._stored_number(cell, raw, row, col, kind)
        if cls is str:
            if raw.strip() in _EXCEL_ERRORS:
                self.warn(f"{self.where(row, col)}：公式计算出错（{raw.strip()}），此格未导入。")
                return None
        elif isinstance(raw, (datetime, date)):
            self.warn(f"{self.where(row, col)}：这里应是数字，单元格却是日期“{cell_text(raw)}”，此格未导入。")
            return None
        elif isinstance(raw, bool):
            self.warn(f"{self.where(row, col)}：这里应是数字，单元格却是“{cell_text(raw)}”，此格未导入。")
            return None
        elif isinstance(raw, (int, float)):
            return self._stored_number(cell, raw, row, col, kind)
        return self._parse(raw, row, col, kind)

    def _number_format(self, cell: Any) -> str | None:
        """The cell's number format, looked up once per style: an openpyxl read-only cell resolves it
        through the workbook's style tables at every access, and every imported number needs it."""
        style = getattr(cell, "_style_id", None)
        if style is None:
            return getattr(cell, "number_format", None)
        try:
            return self._formats[style]
        except KeyError:
            fmt = self._formats[style] = getattr(cell, "number_format", None)
            return fmt

    def _stored_number(self, cell: Any, raw: int | float, row: int, col: int, kind: str) -> Any:
        number = _number_decimal(raw, self._number_format(cell))
        if kind != L.MONEY:
            return self._parse(number, row, col, kind)
        # a stored number: no text to parse, only the unit
        value = yuan_to_wan(number) if self.unit == "元" else number
        # what a project file can hold (core/numbers.storable_problem): no NaN/1E999, no 1e+19 / 1e-300
        if storable_problem(value) is None:
            return value
        self.warn(f"{self.where(row, col)}：这里应是金额，单元格中的数“{cell_text(raw)}”"
                  "不是有限数字或位数过多，此格未导入。")
        return None

    def _parse(self, raw: Any, row: int, col: int, kind: str) -> Any:
        try:
            if kind == L.MONEY:
                return parse_amount(raw, default_unit=self.unit)
            if kind in (L.COUNT, L.YEAR):
                return parse_count(raw)
            if kind == L.SCORE:
                return parse_score(raw)
        except NumberParseError as exc:
            self.warn(f"{self.where(row, col)}：这里应是数字，{exc}，此格未导入。")
            return None
        return raw


_QUANTUM = [Decimal(1).scaleb(-p) for p in range(40)]


def _number_decimal(raw: int | float, fmt: str | None) -> Decimal:
    """An Excel number as Decimal: repr() of the double, typed zeros restored from the format."""
    if isinstance(raw, int):
        value = Decimal(raw)
    else:
        if raw != raw or raw in (float("inf"), float("-inf")):
            return Decimal("NaN")  # a hostile <v>1E999</v>: the parser refuses it (warning), never 0
        value = Decimal(repr(raw))
    places = _format_places(fmt)
    if places is None:
        if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
            value = Decimal(int(raw))
    elif decimals_of(value) < places and value.adjusted() + places < 27:   # else InvalidOperation
        value = value.quantize(_QUANTUM[places] if places < 40 else Decimal(1).scaleb(-places))
    elif places == 0 and isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        value = Decimal(int(raw))
    return value


def detect_unit(rows: Sequence[Sequence[Any]], default: str = "万元") -> str:
    """'单位：元' / '金额单位：元' / '（万元）' in the first rows → unit of the sheet's amounts."""
    for row in rows[:DETECT_ROWS]:
        for cell in row:
            v = cell.value if cell is not None else None
            if isinstance(v, str):
                m = _UNIT_RE.search(normalise_text(v).replace(" ", ""))
                if m:
                    return m.group(1)
    return default
