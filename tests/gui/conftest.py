"""GUI fixtures: the real main window on the built-in sample, offscreen; dialogs patched."""
from __future__ import annotations

import shutil

import pytest

from perfeval_gui.gui.document import ReportDocument
from perfeval_gui.gui.main_window import MainWindow
from perfeval_gui.io.project_file import load_project
from perfeval_gui.resources import sample_path


@pytest.fixture
def sample_file(tmp_path):
    """A copy of the 浏阳 sample in a temp folder (the officer's own file)."""
    target = tmp_path / "浏阳2021.pefx"
    shutil.copyfile(sample_path("liuyang-2021.pefx"), target)
    return target


def make_window(qtbot, path=None, is_sample=False, autosave_ms=None):
    from perfeval_gui.io.project_file import fingerprint
    if path is not None:
        doc = ReportDocument(load_project(path), path, is_sample=is_sample)
        doc.fingerprint = fingerprint(path)
    else:
        doc = ReportDocument()
    win = MainWindow(doc, autosave_ms=autosave_ms)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


@pytest.fixture
def make_win(qtbot):
    """Factory: make_win(path=None, is_sample=False, autosave_ms=None) → a shown MainWindow."""
    return lambda *a, **k: make_window(qtbot, *a, **k)


@pytest.fixture
def window(qtbot, sample_file):
    win = make_window(qtbot, sample_file)
    yield win
    win.shutdown()
    win.close()
    win.deleteLater()


@pytest.fixture
def sample_window(qtbot):
    win = make_window(qtbot, sample_path("liuyang-2021.pefx"), is_sample=True)
    yield win
    win.shutdown()
    win.close()
    win.deleteLater()
