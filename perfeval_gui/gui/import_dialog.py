"""从 Excel 导入: file picker → reading (progress, cancel) → preview with checkboxes, or a mapping step.

The dialog never modifies the report: it returns the selected FieldChange list (with old
values); the main window pushes ONE undo command with it. openpyxl is loaded lazily by
io/excel_import when a file is read, never at import time of this module.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QSizePolicy, QButtonGroup, QComboBox, QDialog, QDialogButtonBox,
                               QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit,
                               QProgressDialog, QPushButton, QRadioButton, QStackedWidget,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..core.edits import FieldChange
from ..core.model import Report
from ..core.money import fmt_plain
from .screen import fit_to_screen

DIFF_COLOR = QColor("#fff2cc")
MAPPED_COLOR = QColor("#c6efce")


def display_value(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return fmt_plain(value)
    if isinstance(value, list):
        names = [getattr(v, "name", "") for v in value[:3]]
        names = [n for n in names if n]
        more = "…" if len(value) > 3 else ""
        return f"{len(value)} 项" + (f"：{'、'.join(names)}{more}" if names else "")
    if hasattr(value, "name"):
        return f"项目“{value.name}”"
    return str(value)


class ImportDialog(QDialog):
    """Preview (and, for unknown layouts, mapping) of one workbook; ``changes()`` after accept."""

    PAGE_MESSAGE, PAGE_MAPPING, PAGE_PREVIEW = 0, 1, 2

    def __init__(self, report: Report, path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.path = Path(path)
        self.import_result = None
        self.error = ""
        self.note = ""
        self._planned: list[FieldChange] = []
        self._accepted: list[FieldChange] | None = None
        self._previews = None
        self._fingerprints: dict[str, str] = {}
        self.mapping_cells: dict[str, str] = {}
        self.setWindowTitle(f"从 Excel 导入 — {self.path.name}")
        fit_to_screen(self, 900, 620)

        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.stack.addWidget(self._build_message_page())
        self.stack.addWidget(self._build_mapping_page())
        self.stack.addWidget(self._build_preview_page())
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("导入所选数字", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.read()

    # ------------------------------------------------------------------ pages
    def _build_message_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.message_label)
        lay.addStretch(1)
        return page

    def _build_mapping_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.mapping_note = QLabel(
            "没有识别出这个表格的版式。请选择工作表，在下方表格中点选数字所在的单元格，"
            "再选择它对应的数字并点“指定”。对应关系会按表头记住，下次导入同样的表格时自动使用。")
        self.mapping_note.setWordWrap(True)
        lay.addWidget(self.mapping_note)
        row = QHBoxLayout()
        row.addWidget(QLabel("工作表："))
        self.sheet_combo = QComboBox()
        self.sheet_combo.currentIndexChanged.connect(self._show_sheet)
        row.addWidget(self.sheet_combo, 1)
        row.addWidget(QLabel("金额单位："))
        self.unit_combo = QComboBox()
        self.unit_combo.addItem("自动识别", "")
        self.unit_combo.addItem("万元", "万元")
        self.unit_combo.addItem("元", "元")
        row.addWidget(self.unit_combo)
        lay.addLayout(row)
        self.grid = QTableWidget()
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.currentCellChanged.connect(self._on_grid_cell)
        lay.addWidget(self.grid, 3)
        row = QHBoxLayout()
        self.cell_label = QLabel("所选单元格：—")
        row.addWidget(self.cell_label)
        row.addWidget(QLabel("对应的数字："))
        self.field_combo = QComboBox()
        from ..io.excel_layouts import KV_SHEETS, TEXT
        for sheet, fields in KV_SHEETS.items():
            for f in fields:
                if f.kind != TEXT:
                    self.field_combo.addItem(f"{sheet}：{f.label}", f.path)
        row.addWidget(self.field_combo, 1)
        self.assign_button = QPushButton("指定")
        self.assign_button.clicked.connect(self.assign_current_cell)
        row.addWidget(self.assign_button)
        lay.addLayout(row)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(["数字", "单元格", "单元格内容"])
        self.mapping_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(self.mapping_table, 1)
        row = QHBoxLayout()
        self.remove_button = QPushButton("删除所选对应")
        self.remove_button.clicked.connect(self._remove_mapping_row)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        self.apply_mapping_button = QPushButton("按此对应关系读取")
        self.apply_mapping_button.clicked.connect(self.apply_mapping)
        row.addWidget(self.apply_mapping_button)
        lay.addLayout(row)
        return page

    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        lay.addWidget(self.summary_label)
        row = QHBoxLayout()
        self.as_prior_radio = QRadioButton("作为上年数（用于增减率）")
        self.as_current_radio = QRadioButton("作为本年数（替换当前数字）")
        self.as_final_radio = QRadioButton("作为本年决算数（只用于核对）")
        self.as_final_radio.setToolTip("与报告中的数字逐项核对（规则 DEC-01），不改动报告中的数字。")
        self.as_prior_radio.setChecked(True)
        group = QButtonGroup(self)
        for radio in (self.as_prior_radio, self.as_current_radio, self.as_final_radio):
            group.addButton(radio)
            radio.toggled.connect(lambda checked: checked and self.refresh_preview())
            row.addWidget(radio)
        row.addStretch(1)
        self.remap_button = QPushButton("修改对应关系…")
        self.remap_button.clicked.connect(self.show_mapping)
        self.remap_button.setVisible(False)
        row.addWidget(self.remap_button)
        lay.addLayout(row)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["字段", "当前值", "导入值", "来源"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)   # labels never elided
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(self.table, 3)
        row = QHBoxLayout()
        all_button = QPushButton("全选")
        all_button.clicked.connect(lambda: self._check_all(True))
        none_button = QPushButton("全不选")
        none_button.clicked.connect(lambda: self._check_all(False))
        row.addWidget(all_button)
        row.addWidget(none_button)
        self.legend = QLabel("黄色底纹 = 与当前值不同")
        row.addWidget(self.legend)
        row.addStretch(1)
        lay.addLayout(row)
        self.warnings_box = QPlainTextEdit()
        self.warnings_box.setReadOnly(True)
        self.warnings_box.setMaximumHeight(110)
        lay.addWidget(self.warnings_box)
        return page

    # ------------------------------------------------------------------ reading
    def read(self, mapping: dict | None = None) -> bool:
        from ..io.excel_import import ExcelImportError, ImportCancelled, read_workbook

        progress = QProgressDialog(f"正在读取“{self.path.name}”…", "取消", 0, 0, self)
        progress.setWindowTitle("从 Excel 导入")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.setAutoClose(False)
        progress.setAutoReset(False)

        def on_progress(done: int, total: int) -> None:
            if total > 0:
                progress.setMaximum(total)
                progress.setValue(min(done, total))
            QCoreApplication.processEvents()

        try:
            result = read_workbook(self.path, mapping=mapping, progress=on_progress,
                                   cancel=progress.wasCanceled)
        except ImportCancelled:
            self._show_message("已取消读取，没有导入任何数字。")
            return False
        except ExcelImportError as exc:
            if exc.unrecognised and mapping is None:
                self.note = str(exc)
                self.show_mapping(auto_apply=True)
                return False
            self._show_message(str(exc))
            return False
        finally:
            progress.close()
            progress.deleteLater()
        self.import_result = result
        self.error = ""
        self.remap_button.setVisible(mapping is not None)
        self.stack.setCurrentIndex(self.PAGE_PREVIEW)
        self.ok_button.setVisible(True)
        self.ok_button.setEnabled(True)
        self.refresh_preview()
        return True

    def _show_message(self, text: str) -> None:
        self.error = text
        self.message_label.setText(text)
        self.stack.setCurrentIndex(self.PAGE_MESSAGE)
        self.ok_button.setVisible(False)
        self.ok_button.setEnabled(False)
        self.cancel_button.setText("关闭")
        # a message, not a preview: a small window around the text instead of an empty 900×620
        self.message_label.setMinimumWidth(460)
        for i in range(self.stack.count()):         # the hidden pages must not hold the size up
            if i != self.PAGE_MESSAGE:
                self.stack.widget(i).setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.stack.adjustSize()
        self.resize(560, max(170, self.message_label.heightForWidth(520) + 110))

    # ------------------------------------------------------------------ preview
    def as_prior(self) -> bool:
        return self.as_prior_radio.isChecked()

    def refresh_preview(self) -> None:
        if self.import_result is None:
            return
        from ..core.imports import plan_import

        mode = "prior" if self.as_prior() else "final" if self.as_final_radio.isChecked() else "current"
        self._planned = plan_import(self.report, self.import_result.values, mode, keep_unchanged=True)
        self.table.setRowCount(len(self._planned))
        differing = 0
        for i, ch in enumerate(self._planned):
            label = QTableWidgetItem(ch.label or ch.path)
            label.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            label.setCheckState(Qt.CheckState.Checked)
            label.setToolTip(ch.path)
            items = [label, QTableWidgetItem(display_value(ch.old)), QTableWidgetItem(display_value(ch.new)),
                     QTableWidgetItem(ch.source)]
            differs = ch.old != ch.new
            differing += differs
            for col, item in enumerate(items):
                if col in (1, 2) and isinstance(ch.new if col == 2 else ch.old, (Decimal, int)):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if differs:
                    item.setBackground(QBrush(DIFF_COLOR))
                if col:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(i, col, item)
        r = self.import_result
        skipped = ""
        if self.as_prior() or self.as_final_radio.isChecked():
            lists = [v.label for v in r.values if isinstance(v.value, (list, str))]
            if lists:
                skipped = "；作为上年数/决算数时不导入文字和列表（" + "、".join(lists[:4]) + ("…" if len(lists) > 4 else "") + "）"
        self.summary_label.setText(
            f"文件：{self.path.name}　版式：{r.layout_name}　读到 {len(r.values)} 项，"
            f"其中 {differing} 项与当前值不同{skipped}。勾选要导入的行。")
        warnings = list(r.warnings)
        self.warnings_box.setPlainText("\n".join(f"• {w}" for w in warnings))
        self.warnings_box.setVisible(bool(warnings))

    def row_differs(self, row: int) -> bool:
        ch = self._planned[row]
        return ch.old != ch.new

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for i in range(self.table.rowCount()):
            self.table.item(i, 0).setCheckState(state)

    def set_row_checked(self, row: int, on: bool) -> None:
        self.table.item(row, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def selected_changes(self) -> list[FieldChange]:
        return [ch for i, ch in enumerate(self._planned)
                if self.table.item(i, 0) is not None and self.table.item(i, 0).checkState() == Qt.CheckState.Checked]

    def _on_accept(self) -> None:
        if self.stack.currentIndex() != self.PAGE_PREVIEW:
            return
        self._accepted = self.selected_changes()
        self.accept()

    def changes(self) -> list[FieldChange] | None:
        """The selected changes after 导入; None when cancelled."""
        return self._accepted

    # ------------------------------------------------------------------ mapping step
    def _data_dir(self) -> Path:
        from .paths import user_data_dir
        return user_data_dir()

    def show_mapping(self, auto_apply: bool = False) -> None:
        from ..io.excel_import import ExcelImportError, header_fingerprint, preview_sheets
        from ..io.excel_mapping import load_mapping

        if self._previews is None:
            try:
                self._previews = preview_sheets(self.path)
            except ExcelImportError as exc:
                self._show_message(str(exc))
                return
            self._fingerprints = {p.name: header_fingerprint(p) for p in self._previews}
            self.sheet_combo.blockSignals(True)
            for p in self._previews:
                self.sheet_combo.addItem(p.name + ("（隐藏）" if p.hidden else ""), p.name)
            self.sheet_combo.blockSignals(False)
            if auto_apply:
                for p in self._previews:
                    saved = load_mapping(self._data_dir(), self._fingerprints[p.name])
                    if saved and saved.get("sheet") == p.name:
                        self._load_mapping(saved)
                        if self.read(saved):
                            self.summary_label.setText(self.summary_label.text() +
                                                       "（已使用上次为同样表头保存的对应关系）")
                            return
        self.stack.setCurrentIndex(self.PAGE_MAPPING)
        self.ok_button.setEnabled(False)
        self._show_sheet(self.sheet_combo.currentIndex())

    def _load_mapping(self, mapping: dict) -> None:
        self.mapping_cells = dict(mapping.get("cells") or {})
        idx = self.sheet_combo.findData(mapping.get("sheet"))
        if idx >= 0:
            self.sheet_combo.setCurrentIndex(idx)
        uidx = self.unit_combo.findData(mapping.get("unit") or "")
        if uidx >= 0:
            self.unit_combo.setCurrentIndex(uidx)
        self._refresh_mapping_table()

    def _current_preview(self):
        if not self._previews:
            return None
        name = self.sheet_combo.currentData()
        return next((p for p in self._previews if p.name == name), None)

    def _show_sheet(self, _index: int) -> None:
        from ..io.excel_import import col_letter

        preview = self._current_preview()
        rows = preview.rows if preview else []
        ncols = max((len(r) for r in rows), default=0)
        self.grid.clear()
        self.grid.setRowCount(len(rows))
        self.grid.setColumnCount(ncols)
        self.grid.setHorizontalHeaderLabels([col_letter(c + 1) for c in range(ncols)])
        self.grid.setVerticalHeaderLabels([str(r + 1) for r in range(len(rows))])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    self.grid.setItem(r, c, QTableWidgetItem(text))
        self._refresh_mapping_table()

    def _on_grid_cell(self, row: int, col: int, *_args) -> None:
        from ..io.excel_import import col_letter
        if row < 0 or col < 0:
            self.cell_label.setText("所选单元格：—")
            return
        item = self.grid.item(row, col)
        self.cell_label.setText(f"所选单元格：{col_letter(col + 1)}{row + 1}　{item.text() if item else '（空）'}")

    def assign_current_cell(self) -> None:
        from ..io.excel_import import col_letter
        row, col = self.grid.currentRow(), self.grid.currentColumn()
        if row < 0 or col < 0:
            return
        self.assign(self.field_combo.currentData(), f"{col_letter(col + 1)}{row + 1}")

    def assign(self, path: str, coord: str) -> None:
        self.mapping_cells[path] = coord
        self._refresh_mapping_table()

    def _remove_mapping_row(self) -> None:
        row = self.mapping_table.currentRow()
        if row < 0:
            return
        path = self.mapping_table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        self.mapping_cells.pop(path, None)
        self._refresh_mapping_table()

    def _refresh_mapping_table(self) -> None:
        from ..io.excel_import import parse_coord
        from ..io.excel_layouts import field_label

        self.mapping_table.setRowCount(len(self.mapping_cells))
        for r in range(self.grid.rowCount()):
            for c in range(self.grid.columnCount()):
                item = self.grid.item(r, c)
                if item is not None:
                    item.setBackground(QBrush())
        for i, (path, coord) in enumerate(self.mapping_cells.items()):
            name = QTableWidgetItem(field_label(path))
            name.setData(Qt.ItemDataRole.UserRole, path)
            text = ""
            try:
                r, c = parse_coord(coord)
                item = self.grid.item(r - 1, c - 1)
                if item is None and 0 < r <= self.grid.rowCount() and 0 < c <= self.grid.columnCount():
                    item = QTableWidgetItem("")
                    self.grid.setItem(r - 1, c - 1, item)
                if item is not None:
                    text = item.text()
                    item.setBackground(QBrush(MAPPED_COLOR))
            except ValueError:
                pass
            self.mapping_table.setItem(i, 0, name)
            self.mapping_table.setItem(i, 1, QTableWidgetItem(coord))
            self.mapping_table.setItem(i, 2, QTableWidgetItem(text))

    def current_mapping(self) -> dict:
        return {"sheet": self.sheet_combo.currentData(), "unit": self.unit_combo.currentData() or "",
                "cells": dict(self.mapping_cells)}

    def apply_mapping(self) -> bool:
        from ..io.excel_mapping import save_mapping
        if not self.mapping_cells:
            self.mapping_note.setText("还没有指定任何单元格。请先在表格中点选单元格，再点“指定”。")
            return False
        mapping = self.current_mapping()
        if not self.read(mapping):
            return False
        fingerprint = self._fingerprints.get(mapping["sheet"])
        if fingerprint:
            try:
                save_mapping(self._data_dir(), fingerprint, mapping)
            except OSError:
                self.summary_label.setText(self.summary_label.text() + "（对应关系未能保存）")
        return True


def run_import_dialog(parent: QWidget | None, report: Report,
                      path: str | Path | None = None) -> list[FieldChange] | None:
    """Pick a workbook (unless ``path``, e.g. dropped on the window), preview, return the selected
    changes (with old values) or None."""
    from .paths import settings

    store = settings()
    if path is None:
        start = str(store.value("import/last_dir", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(parent, "从 Excel 导入", start,
                                              "Excel 工作簿 (*.xlsx *.xlsm *.xls);;所有文件 (*)")
        if not path:
            return None
    store.setValue("import/last_dir", str(Path(path).parent))
    dialog = ImportDialog(report, path, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.changes()
    finally:
        dialog.deleteLater()
