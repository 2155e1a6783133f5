"""What a file really is, for the message when it is opened as the wrong kind: a workbook or a
Word document renamed to .pefx, or a .pefx cut off in the middle (a copy that did not finish)."""
from __future__ import annotations

import zipfile
from pathlib import Path

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
WORD_SUFFIXES = (".docx",)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path) -> str:
    """'excel' | 'word' | 'ole' (old .xls/.doc) | 'zip' | 'text' | '' (unreadable)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return ""
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        if any(n.startswith("xl/") for n in names):
            return "excel"
        if any(n.startswith("word/") for n in names):
            return "word"
        return "zip"
    return "text"


def project_file_problem(path: Path) -> str | None:
    """A clear message when ``path`` (opened as a report) is something else, else None."""
    kind = sniff(path)
    if kind == "excel":
        return f"“{path.name}”是 Excel 工作簿，不是报告文件。这是 Excel 工作簿，请用 文件 → 从 Excel 导入。"
    if kind == "word":
        return f"“{path.name}”是 Word 文档，不是报告文件。请用 文件 → 从 Word 导入。"
    if kind == "ole":
        return (f"“{path.name}”是旧版 Office 文件（.xls 或 .doc），不是报告文件。"
                "若是 Excel 工作簿，请用 文件 → 从 Excel 导入。")
    if kind == "zip":
        return f"“{path.name}”是压缩包，不是报告文件。"
    if kind == "text":
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if exc.reason == "unexpected end of data":
                return (f"“{path.name}”不完整：文件在第 {len(raw)} 字节处被截断（可能复制或保存没有完成）。"
                        "可以尝试打开同一文件夹中的备份“.bak”文件，或从自动保存中恢复。")
    return None
