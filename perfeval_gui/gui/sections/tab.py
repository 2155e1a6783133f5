"""One scrollable tab per top-level section of the current template (+ the 附 tab and the forms' tabs).

The tabs made here are shells: what a tab shows is laid out on its first visit (``ensure_built`` →
sections/builders.py, which imports the editors, tables and specs), so start-up — which shows only the
overview — builds and imports none of that. A shell still knows its section, its title and how to find a
field path (building itself first), so find, 转到, highlights and tab titles work on every tab.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core import fields as _fields
from ...core import forms as _forms
from ...core.template import APPENDIX_ID, APPENDIX_TITLE, FORM_SECTIONS, Slot, Template, numbered_heading
from ..document import ReportDocument

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox, QGroupBox

    from ..table import ListTableView
    from ..widgets import NarrativeEdit
    from .specs import Derived, FigureRows, FormTabSpec


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
    """A scroll area holding the section's widgets (once built); knows how to locate a field path."""

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
        self.built = False

    def ensure_built(self) -> bool:
        """Build the widgets on first use (start-up builds only the visible tab). True if built now."""
        if self.built:
            return False
        self.built = True
        self.content = QWidget()
        self.layout_ = QVBoxLayout(self.content)
        self.layout_.setContentsMargins(16, 12, 24, 16)
        self.layout_.setSpacing(8)
        self.setWidget(self.content)
        title = QLabel(self.full_title)
        title.setStyleSheet("font-size: 16pt; font-weight: bold; padding: 4px 0;")
        title.setWordWrap(True)
        self.layout_.addWidget(title)
        self.content.setUpdatesEnabled(False)
        self.doc.changed.connect(self._refresh_derived)
        self.build()
        self.content.setUpdatesEnabled(True)
        return True

    def build(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def detach(self) -> None:
        """Stop listening to the document: the tab is about to be deleted (tabs rebuilt)."""
        if not self.built:          # a shell never listened
            return
        from .builders import disconnect_widgets
        slots = [t.model._on_doc_changed for t in self.tables]
        slots += [getattr(self, name) for name in ("_refresh_derived", "_on_projects_changed", "_on_changed")
                  if hasattr(self, name)]
        disconnect_widgets(self, self.doc, slots)

    def register(self, editor: QWidget) -> QWidget:
        """Index an editor by the path it shows (``fields``: highlights, find, goto)."""
        path = getattr(editor, "path", None)
        if path:
            self.fields[path] = editor
        return editor

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
        from .builders import build_section
        build_section(self)

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
        from .builders import build_appendix
        build_appendix(self)

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


# ---------------------------------------------------------------------- the submission forms (issue 17)
class FormTab(_TabBase):
    """One submission form (部门整体支出绩效自评表, 基础数据表, 项目支出绩效自评表) laid out from
    specs.FORM_TABS: the same fields as the report's tabs, so an edit here is an edit there (one undo
    step), and findings about a form cell mark it here too."""

    def __init__(self, doc: ReportDocument, template: Template, form_id: str) -> None:
        super().__init__(doc, template, FORM_SECTIONS[form_id], _fields.FORMS.label(form_id))
        self.form_id = form_id
        self.spec: FormTabSpec | None = None           # specs.FORM_TABS' entry, read when built
        self.project_index = -1
        self.project_combo: QComboBox | None = None
        self.body: QWidget | None = None
        self.figure_boxes: list[tuple[FigureRows, QGroupBox, list]] = []
        self.placeholders: list[tuple[QWidget, _forms.Slot]] = []
        self.row_labels: dict[str, QLabel] = {}       # figures row key → its label (renamed in place)

    def build(self) -> None:
        from .builders import build_form
        build_form(self)

    def _build_body(self) -> None:
        from .builders import build_form_body
        build_form_body(self)

    def _fill_figures(self, entry) -> None:
        from .builders import fill_figures
        fill_figures(self, entry)

    def _concrete(self, path: str) -> str:
        return path.replace("projects[]", f"projects[{self.project_index}]")

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


def build_tabs(doc: ReportDocument, template: Template) -> list[_TabBase]:
    """The shells of the report's tabs: its sections, the 附 tab, then the forms its rule profile includes."""
    tabs: list[_TabBase] = [SectionTab(doc, template, s) for s in template.sections]
    tabs.append(AppendixTab(doc, template))
    tabs.extend(FormTab(doc, template, form_id) for form_id in _forms.forms_for(doc.report))
    return tabs
