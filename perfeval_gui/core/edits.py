"""Edits as data: a batch of (path, old, new) that can be applied and reverted as one step.

Imports produce a list of ``FieldChange``; the GUI wraps a batch in one undo command; the
command line applies it directly. Same code path either way.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .model import Report, get_value, set_value


@dataclass(frozen=True)
class FieldChange:
    path: str
    new: Any
    old: Any = None
    source: str = ""      # where the value came from, e.g. "收入支出决算总表!C7"
    label: str = ""       # Chinese field name for previews


def with_old_values(report: Report, changes: Iterable[FieldChange]) -> list[FieldChange]:
    """Fill in the current values, so a preview can show current vs imported."""
    out = []
    for ch in changes:
        try:
            old = get_value(report, ch.path)
        except KeyError:
            old = None
        out.append(FieldChange(ch.path, ch.new, old, ch.source, ch.label))
    return out


def apply_changes(report: Report, changes: Iterable[FieldChange]) -> None:
    for ch in changes:
        set_value(report, ch.path, ch.new)


def revert_changes(report: Report, changes: Iterable[FieldChange]) -> None:
    for ch in reversed(list(changes)):
        set_value(report, ch.path, ch.old)
