"""The findings dock: one line per finding (severity icon, rule id, message, quoted sentence)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import (QDockWidget, QLabel, QListWidget, QListWidgetItem, QMenu, QStyle,
                               QVBoxLayout, QWidget)

from ..core.findings import Finding, Severity, Summary, summarise

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
GREY_ROLE = Qt.ItemDataRole.UserRole + 2
REFRESH_MS = 250      # changed figures in listed findings are redrawn this long after typing pauses
SEVERITY_ICONS = {Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
                  Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
                  Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation}


class FindingsPanel(QDockWidget):
    finding_activated = Signal(object)    # Finding
    note_changed = Signal(object, object)  # Finding, the officer's explanation (None: not acknowledged)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("检查结果", parent)
        self.setObjectName("findings_dock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        # wrap long messages to the panel's width instead of cutting them at the right edge
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        # a long list (hundreds of findings in a big report) is laid out a batch at a time after
        # the first screenful, so a keystroke that changes one finding never waits for all of them
        self.list.setLayoutMode(QListWidget.LayoutMode.Batched)
        self.list.setBatchSize(40)
        self.list.itemClicked.connect(self._on_item)
        self.list.itemActivated.connect(self._on_item)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        layout.addWidget(self.list)
        hint = QLabel("点击一条结果可跳到相应位置；警告和提示可右键“核实并说明”。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #777;")
        layout.addWidget(hint)
        self.setWidget(body)
        self._icons: dict[Severity, QIcon] = {}      # loaded on first use (start-up: only those shown)
        self._grey = QBrush(QColor("#777777"))
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.refresh_items)
        self.findings: list[Finding] = []
        self._shown: list[Finding] = []     # what the items show, in order
        self.set_findings([])

    def _icon(self, severity: Severity) -> QIcon:
        icon = self._icons.get(severity)
        if icon is None:
            icon = self._icons[severity] = self.style().standardIcon(SEVERITY_ICONS[severity])
        return icon

    def set_findings(self, findings: list[Finding], summary: Summary | None = None) -> None:
        """Show ``findings``; items of findings that did not change are kept as they are (a
        keystroke usually changes one message), so the list is not laid out again."""
        self.findings = list(findings)
        lst = self.list
        shown, new = self._shown, self.findings
        if len(shown) == len(new) and lst.count() == len(shown):
            # the same findings with new figures while the officer types: the items follow a
            # moment after typing pauses (the field frames and the status bar follow at once)
            self._refresh.start()
        else:
            # a finding came or went: replace only the differing middle of the list
            self._refresh.stop()
            start, limit = 0, min(len(shown), len(new))
            while start < limit and shown[start] == new[start]:
                start += 1
            end = 0
            while end < limit - start and shown[-1 - end] == new[-1 - end]:
                end += 1
            for _ in range(len(shown) - end - start):
                lst.takeItem(start)
            for offset, f in enumerate(new[start:len(new) - end]):
                item = QListWidgetItem()
                self._fill_item(item, f)
                lst.insertItem(start + offset, item)
            self._shown = list(new)
        s = summary if summary is not None else summarise(self.findings)
        text = s.text if self.findings else "未发现问题。"
        if self.summary_label.text() != text:
            self.summary_label.setText(text)

    def refresh_items(self) -> None:
        """Bring the items' texts up to date with ``findings`` (same number of items)."""
        self._refresh.stop()
        lst = self.list
        if lst.count() != len(self.findings):
            return
        for i, f in enumerate(self.findings):
            if self._shown[i] != f:
                self._fill_item(lst.item(i), f)
        self._shown = list(self.findings)

    def _fill_item(self, item: QListWidgetItem, f: Finding) -> None:
        label = "已核实" if f.note is not None else f.severity.label
        text = f"{label} [{f.rule_id}] {f.message}"
        if f.quote:
            text += f"\n    原文：“{f.quote}”"
        if f.note is not None:
            text += f"\n    说明：{f.note}"
        if item.data(FINDING_ROLE) is None or item.data(FINDING_ROLE).severity is not f.severity:
            item.setIcon(self._icon(f.severity))
        if item.text() != text:
            item.setText(text)
            item.setToolTip(text)
        item.setData(FINDING_ROLE, f)
        grey = f.note is not None
        if item.data(GREY_ROLE) != grey:
            item.setData(GREY_ROLE, grey)
            item.setForeground(self._grey if grey else QBrush())

    # ------------------------------------------------------------------ acknowledging
    def _context_menu(self, pos) -> None:
        self.refresh_items()
        item = self.list.itemAt(pos)
        finding = item.data(FINDING_ROLE) if item is not None else None
        if finding is None:
            return
        menu = QMenu(self)
        from ..core.findings import STALE_NOTE_RULE
        if finding.rule_id == STALE_NOTE_RULE:
            menu.addAction("删除此说明", lambda: self.note_changed.emit(finding, None))
        elif not finding.acknowledgeable:
            menu.addAction("错误必须改正，不能核实后保留").setEnabled(False)
        elif finding.note is None:
            menu.addAction("核实并说明…", lambda: self.acknowledge(finding))
        else:
            menu.addAction("修改说明…", lambda: self.acknowledge(finding))
            menu.addAction("取消核实", lambda: self.note_changed.emit(finding, None))
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def acknowledge(self, finding: Finding) -> None:
        note = self.ask_note(finding)
        if note is not None and note.strip():
            self.note_changed.emit(finding, note.strip())

    def ask_note(self, finding: Finding) -> str | None:
        """The officer's explanation for the reviewer (None: cancelled)."""
        from PySide6.QtWidgets import QInputDialog
        text, ok = QInputDialog.getMultiLineText(
            self, "核实并说明",
            f"{finding.severity.label} [{finding.rule_id}] {finding.message}\n\n"
            "已核实无误时，请写明理由（例如“该项目绩效分析见附件”）。说明随项目文件保存；数字改变后会重新提示。",
            finding.note or "")
        return text if ok else None

    def _on_item(self, item: QListWidgetItem) -> None:
        self.refresh_items()
        finding = item.data(FINDING_ROLE)
        if finding is not None:
            self.finding_activated.emit(finding)

    def messages(self) -> list[str]:
        """The texts the list shows (after a pending refresh)."""
        self.refresh_items()
        return [self.list.item(i).text() for i in range(self.list.count())]
