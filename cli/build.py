"""`board init`: build a database from shipped data on demand (the dashboard does it on first start)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.exit_codes import Exit
from cli.seed import build_default
from store import default_db_path


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = commands.add_parser(
        "init",
        help="build the database from the seed council's files",
        description="Build the database from data/seed (Sunderland's plan and KPIs) and data/lait. Refuses to "
        "replace an existing database unless given --force, and then keeps the old file beside the new one.",
    )
    init.add_argument("--db", type=Path, default=None, help="the database file to build (default: $DASHBOARD_DB)")
    init.add_argument("--force", action="store_true", help="replace an existing database (the old one is kept)")
    init.set_defaults(run=init_seed)


def init_seed(args: argparse.Namespace) -> int:
    path = args.db or default_db_path()
    existed = path.exists()
    try:
        build_default(path, overwrite=args.force)
    except FileExistsError:
        print(f"{path} already exists; nothing changed (use --force to rebuild it)", file=sys.stderr)
        return Exit.REFUSED
    kept = " (the old file was kept beside it as .replaced-<time>)" if existed else ""
    print(f"built {path} from the seed council's plan and KPI workbooks{kept}")
    return Exit.OK
