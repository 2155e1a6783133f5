"""导出 Word: confirm when the report has errors, choose the file, show progress, report the outcome.

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


def show_success(parent, path: Path) -> str:
    """Returns 'open', 'folder' or 'close'."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("导出完成")
    box.setText(f"已导出 Word 文档：\n{path}")
    open_b = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    folder_b = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    close_b = box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close_b)
    box.exec()
    clicked = box.clickedButton()
    return "open" if clicked is open_b else "folder" if clicked is folder_b else "close"


def open_url(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


# ------------------------------------------------------------------ the action
def export_word(window, path: str | Path | None = None) -> bool:
    """Run the whole export from the main window; True when a file was written."""
    from .table import commit_open_editors

    commit_open_editors(window)
    doc = window.doc
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    if errors and not ask_continue_with_errors(window, errors):
        return False
    if path is None:
        chosen = choose_path(window, default_path(doc))
        if chosen is None:
            return False
        path = chosen
    path = Path(path)
    if path.suffix.lower() != ".docx":
        path = path.with_name(path.name + ".docx")

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
        export_docx(doc.report, path, progress=on_progress)
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

    window.statusBar().showMessage(f"已导出 {path}", 8000)
    choice = show_success(window, path)
    if choice == "open":
        open_url(QUrl.fromLocalFile(str(path)))
    elif choice == "folder":
        open_url(QUrl.fromLocalFile(str(path.parent)))
    return True
