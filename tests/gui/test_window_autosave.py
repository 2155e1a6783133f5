"""Issue 21 (9): edits are journaled a moment after typing stops (not only every 60 s), so a
crash loses at most the last seconds; the recovery prompt says what will be restored."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QMessageBox

from perfeval_gui.gui import app as gui_app
from perfeval_gui.gui.autosave import find_recoveries, journal_file, load_recovery, recovery_files

from test_main_window import field, retype


def test_typing_is_journaled_seconds_later_and_recovered_after_a_crash(qtbot, sample_file, make_win, monkeypatch):
    win = make_win(sample_file)                  # the 60-second full copy never fires in this test
    win.autosave.idle.setInterval(100)
    data_file, _sidecar = recovery_files(sample_file)
    journal = journal_file(sample_file)
    retype(qtbot, field(win, "expenditure.total"), "401.5")
    qtbot.waitUntil(journal.exists, timeout=3000)            # a moment after typing stops
    # the officer's file is unchanged on disk: the journal starts from it, no full copy is written
    assert not data_file.exists()
    retype(qtbot, field(win, "meta.contact"), "李四")
    qtbot.waitUntil(lambda: "李四" in journal.read_text(encoding="utf-8"), timeout=3000)
    assert "401.5" in journal.read_text(encoding="utf-8")
    assert "385.5" in sample_file.read_text(encoding="utf-8")     # never over the officer's file
    # crash: the window goes away without saving or asking
    win.shutdown()
    win.deleteLater()
    infos = find_recoveries()
    assert len(infos) == 1
    report = load_recovery(infos[0])
    assert report.meta.contact == "李四" and report.expenditure.total == Decimal("401.5")

    win2 = make_win(sample_file)
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    assert gui_app.offer_recovery(win2)
    text = asked[0]
    assert "浏阳2021.pefx" in text and "改动了" in text
    assert "一、部门概况（1 处）" in text and "二、" in text
    assert win2.doc.report.meta.contact == "李四"
    assert win2.doc.is_dirty()
    assert sample_file.exists()                                 # declining/accepting never deletes it
    win2.shutdown()
    win2.deleteLater()


def test_untitled_report_gets_a_full_copy_then_a_journal(qtbot, make_win):
    win = make_win()
    win.autosave.idle.setInterval(100)
    data_file, _sidecar = recovery_files(None)
    journal = journal_file(None)
    win.doc.set_value("meta.unit_name", "新单位")
    qtbot.waitUntil(data_file.exists, timeout=3000)
    win.doc.set_value("meta.contact", "王五")
    qtbot.waitUntil(journal.exists, timeout=3000)
    win.shutdown()
    win.deleteLater()
    report = load_recovery(find_recoveries()[0])
    assert (report.meta.unit_name, report.meta.contact) == ("新单位", "王五")


def test_continuous_typing_is_journaled_without_a_pause(qtbot, sample_file, make_win):
    win = make_win(sample_file)
    auto = win.autosave
    auto.idle.setInterval(60_000)               # no pause ever comes …
    auto.max_delay_s = 0.2                       # … the journal is written anyway
    win.doc.set_value("meta.contact", "甲")
    qtbot.wait(250)
    win.doc.set_value("meta.contact", "甲乙")
    qtbot.wait(250)
    win.doc.set_value("meta.contact", "甲乙丙")
    assert "甲乙" in journal_file(sample_file).read_text(encoding="utf-8")
    win.shutdown()
    win.deleteLater()
