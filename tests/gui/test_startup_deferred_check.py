"""Start-up: the window appears before the first full check; findings follow on the next turn."""
from PySide6.QtCore import QTimer

from perfeval_gui.gui.app import initial_document
from perfeval_gui.io.project_file import fingerprint
from perfeval_gui.gui.main_window import MainWindow


def test_findings_arrive_right_after_the_window_is_shown(qtbot, sample_file):
    doc, error, _ = initial_document(str(sample_file))
    assert error == "" and doc.fingerprint == fingerprint(sample_file)   # of the bytes read at start
    assert doc.findings == []                      # not checked yet: the window comes first
    win = MainWindow(doc)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.findings_panel.list.count() == 0
    with qtbot.waitSignal(doc.findings_changed, timeout=2000):
        QTimer.singleShot(0, doc.run_deferred_check)
    assert win.findings_panel.list.count() == len(doc.findings) > 0
    assert any(f.rule_id == "SCO-12" for f in doc.findings)
    doc.run_deferred_check()                       # idempotent: no second full check
    win.shutdown()


def test_an_edit_before_the_deferred_check_still_checks(qtbot, sample_file):
    doc, _, _ = initial_document(str(sample_file))
    doc.set_value("expenditure.total", doc.report.expenditure.total + 10)
    assert any(f.rule_id == "EXP-01" for f in doc.findings)


def test_a_file_changed_after_it_was_opened_is_not_saved_over(qtbot, sample_file, tmp_path, monkeypatch):
    """The fingerprint is of the bytes read when the report was opened, even when it is computed later."""
    from PySide6.QtWidgets import QMessageBox
    path = tmp_path / "报告.pefx"
    path.write_bytes(sample_file.read_bytes())
    doc, error, _ = initial_document(str(path))
    assert error == ""
    win = MainWindow(doc)
    qtbot.addWidget(win)
    path.write_bytes(path.read_bytes().replace("浏阳".encode(), "长沙".encode(), 1))    # a colleague's change
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    doc.set_value("meta.contact", "张三")
    win.save()
    assert asked and "长沙".encode() in path.read_bytes()        # refused, the colleague's change kept
    win.doc.mark_clean()
    win.shutdown()
