"""Helpers the window tests share."""
from __future__ import annotations


def field(win, path):
    """The editor of ``path`` in ``win`` (every tab built first); KeyError when no tab shows it."""
    win.build_all_tabs()
    for tab in win.section_tabs:
        if path in tab.fields:
            return tab.fields[path]
    raise KeyError(path)
