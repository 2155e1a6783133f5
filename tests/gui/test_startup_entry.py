"""Start-up: PySide is spared reading the source of each of our modules (gui/app.skip_pyside_source_scan),
and the usual command lines (none, or one file) are read without building a parser.

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
