"""文件 → 新建下一年度报告: one dialog, one choice per narrative part (沿用为草稿 / 清空).

The new report comes from core.next_year.start_next_year (the same function as ``perfeval
next-year``); this module only asks and shows. Texts kept as drafts are highlighted as 待更新
by the main window (core.next_year.pending_drafts) until the officer edits them.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QDialog, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QRadioButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from ..core.model import Report
from ..core.next_year import CLEAR, DRAFT_LABEL, KEEP, narrative_parts, start_next_year
from .widgets import ok_cancel_buttons

PREVIEW_CHARS = 60


class NextYearDialog(QDialog):
    def __init__(self, report: Report, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        year = report.meta.fiscal_year
        self.setWindowTitle("新建下一年度报告")
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        target = f"{year + 1} 年度" if year else "下一年度"
        intro = QLabel(
            f"从{'“' + report.meta.unit_name + '”' if report.meta.unit_name else '本报告'}"
            f"{f' {year} 年度' if year else ''}的报告新建{target}报告：本年的全部数字成为上年数，"
            "本年数字留空；项目连同绩效指标和目标值沿用（完成值和得分清空），各项目的上年结转 = 本年结余结转；"
            f"封面年度和落款日期顺延一年。\n请为每一部分的文字选择：沿用为草稿（标为“{DRAFT_LABEL}”并突出显示，"
            "直到修改为止）或清空。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.parts = narrative_parts(report)
        self.table = QTableWidget(len(self.parts), 4)
        self.table.setHorizontalHeaderLabels(["部分", "上年文字（开头）", "沿用为草稿", "清空"])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.groups: dict[str, QButtonGroup] = {}
        self.keep_buttons: dict[str, QRadioButton] = {}
        self.clear_buttons: dict[str, QRadioButton] = {}
        for row, (slot_id, heading, text) in enumerate(self.parts):
            self.table.setItem(row, 0, QTableWidgetItem(heading))
            preview = text.replace("\n", " ")
            item = QTableWidgetItem(preview[:PREVIEW_CHARS] + ("…" if len(preview) > PREVIEW_CHARS else ""))
            item.setToolTip(text[:2000])
            self.table.setItem(row, 1, item)
            keep, clear = QRadioButton(), QRadioButton()
            keep.setChecked(True)
            group = QButtonGroup(self)
            group.addButton(keep)
            group.addButton(clear)
            self.groups[slot_id] = group
            self.keep_buttons[slot_id] = keep
            self.clear_buttons[slot_id] = clear
            self.table.setCellWidget(row, 2, keep)
            self.table.setCellWidget(row, 3, clear)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.keep_all = QPushButton("全部沿用为草稿")
        self.clear_all = QPushButton("全部清空")
        self.keep_all.clicked.connect(lambda: self._set_all(KEEP))
        self.clear_all.clicked.connect(lambda: self._set_all(CLEAR))
        row.addWidget(self.keep_all)
        row.addWidget(self.clear_all)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(ok_cancel_buttons(self, "新建"))

    def _set_all(self, choice: str) -> None:
        for slot_id in self.groups:
            (self.keep_buttons if choice == KEEP else self.clear_buttons)[slot_id].setChecked(True)

    def choices(self) -> dict[str, str]:
        return {sid: KEEP if self.keep_buttons[sid].isChecked() else CLEAR for sid in self.groups}

    def next_report(self) -> Report:
        return start_next_year(self.report, self.choices())


def run_next_year(window) -> bool:
    """Ask, then replace the window's report by next year's (unsaved, 未命名); True when done."""
    from .table import commit_open_editors
    commit_open_editors(window)
    dialog = NextYearDialog(window.doc.report, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    new = dialog.next_report()
    if not window.maybe_save():
        return False
    window.doc.replace_report(new, None, False, None)
    window.doc.mark_dirty()
    window.update_title()
    n = len(new.drafts)
    window.statusBar().showMessage(
        f"已新建 {new.meta.fiscal_year or ''} 年度报告（尚未保存）；{n} 处文字沿用上年，标为“{DRAFT_LABEL}”。", 10000)
    return True
