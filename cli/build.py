"""`board init`: build a database from shipped data on demand (the dashboard does it on first start)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli import database
from cli.exit_codes import Exit
from cli.seed import build_default, fill_seed
from store.backend import describe, is_url


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = commands.add_parser(
        "init",
        help="build the database from the seed council's files",
        description="Build the database from data/seed (Sunderland's plan and KPIs) and data/lait. Refuses to "
        "replace an existing database unless given --force, and then keeps the old file beside the new one.",
    )
    database.add_arguments(init, help="the DuckDB file to build, or an empty PostgreSQL database to fill")
    init.add_argument("--force", action="store_true", help="replace an existing database file (the old one is kept)")
    init.set_defaults(run=init_seed)


def init_seed(args: argparse.Namespace) -> int:
    where = database.target(args.db)
    if is_url(where):
        return _fill_postgres(args)
    path = Path(where)
    existed = path.exists()
    try:
        build_default(path, overwrite=args.force)
    except FileExistsError:
        print(f"{path} already exists; nothing changed (use --force to rebuild it)", file=sys.stderr)
        return Exit.REFUSED
    kept = " (the old file was kept beside it as .replaced-<time>)" if existed else ""
    print(f"built {path} from the seed council's plan and KPI workbooks{kept}")
    return Exit.OK


def _fill_postgres(args: argparse.Namespace) -> int:
    """An empty PostgreSQL database (made by IT) gets the seed data; one holding data is never touched."""
    with database.opened(args) as conn:
        row = conn.execute("SELECT count(*) FROM submissions").fetchone()
        if row is not None and row[0]:
            print(
                f"{describe(database.target(args.db))} already holds {row[0]} submissions; nothing changed "
                "(a database server is never replaced: restore a backup into a new, empty database)",
                file=sys.stderr,
            )
            return Exit.REFUSED
        fill_seed(conn)
    print(f"filled {describe(database.target(args.db))} with the seed council's plan, KPIs and LAIT data")
    return Exit.OK
