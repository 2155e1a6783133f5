"""Reliability tests (issue 7): prints a summary table (category, cases, crashes, data losses)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rel_helpers import TALLY  # noqa: E402


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not TALLY:
        return
    tr = terminalreporter
    tr.write_sep("=", "reliability summary (issue 7)")
    tr.write_line(f"{'category':<46} {'cases':>7} {'crashes':>8} {'data losses':>12}")
    totals = [0, 0, 0]
    for category, (tried, crashes, losses) in TALLY.items():
        tr.write_line(f"{category:<46} {tried:>7} {crashes:>8} {losses:>12}")
        totals = [totals[0] + tried, totals[1] + crashes, totals[2] + losses]
    tr.write_line(f"{'TOTAL':<46} {totals[0]:>7} {totals[1]:>8} {totals[2]:>12}")
