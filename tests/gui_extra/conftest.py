"""Fixtures for the overview / export / welcome / help tests: the real main window, offscreen."""
from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QMessageBox

from gui_extra_helpers import close, open_window
from perfeval_gui.resources import sample_path


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch):
    """A static QMessageBox would block offscreen forever: fail instead."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")
    for name in ("question", "warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, refuse)


@pytest.fixture
def own_file(tmp_path):
    target = tmp_path / "我的 报告" / "浏阳 2021.pefx"
    target.parent.mkdir()
    shutil.copyfile(sample_path("liuyang-2021.pefx"), target)
    return target


@pytest.fixture
def win(qtbot, own_file):
    w = open_window(qtbot, own_file)
    yield w
    close(w)


@pytest.fixture
def sample_win(qtbot):
    w = open_window(qtbot, sample_path("liuyang-2021.pefx"), is_sample=True)
    yield w
    close(w)
