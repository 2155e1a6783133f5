"""Python's cyclic garbage collector during and after start-up (perfeval_gui/gui/memory.py).

Run through the real entry point in a child process (the collector's state is per process): no
collection while start-up builds the window and runs the first check, collection back on once the
first findings are shown — a program left without it would grow without bound —, and what the report
the officer leaves by opening another one held is freed, not kept out of the collector's sight.
"""
from __future__ import annotations

from window_helpers import run_child

SCRIPT = r'''
import gc, weakref



def first_turn():                       # the window is on screen, the first check not run yet
    out["collecting_before_first_check"] = gc.isenabled()
    after_first_findings(findings_shown)


def findings_shown(win):
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
    win.open_file(ARGS[1])                           # the officer opens another report
    QTimer.singleShot(200, lambda: last(win, old))


def last(win, old):
    out["previous_report_freed"] = old() is None
    out["collecting_at_end"] = gc.isenabled()
    gc.unfreeze()                  # what start-up set aside: is any of it garbage the collector cannot see?
    out["frozen_garbage"] = gc.collect()
    finish(win)


QTimer.singleShot(0, first_turn)
sys.exit(main([ARGS[0]]))
'''


def test_collector_paused_for_start_up_only_and_the_left_report_freed(sample_file, tmp_path):
    other = tmp_path / "另一份.pefx"
    other.write_bytes(sample_file.read_bytes())
    seen = run_child(SCRIPT, str(sample_file), str(other), tmp_path=tmp_path)
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
