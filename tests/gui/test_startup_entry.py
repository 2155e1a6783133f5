"""Start-up: PySide is spared reading the source of each of our modules (gui/app.skip_pyside_source_scan),
the usual command lines (none, or one file) are read without building a parser, and start-up
chores wait until the report is on screen.

The scan is checked in a child process: which modules PySide scans depends on what was imported before it.
"""
from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = r'''
import json, sys
import PySide6.QtWidgets                      # PySide first, as when the window starts
feature = sys.modules["shibokensupport.feature"]
scanned = []
real = feature._mod_uses_pyside
def spy(module):
    scanned.append(module.__name__)
    return real(module)
feature._mod_uses_pyside = spy
from perfeval_gui.gui import app               # the entry point (in the program, imported before PySide)
before = list(scanned)
app.skip_pyside_source_scan()
from perfeval_gui.gui.main_window import MainWindow
from perfeval_gui.core.engine import Checker
from perfeval_gui.io.docx_export import export_docx
table = feature.pyside_feature_dict
print(json.dumps({"before": before, "after": scanned[len(before):],
                  "gui": table.get("perfeval_gui.gui.main_window"), "core": table.get("perfeval_gui.core.engine")}))
'''


def test_our_modules_are_not_read_by_pyside_on_import():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "perfeval_gui.gui" in out["before"]              # the scan is real: it read our package
    ours = [name for name in out["after"] if name.startswith("perfeval_gui")]
    assert ours == [], ours                                 # …and none of the modules imported after it
    assert (out["gui"], out["core"]) == (0, -1)             # what the scan itself would have answered


def test_a_double_click_or_an_opened_file_reads_its_arguments_as_the_parser_would():
    from perfeval_gui.gui.app import _parse_args, _parser
    for argv in ([], ["报告.pefx"], [" 带空格 的 路径/报告.pefx"]):
        assert _parse_args(argv) == _parser().parse_args(argv), argv
    args = _parse_args(["--screenshot", "out.png", "--tab", "2", "r.pefx"])     # options: the parser
    assert (args.screenshot, args.tab, args.file) == ("out.png", 2, "r.pefx")


CLEANUP = r'''
import json, subprocess, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
from perfeval_gui.gui.app import main
from perfeval_gui.gui.main_window import MainWindow
from perfeval_gui.io import atomic

target = Path(sys.argv[1])
dead = subprocess.Popen([sys.executable, "-c", "pass"])
dead.wait()
stale = target.with_name(f"{atomic._temp_prefix(target)}{atomic._host_tag()}-{dead.pid}.abcd1234.tmp")
stale.write_bytes(b"half a save")
out = {}


def finish():
    out["stale_left"] = stale.exists()
    out["report_kept"] = target.exists()
    win = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    win.shutdown()
    app.quit()


QTimer.singleShot(2500, finish)
main([str(target)])
print(json.dumps(out))
'''


def test_opening_a_report_removes_what_a_killed_save_left_beside_it(sample_file, tmp_path):
    target = tmp_path / "报告.pefx"
    target.write_bytes(sample_file.read_bytes())
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "PERFEVAL_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-c", CLEANUP, str(target)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"stale_left": False, "report_kept": True}
