"""Compute a .deb's Depends/Recommends from what a PyInstaller bundle really links against.

For every ELF file in the bundle: the highest ``GLIBC_x.y`` symbol version it needs (→ ``libc6 (>= x.y)``)
and its NEEDED shared libraries that the bundle does not contain (→ the Debian package that owns them on
this build machine, found with ``ldconfig -p`` and ``dpkg -S``). Libraries needed only by optional Qt
plugins (GTK theme, CUPS printing) become Recommends. Uses ``readelf`` (binutils).

Usage: python3 installer/deb_depends.py BUNDLE_DIR  → prints two lines ``Depends: …`` / ``Recommends: …``
and ``GlibcFloor: x.y``.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

OPTIONAL_PLUGIN_DIRS = ("platformthemes", "printsupport")
# Part of libc6 itself (no separate package to name).
LIBC_SONAMES = re.compile(r"(libc|libm|libdl|libpthread|librt|libresolv|libutil|ld-linux[^.]*)\.so[.0-9]*")
GLIBC_RE = re.compile(r"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?")


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def elf_files(bundle: Path) -> list[Path]:
    return [p for p in sorted(bundle.rglob("*")) if p.is_file() and not p.is_symlink() and is_elf(p)]


def readelf(args: list[str], path: Path) -> str:
    return subprocess.run(["readelf", *args, str(path)], capture_output=True, text=True, check=False).stdout


def needed(path: Path) -> list[str]:
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", readelf(["-d", "-W"], path))


def glibc_versions(path: Path) -> set[tuple[int, ...]]:
    out = readelf(["-V", "-W"], path)
    # only the version *needs* section (.gnu.version_r), not definitions
    needs = out.split(".gnu.version_r", 1)[1] if ".gnu.version_r" in out else ""
    return {tuple(int(x) for x in m.groups() if x is not None) for m in GLIBC_RE.finditer(needs)}


def system_paths() -> dict[str, str]:
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    paths: dict[str, str] = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        # prefer the 64-bit entry when both architectures are installed
        if m and ("x86-64" in m.group(2) or "64" in m.group(2) or m.group(1) not in paths):
            if "x86-64" in m.group(2) or m.group(1) not in paths:
                paths[m.group(1)] = m.group(3)
    return paths


def owner_package(path: str) -> str | None:
    real = str(Path(path).resolve())
    for candidate in (path, real, real.replace("/usr/lib/", "/lib/", 1), real.replace("/lib/", "/usr/lib/", 1)):
        res = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if res.returncode == 0 and res.stdout:
            return res.stdout.split(":", 1)[0].strip()
    return None


def analyse(bundle: Path) -> dict:
    files = elf_files(bundle)
    inside = {p.name for p in bundle.rglob("*")}
    floor: tuple[int, ...] = (2, 17)
    required: dict[str, set[str]] = {}
    optional: dict[str, set[str]] = {}
    for f in files:
        for v in glibc_versions(f):
            floor = max(floor, v)
        is_optional = any(f"/plugins/{d}/" in str(f) for d in OPTIONAL_PLUGIN_DIRS)
        for soname in needed(f):
            if soname in inside or LIBC_SONAMES.fullmatch(soname):
                continue
            (optional if is_optional else required).setdefault(soname, set()).add(f.name)
    paths = system_paths()
    depends: set[str] = set()
    recommends: set[str] = set()
    unresolved: list[str] = []
    for target, table in ((depends, required), (recommends, optional)):
        for soname in sorted(table):
            path = paths.get(soname)
            pkg = owner_package(path) if path else None
            if pkg is None:
                unresolved.append(soname)
            else:
                target.add(pkg)
    recommends -= depends
    return {"floor": ".".join(map(str, floor)), "depends": sorted(depends), "recommends": sorted(recommends),
            "unresolved": sorted(set(unresolved)), "elf_count": len(files)}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    info = analyse(Path(argv[0]))
    print(f"GlibcFloor: {info['floor']}")
    print("Depends: " + ", ".join(info["depends"]))
    print("Recommends: " + ", ".join(info["recommends"]))
    print("Unresolved: " + ", ".join(info["unresolved"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
