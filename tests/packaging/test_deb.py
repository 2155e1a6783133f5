"""Build the bundle and the .deb, install it, run the installed program's self-check, uninstall.

Slow (~1 min: PyInstaller + xz), but part of the default test run. Skipped only when not root or
without dpkg, or when a perfeval-gui package is already installed on this machine (we would remove it).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

INSTALLED = [
    "/opt/perfeval-gui/perfeval-gui",
    "/opt/perfeval-gui/perfeval",
    "/usr/bin/perfeval-gui",
    "/usr/bin/perfeval",
    "/usr/share/applications/perfeval-gui.desktop",
    "/usr/share/mime/packages/perfeval-gui.xml",
    "/usr/share/icons/hicolor/256x256/apps/perfeval-gui.png",
    "/usr/share/icons/hicolor/scalable/apps/perfeval-gui.svg",
]


def _skip_reason() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "dpkg -i needs root"
    if shutil.which("dpkg") is None or shutil.which("dpkg-deb") is None:
        return "dpkg is not available (not a Debian-family system)"
    res = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "perfeval-gui"], capture_output=True, text=True)
    if "installed" in res.stdout and "not-installed" not in res.stdout:
        return "a perfeval-gui package is already installed here; the test would remove it"
    return None


def run(cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def pyproject_version() -> str:
    import tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


@pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")
def test_build_install_selfcheck_remove(tmp_path):
    env = dict(os.environ, PYTHON=str(PYTHON), DIST=str(tmp_path / "dist"), WORK=str(tmp_path / "build"))
    build = run(["bash", str(ROOT / "installer" / "build-deb.sh")], env=env, cwd=ROOT)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    debs = list((tmp_path / "dist").glob("perfeval-gui_*.deb"))
    assert len(debs) == 1, build.stdout

    bundle = tmp_path / "dist" / "perfeval-gui"
    size_mb = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6
    assert size_mb <= 120, f"bundle is {size_mb:.1f} MB (budget 120 MB)"

    info = run(["dpkg-deb", "-f", str(debs[0])]).stdout
    assert f"Version: {pyproject_version()}" in info
    assert re.search(r"Depends: libc6 \(>= 2\.\d+\)", info), info
    assert "fonts-noto-cjk | fonts-wqy-microhei" in info
    comp = run(["bash", "-c", f"ar t {debs[0]} 2>/dev/null || dpkg-deb -c {debs[0]} >/dev/null"]).stdout
    assert "data.tar.xz" in comp or not shutil.which("ar"), comp

    inst = run(["dpkg", "-i", str(debs[0])])
    assert inst.returncode == 0, inst.stdout + inst.stderr
    try:
        for path in INSTALLED:
            assert Path(path).exists(), f"{path} missing after install"
        if shutil.which("desktop-file-validate"):
            val = run(["desktop-file-validate", "/usr/share/applications/perfeval-gui.desktop"])
            assert val.returncode == 0 and not val.stdout.strip(), val.stdout + val.stderr
        globs = Path("/usr/share/mime/globs2")
        if shutil.which("update-mime-database") and globs.exists():
            assert "application/x-perfeval-project:*.pefx" in globs.read_text(encoding="utf-8")

        plugins = Path("/opt/perfeval-gui/_internal/PySide6/Qt/plugins")
        assert (plugins / "platforminputcontexts" / "libibusplatforminputcontextplugin.so").exists()
        assert (plugins / "platforms" / "libqxcb.so").exists()
        assert not (plugins / "platforms" / "libqwayland.so").exists()  # filtered out

        home = tmp_path / "home"
        run_env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
                   "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "share"),
                   "PERFEVAL_DATA_DIR": str(home / "data"), "LANG": "C.UTF-8",
                   "QT_IM_MODULE": "fcitx"}    # what fcitx desktops set: the wrapper must switch to ibus
        check = run(["/usr/bin/perfeval-gui", "--self-check"], env=run_env, cwd=tmp_path, timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "自检通过" in check.stdout
        assert "安装包" in check.stdout                   # it really ran the frozen program
        assert "QT_IM_MODULE=ibus" in check.stdout, check.stdout
        cli = run(["/usr/bin/perfeval", "check", "/opt/perfeval-gui/_internal/resources/samples/liuyang-2021.pefx"],
                  env=run_env, cwd=tmp_path, timeout=60)
        assert cli.returncode == 0, cli.stdout + cli.stderr     # the sample has no errors
        assert "liuyang-2021.pefx" in cli.stdout
        # the checks' compiled patterns (core/regex.py) go to the user's cache, never into /opt
        caches = list((home / ".cache" / "perfeval_gui").glob("sre.*.bin"))
        assert len(caches) == 1, caches
        written = caches[0].stat().st_mtime_ns
        again = run(["/usr/bin/perfeval", "check", "/opt/perfeval-gui/_internal/resources/samples/liuyang-2021.pefx"],
                    env=run_env, cwd=tmp_path, timeout=60)
        assert again.returncode == 0 and again.stdout == cli.stdout
        assert caches[0].stat().st_mtime_ns == written           # read back whole: nothing new to write
    finally:
        rm = run(["dpkg", "-r", "perfeval-gui"])
    assert rm.returncode == 0, rm.stdout + rm.stderr
    for path in INSTALLED:
        assert not Path(path).exists(), f"{path} still there after dpkg -r"
    assert not Path("/opt/perfeval-gui").exists()
    globs = Path("/usr/share/mime/globs2")
    if shutil.which("update-mime-database") and globs.exists():
        assert "pefx" not in globs.read_text(encoding="utf-8")
