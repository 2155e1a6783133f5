"""Helpers shared by the gui_extra tests (a uniquely named module: tests/gui has its own conftest)."""
from __future__ import annotations

from perfeval_gui.gui.document import ReportDocument
from perfeval_gui.gui.main_window import MainWindow
from perfeval_gui.io.project_file import load_project


def open_window(qtbot, path=None, is_sample=False):
    doc = ReportDocument(load_project(path), path, is_sample=is_sample) if path else ReportDocument()
    win = MainWindow(doc)
    win.show()
    qtbot.waitExposed(win)
    return win


def close(win):
    win.shutdown()       # before close(): no 保存修改? question in teardown
    win.close()
    win.deleteLater()
