"""Per-user folders: settings, recent files, autosave recovery (PERFEVAL_DATA_DIR overrides)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths


def user_data_dir() -> Path:
    env = os.environ.get("PERFEVAL_DATA_DIR")
    if env:
        folder = Path(env)
    else:
        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        folder = Path(location) if location else Path.home() / ".perfeval_gui"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    return folder


def recovery_dir() -> Path:
    folder = user_data_dir() / "recovery"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    return folder


def log_path() -> Path:
    """The program's log (unexpected errors with their traceback), shown in error dialogs."""
    return user_data_dir() / "perfeval.log"


def settings() -> QSettings:
    """Settings in an INI file under the user data dir (never the registry)."""
    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)
