"""scripts/setup.sh sets up only when pyproject.toml (or the script) changed since the last set-up, so
scripts/start.sh starts offline; its output is one line per step, details go to .venv/setup.log.

Run on a copy of the scripts in a temp folder with stub python/dpkg/apt-get/sudo that record their calls."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

STUB = """#!/bin/sh
echo "$(basename "$0") $*" >> "{calls}"
exit 0
"""


def _checkout(tmp_path: Path) -> tuple[Path, Path, dict]:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("setup.sh", "start.sh"):
        shutil.copy(ROOT / "scripts" / name, repo / "scripts" / name)
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    calls = tmp_path / "calls.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    venv_bin = repo / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    for stub in (bin_dir / "dpkg", bin_dir / "apt-get", bin_dir / "sudo", bin_dir / "python3",
                 venv_bin / "python", venv_bin / "perfeval-gui"):
        stub.write_text(STUB.format(calls=calls))
        stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    env = dict(os.environ, PATH=f"{bin_dir}:/usr/bin:/bin")
    env.pop("PYTHON", None)
    return repo, calls, env


def _run(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=60)


def test_set_up_once_then_nothing_until_pyproject_changes(tmp_path):
    repo, calls, env = _checkout(tmp_path)

    first = _run(repo, env, "scripts/setup.sh", "test")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines and all(line.startswith("set-up: ") for line in lines), first.stdout   # one line per step
    assert len(lines) <= 6 and first.stderr == ""
    assert "python -m pip install -q --disable-pip-version-check -e .[test]" in calls.read_text()
    assert (repo / ".venv" / "setup.log").exists()
    assert (repo / ".venv" / "setup.stamp").read_text().split()[1] == "test"

    # up to date: no output, no apt, no pip — for app and test alike, and start.sh goes straight to the window
    calls.unlink()
    for mode in ("app", "test"):
        again = _run(repo, env, "scripts/setup.sh", mode)
        assert again.returncode == 0 and again.stdout == "" and again.stderr == ""
    start = _run(repo, env, "scripts/start.sh", "报告.pefx")
    assert start.returncode == 0 and start.stdout == ""
    assert calls.read_text().splitlines() == ["perfeval-gui 报告.pefx"]

    # pyproject.toml changed (e.g. a new dependency): set up again
    calls.unlink()
    with open(repo / "pyproject.toml", "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    third = _run(repo, env, "scripts/setup.sh", "app")
    assert third.returncode == 0 and "set-up: installing the program (pip)" in third.stdout
    assert "pip install" in calls.read_text()


def test_an_app_set_up_does_not_count_as_a_test_set_up(tmp_path):
    repo, calls, env = _checkout(tmp_path)
    assert _run(repo, env, "scripts/setup.sh", "app").returncode == 0
    calls.unlink()
    res = _run(repo, env, "scripts/setup.sh", "test")
    assert res.returncode == 0 and "test tools" in res.stdout
    assert "-e .[test]" in calls.read_text()


def test_failed_set_up_says_where_the_details_are(tmp_path):
    repo, calls, env = _checkout(tmp_path)
    failing = repo / ".venv" / "bin" / "python"
    failing.write_text("#!/bin/sh\necho 'ERROR: No matching distribution found for PySide6' >&2\nexit 1\n")
    res = _run(repo, env, "scripts/setup.sh", "app")
    assert res.returncode != 0
    assert "set-up failed" in res.stderr and "No matching distribution" in res.stderr
    assert not (repo / ".venv" / "setup.stamp").exists()       # the next start tries again
