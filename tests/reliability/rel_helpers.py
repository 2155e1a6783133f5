"""Shared helpers of the reliability tests: the summary tally, sample reports, bounded subprocesses."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"

# category -> [cases tried, crashes, data losses]; printed by conftest.pytest_terminal_summary
TALLY: OrderedDict[str, list[int]] = OrderedDict()


def record(category: str, tried: int = 1, crashes: int = 0, losses: int = 0) -> None:
    row = TALLY.setdefault(category, [0, 0, 0])
    row[0] += tried
    row[1] += crashes
    row[2] += losses


@contextmanager
def tallied(category: str):
    """Count one case of ``category`` once the block has run: an AssertionError (a value lost or
    changed on the way) is a data loss, any other exception a crash; both are re-raised."""
    try:
        yield
    except AssertionError:
        record(category, losses=1)
        raise
    except Exception:
        record(category, crashes=1)
        raise
    record(category)


def sample_report(name: str = "liuyang-2021.pefx"):
    from perfeval_gui.io.project_file import load_project
    return load_project(SAMPLES / name)


def dir_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of a folder with its bytes and mtime (to prove nothing changed on disk)."""
    out = {}
    for p in sorted(Path(folder).rglob("*")):
        if p.is_file():
            out[str(p.relative_to(folder))] = (p.read_bytes(), p.stat().st_mtime_ns)
    return out


PEAK = """
def _peak_mb():
    try:
        for line in open('/proc/self/status'):
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _r.getrusage(_r.RUSAGE_SELF).ru_maxrss / 1024
"""


def run_bounded(code: str, *args: str, timeout: float = 20, env: dict | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line last. Adds the peak RSS (MB)."""
    # the peak RSS of a forked child starts at its parent's: reset it (Linux clear_refs "5")
    reset = ("try:\n    open('/proc/self/clear_refs', 'w').write('5')\nexcept OSError:\n    pass\n")
    wrapper = (reset + code + "\nimport resource as _r, json as _j, sys as _s\n"
               "_s.stdout.write('\\n' + _j.dumps({'maxrss_mb': _peak_mb()}))\n")
    wrapper = wrapper.replace("import resource as _r, json as _j, sys as _s\n", "import resource as _r, json as _j, sys as _s\n" + PEAK)
    proc = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True,
                          timeout=timeout, env=env or os.environ.copy())
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    out: dict = {"returncode": proc.returncode, "stderr": proc.stderr[-3000:]}
    for ln in lines:
        out.update(json.loads(ln))
    return out
