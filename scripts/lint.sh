#!/usr/bin/env bash
# Lint (ruff, config in ruff.toml) and type-check (mypy, strict on core/, config in mypy.ini).
# Run by scripts/test.sh before the tests; needs the test set-up (scripts/setup.sh test).
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check perfeval_gui tests bench installer tools scripts || { echo "lint failed: ruff found problems (see above)"; exit 1; }
.venv/bin/mypy --config-file mypy.ini || { echo "lint failed: mypy found type errors (see above)"; exit 1; }
