#!/usr/bin/env bash
# Set up everything on a fresh Debian machine: system libraries for Qt, CJK fonts, (for tests)
# LibreOffice, poppler, libpython3.11 (PyInstaller) and openbox, then a virtual environment with the
# package. Usage: scripts/setup.sh [app|test]
#
# Runs only when needed: the hash of pyproject.toml and of this script is kept in .venv/setup.stamp;
# when it matches (and a test set-up was done if one is asked for), nothing is done and nothing is
# fetched, so scripts/start.sh starts offline. Output: one line per step; details in .venv/setup.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"
case "$mode" in app|test) ;; *) echo "usage: scripts/setup.sh [app|test]" >&2; exit 2 ;; esac

STAMP=.venv/setup.stamp
inputs_hash() { cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1; }
want_hash="$(inputs_hash)"
if [ -x .venv/bin/python ] && [ -f "$STAMP" ]; then
  read -r have_hash have_mode < "$STAMP" || true
  if [ "$have_hash" = "$want_hash" ] && { [ "$mode" = app ] || [ "$have_mode" = test ]; }; then
    exit 0                                   # up to date: no apt, no pip, no network
  fi
fi

LOG="$(mktemp /tmp/perfeval-setup.XXXXXX.log)"
finish() {
  rc=$?
  if [ -d .venv ]; then cat "$LOG" >> .venv/setup.log && rm -f "$LOG" && LOG=.venv/setup.log; fi
  if [ "$rc" -ne 0 ]; then
    echo "set-up failed (exit $rc); last lines of $LOG:" >&2
    tail -n 25 "$LOG" >&2
  fi
}
trap finish EXIT
echo "== $(date -u '+%F %T') setup.sh $mode" >> "$LOG"
step() { echo "set-up: $*"; echo "-- $*" >> "$LOG"; }

APP_PKGS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 \
libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 \
libxcb-xinerama0 libxcb-xkb1 libx11-xcb1 fonts-noto-cjk"
TEST_PKGS="libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-arphic-ukai fonts-arphic-uming desktop-file-utils xvfb xauth \
binutils libpython3.11 openbox"

want="$APP_PKGS"
[ "$mode" = "test" ] && want="$APP_PKGS $TEST_PKGS"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

if command -v dpkg >/dev/null 2>&1; then
  missing=""
  for p in $want; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    step "installing system packages:$missing"
    $SUDO apt-get update -q >> "$LOG" 2>&1
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing >> "$LOG" 2>&1
  fi
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  step "creating the virtual environment (.venv)"
  if ! "$PY" -m venv .venv >> "$LOG" 2>&1; then
    # Debian's python3 ships venv/ensurepip separately
    step "installing python3-venv"
    $SUDO apt-get update -q >> "$LOG" 2>&1
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-venv >> "$LOG" 2>&1
    "$PY" -m venv --clear .venv >> "$LOG" 2>&1
  fi
fi

PIP=(.venv/bin/python -m pip install -q --disable-pip-version-check)
step "updating pip"
"${PIP[@]}" -U pip >> "$LOG" 2>&1
if [ "$mode" = "test" ]; then
  step "installing the program with its test tools (pip)"
  "${PIP[@]}" -e ".[test]" >> "$LOG" 2>&1
else
  step "installing the program (pip)"
  "${PIP[@]}" -e . >> "$LOG" 2>&1
fi
# byte-compile once, so the first start (and starts with PYTHONDONTWRITEBYTECODE set) skip compiling
step "byte-compiling"
.venv/bin/python -m compileall -q perfeval_gui >> "$LOG" 2>&1 || true
# the same for the checks' regular expressions (perfeval_gui/core/regex.py; a start would write it too)
.venv/bin/python -c "import perfeval_gui.core.engine, perfeval_gui.io.docx_import; from perfeval_gui.core import regex; regex.save()" >> "$LOG" 2>&1 || true
echo "$want_hash $mode" > "$STAMP"
step "done (details: .venv/setup.log)"
