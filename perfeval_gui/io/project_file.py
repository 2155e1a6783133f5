"""Project files (.pefx): UTF-8 JSON with a format version; atomic save with a .bak copy.

Layout (see docs/project-format.md)::

    {"format": "perfeval-project", "version": "1.0", "app_version": "0.1.0",
     "saved_at": "2026-11-23T10:00:00", "report": {...}}

Loading never modifies the file. Any problem raises :class:`ProjectFileError` whose message is
Chinese and names the file and, where it applies, the field.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.model import Report
from ..core.serialize import ReportDataError, report_from_data, report_to_data
from .atomic import WriteError, atomic_write_bytes, describe_os_error

FORMAT_NAME = "perfeval-project"
FORMAT_MAJOR = 1
FORMAT_MINOR = 1       # 1.1: the submission forms (dept_form, basic_data, projects[].form, projects[].category)
FORMAT_VERSION = f"{FORMAT_MAJOR}.{FORMAT_MINOR}"
EXTENSION = ".pefx"
MAX_FILE_BYTES = 50 * 1024 * 1024
ENVELOPE_ATTR = "_envelope_extra"


class ProjectFileError(Exception):
    """A project file cannot be read; ``str()`` is the Chinese message for the officer."""


@dataclass(frozen=True)
class Fingerprint:
    """What the file looked like when read: to refuse saving over someone else's change."""
    size: int
    mtime_ns: int


def fingerprint(path: Path | str) -> Fingerprint | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return Fingerprint(st.st_size, st.st_mtime_ns)


def _parse_version(text: Any, path: Path) -> tuple[int, int]:
    if not isinstance(text, str):
        raise ProjectFileError(f"“{path.name}”缺少格式版本号，不是本程序的项目文件。")
    try:
        major, _, minor = text.partition(".")
        return int(major), int(minor or 0)
    except ValueError:
        raise ProjectFileError(f"“{path.name}”的格式版本号“{text}”无法识别。") from None


# step-by-step migrations: MIGRATIONS[(major)] upgrades data of that major to major+1
MIGRATIONS: dict[int, Any] = {}


def _from_1_0(data: dict) -> dict:
    """1.0 → 1.1: the blocks of the submission forms are new and start empty; no figure moves (the
    forms read the report's own fields), so a 1.0 report opens with every value it had."""
    return data


# within the current major: MINOR_MIGRATIONS[minor] upgrades data of FORMAT_MAJOR.minor to minor+1
MINOR_MIGRATIONS: dict[int, Any] = {0: _from_1_0}


def data_to_report(data: Any, path: Path) -> Report:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ProjectFileError(f"“{path.name}”不是本程序的项目文件（缺少 format 标记）。")
    major, _minor = _parse_version(data.get("version"), path)
    if major > FORMAT_MAJOR:
        raise ProjectFileError(
            f"“{path.name}”由更新版本的程序保存（格式 {data.get('version')}），"
            f"本程序只能读取格式 {FORMAT_MAJOR}.x。请升级程序后再打开。")
    while major < FORMAT_MAJOR:
        if major not in MIGRATIONS:
            raise ProjectFileError(f"“{path.name}”的格式版本 {data.get('version')} 过旧，无法升级。")
        data = MIGRATIONS[major](data)
        major += 1
        _minor = 0
    while major == FORMAT_MAJOR and _minor < FORMAT_MINOR:
        data = MINOR_MIGRATIONS[_minor](data)
        _minor += 1
    try:
        report = report_from_data(data.get("report"))
    except ReportDataError as exc:
        raise ProjectFileError(f"“{path.name}”内容有误：{exc}") from None
    extra = {k: v for k, v in data.items()
             if k not in ("format", "version", "app_version", "saved_at", "report")}
    if extra:
        setattr(report, ENVELOPE_ATTR, extra)
    return report


def load_project(path: Path | str) -> Report:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ProjectFileError(
                f"“{path.name}”有 {size // (1024 * 1024)} MB，远大于任何报告，不是本程序的项目文件。")
        raw = path.read_bytes()
    except ProjectFileError:
        raise
    except OSError as exc:
        raise ProjectFileError(describe_os_error(exc, path, "读取")) from None
    if not raw.strip():
        raise ProjectFileError(f"“{path.name}”是空文件。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectFileError(f"“{path.name}”不是 UTF-8 文本（第 {exc.start} 字节处），不是本程序的项目文件。") from None
    try:
        data = json.loads(text, parse_float=str, parse_int=_bounded_int,
                          parse_constant=_reject_constant)
    except RecursionError:
        raise ProjectFileError(f"“{path.name}”嵌套层数过深，不是本程序的项目文件。") from None
    except (json.JSONDecodeError, ValueError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise ProjectFileError(
                f"“{path.name}”已损坏或不完整（第 {exc.lineno} 行第 {exc.colno} 列：无法解析）。"
                "可以尝试打开同一文件夹中的备份“.bak”文件。") from None
        raise ProjectFileError(f"“{path.name}”内容有误：{exc}") from None
    return data_to_report(data, path)


def _bounded_int(text: str) -> int:
    if len(text) > 20:
        raise ValueError(f"数字“{text[:20]}…”位数过多")
    return int(text)


def _reject_constant(name: str):
    raise ValueError(f"不允许的数值 {name}")


def report_to_bytes(report: Report) -> bytes:
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "saved_at": datetime.now().isoformat(timespec="seconds"),
    }
    extra = getattr(report, ENVELOPE_ATTR, None)
    if extra:
        for key, value in extra.items():
            data.setdefault(key, value)
    data["report"] = report_to_data(report)
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def save_project(report: Report, path: Path | str, *, keep_backup: bool = True) -> None:
    """Atomically write ``report`` to ``path``; the previous file is kept as ``path.bak``.

    Raises :class:`WriteError` (Chinese message) and leaves both files as they were.
    """
    path = Path(path)
    payload = report_to_bytes(report)
    if keep_backup and path.exists():
        backup = path.with_name(path.name + ".bak")
        tmp = backup.with_name(backup.name + ".tmp")
        try:
            shutil.copyfile(path, tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, backup)
        except OSError as exc:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise WriteError(describe_os_error(exc, backup)) from exc
    atomic_write_bytes(path, payload)
