"""Helpers the window tests share."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def field(win, path):
    """The editor of ``path`` in ``win`` (every tab built first); KeyError when no tab shows it."""
    win.build_all_tabs()
    for tab in win.section_tabs:
        if path in tab.fields:
            return tab.fields[path]
    raise KeyError(path)


# ---------------------------------------------------------------- the real program in a child process
# For what is per process (imports, the garbage collector): a test script runs after CHILD_PRELUDE, starts
# the real entry point with main([...]) (after_first_findings: what to do then), fills ``out`` and ends with
# finish(win), which writes ``out`` as
# JSON to the file run_child reads back.
CHILD_PRELUDE = r'''
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
from perfeval_gui.gui.app import main
from perfeval_gui.gui.main_window import MainWindow

RESULT, ARGS = sys.argv[1], sys.argv[2:]
out = {}


def window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def after_first_findings(then):
    """then(win) once the window lists its first findings (looked at on each turn of the event loop)."""
    turns = [0]

    def poll():
        turns[0] += 1
        win = window()
        if win.findings_panel.list.count() == 0 and turns[0] < 50:
            QTimer.singleShot(0, poll)
            return
        then(win)
    QTimer.singleShot(0, poll)


def finish(win):
    """Write what the child saw, close the window without asking, end the event loop."""
    with open(RESULT, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False)
    win.doc.mark_clean()
    win.shutdown()
    app.quit()
'''


def run_child(script: str, *args: str, tmp_path: Path) -> dict:
    """Run CHILD_PRELUDE + ``script`` with ``args`` (offscreen, a data folder of its own); what it saw."""
    result = tmp_path / "child-result.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PERFEVAL_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-c", CHILD_PRELUDE + script, str(result), *args], env=env,
                          capture_output=True, text=True, timeout=120, cwd=str(Path(__file__).resolve().parents[2]))
    assert result.exists(), proc.stderr[-3000:]
    return json.loads(result.read_text(encoding="utf-8"))
