"""Tables over a list path of the model (projects, org units, score nodes …).

Edits go through ReportDocument.set_value on ``list_path[i].attr``; row insert/delete/move
through the document's undoable item commands; a pasted block (Excel/WPS tab-separated text)
is parsed with core.numbers and applied as ONE ``apply_changes`` step, or not at all.
The optional totals row is computed by core/derived.py, read-only, grey and bold.
"""
from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QHBoxLayout,
                               QHeaderView, QLabel, QMenu, QPushButton, QStyledItemDelegate, QTableView,
                               QVBoxLayout, QWidget)

from ..core.records import record
from ..core.edits import FieldChange
from ..core.findings import Severity
from ..core.model import Report, split_path
from ..core.money import decimals_of, fmt_amount, fmt_plain
from ..core.numbers import NumberParseError, parse_amount, parse_count, parse_measure, parse_score
from .clipboard import clipboard_rows, parse_tsv, tidy
from .document import ReportDocument
from .styles import ERROR_TEXT_STYLE

TOTAL_BG = QColor("#e6e6e6")
ERROR_BG = QColor("#ffd6d6")
WARNING_BG = QColor("#fff0c2")
WRAP_ROWS_LIMIT = 60        # tables longer than this get fixed-height rows (see _configure_rows)
MAX_TABLE_HEIGHT = 560      # a longer table scrolls inside itself


@record
class Column:
    """A column of a list table: the item attribute it edits, its Chinese header, value kind, choices and width."""
    attr: str                    # attribute of the item; "" = the item itself (list of str)
    header: str                  # Chinese header
    kind: str = "text"           # amount | count | score | measure | text | choice
    choices: list[tuple[Any, str]] = field(default_factory=list)
    width: int = 0


class PasteError(ValueError):
    """Why a pasted block was refused (Chinese)."""


def _parse_measure_value(text: str):
    return parse_measure(text)[0]


PARSERS: dict[str, Callable[[str], Any]] = {
    "amount": parse_amount, "count": parse_count, "score": parse_score, "measure": _parse_measure_value,
}


def parse_cell(column: Column, text: str) -> Any:
    """Text → model value for ``column``; raises NumberParseError / ValueError (Chinese)."""
    if column.kind in PARSERS:
        return PARSERS[column.kind](text)
    if column.kind == "choice":
        stripped = text.strip()
        for value, label in column.choices:
            if stripped in (label, str(value)):
                return value
        allowed = "、".join(label for _, label in column.choices)
        raise ValueError(f"“{stripped}”不是可选项（可选：{allowed}）")
    return text


def format_cell(column: Column, value: Any, places: int) -> str:
    if value is None:
        return ""
    if column.kind == "amount" and isinstance(value, Decimal):
        return fmt_amount(value, max(places, min(decimals_of(value), 6)))
    if column.kind == "choice":
        for v, label in column.choices:
            if v == value:
                return label
        return str(value)
    if isinstance(value, Decimal):
        return fmt_plain(value)
    return str(value)


class ListTableModel(QAbstractTableModel):
    parse_failed = Signal(str)    # Chinese message when a typed cell cannot be read

    def __init__(self, doc: ReportDocument, list_path: str, columns: list[Column],
                 totals: Callable[[Report], dict[str, Any]] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.list_path = list_path
        self.columns = columns
        self.totals = totals
        self.highlights: dict[tuple[int, int], tuple[Severity, list[str]]] = {}
        # path → the texts of its marks now (set by the main window): read when a cell is hovered
        self.tooltip_for: Callable[[str], list[str]] | None = None
        self._col_of_attr = {c.attr: i for i, c in reversed(list(enumerate(columns)))}
        self._parts: list = split_path(list_path) if list_path else []
        self._items: list | None = None          # the list, resolved once per document change
        self._path_marks: dict[str, tuple[Severity, list[str]]] = {}   # path → mark (incremental)
        self._cell_paths: dict[tuple[int, int], set[str]] = {}
        doc.changed.connect(self._on_doc_changed)

    # -------------------------------------------------------------- helpers
    def items(self) -> list:
        """The model list this table shows (resolved once, not per cell: data() is hot)."""
        if self._items is None:
            obj: Any = self.doc.report if self._parts else None
            try:
                for part in self._parts:
                    obj = obj[part] if isinstance(part, int) or isinstance(obj, dict) else getattr(obj, part)
            except (IndexError, KeyError, TypeError, AttributeError):
                obj = None
            self._items = obj if isinstance(obj, list) else []
        return self._items

    def item_count(self) -> int:
        return len(self.items())

    def is_total_row(self, row: int) -> bool:
        return self.totals is not None and row == self.item_count()

    def path_for(self, row: int, col: int) -> str:
        attr = self.columns[col].attr
        return f"{self.list_path}[{row}]" + (f".{attr}" if attr else "")

    def value_at(self, row: int, col: int) -> Any:
        items = self.items()
        if not 0 <= row < len(items):
            return None
        item = items[row]
        attr = self.columns[col].attr
        return getattr(item, attr, None) if attr else item

    def cell_for_path(self, path: str) -> tuple[int, int] | None:
        prefix = self.list_path + "["
        if not path.startswith(prefix):
            return None
        rest = path[len(prefix):]
        num, _, tail = rest.partition("]")
        if not num.isdigit():
            return None
        attr = tail[1:] if tail.startswith(".") else ""
        attr = attr.split(".")[0].split("[")[0]
        return int(num), self._col_of_attr.get(attr, 0)

    def set_list_path(self, list_path: str) -> None:
        self.beginResetModel()
        self.list_path = list_path
        self._parts = split_path(list_path) if list_path else []
        self._items = None
        self.highlights = {}
        self._path_marks = {}
        self._cell_paths = {}
        self.endResetModel()

    def _on_doc_changed(self, paths: list) -> None:
        self._items = None
        lp = self.list_path
        if not lp:
            return
        structural = False
        cells: set[tuple[int, int]] = set()
        prefix = lp + "["
        for p in paths:
            if p == "*" or p == lp or lp.startswith(p + "[") or lp.startswith(p + ".") or p == "meta.amount_decimals":
                structural = True
                break
            if p.startswith(prefix):
                cell = self.cell_for_path(p)
                if cell:
                    attr = p[len(prefix):].partition("]")[2].lstrip(".").split(".")[0].split("[")[0]
                    if attr in self._col_of_attr:
                        cells.add(cell)          # only the cell that changed, not its row
        if structural:
            self.beginResetModel()
            self.endResetModel()
        elif cells:
            for row, col in cells:
                index = self.index(row, col)
                self.dataChanged.emit(index, index)
            if self.totals is not None:
                n = self.item_count()
                self.dataChanged.emit(self.index(n, 0), self.index(n, self.columnCount() - 1))

    def set_path_marks(self, marks: dict[str, tuple[Severity, list[str]]]) -> None:
        """All marks of the field paths in this table; only cells whose mark changed are repainted."""
        old = self.highlights
        self._path_marks = {}
        self._cell_paths = {}
        self.highlights = {}
        self.update_path_marks(marks, repaint=False)
        new = self.highlights
        if old != new:
            self._repaint_cells({c for c in set(old) | set(new) if old.get(c) != new.get(c)})

    def update_path_marks(self, updates: dict[str, tuple[Severity, list[str]] | None],
                          repaint: bool = True) -> None:
        """Marks of some field paths changed (None: no longer marked); a cell shows the most severe
        mark of the paths that point into it."""
        changed: set[tuple[int, int]] = set()
        for path, mark in updates.items():
            cell = self.cell_for_path(path)
            if cell is None:
                continue
            paths = self._cell_paths.setdefault(cell, set())
            if mark is None:
                self._path_marks.pop(path, None)
                paths.discard(path)
            else:
                self._path_marks[path] = mark
                paths.add(path)
            marks = [self._path_marks[p] for p in sorted(paths)]
            new = None
            if marks:
                severity = min((m[0] for m in marks), key=lambda s: s.rank)
                new = (severity, [msg for m in marks for msg in m[1]])
            if self.highlights.get(cell) != new:
                if new is None:
                    self.highlights.pop(cell, None)
                else:
                    self.highlights[cell] = new
                changed.add(cell)
        if repaint:
            self._repaint_cells(changed)

    def _repaint_cells(self, cells) -> None:
        rows, cols = self.rowCount(), self.columnCount()
        for row, col in cells:
            if row < rows and col < cols:
                index = self.index(row, col)
                self.dataChanged.emit(index, index)

    # -------------------------------------------------------------- Qt model API
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt signature
        if parent.isValid():
            return 0
        return self.item_count() + (1 if self.totals is not None else 0)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return "" if self.is_total_row(section) else str(section + 1)

    def _places(self) -> int:
        return max(2, self.doc.report.meta.amount_decimals or 0)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        column = self.columns[col]
        if self.is_total_row(row):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                values = self.totals(self.doc.report) if self.totals else {}
                if column.attr in values:
                    value = values[column.attr]
                    return value if isinstance(value, str) else format_cell(column, value, self._places())
                return "合计" if col == 0 else ""
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(TOTAL_BG)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in PARSERS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ToolTipRole:
                return "自动计算，不可编辑"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return format_cell(column, self.value_at(row, col), self._places())
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in PARSERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        mark = self.highlights.get((row, col))
        if mark:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(ERROR_BG if mark[0] is Severity.ERROR else WARNING_BG)
            if role == Qt.ItemDataRole.ToolTipRole:
                if self.tooltip_for is not None:   # the current texts (marks keep, texts follow typing)
                    paths = sorted(self._cell_paths.get((row, col), ()))
                    return "\n".join(msg for p in paths for msg in self.tooltip_for(p)) or "\n".join(mark[1])
                return "\n".join(mark[1])
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.is_total_row(index.row()):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.is_total_row(index.row()):
            return False
        column = self.columns[index.column()]
        try:
            parsed = parse_cell(column, "" if value is None else str(value))
        except (NumberParseError, ValueError) as exc:
            self.parse_failed.emit(f"第 {index.row() + 1} 行“{column.header}”：{exc}")
            return False
        self.doc.break_merge()
        self.doc.set_value(self.path_for(index.row(), index.column()), parsed)
        self.parse_failed.emit("")
        return True

    # -------------------------------------------------------------- paste / clear
    def paste_changes(self, block: str | list[list[str]], start_row: int, start_col: int
                      ) -> tuple[list[FieldChange], list[tuple[str, int]]]:
        """Changes for a block of cells (text as Excel/WPS copy it, or rows) placed at
        (start_row, start_col). Blank cells leave the cell as it is. Raises PasteError naming the
        row, the column and the reason."""
        rows = parse_tsv(block) if isinstance(block, str) else tidy([list(r) for r in block])
        if not rows:
            raise PasteError("剪贴板中没有可粘贴的内容。")
        width = len(rows[0])
        if start_col + width > len(self.columns):
            room = len(self.columns) - start_col
            raise PasteError(
                f"粘贴的内容有 {width} 列，但从“{self.columns[start_col].header}”列起只有 {room} 列，"
                f"粘贴内容的第 {room + 1} 列起放不下。请选中更靠左的单元格再粘贴。未做任何修改。")
        n = self.item_count()
        changes: list[FieldChange] = []
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                if not cell.strip():
                    continue                       # a blank cell: the value stays as it is
                row, col = start_row + r, start_col + c
                column = self.columns[col]
                text = cell if column.kind in PARSERS or column.kind == "choice" else one_line(cell)
                try:
                    value = parse_cell(column, text)
                except (NumberParseError, ValueError) as exc:
                    shown = " ".join(cell.split())
                    raise PasteError(
                        f"第 {row + 1} 行“{column.header}”列（粘贴内容的第 {r + 1} 行第 {c + 1} 列）"
                        f"的内容“{shown}”无法使用：{exc}。未做任何修改。") from None
                changes.append(FieldChange(self.path_for(row, col), value, label=column.header))
        inserts = [(self.list_path, i) for i in range(n, start_row + len(rows))]
        return changes, inserts

    def empty_value(self, col: int) -> Any:
        """What a cleared cell holds: nothing for numbers and text, the default for a choice."""
        column = self.columns[col]
        if column.kind == "choice":
            from ..core.model import new_item
            item = new_item(self.list_path)
            return getattr(item, column.attr, None) if column.attr else None
        return parse_cell(column, "")

    def clear_changes(self, cells: list[tuple[int, int]]) -> list[FieldChange]:
        n = self.item_count()
        changes = []
        for row, col in sorted(set(cells)):
            if 0 <= row < n:
                path = self.path_for(row, col)
                value = self.empty_value(col)
                if self.doc.get(path) != value:
                    changes.append(FieldChange(path, value, label=self.columns[col].header))
        return changes


def one_line(text: str) -> str:
    """A cell with line breaks (wrapped in Excel) for a one-line text field: the lines joined,
    with a space only between two Latin letters/digits."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out if parts else text


class _Delegate(QStyledItemDelegate):
    def __init__(self, model: ListTableModel, parent=None) -> None:
        super().__init__(parent)
        self.table_model = model

    def createEditor(self, parent, option, index):  # noqa: N802
        column = self.table_model.columns[index.column()]
        if column.kind == "choice":
            combo = QComboBox(parent)
            for _, label in column.choices:
                combo.addItem(label)
            return combo
        editor = super().createEditor(parent, option, index)
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
            return
        super().setModelData(editor, model, index)


class _TableView(QTableView):
    """Keys of a spreadsheet: Ctrl+V / Ctrl+C, Delete clears the selected cells, and Tab on the
    last cell (Shift+Tab on the first) leaves the table instead of wrapping around."""

    paste_requested = Signal()
    copy_requested = Signal()
    clear_requested = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing:
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste_requested.emit()
                event.accept()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_requested.emit()
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
                self.clear_requested.emit()
                event.accept()
                return
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if self._at_edge(forward):
                event.accept()
                QWidget.focusNextPrevChild(self, forward)
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802
        # Tab / Shift+Tab in a cell editor on the last / first cell: leave the table
        Hint = QStyledItemDelegate.EndEditHint
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            forward = hint == Hint.EditNextItem
            if self._at_edge(forward):
                super().closeEditor(editor, Hint.NoHint)
                QWidget.focusNextPrevChild(self, forward)
                return
        super().closeEditor(editor, hint)

    def _at_edge(self, forward: bool) -> bool:
        model = self.model()
        if model is None or model.rowCount() == 0 or model.columnCount() == 0:
            return True
        current = self.currentIndex()
        if not current.isValid():
            return True
        last_row = model.rowCount() - 1
        if getattr(model, "totals", None) is not None:
            last_row -= 1                      # the totals row is read-only
        if forward:
            return current.row() >= last_row and current.column() >= model.columnCount() - 1
        return current.row() <= 0 and current.column() <= 0


class ListTableView(QWidget):
    """A table with 添加 / 删除 / 上移 / 下移 buttons and Ctrl+V paste of Excel blocks."""

    def __init__(self, doc: ReportDocument, list_path: str, columns: list[Column],
                 totals: Callable[[Report], dict[str, Any]] | None = None,
                 title: str = "", parent: QWidget | None = None, min_rows: int = 4) -> None:
        super().__init__(parent)
        self.doc = doc
        self.model = ListTableModel(doc, list_path, columns, totals, self)
        self.min_rows = min_rows
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if any(c.kind == "amount" for c in columns):
            title = (title + "　" if title else "") + "<span style='color:#555; font-weight:normal'>金额单位：万元</span>"
        if title:
            label = QLabel(f"<b>{title}</b>")
            layout.addWidget(label)
        self.view = _TableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(_Delegate(self.model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setWordWrap(True)
        self._wrap_rows: bool | None = None
        self._configure_rows()
        for col, column in enumerate(columns):
            width = column.width or (110 if column.kind in PARSERS else 150)
            self.view.setColumnWidth(col, width)
        self.view.paste_requested.connect(self.paste_from_clipboard)
        self.view.copy_requested.connect(self.copy_selection)
        self.view.clear_requested.connect(self.clear_selection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self.show_context_menu)
        layout.addWidget(self.view)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("添加")
        self.remove_button = QPushButton("删除")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        for button, slot in ((self.add_button, self.add_row), (self.remove_button, self.remove_row),
                             (self.up_button, self.move_up), (self.down_button, self.move_down)):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        hint = QLabel("可从 Excel/WPS 复制整块数据后按 Ctrl+V 粘贴；右键有更多操作")
        hint.setStyleSheet("color: #777;")
        hint.setWordWrap(True)          # wraps on a narrow window instead of widening the tab
        buttons.addWidget(hint, 1)
        layout.addLayout(buttons)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_TEXT_STYLE)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.note = QLabel()
        self.note.setStyleSheet("color: #555;")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        layout.addWidget(self.note)
        self.model.parse_failed.connect(self.show_message)
        self.model.modelReset.connect(self._on_rows_changed)
        self.model.rowsInserted.connect(self._on_rows_changed)
        self.model.rowsRemoved.connect(self._on_rows_changed)
        self._fit_all_rows()
        self._fit_height()

    # -------------------------------------------------------------- layout
    def _configure_rows(self) -> None:
        """Rows grow to their wrapped text in short tables; a long table (hundreds of projects,
        thousands of economic lines) keeps fixed-height rows, so that a keystroke never makes Qt
        measure rows nobody is looking at (the full text is in the cell's tooltip / editor).
        A short table measures only the rows whose data changed (not Qt's ResizeToContents, which
        re-measures every row of the table on every change: 50 projects cost 30 ms a keystroke)."""
        wrap = self.model.rowCount() <= WRAP_ROWS_LIMIT
        if wrap == self._wrap_rows:
            return
        was_wrapping = bool(self._wrap_rows)
        self._wrap_rows = wrap
        header = self.view.verticalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)   # sized by us, row by row
        columns = self.view.horizontalHeader()
        if wrap:
            self.model.dataChanged.connect(self._fit_changed_rows)
            columns.sectionResized.connect(self._fit_all_rows)
        elif was_wrapping:
            self.model.dataChanged.disconnect(self._fit_changed_rows)
            columns.sectionResized.disconnect(self._fit_all_rows)
            for row in range(self.model.rowCount()):
                header.resizeSection(row, header.defaultSectionSize())
        self.view.setWordWrap(wrap)

    def _fit_changed_rows(self, top: QModelIndex, bottom: QModelIndex, *args) -> None:
        columns = self.model.columns[top.column():bottom.column() + 1]
        if all(column.kind in PARSERS for column in columns):
            return          # amounts and counts do not wrap: the row keeps its height
        for row in range(top.row(), bottom.row() + 1):
            self.view.resizeRowToContents(row)
        self._fit_height()

    def _fit_all_rows(self, *args) -> None:
        if self._wrap_rows:
            self.view.resizeRowsToContents()
            self._fit_height()

    def _on_rows_changed(self, *args) -> None:
        self._configure_rows()
        self._fit_all_rows()
        self._fit_height()

    def _fit_height(self, *args) -> None:
        vheader = self.view.verticalHeader()
        rows = self.model.rowCount()
        if self._wrap_rows:
            body = vheader.length() if rows else 0
        else:
            body = rows * vheader.defaultSectionSize()
        body += max(0, self.min_rows - rows) * vheader.defaultSectionSize()
        height = self.view.horizontalHeader().sizeHint().height() + body + 4
        total_width = sum(self.view.columnWidth(c) for c in range(self.model.columnCount()))
        if total_width > 860:   # a horizontal scroll bar will show; keep the totals row visible
            height += self.view.horizontalScrollBar().sizeHint().height()
        height = min(height, MAX_TABLE_HEIGHT)
        if self.view.height() != height or self.view.minimumHeight() != height:
            self.view.setFixedHeight(height)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded if height >= MAX_TABLE_HEIGHT
                                             else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:
            self.show_note("")

    # -------------------------------------------------------------- row actions
    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() and not self.model.is_total_row(index.row()) else -1

    def select_cell(self, row: int, col: int = 0) -> None:
        index = self.model.index(row, col)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def add_row(self) -> None:
        row = self.current_row()
        at = row + 1 if row >= 0 else self.model.item_count()
        self.doc.insert_item(self.model.list_path, at)
        self.select_cell(at, 0)

    def remove_row(self) -> None:
        row = self.current_row()
        if row < 0:
            self.show_message("请先选中要删除的行。")
            return
        self.doc.remove_item(self.model.list_path, row)
        n = self.model.item_count()
        if n:
            self.select_cell(min(row, n - 1), 0)

    def move_up(self) -> None:
        row = self.current_row()
        if row > 0:
            col = self.view.currentIndex().column()
            self.doc.move_item(self.model.list_path, row, row - 1)
            self.select_cell(row - 1, col)

    def move_down(self) -> None:
        row = self.current_row()
        if 0 <= row < self.model.item_count() - 1:
            col = self.view.currentIndex().column()
            self.doc.move_item(self.model.list_path, row, row + 1)
            self.select_cell(row + 1, col)

    # -------------------------------------------------------------- context menu, copy, clear
    def show_context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        menu = QMenu(self)
        editable = bool(self.model.list_path)
        on_row = self.current_row() >= 0
        menu.addAction("插入行", self.insert_row).setEnabled(editable)
        menu.addAction("删除行", self.remove_row).setEnabled(editable and on_row)
        menu.addSeparator()
        menu.addAction("复制", self.copy_selection).setEnabled(bool(self.selected_cells(True)))
        menu.addAction("粘贴", self.paste_from_clipboard).setEnabled(editable)
        menu.addAction("清除", self.clear_selection).setEnabled(editable and bool(self.selected_cells()))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def insert_row(self) -> None:
        """A new row above the current one (at the end when none is current)."""
        row = self.current_row()
        at = row if row >= 0 else self.model.item_count()
        col = max(0, self.view.currentIndex().column())
        self.doc.insert_item(self.model.list_path, at)
        self.select_cell(at, col)

    def selected_cells(self, include_totals: bool = False) -> list[tuple[int, int]]:
        indexes = self.view.selectionModel().selectedIndexes() if self.view.selectionModel() else []
        if not indexes and self.view.currentIndex().isValid():
            indexes = [self.view.currentIndex()]
        return sorted({(i.row(), i.column()) for i in indexes
                       if include_totals or not self.model.is_total_row(i.row())})

    def copy_selection(self) -> None:
        """The selected block as tab-separated text (what Excel/WPS paste)."""
        cells = self.selected_cells(True)
        if not cells:
            return
        rows = sorted({r for r, _ in cells})
        cols = sorted({c for _, c in cells})
        chosen = set(cells)
        lines = []
        for r in rows:
            out = []
            for c in cols:
                text = str(self.model.data(self.model.index(r, c)) or "") if (r, c) in chosen else ""
                if any(ch in text for ch in '\t\n"'):
                    text = '"' + text.replace('"', '""') + '"'
                out.append(text)
            lines.append("\t".join(out))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    def clear_selection(self) -> None:
        """Empty the selected cells as ONE undo step."""
        changes = self.model.clear_changes(self.selected_cells())
        if changes:
            self.doc.apply_changes(changes, f"清除 {len(changes)} 个单元格")
        self.show_message("")

    # -------------------------------------------------------------- paste
    def paste_from_clipboard(self) -> bool:
        rows = clipboard_rows(QGuiApplication.clipboard().mimeData())
        return self.paste_text(rows)

    def paste_text(self, block: str | list[list[str]]) -> bool:
        """Apply a block (Excel/WPS text or rows) at the current cell as ONE undo step; blank cells
        keep their value. False + a message naming row, column and reason if refused."""
        index = self.view.currentIndex()
        if index.isValid():
            row, col = index.row(), index.column()
        else:
            row, col = self.model.item_count(), 0
        if self.model.is_total_row(row):
            row = self.model.item_count()          # pasting on the totals row appends rows
        try:
            changes, inserts = self.model.paste_changes(block, row, col)
        except PasteError as exc:
            self.show_message(str(exc))
            return False
        rows = parse_tsv(block) if isinstance(block, str) else tidy([list(r) for r in block])
        blanks = sum(1 for r in rows for c in r if not c.strip())
        try:
            self.doc.apply_changes(changes, f"粘贴 {len(rows)} 行", inserts)
        except ValueError as exc:
            self.show_message(str(exc))
            return False
        note = f"已粘贴 {len(changes)} 个单元格"
        if blanks:
            note += f"；{blanks} 个空白单元格保持原值（要清空请选中后按 Delete）"
        self.show_message("")
        self.show_note(note + "。")
        return True

    def show_note(self, text: str) -> None:
        """A neutral (not red) one-line note under the table."""
        self.note.setText(text)
        self.note.setVisible(bool(text))


def commit_open_editors(root: QWidget) -> None:
    """Commit a table cell editor that is still open (Ctrl+S while typing in a cell)."""
    focus = QApplication.focusWidget()
    if focus is None:
        return
    for view in root.findChildren(QAbstractItemView):
        if view.state() == QAbstractItemView.State.EditingState and view.isAncestorOf(focus):
            editor = focus
            while editor is not None and editor.parentWidget() is not view.viewport():
                editor = editor.parentWidget()
            if editor is not None:
                view.commitData(editor)
                view.closeEditor(editor, QStyledItemDelegate.EndEditHint.NoHint)
            return
