"""Undo commands (pyspread style): capture old and new values, call the raw core.model setters
(which push nothing), then let the document notify views and re-check."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from ..core import fields, model
from ..core.edits import FieldChange

if TYPE_CHECKING:
    from .document import ReportDocument

_MERGE_IDS: dict[str, int] = {}


def _merge_id(path: str) -> int:
    if path not in _MERGE_IDS:
        _MERGE_IDS[path] = 1000 + len(_MERGE_IDS)
    return _MERGE_IDS[path]


class SetValueCommand(QUndoCommand):
    """One field edit; consecutive edits of the same field merge into one undo step."""

    def __init__(self, doc: ReportDocument, path: str, new: Any, old: Any, label: str = "") -> None:
        super().__init__(label or fields.undo_text(path, doc.report))
        self.doc, self.path, self.new, self.old = doc, path, new, old
        self.epoch = doc.merge_epoch

    def id(self) -> int:  # noqa: A003 - Qt API
        return _merge_id(self.path)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, SetValueCommand) or other.path != self.path or other.epoch != self.epoch:
            return False
        self.new = other.new
        if _same(self.new, self.old):
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        model.set_value(self.doc.report, self.path, self.new)
        self.doc._notify([self.path])

    def undo(self) -> None:
        model.set_value(self.doc.report, self.path, self.old)
        self.doc._notify([self.path])


class InsertItemCommand(QUndoCommand):
    def __init__(self, doc: ReportDocument, list_path: str, index: int, item: Any) -> None:
        super().__init__("添加行")
        self.doc, self.list_path, self.index, self.item = doc, list_path, index, item

    def redo(self) -> None:
        model.insert_item(self.doc.report, self.list_path, self.index, copy.deepcopy(self.item))
        self.doc._notify([self.list_path])

    def undo(self) -> None:
        model.remove_item(self.doc.report, self.list_path, self.index)
        self.doc._notify([self.list_path])


class RemoveItemCommand(QUndoCommand):
    def __init__(self, doc: ReportDocument, list_path: str, index: int) -> None:
        super().__init__("删除行")
        self.doc, self.list_path, self.index = doc, list_path, index
        self.item: Any = None

    def redo(self) -> None:
        self.item = model.remove_item(self.doc.report, self.list_path, self.index)
        self.doc._notify([self.list_path])

    def undo(self) -> None:
        model.insert_item(self.doc.report, self.list_path, self.index, self.item)
        self.doc._notify([self.list_path])


class MoveItemCommand(QUndoCommand):
    def __init__(self, doc: ReportDocument, list_path: str, index: int, new_index: int) -> None:
        super().__init__("移动行")
        self.doc, self.list_path, self.index, self.new_index = doc, list_path, index, new_index

    def redo(self) -> None:
        model.move_item(self.doc.report, self.list_path, self.index, self.new_index)
        self.doc._notify([self.list_path])

    def undo(self) -> None:
        model.move_item(self.doc.report, self.list_path, self.new_index, self.index)
        self.doc._notify([self.list_path])


class ApplyChangesCommand(QUndoCommand):
    """A batch (import, paste): optional row inserts first, then field changes — one undo step."""

    def __init__(self, doc: ReportDocument, changes: list[FieldChange], text: str,
                 inserts: list[tuple[str, int]] = ()) -> None:
        super().__init__(text)
        self.doc = doc
        self.inserts = list(inserts)
        self.changes = list(changes)
        self.olds: list[Any] = []

    def redo(self) -> None:
        report = self.doc.report
        for list_path, index in self.inserts:
            model.insert_item(report, list_path, index, model.new_item(list_path))
        self.olds = []
        for ch in self.changes:
            self.olds.append(copy.deepcopy(_get_or_none(report, ch.path)))
            model.set_value(report, ch.path, ch.new)
        self.doc._notify(self._paths())

    def undo(self) -> None:
        report = self.doc.report
        for ch, old in zip(reversed(self.changes), reversed(self.olds)):
            model.set_value(report, ch.path, old)
        for list_path, index in reversed(self.inserts):
            model.remove_item(report, list_path, index)
        self.doc._notify(self._paths())

    def _paths(self) -> list[str]:
        return [lp for lp, _ in self.inserts] + [ch.path for ch in self.changes]


def _get_or_none(report, path: str):
    try:
        return model.get_value(report, path)
    except KeyError:
        return None


def _same(a: Any, b: Any) -> bool:
    """Equal including the typed decimals (Decimal('4') vs Decimal('4.00') differ)."""
    if type(a) is not type(b):
        return False
    return str(a) == str(b) if a is not None and not isinstance(a, (list, dict)) else a == b
