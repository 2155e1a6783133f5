#!/usr/bin/env bash
# Set up everything on a fresh Debian machine: system libraries for Qt, CJK fonts,
# (for tests) LibreOffice and poppler, then a virtual environment with the package.
# Usage: scripts/setup.sh [app|test]
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"

APP_PKGS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 \
libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 \
libxcb-xinerama0 libxcb-xkb1 libx11-xcb1 fonts-noto-cjk"
TEST_PKGS="libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-arphic-ukai fonts-arphic-uming desktop-file-utils xvfb xauth binutils"

want="$APP_PKGS"
[ "$mode" = "test" ] && want="$APP_PKGS $TEST_PKGS"

if command -v dpkg >/dev/null 2>&1; then
  missing=""
  for p in $want; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "Installing system packages:$missing"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
  fi
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv; then
    # Debian's python3 ships venv/ensurepip separately
    rm -rf .venv
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-venv
    "$PY" -m venv .venv
  fi
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -U pip
if [ "$mode" = "test" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
# byte-compile once, so the first start (and starts with PYTHONDONTWRITEBYTECODE set) skip compiling
.venv/bin/python -m compileall -q perfeval_gui >/dev/null || true
