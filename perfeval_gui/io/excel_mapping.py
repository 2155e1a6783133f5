"""Remembered custom mappings (mapping step of the import window), one per header fingerprint.

Stored as JSON ``excel_mappings.json`` in the user data folder the caller passes in
(the GUI resolves PERFEVAL_DATA_DIR / QStandardPaths). No Qt here.
"""
from __future__ import annotations

import json
from pathlib import Path

from .atomic import atomic_write_bytes

FILE_NAME = "excel_mappings.json"
MAX_ENTRIES = 200


def _load_all(folder: Path | str) -> dict:
    try:
        data = json.loads((Path(folder) / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_mapping(folder: Path | str, fingerprint: str) -> dict | None:
    entry = _load_all(folder).get(fingerprint)
    if not isinstance(entry, dict) or not isinstance(entry.get("cells"), dict):
        return None
    return entry


def save_mapping(folder: Path | str, fingerprint: str, mapping: dict) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = _load_all(folder)
    data.pop(fingerprint, None)
    data[fingerprint] = mapping
    while len(data) > MAX_ENTRIES:
        data.pop(next(iter(data)))
    atomic_write_bytes(folder / FILE_NAME, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
