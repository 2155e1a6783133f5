"""导出 Word / 导出 PDF / 打印预览: confirm when the report has errors, ask for a missing report date,
choose the file, show progress (PDF and preview render in a worker thread with 取消), report the
outcome with the export's warnings and the draft mark.

The dialogs are module-level functions (``ask_continue_with_errors``, ``choose_path``,
``show_failure``, ``show_success``, ``open_url``) so tests can patch them; ``export_word(window,
path)`` skips the file dialog when ``path`` is given. python-docx is imported only when exporting.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from ..core.findings import Finding, Severity
from ..io.atomic import WriteError

MAX_LISTED = 10


class _Cancelled(Exception):
    pass


def default_path(doc) -> Path:
    """``{unit}{year}年度部门整体支出绩效自评报告.docx`` next to the project file (else in 文档)."""
    meta = doc.report.meta
    name = f"{meta.unit_name or ''}{meta.fiscal_year or ''}年度部门整体支出绩效自评报告.docx"
    name = "".join("_" if c in '\\/:*?"<>|' else c for c in name)
    if doc.path and not doc.is_sample:
        folder = Path(doc.path).parent
    else:
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        folder = Path(docs) if docs else Path.home()
    return folder / name


def error_list_text(errors: list[Finding]) -> str:
    lines = [f"{i}. {f.message}" for i, f in enumerate(errors[:MAX_LISTED], 1)]
    if len(errors) > MAX_LISTED:
        lines.append(f"……等 {len(errors)} 项")
    return "\n".join(lines)


# ------------------------------------------------------------------ patchable dialogs
def ask_include_forms(parent) -> bool | None:
    """Append the submission forms (附件1 …) after the report? None: cancelled."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("附上报送表格")
    box.setText("是否把部门整体支出绩效自评表、基础数据表和项目支出绩效自评表作为附件附在报告后面？")
    box.setInformativeText("表格的数字与报告取自同一处，不必另行填写。")
    both = box.addButton("附上表格", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("只导出报告", QMessageBox.ButtonRole.NoRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(both)
    box.exec()
    clicked = box.clickedButton()
    if clicked is cancel or clicked is None:
        return None
    return clicked is both


def _forms_layout(window, n_errors: int):
    """The layout with the forms appended when the report's profile has forms and the officer wants them;
    None: the report alone; False: cancelled."""
    from ..core.forms import forms_for
    report = window.doc.report
    if not forms_for(report):
        return None
    choice = ask_include_forms(window)
    if choice is None:
        return False
    if not choice:
        return None
    from ..io.forms_layout import layout_with_forms
    return layout_with_forms(report, n_errors)


def ask_continue_with_errors(parent, errors: list[Finding]) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("报告中还有错误")
    box.setText(f"检查发现 {len(errors)} 个错误。带着错误导出的报告很可能被退回。\n是否仍然导出？")
    box.setInformativeText("可以先取消，在右侧“检查结果”中逐条点击改正。")
    box.setDetailedText(error_list_text(errors))
    go = box.addButton("仍然导出", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is go


def choose_path(parent, start: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "导出 Word", str(start), "Word 文档 (*.docx)")
    return Path(path) if path else None


def show_failure(parent, message: str) -> None:
    QMessageBox.critical(parent, "导出失败", f"{message}\n\n报告内容没有受到影响，可以换一个位置再导出。")


def ask_report_date(parent) -> str | None:
    """报告日期 is empty: ask for it (the signature's date); None = export without a date."""
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QInputDialog
    today = QDate.currentDate().toString("yyyy-MM-dd")
    text, ok = QInputDialog.getText(parent, "报告日期", "落款的成文日期（年-月-日）还没有填写。\n请填写报告日期：",
                                    text=today)
    return text.strip() if ok and text.strip() else None


def result_notes(result) -> str:
    lines = []
    if getattr(result, "draft_errors", 0):
        lines.append(f"报告尚有 {result.draft_errors} 个错误：每页页眉印有“草稿：本报告尚有 "
                     f"{result.draft_errors} 个错误，不得报送”。")
    lines += [f"· {w}" for w in getattr(result, "warnings", [])]
    return "\n".join(lines)


def show_success(parent, path: Path, notes: str = "") -> str:
    """Returns 'open', 'folder' or 'close'."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information if not notes.startswith("报告尚有") else QMessageBox.Icon.Warning)
    box.setWindowTitle("导出完成")
    kind = {".pdf": "PDF 文件", ".xlsx": "Excel 工作簿"}.get(path.suffix.lower(), "Word 文档")
    box.setText(f"已导出{kind}：\n{path}" + (f"\n\n{notes}" if notes else ""))
    open_b = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    folder_b = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    close_b = box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close_b)
    box.exec()
    clicked = box.clickedButton()
    return "open" if clicked is open_b else "folder" if clicked is folder_b else "close"


def open_url(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


# ------------------------------------------------------------------ the actions
def _prepare(window) -> tuple[bool, int]:
    """Commit open editors, ask about errors and a missing report date. (go on?, error count)"""
    from .table import commit_open_editors

    commit_open_editors(window)
    doc = window.doc
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if errors and not ask_continue_with_errors(window, errors):
        return False, 0
    if not doc.report.meta.report_date.strip():
        date = ask_report_date(window)
        if date:
            doc.set_value("meta.report_date", date)        # one undo step, like typing it
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    return True, len(errors)


def _finish(window, path: Path, result=None) -> None:
    window.statusBar().showMessage(f"已导出 {path}", 8000)
    choice = show_success(window, path, result_notes(result) if result is not None else "")
    if choice == "open":
        open_url(QUrl.fromLocalFile(str(path)))
    elif choice == "folder":
        open_url(QUrl.fromLocalFile(str(path.parent)))


def _target(window, path: str | Path | None, choose, suffix: str) -> Path | None:
    """The file to write: ``path``, else the officer's choice (None: cancelled), with ``suffix`` added."""
    if path is None:
        path = choose(window, default_path(window.doc))
        if path is None:
            return None
    path = Path(path)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def export_word(window, path: str | Path | None = None) -> bool:
    """Run the whole export from the main window; True when a file was written."""
    go, n_errors = _prepare(window)
    if not go:
        return False
    doc = window.doc
    path = _target(window, path, choose_path, ".docx")
    if path is None:
        return False
    layout = _forms_layout(window, n_errors)
    if layout is False:
        return False

    progress = QProgressDialog("正在生成 Word 文档……", "取消", 0, 100, window)
    progress.setWindowTitle("导出 Word")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setValue(0)

    def on_progress(step: int, total: int) -> None:
        if progress.wasCanceled():
            raise _Cancelled
        progress.setMaximum(max(total, 1))
        progress.setValue(min(step, total))
        QApplication.processEvents()

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        from ..io.docx_export import export_docx   # python-docx loads only now
        result = export_docx(doc.report, path, progress=on_progress, draft_errors=n_errors, layout=layout)
    except _Cancelled:
        window.statusBar().showMessage("已取消导出。", 5000)
        return False
    except WriteError as exc:
        QApplication.restoreOverrideCursor()
        progress.close()
        show_failure(window, str(exc))
        return False
    finally:
        if QApplication.overrideCursor() is not None:
            QApplication.restoreOverrideCursor()
        progress.close()
        progress.deleteLater()
    _finish(window, path, result)
    return True


# ------------------------------------------------------------------ PDF and print preview
def choose_pdf_path(parent, start: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "导出 PDF", str(start.with_suffix(".pdf")), "PDF 文件 (*.pdf)")
    return Path(path) if path else None


def run_in_worker(window, title: str, label: str, job):
    """Run ``job(progress, cancelled)`` in a worker thread behind a progress dialog with 取消.
    Returns (ok, value or exception); ok is None when the officer cancelled."""
    from PySide6.QtCore import QEventLoop, QThread, Signal

    class Worker(QThread):
        stepped = Signal(int, int)

        def __init__(self):
            super().__init__()
            self.value = None
            self.error = None
            self.cancel = False

        def run(self):
            try:
                self.value = job(lambda i, n: self.stepped.emit(i, n), lambda: self.cancel)
            except BaseException as exc:       # handed to the GUI thread
                self.error = exc

    worker = Worker()
    dialog = QProgressDialog(label, "取消", 0, 0, window)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(200)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def on_step(i, n):
        dialog.setMaximum(max(n, 1))
        dialog.setValue(min(i, n))

    worker.stepped.connect(on_step)
    dialog.canceled.connect(lambda: setattr(worker, "cancel", True))
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    loop.exec()
    worker.wait()
    cancelled = worker.cancel
    dialog.canceled.disconnect()
    dialog.close()          # (close() emits canceled: read the flag first)
    dialog.deleteLater()
    if cancelled:
        return None, None
    if worker.error is not None:
        return False, worker.error
    return True, worker.value


def export_pdf_file(window, path: str | Path | None = None) -> bool:
    """文件 → 导出 PDF…: LibreOffice when installed, else the built-in rendering (off the GUI thread)."""
    go, n_errors = _prepare(window)
    if not go:
        return False
    doc = window.doc
    path = _target(window, path, choose_pdf_path, ".pdf")
    if path is None:
        return False
    layout = _forms_layout(window, n_errors)
    if layout is False:
        return False
    from ..core.serialize import report_from_data, report_to_data
    snapshot = report_from_data(report_to_data(doc.report))     # the worker never sees later edits

    def job(progress, cancelled):
        from .pdf_render import export_pdf
        return export_pdf(snapshot, path, progress=progress, draft_errors=n_errors, layout=layout)

    ok, value = run_in_worker(window, "导出 PDF", "正在生成 PDF……", job)
    if ok is None:
        window.statusBar().showMessage("已取消导出。", 5000)
        return False
    if not ok:
        show_failure(window, str(value))
        return False
    _finish(window, path, value)
    return True


def print_preview(window, *, exec_dialog: bool = True):
    """文件 → 打印预览… (Ctrl+P): the checker and the block list in a worker thread, the page layout
    behind a progress dialog with 取消, then QPrintPreviewDialog (zoom, page count, 打印) with
    导出 PDF. Returns the dialog (not yet shown when ``exec_dialog`` is False), None if cancelled."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter
    from PySide6.QtCore import QMarginsF
    from PySide6.QtWidgets import QToolBar

    from .table import commit_open_editors
    commit_open_editors(window)
    doc = window.doc
    n_errors = sum(1 for f in doc.findings if f.severity is Severity.ERROR)
    from ..core.serialize import report_from_data, report_to_data
    snapshot = report_from_data(report_to_data(doc.report))

    def job(progress, cancelled):
        from ..io.layout import build_layout
        return build_layout(snapshot, n_errors)      # the checker and the block list, off the GUI thread

    ok, value = run_in_worker(window, "打印预览", "正在排版……", job)
    if not ok:
        if ok is False:
            show_failure(window, str(value))
        return None
    from .pdf_render import LAYOUT_DPI, Cancelled, QtPages
    # the text layout and painting stay in the GUI thread (Qt's font engines are per thread: pages
    # recorded in a worker would point at engines freed when it ends); the layout keeps the
    # window responsive and can be cancelled
    dialog = QProgressDialog("正在排版……", "取消", 0, 100, window)
    dialog.setWindowTitle("打印预览")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)

    def on_step(i, n):
        dialog.setMaximum(max(n, 1))
        dialog.setValue(min(i, n))
        QApplication.processEvents()

    try:
        pages = QtPages(value, on_step, dialog.wasCanceled)
    except Cancelled:
        window.statusBar().showMessage("已取消打印预览。", 5000)
        return None
    finally:
        dialog.close()
        dialog.deleteLater()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)
    printer.setDocName(snapshot.meta.unit_name or "自评报告")

    def paint(dev):
        painter = QPainter(dev)
        scale = dev.resolution() / LAYOUT_DPI
        painter.scale(scale, scale)
        for i in range(pages.page_count):
            if i:
                dev.newPage()
            pages.paint(painter, i)
        painter.end()

    dialog = QPrintPreviewDialog(printer, window)
    dialog.setWindowTitle(f"打印预览 — 共 {pages.page_count} 页")
    dialog.paintRequested.connect(paint)
    bar = dialog.findChild(QToolBar)
    if bar is not None:
        bar.addSeparator()
        pdf_action = bar.addAction("导出 PDF…")
        pdf_action.triggered.connect(lambda: (dialog.accept(), export_pdf_file(window)))
    dialog.page_count = pages.page_count
    dialog._pages = pages
    dialog._printer = printer          # the dialog keeps a pointer to it: keep it alive
    if exec_dialog:
        dialog.exec()
    return dialog


# ------------------------------------------------------------------ the submission forms as a workbook
def choose_xlsx_path(parent, start: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "导出报送表格（Excel）",
                                          str(start.with_name(start.stem.replace("自评报告", "自评表") + ".xlsx")),
                                          "Excel 工作簿 (*.xlsx)")
    return Path(path) if path else None


def export_forms_file(window, path: str | Path | None = None) -> bool:
    """文件 → 导出报送表格（Excel）…: one workbook, a sheet per form, the same figures as the report."""
    doc = window.doc
    if path is None:
        chosen = choose_xlsx_path(window, default_path(doc))
        if chosen is None:
            return False
        path = chosen
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    from ..io.forms_xlsx import export_forms
    try:
        export_forms(doc.report, path)
    except (WriteError, OSError, ValueError) as exc:
        show_failure(window, str(exc))
        return False
    _finish(window, path)
    return True
