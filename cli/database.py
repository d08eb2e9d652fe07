"""Finding and opening the store for a command: built from the seed first when missing, as the dashboard does."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cli.seed import ensure_default
from store import connect, default_db_path

DEFAULT_WAIT = 30.0
_RETRY_EVERY = 0.2


class StoreBusy(Exception):
    """Another process held the store for longer than the command would wait; nothing was changed."""


class StoreUnreachable(Exception):
    """The store could not be opened at all (not a database, or a server that does not answer)."""


def add_arguments(parser: argparse.ArgumentParser, required: bool = False, help: str = "") -> None:
    """The options every command that opens the store takes: --db and --wait."""
    parser.add_argument(
        "--db",
        type=Path,
        required=required,
        default=None,
        help=help or "the database file (default: $DASHBOARD_DB or data/dashboard.duckdb)",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDS",
        help=f"how long to wait for a store another process is writing (default {DEFAULT_WAIT:g})",
    )


def target(db: Path | None) -> Path:
    return db or default_db_path()


@contextmanager
def opened(args: argparse.Namespace, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store named by `args.db`, open for the length of the block; built from the seed first if missing."""
    path = target(args.db)
    if not path.exists():
        print(f"No database at {path}: building it from the seed council's data first.", file=sys.stderr)
        ensure_default(path)
    conn = _connect(path, read_only, args.wait)
    try:
        yield conn
    finally:
        conn.close()


def _connect(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds its lock, for at most `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreUnreachable(f"cannot open {path}: {exc}") from None
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"{path} stayed in use by another process (most likely the running dashboard) for "
                    f"{wait:g} s. Nothing was changed; try again, or pass a longer --wait."
                ) from None
        except duckdb.Error as exc:
            raise StoreUnreachable(f"cannot open {path}: {exc}") from None
        time.sleep(_RETRY_EVERY)
