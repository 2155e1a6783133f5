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
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.model import Report
from ..core.records import record
from ..core.serialize import ReportDataError, report_from_data, report_to_data, validate_report
from .atomic import WriteError, atomic_write_bytes, describe_os_error, folder_lock, sibling_name

FORMAT_NAME = "perfeval-project"
FORMAT_MAJOR = 1
FORMAT_MINOR = 1       # 1.1: the submission forms (dept_form, basic_data, projects[].form, projects[].category)
FORMAT_VERSION = f"{FORMAT_MAJOR}.{FORMAT_MINOR}"
EXTENSION = ".pefx"
MAX_FILE_BYTES = 50 * 1024 * 1024
ENVELOPE_ATTR = "_envelope_extra"


def timestamp() -> str:
    """The local time to the second, as project files and recovery copies record it."""
    return datetime.now().isoformat(timespec="seconds")


class ProjectFileError(Exception):
    """A project file cannot be read; ``str()`` is the Chinese message for the officer."""


class ConflictError(WriteError):
    """The file changed on disk since it was read (another program saved it): nothing was written."""


@record(frozen=True)
class Fingerprint:
    """What the file held when read (SHA-256 of its bytes): to refuse saving over someone else's
    change, even one that keeps the size and the modification time."""
    size: int
    sha256: str


def fingerprint_bytes(data: bytes) -> Fingerprint:
    import hashlib      # OpenSSL's module takes 2 ms to load: not before the first findings (issue 21)
    return Fingerprint(len(data), hashlib.sha256(data).hexdigest())


def fingerprint(path: Path | str) -> Fingerprint | None:
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
            return None
        with open(path, "rb") as fh:
            return fingerprint_bytes(fh.read(MAX_FILE_BYTES + 1))
    except OSError:
        return None


def backup_path(path: Path | str) -> Path:
    """Where save_project keeps the previous version: ``name.bak`` (shortened to fit 255 bytes)."""
    return sibling_name(Path(path), ".bak")


def _parse_version(text: Any, path: Path) -> tuple[int, int]:
    if not isinstance(text, str):
        raise ProjectFileError(f"“{path.name}”缺少格式版本号，不是本程序的项目文件。")
    major, _, minor = text.partition(".")
    if not (major.isascii() and major.isdigit() and len(major) <= 4
            and (not minor or (minor.isascii() and minor.isdigit() and len(minor) <= 4))):
        shown = text if len(text) <= 12 else text[:12] + "…"
        raise ProjectFileError(f"“{path.name}”的格式版本号“{shown}”无法识别。")
    return int(major), int(minor or 0)


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


def read_regular_file(path: Path, limit: int, what: str = "项目文件") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; FIFOs, devices and folders are refused
    before they are opened for reading (a FIFO would block, /dev/zero never ends)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ProjectFileError(describe_os_error(exc, path, "读取")) from None
    if stat.S_ISDIR(st.st_mode):
        raise ProjectFileError(f"“{path}”是一个文件夹，不是{what}。")
    if not stat.S_ISREG(st.st_mode):
        raise ProjectFileError(f"“{path}”不是普通文件（是设备、管道或套接字），不是{what}，已拒绝读取。")
    if st.st_size > limit:
        raise ProjectFileError(
            f"“{path.name}”有 {st.st_size // (1024 * 1024)} MB，超过上限 {limit // (1024 * 1024)} MB，"
            f"不是本程序的{what}。")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):     # swapped after the stat above
                raise ProjectFileError(f"“{path}”不是普通文件，已拒绝读取。")
            raw = fh.read(limit + 1)
    except ProjectFileError:
        raise
    except OSError as exc:
        raise ProjectFileError(describe_os_error(exc, path, "读取")) from None
    if len(raw) > limit:
        raise ProjectFileError(f"“{path.name}”超过上限 {limit // (1024 * 1024)} MB，不是本程序的{what}。")
    return raw


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            shown = key if len(key) <= 40 else key[:40] + "…"
            raise ValueError(f"键“{shown}”在同一个对象中出现了两次（文件被手工改动过或已损坏）")
        out[key] = value
    return out


def parse_project_text(raw: bytes | str, path: Path, *, limit: int = MAX_FILE_BYTES) -> Report:
    """A report from the text of a project file (a .pefx, or the payload embedded in a .docx)."""
    if isinstance(raw, bytes):
        if not raw.strip():
            raise ProjectFileError(f"“{path.name}”是空文件。")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProjectFileError(
                f"“{path.name}”不是 UTF-8 文本（第 {exc.start} 字节处），不是本程序的项目文件。") from None
    else:
        text = raw
    if len(text) > limit:
        raise ProjectFileError(f"“{path.name}”的报告数据超过上限 {limit // (1024 * 1024)} MB。")
    try:
        data = json.loads(text, parse_float=str, parse_int=_bounded_int,
                          parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except RecursionError:
        raise ProjectFileError(f"“{path.name}”嵌套层数过深，不是本程序的项目文件。") from None
    except (json.JSONDecodeError, ValueError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise ProjectFileError(
                f"“{path.name}”已损坏或不完整（第 {exc.lineno} 行第 {exc.colno} 列：无法解析）。"
                "可以尝试打开同一文件夹中的备份“.bak”文件。") from None
        raise ProjectFileError(f"“{path.name}”内容有误：{exc}") from None
    return data_to_report(data, path)


def load_project(path: Path | str) -> Report:
    return read_project(path)[0]


def read_project(path: Path | str) -> tuple[Report, bytes]:
    """The report and the bytes it was read from (for its fingerprint: what exactly was read)."""
    path = Path(path)
    raw = read_regular_file(path, MAX_FILE_BYTES)
    return parse_project_text(raw, path), raw


def _bounded_int(text: str) -> int:
    if len(text) > 20:
        raise ValueError(f"数字“{text[:20]}…”位数过多")
    return int(text)


def _reject_constant(name: str):
    raise ValueError(f"不允许的数值 {name}")


def report_to_bytes(report: Report, *, validate: bool = True) -> bytes:
    """The file content; raises ReportDataError (naming the field) for what the loader would refuse.

    ``validate=False`` (the recovery journal only): write whatever the model holds, text escaped so
    that even a lone surrogate is kept — the edits are never lost, the loader names the bad field."""
    if validate:
        validate_report(report)
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "saved_at": timestamp(),
    }
    extra = getattr(report, ENVELOPE_ATTR, None)
    if extra:
        for key, value in extra.items():
            data.setdefault(key, value)
    data["report"] = report_to_data(report)
    payload = json.dumps(data, ensure_ascii=not validate, indent=1).encode("utf-8")
    if validate and len(payload) > MAX_FILE_BYTES:
        raise ReportDataError(f"报告数据有 {len(payload) // (1024 * 1024)} MB，超过项目文件的上限 "
                              f"{MAX_FILE_BYTES // (1024 * 1024)} MB")
    return payload


def save_project(report: Report, path: Path | str, *, keep_backup: bool = True,
                 expected: Fingerprint | None = None, validate: bool = True) -> Fingerprint:
    """Atomically write ``report`` to ``path``; the previous file is kept as ``path.bak`` (with the
    previous file's permissions). Returns the fingerprint of what was written.

    ``expected``: the fingerprint the file had when it was read; when the file now holds something
    else (another program saved it meanwhile), :class:`ConflictError` is raised and nothing is
    written. Saves into one folder are serialised between our processes, so of two concurrent saves
    with the same ``expected`` one succeeds and the other is told.

    Raises :class:`WriteError` (Chinese message naming the file and the cause) and leaves both files
    as they were.
    """
    path = Path(path)
    try:
        try:
            payload = report_to_bytes(report, validate=validate)
        except RecursionError:
            raise ReportDataError("报告数据嵌套层数过深") from None
    except ReportDataError as exc:
        raise WriteError(f"无法保存“{path}”：{exc}。请改正后再保存（文件未改动）。") from None
    folder = path.parent if str(path.parent) else Path(".")
    with folder_lock(folder, path):
        if expected is not None:
            current = fingerprint(path)
            if current is not None and current != expected:
                raise ConflictError(
                    f"无法保存“{path}”：它在打开之后被其他程序修改或保存过，覆盖会丢失那些修改。"
                    "请另存为一个新文件，或重新打开它。")
        if keep_backup and path.exists():
            try:
                old = read_regular_file(path, MAX_FILE_BYTES * 2, "可备份的文件")
            except ProjectFileError as exc:
                raise WriteError(f"无法保存：先备份原文件时出错——{exc}") from None
            atomic_write_bytes(backup_path(path), old, mode_from=path)
        atomic_write_bytes(path, payload)
    return fingerprint_bytes(payload)
