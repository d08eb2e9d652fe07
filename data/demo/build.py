"""Build a database of the FICTIONAL demonstration council (Northmoor, LA 999), never the seed's.

The builder lives with the seed builder in the command line's composition root (cli/demo.py);
this script is the same as `board demo`. Run from the project root:

    .venv/bin/board demo [--db data/demo.duckdb] [--force]
    .venv/bin/python data/demo/build.py [--db data/demo.duckdb] [--force]
    DASHBOARD_DB=data/demo.duckdb bash scripts/run.sh
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cli.demo import DEFAULT_DB, DEMO_COUNCIL, DEMO_FILES, build_demo  # noqa: E402
from cli.main import main as board  # noqa: E402

__all__ = ["DEFAULT_DB", "DEMO_COUNCIL", "DEMO_FILES", "build_demo", "main"]


def main(argv: list[str] | None = None) -> int:
    return board(["demo", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
