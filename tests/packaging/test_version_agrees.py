"""One version everywhere: pyproject.toml = package = spec = .deb build script = Inno Setup script.
(The built .deb's control file is checked by tests/packaging/test_deb.py, which builds one.)"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


def pyproject_version() -> str:
    import tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_package_reports_pyproject_version():
    import perfeval_gui
    assert perfeval_gui.__version__ == pyproject_version()


def test_spec_reads_version_from_pyproject(tmp_path):
    """Run the spec's own read_version() (the spec file is Python) against the real pyproject."""
    source = (INSTALLER / "perfeval.spec").read_text(encoding="utf-8")
    head = source.split("VERSION = read_version()", 1)[0]
    ns: dict = {"SPECPATH": str(INSTALLER)}
    exec(compile(head, "perfeval.spec", "exec"), ns)  # noqa: S102 — our own file
    assert ns["read_version"]() == pyproject_version()


def test_deb_build_script_reads_version_from_pyproject():
    script = (INSTALLER / "build-deb.sh").read_text(encoding="utf-8")
    line = next(l for l in script.splitlines() if l.startswith("VERSION=$("))
    cmd = line.split("=", 1)[1].strip()[2:-1]           # the command inside $( … )
    out = subprocess.run(["bash", "-c", cmd], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == pyproject_version()
    assert "Version: $VERSION" in script


def test_inno_setup_gets_version_from_build_script():
    iss = (INSTALLER / "windows" / "perfeval.iss").read_text(encoding="utf-8")
    # no version literal in the .iss: it must come from /DAppVersion (the build script)
    assert "#ifndef AppVersion" in iss and "AppVersion={#AppVersion}" in iss.replace(" ", "")
    assert not re.search(r"^\s*#define\s+AppVersion\s+\"\d", iss, re.M)
    ps1 = (INSTALLER / "windows" / "build-windows.ps1").read_text(encoding="utf-8")
    assert "pyproject.toml" in ps1 and "/DAppVersion=" in ps1

