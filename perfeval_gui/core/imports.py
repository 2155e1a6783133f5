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
from dataclasses import fields as dc_fields, is_dataclass
from decimal import Decimal
from typing import Any, overload
from collections.abc import Callable, Iterator

from . import regex
from .records import record
from . import fields
from .edits import FieldChange, with_old_values
from .model import Report, get_value

MODES = ("prior", "current", "final")
MODE_LABELS = {"prior": "上年数", "current": "本年数", "final": "本年决算数"}
_STORE = {"prior": "prior_year", "final": "final_accounts"}


@record
class ImportedValue:
    """One value read from a file: field path (or list path with rows), value, source cell/paragraph, Chinese label."""
    path: str          # a scalar field path, or a list path ("projects") whose value is a list of rows
    value: Any
    source: str        # where it was read: "Sheet!C7", "第 3 段"
    label: str         # Chinese name for previews


_SPACES = regex.compile(r"[\s\u3000“”\"]+")


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
TOTAL_ROW = regex.compile(r"^(合计|小计|总计|共计|累计|本年合计|项目合计)$")


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
    pending: dict[tuple[str, str], int] = {}
    for item in values:
        if "{" in item.path and not item.path.startswith(("prior_year[", "final_accounts[")):
            changes.extend(_keyed_changes(report, item, mode, selected, pending))
            continue
        if mode in _STORE:
            if isinstance(item.value, (list, str)) or item.path == "meta.fiscal_year" or \
                    item.path.startswith(("prior_year[", "final_accounts[")):
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


# a row named by its key instead of its position (core/forms.keyed_path): 'projects{党建经费}.actual'
_KEYED = regex.compile(r"(projects|scoring\.nodes|indicators)\{([^{}]*)\}")


def _row_matches(row: Any, key: str) -> bool:
    node_id = getattr(row, "id", None)
    if isinstance(node_id, str) and node_id.strip():
        return node_id.strip() == key
    return _norm(getattr(row, "name", "")) == _norm(key)


@overload
def resolve_keyed(report: Report, path: str, pending: dict[tuple[str, str], int]
                  ) -> tuple[str, list[tuple[str, str]]]: ...


@overload
def resolve_keyed(report: Report, path: str, pending: None = None
                  ) -> tuple[str | None, list[tuple[str, str]]]: ...


def resolve_keyed(report: Report, path: str, pending: dict[tuple[str, str], int] | None = None
                  ) -> tuple[str | None, list[tuple[str, str]]]:
    """The concrete path of a keyed path, and the (path, key) of rows to add for keys the report lacks.

    ``pending`` (None: rows are not added, an unknown key gives None) remembers rows added by earlier
    values of the same import, so all values of one new project land in the same new row."""
    out, pos, extra = "", 0, []
    for m in _KEYED.finditer(path):
        list_path = out + path[pos:m.start()] + m.group(1)
        key = m.group(2)
        try:
            rows = get_value(report, list_path)
        except KeyError:
            rows = None
        index = next((i for i, row in enumerate(rows) if _row_matches(row, key)), None) \
            if isinstance(rows, list) else None
        if index is None:
            if pending is None:
                return None, []
            index = pending.get((list_path, key))
            if index is None:
                base = len(rows) if isinstance(rows, list) else 0
                index = base + sum(1 for lp, _ in pending if lp == list_path)
                pending[(list_path, key)] = index
                attr = "name" if list_path.endswith("projects") else "id"
                extra.append((f"{list_path}[{index}].{attr}", key))
        out, pos = f"{list_path}[{index}]", m.end()
    return out + path[pos:], extra


def _keyed_changes(report: Report, item: ImportedValue, mode: str, selected: set[str] | None,
                   pending: dict[tuple[str, str], int]) -> list[FieldChange]:
    if selected is not None and item.path not in selected:
        return []
    if mode in _STORE:
        path, _ = resolve_keyed(report, item.path)
        if path is None or isinstance(item.value, (list, str)):
            return []
        value = Decimal(item.value) if isinstance(item.value, int) else item.value
        return [FieldChange(f"{_STORE[mode]}[{path}]", value, None, item.source, f"{MODE_LABELS[mode]}：{item.label}")]
    path, extra = resolve_keyed(report, item.path, pending)
    out = [FieldChange(p, key, None, item.source, f"新增“{key}”") for p, key in extra]
    out.append(FieldChange(path, item.value, None, item.source, item.label or fields.field_label(path, report)))
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b and str(a) == str(b)
    return type(a) is type(b) and a == b


def _merge_rows(report: Report, item: ImportedValue, selected: set[str] | None) -> list[FieldChange]:
    list_path = item.path
    key = MERGE_KEYS[list_path]
    existing = get_value(report, list_path)
    index_of: dict[Any, int] = {}
    for j, row in enumerate(existing):
        index_of.setdefault(key(row), j)
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
            row = copy.deepcopy(row)
            if list_path == "projects" and not row.kind:
                row.kind = "initial"        # a form that states no kind: a new project is a 年初预算 one
            out.append(FieldChange(path, row, None, item.source,
                                   f"新增{noun}“{name}”" if name else f"新增{noun}"))
            continue
        old_row = existing[i]
        for path, old, new in _stated_leaves(f"{list_path}[{i}]", old_row, row):
            if selected is not None and path not in selected and list_path not in selected:
                continue
            out.append(FieldChange(path, copy.deepcopy(new), None, item.source,
                                   fields.field_label(path, report)))
    return out


def _stated_leaves(prefix: str, old_row: Any, row: Any) -> Iterator[tuple[str, Any, Any]]:
    """(path, old, new) of every value ``row`` states that differs from ``old_row``; a nested block
    (a project's 自评表 ``form``) is merged field by field, so what the file leaves empty stays."""
    for f in dc_fields(row):
        new = getattr(row, f.name)
        old = getattr(old_row, f.name)
        path = f"{prefix}.{f.name}"
        if is_dataclass(new) and not isinstance(new, type):
            yield from _stated_leaves(path, old, new)
            continue
        if not _stated(new) or _same(old, new):
            continue
        yield path, old, new


def change_to_data(change: FieldChange) -> dict[str, Any]:
    """A change as JSON data: path, label, old, new, source (amounts as exact decimal strings)."""
    from .serialize import to_data
    return {"path": change.path, "label": change.label, "old": to_data(change.old),
            "new": to_data(change.new), "source": change.source}
