"""When Python's cyclic garbage collector runs.

Start-up builds objects that live as long as the program (modules, rules, the report, the window).
Collecting while they are built finds nothing to free and costs about a tenth of start-up, and later full
collections that walk them pause typing for tens of milliseconds in a large report (bench/keystroke.py:
a 77 ms keystroke at 1,000 projects, 15 ms without). So: no collection during start-up, then what
start-up built is frozen out of the collector's sight. A tab built on its first visit is frozen too (its
widgets and tables live until the report changes). Opening another report is a natural pause: the
previous report is collected there and the new one frozen. Frozen objects are still freed when nothing
refers to them; only cycles among them wait for the next report.
"""
from __future__ import annotations

import gc


def pause_for_startup() -> None:
    gc.disable()


def end_of_startup() -> None:
    """After the first findings are shown (once: a later call finds the collector running)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def after_tab_built() -> None:
    """After a tab was built on its first visit (already a pause of its own): what is garbage by now is
    collected, what the tab built is set aside with start-up's objects."""
    if gc.isenabled():
        gc.collect()
        gc.freeze()


def after_new_report() -> None:
    """After another report replaced the current one (open, new, import, restore)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
