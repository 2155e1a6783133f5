"""Benchmarks against the floor (issue 6): ``.venv/bin/python bench/run.py [--quick]``.

Every figure is a ratio of two timings taken side by side in the same run (ours, floor, ours,
floor …, at least 5 repetitions); the table shows the median ratio with its min and max over the
repetitions. Generated inputs (1,000 report files, the 10,500-row workbook, …) go to a temporary
folder. A full run writes bench/results.json and the README table (bench/readme_table.py); --quick
(fewer repetitions, smaller inputs, for development) writes bench/results-quick.json only.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import readme_table  # noqa: E402
import synth  # noqa: E402

PY = sys.executable
FRAME_MS = 16.0


# ---------------------------------------------------------------- helpers
def stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def interleave(ours, floor, reps: int) -> dict:
    """ours, floor, ours, floor …: per-pair ratios plus both series of seconds."""
    o, f = [], []
    for _ in range(reps):
        o.append(timed(ours))
        f.append(timed(floor))
    return {"ours_s": stats(o), "floor_s": stats(f), "ratio": stats([a / b for a, b in zip(o, f)])}


def child_env(tmp: Path) -> dict:
    # as on an officer's machine: byte-code cached (setup.sh runs compileall; an installed or
    # frozen app ships .pyc), whatever PYTHONDONTWRITEBYTECODE this shell has; the checks' compiled
    # patterns (core/regex.py) are written by setup.sh or by the first start — here the warm-up start
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "perfeval_gui")],
                   stdout=subprocess.DEVNULL, check=False)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / "cfg"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               PERFEVAL_DATA_DIR=str(home / "perfeval"))
    return env


def run_child(cmd: list[str], env: dict) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(ROOT))
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} → {proc.returncode}\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss


# ---------------------------------------------------------------- figures
def _startup_pair(report_path: Path, tmp: Path, env: dict, wrap: list[str] = ()) -> tuple[list, list]:
    """Commands for ours (the real entry point up to the first findings shown, bench/start_ours.py) and
    the floor (the same window without logic, bench/floor_window.py, showing what ours showed)."""
    shown = tmp / f"shown-{report_path.stem}.json"
    ours_cmd = [PY, *wrap, str(HERE / "start_ours.py"), str(report_path)]
    run_child(ours_cmd, dict(env, BENCH_DUMP=str(shown)))     # warm-up; records what the window showed
    data = json.loads(shown.read_text(encoding="utf-8"))
    assert data["findings"], "our window showed no findings"
    floor_cmd = [PY, *wrap, str(HERE / "floor_window.py"), str(shown)]
    run_child(floor_cmd, env)
    return ours_cmd, floor_cmd


def bench_startup(tmp: Path, reps: int, env: dict) -> dict:
    ours_cmd, floor_cmd = _startup_pair(synth.SAMPLE, tmp, env)
    return interleave(lambda: run_child(ours_cmd, env), lambda: run_child(floor_cmd, env), reps)


def bench_memory(tmp: Path, reps: int, env: dict) -> dict:
    from perfeval_gui.io.project_file import save_project

    big = tmp / "big-1000.pefx"
    save_project(synth.synthetic_report(1000, 5000), big, keep_backup=False)
    rss_file = tmp / "rss.txt"
    env = dict(env, BENCH_RSS_OUT=str(rss_file))
    ours_cmd, floor_cmd = _startup_pair(big, tmp, env, wrap=[str(HERE / "rss_wrap.py")])

    def one(cmd):
        rss_file.unlink(missing_ok=True)
        t, _ = run_child(cmd, env)
        return t, int(rss_file.read_text().split()[-1]) / 1024

    o_rss, f_rss, o_t, f_t = [], [], [], []
    for _ in range(reps):
        t, r = one(ours_cmd)
        o_t.append(t)
        o_rss.append(r)
        t, r = one(floor_cmd)
        f_t.append(t)
        f_rss.append(r)
    return {"ours_mib": stats(o_rss), "floor_mib": stats(f_rss),
            "ratio": stats([a / b for a, b in zip(o_rss, f_rss)]),
            "startup_ours_s": stats(o_t), "startup_floor_s": stats(f_t),
            "startup_ratio": stats([a / b for a, b in zip(o_t, f_t)])}


def bench_recheck(edits: int) -> dict:
    from decimal import Decimal

    from PySide6.QtWidgets import QApplication

    from perfeval_gui.gui.document import ReportDocument

    QApplication.instance() or QApplication([])
    out = {}
    for label, report in (("sample", synth.sample()), ("1000 projects", synth.synthetic_report(1000, 5000))):
        t0 = time.perf_counter()
        doc = ReportDocument(report)
        first = time.perf_counter() - t0
        per_path = {}
        narrative_slot = "五.一" if "五.一" in report.narrative else next(iter(report.narrative), "一.一")
        edits_by_path = {
            "projects[0].actual": lambda k: Decimal(70 + k % 7) + Decimal("0.30"),
            "income.budget_initial": lambda k: Decimal(500 + k % 7) + Decimal("0.10"),
            "expenditure.by_econ[0].amount": lambda k: Decimal(3 + k % 7) + Decimal("0.90"),
            "three_public.reception.actual": lambda k: Decimal(1 + k % 7) + Decimal("0.50"),
            f"narrative[{narrative_slot}]": None,
        }
        all_ms = []
        for path, make in edits_by_path.items():
            ms = []
            base = doc.get(path) or ""
            for k in range(edits):
                value = make(k) if make else base + "字" * (k + 1)     # typing: one more character
                t0 = time.perf_counter()
                doc.set_value(path, value)
                ms.append((time.perf_counter() - t0) * 1000)
            per_path[path] = stats(ms)
            all_ms.extend(ms)
        doc.shutdown()
        s = stats(all_ms)
        out[label] = {"first_check_s": first, "per_path_ms": per_path, "ms": s,
                      "p95_ms": sorted(all_ms)[int(0.95 * (len(all_ms) - 1))],
                      "ratio": {k: v / FRAME_MS for k, v in s.items() if k != "n"}}
    return out


def bench_keystroke(tmp: Path, edits: int, env: dict) -> dict:
    """bench/keystroke.py in its own process: keystrokes in the real main window (every tab built), on the
    sample and on 50 / 200 / 1,000 projects with 5,000 economic-class lines."""
    out = tmp / "keystroke.json"
    # its own data folder: the edited reports leave recovery journals, which must not greet later start-ups
    env = dict(env, PERFEVAL_DATA_DIR=str(tmp / "keystroke-data"))
    run_child([PY, str(HERE / "keystroke.py"), "--edits", str(edits), "--json", str(out)], env)
    return {"rows": json.loads(out.read_text(encoding="utf-8")), "edits": edits}


def bench_excel(tmp: Path, rows: int, reps: int) -> dict:
    import openpyxl

    from perfeval_gui.io.excel_import import read_workbook
    from perfeval_gui.io.excel_template import export_excel

    path = tmp / f"import-{rows}.xlsx"
    projects = rows // 20     # rows - projects economic-class lines: within the 10,000 a list may hold
    t0 = time.perf_counter()
    report = synth.synthetic_report(projects, rows - projects)
    report.scoring.nodes = []
    export_excel(report, path)
    gen = time.perf_counter() - t0

    def ours():
        result = read_workbook(path)
        n = sum(len(v.value) if isinstance(v.value, list) else 1 for v in result.values)
        assert n >= rows, n

    def floor():
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        n = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    n += cell.value is not None
        wb.close()

    res = interleave(ours, floor, reps)
    res.update(rows=rows, generate_s=gen, size_mb=path.stat().st_size / 1e6)
    return res


def bench_docx(tmp: Path, reps: int, pages: bool, text_chars: int) -> dict:
    import floor_docx

    from perfeval_gui.io.docx_export import build_docx_bytes, export_docx

    out = {}
    for label, report in (("sample", synth.sample()),
                          ("long", synth.synthetic_report(120, 400, text_chars=text_chars))):
        target = tmp / f"{label}.docx"
        content = floor_docx.extract(build_docx_bytes(report))
        floor_target = tmp / f"{label}-floor.docx"
        res = interleave(lambda: export_docx(report, target),
                         lambda: floor_target.write_bytes(floor_docx.write(content)), reps)
        body = content["body"]
        res["paragraphs"] = sum(1 for k, _ in body if k == "p")
        res["tables"] = sum(1 for k, _ in body if k == "t")
        res["table_rows"] = sum(len(v["rows"]) for k, v in body if k == "t")
        if pages and shutil.which("soffice") and shutil.which("pdfinfo"):
            res["pages"] = _pages(target, tmp)
        out[label] = res
    return out


def _pages(docx_path: Path, tmp: Path) -> int | None:
    outdir = tmp / "pdf"
    profile = tmp / "lo-profile"
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(docx_path)], check=True, timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        info = subprocess.run(["pdfinfo", str(outdir / (docx_path.stem + ".pdf"))], capture_output=True,
                              text=True, check=True).stdout
        return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    except (OSError, subprocess.SubprocessError, StopIteration, ValueError):
        return None


def bench_batch(tmp: Path, files: int, reps: int, env: dict) -> dict:
    from perfeval_gui import cli

    folder = tmp / "batch"
    folder.mkdir()
    raw = synth.SAMPLE.read_bytes()
    names = []
    for i in range(files):
        p = folder / f"r{i:04d}.pefx"
        p.write_bytes(raw.replace("浏阳市".encode(), f"浏阳市{i}".encode(), 1))
        names.append(str(p))

    def ours():
        with contextlib.redirect_stdout(io.StringIO()):
            cli.cmd_check(argparse.Namespace(files=names, json=False))

    def floor():
        for name in names:
            with open(name, encoding="utf-8") as fh:
                json.load(fh)

    res = interleave(ours, floor, reps)
    exe = Path(PY).with_name("perfeval")
    cmd = [str(exe), "check", *names] if exe.exists() else [PY, "-m", "perfeval_gui.cli", "check", *names]
    floor_cmd = [PY, "-c", "import json, sys\nfor n in sys.argv[1:]:\n    json.load(open(n, encoding='utf-8'))",
                 *names]

    def process(command, expect):
        t0 = time.perf_counter()
        proc = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(ROOT))
        assert proc.returncode in expect, proc.stderr[-2000:]
        return time.perf_counter() - t0

    # the sample has no errors: `perfeval check` exits 0
    res["subprocess"] = interleave(lambda: process(cmd, (0,)), lambda: process(floor_cmd, (0,)), reps)
    res["files"] = files
    return res


# ---------------------------------------------------------------- report
def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import PySide6
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "pyside6": PySide6.__version__, "platform": platform.platform()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="2 repetitions, 2,100-row workbook, no page count; writes bench/results-quick.json only")
    ap.add_argument("--only", nargs="*", help="startup recheck keystroke excel docx batch memory")
    args = ap.parse_args()
    q = args.quick
    reps = 2 if q else readme_table.MIN_REPS
    only = set(args.only or ["startup", "recheck", "keystroke", "excel", "docx", "batch", "memory"])
    res: dict = {"machine": machine(), "quick": q, "date": date.today().isoformat()}
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as d:
        tmp = Path(d)
        env = child_env(tmp)
        steps = [("startup", lambda: bench_startup(tmp, 3 if q else 9, env)),
                 ("recheck", lambda: bench_recheck(10 if q else 40)),
                 ("keystroke", lambda: bench_keystroke(tmp, 10 if q else 40, env)),
                 ("docx", lambda: bench_docx(tmp, reps, not q, 700)),
                 ("batch", lambda: bench_batch(tmp, 1000, reps, env)),
                 ("memory", lambda: bench_memory(tmp, reps, env)),
                 # the largest workbook the program accepts: a list holds at most 10,000 items (docs/security.md)
                 ("excel", lambda: bench_excel(tmp, 2_100 if q else 10_500, reps))]
        for name, fn in steps:
            if name in only:
                t0 = time.perf_counter()
                res[name] = fn()
                print(f"[{name}: {time.perf_counter() - t0:.1f} s]", file=sys.stderr, flush=True)
    res["total_s"] = time.perf_counter() - t_all
    md = readme_table.render(res)
    print(md)
    out = HERE / ("results-quick.json" if q or args.only else "results.json")
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if out == readme_table.RESULTS:
        readme_table.update_readme(res)
        print(f"wrote {out.relative_to(ROOT)} and the README table", file=sys.stderr)
    else:
        print(f"wrote {out.relative_to(ROOT)} (README unchanged)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
