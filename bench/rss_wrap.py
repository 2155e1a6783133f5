"""Run a script or module and append its peak RSS (VmHWM, KiB) to $BENCH_RSS_OUT at exit.

Peak RSS is read inside the child: ru_maxrss from wait4 would carry the (big) benchmark
process's RSS across fork+exec on Linux."""
import atexit
import os
import runpy
import sys


def _report() -> None:
    with open("/proc/self/status", encoding="ascii") as fh:
        hwm = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
    with open(os.environ["BENCH_RSS_OUT"], "a", encoding="ascii") as out:
        out.write(hwm + "\n")


atexit.register(_report)
target, sys.argv = sys.argv[1], sys.argv[1:]
if target == "-m":
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    runpy.run_path(target, run_name="__main__")
