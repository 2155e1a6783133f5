"""Issue 7.1: SIGKILL at a random moment of a save never loses the report.

A helper process (no pytest, no Qt in the project-file case) builds two large reports A and B,
measures how long one save takes, then for every round forks a child that saves the next version
and SIGKILLs it after a delay drawn uniformly over [0, 1.2 × save duration]. After each kill the
test process loads the file: it must equal exactly the version that was there before or the one
being written, and the .bak must load too.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rel_helpers import ROOT, record

KILLER = r"""
import json, os, random, signal, sys, time
from decimal import Decimal
sys.path.insert(0, sys.argv[4])
from big_report import big_pair

mode, target, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
a, b = big_pair()
versions = [a, b]
if mode == "project":
    from perfeval_gui.io.project_file import save_project
    def save(report):
        save_project(report, target)
else:
    from perfeval_gui.gui.document import ReportDocument
    from perfeval_gui.gui.autosave import Autosave
    docs = [ReportDocument(r, None) for r in versions]
    savers = [Autosave(d, interval_ms=10**9) for d in docs]
    for d in docs:
        d.mark_dirty()
    def save(report):
        assert savers[versions.index(report)].save_now(), savers[versions.index(report)].last_error
save(a)
t0 = time.perf_counter()
for _ in range(3):
    save(b); save(a)
duration = (time.perf_counter() - t0) / 6
rng = random.Random(20241123)
print(json.dumps({"duration": duration}), flush=True)
for i in range(rounds):
    cmd = sys.stdin.readline()          # the test has checked the previous round
    if not cmd.strip():
        break
    version = i % 2                     # alternate A -> B -> A ...
    delay = rng.uniform(0, duration * 1.2)
    pid = os.fork()
    if pid == 0:
        try:
            save(versions[1 - version])
        finally:
            os._exit(0)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status)
    print(json.dumps({"round": i, "wrote": 1 - version, "delay": delay, "killed": killed}), flush=True)
"""

BIG_REPORT = r'''
import copy
from decimal import Decimal
from perfeval_gui.core.model import Project, ScoreNode
from perfeval_gui.io.project_file import load_project

def big_pair():
    """Two large reports (about 0.8 MB of JSON each) that differ in many places."""
    import pathlib
    base = load_project(pathlib.Path(__import__("perfeval_gui").__file__).resolve().parents[1]
                        / "resources" / "samples" / "liuyang-2021.pefx")
    a = copy.deepcopy(base)
    for i in range(400):
        a.projects.append(Project(name=f"项目{i}", budget_initial=Decimal(i).scaleb(-2),
                                  actual=Decimal(i + 1).scaleb(-2), purpose="绩效文字" * 60,
                                  indicators=[ScoreNode(id=f"{i}.1", name="指标", weight=Decimal("2.5"))]))
    for key in list(a.narrative):
        a.narrative[key] = a.narrative[key] + "\n" + "补充说明。" * 500
    b = copy.deepcopy(a)
    b.meta.unit_name = a.meta.unit_name + "（第二版）"
    for p in b.projects[::7]:
        p.actual = (p.actual or Decimal(0)) + Decimal("0.01")
        p.purpose = p.purpose[::-1]
    return a, b
'''


def _run_kills(tmp_path: Path, mode: str, rounds: int, category: str):
    helper_dir = tmp_path / "helper"
    helper_dir.mkdir()
    (helper_dir / "big_report.py").write_text(BIG_REPORT, encoding="utf-8")
    sys.path.insert(0, str(helper_dir))
    try:
        from big_report import big_pair
        versions = list(big_pair())
    finally:
        sys.path.remove(str(helper_dir))
        sys.modules.pop("big_report", None)
    from perfeval_gui.io.project_file import load_project

    target = tmp_path / "大 报告.pefx"
    env = os.environ.copy()
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PERFEVAL_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen([sys.executable, "-c", KILLER, mode, str(target), str(rounds), str(helper_dir)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    losses = crashes = killed_mid = 0
    delays = []
    try:
        head = json.loads(proc.stdout.readline())
        duration = head["duration"]
        if mode == "project":
            files = lambda: (target, target.with_name(target.name + ".bak"))  # noqa: E731
        else:
            from perfeval_gui.gui.autosave import recovery_files
            os.environ["PERFEVAL_DATA_DIR"] = env["PERFEVAL_DATA_DIR"]
            files = lambda: recovery_files(None)  # noqa: E731
        main, second = files()
        verdicts: dict[bytes, object] = {}

        def load_cached(path):
            # same bytes -> same result; a real load only for content not seen before
            key = hashlib.sha1(path.read_bytes()).digest()
            if key not in verdicts:
                verdicts[key] = load_project(path)
            return verdicts[key]

        on_disk = load_project(main)
        assert on_disk == versions[0]
        for i in range(rounds):
            proc.stdin.write("go\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
            if not line:
                crashes += 1
                break
            info = json.loads(line)
            delays.append(info["delay"])
            killed_mid += info["killed"]
            try:
                now = load_cached(main)
            except Exception:  # noqa: BLE001 - any failure to load is a lost report
                losses += 1
                continue
            allowed = (on_disk, versions[info["wrote"]])
            if not any(now == v for v in allowed):
                losses += 1
            on_disk = now
            if mode == "project":
                if second.exists():
                    try:
                        bak = load_cached(second)
                        if not any(bak == v for v in versions):
                            losses += 1
                    except Exception:  # noqa: BLE001
                        losses += 1
            else:
                sidecar = second
                if sidecar.exists():
                    json.loads(sidecar.read_text(encoding="utf-8"))
        proc.stdin.close()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    leftovers = [p.name for p in main.parent.iterdir() if p.name.endswith(".tmp")]
    record(category, tried=len(delays), crashes=crashes, losses=losses)
    return duration, delays, killed_mid, losses, crashes, leftovers


@pytest.mark.timeout(90)
def test_sigkill_during_project_save_100_times(tmp_path):
    duration, delays, killed_mid, losses, crashes, leftovers = _run_kills(
        tmp_path, "project", 100, "SIGKILL during save (.pefx/.bak)")
    assert crashes == 0 and len(delays) == 100
    assert losses == 0
    # the kill times cover the whole save: some in each fifth of it
    fifths = {min(int(d / duration * 5), 5) for d in delays}
    assert {0, 1, 2, 3, 4} <= fifths, (duration, sorted(delays))
    assert killed_mid >= 60          # most kills really interrupted a save


@pytest.mark.timeout(90)
def test_sigkill_during_autosave_40_times(tmp_path):
    duration, delays, killed_mid, losses, crashes, leftovers = _run_kills(
        tmp_path, "autosave", 40, "SIGKILL during autosave")
    assert crashes == 0 and len(delays) == 40
    assert losses == 0
    assert killed_mid >= 24
    from perfeval_gui.gui.autosave import find_recoveries
    # the recovery copy is still offered after all those kills
    assert [r["file"].name for r in find_recoveries()] == ["untitled.pefx"]
