"""The one import path: figures read from a file (Excel, Word) → a batch of field changes.

Readers (io/excel_import.py, io/docx_import.py) turn a file into ``ImportedValue`` items; this
module decides what they change in the report, the same way for the window and the command line:

* ``prior``: figures become 上年数 (``prior_year[<path>]``); text and lists are not prior-year figures.
* ``final``: figures become this year's 决算数 (``final_accounts[<path>]``, checked by DEC-01).
* ``current``: figures are this year's; rows of a list are merged into the report's rows —
  matched by their key (a project by its name, an economic-class line by scope + code or name,
  a scoring node by its id), the matched row updated field by field with what the file states,
  the rest appended. Nothing the report had is ever dropped: a field the file leaves empty keeps
  the report's value, and a row the file does not list stays.

Each change names one field (``projects[2].actual``) with its old and new value and the source
cell, so the preview and ``--json`` can list it. Pure Python, no Qt.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, fields as dc_fields
from decimal import Decimal
from typing import Any, Callable

from . import fields
from .edits import FieldChange, with_old_values
from .model import Report, get_value

MODES = ("prior", "current", "final")
MODE_LABELS = {"prior": "上年数", "current": "本年数", "final": "本年决算数"}
_STORE = {"prior": "prior_year", "final": "final_accounts"}


@dataclass
class ImportedValue:
    path: str          # a scalar field path, or a list path ("projects") whose value is a list of rows
    value: Any
    source: str        # where it was read: "Sheet!C7", "第 3 段"
    label: str         # Chinese name for previews


_SPACES = re.compile(r"[\s\u3000“”\"]+")


def _norm(text: str) -> str:
    return _SPACES.sub("", text or "")


# how a row of a list is recognised in the report when imported as this year's figures
MERGE_KEYS: dict[str, Callable[[Any], Any]] = {
    "projects": lambda p: _norm(p.name),
    "expenditure.by_econ": lambda e: (e.scope, e.code.strip() or _norm(e.name)),
    "expenditure.by_function": lambda f: f.code.strip() or _norm(f.name),
    "scoring.nodes": lambda n: n.id.strip() or _norm(n.name),
}
# words that make a row of a project list a total, never a project
TOTAL_ROW = re.compile(r"^(合计|小计|总计|共计|累计|本年合计|项目合计)$")


def is_total_row(name: str) -> bool:
    return bool(TOTAL_ROW.match(_norm(name).replace("：", "").replace(":", "")))


def _stated(value: Any) -> bool:
    """Does the file state this value (an empty cell/string/list leaves the report's value)?"""
    return value is not None and value != "" and value != [] and value != {}


def plan_import(report: Report, values: list[ImportedValue], mode: str = "prior",
                selected: set[str] | None = None, keep_unchanged: bool = False) -> list[FieldChange]:
    """The changes an import makes to ``report`` (not applied), with their old values.

    ``selected``: paths (of ImportedValue or of the resulting change) to keep; None keeps all.
    A figure equal to the current value is left out, unless ``keep_unchanged`` (the preview
    lists everything the file holds and marks what differs).
    """
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}")
    changes: list[FieldChange] = []
    for item in values:
        if mode in _STORE:
            if isinstance(item.value, (list, str)) or item.path == "meta.fiscal_year":
                continue
            path = f"{_STORE[mode]}[{item.path}]"
            value = Decimal(item.value) if isinstance(item.value, int) else item.value
            if selected is not None and item.path not in selected and path not in selected:
                continue
            changes.append(FieldChange(path, value, None, item.source, f"{MODE_LABELS[mode]}：{item.label}"))
            continue
        if selected is not None and item.path not in selected:
            continue
        if isinstance(item.value, list) and item.path in MERGE_KEYS:
            changes.extend(_merge_rows(report, item, selected))
        else:
            changes.append(FieldChange(item.path, item.value, None, item.source, item.label))
    planned = with_old_values(report, changes)
    return planned if keep_unchanged else [c for c in planned if not _same(c.old, c.new)]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b and str(a) == str(b)
    return type(a) is type(b) and a == b


def _merge_rows(report: Report, item: ImportedValue, selected: set[str] | None) -> list[FieldChange]:
    list_path = item.path
    key = MERGE_KEYS[list_path]
    existing = get_value(report, list_path)
    index_of: dict[Any, int] = {}
    for i, row in enumerate(existing):
        index_of.setdefault(key(row), i)
    out: list[FieldChange] = []
    next_index = len(existing)
    for row in item.value:
        name = getattr(row, "name", "")
        if list_path == "projects" and isinstance(name, str) and is_total_row(name):
            continue            # a 合计 row is a total, never a project
        i = index_of.get(key(row))
        if i is None:
            path = f"{list_path}[{next_index}]"
            index_of[key(row)] = next_index
            next_index += 1
            noun = fields.LIST_ITEMS.get(list_path, ("行", ""))[0]
            out.append(FieldChange(path, copy.deepcopy(row), None, item.source,
                                   f"新增{noun}“{name}”" if name else f"新增{noun}"))
            continue
        old_row = existing[i]
        for f in dc_fields(row):
            new = getattr(row, f.name)
            if not _stated(new) or _same(getattr(old_row, f.name), new):
                continue
            path = f"{list_path}[{i}].{f.name}"
            if selected is not None and path not in selected and list_path not in selected:
                continue
            out.append(FieldChange(path, copy.deepcopy(new), None, item.source,
                                   fields.field_label(path, report)))
    return out


def change_to_data(change: FieldChange) -> dict[str, Any]:
    """A change as JSON data: path, label, old, new, source (amounts as exact decimal strings)."""
    from .serialize import to_data
    return {"path": change.path, "label": change.label, "old": to_data(change.old),
            "new": to_data(change.new), "source": change.source}
