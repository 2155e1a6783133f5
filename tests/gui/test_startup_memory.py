"""Python's cyclic garbage collector during and after start-up (perfeval_gui/gui/memory.py).

Run through the real entry point in a child process (the collector's state is per process): no
collection while start-up builds the window and runs the first check, collection back on once the
first findings are shown — a program left without it would grow without bound —, and what the report
the officer leaves by opening another one held is freed, not kept out of the collector's sight.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r'''
import gc, json, sys, weakref
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
from perfeval_gui.gui.app import main
from perfeval_gui.gui.main_window import MainWindow

out, turns = {}, [0]


def window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))


def first_turn():                       # the window is on screen, the first check not run yet
    out["collecting_before_first_check"] = gc.isenabled()
    QTimer.singleShot(0, wait_for_findings)


def wait_for_findings():
    turns[0] += 1
    win = window()
    if win.findings_panel.list.count() == 0 and turns[0] < 50:
        QTimer.singleShot(0, wait_for_findings)
        return
    out["findings_shown"] = win.findings_panel.list.count()
    out["collecting_after"] = gc.isenabled()
    out["frozen_after_start"] = gc.get_freeze_count()
    old = weakref.ref(win.doc.report)
    before = len(gc.get_objects())
    for i in range(win.tabs.count()):                # the officer visits every tab: each is built then
        win.tabs.setCurrentIndex(i)
        app.processEvents()
    out["tracked_before_tabs"] = before
    out["tracked_after_tabs"] = len(gc.get_objects())     # what a full collection while typing walks
    out["frozen_after_tabs"] = gc.get_freeze_count()
    win.open_file(sys.argv[2])                       # the officer opens another report
    QTimer.singleShot(200, lambda: finish(win, old))


def finish(win, old):
    out["previous_report_freed"] = old() is None
    out["collecting_at_end"] = gc.isenabled()
    gc.unfreeze()                  # what start-up set aside: is any of it garbage the collector cannot see?
    out["frozen_garbage"] = gc.collect()
    with open(sys.argv[3], "w") as fh:
        json.dump(out, fh)
    win.doc.mark_clean()
    win.shutdown()
    app.quit()


QTimer.singleShot(0, first_turn)
sys.exit(main([sys.argv[1]]))
'''


def test_collector_paused_for_start_up_only_and_the_left_report_freed(sample_file, tmp_path):
    other = tmp_path / "另一份.pefx"
    other.write_bytes(sample_file.read_bytes())
    result = tmp_path / "gc.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PERFEVAL_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(sample_file), str(other), str(result)],
                          env=env, capture_output=True, text=True, timeout=120,
                          cwd=str(Path(__file__).resolve().parents[2]))
    assert result.exists(), proc.stderr[-3000:]
    seen = json.loads(result.read_text())
    assert seen["collecting_before_first_check"] is False
    assert seen["findings_shown"] > 0
    assert seen["collecting_after"] is True
    assert seen["frozen_after_start"] > 10_000            # modules, rules, report and window set aside
    # the tabs' widgets and tables are set aside too once built: a collection while the officer types
    # walks what typing made, not every widget of the report (a 40–110 ms pause at 1,000 projects)
    assert seen["frozen_after_tabs"] > seen["frozen_after_start"] + 2_000, seen
    assert seen["tracked_after_tabs"] < seen["tracked_before_tabs"] + 1_000, seen
    assert seen["previous_report_freed"] is True
    assert seen["frozen_garbage"] < 50, seen              # ~600 objects when the left report stayed frozen
    assert seen["collecting_at_end"] is True
