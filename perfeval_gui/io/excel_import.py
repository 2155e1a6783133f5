"""Excel import: figures from our template, a 项目支出绩效自评表 or a 收入支出决算总表.

No Qt. openpyxl/xlrd are imported lazily (start-up time).

Reading order for a file:
1. :func:`check_file` looks at the bytes before any parser sees them: not a zip, truncated
   zip, Word/PowerPoint zip, encrypted (OLE2 with an EncryptionInfo stream), a real .xls
   renamed .xlsx (→ xlrd), declared uncompressed sizes (zip bomb), DTD/entity declarations
   in any XML part (entity-expansion bombs), and it finds which worksheets contain formulas.
   The worksheets are streamed once here, which also verifies their CRC.
2. openpyxl ``read_only=True, data_only=True`` streams rows (defusedxml is active when
   installed; the DTD pre-scan makes the refusal independent of that). Legacy .xls → xlrd.
3. The layout is recognised by header text (see excel_layouts.py); values go through
   core/numbers (parse_amount/parse_count/parse_score/parse_measure) with the sheet's unit
   ("单位：元" → 万元 exactly via yuan_to_wan). Floats become ``Decimal(repr(f))``; a cell's
   number format restores typed trailing zeros (4.00 stays 4.00).
4. A formula without a cached value → a warning naming the cell (never 0/empty).

Merged cells: read-only mode does not expose merged ranges. A merged header is its text in
the top-left cell; labels merged down a column (一级/二级指标) are carried down. Hidden sheets
are skipped with a warning (external layouts) — hidden rows cannot be seen in read-only mode
and are read like visible rows.
"""
from __future__ import annotations

import gc
import re
import stat
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..core import fields
from ..core.imports import ImportedValue
from ..core.model import MAX_SCORE_LEVELS, EconLine, FunctionLine, Project, ScoreNode
from ..core.money import decimals_of, yuan_to_wan
from ..core.numbers import (NumberParseError, normalise_text, parse_amount, parse_count,
                            parse_measure, parse_score, storable_problem)
from . import excel_layouts as L

OLE2_MAGIC = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
MAX_UNCOMPRESSED = 500 * 1024 * 1024     # Σ declared sizes of all parts
MAX_RATIO = 500                          # per part, for parts above RATIO_MIN_SIZE
RATIO_MIN_SIZE = 50 * 1024 * 1024
MAX_OLE_BYTES = 200 * 1024 * 1024
# per worksheet. A department's tables have hundreds of rows; 300,000 leaves room for a 200,000-row
# template (the benchmark) while a 1,000,000-row sheet is refused in seconds instead of read for minutes.
MAX_SHEET_ROWS = 300_000
MAX_SHEET_CELLS = 6_000_000              # a 200,000-row template sheet has ~3 million
PROGRESS_EVERY = 1000
DETECT_ROWS = 40

_SCAN_RE = re.compile(rb"<!DOCTYPE|<!ENTITY|<(?:[A-Za-z_][\w.-]*:)?f[\s>/]", re.IGNORECASE)
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+(\d+)(?::[A-Z]+(\d+))?"')
_DTD_RE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ROW_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_CELL_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_UNIT_RE = re.compile(r"单位[：:]\s*(万元|元)")
_EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA"}


class ExcelImportError(Exception):
    """A workbook cannot be read; ``str()`` is the Chinese message (file, sheet, cell)."""

    def __init__(self, message: str, *, unrecognised: bool = False) -> None:
        super().__init__(message)
        self.unrecognised = unrecognised


class ImportCancelled(Exception):
    """The officer pressed 取消 while a big workbook was being read."""


@dataclass
class ImportResult:
    layout_name: str
    values: list[ImportedValue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file: str = ""


@dataclass
class SheetPreview:
    name: str
    hidden: bool
    rows: list[list[str]]


# ====================================================================== file checks
@dataclass
class _FileInfo:
    kind: str                         # 'xlsx' | 'xls'
    formula_parts: set[str] = field(default_factory=set)
    dimensions: dict[str, int] = field(default_factory=dict)   # worksheet part → last row


def check_file(path: Path | str) -> _FileInfo:
    """Refuse anything that is not a sane Excel workbook before a parser sees it."""
    path = Path(path)
    name = path.name
    try:
        st = path.stat()
        size = st.st_size
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(st.st_mode):      # a FIFO would block, a device never end
            raise ExcelImportError(f"“{path}”不是普通文件（是设备、管道或套接字），不是 Excel 文件。")
        with open(path, "rb") as fh:
            head = fh.read(8)
    except ExcelImportError:
        raise
    except FileNotFoundError:
        raise ExcelImportError(f"找不到文件“{path}”。") from None
    except IsADirectoryError:
        raise ExcelImportError(f"“{path}”是文件夹，不是 Excel 文件。") from None
    except OSError as exc:
        from .atomic import describe_os_error
        raise ExcelImportError(describe_os_error(exc, path, "读取")) from None
    if size == 0:
        raise ExcelImportError(f"“{name}”是空文件，不是 Excel 工作簿。")
    if head == OLE2_MAGIC:
        if size > MAX_OLE_BYTES:
            raise ExcelImportError(f"“{name}”有 {size // 2**20} MB，过大，无法作为 .xls 读取。")
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise ExcelImportError(
                f"“{name}”设置了打开密码（文件已加密），无法读取。"
                "请在 Excel/WPS 中打开，取消密码后另存为 .xlsx，再导入。")
        return _FileInfo("xls")
    if head[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
        low = head.lower()
        if low.startswith((b"<html", b"<?xml", b"<!doc", b"<table")) or b"<" in head[:2]:
            raise ExcelImportError(
                f"“{name}”是网页/XML 文本，不是真正的 Excel 工作簿（常见于系统导出的“假 .xls”）。"
                "请在 Excel/WPS 中打开后另存为 .xlsx，再导入。")
        raise ExcelImportError(f"“{name}”不是 Excel 工作簿（.xlsx/.xlsm/.xls），无法导入。")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise ExcelImportError(
            f"“{name}”已损坏或不完整（压缩包结构无法读取），可能是下载或复制没有完成。"
            "请重新获取该文件。") from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            if "word/document.xml" in names:
                raise ExcelImportError(f"“{name}”是 Word 文档（.docx），不是 Excel 工作簿。")
            if "ppt/presentation.xml" in names:
                raise ExcelImportError(f"“{name}”是 PowerPoint 演示文稿，不是 Excel 工作簿。")
            raise ExcelImportError(f"“{name}”不是 Excel 工作簿（缺少 xl/workbook.xml）。")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise ExcelImportError(
                f"“{name}”解压后声称有 {total // 2**20} MB，远超正常报表（上限 {MAX_UNCOMPRESSED // 2**20} MB），"
                "可能是恶意构造的压缩包，已拒绝读取。")
        for info in infos:
            if info.flag_bits & 0x1:
                raise ExcelImportError(f"“{name}”中的“{info.filename}”已加密，无法读取。")
            if (info.file_size > RATIO_MIN_SIZE and info.compress_size
                    and info.file_size / info.compress_size > MAX_RATIO):
                raise ExcelImportError(
                    f"“{name}”中的“{info.filename}”压缩比异常（{info.file_size // info.compress_size} 倍），"
                    "可能是恶意构造的压缩包，已拒绝读取。")
        formula_parts: set[str] = set()
        dimensions: dict[str, int] = {}
        for info in infos:
            fname = info.filename
            if not fname.lower().endswith((".xml", ".rels", ".vml")):
                continue
            is_sheet = fname.startswith("xl/worksheets/")
            try:
                found = _scan_part(zf, info, is_sheet)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                raise ExcelImportError(
                    f"“{name}”已损坏（“{fname}”校验失败或数据不完整），无法读取。请重新获取该文件。") from None
            if "dtd" in found:
                raise ExcelImportError(
                    f"“{name}”的“{fname}”含有 XML 实体/DTD 声明，正常的 Excel 文件不会有，"
                    "可能是恶意构造的文件（实体膨胀攻击），已拒绝读取。")
            if "long_text" in found:
                raise ExcelImportError(
                    f"“{name}”的“{fname}”含有超过 1 MB 的连续文字，正常的 Excel 文件不会有，"
                    "可能是恶意构造的文件，已拒绝读取。")
            if "too_big" in found:
                raise ExcelImportError(
                    f"“{name}”的“{fname}”超过 {MAX_SHEET_ROWS} 行或 {MAX_SHEET_CELLS} 个单元格，"
                    "远大于任何部门报表，无法在合理时间内读取，已拒绝导入。"
                    "请只保留需要导入的表格（另存为新的工作簿）后再导入。")
            if "f" in found:
                formula_parts.add(fname)
            if is_sheet:
                try:
                    with zf.open(info) as fh:
                        m = _DIMENSION_RE.search(fh.read(4096))
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                    m = None
                if m:
                    dimensions[fname] = int(m.group(2) or m.group(1))
    return _FileInfo("xlsx", formula_parts, dimensions)


# bytes.count is ~50x faster than a regex here (a 1M-row sheet: 0.3 s instead of 4 s)
_ROW_TAGS = (b"<row ", b"<row>", b"<row/", b":row ", b":row>")
_CELL_TAGS = (b"<c ", b"<c>", b"<c/", b":c ", b":c>")


def _count(needles: tuple[bytes, ...], data: bytes) -> int:
    return sum(data.count(n) for n in needles)


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, full: bool) -> set[str]:
    """Stream one XML part: DTD declarations anywhere; formulas (<f>) in worksheets."""
    found: set[str] = set()
    tail = b""
    rows = cells = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            if len(chunk) >= 1 << 20 and b"<" not in chunk and (full or info.filename.endswith("sharedStrings.xml")):
                # 1 MiB without a tag: no cell holds that much (Excel: 32,767 characters); the
                # parser would keep it as one string in memory (whitespace/text bomb)
                found.add("long_text")
                return found
            if full:
                # matches wholly inside the 32-byte overlap were counted with the previous chunk
                rows += _count(_ROW_TAGS, data) - _count(_ROW_TAGS, tail)
                cells += _count(_CELL_TAGS, data) - _count(_CELL_TAGS, tail)
                if rows > MAX_SHEET_ROWS or cells > MAX_SHEET_CELLS:
                    found.add("too_big")
                    return found
                for m in _SCAN_RE.finditer(data):
                    found.add("dtd" if m.group(0)[:2] == b"<!" else "f")
                    if "dtd" in found:
                        return found
            elif _DTD_RE.search(data):
                found.add("dtd")
                return found
            tail = data[-32:]
    return found


# ====================================================================== sheet access
class _XCell:
    __slots__ = ("value", "number_format")

    def __init__(self, value: Any, number_format: str = "General") -> None:
        self.value = value
        self.number_format = number_format


@dataclass
class _Sheet:
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
        raw = cell.value if cell is not None else None
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

    def _stored_number(self, cell: Any, raw: int | float, row: int, col: int, kind: str) -> Any:
        number = _number_decimal(raw, getattr(cell, "number_format", None))
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


# ====================================================================== public API
def read_workbook(path: Path | str, *, mapping: dict | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Read the figures of a workbook. Raises ExcelImportError / ImportCancelled."""
    path = Path(path)
    with _gc_paused():
        book = _Book(path)
        try:
            sheets = book.sheets()
            run = _Run(path, sheets, progress, cancel)
            if mapping:
                return run.custom(mapping)
            return run.detect_and_read()
        finally:
            book.close()


@contextmanager
def _gc_paused():
    """No cyclic-GC passes while a workbook is read: the import allocates millions of small objects
    and no cycles, and the passes over the growing heap cost ~8 % of a 200,000-row import. The
    sizes are bounded by check_file; collection resumes (and catches up) when the import ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def preview_sheets(path: Path | str, *, max_rows: int = 100, max_cols: int = 26) -> list[SheetPreview]:
    """The first cells of every sheet as text (the mapping step's grid)."""
    path = Path(path)
    book = _Book(path)
    out = []
    try:
        for sheet in book.sheets():
            rows = []
            for i, row in enumerate(sheet.rows()):
                if i >= max_rows:
                    break
                rows.append([cell_text(c.value if c is not None else None) for c in list(row)[:max_cols]])
            while rows and not any(rows[-1]):
                rows.pop()
            out.append(SheetPreview(sheet.name, sheet.hidden, rows))
    finally:
        book.close()
    return out


def header_fingerprint(preview: SheetPreview, rows: int = 8) -> str:
    """A stable key for 'a workbook laid out like this one': the sheet's header texts."""
    import hashlib
    texts = [preview.name]
    for row in preview.rows[:rows]:
        cells = [L.norm_label(text) for text in row]
        if any(_looks_numeric(t) for t in cells if t):
            break          # first data row: the header ends here
        texts.extend(t for t in cells if t)
    return hashlib.sha1("\x1f".join(texts).encode("utf-8")).hexdigest()[:16]


class _Run:
    def __init__(self, path: Path, sheets: list[_Sheet], progress, cancel) -> None:
        self.path = path
        self.sheets = sheets
        self.progress = progress
        self.cancel = cancel
        self.total = sum(s.max_row or 0 for s in sheets)
        self.done = 0
        self.result = ImportResult("", file=path.name)

    # ------------------------------------------------------------ streaming with progress
    def rows(self, sheet: _Sheet) -> Iterator[tuple[int, Sequence[Any]]]:
        n = 0
        for n, row in enumerate(sheet.rows(), start=1):
            if n % PROGRESS_EVERY == 0:
                self.tick(PROGRESS_EVERY)
            yield n, row
        self.tick(n % PROGRESS_EVERY)

    def tick(self, rows: int) -> None:
        self.done += rows
        if self.cancel is not None and self.cancel():
            raise ImportCancelled()
        if self.progress is not None:
            self.progress(self.done, max(self.total, self.done))

    def head(self, sheet: _Sheet, limit: int = DETECT_ROWS) -> list[Sequence[Any]]:
        out = []
        for i, row in enumerate(sheet.rows()):
            if i >= limit:
                break
            out.append(row)
        return out

    # ------------------------------------------------------------ detection
    def detect_and_read(self) -> ImportResult:
        codes = next((s for s in self.sheets if s.name == L.FORMS_CODE_SHEET), None)
        if codes is not None and self.read_forms(codes):
            return self.result
        template = []
        self_eval = []
        final = []
        unit_forms: list[tuple[_Sheet, str]] = []
        heads: dict[str, list] = {}
        for sheet in self.sheets:
            head = self.head(sheet)
            heads[sheet.name] = head
            kind = _classify(sheet.name, head)
            if kind == "template":
                template.append(sheet)
            elif kind == "self_eval":
                self_eval.append(sheet)
            elif kind in ("dept_form", "basic_data"):
                unit_forms.append((sheet, kind))
            elif kind == "final":
                final.append(sheet)
        if template:
            self.result.layout_name = L.LAYOUT_TEMPLATE
            self.read_template(template)
        elif unit_forms:
            self.result.layout_name = L.LAYOUT_FORMS_UNIT + ("、项目支出绩效自评表" if self_eval else "")
            for sheet, kind in unit_forms:
                self.read_unit_form(sheet, kind)
            if self_eval:
                self.read_self_eval(self_eval)
        elif self_eval:
            self.result.layout_name = L.LAYOUT_PROJECT_SELF_EVAL
            self.read_self_eval(self_eval)
        elif final:
            self.result.layout_name = L.LAYOUT_FINAL_ACCOUNTS
            self.read_final(final)
        else:
            raise ExcelImportError(
                f"“{self.path.name}”的表格版式无法识别：没有找到本程序数据模板、项目支出绩效自评表或"
                "收入支出决算总表的表头。可以在导入窗口的“指定对应关系”步骤中，手工指定各数字所在的单元格。",
                unrecognised=True)
        if not self.result.values:
            self.result.warnings.append(f"“{self.path.name}”中没有找到任何已填写的数字。")
        return self.result

    # ------------------------------------------------------------ the forms workbook we export
    def read_forms(self, codes: _Sheet) -> bool:
        """A workbook written by io/forms_xlsx.py: its hidden 字段代码 sheet names the field of every value
        cell, so each figure goes back to its field (rows by their key: project name, indicator id)."""
        entries = []
        for n, row in self.rows(codes):
            texts = [cell_text(c.value) if c is not None and c.value is not None else "" for c in row]
            if n == 1:
                if tuple(texts[:4]) != L.FORMS_CODE_HEADERS[:4]:
                    return False
                continue
            places = texts[4] if len(texts) > 4 else ""
            places = int(places) if places.isdigit() else None
            if len(texts) >= 3 and texts[0] and texts[1] and texts[2]:
                entries.append((texts[0], texts[1], texts[2], texts[3] if len(texts) > 3 else "", places))
            elif len(texts) >= 6 and texts[2] and not texts[1] and row[5] is not None and row[5].value is not None:
                value = _fact_value(texts[2], row[5].value, places)     # a fact the forms do not print
                if value is not None:
                    self.result.values.append(ImportedValue(texts[2], value, f"{codes.name}!A{n}",
                                                            _form_label(texts[2])))
        if not entries:
            return False
        self.result.layout_name = L.LAYOUT_FORMS
        by_sheet: dict[str, list] = {}
        for entry in entries:
            by_sheet.setdefault(entry[0], []).append(entry)
        sheets = {s.name: s for s in self.sheets}
        for name, wanted in by_sheet.items():
            sheet = sheets.get(name)
            if sheet is None:
                self.result.warnings.append(f"工作表“{name}”已被删除或改名，其中的数字未导入。")
                continue
            grid = {n: row for n, row in self.rows(sheet)}
            reader = _Reader(self.result, sheet)
            for _, coord, path, prefix, places in wanted:
                try:
                    r, c = parse_coord(coord)
                except ValueError:
                    continue
                row = grid.get(r)
                cell = _cell_at(row, c) if row is not None else None
                value = self._form_value(reader, cell, r, c, path, prefix, places)
                if value is None or value == "":
                    continue
                self.result.values.append(ImportedValue(path, value, f"{name}!{coord}", _form_label(path)))
        return True

    @staticmethod
    def _form_value(reader: "_Reader", cell: Any, r: int, c: int, path: str, prefix: str, places: int | None):
        pattern = _form_pattern(path)
        kind = fields.kind(pattern)
        if kind in (fields.TEXT, fields.NARRATIVE, fields.DATE, fields.CHOICE):
            text = reader.value(cell, r, c, L.TEXT)
            if isinstance(text, str) and prefix and text.startswith(prefix):
                text = text[len(prefix):].strip()
            return text
        if kind == fields.MEASURE:
            value, _unit, text, _dir = _measure(reader, cell, r, c)
            if value is None and text:
                reader.warn(f"{reader.where(r, c)}：这里应是数字，单元格中是“{text}”，此格未导入。")
        else:
            value = reader.value(cell, r, c, {fields.COUNT: L.COUNT, fields.SCORE: L.SCORE}.get(kind, L.MONEY))
        if isinstance(value, Decimal) and places is not None and places != decimals_of(value) and places < 19:
            typed = value.quantize(Decimal(1).scaleb(-places))
            if typed == value:          # shown with 2 decimals (a rate as a fraction): back to the decimals typed
                value = typed
        return value

    # ------------------------------------------------------------ a unit's 部门整体支出绩效自评表 / 基础数据表
    def read_unit_form(self, sheet: _Sheet, form_id: str) -> None:
        """The figures rows by their labels (core/forms.label_layout), the columns by their headers."""
        from ..core import forms as F
        if sheet.hidden:
            self.result.warnings.append(f"工作表“{sheet.name}”是隐藏的，已跳过。")
            return
        rows = [row for _, row in self.rows(sheet)]
        reader = _Reader(self.result, sheet, detect_unit(rows))
        by_label = {L.norm_label(n): paths for names, paths in F.label_layout(form_id) for n in names}
        heads = (F.DEPT_FUND_COLUMNS if form_id == "dept_form" else F.BASIC_COLUMNS)
        wanted = {str(k): (h,) + ((fields.FORM_TEXT.label("score"),) if h == fields.FORM_TEXT.label("dept_score")
                                  else ()) for k, h in enumerate(heads)}
        cols: dict[str, int] | None = None
        found: set[str] = set()
        pending: dict[str, tuple[int, ...]] = {}      # a header row whose values are on the next row
        in_projects = False
        for n, row in enumerate(rows, start=1):
            texts = [(i, L.norm_label(c.value)) for i, c in enumerate(row, start=1)
                     if c is not None and isinstance(c.value, str) and c.value.strip()]
            labels = [t for _, t in texts]
            if pending:
                for key, spec in pending.items():
                    self._unit_cells(reader, sheet, row, n, spec, key)
                pending = {}
                continue
            if form_id == "basic_data":
                heads_at = {t: i for i, t in texts}
                if "编制数" in heads_at:
                    pending["staff"] = tuple(heads_at.get(L.norm_label(fields.FORM_TEXT.label(k)), 0)
                                             for k in ("staff_authorized", "staff_actual", "control_rate"))
                    continue
                if any(t.startswith("批复规模") for t in labels):
                    pending["buildings"] = tuple(next((i for i, t in texts if t.startswith(w)), 0)
                                                 for w in ("批复规模", "实际规模", "", "预算投资", "实际投资"))
                    continue
                hit = next(((i, t) for i, t in texts if t.startswith("厉行节约")), None)
                if hit is not None:
                    label = "厉行节约保障措施" if hit[1].startswith("厉行节约保障措施") else "厉行节约"
                    text = _after_label(row, hit[0], hit[1], label)
                    if text:
                        self.result.values.append(ImportedValue("basic_data.frugality", text,
                                                                f"{sheet.name}!{col_letter(hit[0] + 1)}{n}",
                                                                fields.label("basic_data.frugality")))
                    continue
            if cols is None:
                got = _header_cols(row, wanted, prefix=True)
                if len(got) >= 2:
                    cols = got
                continue
            label = next((t for t in labels if t.replace("其中：", "") in by_label), None)
            if label is None:
                if form_id == "basic_data" and in_projects and labels and labels[0] not in (
                        L.norm_label(fields.PROJECT_CATEGORIES.label(c)) for c in ("business", "maintenance")):
                    self._basic_project_row(reader, sheet, row, n, cols, labels[0])
                continue
            paths = by_label[label.replace("其中：", "")]
            in_projects = form_id == "basic_data" and paths[-1] == "expenditure.project_total"
            if label in found:
                continue
            found.add(label)
            for k, path in enumerate(paths):
                col = cols.get(str(k))
                if not path or not col:
                    continue
                value = self._form_value(reader, _cell_at(row, col), n, col, path, "", None) \
                    if fields.kind(_form_pattern(path)) != fields.MEASURE else \
                    _rate_percent(reader, _cell_at(row, col), n, col)
                if value is not None and value != "":
                    self.result.values.append(ImportedValue(path, value, f"{sheet.name}!{col_letter(col)}{n}",
                                                            _form_label(path)))
        if form_id == "dept_form":
            # the indicator rows read like a 项目支出绩效自评表's; its funds row is the unit's (read above)
            _project, nodes = _parse_self_eval(rows, reader)
            nodes = [nd for nd in nodes if nd.rule != "exec_rate"]
            if nodes:
                self.result.values.append(ImportedValue("scoring.nodes", nodes, sheet.name,
                                                        f"评分表指标（{len(nodes)} 个）"))
            self._dept_goals(rows, sheet)

    def _dept_goals(self, rows, sheet: _Sheet) -> None:
        for n, row in enumerate(rows, start=1):
            texts = {L.norm_label(c.value): i for i, c in enumerate(row, start=1)
                     if c is not None and isinstance(c.value, str) and c.value.strip()}
            if "预期目标" in texts and "实际完成情况" in texts and n < len(rows):
                nxt = rows[n]
                for path, col in (("dept_form.goal_expected", texts["预期目标"]),
                                  ("dept_form.goal_actual", texts["实际完成情况"])):
                    text = _text_at(nxt, col)
                    if text:
                        self.result.values.append(ImportedValue(path, text, f"{sheet.name}!{col_letter(col)}{n + 1}",
                                                                fields.label(path)))
                return

    def _unit_cells(self, reader: "_Reader", sheet: _Sheet, row, n: int, spec: tuple[int, ...], key: str) -> None:
        paths = {"staff": ("profile.staff_authorized", "profile.staff_actual", "basic_data.staff_control_rate_stated"),
                 "buildings": ("basic_data.buildings.approved_scale", "basic_data.buildings.actual_scale", "",
                               "basic_data.buildings.budget_investment", "basic_data.buildings.actual_investment")}[key]
        for col, path in zip(spec, paths):
            if not col or not path:
                continue
            kind = fields.kind(path)
            cell = _cell_at(row, col)
            if path.endswith("rate_stated"):
                value = _rate_percent(reader, cell, n, col)
            elif kind == fields.MEASURE:
                value = _measure(reader, cell, n, col)[0]
            else:
                value = reader.value(cell, n, col, L.COUNT if kind == fields.COUNT else L.MONEY)
            if value is not None:
                self.result.values.append(ImportedValue(path, value, f"{sheet.name}!{col_letter(col)}{n}",
                                                        fields.label(path)))

    def _basic_project_row(self, reader: "_Reader", sheet: _Sheet, row, n: int, cols: dict[str, int],
                           name: str) -> None:
        """A project listed under 基础数据表 项目支出: its 本年预算 / 本年决算 (matched by name on import)."""
        for k, attr in (("1", "budget_final"), ("2", "actual")):
            col = cols.get(k)
            if not col:
                continue
            value = reader.value(_cell_at(row, col), n, col, L.MONEY)
            if value is not None:
                path = f"projects{{{name}}}.{attr}"
                self.result.values.append(ImportedValue(path, value, f"{sheet.name}!{col_letter(col)}{n}",
                                                        _form_label(path)))

    # ------------------------------------------------------------ our template
    def read_template(self, sheets: list[_Sheet]) -> None:
        by_name = {s.name: s for s in sheets}
        projects: list[Project] = []
        for name in L.TEMPLATE_SHEET_ORDER:
            sheet = by_name.get(name)
            if sheet is None:
                continue
            if sheet.hidden:
                self.result.warnings.append(f"工作表“{name}”是隐藏的，仍按本程序模板读取。")
            if name in L.KV_SHEETS:
                self.read_kv(sheet, L.KV_SHEETS[name])
            else:
                self.read_table(sheet, name, projects)

    def read_kv(self, sheet: _Sheet, fields: list[L.FieldDef]) -> None:
        reader = _Reader(self.result, sheet)
        by_label = {L.norm_label(name): f for f in fields for name in reversed(f.names)}
        cols: dict[str, int] | None = None
        head: list = []
        for n, row in self.rows(sheet):
            if cols is None:
                head.append(row)
                found = _header_cols(row, {"label": ("字段",), "value": ("数值", "金额", "值"),
                                           "code": (L.CODE_HEADER,)})
                if "label" in found and "value" in found:
                    cols = found
                    reader.unit = detect_unit(head)
                continue
            label_text = _text_at(row, cols["label"])
            code = _text_at(row, cols.get("code", 0)) if "code" in cols else ""
            fdef = L.SCALAR_FIELDS.get(code) if code else None
            if fdef is None:
                fdef = by_label.get(L.norm_label(label_text))
            if fdef is None:
                if label_text and _cell_at(row, cols["value"]) is not None:
                    self.result.warnings.append(
                        f"工作表“{sheet.name}”第 {n} 行：字段“{label_text}”不是本程序模板中的字段，已忽略。")
                continue
            vcol = cols["value"]
            value = reader.value(_cell_at(row, vcol), n, vcol, fdef.kind)
            if value is None or value == "":
                continue
            self.result.values.append(ImportedValue(fdef.path, value, f"{sheet.name}!{col_letter(vcol)}{n}",
                                                    fdef.label))

    def read_table(self, sheet: _Sheet, name: str, projects: list[Project]) -> None:
        list_path, columns = L.TABLE_SHEETS[name]
        reader = _Reader(self.result, sheet)
        wanted = {c.attr: (c.header, *c.aliases) for c in columns}
        kinds = {c.attr: c.kind for c in columns}
        cols: dict[str, int] | None = None
        specs: list[tuple[str, int, str]] = []
        head: list = []
        items: list[Any] = []
        first = last = 0
        for n, row in self.rows(sheet):
            if cols is None:
                head.append(row)
                found = _header_cols(row, wanted)
                if len(found) >= 3:
                    cols = found
                    specs = [(attr, col, kinds[attr]) for attr, col in cols.items()]
                    reader.unit = detect_unit(head)
                continue
            values = {}
            empty = True
            width = len(row)
            for attr, col, kind in specs:
                if col > width:
                    continue
                cell = row[col - 1]
                if cell.value is None:
                    if reader._is_formula(n, col):
                        reader.value(cell, n, col, kind)
                    continue
                empty = False
                values[attr] = reader.value(cell, n, col, kind)
            if empty:
                continue
            firsttext = next((v for v in values.values() if isinstance(v, str) and v), "")
            if firsttext.startswith(L.EXAMPLE_PREFIXES):
                continue
            item = self._make_item(name, values, sheet.name, n, projects)
            if item is None:
                continue
            items.append(item)
            first = first or n
            last = n
        if cols is None:
            self.result.warnings.append(f"工作表“{sheet.name}”没有找到表头行，已跳过。")
            return
        if not items:
            return
        maxcol = col_letter(max(cols.values()))
        if name == "项目":
            projects.extend(items)
            self.result.values.append(ImportedValue(list_path, items, f"{sheet.name}!A{first}:{maxcol}{last}",
                                                    f"项目（{len(items)} 个）"))
        elif name in ("功能分类", "经济分类"):
            self.result.values.append(ImportedValue(list_path, items, f"{sheet.name}!A{first}:{maxcol}{last}",
                                                    f"{L.LIST_LABELS[list_path]}（{len(items)} 行）"))
        else:
            nodes = [node for node in items if node is not _ATTACHED]
            if nodes:
                self.result.values.append(ImportedValue(list_path, nodes, f"{sheet.name}!A{first}:{maxcol}{last}",
                                                        f"评分表指标（{len(nodes)} 个）"))

    def _make_item(self, name: str, v: dict, sheet: str, n: int, projects: list[Project]) -> Any:
        def s(key: str) -> str:
            x = v.get(key)
            return x if isinstance(x, str) else ""

        if name == "项目":
            kind_text = s("kind")
            kind = fields.PROJECT_KINDS.code_for(kind_text) if kind_text else None
            if kind is None:
                if kind_text:
                    self.result.warnings.append(
                        f"工作表“{sheet}”第 {n} 行：项目类型“{kind_text}”无法识别，按“年初预算项目”导入。")
                kind = "initial"
            return Project(name=s("name"), kind=kind, budget_initial=v.get("budget_initial"),
                           budget_adjustment=v.get("budget_adjustment"), budget_final=v.get("budget_final"),
                           actual=v.get("actual"), carryover=v.get("carryover"),
                           carryover_prior=v.get("carryover_prior"), fund_source=s("fund_source"),
                           self_score=v.get("self_score"), deviation_reason=s("deviation_reason"))
        if name == "功能分类":
            return FunctionLine(code=s("code"), name=s("name"), amount=v.get("amount"))
        if name == "经济分类":
            scope_text = s("scope")
            scope = fields.ECON_SCOPES.code_for(scope_text)
            if scope is None:
                self.result.warnings.append(
                    f"工作表“{sheet}”第 {n} 行：口径“{scope_text}”无法识别（应为 基本支出/项目支出/合计），按“项目支出”导入。")
                scope = "project"
            return EconLine(scope=scope, code=s("code"), name=s("name"), amount=v.get("amount"))
        # 评分表
        level = v.get("level")
        # a row without 编号 gets one (its row number) so that the table stays a tree; levels 1–4
        node = ScoreNode(id=s("id") or f"行{n}", level=min(max(level, 1), MAX_SCORE_LEVELS)
                         if isinstance(level, int) else 3, name=s("name"),
                         parent_id=s("parent_id"), weight=v.get("weight"), rule=s("rule") or "manual",
                         target=v.get("target"), achieved=v.get("achieved"), target_text=s("target_text"),
                         achieved_text=s("achieved_text"), unit=s("unit"), direction=s("direction") or "≥",
                         tier=s("tier"), score_stated=v.get("score_stated"),
                         deviation_reason=s("deviation_reason"))
        owner = s("project")
        if owner:
            target = next((p for p in projects if p.name == owner), None)
            if target is None:
                self.result.warnings.append(
                    f"工作表“{sheet}”第 {n} 行：所属项目“{owner}”不在“项目”工作表中，此指标未导入。")
                return None
            target.indicators.append(node)
            return _ATTACHED
        return node

    # ------------------------------------------------------------ 项目支出绩效自评表
    def read_self_eval(self, sheets: list[_Sheet]) -> None:
        projects: list[Project] = []
        nodes: list[ScoreNode] = []
        sources = []
        for sheet in sheets:
            if sheet.hidden:
                self.result.warnings.append(f"工作表“{sheet.name}”是隐藏的，已跳过。")
                continue
            rows = [row for _, row in self.rows(sheet)]
            reader = _Reader(self.result, sheet, detect_unit(rows))
            project, sheet_nodes = _parse_self_eval(rows, reader)
            if project is not None:
                projects.append(project)
            else:
                nodes.extend(sheet_nodes)
            sources.append(sheet.name)
        if projects:
            self.result.values.append(ImportedValue("projects", projects, "、".join(sources),
                                                    f"项目（自评表 {len(projects)} 个）"))
        if nodes:
            self.result.values.append(ImportedValue("scoring.nodes", nodes, "、".join(sources),
                                                    f"评分表指标（{len(nodes)} 个）"))

    # ------------------------------------------------------------ 收入支出决算总表
    def read_final(self, sheets: list[_Sheet]) -> None:
        seen: set[str] = set()
        for sheet in sheets:
            if sheet.hidden:
                self.result.warnings.append(f"工作表“{sheet.name}”是隐藏的，已跳过。")
                continue
            rows = [row for _, row in self.rows(sheet)]
            reader = _Reader(self.result, sheet, detect_unit(rows, default="元"))
            for path, value, n, col in _parse_final(rows, reader):
                if path in seen:
                    continue
                seen.add(path)
                self.result.values.append(ImportedValue(path, value, f"{sheet.name}!{col_letter(col)}{n}",
                                                        L.field_label(path)))

    # ------------------------------------------------------------ 自定义映射
    def custom(self, mapping: dict) -> ImportResult:
        self.result.layout_name = L.LAYOUT_CUSTOM
        sheet_name = mapping.get("sheet")
        sheet = next((s for s in self.sheets if s.name == sheet_name), None)
        if sheet is None:
            raise ExcelImportError(f"“{self.path.name}”中没有工作表“{sheet_name}”。")
        wanted: dict[tuple[int, int], str] = {}
        for fpath, coord in (mapping.get("cells") or {}).items():
            try:
                wanted[parse_coord(coord)] = fpath
            except ValueError:
                self.result.warnings.append(f"对应关系中的单元格地址“{coord}”无效（字段 {L.field_label(fpath)}）。")
        if not wanted:
            return self.result
        max_row = max(r for r, _ in wanted)
        unit = mapping.get("unit") or ""
        reader = _Reader(self.result, sheet, unit if unit in ("元", "万元") else detect_unit(self.head(sheet)))
        found: list[ImportedValue] = []
        visited: set[tuple[int, int]] = set()
        for n, row in self.rows(sheet):
            for (r, c), fpath in wanted.items():
                if r != n:
                    continue
                visited.add((r, c))
                fdef = L.SCALAR_FIELDS.get(fpath)
                if fdef is None:
                    continue
                value = reader.value(row[c - 1] if c - 1 < len(row) else None, n, c, fdef.kind)
                if value is None or value == "":
                    self.result.warnings.append(f"{reader.where(n, c)}（{fdef.label}）是空的，未导入。")
                    continue
                found.append(ImportedValue(fpath, value, f"{sheet.name}!{col_letter(c)}{n}", fdef.label))
            if n >= max_row:
                break
        for (r, c), fpath in wanted.items():
            if (r, c) not in visited:
                self.result.warnings.append(f"{reader.where(r, c)}（{L.field_label(fpath)}）是空的，未导入。")
        self.result.values.extend(found)
        return self.result


_ATTACHED = object()


def _fact_value(path: str, raw: Any, places: int | None) -> Any:
    """A literal from the 字段代码 sheet's 值 column, typed by the field registry (None: unusable)."""
    pattern = _form_pattern(path)
    kind = fields.kind(pattern)
    text = cell_text(raw).strip()
    if kind in (fields.COUNT, fields.YEAR) or pattern.endswith(".level"):
        return int(text) if text.lstrip("-").isdigit() and len(text) < 12 else None
    if kind in (fields.AMOUNT, fields.SCORE, fields.MEASURE):
        try:
            value = Decimal(text)
        except ArithmeticError:
            return None
        if not value.is_finite() or abs(value.adjusted()) > 18:
            return None
        return value
    return text


def _form_pattern(path: str) -> str:
    """The registry pattern of a (keyed) form path: 'projects{名}.form.fiscal.actual' →
    'projects[].form.fiscal.actual'; 'prior_year[…]' → the figure it is the 上年数 of."""
    m = re.fullmatch(r"(?:prior_year|final_accounts)\[(.+)\]", path)
    if m:
        path = m.group(1)
    return re.sub(r"\{[^{}]*\}|\[\d+\]", "[]", path)


def _form_label(path: str) -> str:
    m = re.fullmatch(r"(prior_year|final_accounts)\[(.+)\]", path)
    if m:
        return ("上年数：" if m.group(1) == "prior_year" else "决算数：") + _form_label(m.group(2))
    owner = re.match(r"projects\{([^{}]*)\}", path)
    label = fields.label(_form_pattern(path))
    return f"项目“{owner.group(1)}”的{label}" if owner else label


# ====================================================================== helpers for layouts
def _cell_at(row: Sequence[Any], col: int) -> Any:
    return row[col - 1] if 0 < col <= len(row) else None


def _text_at(row: Sequence[Any], col: int) -> str:
    cell = _cell_at(row, col)
    return cell_text(cell.value) if cell is not None and cell.value is not None else ""


def _header_cols(row: Sequence[Any], wanted: dict[str, tuple[str, ...]], prefix: bool = False) -> dict[str, int]:
    """Columns (1-based) whose header text matches one of the wanted names."""
    out: dict[str, int] = {}
    for idx, cell in enumerate(row, start=1):
        v = cell.value if cell is not None else None
        if not isinstance(v, str):
            continue
        t = L.norm_label(v)
        for key, names in wanted.items():
            if key in out:
                continue
            if any(t == L.norm_label(nm) or (prefix and t.startswith(L.norm_label(nm))) for nm in names):
                out[key] = idx
                break
    return out


def _row_texts(row: Sequence[Any]) -> list[str]:
    return [L.norm_label(c.value) for c in row if c is not None and isinstance(c.value, str)]


def _classify(name: str, head: list[Sequence[Any]]) -> str:
    texts = {t for row in head for t in _row_texts(row)}
    if name in L.TEMPLATE_SHEET_ORDER:
        if name in L.KV_SHEETS and L.CODE_HEADER in texts and "字段" in texts:
            return "template"
        if name in L.TABLE_SHEETS:
            headers = {L.norm_label(c.header) for c in L.TABLE_SHEETS[name][1]}
            if len(headers & texts) >= 3:
                return "template"
    if any(t.startswith(("按收入性质分", "年度预算申请")) for t in texts) or \
            any(t.endswith("部门整体支出绩效自评表") for t in texts):
        return "dept_form"
    if "经费控制情况" in texts or any(t.endswith("基础数据表") for t in texts):
        return "basic_data"
    if "三级指标" in texts or ("项目名称" in texts and any(t.startswith(("年初预算数", "全年执行数"))
                                                          for t in texts)):
        return "self_eval"
    labels = {lab for names, _ in L.FINAL_ACCOUNTS_LABELS for lab in names}
    hits = len(texts & labels) + sum(1 for t in texts if "决算" in t)
    if hits >= 2 and any(t in labels for t in texts):
        return "final"
    return ""


_DIRECTION = {"≥": "≥", ">=": "≥", "＞=": "≥", "正向": "≥", "正向指标": "≥", ">": "≥", "＞": "≥",
              "≤": "≤", "<=": "≤", "反向": "≤", "反向指标": "≤", "<": "≤", "＜": "≤",
              "=": "=", "＝": "=", "定性": "qual", "定性指标": "qual"}


def _measure(reader: _Reader, cell: Any, n: int, col: int) -> tuple[Decimal | None, str, str, str]:
    """An indicator value → (number, unit, text as written, direction from a ≥/≤ prefix)."""
    raw = cell.value if cell is not None else None
    if raw is None:
        if cell is not None and reader._is_formula(n, col):
            reader.value(cell, n, col, L.SCORE)
        return None, "", "", ""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        fmt = getattr(cell, "number_format", "") or ""
        value = _number_decimal(raw, fmt)
        if "%" in fmt:
            return value.scaleb(2), "%", f"{value.scaleb(2)}%", ""
        return value, "", cell_text(raw), ""
    text = cell_text(raw)
    s = normalise_text(text).replace(" ", "")
    direction = ""
    for prefix in ("≥", ">=", "≤", "<=", "＞", "＜", ">", "<", "=", "＝"):
        if s.startswith(prefix):
            direction, s = _DIRECTION[prefix], s[len(prefix):]
            break
    try:
        value, unit = parse_measure(s)
    except NumberParseError:
        return None, "", text, "qual" if not direction else direction
    return value, unit, text, direction


_FORM_LABELS = {"项目名称", "主管部门", "实施单位", "项目负责人", "财务负责人", "填表人", "联系电话", "填报日期",
                "填表日期", "自评等级"}


def _after_label(row: Sequence[Any], i: int, text: str, label: str) -> str:
    """The value of a 'label：value' cell, else the next non-empty text to its right (not another label)."""
    rest = text[len(label):].lstrip("：:").strip()
    if rest:
        return rest
    for c in row[i:]:
        value = cell_text(c.value).strip() if c is not None and c.value is not None else ""
        if value:
            return "" if L.norm_label(value).rstrip("：:") in _FORM_LABELS else value
    return ""


_PEOPLE = {"项目负责人": "lead", "财务负责人": "finance_lead", "填表人": "filler", "联系电话": "phone",
           "填报日期": "date", "填表日期": "date"}


def _rate_percent(reader: _Reader, cell: Any, n: int, col: int) -> Decimal | None:
    """A stated 执行率 in %: '91.50%' → 91.50; 0.915 in a % cell → 91.50; a bare fraction ≤ 1.5 → ×100."""
    value, unit, _text, _dir = _measure(reader, cell, n, col)
    if value is None:
        return None
    fmt = getattr(cell, "number_format", "") or ""
    if unit != "%" and "%" not in fmt and abs(value) <= Decimal("1.5"):
        value = value.scaleb(2)
    return value


def _parse_self_eval(rows: list[Sequence[Any]], reader: _Reader) -> tuple[Project | None, list[ScoreNode]]:
    name = ""
    budget_cols: dict[str, int] | None = None
    ind_cols: dict[str, int] | None = None
    project = Project(kind="")        # the form states no kind: merging keeps the report's (imports.py)
    form = project.form
    nodes: list[ScoreNode] = []
    l1_ids: dict[str, str] = {}
    l2_ids: dict[tuple[str, str], str] = {}
    cur_l1 = cur_l2 = ""
    leaf_count: dict[str, int] = {}
    funds_done = after_total = False
    goal_cols: tuple[int, int] | None = None
    sub_rows = {L.norm_label(n): r.code for r in fields.PROJECT_FUND_ROWS.choices for n in r.names}
    for n, row in enumerate(rows, start=1):
        texts = [(i, L.norm_label(c.value)) for i, c in enumerate(row, start=1)
                 if c is not None and isinstance(c.value, str) and c.value.strip()]
        labels = {t for _, t in texts}
        # lines anywhere on the form: 项目负责人 / 财务负责人 / 填表人 / 联系电话 / 填报日期, 自评等级
        for i, t in texts:
            for label, attr in _PEOPLE.items():
                if t.startswith(label) and not getattr(form, attr):
                    setattr(form, attr, _after_label(row, i, t, label))
            if t.startswith("自评等级") and not form.grade_stated:
                form.grade_stated = _after_label(row, i, t, "自评等级")
        if after_total:
            continue
        if not name:
            for i, t in texts:
                if t == "项目名称":
                    name = next((cell_text(c.value) for c in row[i:] if c is not None and
                                 isinstance(c.value, str) and c.value.strip()), "")
        for i, t in texts:
            if t == "主管部门" and not form.supervisor:
                form.supervisor = _after_label(row, i, t, "主管部门")
            elif t == "实施单位" and not form.implementer:
                form.implementer = _after_label(row, i, t, "实施单位")
        if budget_cols is None and ind_cols is None and any(t.startswith(("年初预算数", "全年预算数", "全年执行数"))
                                                             for t in labels):
            budget_cols = _header_cols(row, L.SELF_EVAL_BUDGET_COLS, prefix=True)
            continue
        if "三级指标" in labels:
            ind_cols = _header_cols(row, L.SELF_EVAL_INDICATOR_COLS, prefix=True)
            continue
        if ind_cols is None and ("预期目标" in labels or "年度总体目标" in labels):
            heads = {t: i for i, t in texts}
            if "预期目标" in heads and "实际完成情况" in heads:
                goal_cols = (heads["预期目标"], heads["实际完成情况"])
            elif "年度总体目标" in heads:          # the goal text written beside the label
                rest = [cell_text(row[i - 1].value).strip() for i, t in texts if t != "年度总体目标"]
                if rest and not form.goal_expected:
                    form.goal_expected = rest[0]
                    form.goal_actual = rest[1] if len(rest) > 1 else form.goal_actual
            continue
        if goal_cols is not None and ind_cols is None and not form.goal_expected and not form.goal_actual:
            form.goal_expected = _text_at(row, goal_cols[0])
            form.goal_actual = _text_at(row, goal_cols[1])
            goal_cols = None
            continue
        if ind_cols is None and budget_cols:
            sub = next((sub_rows[t.replace("其中：", "")] for _, t in texts if t.replace("其中：", "") in sub_rows), None)
            if funds_done and sub is not None:
                target = getattr(form, sub)
                for attr in ("budget_initial", "budget_final", "actual"):
                    col = budget_cols.get(attr)
                    if col:
                        setattr(target, attr, reader.value(_cell_at(row, col), n, col, L.MONEY))
                continue
            if not funds_done and (any(t.startswith("年度资金总额") for t in labels) or (
                    _cell_number(row, budget_cols.get("budget_final")) or _cell_number(row, budget_cols.get("actual")))):
                for attr in ("budget_initial", "budget_final", "actual"):
                    col = budget_cols.get(attr)
                    if col:
                        val = reader.value(_cell_at(row, col), n, col, L.MONEY)
                        setattr(project, attr, val)
                rc = budget_cols.get("exec_rate")
                if rc:
                    form.exec_rate_stated = _rate_percent(reader, _cell_at(row, rc), n, rc)
                w = budget_cols.get("weight")
                sc = budget_cols.get("score")
                weight = reader.value(_cell_at(row, w), n, w, L.SCORE) if w else None
                score = reader.value(_cell_at(row, sc), n, sc, L.SCORE) if sc else None
                if weight is not None or score is not None:
                    nodes.append(ScoreNode(id="0", level=1, name="预算执行率", weight=weight, rule="exec_rate",
                                           score_stated=score, direction="≥"))
                funds_done = True
            continue
        if ind_cols is None:
            continue
        if any(t.startswith(("总分", "合计")) for t in labels) and not _text_at(row, ind_cols.get("l3", 0)):
            sc = ind_cols.get("score")
            if sc:
                project.self_score = reader.value(_cell_at(row, sc), n, sc, L.SCORE)
            after_total = True
            continue
        l1 = _text_at(row, ind_cols["l1"]) if "l1" in ind_cols else ""
        l2 = _text_at(row, ind_cols["l2"]) if "l2" in ind_cols else ""
        l3 = _text_at(row, ind_cols["l3"]) if "l3" in ind_cols else ""
        if l1:
            cur_l1, cur_l2 = l1, ""
        if l2:
            cur_l2 = l2
        if not l3:
            continue
        if cur_l1 and cur_l1 not in l1_ids:
            l1_ids[cur_l1] = str(len(l1_ids) + 1)
            nodes.append(ScoreNode(id=l1_ids[cur_l1], level=1, name=cur_l1))
        pid = l1_ids.get(cur_l1, "")
        if cur_l2 and (cur_l1, cur_l2) not in l2_ids:
            sub = sum(1 for k in l2_ids if k[0] == cur_l1) + 1
            l2_ids[(cur_l1, cur_l2)] = f"{pid}.{sub}" if pid else str(sub)
            nodes.append(ScoreNode(id=l2_ids[(cur_l1, cur_l2)], level=2, name=cur_l2, parent_id=pid))
        parent = l2_ids.get((cur_l1, cur_l2), pid)
        leaf_count[parent] = leaf_count.get(parent, 0) + 1
        tcol, acol = ind_cols.get("target", 0), ind_cols.get("achieved", 0)
        target, t_unit, t_text, t_dir = _measure(reader, _cell_at(row, tcol), n, tcol)
        achieved, a_unit, a_text, _ = _measure(reader, _cell_at(row, acol), n, acol)
        direction = _DIRECTION.get(_text_at(row, ind_cols.get("direction", 0)), "") or t_dir or "≥"
        if target is None and t_text:
            direction = "qual"
        rule = {"≥": "ratio_up", "≤": "ratio_down", "qual": "qualitative"}.get(direction, "manual")
        w, sc, rc = ind_cols.get("weight"), ind_cols.get("score"), ind_cols.get("reason")
        nodes.append(ScoreNode(
            id=f"{parent}.{leaf_count[parent]}" if parent else str(leaf_count[parent]), level=3, name=l3,
            parent_id=parent, weight=reader.value(_cell_at(row, w), n, w, L.SCORE) if w else None,
            rule=rule, target=target, achieved=achieved, target_text=t_text, achieved_text=a_text,
            unit=_text_at(row, ind_cols.get("unit", 0)) or t_unit or a_unit, direction=direction,
            score_stated=reader.value(_cell_at(row, sc), n, sc, L.SCORE) if sc else None,
            deviation_reason=_text_at(row, rc) if rc else ""))
    if not name:
        return None, nodes
    project.name = name
    project.indicators = nodes
    return project, nodes


def _cell_number(row: Sequence[Any], col: int | None) -> bool:
    if not col:
        return False
    cell = _cell_at(row, col)
    return cell is not None and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)


def _parse_final(rows: list[Sequence[Any]], reader: _Reader) -> Iterator[tuple[str, Any, int, int]]:
    """收入支出决算总表: label cells → the number to their right (skipping 行次 columns)."""
    label_map = {L.norm_label(lab): path for names, path in L.FINAL_ACCOUNTS_LABELS for lab in names}
    skip_cols: set[int] = set()
    column_fields: dict[int, str] = {}
    for row in rows[:15]:
        for i, c in enumerate(row, start=1):
            t = L.norm_label(c.value) if c is not None else ""
            if t in ("行次", "栏次"):
                skip_cols.add(i)
    header_rows = 0
    for idx, row in enumerate(rows[:15]):
        found = {i: L.FINAL_ACCOUNTS_COLUMN_FIELDS[L.norm_label(c.value)] for i, c in enumerate(row, start=1)
                 if c is not None and L.norm_label(c.value) in L.FINAL_ACCOUNTS_COLUMN_FIELDS}
        if "expenditure.basic" in found.values() and "expenditure.project_total" in found.values():
            column_fields = found
            header_rows = idx + 1
            break
    for n, row in enumerate(rows, start=1):
        cells = list(row)
        for i, c in enumerate(cells, start=1):
            if c is None or not isinstance(c.value, str):
                continue
            t = L.norm_label(c.value)
            if t.startswith("其中："):
                t = t[3:]
            if column_fields and n > header_rows and t in ("合计", "本年支出合计", "支出合计"):
                for col, path in column_fields.items():
                    cell = _cell_at(row, col)
                    value = reader.value(cell, n, col, L.MONEY)
                    if value is not None:
                        yield path, value, n, col
                continue
            path = label_map.get(t)
            if path is None or n <= 1:
                continue
            for j in range(i + 1, len(cells) + 1):
                if j in skip_cols:
                    continue
                cell = cells[j - 1]
                v = cell.value if cell is not None else None
                if v is None:
                    if cell is not None and reader._is_formula(n, j):
                        reader.value(cell, n, j, L.MONEY)
                        break
                    continue
                if isinstance(v, str) and v.strip() and not _looks_numeric(v):
                    break  # next label: this one has no figure
                value = reader.value(cell, n, j, L.MONEY)
                if value is not None:
                    yield path, value, n, j
                break


def _looks_numeric(text: str) -> bool:
    s = normalise_text(text)
    return bool(re.fullmatch(r"[\s(（]*[-+]?[\d,，.]+\s*(万元|元)?[)）]?\s*|[-—–/]+", s))


