"""Atomic file writing: temporary file in the same folder, flush + fsync, os.replace.

Shared by project files, autosave, Word and Excel export. Errors become :class:`WriteError`
with a Chinese message saying what went wrong and where; the target is never half-written.
"""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Callable


class WriteError(OSError):
    """A file could not be written; ``str()`` is a Chinese message naming the file."""


def describe_os_error(exc: OSError, path: Path | str, action: str = "写入") -> str:
    where = f"“{path}”"
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC:
        return f"无法{action}{where}：磁盘空间已满。请清理磁盘或换一个位置保存。"
    if code in (errno.EACCES, errno.EPERM):
        return (f"无法{action}{where}：没有写入权限，或文件正被 Word/WPS 等程序打开。"
                "请关闭该文件，或换一个文件夹保存。")
    if code == errno.EROFS:
        return f"无法{action}{where}：所在位置是只读的。请换一个文件夹保存。"
    if code == errno.ENOENT:
        return f"无法{action}{where}：文件夹不存在。"
    if code == errno.EISDIR:
        return f"无法{action}{where}：这是一个文件夹，不是文件。"
    return f"无法{action}{where}：{exc.strerror or exc}"


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


STALE_SECONDS = 300


def remove_stale_temps(target: Path) -> None:
    """Delete temporary files a killed earlier write of ``target`` left behind (older than 5 min)."""
    import time

    folder = target.parent if str(target.parent) else Path(".")
    now = time.time()
    try:
        candidates = list(folder.glob(f".{target.name}.*.tmp")) + [target.with_name(target.name + ".bak.tmp")]
    except OSError:
        return
    for candidate in candidates:
        try:
            if now - candidate.stat().st_mtime > STALE_SECONDS:
                candidate.unlink()
        except OSError:
            pass


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)          # no /proc: read it by setting it (and put it back at once)
    os.umask(mask)
    return mask


def _set_mode(fd: int, target: Path) -> None:
    """mkstemp makes 0600 files: give the new file the replaced file's permissions, or for a new
    file what the officer's umask gives any document (0644 usually), so a colleague on a shared
    folder can still open the exported report."""
    if os.name == "nt" or not hasattr(os, "fchmod"):
        return
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    try:
        os.fchmod(fd, mode)
    except OSError:
        pass


def atomic_write(path: Path | str, write: Callable[[object], None], *, binary: bool = True) -> None:
    """Call ``write(fileobj)`` on a temporary file next to ``path``, then swap it in."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_temps(target)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as fh:
            write(fh)
            fh.flush()
            _set_mode(fh.fileno(), target)
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(folder)
    except OSError as exc:
        raise WriteError(describe_os_error(exc, target)) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    atomic_write(path, lambda fh: fh.write(data))
