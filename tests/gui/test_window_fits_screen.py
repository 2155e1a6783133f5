"""Issue 21 (2): the window and its dialogs fit 1366×768 and 1920×1080 at 150 % (≈ 911×512
logical pixels): the status bar (error counts, score), the findings panel and the buttons of
the help window and of the Excel import preview are inside the screen; size and dock layout
are remembered."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def _probe(tmp_path, width, height, scale):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    workbook = tmp_path / "空.xlsx"
    from openpyxl import Workbook
    book = Workbook()
    book.active["A1"] = "随便一个表"
    book.save(workbook)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=str(scale),
               PERFEVAL_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    env.pop("DISPLAY", None)
    run = subprocess.run([sys.executable, str(HERE / "fit_probe.py"), str(workbook)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def _inside(screen, r):
    x, y, w, h = r
    sx, sy, sw, sh = screen
    return w > 0 and h > 0 and x >= sx and y >= sy and x + w <= sx + sw and y + h <= sy + sh


@pytest.mark.parametrize("width,height,scale", [(1366, 768, 1), (1920, 1080, 1.5), (1366, 768, 1.5)])
def test_window_dialogs_and_status_bar_inside_the_screen(tmp_path, width, height, scale):
    g = _probe(tmp_path, width, height, scale)
    screen = g["screen"]
    for key in ("window", "status_bar", "score_label", "status_label", "findings", "help", "help_close", "import"):
        assert _inside(screen, g[key]), (key, g[key], screen)
    for button in g["import_buttons"]:
        assert _inside(screen, button), (button, screen)
    # no section needs a horizontal scroll bar
    assert g["tabs_too_wide"] == []


def test_window_remembers_its_size_and_dock_layout(qtbot, make_win):
    win = make_win()
    win.resize(720, 500)          # the test screen is 800×600
    win.resizeDocks([win.findings_panel], [333], Qt.Orientation.Horizontal)
    qtbot.wait(20)
    size, dock = win.size(), win.findings_panel.width()
    win.shutdown()
    win.close()
    again = make_win()
    try:
        qtbot.wait(20)
        assert again.size() == size
        assert abs(again.findings_panel.width() - dock) <= 2
    finally:
        again.shutdown()
        again.close()
