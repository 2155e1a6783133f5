"""查找 (Ctrl+F): a bar under the tabs that searches every text of the report — narrative,
headings, project descriptions and every table cell — and jumps to each match in turn
(Enter / F3 next, Shift+Enter / Shift+F3 previous, Esc closes)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QToolButton, QWidget

from ..core import model
from ..core.serialize import report_to_data


def text_fields(report) -> list[tuple[str, str]]:
    """(field path, text) of every text in the report, in report order."""
    out: list[tuple[str, str]] = []

    def walk(value, parts):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, parts + [k])
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, parts + [i])
        elif isinstance(value, str) and value:
            out.append((model.join_path(parts), value))
    walk(report_to_data(report), [])
    return [(p, t) for p, t in out if not p.startswith(("meta.template", "meta.rule_profile", "acknowledged"))]


def find_matches(report, query: str) -> list[tuple[str, int]]:
    """(path, position) of every occurrence of ``query`` (case-insensitive)."""
    q = query.strip().casefold()
    if not q:
        return []
    matches = []
    for path, text in text_fields(report):
        folded = text.casefold()
        start = folded.find(q)
        while start >= 0:
            matches.append((path, start))
            start = folded.find(q, start + len(q))
    return matches


class FindBar(QWidget):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.matches: list[tuple[str, int]] = []
        self.index = -1
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 2, 8, 2)
        lay.addWidget(QLabel("查找："))
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("在正文、标题和各表格中查找")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.search)
        self.edit.returnPressed.connect(self.next)
        lay.addWidget(self.edit, 1)
        self.prev_button = QPushButton("上一个")
        self.next_button = QPushButton("下一个")
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        lay.addWidget(self.prev_button)
        lay.addWidget(self.next_button)
        self.count_label = QLabel()
        lay.addWidget(self.count_label)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("关闭查找（Esc）")
        close.clicked.connect(self.close_bar)
        lay.addWidget(close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Shift+Return"), self.edit, self.previous,
                  context=Qt.ShortcutContext.WidgetShortcut)
        # not hidden here: a widget hidden when it is put into a toolbar stays disabled there;
        # the window shows and hides the toolbar that holds the bar

    def open_bar(self) -> None:
        self.window_.find_toolbar.show()
        selected = ""
        from PySide6.QtWidgets import QApplication, QPlainTextEdit
        focus = QApplication.focusWidget()
        if isinstance(focus, QPlainTextEdit):
            selected = focus.textCursor().selectedText()
        elif isinstance(focus, QLineEdit) and focus is not self.edit:
            selected = focus.selectedText()
        if selected and "\u2029" not in selected:
            self.edit.setText(selected)
        self._focus_edit()
        QTimer.singleShot(0, self._focus_edit)    # after the key event that opened the bar

    def _focus_edit(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.window_.find_toolbar.hide()
        self.window_.tabs.currentWidget().setFocus()

    def search(self) -> None:
        self.matches = find_matches(self.window_.doc.report, self.edit.text())
        self.index = -1
        self._show_count()

    def _show_count(self) -> None:
        query = self.edit.text().strip()
        if not query:
            self.count_label.setText("")
        elif not self.matches:
            self.count_label.setText("没有找到")
        elif self.index < 0:
            self.count_label.setText(f"共 {len(self.matches)} 处")
        else:
            self.count_label.setText(f"第 {self.index + 1} / {len(self.matches)} 处")

    def next(self) -> None:
        self._step(1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        from PySide6.QtGui import QTextCursor
        from PySide6.QtWidgets import QPlainTextEdit
        if not self.matches or self.matches != find_matches(self.window_.doc.report, self.edit.text()):
            self.search()           # the report changed since the last search
        if not self.matches:
            return
        self.index = (self.index + step) % len(self.matches)
        path, pos = self.matches[self.index]
        widget = self.window_.goto_path(path, mark=False)
        length = len(self.edit.text().strip())
        if isinstance(widget, QPlainTextEdit):
            cursor = widget.textCursor()
            text = widget.toPlainText()
            cursor.setPosition(_utf16(text[:pos]))
            cursor.setPosition(_utf16(text[:pos + length]), QTextCursor.MoveMode.KeepAnchor)
            widget.setTextCursor(cursor)
            widget.ensureCursorVisible()
        elif isinstance(widget, QLineEdit):
            widget.setSelection(_utf16(widget.text()[:pos]), _utf16(widget.text()[pos:pos + length]))
        self._show_count()
        self.edit.setFocus()           # keep typing Enter for the next match


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
