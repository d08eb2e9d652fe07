#!/usr/bin/env bash
# Set everything up, then run every check: formatting, lint, types, and all tests
# (unit, AppTest and headless-Chromium browser tests).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev || exit 1
status=0
.venv/bin/ruff format --check . || status=1
.venv/bin/ruff check . || status=1
.venv/bin/mypy || status=1
.venv/bin/lint-imports --no-cache || status=1
.venv/bin/python -m pytest "$@"
code=$?
if [ "$code" = 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  code=1
fi
[ "$code" = 0 ] || status=1
exit "$status"
