#!/usr/bin/env bash
# Set up (first time, or after pyproject.toml changed), lint (scripts/lint.sh: ruff, mypy strict on core/),
# and run every test, offscreen.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test || exit 1
bash scripts/lint.sh || exit 1
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
if [ "$rc" -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi
exit "$rc"
