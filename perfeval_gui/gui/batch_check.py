"""文件 → 批量检查…: check many .pefx files and write the reviewer workbook (io/summary.py).

The work (load, check, write) runs on a worker thread; the dialog shows a progress bar and 取消.
The same functions as ``perfeval check … --summary``.
"""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from ..io.project_file import EXTENSION


class _Worker(QObject):
    progress = Signal(int, int)
    done = Signal(str, bool)            # message, ok

    def __init__(self, files: list[str], output: str) -> None:
        super().__init__()
        self.files = files
        self.output = output
        self.cancel_event = threading.Event()

    def run(self) -> None:
        from ..io.atomic import WriteError
        from ..io.summary import summarise_files, write_summary
        try:
            rows = summarise_files(self.files, progress=lambda i, n: self.progress.emit(i, n),
                                   cancelled=self.cancel_event.is_set)
            if self.cancel_event.is_set():
                self.done.emit(f"已取消：检查了 {len(rows)} / {len(self.files)} 份，没有写出汇总表。", False)
                return
            write_summary(rows, self.output)
        except WriteError as exc:
            self.done.emit(f"汇总表写出失败：{exc}", False)
            return
        except Exception as exc:  # noqa: BLE001 — report, never take the window down
            self.done.emit(f"批量检查出错：{type(exc).__name__}: {exc}", False)
            return
        with_errors = sum(1 for r in rows if r.errors)
        unreadable = sum(1 for r in rows if r.read_error)
        text = f"已检查 {len(rows)} 份报告：{with_errors} 份有错误"
        if unreadable:
            text += f"，{unreadable} 份无法读取"
        self.done.emit(f"{text}。\n汇总表已写出：{self.output}", True)


class BatchCheckDialog(QDialog):
    finished_work = Signal(bool)

    def __init__(self, files: list[str], output: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("批量检查")
        self.resize(520, 160)
        self.files, self.output = files, output
        self.ok: bool | None = None
        layout = QVBoxLayout(self)
        self.label = QLabel(f"正在检查 {len(files)} 份报告…")
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.bar = QProgressBar()
        self.bar.setRange(0, len(files))
        self.bar.setValue(0)
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton("关闭")
        self.close_button.setEnabled(False)
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.cancel_button)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.thread = QThread(self)
        self.worker = _Worker(files, output)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._on_progress)
        self.worker.done.connect(self._on_done)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.worker.cancel_event.set()
        self.cancel_button.setEnabled(False)
        self.label.setText("正在取消…")

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setValue(done)
        self.label.setText(f"正在检查 {done} / {total}：{Path(self.files[done - 1]).name}")

    def _on_done(self, message: str, ok: bool) -> None:
        self.thread.quit()
        self.thread.wait()
        self.ok = ok
        self.label.setText(message)
        self.cancel_button.setEnabled(False)
        self.close_button.setEnabled(True)
        self.close_button.setDefault(True)
        self.finished_work.emit(ok)

    def reject(self) -> None:           # Esc / window close while working = 取消
        if self.ok is None:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.ok is None:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)


def run_batch_check(window, files: list[str] | None = None, output: str | None = None,
                    modal: bool = True) -> BatchCheckDialog | None:
    """Ask for the report files and the workbook, then check them with a progress dialog."""
    if files is None:
        files, _ = QFileDialog.getOpenFileNames(window, "批量检查：选择报告文件", "",
                                                f"绩效自评项目 (*{EXTENSION})")
        if not files:
            return None
    if output is None:
        start = str(Path(files[0]).parent / "汇总.xlsx")
        output, _ = QFileDialog.getSaveFileName(window, "汇总表保存为", start, "Excel 工作簿 (*.xlsx)")
        if not output:
            return None
        if not output.lower().endswith(".xlsx"):
            output += ".xlsx"
    dialog = BatchCheckDialog(list(files), output, window)
    dialog.start()
    if modal:
        dialog.exec()
    else:
        dialog.show()
    return dialog
