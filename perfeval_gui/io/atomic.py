"""Atomic file writing: temporary file in the same folder, flush + fsync, os.replace.

Shared by project files, autosave, Word and Excel export. Errors become :class:`WriteError`
with a Chinese message saying what went wrong and where; the target is never half-written.
"""
from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Callable


class WriteError(OSError):
    """A file could not be written; ``str()`` is a Chinese message naming the file."""


_CAUSES = {
    errno.ENOSPC: "磁盘空间已满。请清理磁盘或换一个位置保存",
    errno.EDQUOT: "磁盘配额已用完。请清理文件或换一个位置保存",
    errno.EROFS: "所在位置是只读的。请换一个文件夹保存",
    errno.ENOTDIR: "路径中的某一部分不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENAMETOOLONG: "文件名或路径过长。请缩短文件名（最多 255 字节，约 85 个汉字）",
    errno.ELOOP: "路径中的符号链接过多或形成循环",
    errno.EEXIST: "同名文件已存在",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ETXTBSY: "文件正被其他程序占用",
    errno.EIO: "磁盘读写出错（输入/输出错误），请检查磁盘或U盘",
    errno.EMFILE: "程序打开的文件过多",
    errno.ENFILE: "系统打开的文件过多",
    errno.EFBIG: "文件过大，超出该磁盘允许的大小",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.EAGAIN: "文件暂时无法访问，请稍后再试",
    errno.ENXIO: "这是设备或管道，不是普通文件",
    errno.EINVAL: "文件名含有该磁盘不允许的字符",
}


def describe_os_error(exc: OSError, path: Path | str, action: str = "写入") -> str:
    """A Chinese sentence naming the file and the real cause of ``exc`` (never English text)."""
    where = f"“{path}”"
    code = getattr(exc, "errno", None)
    if code in (errno.EACCES, errno.EPERM):
        if action == "读取":
            return f"无法{action}{where}：没有读取权限。请检查文件的权限设置。"
        return (f"无法{action}{where}：没有写入权限，或文件正被 Word/WPS 等程序打开。"
                "请关闭该文件，或换一个文件夹保存。")
    cause = _CAUSES.get(code)
    if code == errno.ENOENT:       # writing: the folder is gone; reading: the file (or its folder)
        cause = ("所在的文件夹不存在（可能已被移动、改名或删除）" if action == "写入"
                 else "找不到该文件（可能已被移动、改名或删除）")
    if cause is None:
        name = errno.errorcode.get(code, "") if code else ""
        cause = f"系统错误{f'（{name}）' if name else ''}"
    return f"无法{action}{where}：{cause}。"


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


STALE_SECONDS = 300          # temp files of the old naming (no writer pid): removed after 5 minutes
ORPHAN_SECONDS = 3600        # a temp file of a live pid this old belongs to a reused pid
DEAD_GRACE_SECONDS = 60      # a temp file of another machine (shared folder): removed once this old
NAME_MAX = 255               # bytes of one file name (ext4, xfs, btrfs, NTFS in UTF-16 units)
_TEMP_OVERHEAD = 30          # "." + "~" + host tag + "-" + pid + "." + 8 random + ".tmp"


def _host_tag() -> str:
    """4 hex digits of this machine's name: a pid is only probed for temp files of this machine."""
    import socket
    import zlib
    try:
        host = socket.gethostname()
    except OSError:
        host = ""
    return f"{zlib.crc32(host.encode('utf-8', 'replace')) & 0xFFFF:04x}"


def _writer_tag() -> str:
    return f"{_host_tag()}-{os.getpid()}"


def _fit(name: str, budget: int) -> str:
    """``name`` cut to at most ``budget`` UTF-8 bytes at a character boundary."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) <= budget:
        return name
    return raw[:budget].decode("utf-8", "ignore")


def sibling_name(path: Path, suffix: str) -> Path:
    """``path`` + ``suffix`` (e.g. ".bak"), the name shortened so it still fits in NAME_MAX bytes."""
    return path.with_name(_fit(path.name, NAME_MAX - len(suffix.encode())) + suffix)


def _temp_prefix(target: Path) -> str:
    return "." + _fit(target.name, NAME_MAX - _TEMP_OVERHEAD) + "~"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":      # os.kill(pid, 0) would send CTRL_C_EVENT there: no probe, age decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_temps(target: Path) -> None:
    """Delete temporary files that an earlier write of ``target`` left behind: those whose writer
    process is gone (the pid is in the name), and old-style ones older than 5 minutes."""
    import glob
    import time

    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    now = time.time()
    try:
        ours = glob.glob(glob.escape(str(folder / _temp_prefix(target))) + "*.tmp")
        old_style = glob.glob(glob.escape(str(folder / f".{target.name}.")) + "*.tmp")
        old_style.append(str(target.with_name(target.name + ".bak.tmp")))
    except (OSError, ValueError):
        return
    for candidate in ours:
        writer = candidate[len(str(folder / _temp_prefix(target))):].split(".", 1)[0]
        host, _, pid_text = writer.rpartition("-")
        try:
            st = os.lstat(candidate)
            age = now - st.st_mtime
            limit = STALE_SECONDS if os.name == "nt" else ORPHAN_SECONDS
            if host == _host_tag():        # written on this machine: gone as soon as its pid is gone
                dead = not pid_text.isdigit() or not _pid_alive(int(pid_text))
            else:                          # another machine on a shared folder: give it a minute
                dead = age > DEAD_GRACE_SECONDS
            if dead or age > limit:
                os.unlink(candidate)
        except (OSError, ValueError):
            pass
    for candidate in old_style:
        try:
            if now - os.lstat(candidate).st_mtime > STALE_SECONDS:
                os.unlink(candidate)
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


def _set_mode(fd: int, target: Path, source: Path | None = None) -> None:
    """mkstemp makes 0600 files: give the new file the permissions of ``source`` (the file it copies,
    for a .bak) or of the replaced file, or for a new file what the officer's umask gives any
    document (0644 usually), so a colleague on a shared folder can still open the exported report.
    The owner always keeps read and write access (a file written over a chmod 000 one is readable)."""
    if os.name == "nt" or not hasattr(os, "fchmod"):
        return
    try:
        mode = (source or target).stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    try:
        os.fchmod(fd, (mode & 0o777) | 0o600)
    except OSError:
        pass


def atomic_write(path: Path | str, write: Callable[[object], None], *, binary: bool = True,
                 mode_from: Path | None = None) -> None:
    """Call ``write(fileobj)`` on a new temporary file next to ``path``, then swap it in.

    The temporary file gets an unpredictable name and is created with O_EXCL (mkstemp), so a file or
    symlink planted next to the target is never opened or followed; os.replace swaps the directory
    entry, so a symlink at ``path`` itself is replaced, not written through. Its name carries the
    writer's pid: a later write removes it when that process is gone."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_temps(target)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f"{_temp_prefix(target)}{_writer_tag()}.", suffix=".tmp",
                                        dir=folder)
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as fh:
            write(fh)
            fh.flush()
            _set_mode(fh.fileno(), target, mode_from)
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(folder)
    except OSError as exc:
        if isinstance(exc, WriteError):
            raise
        raise WriteError(describe_os_error(exc, target)) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def atomic_write_bytes(path: Path | str, data: bytes, *, mode_from: Path | None = None) -> None:
    atomic_write(path, lambda fh: fh.write(data), mode_from=mode_from)


def same_file(a: Path | str, b: Path | str) -> bool:
    """Do ``a`` and ``b`` name the same existing file (same device and inode, links followed)?"""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


class SaveLockError(WriteError):
    """Another program holds the save lock of the folder for too long."""


@contextmanager
def folder_lock(folder: Path, target: Path, timeout: float = 15.0):
    """Serialise saves into one folder between our processes (flock on the folder itself: no lock
    file is left behind). Where locking is not available it does nothing."""
    try:
        import fcntl
    except ImportError:          # Windows: unique temp names keep concurrent saves safe
        yield
        return
    import time

    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield                    # the write itself will report the real cause
        return
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise SaveLockError(f"无法保存“{target}”：另一个程序正在保存同一文件夹中的文件，"
                                        "请稍后再试。") from None
                time.sleep(0.02)
            except OSError:
                break            # a file system without locks: go on unlocked
        yield
    finally:
        os.close(fd)             # closing the descriptor releases the lock
