"""Start-up floor: ``python bench/floor_window.py SHOWN.json``.

A bare PySide6 process that shows what our window shows at start-up, with none of our logic: the
same menus and actions, the same toolbar (text beside a standard icon), a hidden find bar, the
first-run strip when ours shows it, the same tab titles and tab-bar style sheet with only the first (overview) page built and the section pages left
empty — our section tabs are built on first visit, so at start-up they are empty too —, the
overview's title, eight cards and a bar chart, a dock listing the same findings texts with
severity icons, a status bar. Like ours it shows the window, then fills the findings list on the
first event-loop turn, lets Qt paint, and quits. SHOWN.json is what bench/start_ours.py saw.
"""
import json
import sys

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QPainter
from PySide6.QtWidgets import (QApplication, QDockWidget, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMainWindow, QPushButton, QScrollArea, QSizePolicy,
                               QStyle, QTabWidget, QToolBar, QVBoxLayout, QWidget)

shown = json.loads(open(sys.argv[1], encoding="utf-8").read())
app = QApplication(sys.argv[:1])


class Chart(QWidget):
    def __init__(self, bars):
        super().__init__()
        self.bars = bars
        self.setMinimumHeight(60 + 40 * len(bars))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, _event):  # noqa: N802
        p = QPainter(self)
        top = max([max(b, a) for _, b, a in self.bars] + [1.0])
        width = self.width() - 260
        for i, (name, budget, actual) in enumerate(self.bars):
            y = 30 + 40 * i
            p.drawText(8, y + 12, name[:12])
            p.fillRect(QRectF(200, y, width * budget / top, 13), QColor("#a9c1de"))
            p.fillRect(QRectF(200, y + 15, width * actual / top, 13), QColor("#2f6db5"))
        p.end()


def card(caption):
    frame = QFrame()
    frame.setObjectName("card")
    lay = QVBoxLayout(frame)
    for text in (caption, "—", " "):
        lay.addWidget(QLabel(text))
    return frame


win = QMainWindow()
win.resize(1400, 900)
bar = win.menuBar()
for menu, actions in shown["menus"]:          # the same menus and actions as ours
    m = bar.addMenu(menu)
    for text in actions:
        m.addAction(text).setShortcut(QKeySequence("Ctrl+Shift+F12"))
if shown["toolbar"]:                           # the same toolbar: text beside a standard icon
    tool = QToolBar("工具栏", win)
    tool.setMovable(False)
    tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for entry in shown["toolbar"]:
        if entry is None:
            tool.addSeparator()
            continue
        text, has_icon = entry
        action = tool.addAction(text)
        if has_icon:
            action.setIcon(win.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
    win.addToolBar(Qt.ToolBarArea.TopToolBarArea, tool)
find_bar = QToolBar("查找", win)                  # ours keeps a hidden find bar at the bottom
find_bar.addWidget(QLineEdit())
find_bar.hide()
win.addToolBar(Qt.ToolBarArea.BottomToolBarArea, find_bar)

tabs = QTabWidget()
tabs.setDocumentMode(True)
tabs.setStyleSheet(shown["tab_style"])
overview = QScrollArea()
overview.setWidgetResizable(True)
body = QWidget()
body.setStyleSheet("QFrame#card { border: 1px solid #d5dae0; border-radius: 4px; }")
outer = QVBoxLayout(body)
outer.addWidget(QLabel("单位名称"))
outer.addWidget(QLabel("年度部门整体支出绩效自评"))
grid = QGridLayout()
for i in range(8):
    grid.addWidget(card(f"卡片{i}"), i // 4, i % 4)
outer.addLayout(grid)
outer.addWidget(Chart(shown["chart"]))
outer.addStretch(1)
overview.setWidget(body)
titles = shown["tabs"]
tabs.addTab(overview, titles[0])
for title in titles[1:]:
    tabs.addTab(QWidget(), title)
if shown["welcome"]:                           # the first-run strip above the tabs
    central = QWidget()
    column = QVBoxLayout(central)
    column.setContentsMargins(0, 0, 0, 0)
    strip = QFrame()
    row = QHBoxLayout(strip)
    note = QLabel(shown["welcome"][0])
    note.setWordWrap(True)
    row.addWidget(note, 1)
    for text in shown["welcome"][1:]:
        row.addWidget(QPushButton(text))
    column.addWidget(strip)
    column.addWidget(tabs)
    win.setCentralWidget(central)
else:
    win.setCentralWidget(tabs)

dock = QDockWidget("检查结果", win)
panel = QWidget()
lay = QVBoxLayout(panel)
summary = QLabel()
summary.setWordWrap(True)
lay.addWidget(summary)
listing = QListWidget()
listing.setWordWrap(True)
listing.setAlternatingRowColors(True)
lay.addWidget(listing)
lay.addWidget(QLabel("点击一条结果可跳到相应位置。"))
dock.setWidget(panel)
win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
win.resizeDocks([dock], [420], Qt.Orientation.Horizontal)
win.statusBar().addWidget(QLabel())
win.statusBar().addPermanentWidget(QLabel("自评得分：—"))
icon = win.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


def first_turn():
    for text in shown["findings"]:
        listing.addItem(QListWidgetItem(icon, text))
    summary.setText(shown["summary"])
    app.processEvents()
    app.quit()


win.show()
QTimer.singleShot(0, first_turn)
sys.exit(app.exec())
