"""The main window: menus, one tab per report section, the findings dock, status bar."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget)

from .. import APP_NAME, __version__
from ..core import derived
from ..core.findings import Finding, Severity, summarise
from ..core.template import get_template, section_of_path
from ..io.atomic import WriteError
from ..io.project_file import EXTENSION, ProjectFileError, fingerprint, load_project, save_project
from .autosave import Autosave
from .document import ReportDocument
from .findings_panel import FindingsPanel
from .paths import settings
from .sections import build_tabs, short_title
from .table import commit_open_editors
from .widgets import BoundMixin

FILE_FILTER = f"绩效自评项目 (*{EXTENSION})"
MAX_RECENT = 8


class MainWindow(QMainWindow):
    def __init__(self, doc: ReportDocument | None = None, autosave_ms: int | None = None) -> None:
        super().__init__()
        self.doc = doc or ReportDocument()
        self.resize(1400, 900)
        self.setAcceptDrops(True)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.tabs.setStyleSheet("QTabBar::tab { padding: 5px 7px; }")
        self.setCentralWidget(self.tabs)
        self.section_tabs: list = []
        self.overview_widget: QWidget | None = None
        self.overview_title = "概览"
        self._built_template = ""
        self._highlighted: set = set()
        self.findings_panel = FindingsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.findings_panel)
        self.resizeDocks([self.findings_panel], [420], Qt.Orientation.Horizontal)
        self.findings_panel.finding_activated.connect(self.goto_finding)
        self.findings_panel.note_changed.connect(self.set_finding_note)
        self.status_label = QLabel()
        self.score_label = QLabel()
        self.statusBar().addWidget(self.status_label)
        self.statusBar().addPermanentWidget(self.score_label)
        self._make_actions()
        from .profile_dialog import install_profile_actions
        install_profile_actions(self)
        self.autosave = Autosave(self.doc, autosave_ms or 60_000, self)
        self.doc.changed.connect(self._on_changed)
        self.doc.findings_changed.connect(self._on_findings)
        self.doc.dirty_changed.connect(lambda *_: self.update_title())
        # the overview first: it is the tab shown at start, so no section tab is built yet
        from .overview import install_overview
        from .welcome import install_welcome
        install_overview(self)
        self.rebuild_tabs()
        install_welcome(self)
        self._on_findings(self.doc.findings)
        self.update_title()

    # ------------------------------------------------------------------ menus
    def _action(self, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda checked=False: slot())
        return action

    def _make_actions(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("文件(&F)")
        self.new_action = self._action("新建(&N)", self.new_report, QKeySequence.StandardKey.New)
        self.open_action = self._action("打开(&O)…", self.open_file, QKeySequence.StandardKey.Open)
        self.recent_menu = m.addMenu("最近文件")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.save_action = self._action("保存(&S)", self.save, QKeySequence.StandardKey.Save)
        self.save_as_action = self._action("另存为(&A)…", self.save_as, "Ctrl+Shift+S")
        self.import_action = self._action("从 Excel 导入…", self.import_excel)
        self.export_action = self._action("导出 Word…", self.export_word)
        self.export_pdf_action = self._action("导出 PDF…", self.export_pdf)
        self.print_preview_action = self._action("打印预览…", self.print_preview, QKeySequence.StandardKey.Print)
        self.quit_action = self._action("退出(&X)", self.close, "Ctrl+Q")
        m.insertAction(self.recent_menu.menuAction(), self.new_action)
        m.insertAction(self.recent_menu.menuAction(), self.open_action)
        m.addSeparator()
        for a in (self.save_action, self.save_as_action):
            m.addAction(a)
        m.addSeparator()
        m.addAction(self.import_action)
        m.addAction(self.export_action)
        m.addAction(self.export_pdf_action)
        m.addAction(self.print_preview_action)
        self._add_year_actions(m)
        m.addSeparator()
        m.addAction(self.quit_action)
        self.file_menu = m

        e = bar.addMenu("编辑(&E)")
        self.undo_action = self.doc.undo_stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self.doc.undo_stack.createRedoAction(self, "重做")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence(QKeySequence.StandardKey.Redo)])
        e.addAction(self.undo_action)
        e.addAction(self.redo_action)
        self.edit_menu = e

        v = bar.addMenu("视图(&V)")
        self.findings_action = self.findings_panel.toggleViewAction()
        self.findings_action.setText("检查结果面板")
        v.addAction(self.findings_action)
        self.view_menu = v

        h = bar.addMenu("帮助(&H)")
        self.help_action = self._action("使用说明", self.show_help, QKeySequence.StandardKey.HelpContents)
        self.about_action = self._action("关于", self.show_about)
        h.addAction(self.help_action)
        h.addAction(self.about_action)
        self.help_menu = h

    def _add_year_actions(self, menu) -> None:
        """文件 → 从 Word 导入… / 新建下一年度报告… / 批量检查… (gui/docx_import_dialog.py,
        gui/next_year_dialog.py, gui/batch_check.py)."""
        self.docx_import_action = self._action("从 Word 导入…", self.import_word)
        menu.insertAction(self.export_action, self.docx_import_action)
        menu.addSeparator()
        self.next_year_action = self._action("新建下一年度报告…", self.new_next_year)
        self.batch_check_action = self._action("批量检查…", self.batch_check)
        menu.addAction(self.next_year_action)
        menu.addAction(self.batch_check_action)

    def new_next_year(self) -> bool:
        from .next_year_dialog import run_next_year
        return run_next_year(self)

    def import_word(self, path=None) -> bool:
        from .docx_import_dialog import run_docx_import
        return run_docx_import(self, path)

    def batch_check(self, files=None):
        from .batch_check import run_batch_check
        return run_batch_check(self, files)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            a = self.recent_menu.addAction("（无）")
            a.setEnabled(False)
        for f in files:
            self.recent_menu.addAction(f, lambda f=f: self.open_file(f))

    # ------------------------------------------------------------------ settings
    @staticmethod
    def recent_files() -> list[str]:
        value = settings().value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if v]

    @staticmethod
    def remember(path: Path) -> None:
        s = settings()
        text = str(Path(path).resolve())
        files = [f for f in MainWindow.recent_files() if f != text]
        s.setValue("recent_files", ([text] + files)[:MAX_RECENT])
        s.setValue("last_project", text)
        s.sync()

    # ------------------------------------------------------------------ tabs
    def add_overview_tab(self, widget: QWidget, title: str = "概览") -> None:
        """Hook for the overview page: kept as the first tab across tab rebuilds."""
        if self.overview_widget is not None:
            i = self.tabs.indexOf(self.overview_widget)
            if i >= 0:
                self.tabs.removeTab(i)
        self.overview_widget = widget
        self.overview_title = title
        self.tabs.insertTab(0, widget, title)
        self.tabs.setCurrentIndex(0)

    def rebuild_tabs(self) -> None:
        template = get_template(self.doc.report.meta.template)
        current = self.tabs.currentIndex()
        self.tabs.setUpdatesEnabled(False)
        for tab in self.section_tabs:
            self.tabs.removeTab(self.tabs.indexOf(tab))
            _disconnect_tab(tab, self.doc)
            tab.deleteLater()
        self.section_tabs = []
        tabs = build_tabs(self.doc, template)
        for tab in tabs:
            self.tabs.addTab(tab, short_title(template.id, tab.section_id, tab.full_title))
            self.tabs.setTabToolTip(self.tabs.indexOf(tab), tab.full_title)
        self.section_tabs = tabs
        self._built_template = template.id
        self._highlighted = set()
        self.tabs.setUpdatesEnabled(True)
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)
        self._on_tab_changed(self.tabs.currentIndex())
        self._apply_highlights(self.doc.findings)
        self._update_tab_titles(self.doc.findings)

    def _on_tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget in self.section_tabs and widget.ensure_built():
            self._apply_highlights(self.doc.findings)

    def build_all_tabs(self) -> None:
        """Build every tab now (tests, self-check); normally tabs are built when first shown."""
        for tab in self.section_tabs:
            tab.ensure_built()
        self._apply_highlights(self.doc.findings)

    def section_tab(self, section_id: str):
        return next((t for t in self.section_tabs if t.section_id == section_id), None)

    def _on_changed(self, paths: list) -> None:
        if "*" in paths:
            self.rebuild_tabs()        # a new report: fresh widgets (tabs build lazily, this is cheap)
        elif "meta.template" in paths:
            if self.doc.report.meta.template != self._built_template:
                QTimer.singleShot(0, self._rebuild_if_needed)
        self.update_title()

    def _rebuild_if_needed(self) -> None:
        if self.doc.report.meta.template != self._built_template:
            self.rebuild_tabs()

    # ------------------------------------------------------------------ findings
    def _on_findings(self, findings: list[Finding]) -> None:
        self.findings_panel.set_findings(findings)
        self._apply_highlights(findings)
        self._update_tab_titles(findings)
        s = summarise(findings)
        self.status_label.setText(s.text)
        score = derived.self_score(self.doc.report)
        if score is None:
            self.score_label.setText("自评得分：—")
        else:
            self.score_label.setText(f"自评得分：{score} 分　等级：{derived.grade_of(self.doc.report, score) or '—'}")

    def _update_tab_titles(self, findings: list[Finding]) -> None:
        by_section = summarise(findings).by_section
        template = self._built_template or self.doc.report.meta.template
        for tab in self.section_tabs:
            n = by_section.get(tab.section_id, 0)
            title = short_title(template, tab.section_id, tab.full_title)
            self.tabs.setTabText(self.tabs.indexOf(tab), f"{title} ({n})" if n else title)

    def set_finding_note(self, finding: Finding, note: str | None) -> None:
        """Acknowledge a warning/note with the officer's explanation (None: take it back); undoable."""
        from ..core.findings import STALE_NOTE_RULE
        self.doc.break_merge()      # a discrete action: never merged with typing in the same field
        if finding.rule_id == STALE_NOTE_RULE:          # remove an explanation that no longer applies
            key = dict(finding.args).get("key", "")
            if key and note is None:
                self.doc.set_value(f"acknowledged[{key}]", None)
            return
        if finding.acknowledgeable:
            old_key = finding.legacy_key if finding.legacy_key in self.doc.report.acknowledged else None
            if old_key and old_key != finding.key:       # a note under the old key moves to the new one
                self.doc.set_value(f"acknowledged[{old_key}]", None)
            self.doc.set_value(f"acknowledged[{finding.key}]", note or None)

    def _apply_highlights(self, findings: list[Finding]) -> None:
        marks: dict[str, tuple[Severity, list[str]]] = {}
        for f in findings:
            if f.severity is Severity.INFO or f.note is not None:   # explained: no amber mark
                continue
            for path in f.paths:
                sev, msgs = marks.get(path, (f.severity, []))
                if f.severity.rank < sev.rank:
                    sev = f.severity
                msgs.append(f"{f.severity.label}：{f.message}")
                marks[path] = (sev, msgs)
        self._add_draft_marks(marks)
        now: set = set()
        for tab in self.section_tabs:
            for path, widget in tab.fields.items():
                if path in marks:
                    widget.set_highlight(*marks[path])
                    now.add(widget)
                elif widget in self._highlighted:
                    widget.set_highlight(None, [])
            for table in tab.tables:
                cells = {}
                for path, mark in marks.items():
                    cell = table.model.cell_for_path(path)
                    if cell:
                        cells[cell] = mark
                if cells or table.model.highlights:
                    table.model.set_highlights(cells)
        self._highlighted = now

    def _add_draft_marks(self, marks: dict) -> None:
        """Texts carried over from last year and not edited yet: amber, tooltip 待更新."""
        from ..core.next_year import DRAFT_LABEL, pending_drafts
        for path in pending_drafts(self.doc.report):
            sev, msgs = marks.get(path, (Severity.WARNING, []))
            marks[path] = (sev, msgs + [f"{DRAFT_LABEL}：这段文字沿用上年报告，请按本年情况修改。"])

    def goto_finding(self, finding: Finding) -> None:
        if finding.paths:
            self.goto_path(finding.paths[0])
        elif finding.section:
            tab = self.section_tab(finding.section)
            if tab is not None:
                self.tabs.setCurrentWidget(tab)

    def goto_path(self, path: str) -> QWidget | None:
        """Activate the section tab of ``path``, scroll to its widget / table cell and focus it."""
        section = section_of_path(path, self.doc.report.meta.template)
        tab = self.section_tab(section)
        widget = None
        candidates = [tab] + [t for t in self.section_tabs if t is not tab] if tab else list(self.section_tabs)
        for t in candidates:
            built = not t.built
            widget = t.locate(path)
            if built:
                self._apply_highlights(self.doc.findings)
            if widget is not None:
                tab = t
                break
        if tab is None:
            return None
        self.tabs.setCurrentWidget(tab)
        if widget is not None:
            tab.ensureWidgetVisible(widget, 50, 80)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, BoundMixin) and widget.severity is None:
                widget.set_highlight(Severity.WARNING, [])
                self._highlighted.add(widget)
        return widget

    # ------------------------------------------------------------------ title
    def update_title(self) -> None:
        name = self.doc.path.name if self.doc.path else "未命名"
        if self.doc.is_sample:
            name += "（示例）"
        star = "*" if self.doc.is_dirty() else ""
        self.setWindowTitle(f"{name}{star} — {APP_NAME}")

    # ------------------------------------------------------------------ file actions
    def maybe_save(self) -> bool:
        """Ask 保存 / 不保存 / 取消 when there are unsaved changes; True = go on."""
        commit_open_editors(self)
        if not self.doc.is_dirty():
            return True
        answer = QMessageBox.question(
            self, "保存修改", "报告有尚未保存的修改。是否先保存？",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.autosave.discard()
            return True
        return False

    def new_report(self, profile: str | None = None) -> None:
        """新建报告: asks for 省份/模板 (the profile) unless ``profile`` is given."""
        if not self.maybe_save():
            return
        from .profile_dialog import new_report_with_profile
        new_report_with_profile(self, profile)

    def open_file(self, path: str | Path | None = None) -> bool:
        if not self.maybe_save():
            return False
        if path is None:
            start = str(Path(self.doc.path).parent) if self.doc.path and not self.doc.is_sample else ""
            path, _ = QFileDialog.getOpenFileName(self, "打开报告", start, FILE_FILTER)
            if not path:
                return False
        return self.load_path(Path(path))

    def load_path(self, path: Path, is_sample: bool = False) -> bool:
        try:
            report = load_project(path)
        except ProjectFileError as exc:
            QMessageBox.critical(self, "无法打开", str(exc))
            return False
        self.doc.replace_report(report, path, is_sample, fingerprint(path))
        if not is_sample:
            self.remember(path)
        self.update_title()
        return True

    def save(self) -> bool:
        commit_open_editors(self)
        if self.doc.path is None or self.doc.is_sample:
            return self.save_as()
        path = self.doc.path
        current = fingerprint(path)
        if current is not None and self.doc.fingerprint is not None and current != self.doc.fingerprint:
            answer = QMessageBox.warning(
                self, "文件已被修改",
                f"“{path.name}”在打开之后被其他程序修改过。\n覆盖它会丢失那些修改。是否仍然覆盖？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
        return self._write(path)

    def save_as(self, path: str | Path | None = None) -> bool:
        commit_open_editors(self)
        if path is None:
            if self.doc.path and not self.doc.is_sample:
                start = str(self.doc.path)
            else:
                unit = self.doc.report.meta.unit_name or "绩效自评报告"
                year = self.doc.report.meta.fiscal_year or ""
                start = str(Path.home() / f"{unit}{year}{EXTENSION}")
            path, _ = QFileDialog.getSaveFileName(self, "另存为", start, FILE_FILTER)
            if not path:
                return False
        path = Path(path)
        if path.suffix.lower() != EXTENSION:
            path = path.with_name(path.name + EXTENSION)
        return self._write(path)

    def _write(self, path: Path) -> bool:
        old_key = None if self.doc.is_sample else self.doc.path
        try:
            save_project(self.doc.report, path)
        except WriteError as exc:
            QMessageBox.critical(self, "保存失败", f"{exc}\n\n您的修改仍保留在程序中，请换一个位置再保存。")
            return False
        self.autosave.discard(old_key)
        self.doc.path = path
        self.doc.is_sample = False
        self.doc.fingerprint = fingerprint(path)
        self.doc.mark_clean()
        self.autosave.discard()
        self.remember(path)
        self.update_title()
        self.statusBar().showMessage(f"已保存到 {path}", 5000)
        return True

    def import_excel(self) -> None:
        commit_open_editors(self)
        try:
            from .import_dialog import run_import_dialog
        except ImportError:
            QMessageBox.information(self, "从 Excel 导入", "Excel 导入功能尚未安装。")
            return
        changes = run_import_dialog(self, self.doc.report)
        if changes:
            try:
                self.doc.apply_changes(list(changes), "从 Excel 导入")
            except ValueError as exc:
                QMessageBox.critical(self, "从 Excel 导入", f"{exc}\n报告没有被修改。")

    def export_word(self, path: str | Path | None = None) -> bool:
        from .export_dialog import export_word
        return export_word(self, path)

    def export_pdf(self, path: str | Path | None = None) -> bool:
        from .export_dialog import export_pdf_file
        return export_pdf_file(self, path)

    def print_preview(self, exec_dialog: bool = True):
        from .export_dialog import print_preview
        return print_preview(self, exec_dialog=exec_dialog)

    def show_help(self) -> None:
        from .help import show_help
        show_help(self)

    def show_about(self) -> None:
        from .help import show_about
        show_about(self)

    # ------------------------------------------------------------------ drag and drop, close
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if _dropped_project(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802
        path = _dropped_project(event.mimeData())
        if path:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.open_file(path))

    def closeEvent(self, event) -> None:  # noqa: N802
        if getattr(self, "_shut_down", False):
            event.accept()
            return
        if not self.maybe_save():
            event.ignore()
            return
        if not self.doc.is_dirty():
            self.autosave.discard()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop timers and clear the undo stack before widgets are destroyed (idempotent)."""
        if getattr(self, "_shut_down", False):
            return
        self._shut_down = True
        self.autosave.stop()
        try:
            self.doc.changed.disconnect(self._on_changed)
            self.doc.findings_changed.disconnect(self._on_findings)
        except (RuntimeError, TypeError):
            pass
        self.doc.shutdown()


def _dropped_project(mime) -> str | None:
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        local = url.toLocalFile()
        if local.lower().endswith(EXTENSION):
            return local
    return None


def _disconnect_tab(tab, doc: ReportDocument) -> None:
    """Old tab widgets must stop listening to the document before they are deleted."""
    slots = [getattr(w, "_on_doc_changed") for w in tab.findChildren(QWidget) if isinstance(w, BoundMixin)]
    slots += [t.model._on_doc_changed for t in tab.tables]
    slots += [getattr(tab, name) for name in ("_refresh_derived", "_on_projects_changed", "_on_changed")
              if hasattr(tab, name)]
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # slots that were never connected
        for slot in slots:
            try:
                doc.changed.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
