"""Narrative scan benchmarks (issue 13 item 5, issue 15): ``.venv/bin/python bench/narrative_scan.py``.

1. A megabyte of digits (and other long runs) in one narrative slot: extraction + every rule (a fresh
   Checker, caches cleared) — target < 1 s; floor: one ``re.finditer(r"\\d+")`` pass over the same text.
2. Typing in a narrative paragraph (one more character per edit) of the 浏阳 sample and of the
   1,000-project report: ``Checker.recheck`` per keystroke vs the 16 ms frame; the paragraph cache means
   only the edited paragraph is read again.
Prints a Markdown table; writes bench/narrative_results.json.
"""
from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import synth  # noqa: E402

from perfeval_gui.core import narrative  # noqa: E402
from perfeval_gui.core.engine import Checker  # noqa: E402

FRAME_MS = 16.0


def _scan(text: str, reps: int = 3) -> dict:
    ours, floor = [], []
    for _ in range(reps):
        narrative._paragraph.cache_clear()
        narrative.extract.cache_clear()
        report = synth.sample()
        report.narrative["五.一"] = text
        t0 = time.perf_counter()
        Checker(report).check_all()
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        sum(1 for _ in re.finditer(r"\d+", text))
        floor.append(time.perf_counter() - t0)
    return {"ours_s": statistics.median(ours), "max_s": max(ours), "floor_s": statistics.median(floor)}


def _typing(report, edits: int = 60) -> dict:
    checker = Checker(report)
    checker.check_all()
    slot = "五.一" if "五.一" in report.narrative else next(iter(report.narrative))
    base = report.narrative.get(slot, "")
    ms = []
    for k in range(edits):
        report.narrative[slot] = base + "字" * (k + 1)
        t0 = time.perf_counter()
        checker.recheck([f"narrative[{slot}]"])
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    return {"median_ms": statistics.median(ms), "p95_ms": ms[int(0.95 * (len(ms) - 1))], "max_ms": ms[-1]}


def main() -> int:
    inputs = {
        "1 MB of digits": "1" * 1_000_000,
        "1 MB of digits + 万元": "基本支出" + "1" * 1_000_000 + "万元",
        "1 MB of Chinese numerals": "三" * 1_000_000,
        "1 MB of '1.1.'": "1.1." * 250_000,
        "640 KB of '3个：（1）1．'": "3个：（1）1．" * 80_000,
    }
    res = {"scan": {k: _scan(v) for k, v in inputs.items()},
           "typing": {"sample": _typing(synth.sample()),
                      "1000 projects": _typing(synth.synthetic_report(1000, 5000))}}
    print("| input | check_all (median, max) | floor re.finditer | target | met |")
    print("|---|---|---|---|---|")
    for k, r in res["scan"].items():
        print(f"| {k} | {r['ours_s']:.3f} s, {r['max_s']:.3f} s | {r['floor_s']:.3f} s | < 1 s (digits) | "
              f"{'yes' if r['max_s'] < 1 else 'NO'} |")
    print()
    print("| typing in a narrative paragraph | median | p95 | max | frame | met |")
    print("|---|---|---|---|---|---|")
    for k, r in res["typing"].items():
        print(f"| {k} | {r['median_ms']:.2f} ms | {r['p95_ms']:.2f} ms | {r['max_ms']:.2f} ms | {FRAME_MS:.0f} ms | "
              f"{'yes' if r['median_ms'] < FRAME_MS else 'NO'} |")
    (HERE / "narrative_results.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
