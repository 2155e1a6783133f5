"""bench/: the README table is bench/results.json rendered, from a full run (≥ 5 repetitions per
figure), and the floors do the same work as ours (same styled Word content; the same window up to
the first findings shown)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import floor_docx  # noqa: E402
import readme_table  # noqa: E402


def _results() -> dict:
    return json.loads((BENCH / "results.json").read_text(encoding="utf-8"))


def test_readme_table_is_results_json_rendered():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table.readme_block(readme) == readme_table.render(_results()), \
        "README benchmark table and bench/results.json differ: run `.venv/bin/python bench/readme_table.py`"


def test_results_come_from_a_full_run_with_five_repetitions_per_figure():
    res = _results()
    assert res["quick"] is False
    rows = readme_table.rows(res)
    assert {"startup", "recheck", "keystroke", "excel", "docx", "batch", "memory"} <= set(res)
    assert len(rows) == 14          # the keystroke figure has one row per report size
    for figure, *_rest, n in rows:
        assert n >= readme_table.MIN_REPS, figure


def test_check_mode_reports_a_stale_table(tmp_path, monkeypatch):
    res = _results()
    readme = tmp_path / "README.md"
    readme.write_text("x\n" + readme_table.render(res) + "\ny\n", encoding="utf-8")
    monkeypatch.setattr(readme_table, "README", readme)
    assert readme_table.main(["--check"]) == 0
    res["startup"]["ratio"]["median"] += 0.5
    (tmp_path / "results.json").write_text(json.dumps(res), encoding="utf-8")
    monkeypatch.setattr(readme_table, "RESULTS", tmp_path / "results.json")
    assert readme_table.main(["--check"]) == 1
    readme_table.main([])                      # rewrites only the block
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("x\n") and text.endswith("\ny\n") and readme_table.main(["--check"]) == 0


def test_docx_floor_writes_the_same_styled_content(samples_dir):
    from perfeval_gui.io.docx_export import build_docx_bytes
    from perfeval_gui.io.project_file import load_project
    ours = floor_docx.extract(build_docx_bytes(load_project(samples_dir / "liuyang-2021.pefx")))
    floor = floor_docx.extract(floor_docx.write(ours))
    assert floor["body"] == ours["body"]          # texts, styles, alignment, indents, fonts, table widths
    assert floor["styles"] == ours["styles"]      # fonts, sizes, spacing of every style used
    assert floor["page"] == ours["page"]          # A4 and the GB/T 9704 margins
    assert any(k == "t" for k, _ in ours["body"]) and len(ours["styles"]) >= 5


def test_startup_runs_to_the_first_findings_and_the_floor_shows_the_same(tmp_path, samples_dir):
    shown = tmp_path / "shown.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BENCH_DUMP=str(shown))
    ours = subprocess.run([sys.executable, str(BENCH / "start_ours.py"), str(samples_dir / "liuyang-2021.pefx")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert ours.returncode == 0, ours.stderr[-2000:]
    data = json.loads(shown.read_text(encoding="utf-8"))
    assert data["findings"] and all("[" in text for text in data["findings"])   # findings were on screen
    assert data["tabs"][0] == "概览" and len(data["tabs"]) >= 10
    floor = subprocess.run([sys.executable, str(BENCH / "floor_window.py"), str(shown)], env=env,
                           capture_output=True, text=True, timeout=120)
    assert floor.returncode == 0, floor.stderr[-2000:]
