#!/usr/bin/env bash
# Set up (first time, or after pyproject.toml changed) and start the window; opens the built-in
# 浏阳 2021 sample on first run. Once set up, it starts offline and runs no apt/pip.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! bash scripts/setup.sh app; then
  [ -x .venv/bin/perfeval-gui ] || exit 1
  echo "set-up did not finish (see .venv/setup.log); starting the installed version" >&2
fi
exec .venv/bin/perfeval-gui "$@"
