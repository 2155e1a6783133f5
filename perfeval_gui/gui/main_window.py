"""The main window: menus, one tab per report section, the findings dock, status bar."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from shiboken6 import isValid
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMainWindow, QStyle, QTabWidget, QToolBar, QWidget

from .. import APP_NAME
from ..core import derived
from ..core.findings import Finding, Severity, Summary, summarise
from ..core.template import get_template, section_of_path
from ..io.atomic import WriteError
from ..io.project_file import EXTENSION, ProjectFileError, fingerprint, fingerprint_bytes, read_project, save_project
from .autosave import Autosave
from .document import ReportDocument
from .file_kinds import EXCEL_SUFFIXES, WORD_SUFFIXES, project_file_problem
from .findings_panel import FindingsPanel
from .i18n import install_qt_translations
from .paths import settings
from .screen import fit_to_screen, fits_on_screen
from .sections import build_tabs, short_title
from .styles import HIGHLIGHT_STYLE

FILE_FILTER = f"绩效自评项目 (*{EXTENSION})"
MAX_RECENT = 8
DEFAULT_SIZE = (1400, 900)     # the first start on a large screen; smaller screens get less
# the selected section tab stands out: white, bold, a blue bar under it
TAB_STYLE = ("QTabBar::tab { padding: 5px 7px; border: 1px solid #c8c8c8; border-bottom: none;"
             " background: #ececec; color: #333; margin-right: 1px; }\n"
             "QTabBar::tab:selected { background: #ffffff; color: #000; font-weight: bold;"
             " border-bottom: 3px solid #1f6fb2; }\n"
             "QTabBar::tab:hover:!selected { background: #f6f6f6; }\n")


class MainWindow(QMainWindow):
    def __init__(self, doc: ReportDocument | None = None, autosave_ms: int | None = None) -> None:
        super().__init__()
        install_qt_translations()          # Qt's own dialogs and menus in Chinese (once per process)
        self.doc = doc or ReportDocument()
        self.setObjectName("main_window")
        self.setAcceptDrops(True)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.tabs.setStyleSheet(TAB_STYLE + HIGHLIGHT_STYLE)
        self.setCentralWidget(self.tabs)
        self.section_tabs: list = []
        self.overview_widget: QWidget | None = None
        self.overview_title = "概览"
        self._built_template = ""
        self._highlighted: set = set()
        self._indexed: dict[int, Finding] = {}               # id → open finding (see _index_findings)
        self._retitled: set[str] = set()
        self._path_findings: dict[str, list[Finding]] = {}   # path → open findings about it
        self._drafts: set[str] = set()                       # narrative carried over from last year
        self._goto_marked = None                             # a field framed by a click on a finding
        self.findings_panel = FindingsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.findings_panel)
        self.findings_panel.finding_activated.connect(self.goto_finding)
        self.findings_panel.note_changed.connect(self.set_finding_note)
        self.status_label = QLabel()
        self.score_label = QLabel()
        self.statusBar().addWidget(self.status_label)
        self.statusBar().addPermanentWidget(self.score_label)
        self._make_actions()
        from .profile_actions import install_profile_actions
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
        self.restore_layout()

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
        self.export_forms_action = self._action("导出报送表格（Excel）…", self.export_forms)
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
        m.addAction(self.export_forms_action)
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
        self._make_navigation_actions(v)
        self._make_view_actions(v)

        h = bar.addMenu("帮助(&H)")
        self.help_action = self._action("使用说明", self.show_help, QKeySequence.StandardKey.HelpContents)
        self.about_action = self._action("关于", self.show_about)
        h.addAction(self.help_action)
        h.addAction(self.about_action)
        self.help_menu = h

    def _make_navigation_actions(self, view_menu) -> None:
        """Switch sections from anywhere (tables and the findings list included): Ctrl+Tab /
        Ctrl+PgDn next, Ctrl+Shift+Tab / Ctrl+PgUp previous, Alt+0 … Alt+9 a tab by number."""
        go = view_menu.addMenu("转到")
        self.next_tab_action = self._action("下一部分", lambda: self.step_tab(1), ["Ctrl+Tab", "Ctrl+PgDown"])
        self.prev_tab_action = self._action("上一部分", lambda: self.step_tab(-1),
                                            ["Ctrl+Shift+Tab", "Ctrl+Shift+Backtab", "Ctrl+PgUp"])
        go.addAction(self.next_tab_action)
        go.addAction(self.prev_tab_action)
        go.addSeparator()
        self.jump_actions = []
        for n in range(10):
            action = self._action(f"第 {n} 个标签页", lambda n=n: self.jump_to_tab(n), f"Alt+{n}")
            self.jump_actions.append(action)
            go.addAction(action)
        for action in [self.next_tab_action, self.prev_tab_action] + self.jump_actions:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.goto_menu = go

    def _make_view_actions(self, view_menu) -> None:
        """视图 → 字号 (Ctrl++ / Ctrl+- / Ctrl+0), the toolbar, 编辑 → 查找 (Ctrl+F)."""
        sizes = view_menu.addMenu("字号")
        self.font_bigger_action = self._action("放大", lambda: self.change_font(1), ["Ctrl++", "Ctrl+="])
        self.font_smaller_action = self._action("缩小", lambda: self.change_font(-1), "Ctrl+-")
        self.font_reset_action = self._action("恢复系统字号", lambda: self.change_font(None), "Ctrl+0")
        for a in (self.font_bigger_action, self.font_smaller_action, self.font_reset_action):
            sizes.addAction(a)
        self.font_menu = sizes
        from .find_bar import FindBar
        self.find_bar = FindBar(self)
        self.find_toolbar = QToolBar("查找", self)
        self.find_toolbar.setObjectName("find_toolbar")
        self.find_toolbar.setMovable(False)
        self.find_toolbar.addWidget(self.find_bar)
        self.find_toolbar.hide()
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.find_toolbar)
        self.find_action = self._action("查找(&F)…", self.open_find, QKeySequence.StandardKey.Find)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self._make_toolbar()
        self.toolbar_action = self.toolbar.toggleViewAction()
        self.toolbar_action.setText("工具栏")
        view_menu.addAction(self.toolbar_action)

    def _make_toolbar(self) -> None:
        bar = QToolBar("工具栏", self)
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        style = self.style()
        icons = {self.new_action: QStyle.StandardPixmap.SP_FileIcon,
                 self.open_action: QStyle.StandardPixmap.SP_DialogOpenButton,
                 self.save_action: QStyle.StandardPixmap.SP_DialogSaveButton,
                 self.undo_action: QStyle.StandardPixmap.SP_ArrowBack,
                 self.redo_action: QStyle.StandardPixmap.SP_ArrowForward}
        for action, pixmap in icons.items():
            action.setIcon(style.standardIcon(pixmap))
        short = {self.new_action: "新建", self.open_action: "打开", self.save_action: "保存",
                 self.import_action: "从Excel导入", self.export_action: "导出Word", self.find_action: "查找"}
        for action in (self.new_action, self.open_action, self.save_action, None, self.undo_action,
                       self.redo_action, None, self.import_action, self.export_action, None, self.find_action):
            if action is None:
                bar.addSeparator()
                continue
            bar.addAction(action)
            button = bar.widgetForAction(action)
            if button is not None and action in short:
                button.setText(short[action])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar

    def open_find(self) -> None:
        self.find_bar.open_bar()

    def change_font(self, step: int | None) -> None:
        """One point bigger / smaller than now (None: the desktop's size); the tabs are rebuilt
        so that every label follows."""
        from PySide6.QtWidgets import QApplication

        from .fontsize import apply_font_step, current_step, save_step
        new = 0 if step is None else current_step() + step
        save_step(new)
        apply_font_step(QApplication.instance(), new)
        current = self.tabs.currentIndex()
        from .overview import install_overview
        old = self.overview_widget
        install_overview(self)
        if old is not None:
            old.deleteLater()
        self.rebuild_tabs()
        self.tabs.setCurrentIndex(current)
        self.statusBar().showMessage(f"字号：{QApplication.instance().font().pointSizeF():g} 磅", 3000)

    def step_tab(self, step: int) -> None:
        count = self.tabs.count()
        if count:
            self.jump_to_tab((self.tabs.currentIndex() + step) % count)

    def jump_to_tab(self, index: int) -> None:
        if 0 <= index < self.tabs.count():
            _commit_open_editors(self)
            self.tabs.setCurrentIndex(index)
            page = self.tabs.currentWidget()
            if page is not None:
                page.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _update_jump_texts(self) -> None:
        for n, action in enumerate(getattr(self, "jump_actions", [])):
            visible = n < self.tabs.count()
            action.setVisible(visible)
            if visible:
                action.setText(self.tabs.tabToolTip(n) or self.tabs.tabText(n))

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

    # ------------------------------------------------------------------ geometry
    def restore_layout(self) -> None:
        """The size, position and dock layout of the last session when they still fit the
        screen; else a size fitting the available screen (never more than 1400×900)."""
        s = settings()
        geometry, state = s.value("window/geometry"), s.value("window/state")
        if geometry is not None and self.restoreGeometry(geometry) and fits_on_screen(self.frameGeometry(), self):
            if state is not None:
                self.restoreState(state)
            return
        fit_to_screen(self, DEFAULT_SIZE[0], DEFAULT_SIZE[1])
        dock = max(260, min(420, self.width() * 3 // 10))
        self.resizeDocks([self.findings_panel], [dock], Qt.Orientation.Horizontal)

    def save_layout(self) -> None:
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
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
            tab.detach()
            tab.deleteLater()
        self.section_tabs = []
        tabs = build_tabs(self.doc, template)
        for tab in tabs:
            index = self.tabs.addTab(tab, short_title(template.id, tab.section_id, tab.full_title))
            self.tabs.setTabToolTip(index, tab.full_title)
            tab.fields_changed.connect(lambda: self._apply_highlights(self.doc.findings))
        self.section_tabs = tabs
        self._built_template = template.id
        self._built_forms = _forms_of(self.doc.report)
        self._highlighted = set()
        self._goto_marked = None
        self.tabs.setUpdatesEnabled(True)
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)
        self._on_tab_changed(self.tabs.currentIndex())
        self._apply_highlights(self.doc.findings)
        self._update_tab_titles(self.doc.findings)
        self._update_jump_texts()

    def _on_tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget in self.section_tabs and widget.ensure_built():
            self._apply_highlights(self.doc.findings)
            from . import memory
            memory.after_tab_built()

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
            from . import memory
            QTimer.singleShot(0, memory.after_new_report)     # the previous report collected, this one frozen
        elif "meta.template" in paths or "meta.rule_profile" in paths:     # another outline or profile
            QTimer.singleShot(0, self._rebuild_if_needed)
        self.update_title()

    def _rebuild_if_needed(self) -> None:
        """Rebuild when the outline or the profile's forms (forms.include) differ from the tabs shown."""
        if self.doc.report.meta.template != self._built_template or \
                _forms_of(self.doc.report) != getattr(self, "_built_forms", None):
            self.rebuild_tabs()

    # ------------------------------------------------------------------ findings
    def _on_findings(self, findings: list[Finding]) -> None:
        s = self.doc.summary if findings is self.doc.findings else summarise(findings)
        if findings != self.findings_panel.findings:       # most keystrokes change no finding
            self.findings_panel.set_findings(findings, s)
        self._update_highlights(findings)
        self._update_tab_titles(findings, s)
        self.status_label.setText(s.text)
        score = derived.self_score(self.doc.report)
        if score is None:
            self.score_label.setText("自评得分：—")
        else:
            self.score_label.setText(f"自评得分：{score} 分　等级：{derived.grade_of(self.doc.report, score) or '—'}")

    def _update_tab_titles(self, findings: list[Finding], summary: Summary | None = None) -> None:
        by_section = (summary or summarise(findings)).by_section
        template = self._built_template or self.doc.report.meta.template
        for tab in self.section_tabs:
            n = by_section.get(tab.section_id, 0)
            title = short_title(template, tab.section_id, tab.full_title)
            text = f"{title} ({n})" if n else title
            index = self.tabs.indexOf(tab)
            if self.tabs.tabText(index) != text:
                self.tabs.setTabText(index, text)

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

    # Highlights are indexed by field path: path → the open findings (and draft notes) about it.
    # A keystroke re-runs a few rules; only the paths of findings that came or went are re-marked
    # (_update_highlights). A full pass (_apply_highlights) runs when widgets were (re)built.
    def _index_findings(self, findings: list[Finding]) -> set[str]:
        """Bring the path index up to date; the paths whose mark may have changed (``_retitled``: the
        paths whose mark stays but whose texts changed)."""
        prev = self._indexed
        new: dict[int, Finding] = {}
        added: list[Finding] = []
        for f in findings:
            if f.severity is Severity.INFO or f.note is not None:   # explained: no amber mark
                continue
            indexed = prev.get(id(f))
            if indexed is None:
                added.append(f)
            else:
                new[id(f)] = indexed
        kept_ids = {id(f) for f in new.values()}
        removed = {f: f for key, f in prev.items() if key not in new and id(f) not in kept_ids}
        touched: set[str] = set()
        retitled: set[str] = set()
        index = self._path_findings
        by_shape = {(f.rule_id, f.severity, f.paths): f for f in removed.values()} if added else {}
        for f in added:
            same = removed.pop(f, None)       # a re-run rule found the very same thing again
            if same is not None:
                new[id(f)] = same
                continue
            new[id(f)] = f
            old = by_shape.pop((f.rule_id, f.severity, f.paths), None)
            if old is not None and removed.pop(old, None) is not None:
                # the same problem of the same fields with new figures (a sum over 1,000 projects while
                # the officer types): the marks stay, only the texts shown on hover change
                for path in f.paths:
                    items = index.get(path)
                    if items is not None:
                        items[:] = [f if x is old else x for x in items]
                    retitled.add(path)
                continue
            for path in f.paths:
                index.setdefault(path, []).append(f)
                touched.add(path)
        for f in removed.values():
            for path in f.paths:
                items = index.get(path)
                if items is not None:
                    items[:] = [x for x in items if x is not f]
                    if not items:
                        del index[path]
                touched.add(path)
        self._indexed = new
        self._indexed_from = findings        # keeps the ids of the current Finding objects unique
        drafts = self._draft_paths()
        touched |= drafts ^ self._drafts
        self._drafts = drafts
        self._retitled = retitled - touched
        return touched

    def _mark_of(self, path: str):
        findings = self._path_findings.get(path, ())
        msgs = [f"{f.severity.label}：{f.message}" for f in findings]
        severity = min((f.severity for f in findings), key=lambda s: s.rank) if findings else None
        if path in self._drafts:
            from ..core.next_year import DRAFT_LABEL
            severity = severity or Severity.WARNING
            msgs.append(f"{DRAFT_LABEL}：这段文字沿用上年报告，请按本年情况修改。")
        return (severity, msgs) if severity is not None else None

    def _draft_paths(self) -> set[str]:
        from ..core.next_year import pending_drafts
        return set(pending_drafts(self.doc.report))

    def _tables_by_list(self) -> dict[str, list]:
        tables: dict[str, list] = {}
        for tab in self.section_tabs:
            for table in tab.tables:
                if table.model.list_path:
                    tables.setdefault(table.model.list_path, []).append(table)
                    table.model.tooltip_for = self.tips_of
        return tables

    @staticmethod
    def _tables_of(path: str, tables: dict[str, list]):
        """The tables whose list holds ``path`` (by its list prefixes, never a scan of all tables)."""
        i = path.find("[")
        while i > 0:
            yield from tables.get(path[:i], ())
            i = path.find("[", i + 1)

    def _update_highlights(self, findings: list[Finding]) -> None:
        """Re-mark only the paths whose findings changed."""
        touched = self._index_findings(findings)
        marked, self._goto_marked = self._goto_marked, None
        if marked is not None and marked not in self._highlighted:
            marked.set_highlight(None, [])          # the frame of a clicked finding goes with the next edit
        if self._retitled:
            self._retitle(self._retitled)
        if not touched:
            return
        tables = self._tables_by_list()
        updates: dict[int, tuple] = {}
        for path in touched:
            mark = self._mark_of(path)
            for tab in self.section_tabs:
                widget = tab.fields.get(path)
                if widget is not None:
                    if mark is None:
                        widget.set_highlight(None, [])
                        self._highlighted.discard(widget)
                    else:
                        widget.set_highlight(*mark)
                        self._highlighted.add(widget)
            for table in self._tables_of(path, tables):
                updates.setdefault(id(table), (table, {}))[1][path] = mark
        for table, marks in updates.values():
            table.model.update_path_marks(marks)

    def _retitle(self, paths: set[str]) -> None:
        """New texts for marks that stay: the fields of the tab on screen now, the others' when their
        tab is shown (_TabBase.showEvent → refresh_tips); table cells read theirs when hovered."""
        for tab in self.section_tabs:
            if not tab.fields:
                continue
            if not tab.isVisible():
                tab.tips_stale = True
                continue
            for path in paths:
                widget = tab.fields.get(path)
                if widget is not None:
                    mark = self._mark_of(path)
                    if mark is not None:
                        widget.set_highlight(*mark)

    def refresh_tips(self, tab) -> None:
        """A tab is shown whose fields' texts went stale while it was hidden."""
        for path, widget in tab.fields.items():
            if widget in self._highlighted:
                mark = self._mark_of(path)
                if mark is not None:
                    widget.set_highlight(*mark)

    def tips_of(self, path: str) -> list[str]:
        """The texts shown on hover over a marked table cell (read when hovered: always current)."""
        mark = self._mark_of(path)
        return mark[1] if mark is not None else []

    def _apply_highlights(self, findings: list[Finding]) -> None:
        """Every field and table of the built tabs marked from scratch."""
        self._index_findings(findings)
        now: set = set()
        for tab in self.section_tabs:
            for path, widget in tab.fields.items():
                mark = self._mark_of(path) if (path in self._path_findings or path in self._drafts) else None
                if mark is not None:
                    widget.set_highlight(*mark)
                    now.add(widget)
                elif widget in self._highlighted or widget.severity is not None:
                    widget.set_highlight(None, [])
        self._highlighted = now
        tables = self._tables_by_list()
        per_table: dict[int, tuple] = {id(t): (t, {}) for group in tables.values() for t in group}
        for path in list(self._path_findings) + list(self._drafts):
            for table in self._tables_of(path, tables):
                per_table[id(table)][1][path] = self._mark_of(path)
        for table, marks in per_table.values():
            if marks or table.model.highlights:
                table.model.set_path_marks(marks)

    def goto_finding(self, finding: Finding) -> None:
        if finding.paths:
            self.goto_path(finding.paths[0])
        elif finding.section:
            tab = self.section_tab(finding.section)
            if tab is not None:
                self.tabs.setCurrentWidget(tab)

    def goto_path(self, path: str, mark: bool = True) -> QWidget | None:
        """Activate the section tab of ``path``, scroll to its widget / table cell and focus it
        (``mark``: frame a field that has no finding of its own, for a finding about it)."""
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
            self._scroll_to(tab, widget)
            # a tab just made current is laid out later (on X after the window system answers): scroll
            # again when its scroll range is set, and on the next turn of the event loop
            bar = tab.verticalScrollBar()
            pending = [True]

            def again(*_args, t=tab, w=widget, b=bar) -> None:
                if pending[0]:
                    pending[0] = False
                    if not isValid(b):              # the tab went (window closed, tabs rebuilt)
                        return
                    b.rangeChanged.disconnect(again)
                    if _args:                   # a range change (not the one-second timeout): scroll
                        self._scroll_to(t, w)
            bar.rangeChanged.connect(again)
            QTimer.singleShot(0, lambda t=tab, w=widget: self._scroll_to(t, w))
            QTimer.singleShot(1000, again)      # no range change came within a second: drop the wish
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            from .widgets import BoundMixin          # loaded: the widget is on a built tab
            if mark and isinstance(widget, BoundMixin) and widget.severity is None:
                widget.set_highlight(Severity.WARNING, [])     # until the next edit re-marks
                self._goto_marked = widget
        return widget

    @staticmethod
    def _scroll_to(tab, widget) -> None:
        if not isValid(widget) or not isValid(tab):
            return
        content = tab.widget()
        if content is not None and content.layout() is not None:
            content.layout().activate()      # positions of a tab just shown, now rather than next turn
        if isinstance(widget, QAbstractItemView) and widget.currentIndex().isValid():
            # a table: the cell itself in the middle of the screen, not the table's top
            rect = widget.visualRect(widget.currentIndex())
            y = widget.viewport().mapTo(content, rect.center()).y()
            bar = tab.verticalScrollBar()
            bar.setValue(max(bar.minimum(), min(bar.maximum(), y - tab.viewport().height() // 2)))
        else:
            tab.ensureWidgetVisible(widget, 50, 80)

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
        from PySide6.QtWidgets import QMessageBox
        _commit_open_editors(self)
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
        from PySide6.QtWidgets import QFileDialog
        if not self.maybe_save():
            return False
        if path is None:
            start = str(Path(self.doc.path).parent) if self.doc.path and not self.doc.is_sample else ""
            path, _ = QFileDialog.getOpenFileName(self, "打开报告", start, FILE_FILTER)
            if not path:
                return False
        return self.load_path(Path(path))

    def load_path(self, path: Path, is_sample: bool = False) -> bool:
        from PySide6.QtWidgets import QMessageBox
        try:
            report, data = read_project(path)
        except ProjectFileError as exc:
            QMessageBox.critical(self, "无法打开", project_file_problem(Path(path)) or str(exc))
            return False
        is_sample = is_sample or is_shipped_sample(path)   # opened through 打开: still an unsaved copy
        if not is_sample:
            from ..io.atomic import remove_stale_temps
            remove_stale_temps(path)
        self.doc.replace_report(report, path, is_sample, fingerprint_bytes(data))   # of the bytes read, read once
        if not is_sample:
            self.remember(path)
        self.update_title()
        return True

    def save(self) -> bool:
        from PySide6.QtWidgets import QMessageBox
        _commit_open_editors(self)
        if self.doc.path is None or self.doc.is_sample:
            return self.save_as()
        path = self.doc.path
        current = fingerprint(path)
        expected = self.doc.fingerprint
        if current is not None and expected is not None and current != expected:
            answer = QMessageBox.warning(
                self, "文件已被修改",
                f"“{path.name}”在打开之后被其他程序修改过。\n覆盖它会丢失那些修改。是否仍然覆盖？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
            expected = current
        return self._write(path, expected)

    def save_as(self, path: str | Path | None = None) -> bool:
        from PySide6.QtWidgets import QFileDialog
        _commit_open_editors(self)
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

    def _write(self, path: Path, expected=None) -> bool:
        """Save; ANY failure shows a dialog (reason + log file), keeps the window and the edits, and
        leaves them in the recovery journal."""
        from PySide6.QtWidgets import QMessageBox
        old_key = None if self.doc.is_sample else self.doc.path
        try:
            written = save_project(self.doc.report, path, expected=expected)
        except Exception as exc:   # noqa: BLE001 - the officer's edits must survive any bug
            import logging

            from .paths import log_path
            logging.getLogger("perfeval").exception("save of %s failed", path)
            self.autosave.save_now()
            reason = str(exc) if isinstance(exc, WriteError) else f"程序内部错误（{type(exc).__name__}）"
            hint = ("您的修改仍保留在程序中（也已记入自动恢复文件）。请改正上面所说的问题，"
                    "或换一个位置再保存。")
            QMessageBox.critical(self, "保存失败", f"{reason}\n\n{hint}\n详细记录：{log_path()}")
            return False
        self.autosave.discard(old_key)
        self.doc.path = path
        self.doc.is_sample = False
        self.doc.fingerprint = written
        self.doc.mark_clean()
        self.autosave.discard()
        self.remember(path)
        self.update_title()
        strip = getattr(self, "welcome_strip", None)
        if strip is not None:
            strip.refresh()               # no longer the sample
        self.statusBar().showMessage(f"已保存到 {path}", 5000)
        return True

    def import_excel(self, path: str | Path | None = None) -> None:
        from PySide6.QtWidgets import QMessageBox
        _commit_open_editors(self)
        try:
            from .import_dialog import run_import_dialog
        except ImportError:
            QMessageBox.information(self, "从 Excel 导入", "Excel 导入功能尚未安装。")
            return
        changes = run_import_dialog(self, self.doc.report, path)
        if changes and not self._confirm_large_import(list(changes)):
            return
        if changes:
            try:
                self.doc.apply_changes(list(changes), "从 Excel 导入")
            except ValueError as exc:
                QMessageBox.critical(self, "从 Excel 导入", f"{exc}\n报告没有被修改。")

    def _confirm_large_import(self, changes) -> bool:
        """An import beyond what a report holds is refused; one replacing thousands of rows asks."""
        from PySide6.QtWidgets import QMessageBox
        from ..core.edits import import_limit_problem, large_import
        problem = import_limit_problem(self.doc.report, changes)
        if problem:
            QMessageBox.critical(self, "从 Excel 导入", problem)
            return False
        question = large_import(self.doc.report, changes)
        if not question:
            return True
        answer = QMessageBox.question(
            self, "从 Excel 导入", f"{question}\n是否继续？（可以撤销）",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def export_word(self, path: str | Path | None = None) -> bool:
        from .export_dialog import export_word
        return export_word(self, path)

    def export_pdf(self, path: str | Path | None = None) -> bool:
        from .export_dialog import export_pdf_file
        return export_pdf_file(self, path)

    def export_forms(self, path: str | Path | None = None) -> bool:
        from .export_dialog import export_forms_file
        return export_forms_file(self, path)

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
        if dropped_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802
        path = dropped_file(event.mimeData())
        if path:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.open_dropped(path))

    def open_dropped(self, path: str | Path) -> None:
        """A report opens; a workbook goes to the Excel import preview, a .docx to the Word import."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix in EXCEL_SUFFIXES:
            self.import_excel(path)
        elif suffix in WORD_SUFFIXES:
            self.import_word(path)
        else:
            self.open_file(path)

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
        if self.isVisible():
            self.save_layout()
        self.autosave.stop()
        try:
            self.doc.changed.disconnect(self._on_changed)
            self.doc.findings_changed.disconnect(self._on_findings)
        except (RuntimeError, TypeError):
            pass
        self.doc.shutdown()


def _commit_open_editors(window: QWidget) -> None:
    """Commit a table cell editor still open (gui/table.py: none can be open before a tab with a table is built)."""
    if f"{__package__}.table" not in sys.modules:
        return
    from .table import commit_open_editors
    commit_open_editors(window)


def _forms_of(report) -> tuple[str, ...]:
    from ..core.forms import forms_for
    return tuple(forms_for(report))


def dropped_file(mime) -> str | None:
    """The first dropped local file the window can take: a report, a workbook or a .docx."""
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        local = url.toLocalFile()
        if local.lower().endswith((EXTENSION,) + EXCEL_SUFFIXES + WORD_SUFFIXES):
            return local
    return None


def is_shipped_sample(path: Path) -> bool:
    from ..resources import resources_dir
    try:
        samples = (resources_dir() / "samples").resolve()
        return Path(path).resolve().parent == samples
    except OSError:
        return False

