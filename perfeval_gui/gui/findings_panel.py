"""The findings dock: one line per finding (severity icon, rule id, message, quoted sentence)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDockWidget, QLabel, QListWidget, QListWidgetItem, QStyle,
                               QVBoxLayout, QWidget)

from ..core.findings import Finding, Severity, summarise

FINDING_ROLE = Qt.ItemDataRole.UserRole + 1


class FindingsPanel(QDockWidget):
    finding_activated = Signal(object)    # Finding

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
        self.list.itemClicked.connect(self._on_item)
        self.list.itemActivated.connect(self._on_item)
        layout.addWidget(self.list)
        hint = QLabel("点击一条结果可跳到相应位置。")
        hint.setStyleSheet("color: #777;")
        layout.addWidget(hint)
        self.setWidget(body)
        style = self.style()
        self._icons = {
            Severity.ERROR: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            Severity.WARNING: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            Severity.INFO: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
        }
        self.findings: list[Finding] = []

    def set_findings(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        for f in self.findings:
            text = f"{f.severity.label} [{f.rule_id}] {f.message}"
            if f.quote:
                text += f"\n    原文：“{f.quote}”"
            item = QListWidgetItem(self._icons[f.severity], text)
            item.setData(FINDING_ROLE, f)
            item.setToolTip(text)
            self.list.addItem(item)
        self.list.setUpdatesEnabled(True)
        s = summarise(self.findings)
        if not self.findings:
            self.summary_label.setText("未发现问题。")
        else:
            self.summary_label.setText(f"<b>{s.errors}</b> 个错误，<b>{s.warnings}</b> 个警告，{s.infos} 个提示")

    def _on_item(self, item: QListWidgetItem) -> None:
        finding = item.data(FINDING_ROLE)
        if finding is not None:
            self.finding_activated.emit(finding)

    def messages(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
