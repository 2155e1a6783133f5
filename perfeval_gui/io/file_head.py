"""The first look at a file an importer is asked to read: a regular file that exists, is readable and
not empty — before any parser sees it. Shared by the Excel and Word importers (each raises its own
error type with its own noun: "Excel 工作簿", "Word 文件")."""
from __future__ import annotations

import stat
from pathlib import Path


def read_head(path: Path, noun: str, error: type[Exception], n: int = 8) -> tuple[int, bytes]:
    """(size, first ``n`` bytes) of ``path``; ``error`` with a Chinese message naming the file otherwise."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise error(f"“{path}”是文件夹，不是{noun}。")
        if not stat.S_ISREG(st.st_mode):        # a FIFO would block, a device never end
            raise error(f"“{path}”不是普通文件（是设备、管道或套接字），不是{noun}。")
        with open(path, "rb") as fh:
            head = fh.read(n)
    except error:
        raise
    except FileNotFoundError:
        raise error(f"找不到文件“{path}”。") from None
    except OSError as exc:
        from .atomic import describe_os_error
        raise error(describe_os_error(exc, path, "读取")) from None
    if st.st_size == 0:
        raise error(f"“{path.name}”是空文件，不是{noun}。")
    return st.st_size, head
