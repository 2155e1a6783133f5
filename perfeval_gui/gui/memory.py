"""When Python's cyclic garbage collector runs.

Start-up builds objects that live as long as the program (modules, rules, the report, the window).
Collecting while they are built finds nothing to free and costs about a tenth of start-up, and later full
collections that walk them pause typing for tens of milliseconds in a large report (bench/keystroke.py:
a 77 ms keystroke at 1,000 projects, 15 ms without). So: no collection during start-up, then what
start-up built is frozen out of the collector's sight. Opening another report is a natural pause: the
previous report is collected there and the new one frozen.
"""
from __future__ import annotations

import gc


def pause_for_startup() -> None:
    gc.disable()


def end_of_startup() -> None:
    """After the first findings are shown."""
    gc.freeze()
    gc.enable()


def after_new_report() -> None:
    """After another report replaced the current one (open, new, import, restore)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
