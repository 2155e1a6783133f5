"""Start-up floor: a bare PySide6 process showing a QMainWindow with TABS tabs, each with
LINES QLineEdit + TEXTS QPlainTextEdit + TABLES QTableWidget (in a scroll area), then quitting."""
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QApplication, QFormLayout, QLineEdit, QMainWindow, QPlainTextEdit,
                               QScrollArea, QTableWidget, QTabWidget, QWidget)

tabs_n, lines, texts, tables = (int(a) for a in (sys.argv[1:] or ["9", "15", "5", "2"]))
app = QApplication(sys.argv[:1])
win = QMainWindow()
win.resize(1400, 900)
tabs = QTabWidget()
for t in range(tabs_n):
    page = QWidget()
    form = QFormLayout(page)
    for i in range(lines):
        form.addRow(f"字段{i}", QLineEdit())
    for i in range(texts):
        form.addRow(f"文字{i}", QPlainTextEdit())
    for i in range(tables):
        form.addRow(f"表{i}", QTableWidget(5, 6))
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    tabs.addTab(scroll, f"第{t + 1}部分")
win.setCentralWidget(tabs)
win.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
