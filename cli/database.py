"""Finding and opening the store for a command: built from the seed first when missing, as the dashboard does.

The store is named by `--db` (a DuckDB file or a `postgresql://` URL), else as the dashboard finds
it (store/backend.py: `DASHBOARD_DB`, `[store] url` in .streamlit/secrets.toml, data/dashboard.duckdb).
On the DuckDB file the live store (store/live.py) holds the file only for the length of each write,
so commands run beside a running dashboard; a write that cannot have it within `--wait` raises
StoreBusy, which the command line reports with exit code 3.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import duckdb

from cli.seed import ensure_default
from store.backend import StoreUnreachable, default_target, describe, is_url, open_store
from store.live import DEFAULT_WAIT

__all__ = ["DEFAULT_WAIT", "StoreUnreachable", "add_arguments", "opened", "target"]


def add_arguments(parser: argparse.ArgumentParser, required: bool = False, help: str = "") -> None:
    """The options every command that opens the store takes: --db and --wait."""
    parser.add_argument(
        "--db",
        required=required,
        default=None,
        metavar="PATH|URL",
        help=help
        or "the DuckDB file or postgresql:// URL (default: $DASHBOARD_DB, [store] url in "
        ".streamlit/secrets.toml, else data/dashboard.duckdb)",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"how long to wait for a store another process is writing (default {DEFAULT_WAIT:g})",
    )


def target(db: str | None) -> str | Path:
    """What `--db` names: a URL as given, a path as a Path; without one, the dashboard's own store."""
    if db:
        return db if is_url(db) else Path(db)
    return default_target()


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store named by `args.db`, open for the length of the block; a missing DuckDB file is built
    from the seed first. A PostgreSQL database is made by IT (README), so it is only opened."""
    where = target(args.db)
    if not is_url(where) and not Path(where).exists():
        print(f"No database at {where}: building it from the seed council's data first.", file=sys.stderr)
        ensure_default(where)
    try:
        store = open_store(where, args.wait)
    except duckdb.Error as exc:  # not a database file, a damaged one
        raise StoreUnreachable(describe(where), str(exc)) from None
    try:
        # The store is connection-like (cursor, execute, close): the store's functions take it as one.
        yield cast(duckdb.DuckDBPyConnection, store)
    finally:
        store.close()
