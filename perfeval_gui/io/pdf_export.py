"""PDF export: the exported .docx converted by an office suite, else rendered with Qt.

Route "office" (preferred): the .docx of :mod:`perfeval_gui.io.docx_export` is converted with
LibreOffice (``soffice --headless --convert-to pdf``) found in PATH or the usual install folders;
the PDF then shows exactly the pages LibreOffice shows for the Word file (fonts embedded, outline
from the headings, title and author from the document properties). WPS has no documented
command-line converter on Linux or Windows, so it is not used.

Route "qt" (fallback, and the print preview): :mod:`perfeval_gui.gui.pdf_render` writes the same block
list (:mod:`perfeval_gui.io.layout`) with QPdfWriter. No content logic lives here or there.
Measurements and the choice: docs/word-layout.md.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from collections.abc import Callable

from ..core.model import Report
from .atomic import WriteError, atomic_write
from .docx_export import ExportResult, build_docx_bytes
from .layout import Layout, build_layout

Progress = Callable[[int, int], None]
OFFICE_TIMEOUT = 180          # seconds for one conversion (a 300-page report takes ~15 s here)


class PdfExportError(Exception):
    """The PDF could not be made; ``str()`` is the Chinese message for the officer."""


def _candidates() -> list[str]:
    names = ["soffice", "libreoffice"]
    found = [p for p in (shutil.which(n) for n in names) if p]
    if sys.platform.startswith("win"):
        for base in (os.environ.get("PROGRAMFILES", r"C:\Program Files"),
                     os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")):
            found.append(str(Path(base) / "LibreOffice" / "program" / "soffice.exe"))
    else:
        found += ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
                  "/opt/libreoffice/program/soffice", "/snap/bin/libreoffice",
                  "/Applications/LibreOffice.app/Contents/MacOS/soffice"]
        found += sorted(str(p) for p in Path("/opt").glob("libreoffice*/program/soffice"))
        found += sorted(str(p) for p in Path("/opt/apps").glob("*libreoffice*/files/program/soffice"))
    return found


def find_office() -> str | None:
    """The LibreOffice executable on this machine (``PERFEVAL_OFFICE`` overrides), or None."""
    override = os.environ.get("PERFEVAL_OFFICE")
    if override is not None:
        return override if override and Path(override).is_file() else None
    for path in _candidates():
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    return None


def convert_with_office(docx_path: Path, pdf_path: Path, office: str, *, extra_env: dict | None = None) -> None:
    """``docx_path`` → ``pdf_path`` with LibreOffice in a private profile (an instance the officer
    has open is not disturbed). Raises :class:`PdfExportError`."""
    docx_path, pdf_path = Path(docx_path), Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="perfeval-pdf-") as tmp:
        profile = Path(tmp) / f"profile-{uuid.uuid4().hex}"
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        env = dict(os.environ)
        env.setdefault("HOME", tmp)
        if extra_env:
            env.update(extra_env)
        cmd = [office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outdir), str(docx_path)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=OFFICE_TIMEOUT, env=env)
        except subprocess.TimeoutExpired:
            raise PdfExportError(f"LibreOffice 转换超时（{OFFICE_TIMEOUT} 秒）。") from None
        except OSError as exc:
            raise PdfExportError(f"无法启动 LibreOffice（{office}）：{exc.strerror or exc}") from None
        produced = outdir / (docx_path.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = (proc.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise PdfExportError(f"LibreOffice 没有生成 PDF（退出码 {proc.returncode}）{detail[0]}")
        data = produced.read_bytes()
    atomic_write(pdf_path, lambda fh: fh.write(data))


def export_pdf_office(report: Report, path: str | Path, *, progress: Progress | None = None,
                      draft_errors: int | None = None, layout: Layout | None = None,
                      extra_env: dict | None = None) -> ExportResult:
    """The office route: the .docx converted by LibreOffice. (The route choice with the Qt fallback is
    :func:`perfeval_gui.gui.pdf_render.export_pdf`: io/ has no Qt.) Raises :class:`PdfExportError`."""
    path = Path(path)
    if layout is None:
        layout = build_layout(report, draft_errors)
    office = find_office()
    if office is None:
        raise PdfExportError("没有找到 LibreOffice（soffice）。请安装 LibreOffice，或改用内置排版导出。")
    with tempfile.TemporaryDirectory(prefix="perfeval-docx-") as tmp:
        docx_path = Path(tmp) / "report.docx"
        docx_path.write_bytes(build_docx_bytes(report, layout=layout,
                                               progress=(lambda i, n: progress(i, 2 * n)) if progress else None))
        convert_with_office(docx_path, path, office, extra_env=extra_env)
    if progress:
        progress(1, 1)
    return ExportResult(path, list(layout.warnings), layout.draft_errors, route="office")


__all__ = ["export_pdf_office", "find_office", "convert_with_office", "PdfExportError", "WriteError"]
