#!/usr/bin/env bash
# Set everything up, then start the dashboard on the embedded default data
# (the database is built from data/seed/ on first start; DASHBOARD_DB overrides its path).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run dashboard.py --server.headless true --server.port "${PORT:-8501}" "$@"
