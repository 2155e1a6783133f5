"""Laying out a section tab's widgets, on the tab's first visit (gui/sections/tab.py ``ensure_built``).

Kept apart from the tabs' shells so that start-up, which shows only the overview, imports none of the
editors (gui/widgets.py), tables (gui/table.py) or tab specs (specs.py) this needs.
"""
from __future__ import annotations

import warnings
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...core import fields as _fields
from ...core import forms as _forms
from ...core.numbers import NumberParseError, parse_measure
from ...core.template import APPENDIX_ID, APPENDIX_TITLE, Slot
from ..document import ReportDocument
from ..styles import ERROR_TEXT_STYLE
from ..table import ListTableView
from ..widgets import (BoundMixin, HeadingEdit, NarrativeEdit, NumberEdit, TextLine, field_label, field_row,
                       make_editor)
from .specs import (BLOCKS, FORM_TABS, INDICATOR_COLUMNS, Derived, F, FigureRows, FormSlots, Grid, Group,
                    ProjectDetail, ProjectDerived, Table)

if TYPE_CHECKING:
    from .tab import AppendixTab, FormTab, SectionTab, _TabBase


def disconnect_widgets(root: QWidget, doc: ReportDocument, slots: list) -> None:
    """Widgets about to be deleted stop listening to the document, and so do ``slots`` (of tables, of the tab)."""
    for w in root.findChildren(QWidget):
        if isinstance(w, BoundMixin):
            doc.unwatch(w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # slots that were never connected
        for slot in slots:
            try:
                doc.changed.disconnect(slot)
            except (RuntimeError, TypeError):
                pass


# ---------------------------------------------------------------------- building blocks of every tab
def group_box(tab: _TabBase, title: str) -> QGroupBox:
    """A frame under a bold title label (a QGroupBox title clips text such as “三公”经费)."""
    head = QLabel(title)
    head.setObjectName("groupTitle")
    head.setStyleSheet("QLabel#groupTitle { font-weight: bold; padding-top: 4px; }")
    head.setWordWrap(True)
    tab.layout_.addWidget(head)
    box = QGroupBox()
    box.setAccessibleName(title)
    return box


def label_column_width(tab: _TabBase) -> int:
    return tab.fontMetrics().horizontalAdvance("全年预算数（计算）")


def add_group(tab: _TabBase, group: Group) -> None:
    box = group_box(tab, group.title)
    grid = QGridLayout(box)
    grid.setHorizontalSpacing(12)
    grid.setVerticalSpacing(6)
    cols = group.columns
    label_width = label_column_width(tab)
    for i, item in enumerate(group.fields):
        r, c = divmod(i, cols)
        if isinstance(item, Derived):
            label = QLabel(item.label)
            value = QLabel()
            value.setStyleSheet("color: #1f4e79;")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            tab.derived_labels.append((value, item))
            grid.addWidget(label, r, 2 * c, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, r, 2 * c + 1, Qt.AlignmentFlag.AlignTop)
            continue
        editor = tab.register(make_editor(tab.doc, item.path, item.kind, item.choices))
        unit = "万元" if item.kind == "amount" else ""
        label = field_label(item.label, editor)
        grid.addWidget(label, r, 2 * c, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        grid.addWidget(field_row(editor, unit), r, 2 * c + 1)
    for c in range(cols):
        grid.setColumnStretch(2 * c + 1, 1)
        grid.setColumnMinimumWidth(2 * c, label_width)   # the same label column in every group
    tab.layout_.addWidget(box)
    tab._recompute_derived()


def add_grid(tab: _TabBase, spec: Grid) -> None:
    box = group_box(tab, spec.title)
    grid = QGridLayout(box)
    for c, header in enumerate(spec.headers):
        h = QLabel(f"<b>{header}（万元）</b>")
        grid.addWidget(h, 0, c + 1)
    for r, (label, paths) in enumerate(spec.rows, start=1):
        editors = [tab.register(make_editor(tab.doc, path, spec.kind)) for path in paths]
        grid.addWidget(field_label(label, editors[0] if editors else None), r, 0,
                       Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        for c, editor in enumerate(editors):
            grid.addWidget(field_row(editor), r, c + 1)
    row = len(spec.rows) + 1
    for d in spec.derived:
        grid.addWidget(QLabel(d.label), row, 0, Qt.AlignmentFlag.AlignRight)
        value = QLabel()
        value.setStyleSheet("color: #1f4e79;")
        tab.derived_labels.append((value, d))
        grid.addWidget(value, row, 1, 1, len(spec.headers))
        row += 1
    for c in range(len(spec.headers)):
        grid.setColumnStretch(c + 1, 1)
    tab.layout_.addWidget(box)
    tab._recompute_derived()


def add_table(tab: _TabBase, spec: Table) -> ListTableView:
    view = ListTableView(tab.doc, spec.list_path, spec.columns, spec.totals, title=spec.title)
    tab.tables.append(view)
    tab.layout_.addWidget(view)
    return view


def add_heading(tab: _TabBase, slot: Slot) -> None:
    edit = tab.register(HeadingEdit(tab.doc, slot))
    row = QHBoxLayout()
    label = QLabel("标题")
    label.setStyleSheet("color: #777;")
    row.addWidget(label)
    row.addWidget(edit, 1)
    row.addWidget(edit.restore_button)
    tab.layout_.addLayout(row)


def add_narrative(tab: _TabBase, slot_id: str, label: str) -> None:
    edit = tab.register(NarrativeEdit(tab.doc, f"narrative[{slot_id}]"))
    head = QHBoxLayout()
    head.addWidget(QLabel(label))
    head.addStretch(1)
    head.addWidget(edit.count_label)
    tab.layout_.addLayout(head)
    tab.layout_.addWidget(edit)


# ---------------------------------------------------------------------- a section of the report
def _walk(slot: Slot):
    yield slot
    for child in slot.children:
        yield from _walk(child)


def build_section(tab: SectionTab) -> None:
    section, template = tab.section, tab.template
    slot_ids = {s.id for s in _walk(section)}
    anchored: dict[str, list] = {}
    for key, items in BLOCKS.items():
        if template.figure_sections.get(key) != section.id:
            continue
        for item in items:
            anchor = template.place(item.anchor) if getattr(item, "anchor", "") else None
            if anchor not in slot_ids:
                anchor = section.id
            anchored.setdefault(anchor, []).append(item)
    for slot in _walk(section):
        add_heading(tab, slot)
        for item in anchored.get(slot.id, []):
            _add_item(tab, item)
        if slot.narrative:
            label = "正文（每段一行）" if not slot.children else "本部分开头的正文"
            add_narrative(tab, slot.id, label)
    _add_extra_headings(tab, slot_ids)
    if section is template.sections[-1]:
        _add_kept_texts(tab)
    tab.layout_.addStretch(1)


def _add_kept_texts(tab: SectionTab) -> None:
    """Text with no place in this outline (after switching the report's profile): kept, editable,
    listed at the end of the last section (CMP-05 points here); switching back restores it."""
    from ...core.profiles import orphans
    kept = orphans(tab.doc.report)
    if not kept:
        return
    box = QGroupBox("保留的文字（当前报告格式中没有对应部分，不会导出；可把内容移到合适的部分）")
    lay = QVBoxLayout(box)
    for key, label in kept:
        lay.addWidget(QLabel(label))
        edit = tab.register(NarrativeEdit(tab.doc, f"narrative[{key}]"))
        lay.addWidget(edit)
    tab.layout_.addWidget(box)


def _add_extra_headings(tab: SectionTab, slot_ids: set[str]) -> None:
    """Sub-headings the officer wrote that the template does not know (e.g. 三.二.1.1)."""
    extra = sorted(k for k in tab.doc.report.headings
                   if k not in slot_ids and k.split(".")[0] == tab.section_id)
    if not extra:
        return
    box = group_box(tab, "报告中的其他小标题")
    grid = QGridLayout(box)
    for r, key in enumerate(extra):
        editor = tab.register(TextLine(tab.doc, f"headings[{key}]"))
        editor.refresh()
        grid.addWidget(QLabel(key), r, 0)
        grid.addWidget(editor, r, 1)
    tab.layout_.addWidget(box)


def _add_item(tab: SectionTab, item) -> None:
    if isinstance(item, Group):
        add_group(tab, item)
    elif isinstance(item, Grid):
        add_grid(tab, item)
    elif isinstance(item, Table):
        view = add_table(tab, item)
        if item.list_path == "projects":
            tab.project_table = view
    elif isinstance(item, ProjectDetail):
        _add_project_detail(tab)


def _add_project_detail(tab: SectionTab) -> None:
    box = group_box(tab, "选中项目的说明")
    layout = QVBoxLayout(box)
    tab.project_caption = QLabel("请先在上面的项目表中选中一个项目。")
    layout.addWidget(tab.project_caption)
    for attr, label in (("purpose", "项目概况及资金用途"), ("analysis_economy", "经济性分析"),
                        ("analysis_effectiveness", "有效性分析"),
                        ("analysis_sustainability", "可持续性分析")):
        edit = NarrativeEdit(tab.doc, "")
        edit.setMinimumHeight(70)
        head = QHBoxLayout()
        head.addWidget(QLabel(label))
        head.addStretch(1)
        head.addWidget(edit.count_label)
        layout.addLayout(head)
        layout.addWidget(edit)
        tab.project_edits.append((attr, edit))
    tab.layout_.addWidget(box)
    if tab.project_table is not None:
        sel = tab.project_table.view.selectionModel()
        sel.currentChanged.connect(lambda *_: tab._update_project_detail())
        tab.project_table.model.modelReset.connect(tab._update_project_detail)
        tab.doc.changed.connect(tab._on_projects_changed)
        if tab.project_table.model.item_count():
            tab.project_table.select_cell(0, 0)
    tab._update_project_detail()


# ---------------------------------------------------------------------- 附相关评分
def build_appendix(tab: AppendixTab) -> None:
    doc = tab.doc
    slot = Slot(APPENDIX_ID, APPENDIX_TITLE, 1, narrative=False)
    edit = tab.register(HeadingEdit(doc, slot, standard=APPENDIX_TITLE))
    row = QHBoxLayout()
    row.addWidget(QLabel("标题"))
    row.addWidget(edit, 1)
    row.addWidget(edit.restore_button)
    tab.layout_.addLayout(row)
    for item in BLOCKS["scoring"]:
        add_table(tab, item)
    tab.project_combo = project_picker(tab.layout_, "项目绩效自评表 — 项目：")
    tab.indicator_table = ListTableView(doc, "", INDICATOR_COLUMNS, None, title="项目绩效指标")
    tab.tables.append(tab.indicator_table)
    tab.layout_.addWidget(tab.indicator_table)
    tab.layout_.addStretch(1)
    tab.project_combo.currentIndexChanged.connect(tab._on_project)
    doc.changed.connect(tab._on_changed)
    tab._fill_projects()


def project_picker(layout: QVBoxLayout, label: str) -> QComboBox:
    """A row with ``label`` and a wide project choice (the appendix's indicator table, a per-project form)."""
    row = QHBoxLayout()
    row.addWidget(QLabel(label))
    combo = QComboBox()
    combo.setMinimumWidth(320)
    row.addWidget(combo)
    row.addStretch(1)
    layout.addLayout(row)
    return combo


# ---------------------------------------------------------------------- the submission forms (issue 17)
_MEASURE_UNITS = {"": "", "%": "%", "平方米": "平方米", "㎡": "平方米", "m2": "平方米", "平米": "平方米"}


def _parse_form_measure(text: str) -> Decimal | None:
    value, unit = parse_measure(text)
    if value is not None and unit not in _MEASURE_UNITS:
        raise NumberParseError(text, f"单位“{unit}”不适用（填百分数或平方米）")
    return value


class MeasureEdit(NumberEdit):
    """A rate stated in % (91.50 or 91.50%) or a scale in 平方米, as the forms print them."""

    parser = staticmethod(_parse_form_measure)


_EDITOR_KIND = {_forms.AMOUNT: "amount", _forms.SCORE: "score", _forms.COUNT: "count"}


def build_form(tab: FormTab) -> None:
    tab.spec = next(s for s in FORM_TABS if s.form_id == tab.form_id)
    tab.outer = tab.layout_
    if tab.spec.per_project:
        tab.project_combo = project_picker(tab.outer, "项目：")
        tab.empty_label = QLabel("本报告还没有项目：请先在项目支出表中添加项目，每个项目一张项目支出绩效自评表。")
        tab.outer.addWidget(tab.empty_label)
    tab.body_holder = QVBoxLayout()
    tab.outer.addLayout(tab.body_holder)
    tab.outer.addStretch(1)
    tab.doc.changed.connect(tab._on_changed)
    if tab.project_combo is not None:
        tab.project_combo.currentIndexChanged.connect(tab._on_project)
        tab._fill_projects()
    else:
        build_form_body(tab)


def build_form_body(tab: FormTab) -> None:
    """The form's fields (of the chosen project), replacing those shown."""
    _clear_form_body(tab)
    if tab.spec.per_project and not 0 <= tab.project_index < len(tab.doc.report.projects):
        return
    tab.body = QWidget()
    tab.layout_ = QVBoxLayout(tab.body)
    tab.layout_.setContentsMargins(0, 0, 0, 0)
    for item in tab.spec.items:
        _add_form_item(tab, item)
    tab.layout_ = tab.outer
    tab.body_holder.addWidget(tab.body)
    tab._recompute_derived()


def _clear_form_body(tab: FormTab) -> None:
    if tab.body is None:
        return
    disconnect_widgets(tab.body, tab.doc, [t.model._on_doc_changed for t in tab.tables])
    tab.body.setParent(None)
    tab.body.deleteLater()
    tab.body = None
    tab.fields.clear()
    tab.tables.clear()
    tab.derived_labels.clear()
    tab.figure_boxes.clear()
    tab.placeholders.clear()
    tab.row_labels.clear()


def _add_form_item(tab: FormTab, item) -> None:
    if isinstance(item, FigureRows):
        box = QGroupBox(item.title)
        QVBoxLayout(box)
        entry = (item, box, [])
        tab.figure_boxes.append(entry)
        fill_figures(tab, entry)
        tab.layout_.addWidget(box)
    elif isinstance(item, FormSlots):
        box = QGroupBox(item.title)
        grid = QGridLayout(box)
        for c, (head, slot) in enumerate(zip(item.headers, item.slots())):
            grid.addWidget(QLabel(f"<b>{head}</b>"), 0, c)
            grid.addWidget(_slot_widget(tab, slot), 1, c)
        tab.layout_.addWidget(box)
    elif isinstance(item, Group):
        fields_ = []
        for f in item.fields:
            if isinstance(f, F):
                fields_.append(F(tab._concrete(f.path), f.kind, f.choices, f.sub, f.note, f.label))
            elif isinstance(f, ProjectDerived):
                fields_.append(Derived(f.label, lambda r, pd=f: pd.compute(r, tab.project_index)))
            else:
                fields_.append(f)
        add_group(tab, Group(item.title, fields_, item.anchor, item.columns))
    elif isinstance(item, Table):
        add_table(tab, Table(tab._concrete(item.list_path), item.title, item.columns, item.totals))


def fill_figures(tab: FormTab, entry) -> None:
    """(Re)fill one block of figures rows (rows that follow the projects change with them)."""
    spec, box, tables = entry
    layout = box.layout()
    tab.row_labels = {k: w for k, w in tab.row_labels.items() if not box.isAncestorOf(w)}
    while layout.count():
        child = layout.takeAt(0).widget()
        if child is not None:
            disconnect_widgets(child, tab.doc, [])
            for path in [p for p, w in tab.fields.items() if w is child or child.isAncestorOf(w)]:
                del tab.fields[path]
            tab.placeholders[:] = [(w, s) for w, s in tab.placeholders if not child.isAncestorOf(w)]
            tab.derived_labels[:] = [(w, d) for w, d in tab.derived_labels if not child.isAncestorOf(w)]
            child.setParent(None)
            child.deleteLater()
    inner = QWidget()
    grid = QGridLayout(inner)
    grid.setHorizontalSpacing(8)
    for c, head in enumerate(spec.columns, start=1):
        grid.addWidget(QLabel(f"<b>{head}</b>"), 0, c, Qt.AlignmentFlag.AlignCenter)
    rows = spec.rows(tab.doc.report, tab.project_index)
    message = QLabel()
    message.setStyleSheet(ERROR_TEXT_STYLE)
    message.setVisible(False)
    for r, frow in enumerate(rows, start=1):
        label = QLabel(("　" * frow.indent) + frow.label)
        tab.row_labels[frow.key] = label
        if frow.heading:
            label.setStyleSheet("font-weight: bold;")
            grid.addWidget(label, r, 0, 1, len(spec.columns) + 1)
            continue
        grid.addWidget(label, r, 0)
        for c, slot in enumerate(frow.slots, start=1):
            widget = _slot_widget(tab, slot)
            if isinstance(widget, NumberEdit):    # Ctrl+V of a block copied from Excel/WPS fills the cells
                widget.installEventFilter(_BlockPaste(tab, spec, rows, r - 1, c - 1, message, widget))
            grid.addWidget(widget, r, c)
    for c in range(1, len(spec.columns) + 1):
        grid.setColumnStretch(c, 1)
    layout.addWidget(inner)
    layout.addWidget(message)
    tab._recompute_derived()


def _slot_widget(tab: FormTab, slot: _forms.Slot | None) -> QWidget:
    if slot is None:
        dash = QLabel("—")
        dash.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return dash
    if not slot.path:
        value = QLabel()
        value.setStyleSheet("color: #1f4e79;")
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tab.derived_labels.append((value, Derived("", lambda r, s=slot: tab._shown(s, r))))
        return value
    if slot.kind in (_forms.RATE, _forms.MEASURE):
        editor = MeasureEdit(tab.doc, slot.path)
        editor.refresh()
    else:
        editor = make_editor(tab.doc, slot.path, _EDITOR_KIND.get(slot.kind, "amount"))
    tab.register(editor)
    editor.setToolTip(_fields.field_label(slot.path, tab.doc.report))
    if slot.compute is not None:
        tab.placeholders.append((editor, slot))
    return editor


class _BlockPaste(QObject):
    """Ctrl+V in a form cell with a tab-separated block on the clipboard: every pasted figure goes to its
    cell as ONE undo step, or none (core/forms.paste_changes); a single value pastes as usual."""

    def __init__(self, tab: FormTab, spec, rows, row: int, col: int, message: QLabel, parent) -> None:
        super().__init__(parent)
        self.tab, self.spec, self.rows, self.row, self.col, self.message = tab, spec, rows, row, col, message

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.matches(QKeySequence.StandardKey.Paste):
            text = QGuiApplication.clipboard().text()
            if "\t" in text or "\n" in text.strip("\n"):
                return self.paste(text)
        return False

    def paste(self, text: str) -> bool:
        try:
            changes = _forms.paste_changes(self.rows, self.spec.columns, self.row, self.col, text)
        except _forms.FormPasteError as exc:
            self.message.setText(str(exc))
            self.message.setVisible(True)
            return True
        self.message.setVisible(False)
        self.tab.doc.apply_changes(changes, "粘贴附表")
        return True
