"""Edits as data: a batch of (path, old, new) that can be applied and reverted as one step.

Imports produce a list of ``FieldChange``; the GUI wraps a batch in one undo command; the
command line applies it directly. Same code path either way.
"""
from __future__ import annotations

from typing import Any
from collections.abc import Iterable

from . import regex
from .records import record
from .model import Report, get_value, insert_item, join_path, new_item, remove_item, set_value, split_path


@record(frozen=True)
class FieldChange:
    """One edit of a batch: field path, new and old value, where the value came from, Chinese label for previews."""
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


def needed_inserts(report: Report, changes: Iterable[FieldChange],
                   planned: Iterable[tuple[str, int]] = ()) -> list[tuple[str, int]]:
    """Rows to append so that every ``list[i]`` a change names exists (e.g. imported projects).

    ``planned``: (list path, index) inserts that will already run before the changes."""
    counts: dict[str, int] = {}
    for list_path, _ in planned:
        counts[list_path] = counts.get(list_path, 0) + 1
    extra: list[tuple[str, int]] = []
    for ch in changes:
        parts = split_path(ch.path)
        for k, part in enumerate(parts):
            if not isinstance(part, int):
                continue
            list_path = join_path(parts[:k])
            try:
                items = get_value(report, list_path)
            except KeyError:
                # the list of a row appended by this batch (a new project's indicators) starts empty
                if not any(list_path.startswith(f"{lp}[{i}].") for lp, i in extra):
                    break
                items = []
            if not isinstance(items, list):
                break
            size = len(items) + counts.get(list_path, 0)
            while size <= part:
                extra.append((list_path, size))
                size += 1
            counts[list_path] = size - len(items)
    return extra


def apply_changes(report: Report, changes: Iterable[FieldChange]) -> list[tuple[str, int]]:
    """Apply a batch; rows a change names beyond the end of a list are appended first.

    Returns those appended rows (list path, index), which ``revert_changes`` removes again."""
    changes = list(changes)
    inserts = needed_inserts(report, changes)
    for list_path, index in inserts:
        insert_item(report, list_path, index, new_item(list_path))
    for ch in changes:
        set_value(report, ch.path, ch.new)
    return inserts


def revert_changes(report: Report, changes: Iterable[FieldChange],
                   inserts: Iterable[tuple[str, int]] = ()) -> None:
    """Undo ``apply_changes``: old values back, appended rows removed."""
    for ch in reversed(list(changes)):
        if ch.old is None and any(ch.path == f"{lp}[{i}]" for lp, i in inserts):
            continue        # the appended row itself goes below
        set_value(report, ch.path, ch.old)
    for list_path, index in reversed(list(inserts)):
        remove_item(report, list_path, index)


LARGE_IMPORT_ROWS = 1000     # an import replacing a list with this many rows asks first (GUI) / needs --yes


_ITEM = regex.compile(r"^([A-Za-z_][A-Za-z0-9_.]*)\[(\d+)\]")


def list_replacements(report: Report, changes: Iterable[FieldChange]) -> list[tuple[str, int, int]]:
    """(list path, rows now, rows after) of every list an import replaces or appends rows to."""
    out = []
    appended: dict[str, int] = {}
    for ch in changes:
        if isinstance(ch.new, list):
            try:
                old = get_value(report, ch.path)
            except KeyError:
                old = None
            out.append((ch.path, len(old) if isinstance(old, list) else 0, len(ch.new)))
            continue
        m = _ITEM.match(ch.path)
        if m:
            appended[m.group(1)] = max(appended.get(m.group(1), 0), int(m.group(2)) + 1)
    for path, rows in appended.items():
        try:
            now = get_value(report, path)
        except KeyError:
            continue
        if isinstance(now, list) and rows > len(now):
            out.append((path, len(now), rows))
    return out


def large_import(report: Report, changes: Iterable[FieldChange]) -> str:
    """A Chinese question when the import would replace a list with LARGE_IMPORT_ROWS or more rows
    (the officer should confirm), else ""."""
    big = [(p, a, b) for p, a, b in list_replacements(report, changes) if b >= LARGE_IMPORT_ROWS]
    if not big:
        return ""
    parts = "；".join(f"“{p}”由 {a} 行变为 {b} 行" for p, a, b in big)
    return f"这次导入将整体替换：{parts}。"


def import_limit_problem(report: Report, changes: Iterable[FieldChange]) -> str:
    """Why the import cannot be applied (a list beyond what a project file holds), else ""."""
    from .serialize import MAX_ITEMS
    for path, _old, new in list_replacements(report, changes):
        if new > MAX_ITEMS:
            return (f"导入后“{path}”将有 {new} 行，超过一份报告能保存的上限 {MAX_ITEMS} 行，未导入。"
                    "请只保留需要的行后再导入。")
    return ""
