#!/usr/bin/env bash
# Set up (first time) and start the window; opens the built-in 浏阳 2021 sample on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
exec .venv/bin/perfeval-gui "$@"
