"""Issue 7.5: writing .pefx / .docx / .xlsx to a locked file, a read-only folder, a full disk (a real
64 KB tmpfs when mount works, else ENOSPC injected) and a Chinese path with spaces: a Chinese
WriteError, the report unchanged, the old file intact, no temporary file left behind.
(The .docx locked/read-only/ENOSPC cases by monkeypatch are also in tests/docx; here all three
formats go through the same matrix, plus a real full disk and a real read-only mount.)"""
from __future__ import annotations

import copy
import errno
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from rel_helpers import dir_state, record, sample_report
from perfeval_gui.io.atomic import WriteError
from perfeval_gui.io.docx_export import export_docx
from perfeval_gui.io.excel_template import export_excel
from perfeval_gui.io.project_file import save_project

WRITERS = {"pefx": save_project, "docx": export_docx, "xlsx": export_excel}


def _mount(kind: str, where: Path) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    args = (["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)] if kind == "full"
            else ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(where)])
    return subprocess.run(args, capture_output=True).returncode == 0


@pytest.fixture
def mounted(tmp_path):
    mounts = []

    def make(kind):
        where = tmp_path / f"挂载 {kind} {uuid.uuid4().hex[:6]}"
        if _mount(kind, where):
            mounts.append(where)
            return where
        return None
    yield make
    for where in mounts:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _attempt(writer, report, target: Path, words: tuple[str, ...], category="output faults"):
    folder = target.parent
    before_report = copy.deepcopy(report)
    before_disk = dir_state(folder)
    crashed = lost = False
    try:
        with pytest.raises(WriteError) as exc:
            writer(report, target)
    except BaseException:
        crashed = True
        raise
    finally:
        after = dir_state(folder)
        bak = target.name + ".bak"
        if bak in after and bak not in before_disk and target.name in before_disk:
            lost = after.pop(bak)[0] != before_disk[target.name][0]
        lost = lost or report != before_report or after != before_disk
        record(category, crashes=int(crashed), losses=int(lost))
    assert not lost, sorted(set(dir_state(folder)) ^ set(before_disk))
    # (.pefx: the .bak copy of the previous file is made first — a complete copy, allowed)
    message = str(exc.value)
    assert target.name in message
    assert any(w in message for w in words), message


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_locked_existing_target(tmp_path, monkeypatch, fmt):
    report = sample_report()
    target = tmp_path / f"已打开 的报告.{fmt}"
    target.write_bytes(b"old version")
    real_replace = os.replace

    def locked(src, dst, *a, **k):
        if Path(dst) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real_replace(src, dst, *a, **k)
    monkeypatch.setattr(os, "replace", locked)
    _attempt(WRITERS[fmt], report, target, ("权限", "打开"))
    assert target.read_bytes() == b"old version"


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_read_only_folder(tmp_path, monkeypatch, mounted, fmt):
    report = sample_report()
    folder = mounted("ro")
    if folder is None:                      # no mount: refuse the temporary file like a RO folder
        folder = tmp_path / "只读"
        folder.mkdir()
        import tempfile

        def refuse(*a, **k):
            raise OSError(errno.EROFS, "Read-only file system")
        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    _attempt(WRITERS[fmt], report, folder / f"报告 2023.{fmt}", ("只读", "权限"))


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("fmt", list(WRITERS))
def test_full_disk(tmp_path, monkeypatch, mounted, fmt):
    report = sample_report()
    import random
    rnd = random.Random(5)                  # incompressible text: > 64 KB in every format, zipped too
    report.narrative["一.一"] = "".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(60_000))
    from perfeval_gui.core.model import Project
    report.projects += [Project(name="".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(200)))
                        for _ in range(150)]
    folder = mounted("full")
    if folder is None:
        folder = tmp_path / "满"
        folder.mkdir()

        def full(fd):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(os, "fsync", full)
    old = folder / f"旧 报告.{fmt}"
    old.write_bytes(b"x" * 1000)            # an existing file must survive the failed save
    _attempt(WRITERS[fmt], report, old, ("磁盘空间已满",))
    assert old.read_bytes() == b"x" * 1000
    import gc
    gc.collect()   # openpyxl leaves its ZipFile open after the failed write: collect it here


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_chinese_path_with_spaces(tmp_path, fmt):
    report = sample_report()
    folder = tmp_path / "财务 科 2023年 自评" / "  首尾有空格 的 文件夹 "
    folder.mkdir(parents=True)
    target = folder / f"部门 整体支出 绩效自评 （终稿）.{fmt}"
    before = copy.deepcopy(report)
    WRITERS[fmt](report, target)
    ok = report == before and os.listdir(folder) == [target.name] and target.stat().st_size > 1000
    record("output faults", losses=int(not ok))
    assert ok
