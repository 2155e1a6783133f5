"""ReportDocument: the open report, its undo stack and its checker — the ONE edit path.

Every change goes through an undo command (gui/commands.py) that calls the raw core.model
setter, then :meth:`_notify`: ``checker.recheck(paths)`` runs synchronously and
``findings_changed`` is emitted before control returns to the event loop.
"""
from __future__ import annotations

import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid
from PySide6.QtGui import QUndoStack

from ..core import model
from ..core.edits import FieldChange, needed_inserts
from ..core.findings import Finding, Summary
from ..core.model import Report
from . import commands


class ReportDocument(QObject):
    changed = Signal(object)          # list of changed field paths; ["*"] = everything (object: passed by reference)
    findings_changed = Signal(object)   # list[Finding] (object: never converted to a QVariantList per receiver)
    dirty_changed = Signal(bool)

    def __init__(self, report: Report | None = None, path: Path | None = None,
                 is_sample: bool = False, parent: QObject | None = None, *,
                 defer_check: bool = False) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.report: Report = report or Report()
        self.path: Path | None = Path(path) if path else None
        self.is_sample = is_sample
        self._fingerprint = None          # io.project_file.Fingerprint of the file as read or last written
        self._fingerprint_of: bytes | None = None
        self.merge_epoch = 0
        self.edit_origin: object | None = None   # the widget whose keystroke caused the change
        self._forced_dirty = False
        self._checker = None
        # bound editors indexed by every ancestor-or-self of their paths (watch_paths): a change reaches
        # the editors it concerns without asking each of the thousands of others (issue 21, item 11)
        self._watchers: dict[str, dict[int, weakref.ref]] = {}
        self._watched: dict[int, tuple[str, ...]] = {}
        self.changed.connect(self._dispatch)
        if not defer_check:      # app start-up defers it until the window is on screen
            self.checker

    # ------------------------------------------------------------ state
    @property
    def fingerprint(self):
        """What the file held when read or last written (None: no file), to refuse saving over another's change."""
        if self._fingerprint_of is not None:
            from ..io.project_file import fingerprint_bytes
            self._fingerprint, self._fingerprint_of = fingerprint_bytes(self._fingerprint_of), None
        return self._fingerprint

    @fingerprint.setter
    def fingerprint(self, value) -> None:
        self._fingerprint, self._fingerprint_of = value, None

    def fingerprint_from(self, data: bytes) -> None:
        """The fingerprint of these bytes (the file as read), computed when first needed: start-up shows the
        report first (SHA-256 needs OpenSSL's module, 2 ms to load)."""
        self._fingerprint, self._fingerprint_of = None, bytes(data)

    @property
    def checker(self):
        """The rule engine, built (and a full check run) on first use; the rules are imported here."""
        if self._checker is None:
            from ..core.engine import Checker
            self._checker = Checker(self.report)
            self._checker.check_all()
        return self._checker

    @property
    def findings(self) -> list[Finding]:
        return self._checker.findings if self._checker is not None else []

    @property
    def summary(self) -> Summary:
        """The counts of ``findings`` (computed once per change; status bar, tab titles, panel, overview)."""
        return self._checker.summary() if self._checker is not None else Summary()

    def run_deferred_check(self) -> None:
        """Run the first full check (when it was deferred) and publish its findings."""
        if self._checker is None:
            self.findings_changed.emit(self.checker.findings)

    def is_dirty(self) -> bool:
        return self._forced_dirty or not self.undo_stack.isClean()

    def mark_dirty(self) -> None:
        """E.g. after restoring an autosave: the data differs from the file on disk."""
        was = self.is_dirty()
        self._forced_dirty = True
        if not was:
            self.dirty_changed.emit(True)

    def mark_clean(self) -> None:
        self._forced_dirty = False
        self.undo_stack.setClean()
        self.dirty_changed.emit(self.is_dirty())

    def _on_clean_changed(self, _clean: bool) -> None:
        self.dirty_changed.emit(self.is_dirty())

    def replace_report(self, report: Report, path: Path | None, is_sample: bool = False,
                       fingerprint=None) -> None:
        """New / open: a fresh report, empty undo history, full check, changed(["*"])."""
        self.undo_stack.clear()
        self.report = report
        self.path = Path(path) if path else None
        self.is_sample = is_sample
        self.fingerprint = fingerprint
        self._forced_dirty = False
        self.undo_stack.setClean()
        self._checker = None
        self.checker
        self.changed.emit(["*"])
        self.findings_changed.emit(self.checker.findings)
        self.dirty_changed.emit(self.is_dirty())

    def shutdown(self) -> None:
        """Disconnect and clear the undo stack before widgets go (PySide6 crash otherwise)."""
        if getattr(self, "_shut_down", False):
            return
        self._shut_down = True
        try:
            self.undo_stack.cleanChanged.disconnect(self._on_clean_changed)
        except (RuntimeError, TypeError):
            pass
        self.undo_stack.blockSignals(True)
        self.undo_stack.clear()

    # ------------------------------------------------------------ the edit path
    def get(self, path: str, default: Any = None) -> Any:
        try:
            return model.get_value(self.report, path)
        except KeyError:
            return default

    def break_merge(self) -> None:
        """Start a new undo step for the next edit even if it is the same field."""
        self.merge_epoch += 1

    def set_value(self, path: str, value: Any, origin: object | None = None) -> bool:
        old = self.get(path)
        if commands._same(old, value) or (old in (None, "") and value in (None, "")
                                           and path.startswith(("narrative[", "headings[", "prior_year["))):
            return False
        self.edit_origin = origin
        try:
            self.undo_stack.push(commands.SetValueCommand(self, path, value, old))
        finally:
            self.edit_origin = None
        return True

    def insert_item(self, list_path: str, index: int, item: Any = None) -> None:
        if item is None:
            item = model.new_item(list_path)
        self.break_merge()
        self.undo_stack.push(commands.InsertItemCommand(self, list_path, index, item))

    def remove_item(self, list_path: str, index: int) -> None:
        self.break_merge()
        self.undo_stack.push(commands.RemoveItemCommand(self, list_path, index))

    def move_item(self, list_path: str, index: int, new_index: int) -> None:
        self.break_merge()
        self.undo_stack.push(commands.MoveItemCommand(self, list_path, index, new_index))

    def apply_changes(self, changes: list[FieldChange], text: str,
                      inserts: list[tuple[str, int]] = ()) -> None:
        """A batch (Excel import, paste) as ONE undo step; ``inserts`` (list path, index) run first."""
        if not changes and not inserts:
            return
        changes = list(changes)
        inserts = list(inserts) + self._needed_inserts(changes, list(inserts))
        self._dry_run(changes, inserts)
        self.break_merge()
        self.undo_stack.push(commands.ApplyChangesCommand(self, changes, text, inserts))

    def _needed_inserts(self, changes: list[FieldChange], planned: list[tuple[str, int]]) -> list[tuple[str, int]]:
        return needed_inserts(self.report, changes, planned)

    def _dry_run(self, changes: list[FieldChange], inserts: list[tuple[str, int]]) -> None:
        """Refuse a batch that cannot be applied completely (ValueError, Chinese) before touching the report."""
        trial = self.report.clone()
        try:
            for list_path, index in inserts:
                model.insert_item(trial, list_path, index, model.new_item(list_path))
            for ch in changes:
                model.set_value(trial, ch.path, ch.new)
        except (KeyError, IndexError, TypeError) as exc:
            raise ValueError(f"无法应用修改：字段“{getattr(ch, 'path', '')}”不存在（{exc}）。") from None

    # ------------------------------------------------------------ bound editors
    def watch(self, editor: Any, paths: Iterable[str]) -> None:
        """``editor.on_paths_changed(changed)`` is called when a change concerns one of ``paths``
        (the path itself, or an ancestor of it, was changed); replaces what was watched before."""
        self.unwatch(editor)
        keys = tuple(dict.fromkeys(k for p in paths for k in path_prefixes(p)))
        ident = id(editor)
        ref = weakref.ref(editor)
        for k in keys:
            self._watchers.setdefault(k, {})[ident] = ref
        if ident not in self._watched and isinstance(editor, QObject):
            editor.destroyed.connect(lambda *_: self._forget(ident))
        self._watched[ident] = keys

    def unwatch(self, editor: Any) -> None:
        self._forget(id(editor), keep_entry=True)

    def _forget(self, ident: int, keep_entry: bool = False) -> None:
        for k in self._watched.get(ident, ()):
            group = self._watchers.get(k)
            if group is not None:
                group.pop(ident, None)
                if not group:
                    del self._watchers[k]
        if keep_entry:
            if ident in self._watched:
                self._watched[ident] = ()
        else:
            self._watched.pop(ident, None)

    def _dispatch(self, paths: list[str]) -> None:
        if any(p == "*" or p in EVERY_FIELD for p in paths):
            groups: Iterable[dict[int, weakref.ref]] = list(self._watchers.values())
        else:
            groups = [g for g in (self._watchers.get(p) for p in paths) if g]
        seen: set[int] = set()
        editors = []
        for group in groups:
            for ident, ref in list(group.items()):
                if ident in seen:
                    continue
                seen.add(ident)
                editor = ref()
                if editor is not None and isValid(editor):
                    editors.append(editor)
        for editor in editors:
            if editor is not self.edit_origin and isValid(editor):
                editor.on_paths_changed(paths)

    # ------------------------------------------------------------ notification
    def _notify(self, paths: list[str]) -> None:
        self.changed.emit(list(paths))
        self.checker.recheck(paths)
        self.findings_changed.emit(self.checker.findings)


EVERY_FIELD = ("meta.amount_decimals", "meta.template")   # a change here re-displays every field


def path_prefixes(path: str) -> list[str]:
    """The path and each of its ancestors: "projects[3].actual" → projects, projects[3], projects[3].actual.
    A dot or bracket inside a key ("narrative[三.一]") is not a boundary."""
    out: list[str] = []
    depth = 0
    for i, ch in enumerate(path):
        if ch == "[":
            if depth == 0 and i:
                out.append(path[:i])
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "." and depth == 0:
            out.append(path[:i])
    out.append(path)
    return out


def path_affects(changed: list[str], path: str) -> bool:
    """Does a change of ``changed`` paths concern the widget bound to ``path``?"""
    for p in changed:
        if p == "*" or p == path or path.startswith(p + "[") or path.startswith(p + "."):
            return True
        if p in EVERY_FIELD:
            return True
    return False
