"""Build one scrollable tab per top-level section of the current template (+ the 附 tab)."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QScrollArea, QVBoxLayout, QWidget)

from ...core.template import APPENDIX_ID, APPENDIX_TITLE, Slot, Template, numbered_heading
from ..document import ReportDocument
from ..table import ListTableView
from ..widgets import HeadingEdit, NarrativeEdit, TextLine, field_row, make_editor
from .specs import BLOCKS, INDICATOR_COLUMNS, Derived, Grid, Group, ProjectDetail, Table

def short_title(template_id: str, section_id: str, full: str) -> str:
    """The tab title: the section number and the outline's short title (``tab`` of the slot)."""
    if section_id == APPENDIX_ID:
        return "附 评分表"
    from ...core.template import get_template
    slot = get_template(template_id).slot(section_id)
    return f"{section_id} {(slot.tab or slot.title) if slot else full}"


class _TabBase(QScrollArea):
    """A scroll area holding the section's widgets; knows how to locate a field path."""

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

    def add_group(self, group: Group) -> None:
        box = QGroupBox(group.title)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        cols = group.columns
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
            label = QLabel(item.label)
            label.setBuddy(editor)
            grid.addWidget(label, r, 2 * c, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            grid.addWidget(field_row(editor, unit), r, 2 * c + 1)
        for c in range(cols):
            grid.setColumnStretch(2 * c + 1, 1)
        self.layout_.addWidget(box)
        self._refresh_derived()

    def add_grid(self, spec: Grid) -> None:
        box = QGroupBox(spec.title)
        grid = QGridLayout(box)
        for c, header in enumerate(spec.headers):
            h = QLabel(f"<b>{header}（万元）</b>")
            grid.addWidget(h, 0, c + 1)
        for r, (label, paths) in enumerate(spec.rows, start=1):
            grid.addWidget(QLabel(label), r, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            for c, path in enumerate(paths):
                editor = self._register(make_editor(self.doc, path, spec.kind))
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
        self._refresh_derived()

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

    def _refresh_derived(self, *args) -> None:
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
        listed at the end of the last section (CMP-03 points here); switching back restores it."""
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
        box = QGroupBox("报告中的其他小标题")
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
        box = QGroupBox("选中项目的说明")
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
        row = self.selected_project()
        projects = self.doc.report.projects
        if 0 <= row < len(projects):
            self.project_caption.setText(f"项目：{projects[row].name or '（未命名）'}")
            for attr, edit in self.project_edits:
                path = f"projects[{row}].{attr}"
                if edit.path != path:
                    self.fields.pop(edit.path, None)
                    edit.set_path(path)
                self.fields[path] = edit
        else:
            self.project_caption.setText("请先在上面的项目表中选中一个项目。")
            for _attr, edit in self.project_edits:
                self.fields.pop(edit.path, None)
                edit.set_path("")

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
    return tabs
