"""Reviewer summary over 1,000 reports (issue 19): ``.venv/bin/python bench/summary.py [--files N]``.

Generates N report files (the two built-in samples alternately, unit names numbered) in a temp folder,
then times, as a reviewer would run it, ``perfeval check DIR/*.pefx --summary 汇总.xlsx`` in a child
process (target: 1,000 reports in under 10 s), and in-process the parts: loading + checking every file
(io.summary.summarise_files) and writing the workbook (io.summary.write_summary). Prints the figures.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from run import child_env  # noqa: E402

SAMPLES = [ROOT / "resources" / "samples" / "liuyang-2021.pefx", ROOT / "resources" / "samples" / "shifeng-2023.pefx"]
UNITS = ["浏阳市优化营商环境协调事务中心", "株洲市石峰区优化营商环境协调事务中心"]


def make_files(folder: Path, count: int) -> list[str]:
    raws = [p.read_bytes() for p in SAMPLES]
    names = []
    for i in range(count):
        k = i % 2
        p = folder / f"r{i:04d}.pefx"
        p.write_bytes(raws[k].replace(UNITS[k].encode(), f"{UNITS[k]}{i}".encode(), 1))
        names.append(str(p))
    return names


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000)
    args = ap.parse_args()
    from perfeval_gui.io.summary import summarise_files, write_summary

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        folder = tmp / "reports"
        folder.mkdir()
        names = make_files(folder, args.files)
        env = child_env(tmp)
        out = tmp / "汇总.xlsx"
        exe = Path(sys.executable).with_name("perfeval")
        cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "perfeval_gui.cli"]
        cmd += ["check", *names, "--summary", str(out)]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(ROOT))
        total = time.perf_counter() - t0
        if not out.exists():
            print(proc.stderr.decode("utf-8", "replace")[-2000:])
            return 1
        t0 = time.perf_counter()
        rows = summarise_files(names)
        t_check = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_summary(rows, tmp / "again.xlsx")
        t_write = time.perf_counter() - t0
        findings = sum(len(r.findings) for r in rows)
        print(f"files: {args.files}, findings: {findings}, workbook {out.stat().st_size // 1024} KiB")
        print(f"`perfeval check … --summary` (child process, exit {proc.returncode}): {total:.2f} s "
              f"(target < 10 s: {'yes' if total < 10 else 'NO'})")
        print(f"in-process: load + check {t_check:.2f} s, write workbook {t_write:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
