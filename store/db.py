"""Opening the DuckDB file and bringing its schema up to date."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

_SCHEMA_DIR = Path(__file__).parent
_ROOT = Path(__file__).resolve().parent.parent


def default_db_path() -> Path:
    """`DASHBOARD_DB` if set, else data/dashboard.duckdb in the checkout."""
    return Path(os.environ.get("DASHBOARD_DB") or _ROOT / "data" / "dashboard.duckdb")


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and apply the schema; idempotent."""
    path = Path(path)
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    private_files()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(path))
    for made in (path, Path(f"{path}.wal")):
        if made.exists():
            made.chmod(0o600)
    migrate(conn)
    return conn


def private_files() -> None:
    """From now on this process creates files for its own user only (0600, folders 0700): the
    database, its WAL, backups and original files hold password hashes and uploaded data."""
    os.umask(0o077)


def migrate(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Bring the schema up to date (store/migrations.py); the migration files applied."""
    from store import migrations  # migrations uses now_utc from here

    return migrations.migrate(conn)


def schema_files() -> list[Path]:
    """store/NNN_*.sql, applied in name order (see store/migrations.py)."""
    return sorted(_SCHEMA_DIR.glob("[0-9][0-9][0-9]_*.sql"))


def now_utc() -> datetime:
    """UTC wall time without tzinfo, as stored in TIMESTAMP columns."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class Transaction:
    """An open transaction on its own cursor; set `keep = False` to roll back a normal exit."""

    cursor: duckdb.DuckDBPyConnection
    keep: bool = True


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection, frames: Mapping[str, object] | None = None) -> Iterator[Transaction]:
    """BEGIN on a fresh cursor (with `frames` registered by name); COMMIT, or ROLLBACK on any error."""
    cursor = conn.cursor()
    try:
        for name, frame in (frames or {}).items():
            cursor.register(name, frame)
        cursor.execute("BEGIN TRANSACTION")
        tx = Transaction(cursor)
        try:
            yield tx
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT" if tx.keep else "ROLLBACK")
    finally:
        cursor.close()
