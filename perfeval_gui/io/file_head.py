"""The first look at a file an importer is asked to read: a regular file that exists, is readable and
not empty — before any parser sees it; for a zip (.xlsx, .docx), its declared sizes and encryption. Shared by the Excel and Word importers (each raises its own
error type with its own noun: "Excel 工作簿", "Word 文件")."""
from __future__ import annotations

import stat
import zipfile
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


def check_zip_parts(infos: list[zipfile.ZipInfo], name: str, limit: int, error: type[Exception], usual: str) -> None:
    """Refuse a zip bomb by its declared sizes (Σ over ``limit``) and an encrypted part, before anything is
    inflated; ``usual`` names what a normal file of this kind is ("正常报表")."""
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise error(
            f"“{name}”解压后声称有 {total // 2**20} MB，远超{usual}（上限 {limit // 2**20} MB），"
            "可能是恶意构造的压缩包，已拒绝读取。")
    for info in infos:
        if info.flag_bits & 0x1:
            raise error(f"“{name}”中的“{info.filename}”已加密，无法读取。")
