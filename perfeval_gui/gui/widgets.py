"""Field editors bound to a model path. Every edit goes through ReportDocument.set_value.

Each editor refreshes itself on ``document.changed`` (but never overwrites the text the officer
is typing), and offers the highlight API ``set_highlight(severity, messages)`` used by the
findings: red border for errors, amber for warnings, the messages as tooltip.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QToolButton, QVBoxLayout, QWidget)

from ..core import derived
from ..core.findings import Severity
from ..core.money import decimals_of, fmt_amount, fmt_percent, fmt_plain
from ..core.numbers import NumberParseError, parse_amount, parse_count, parse_score
from ..core.serialize import FIELD_RANGES
from ..core.template import Slot, numbered_heading
from .document import ReportDocument
from .styles import ERROR_TEXT_STYLE

MIN_NARRATIVE_HEIGHT = 80
MAX_NARRATIVE_HEIGHT = 460


def is_undo_shortcut(event) -> bool:
    """Ctrl+Z / Ctrl+Y must reach the document's undo stack, not the widget's own undo."""
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    return (event.key() == Qt.Key.Key_Y
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier)


def apply_highlight_property(widget: QWidget, severity: Severity | None) -> None:
    """Set the ``severity`` property and re-polish so that the style follows it at once."""
    value = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(severity, "")  # type: ignore[arg-type]
    if (widget.property("severity") or "") == value:
        return
    widget.setProperty("severity", value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.updateGeometry()      # the frame changes the size hint
    widget.update()


class _TypingEditor:
    """Text editors of the report (put first in the bases): Ctrl+Z / Ctrl+Y go to the report's undo
    stack rather than the widget's own, and entering or leaving the field ends a typing run (one undo step)."""

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and is_undo_shortcut(event):
            event.ignore()
            return True
        return super().event(event)

    def focusInEvent(self, event) -> None:  # noqa: N802
        self.doc.break_merge()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.doc.break_merge()


class BoundMixin:
    """Shared behaviour of the editors: path binding, refresh, highlight."""

    doc: ReportDocument
    path: str

    def _bind(self, doc: ReportDocument, path: str) -> None:
        self.doc = doc
        self.path = path
        self._severity: Severity | None = None
        self._base_tooltip = ""
        self._updating = False
        doc.watch(self, self.watched_paths())

    def set_path(self, path: str) -> None:
        self.path = path
        self.doc.watch(self, self.watched_paths())
        self.refresh()

    def watched_paths(self) -> list[str]:
        """The paths whose change (or an ancestor's) re-displays this editor (document.watch)."""
        return [self.path] if self.path else []

    def on_paths_changed(self, paths: list) -> None:
        """Called by the document for a change that concerns this editor (never for its own keystroke)."""
        self.refresh()

    def value(self) -> Any:
        return self.doc.get(self.path) if self.path else None

    def refresh(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    # highlight API ---------------------------------------------------------
    def set_highlight(self, severity: Severity | None, messages: list[str] = ()) -> None:
        widget: QWidget = self  # type: ignore[assignment]
        if severity is not self._severity:
            self._severity = severity
            apply_highlight_property(widget, severity)
        text = "\n".join(messages) if messages else self._base_tooltip
        if widget.toolTip() != text:
            widget.setToolTip(text)

    @property
    def severity(self) -> Severity | None:
        return self._severity

    def focus_field(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ single-line editors
class _LineBase(_TypingEditor, QLineEdit, BoundMixin):
    def __init__(self, doc: ReportDocument, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bind(doc, path)
        self.textEdited.connect(self._on_text_edited)
        self.error_label: QLabel | None = None

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self._normalise()

    def _normalise(self) -> None:
        pass

    def _on_text_edited(self, text: str) -> None:
        raise NotImplementedError

    def _set_text(self, text: str) -> None:
        if self.text() != text:
            pos = min(self.cursorPosition(), len(text))
            self.setText(text)
            self.setCursorPosition(pos)


class TextLine(_LineBase):
    """A plain text field (unit name, contact, …)."""

    def _on_text_edited(self, text: str) -> None:
        self.doc.set_value(self.path, text, origin=self)

    def refresh(self) -> None:
        value = self.value()
        self._set_text("" if value is None else str(value))


class NumberEdit(_LineBase):
    """Base of amount/count/score editors: parse on every keystroke with core.numbers."""

    parser: Callable[[str], Any] = staticmethod(parse_amount)

    def __init__(self, doc: ReportDocument, path: str, parent: QWidget | None = None) -> None:
        super().__init__(doc, path, parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.parse_error: str = ""

    def _on_text_edited(self, text: str) -> None:
        try:
            value = self.parser(text)
        except NumberParseError as exc:
            self._show_error(str(exc))
            return
        low_high = FIELD_RANGES.get(self.path)    # the loader's range (e.g. 金额小数位数 0–4)
        if low_high and value is not None and not low_high[0] <= value <= low_high[1]:
            self._show_error(f"应为 {low_high[0]} 至 {low_high[1]} 之间的整数")
            return
        self._show_error("")
        self.doc.set_value(self.path, value, origin=self)

    def _show_error(self, message: str) -> None:
        self.parse_error = message
        if self.error_label is not None:
            self.error_label.setText(message)
            self.error_label.setVisible(bool(message))

    def display_text(self, value: Any) -> str:
        return fmt_plain(value)

    def refresh(self) -> None:
        self._show_error("")
        self._set_text(self.display_text(self.value()))

    def _normalise(self) -> None:
        if not self.parse_error:
            self._set_text(self.display_text(self.value()))


class AmountEdit(NumberEdit):
    """An amount in 万元: full-width digits, 万元/元 suffix, thousands separators accepted."""

    parser = staticmethod(parse_amount)

    def __init__(self, doc: ReportDocument, path: str, parent: QWidget | None = None) -> None:
        super().__init__(doc, path, parent)
        self.setPlaceholderText("未填写")
        self.prior_label: QLabel | None = None

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        menu = self.createStandardContextMenu()
        menu.addSeparator()
        menu.addAction("填写上年数…", self.ask_prior_year)
        if self.doc.report.prior_year.get(self.path) is not None:
            menu.addAction("清除上年数", lambda: self.doc.set_value(f"prior_year[{self.path}]", None))
        menu.exec(event.globalPos())

    def ask_prior_year(self) -> None:
        from PySide6.QtWidgets import QInputDialog, QMessageBox
        current = self.doc.report.prior_year.get(self.path)
        text, ok = QInputDialog.getText(self, "上年数", "上年同一项目的金额（万元）：",
                                        text="" if current is None else fmt_plain(current))
        if not ok:
            return
        try:
            value = parse_amount(text)
        except NumberParseError as exc:
            QMessageBox.warning(self, "上年数", str(exc))
            return
        self.doc.break_merge()
        self.doc.set_value(f"prior_year[{self.path}]", value)

    def display_text(self, value: Any) -> str:
        if value is None:
            return ""
        places = max(2, self.doc.report.meta.amount_decimals or 0, min(decimals_of(value), 6))
        return fmt_amount(value, places)

    def watched_paths(self) -> list[str]:
        return [*super().watched_paths(), f"prior_year[{self.path}]"] if self.path else []

    def refresh(self) -> None:
        super().refresh()
        self.refresh_prior()

    def refresh_prior(self) -> None:
        if self.prior_label is None:
            return
        prior = self.doc.report.prior_year.get(self.path)
        if prior is None:
            self.prior_label.setVisible(False)
            return
        rate = derived.yoy_rate(self.value(), prior)
        places = max(2, self.doc.report.meta.amount_decimals or 0)
        self.prior_label.setText(f"上年 {fmt_amount(prior, places)}，增减 {fmt_percent(rate)}")
        self.prior_label.setVisible(True)

    def _on_text_edited(self, text: str) -> None:
        super()._on_text_edited(text)
        self.refresh_prior()


class CountEdit(NumberEdit):
    """A whole number (人数, 个数, 年度); Chinese numerals accepted."""

    parser = staticmethod(parse_count)

    def display_text(self, value: Any) -> str:
        return "" if value is None else str(value)


class ScoreEdit(NumberEdit):
    """A score or weight (分)."""

    parser = staticmethod(parse_score)


class ChoiceEdit(QComboBox, BoundMixin):
    """A fixed list of (value, Chinese label); ``editable`` allows free text (e.g. 单位性质)."""

    def __init__(self, doc: ReportDocument, path: str, choices: list[tuple[Any, str]],
                 editable: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bind(doc, path)
        self.choices = list(choices)
        self.setEditable(editable)
        # as narrow as the layout needs (the list still opens at full width): a long choice must
        # not widen the tab past a 1366×768 / 150 % screen
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(6)
        for value, label in self.choices:
            self.addItem(label, value)
        if editable:
            self.lineEdit().textEdited.connect(self._on_text_edited)
            self.currentIndexChanged.connect(self._on_index)
        else:
            self.currentIndexChanged.connect(self._on_index)
        self.refresh()

    def _on_index(self, index: int) -> None:
        if self._updating or index < 0:
            return
        self.doc.break_merge()
        self.doc.set_value(self.path, self.itemData(index))

    def _on_text_edited(self, text: str) -> None:
        self.doc.set_value(self.path, text, origin=self)

    def refresh(self) -> None:
        self._updating = True
        try:
            value = self.value()
            index = self.findData(value)
            if index >= 0:
                self.setCurrentIndex(index)
            elif self.isEditable():
                self.setCurrentIndex(-1)
                self.setEditText("" if value is None else str(value))
            else:
                self.setCurrentIndex(-1)
        finally:
            self._updating = False


def _utf16_len(text: str) -> int:
    """Qt counts text positions in UTF-16 units: an emoji is 2."""
    return len(text.encode("utf-16-le")) // 2


class NarrativeEdit(_TypingEditor, QPlainTextEdit, BoundMixin):
    """A narrative slot (paragraphs separated by newlines) with a live character count."""

    def __init__(self, doc: ReportDocument, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bind(doc, path)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #777;")
        self.setTabChangesFocus(True)
        self.setMinimumHeight(MIN_NARRATIVE_HEIGHT)
        self.textChanged.connect(self._on_text_changed)
        self.textChanged.connect(self._fit_height)
        self.refresh()

    def _fit_height(self) -> None:
        """Grow with the text (up to a limit) so the tab, not the box, scrolls."""
        doc = self.document()
        lines = 0
        block = doc.begin()
        while block.isValid():
            layout = block.layout()
            lines += max(1, layout.lineCount() if layout is not None else 1)
            block = block.next()
        wanted = lines * self.fontMetrics().lineSpacing() + 2 * int(doc.documentMargin()) + 12
        self.setFixedHeight(max(MIN_NARRATIVE_HEIGHT, min(wanted, MAX_NARRATIVE_HEIGHT)))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_height()

    def _on_text_changed(self) -> None:
        self._update_count()
        if self._updating or not self.path:
            return
        self.doc.set_value(self.path, self.toPlainText(), origin=self)

    def _update_count(self) -> None:
        text = self.toPlainText()
        chars = sum(1 for ch in text if not ch.isspace())
        paragraphs = sum(1 for line in text.split("\n") if line.strip())
        self.count_label.setText(f"{chars} 字，{paragraphs} 段")

    def refresh(self) -> None:
        value = self.value() if self.path else ""
        text = "" if value is None else str(value)
        old = self.toPlainText()
        if old != text:
            self._updating = True
            try:
                self._replace_changed_part(old, text)
            finally:
                self._updating = False
        self._update_count()
        self.setEnabled(bool(self.path))

    def _replace_changed_part(self, old: str, new: str) -> None:
        """Swap in only what differs (an undo, a redo, an import) and leave the caret at the end of
        the change, as Word does, instead of setPlainText's jump to the top of the box."""
        start = 0
        limit = min(len(old), len(new))
        while start < limit and old[start] == new[start]:
            start += 1
        tail = 0
        while tail < limit - start and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        cursor = self.textCursor()
        cursor.setPosition(_utf16_len(old[:start]))
        cursor.setPosition(_utf16_len(old[:len(old) - tail]), cursor.MoveMode.KeepAnchor)
        cursor.insertText(new[start:len(new) - tail])
        self.setTextCursor(cursor)
        if self.toPlainText() != new:       # a separator Qt normalises: fall back to the whole text
            self.setPlainText(new)


class HeadingEdit(TextLine):
    """report.headings[slot]: the heading as the officer wrote it; empty = standard wording."""

    def __init__(self, doc: ReportDocument, slot: Slot, parent: QWidget | None = None,
                 standard: str | None = None) -> None:
        super().__init__(doc, f"headings[{slot.id}]", parent)
        self.slot = slot
        self.standard = standard or numbered_heading(slot)
        self.setPlaceholderText(self.standard)
        font = QFont()            # only the weight: the size follows the window's 字号
        font.setBold(True)
        self.setFont(font)
        self.restore_button = QToolButton()
        self.restore_button.setText("恢复标准标题")
        self.restore_button.setToolTip(f"改为：{self.standard}")
        self.restore_button.clicked.connect(self.restore_standard)
        self.refresh()

    def restore_standard(self) -> None:
        self.doc.break_merge()
        self.doc.set_value(self.path, self.standard)
        self.doc.break_merge()


# ------------------------------------------------------------------ layout helpers
def field_label(text: str, editor: QWidget | None) -> QLabel:
    """The label left of a field, on the same line as the field's text (not higher)."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if editor is not None:
        label.setBuddy(editor)
        label.setMinimumHeight(editor.sizeHint().height())
    return label


def field_row(editor: QWidget, unit: str = "") -> QWidget:
    """The editor with its unit label; the parse-error and prior-year labels go underneath, so
    that every field of a column keeps the same width."""
    box = QWidget()
    outer = QVBoxLayout(box)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.setSpacing(1)
    line = QHBoxLayout()
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(editor, 1)
    if unit:
        unit_label = QLabel(unit)
        unit_label.setMinimumWidth(28)
        line.addWidget(unit_label)
    outer.addLayout(line)
    if isinstance(editor, AmountEdit):
        editor.prior_label = QLabel()
        editor.prior_label.setStyleSheet("color: #555;")
        editor.prior_label.setVisible(False)
        outer.addWidget(editor.prior_label)
    if isinstance(editor, NumberEdit):
        editor.error_label = QLabel()
        editor.error_label.setStyleSheet(ERROR_TEXT_STYLE)
        editor.error_label.setWordWrap(True)
        editor.error_label.setVisible(False)
        outer.addWidget(editor.error_label)
    if isinstance(editor, AmountEdit):
        editor.refresh_prior()
    return box


def make_editor(doc: ReportDocument, path: str, kind: str, choices=None) -> QWidget:
    """kind: amount | count | score | text | choice | choice_edit | narrative."""
    if kind == "amount":
        editor: QWidget = AmountEdit(doc, path)
    elif kind == "count":
        editor = CountEdit(doc, path)
    elif kind == "score":
        editor = ScoreEdit(doc, path)
    elif kind in ("choice", "choice_edit"):
        editor = ChoiceEdit(doc, path, choices or [], editable=(kind == "choice_edit"))
    elif kind == "narrative":
        editor = NarrativeEdit(doc, path)
    elif kind in ("profile", "outline"):    # switching a profile / outline is one undo step (profile_dialog)
        # the choices are read when the field is built, so a profile added since start-up is offered
        from ..core.template import template_choices
        from .profile_dialog import OutlineChoice, ProfileChoice, profile_choices
        if kind == "profile":
            editor = ProfileChoice(doc, path, choices or profile_choices())
        else:
            editor = OutlineChoice(doc, path, choices or template_choices())
    else:
        editor = TextLine(doc, path)
    if hasattr(editor, "refresh"):
        editor.refresh()
    return editor


def decimal_or_none(value: Any) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def ok_cancel_buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """The dialog's confirm button (``ok_text``: 新建, 导入 …) and 取消, wired to accept / reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
