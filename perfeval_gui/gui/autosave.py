"""Autosave: nothing the officer typed is lost in a crash, beyond the last few seconds.

Two files per report in <user data dir>/recovery/ (never over the officer's own file):
* ``<key>.pefx`` — a full copy (+ ``<key>.json`` sidecar: original path, time, sample flag),
  written at the first unsaved edit, every 60 s while edits go on, and when the program loses
  focus;
* ``<key>.journal`` — between two full copies, the edited fields as JSON lines
  ``{"t": time, "path": field path, "value": the field's value as stored in a .pefx}``, appended
  ``IDLE_MS`` after typing stops and at least every ``MAX_DELAY_MS`` while typing goes on. A
  keystroke costs nothing; a journal line costs a small append.

Recovery (:func:`load_recovery`) = the full copy with the journal replayed on its data.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from ..core import regex
from ..core import model
from ..core.serialize import to_data
from ..io.atomic import WriteError, atomic_write_bytes
from ..io.project_file import ProjectFileError, data_to_report, fingerprint, save_project, timestamp
from .document import ReportDocument
from .paths import recovery_dir

INTERVAL_MS = 60_000     # full copy (the journal is folded in)
IDLE_MS = 2_000          # journal written this long after the last keystroke …
MAX_DELAY_MS = 4_000     # … and at least this often while typing goes on
COMPACT_LINES = 2_000    # a longer journal is folded into a full copy at the next pause
_LONE_SURROGATE = regex.compile("[\ud800-\udfff]")


def recovery_key(original: Path | None) -> str:
    if original is None:
        return "untitled"
    text = str(Path(original).resolve())
    import hashlib
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def recovery_files(original: Path | None) -> tuple[Path, Path]:
    folder = recovery_dir()
    key = recovery_key(original)
    return folder / f"{key}.pefx", folder / f"{key}.json"


def journal_file(original: Path | None) -> Path:
    return recovery_dir() / f"{recovery_key(original)}.journal"


class Autosave(QObject):
    def __init__(self, doc: ReportDocument, interval_ms: int = INTERVAL_MS, parent: QObject | None = None,
                 idle_ms: int = IDLE_MS, max_delay_ms: int = MAX_DELAY_MS) -> None:
        super().__init__(parent)
        self.doc = doc
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._periodic)
        self.timer.start()
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_ms)
        self.idle.timeout.connect(self.flush)
        self.max_delay_s = max_delay_ms / 1000
        self.last_error = ""
        self._pending: dict[str, None] = {}     # changed paths, in order, not yet journaled
        self._pending_since = 0.0
        self._has_copy = False                  # a full copy of this report exists
        self._journal_lines = 0
        self._last_change = 0.0
        doc.changed.connect(self._on_changed)
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._on_state)

    # ------------------------------------------------------------ triggers
    def _on_changed(self, paths: list) -> None:
        if "*" in paths:                       # another report: start afresh
            self._pending.clear()
            self._has_copy = False
            self._journal_lines = 0
            self.idle.stop()
            return
        now = time.monotonic()
        self._last_change = now
        if not self._pending:
            self._pending_since = now
        for p in paths:
            self._pending[p] = None
        if now - self._pending_since >= self.max_delay_s:
            self.flush(typing=True)
        else:
            self.idle.start()

    def _on_state(self, state) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.save_now()

    def _periodic(self) -> None:
        """Fold a long journal into a full copy — only while the officer is not typing (a full
        copy of a large report takes a noticeable moment)."""
        if time.monotonic() - self._last_change < self.idle.interval() / 1000:
            return
        if self._journal_lines > COMPACT_LINES or (self._pending and not self._has_copy):
            self.save_now()
        elif self._pending:
            self.flush()

    def stop(self) -> None:
        if getattr(self, "_stopped", False):
            return
        self._stopped = True
        self.timer.stop()
        self.idle.stop()
        try:
            self.doc.changed.disconnect(self._on_changed)
        except (RuntimeError, TypeError):
            pass
        app = QGuiApplication.instance()
        if app is not None:
            try:
                app.applicationStateChanged.disconnect(self._on_state)
            except (RuntimeError, TypeError):
                pass

    # ------------------------------------------------------------ writing
    def _original(self) -> Path | None:
        return None if self.doc.is_sample else self.doc.path

    def _original_unchanged(self) -> bool:
        """The officer's own file is on disk as it was opened or last saved: the journal can
        start from it, no full copy needed."""
        path = self._original()
        if path is None or self.doc.fingerprint is None:
            return False
        try:
            return fingerprint(path) == self.doc.fingerprint
        except OSError:
            return False

    def flush(self, typing: bool = False) -> bool:
        """Journal the fields changed since the last write. The journal starts from the
        officer's unchanged file, else from a full copy (written when typing pauses)."""
        self.idle.stop()
        if not self._pending:
            return False
        if not self.doc.is_dirty():
            self._pending.clear()
            return False
        if not self._has_copy:
            if self._original_unchanged():
                if not self._start_from_original():
                    return False
            elif typing:
                self.idle.start()          # the full copy waits for a pause in typing
                return False
            else:
                return self.save_now()
        stamp = timestamp()
        lines = []
        for path in self._pending:
            try:
                value = to_data(model.get_value(self.doc.report, path))
            except (KeyError, IndexError, TypeError, ValueError):
                value = None
            line = json.dumps({"t": stamp, "path": path, "value": value}, ensure_ascii=False)
            # a lone surrogate the officer managed to type is journalled as a JSON escape (UTF-8 cannot hold it)
            lines.append(_LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line))
        try:
            with open(journal_file(self._original()), "a", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            self.last_error = str(exc)
            return self.save_now()
        self._pending.clear()
        self._journal_lines += len(lines)
        return True

    def _start_from_original(self) -> bool:
        original = self._original()
        data_file, sidecar = recovery_files(original)
        info = {"original": str(original), "saved_at": timestamp(),
                "is_sample": False, "base": "original"}
        try:
            for stale in (data_file, journal_file(original)):
                if stale.exists():
                    stale.unlink()
            atomic_write_bytes(sidecar, json.dumps(info, ensure_ascii=False).encode("utf-8"))
        except (WriteError, OSError) as exc:
            self.last_error = str(exc)
            return False
        self._has_copy = True
        self._journal_lines = 0
        return True

    def save_now(self) -> bool:
        """Write the full recovery copy when the document has unsaved changes; empties the journal."""
        self.idle.stop()
        if not self.doc.is_dirty():
            return False
        original = self._original()
        data_file, sidecar = recovery_files(original)
        try:
            # the journal keeps every edit, even one the loader would refuse (it then names the field)
            save_project(self.doc.report, data_file, keep_backup=False, validate=False)
            info = {"original": str(original) if original else None,
                    "saved_at": timestamp(),
                    "is_sample": self.doc.is_sample}
            atomic_write_bytes(sidecar, json.dumps(info, ensure_ascii=False).encode("utf-8"))
            journal = journal_file(original)
            if journal.exists():
                journal.unlink()
        except Exception as exc:   # noqa: BLE001 - autosave must never take the window down
            self.last_error = str(exc) if isinstance(exc, (WriteError, OSError)) else f"{type(exc).__name__}: {exc}"
            import logging
            logging.getLogger("perfeval").exception("autosave failed")
            return False
        self._pending.clear()
        self._has_copy = True
        self._journal_lines = 0
        return True

    def discard(self, original: Path | None = "current") -> None:  # type: ignore[assignment]
        """Delete the recovery copy (after a successful save or a clean close)."""
        if original == "current":
            original = self._original()
            self._pending.clear()
            self._has_copy = False
            self._journal_lines = 0
            self.idle.stop()
        for f in (*recovery_files(original), journal_file(original)):
            try:
                f.unlink()
            except OSError:
                pass


# ------------------------------------------------------------------ recovery
def find_recoveries() -> list[dict]:
    """Recovery entries worth offering: newer than their original, or of an untitled report.
    ``file`` is what the journal starts from: the full copy, or the officer's own file
    (``base`` "original"); ``copy``, ``sidecar`` and ``journal`` are ours to delete."""
    out = []
    for sidecar in sorted(recovery_dir().glob("*.json")):
        data_file = sidecar.with_suffix(".pefx")
        journal = sidecar.with_suffix(".journal")
        try:
            info = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        original = info.get("original")
        if data_file.exists():
            base = data_file
        elif info.get("base") == "original" and original and journal.exists() and Path(original).exists():
            base = Path(original)
        else:
            continue
        newest = data_file.stat().st_mtime if data_file.exists() else 0.0
        if journal.exists():
            newest = max(newest, journal.stat().st_mtime)
            last = _journal_entries(journal)[-1:]
            if last and last[0].get("t"):
                info["saved_at"] = last[0]["t"]
        if original:
            try:
                if os.stat(original).st_mtime >= newest:
                    continue
            except OSError:
                pass   # original gone: offer the copy
        info["file"] = base
        info["copy"] = data_file
        info["sidecar"] = sidecar
        info["journal"] = journal
        out.append(info)
    return out


def _journal_entries(journal: Path) -> list[dict]:
    """The complete lines of a journal (a line cut by the crash is ignored)."""
    entries = []
    try:
        text = journal.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return entries
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            entries.append(entry)
    return entries


def _put(data: dict, path: str, value) -> None:
    """Set ``path`` in the report's JSON data (as a .pefx stores it)."""
    parts = model.split_path(path)
    node = data
    for part in parts[:-1]:
        node = node[part]
    last = parts[-1]
    if isinstance(node, dict) and value is None and last in node and not isinstance(last, int) \
            and parts[0] in ("narrative", "headings", "prior_year", "acknowledged"):
        del node[last]
    elif isinstance(node, list):
        node[last] = value
    else:
        node[last] = value


def load_recovery(info: dict):
    """The report of a recovery entry: the full copy with its journal replayed.
    Raises ProjectFileError when the copy cannot be read."""
    data_file = Path(info["file"])
    try:
        data = json.loads(data_file.read_text(encoding="utf-8"), parse_float=str)
    except (OSError, ValueError) as exc:
        raise ProjectFileError(f"自动保存的副本“{data_file.name}”无法读取：{exc}") from None
    base = json.loads(json.dumps(data))
    journal = info.get("journal")
    for entry in _journal_entries(Path(journal)) if journal else []:
        try:
            _put(data["report"], entry["path"], entry.get("value"))
        except (KeyError, IndexError, TypeError, ValueError):
            continue
    try:
        return data_to_report(data, data_file)
    except ProjectFileError:
        return data_to_report(base, data_file)     # the journal does not fit: the full copy


def remove_recovery(info: dict) -> None:
    """Delete our recovery files of an entry — never the officer's own file (``file`` may be it)."""
    for key in ("copy", "sidecar", "journal"):
        f = info.get(key)
        if f:
            try:
                Path(f).unlink()
            except OSError:
                pass


def _leaves(value, prefix: list, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _leaves(v, prefix + [k], out)
    elif isinstance(value, list) and value and isinstance(value[0], (dict, list)):
        for i, v in enumerate(value):
            _leaves(v, prefix + [i], out)
    else:
        out[model.join_path(prefix)] = value


def changed_sections(before, after) -> list[tuple[str, int]]:
    """Where ``after`` differs from ``before``: [(section heading, number of fields)], in
    report order; ``before`` None → every filled field of ``after``."""
    from ..core.serialize import report_to_data
    from ..core.template import APPENDIX_ID, APPENDIX_TITLE, get_template, numbered_heading, section_of_path
    old: dict = {}
    new: dict = {}
    if before is not None:
        _leaves(report_to_data(before), [], old)
    _leaves(report_to_data(after), [], new)
    template_id = after.meta.template
    counts: dict[str, int] = {}
    for path in set(old) | set(new):
        if old.get(path) != new.get(path) and (before is not None or new.get(path) not in (None, "", [], {})):
            try:
                section = section_of_path(path, template_id)
            except Exception:   # an unknown path still counts, under the first section
                section = ""
            counts[section] = counts.get(section, 0) + 1
    template = get_template(template_id)
    titles = {s.id: numbered_heading(s) for s in template.sections}
    titles[APPENDIX_ID] = APPENDIX_TITLE
    order = [s.id for s in template.sections] + [APPENDIX_ID]
    out = [(titles.get(k, "其他"), counts[k]) for k in order if k in counts]
    out += [("其他", n) for k, n in counts.items() if k not in order]
    return out
