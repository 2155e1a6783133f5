"""The first-run strip above the tabs: "这是示例报告……" with 新建 / 打开 / 从 Excel 导入 and ✕.

Shown while the window holds the built-in sample and the officer has not dismissed it; the
dismissal is remembered in the app's settings (gui/paths.py) under ``welcome_dismissed``.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from .paths import settings

SETTING = "welcome_dismissed"


def is_dismissed() -> bool:
    return settings().value(SETTING, False, type=bool)


class WelcomeStrip(QFrame):
    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.setObjectName("welcomeStrip")
        self.setStyleSheet("QFrame#welcomeStrip { background: #eaf2fb; border-bottom: 1px solid #c5d7ec; }"
                           "QFrame#welcomeStrip QLabel { color: #1d3f66; }")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(16, 8, 8, 8)
        lay.setSpacing(8)
        self.label = QLabel("这是示例报告（浏阳市 2021 年）。可以先看看各部分怎样填写，"
                            "再新建或打开自己的报告。")
        self.label.setWordWrap(True)
        lay.addWidget(self.label, 1)
        self.new_button = QPushButton("新建报告")
        self.open_button = QPushButton("打开…")
        self.import_button = QPushButton("从Excel导入上年数据")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("不再显示")
        for b in (self.new_button, self.open_button, self.import_button):
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            lay.addWidget(b)
        lay.addSpacing(4)
        lay.addWidget(self.close_button)
        self.new_button.clicked.connect(lambda: window.new_report())
        self.open_button.clicked.connect(lambda: window.open_file())
        self.import_button.clicked.connect(lambda: window.import_excel())
        self.close_button.clicked.connect(self.dismiss)
        window.doc.changed.connect(self._on_doc_changed)

    def dismiss(self) -> None:
        s = settings()
        s.setValue(SETTING, True)
        s.sync()
        self.hide()

    def _on_doc_changed(self, paths: list) -> None:
        if "*" in paths:
            self.refresh()

    def refresh(self) -> None:
        """Shown only while the window holds the sample (另存为 makes it the officer's own report)."""
        if not self.window_.doc.is_sample:
            self.hide()


def install_welcome(window) -> WelcomeStrip | None:
    """Put the strip above the tabs when the window shows the sample and it was not dismissed."""
    if not window.doc.is_sample or is_dismissed():
        return None
    central = window.takeCentralWidget()
    container = QWidget()
    lay = QVBoxLayout(container)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    strip = WelcomeStrip(window, container)
    lay.addWidget(strip)
    lay.addWidget(central, 1)
    window.setCentralWidget(container)
    window.welcome_strip = strip
    return strip
