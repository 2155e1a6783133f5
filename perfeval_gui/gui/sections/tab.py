"""Build one scrollable tab per top-level section of the current template (+ the 附 tab)."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QScrollArea, QVBoxLayout, QWidget)

from ...core.template import APPENDIX_ID, APPENDIX_TITLE, Slot, Template, numbered_heading
from ..document import ReportDocument
from ..table import ListTableView
from ..widgets import HeadingEdit, NarrativeEdit, TextLine, field_label, field_row, make_editor
from .specs import BLOCKS, INDICATOR_COLUMNS, Derived, Grid, Group, ProjectDetail, Table

def short_title(template_id: str, section_id: str, full: str) -> str:
    """The tab title: the section number and the outline's short title (``tab`` of the slot)."""
    if section_id == APPENDIX_ID:
        return "附 评分表"
    if section_id in FORM_SECTIONS.values():
        return f"表 {section_id}"
    from ...core.template import get_template
    slot = get_template(template_id).slot(section_id)
    return f"{section_id} {(slot.tab or slot.title) if slot else full}"


class _TabBase(QScrollArea):
    """A scroll area holding the section's widgets; knows how to locate a field path."""

    fields_changed = Signal()     # a widget now shows another path (the window re-marks findings)

    def __init__(self, doc: ReportDocument, template: Template, section_id: str, full_title: str) -> None:
        super().__init__()
        self.doc = doc
        self.template = template
        self.section_id = section_id
        self.full_title = full_title
        self.fields: dict[str, QWidget] = {}
        self.tables: list[ListTableView] = []
        self.derived_labels: list[tuple[QLabel, Derived]] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget()
        self.layout_ = QVBoxLayout(self.content)
        self.layout_.setContentsMargins(16, 12, 24, 16)
        self.layout_.setSpacing(8)
        self.setWidget(self.content)
        title = QLabel(full_title)
        title.setStyleSheet("font-size: 16pt; font-weight: bold; padding: 4px 0;")
        title.setWordWrap(True)
        self.layout_.addWidget(title)
        self.built = False

    def ensure_built(self) -> bool:
        """Build the widgets on first use (start-up builds only the visible tab). True if built now."""
        if self.built:
            return False
        self.built = True
        self.content.setUpdatesEnabled(False)
        self.doc.changed.connect(self._refresh_derived)
        self.build()
        self.content.setUpdatesEnabled(True)
        return True

    def build(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    # ------------------------------------------------------------------ building blocks
    def _register(self, editor: QWidget) -> QWidget:
        path = getattr(editor, "path", None)
        if path:
            self.fields[path] = editor
        return editor

    def group_box(self, title: str) -> QGroupBox:
        """A frame under a bold title label (a QGroupBox title clips text such as “三公”经费)."""
        head = QLabel(title)
        head.setObjectName("groupTitle")
        head.setStyleSheet("QLabel#groupTitle { font-weight: bold; padding-top: 4px; }")
        head.setWordWrap(True)
        self.layout_.addWidget(head)
        box = QGroupBox()
        box.setAccessibleName(title)
        return box

    def label_column_width(self) -> int:
        return self.fontMetrics().horizontalAdvance("全年预算数（计算）")

    def add_group(self, group: Group) -> None:
        box = self.group_box(group.title)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        cols = group.columns
        label_width = self.label_column_width()
        for i, item in enumerate(group.fields):
            r, c = divmod(i, cols)
            if isinstance(item, Derived):
                label = QLabel(item.label)
                value = QLabel()
                value.setStyleSheet("color: #1f4e79;")
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.derived_labels.append((value, item))
                grid.addWidget(label, r, 2 * c, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(value, r, 2 * c + 1, Qt.AlignmentFlag.AlignTop)
                continue
            editor = self._register(make_editor(self.doc, item.path, item.kind, item.choices))
            unit = "万元" if item.kind == "amount" else ""
            label = field_label(item.label, editor)
            grid.addWidget(label, r, 2 * c, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            grid.addWidget(field_row(editor, unit), r, 2 * c + 1)
        for c in range(cols):
            grid.setColumnStretch(2 * c + 1, 1)
            grid.setColumnMinimumWidth(2 * c, label_width)   # the same label column in every group
        self.layout_.addWidget(box)
        self._recompute_derived()

    def add_grid(self, spec: Grid) -> None:
        box = self.group_box(spec.title)
        grid = QGridLayout(box)
        for c, header in enumerate(spec.headers):
            h = QLabel(f"<b>{header}（万元）</b>")
            grid.addWidget(h, 0, c + 1)
        for r, (label, paths) in enumerate(spec.rows, start=1):
            editors = [self._register(make_editor(self.doc, path, spec.kind)) for path in paths]
            grid.addWidget(field_label(label, editors[0] if editors else None), r, 0,
                           Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            for c, editor in enumerate(editors):
                grid.addWidget(field_row(editor), r, c + 1)
        row = len(spec.rows) + 1
        for d in spec.derived:
            grid.addWidget(QLabel(d.label), row, 0, Qt.AlignmentFlag.AlignRight)
            value = QLabel()
            value.setStyleSheet("color: #1f4e79;")
            self.derived_labels.append((value, d))
            grid.addWidget(value, row, 1, 1, len(spec.headers))
            row += 1
        for c in range(len(spec.headers)):
            grid.setColumnStretch(c + 1, 1)
        self.layout_.addWidget(box)
        self._recompute_derived()

    def add_table(self, spec: Table) -> ListTableView:
        view = ListTableView(self.doc, spec.list_path, spec.columns, spec.totals, title=spec.title)
        self.tables.append(view)
        self.layout_.addWidget(view)
        return view

    def add_heading(self, slot: Slot) -> None:
        edit = self._register(HeadingEdit(self.doc, slot))
        row = QHBoxLayout()
        label = QLabel("标题")
        label.setStyleSheet("color: #777;")
        row.addWidget(label)
        row.addWidget(edit, 1)
        row.addWidget(edit.restore_button)
        self.layout_.addLayout(row)

    def add_narrative(self, slot_id: str, label: str) -> None:
        edit = self._register(NarrativeEdit(self.doc, f"narrative[{slot_id}]"))
        head = QHBoxLayout()
        head.addWidget(QLabel(label))
        head.addStretch(1)
        head.addWidget(edit.count_label)
        self.layout_.addLayout(head)
        self.layout_.addWidget(edit)

    def _derived_deferred(self) -> bool:
        """A hidden tab recomputes its derived figures when shown, not on every keystroke elsewhere
        (with 1,000 projects a 项目 total is a walk over all of them; issue 21)."""
        if self.isVisible():
            return False
        self._derived_stale = True
        return True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if getattr(self, "_derived_stale", False):
            self._recompute_derived()
        if getattr(self, "tips_stale", False):   # marks' texts changed while hidden (MainWindow._retitle)
            self.tips_stale = False
            window = self.window()
            if hasattr(window, "refresh_tips"):
                window.refresh_tips(self)

    def _refresh_derived(self, *args) -> None:
        """On a change: the derived figures of a visible tab (a hidden one is marked stale)."""
        if not self._derived_deferred():
            self._recompute_derived()

    def _recompute_derived(self) -> None:
        self._derived_stale = False
        for label, spec in self.derived_labels:
            try:
                label.setText(spec.compute(self.doc.report))
            except Exception:  # a derived label must never break editing
                label.setText("—")

    # ------------------------------------------------------------------ goto
    def locate(self, path: str) -> QWidget | None:
        """Make the widget for ``path`` current (select table cell …) and return it."""
        self.ensure_built()
        if path in self.fields:
            return self.fields[path]
        for table in self.tables:
            cell = table.model.cell_for_path(path)
            if cell and cell[0] < table.model.item_count():
                table.select_cell(*cell)
                return table.view
        for table in self.tables:
            if path == table.model.list_path:
                return table.view
        return None


class SectionTab(_TabBase):
    def __init__(self, doc: ReportDocument, template: Template, section: Slot) -> None:
        super().__init__(doc, template, section.id, numbered_heading(section))
        self.section = section
        self.project_table: ListTableView | None = None
        self.project_edits: list[tuple[str, NarrativeEdit]] = []

    def build(self) -> None:
        section, template = self.section, self.template
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
            self.add_heading(slot)
            for item in anchored.get(slot.id, []):
                self._add_item(item)
            if slot.narrative:
                label = "正文（每段一行）" if not slot.children else "本部分开头的正文"
                self.add_narrative(slot.id, label)
        self.add_extra_headings(slot_ids)
        if section is template.sections[-1]:
            self.add_kept_texts()
        self.layout_.addStretch(1)

    def add_kept_texts(self) -> None:
        """Text with no place in this outline (after switching the report's profile): kept, editable,
        listed at the end of the last section (CMP-05 points here); switching back restores it."""
        from ...core.profiles import orphans
        kept = orphans(self.doc.report)
        if not kept:
            return
        box = QGroupBox("保留的文字（当前报告格式中没有对应部分，不会导出；可把内容移到合适的部分）")
        lay = QVBoxLayout(box)
        for key, label in kept:
            lay.addWidget(QLabel(label))
            edit = self._register(NarrativeEdit(self.doc, f"narrative[{key}]"))
            lay.addWidget(edit)
        self.layout_.addWidget(box)

    def add_extra_headings(self, slot_ids: set[str]) -> None:
        """Sub-headings the officer wrote that the template does not know (e.g. 三.二.1.1)."""
        extra = sorted(k for k in self.doc.report.headings
                       if k not in slot_ids and k.split(".")[0] == self.section_id)
        if not extra:
            return
        box = self.group_box("报告中的其他小标题")
        grid = QGridLayout(box)
        for r, key in enumerate(extra):
            editor = self._register(TextLine(self.doc, f"headings[{key}]"))
            editor.refresh()
            grid.addWidget(QLabel(key), r, 0)
            grid.addWidget(editor, r, 1)
        self.layout_.addWidget(box)

    def _add_item(self, item) -> None:
        if isinstance(item, Group):
            self.add_group(item)
        elif isinstance(item, Grid):
            self.add_grid(item)
        elif isinstance(item, Table):
            view = self.add_table(item)
            if item.list_path == "projects":
                self.project_table = view
        elif isinstance(item, ProjectDetail):
            self._add_project_detail()

    def _add_project_detail(self) -> None:
        box = self.group_box("选中项目的说明")
        layout = QVBoxLayout(box)
        self.project_caption = QLabel("请先在上面的项目表中选中一个项目。")
        layout.addWidget(self.project_caption)
        for attr, label in (("purpose", "项目概况及资金用途"), ("analysis_economy", "经济性分析"),
                            ("analysis_effectiveness", "有效性分析"),
                            ("analysis_sustainability", "可持续性分析")):
            edit = NarrativeEdit(self.doc, "")
            edit.setMinimumHeight(70)
            head = QHBoxLayout()
            head.addWidget(QLabel(label))
            head.addStretch(1)
            head.addWidget(edit.count_label)
            layout.addLayout(head)
            layout.addWidget(edit)
            self.project_edits.append((attr, edit))
        self.layout_.addWidget(box)
        if self.project_table is not None:
            sel = self.project_table.view.selectionModel()
            sel.currentChanged.connect(lambda *_: self._update_project_detail())
            self.project_table.model.modelReset.connect(self._update_project_detail)
            self.doc.changed.connect(self._on_projects_changed)
            if self.project_table.model.item_count():
                self.project_table.select_cell(0, 0)
        self._update_project_detail()

    def _on_projects_changed(self, paths: list) -> None:
        if any(p == "*" or p == "projects" or re.match(r"projects\[\d+\]\.name$", p) for p in paths):
            self._update_project_detail()

    def selected_project(self) -> int:
        if self.project_table is None:
            return -1
        return self.project_table.current_row()

    def _update_project_detail(self) -> None:
        moved = False
        row = self.selected_project()
        projects = self.doc.report.projects
        if 0 <= row < len(projects):
            self.project_caption.setText(f"项目：{projects[row].name or '（未命名）'}")
            for attr, edit in self.project_edits:
                path = f"projects[{row}].{attr}"
                if edit.path != path:
                    self.fields.pop(edit.path, None)
                    edit.set_path(path)
                    moved = True
                self.fields[path] = edit
        else:
            self.project_caption.setText("请先在上面的项目表中选中一个项目。")
            for _attr, edit in self.project_edits:
                moved = moved or bool(edit.path)
                self.fields.pop(edit.path, None)
                edit.set_path("")
        if moved:
            self.fields_changed.emit()

    def locate(self, path: str) -> QWidget | None:
        self.ensure_built()
        m = re.match(r"projects\[(\d+)\]\.(purpose|analysis_\w+)$", path)
        if m and self.project_table is not None:
            self.project_table.select_cell(int(m.group(1)), 0)
            self._update_project_detail()
        return super().locate(path)


class AppendixTab(_TabBase):
    """附相关评分: the department scoring table + the indicators of each project."""

    def __init__(self, doc: ReportDocument, template: Template) -> None:
        super().__init__(doc, template, APPENDIX_ID, APPENDIX_TITLE)

    def build(self) -> None:
        doc = self.doc
        slot = Slot(APPENDIX_ID, APPENDIX_TITLE, 1, narrative=False)
        edit = self._register(HeadingEdit(self.doc, slot, standard=APPENDIX_TITLE))
        row = QHBoxLayout()
        row.addWidget(QLabel("标题"))
        row.addWidget(edit, 1)
        row.addWidget(edit.restore_button)
        self.layout_.addLayout(row)
        for item in BLOCKS["scoring"]:
            self.add_table(item)
        box = QHBoxLayout()
        box.addWidget(QLabel("项目绩效自评表 — 项目："))
        self.project_combo = QComboBox()
        self.project_combo.setMinimumWidth(320)
        box.addWidget(self.project_combo)
        box.addStretch(1)
        self.layout_.addLayout(box)
        self.indicator_table = ListTableView(doc, "", INDICATOR_COLUMNS, None, title="项目绩效指标")
        self.tables.append(self.indicator_table)
        self.layout_.addWidget(self.indicator_table)
        self.layout_.addStretch(1)
        self.project_combo.currentIndexChanged.connect(self._on_project)
        doc.changed.connect(self._on_changed)
        self._fill_projects()

    def _on_changed(self, paths: list) -> None:
        if any(p == "*" or p == "projects" or re.match(r"projects\[\d+\]\.name$", p) for p in paths):
            self._fill_projects()

    def _fill_projects(self) -> None:
        current = self.project_combo.currentIndex()
        self.project_combo.blockSignals(True)
        self.project_combo.clear()
        for i, p in enumerate(self.doc.report.projects):
            self.project_combo.addItem(f"{i + 1}. {p.name or '（未命名）'}", i)
        n = self.project_combo.count()
        self.project_combo.setCurrentIndex(min(max(current, 0), n - 1) if n else -1)
        self.project_combo.blockSignals(False)
        self._on_project(self.project_combo.currentIndex())

    def _on_project(self, index: int) -> None:
        path = f"projects[{index}].indicators" if index >= 0 else ""
        if self.indicator_table.model.list_path != path:
            self.indicator_table.model.set_list_path(path)
            self.fields_changed.emit()
        enabled = bool(path)
        for b in (self.indicator_table.add_button, self.indicator_table.remove_button,
                  self.indicator_table.up_button, self.indicator_table.down_button):
            b.setEnabled(enabled)

    def locate(self, path: str) -> QWidget | None:
        self.ensure_built()
        m = re.match(r"projects\[(\d+)\]\.indicators", path)
        if m:
            idx = int(m.group(1))
            if idx < self.project_combo.count():
                self.project_combo.setCurrentIndex(idx)
        return super().locate(path)


def _walk(slot: Slot):
    yield slot
    for child in slot.children:
        yield from _walk(child)


def build_tabs(doc: ReportDocument, template: Template) -> list[_TabBase]:
    tabs: list[_TabBase] = [SectionTab(doc, template, s) for s in template.sections]
    tabs.append(AppendixTab(doc, template))
    tabs.extend(build_form_tabs(doc, template))       # the submission forms, after the report
    return tabs


# ---------------------------------------------------------------------- the submission forms (issue 17)
from decimal import Decimal  # noqa: E402

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtGui import QGuiApplication, QKeySequence  # noqa: E402

from ...core import fields as _fields  # noqa: E402
from ...core import forms as _forms  # noqa: E402
from ...core.numbers import NumberParseError, parse_measure  # noqa: E402
from ...core.template import FORM_SECTIONS  # noqa: E402
from ..widgets import BoundMixin, NumberEdit  # noqa: E402
from .specs import F, FigureRows, FormSlots, FormTabSpec, FORM_TABS, ProjectDerived  # noqa: E402

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


def _disconnect_widgets(root: QWidget, doc: ReportDocument, tables: list) -> None:
    """Widgets about to be deleted stop listening to the document (as main_window does for tabs)."""
    import warnings
    for w in root.findChildren(QWidget):
        if isinstance(w, BoundMixin):
            doc.unwatch(w)
    slots = [t.model._on_doc_changed for t in tables]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for slot in slots:
            try:
                doc.changed.disconnect(slot)
            except (RuntimeError, TypeError):
                pass


class FormTab(_TabBase):
    """One submission form (部门整体支出绩效自评表, 基础数据表, 项目支出绩效自评表) laid out from
    specs.FORM_TABS: the same fields as the report's tabs, so an edit here is an edit there (one undo
    step), and findings about a form cell mark it here too."""

    def __init__(self, doc: ReportDocument, template: Template, spec: FormTabSpec) -> None:
        super().__init__(doc, template, FORM_SECTIONS[spec.form_id], _fields.FORMS.label(spec.form_id))
        self.spec = spec
        self.project_index = -1
        self.project_combo: QComboBox | None = None
        self.body: QWidget | None = None
        self.figure_boxes: list[tuple[FigureRows, QGroupBox, list]] = []
        self.placeholders: list[tuple[QWidget, _forms.Slot]] = []
        self.row_labels: dict[str, QLabel] = {}       # figures row key → its label (renamed in place)

    # ------------------------------------------------------------------ building
    def build(self) -> None:
        self.outer = self.layout_
        if self.spec.per_project:
            row = QHBoxLayout()
            row.addWidget(QLabel("项目："))
            self.project_combo = QComboBox()
            self.project_combo.setMinimumWidth(320)
            row.addWidget(self.project_combo)
            row.addStretch(1)
            self.outer.addLayout(row)
            self.empty_label = QLabel("本报告还没有项目：请先在项目支出表中添加项目，每个项目一张项目支出绩效自评表。")
            self.outer.addWidget(self.empty_label)
        self.body_holder = QVBoxLayout()
        self.outer.addLayout(self.body_holder)
        self.outer.addStretch(1)
        self.doc.changed.connect(self._on_changed)
        if self.project_combo is not None:
            self.project_combo.currentIndexChanged.connect(self._on_project)
            self._fill_projects()
        else:
            self._build_body()

    def _concrete(self, path: str) -> str:
        return path.replace("projects[]", f"projects[{self.project_index}]")

    def _build_body(self) -> None:
        self._clear_body()
        if self.spec.per_project and not 0 <= self.project_index < len(self.doc.report.projects):
            return
        self.body = QWidget()
        self.layout_ = QVBoxLayout(self.body)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        for item in self.spec.items:
            self._add_form_item(item)
        self.layout_ = self.outer
        self.body_holder.addWidget(self.body)
        self._recompute_derived()

    def _clear_body(self) -> None:
        if self.body is None:
            return
        _disconnect_widgets(self.body, self.doc, self.tables)
        self.body.setParent(None)
        self.body.deleteLater()
        self.body = None
        self.fields.clear()
        self.tables.clear()
        self.derived_labels.clear()
        self.figure_boxes.clear()
        self.placeholders.clear()
        self.row_labels.clear()

    def _add_form_item(self, item) -> None:
        if isinstance(item, FigureRows):
            box = QGroupBox(item.title)
            QVBoxLayout(box)
            entry = (item, box, [])
            self.figure_boxes.append(entry)
            self._fill_figures(entry)
            self.layout_.addWidget(box)
        elif isinstance(item, FormSlots):
            box = QGroupBox(item.title)
            grid = QGridLayout(box)
            for c, (head, slot) in enumerate(zip(item.headers, item.slots())):
                grid.addWidget(QLabel(f"<b>{head}</b>"), 0, c)
                grid.addWidget(self._slot_widget(slot), 1, c)
            self.layout_.addWidget(box)
        elif isinstance(item, Group):
            fields_ = []
            for f in item.fields:
                if isinstance(f, F):
                    fields_.append(F(self._concrete(f.path), f.kind, f.choices, f.sub, f.note, f.label))
                elif isinstance(f, ProjectDerived):
                    fields_.append(Derived(f.label, lambda r, pd=f: pd.compute(r, self.project_index)))
                else:
                    fields_.append(f)
            self.add_group(Group(item.title, fields_, item.anchor, item.columns))
        elif isinstance(item, Table):
            self.add_table(Table(self._concrete(item.list_path), item.title, item.columns, item.totals))

    def _fill_figures(self, entry) -> None:
        spec, box, tables = entry
        layout = box.layout()
        self.row_labels = {k: w for k, w in self.row_labels.items() if not box.isAncestorOf(w)}
        while layout.count():
            child = layout.takeAt(0).widget()
            if child is not None:
                _disconnect_widgets(child, self.doc, [])
                for path in [p for p, w in self.fields.items() if w is child or child.isAncestorOf(w)]:
                    del self.fields[path]
                self.placeholders[:] = [(w, s) for w, s in self.placeholders if not child.isAncestorOf(w)]
                self.derived_labels[:] = [(w, d) for w, d in self.derived_labels if not child.isAncestorOf(w)]
                child.setParent(None)
                child.deleteLater()
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setHorizontalSpacing(8)
        for c, head in enumerate(spec.columns, start=1):
            grid.addWidget(QLabel(f"<b>{head}</b>"), 0, c, Qt.AlignmentFlag.AlignCenter)
        rows = spec.rows(self.doc.report, self.project_index)
        message = QLabel()
        message.setStyleSheet("color: #d32f2f;")
        message.setVisible(False)
        for r, frow in enumerate(rows, start=1):
            label = QLabel(("　" * frow.indent) + frow.label)
            self.row_labels[frow.key] = label
            if frow.heading:
                label.setStyleSheet("font-weight: bold;")
                grid.addWidget(label, r, 0, 1, len(spec.columns) + 1)
                continue
            grid.addWidget(label, r, 0)
            for c, slot in enumerate(frow.slots, start=1):
                widget = self._slot_widget(slot)
                if isinstance(widget, NumberEdit):    # Ctrl+V of a block copied from Excel/WPS fills the cells
                    widget.installEventFilter(_BlockPaste(self, spec, rows, r - 1, c - 1, message, widget))
                grid.addWidget(widget, r, c)
        for c in range(1, len(spec.columns) + 1):
            grid.setColumnStretch(c, 1)
        layout.addWidget(inner)
        layout.addWidget(message)
        self._recompute_derived()

    def _slot_widget(self, slot: _forms.Slot | None) -> QWidget:
        if slot is None:
            dash = QLabel("—")
            dash.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return dash
        if not slot.path:
            value = QLabel()
            value.setStyleSheet("color: #1f4e79;")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.derived_labels.append((value, Derived("", lambda r, s=slot: self._shown(s, r))))
            return value
        if slot.kind in (_forms.RATE, _forms.MEASURE):
            editor = MeasureEdit(self.doc, slot.path)
            editor.refresh()
        else:
            editor = make_editor(self.doc, slot.path, _EDITOR_KIND.get(slot.kind, "amount"))
        self._register(editor)
        editor.setToolTip(_fields.field_label(slot.path, self.doc.report))
        if slot.compute is not None:
            self.placeholders.append((editor, slot))
        return editor

    def _shown(self, slot: _forms.Slot, report) -> str:
        try:
            value = slot.value(report)
        except Exception:       # a derived value must never break editing
            return "—"
        return _forms.display(_forms.GridCell(value, slot.kind)) or "—"

    def _recompute_derived(self) -> None:
        super()._recompute_derived()
        for editor, slot in getattr(self, "placeholders", []):
            computed = slot.compute(self.doc.report) if slot.compute else None
            if slot.stated_rate and isinstance(computed, Decimal):
                computed = computed * 100
            text = _forms.display(_forms.GridCell(computed, slot.kind)) if computed is not None else ""
            editor.setPlaceholderText(f"计算：{text}" if text else "未填写")

    # ------------------------------------------------------------------ projects
    def _fill_projects(self) -> None:
        combo = self.project_combo
        current = combo.currentIndex()
        combo.blockSignals(True)
        combo.clear()
        for i, p in enumerate(self.doc.report.projects):
            combo.addItem(f"{i + 1}. {p.name or '（未命名）'}", i)
        n = combo.count()
        combo.setCurrentIndex(min(max(current, 0), n - 1) if n else -1)
        combo.blockSignals(False)
        self.empty_label.setVisible(n == 0)
        self._on_project(combo.currentIndex())

    def _on_project(self, index: int) -> None:
        if index == self.project_index and self.body is not None:
            return
        self.project_index = index
        self._build_body()

    def _on_changed(self, paths: list) -> None:
        structural = any(p == "*" or p == "projects" for p in paths)
        renamed = any(re.match(r"projects\[\d+\]\.(name|category)$", p) for p in paths)
        if renamed and not structural and not any(p.endswith(".category") for p in paths):
            # a project renamed: its 基础数据表 row keeps its cells, only the label follows (no rebuild per keystroke)
            for p in paths:
                m = re.match(r"projects\[(\d+)\]\.name$", p)
                label = self.row_labels.get(f"project_{m.group(1)}") if m else None
                if label is not None:
                    i = int(m.group(1))
                    label.setText("　" + (self.doc.report.projects[i].name or f"项目{i + 1}"))
            if self.project_combo is None:
                return
        if self.project_combo is not None:
            if structural:
                self.project_index = -2          # rows moved: rebuild for the current row
                self._fill_projects()
                return
            if renamed:
                i = self.project_combo.currentIndex()
                for k, p in enumerate(self.doc.report.projects[:self.project_combo.count()]):
                    self.project_combo.setItemText(k, f"{k + 1}. {p.name or '（未命名）'}")
                self.project_combo.setCurrentIndex(i)
            mine = f"projects[{self.project_index}].indicators"
            if any(p == mine or re.match(re.escape(mine) + r"\[\d+\]\.(rule|parent_id|name)$", p) for p in paths):
                for entry in self.figure_boxes:         # the 预算执行率 indicator may have changed
                    self._fill_figures(entry)
            return
        if structural or renamed:
            for entry in self.figure_boxes:
                if entry[0].dynamic:
                    self._fill_figures(entry)

    def locate(self, path: str) -> QWidget | None:
        self.ensure_built()
        m = re.match(r"projects\[(\d+)\]", path)
        if self.project_combo is not None and m and int(m.group(1)) < self.project_combo.count():
            self.project_combo.setCurrentIndex(int(m.group(1)))
        return super().locate(path)


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


def build_form_tabs(doc: ReportDocument, template: Template) -> list[FormTab]:
    """The tabs of the forms the report's rule profile includes (core/forms.forms_for)."""
    include = _forms.forms_for(doc.report)
    return [FormTab(doc, template, spec) for spec in FORM_TABS if spec.form_id in include]
