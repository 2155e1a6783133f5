"""Autosave: every 60 s and when the application loses focus, a dirty report is written to
<user data dir>/recovery/<key>.pefx (+ .json sidecar) — never over the officer's own file."""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from ..io.atomic import WriteError, atomic_write_bytes
from ..io.project_file import save_project
from .document import ReportDocument
from .paths import recovery_dir

INTERVAL_MS = 60_000


def recovery_key(original: Path | None) -> str:
    if original is None:
        return "untitled"
    text = str(Path(original).resolve())
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def recovery_files(original: Path | None) -> tuple[Path, Path]:
    folder = recovery_dir()
    key = recovery_key(original)
    return folder / f"{key}.pefx", folder / f"{key}.json"


class Autosave(QObject):
    def __init__(self, doc: ReportDocument, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        self.last_error = ""
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._on_state)

    def _on_state(self, state) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.save_now()

    def stop(self) -> None:
        self.timer.stop()
        app = QGuiApplication.instance()
        if app is not None:
            try:
                app.applicationStateChanged.disconnect(self._on_state)
            except (RuntimeError, TypeError):
                pass

    def save_now(self) -> bool:
        """Write the recovery copy when the document has unsaved changes."""
        if not self.doc.is_dirty():
            return False
        original = None if self.doc.is_sample else self.doc.path
        data_file, sidecar = recovery_files(original)
        try:
            # the journal keeps every edit, even one the loader would refuse (it then names the field)
            save_project(self.doc.report, data_file, keep_backup=False, validate=False)
            info = {"original": str(original) if original else None,
                    "saved_at": datetime.now().isoformat(timespec="seconds"),
                    "is_sample": self.doc.is_sample}
            atomic_write_bytes(sidecar, json.dumps(info, ensure_ascii=False).encode("utf-8"))
        except Exception as exc:   # noqa: BLE001 - autosave must never take the window down
            self.last_error = str(exc) if isinstance(exc, WriteError) else f"{type(exc).__name__}: {exc}"
            import logging
            logging.getLogger("perfeval").exception("autosave failed")
            return False
        return True

    def discard(self, original: Path | None = "current") -> None:  # type: ignore[assignment]
        """Delete the recovery copy (after a successful save or a clean close)."""
        if original == "current":
            original = None if self.doc.is_sample else self.doc.path
        for f in recovery_files(original):
            try:
                f.unlink()
            except OSError:
                pass


def find_recoveries() -> list[dict]:
    """Recovery copies worth offering: newer than their original, or of an untitled report."""
    out = []
    for sidecar in sorted(recovery_dir().glob("*.json")):
        data_file = sidecar.with_suffix(".pefx")
        if not data_file.exists():
            continue
        try:
            info = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        original = info.get("original")
        if original:
            try:
                if os.stat(original).st_mtime >= data_file.stat().st_mtime:
                    continue
            except OSError:
                pass   # original gone: offer the copy
        info["file"] = data_file
        info["sidecar"] = sidecar
        out.append(info)
    return out
