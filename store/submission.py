"""The one write path: every change to the store (uploads, seed, LAIT, settings, commentary,
rollback and re-apply) runs here, under one lock, in one transaction, with its audit record.

Why one place: a submission header (`nextval` + `submission_log` + the 'applied' event) written
in three modules drifted apart, and one of them wrote without the lock and without the audit
entry the upload path kept. Decisions taken from what the store holds (is this file a duplicate?
is this submission still active?) are only safe when no other write runs between the read and
the write, so the lock is taken before the transaction opens and released after it ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import duckdb
import psycopg

from store import audit
from store.db import now_utc, transaction

T = TypeVar("T")

WAIT_SECONDS = 30.0
# In-process: threads of one dashboard. Across processes the live store's file lock (DuckDB) or
# the database's own row locks (PostgreSQL) order writers; see store/live.py.
WRITE_LOCK = threading.Lock()
# What a failed database write raises (disk full, I/O error, conflict, a lost server), on either backend,
# for pages to catch without importing a driver.
StoreError = (duckdb.Error, psycopg.Error)


class HistoryError(Exception):
    """A write that cannot be done; `title` and `message` are for the user."""

    def __init__(self, message: str, title: str = "Not done") -> None:
        super().__init__(message)
        self.title = title
        self.message = message


class Busy(HistoryError):
    """Another write held the store for longer than the caller would wait; nothing was stored."""

    def __init__(self) -> None:
        super().__init__(
            "another upload or rollback is being stored right now. Nothing was stored; try again in a moment.",
            "Please try again",
        )


@dataclass(frozen=True)
class Actor:
    """Who asks for a write, for the audit log. The role is as the dashboard or command line saw it."""

    username: str
    role: str


@dataclass(frozen=True)
class AuditEntry:
    action: str
    target: str
    outcome: str = "ok"
    detail: str = ""


@dataclass
class Written(Generic[T]):
    """What a write body decided: its result, whether to COMMIT, and what to write in the audit log."""

    value: T
    keep: bool = True
    audit: AuditEntry | None = None


@dataclass(frozen=True)
class Header:
    """The submission_log row of one submission (counts are rows in the file, for the History page)."""

    kind: str
    file_name: str
    sha256: str
    user: str
    action_rows: int = 0
    rating_rows: int = 0
    kpi_rows: int = 0
    observation_rows: int = 0
    warnings: int = 0
    note: str = ""


@contextmanager
def locked(wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the process's write lock, or raise Busy after `wait` seconds."""
    if not WRITE_LOCK.acquire(timeout=wait):
        raise Busy()
    try:
        yield
    finally:
        WRITE_LOCK.release()


def write(
    conn: duckdb.DuckDBPyConnection,
    body: Callable[[duckdb.DuckDBPyConnection], Written[T]],
    actor: Actor | None = None,
    frames: Mapping[str, Any] | None = None,
    wait: float = WAIT_SECONDS,
) -> T:
    """Run `body(cursor)` under the write lock in one transaction (with `frames` registered).

    The body says whether to keep its work. With an actor, its audit entry joins the same
    transaction when the work is kept (stored together or not at all), and is written on its own
    when the work is rolled back (a duplicate or refused upload is still worth recording).
    An exception from the body rolls everything back and writes no audit entry.
    """
    with locked(wait):
        with transaction(conn, frames) as tx:
            begin_write = getattr(conn, "begin_write", None)  # PostgreSQL: order writers across processes
            if begin_write is not None:
                begin_write(tx.cursor, wait)
            written = body(tx.cursor)
            tx.keep = written.keep
            if written.keep and actor is not None and written.audit is not None:
                _audit(tx.cursor, actor, written.audit)
        if not written.keep and actor is not None and written.audit is not None:
            with transaction(conn) as tx:
                _audit(tx.cursor, actor, written.audit)
    return written.value


# A stored write of at least this many rows refreshes the planner's statistics of the tables it
# filled (PostgreSQL; DuckDB keeps its own as it goes). Smaller ones are left to autovacuum.
BULK_ROWS = 1_000


def refresh_statistics(conn: duckdb.DuckDBPyConnection, rows: int, *tables: str) -> None:
    """After a stored bulk write, outside the write lock: see `store.pg.PgStore.analyze`."""
    analyze = getattr(conn, "analyze", None)
    if analyze is not None and rows >= BULK_ROWS:
        analyze(*tables)


def _audit(cur: duckdb.DuckDBPyConnection, actor: Actor, entry: AuditEntry) -> None:
    audit.insert(cur, actor.username, actor.role, entry.action, entry.target, entry.outcome, entry.detail)


def begin(cur: duckdb.DuckDBPyConnection, header: Header) -> int:
    """Open a new submission inside the caller's transaction: its id, log row and 'applied' event."""
    row = cur.execute("SELECT nextval('submission_id_seq')").fetchone()
    assert row is not None
    sid = int(row[0])
    cur.execute(
        "INSERT INTO submission_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            sid,
            header.kind,
            header.file_name,
            header.sha256,
            header.user,
            now_utc(),
            header.action_rows,
            header.rating_rows,
            header.kpi_rows,
            header.observation_rows,
            header.warnings,
            header.note,
        ],
    )
    add_event(cur, sid, "applied", header.user)
    return sid


def add_event(cur: duckdb.DuckDBPyConnection, submission_id: int, event: str, user: str) -> None:
    """applied | rolled_back | reapplied: the only way a submission's status changes."""
    cur.execute(
        "INSERT INTO submission_event VALUES (nextval('event_id_seq'), ?, ?, ?, ?)",
        [submission_id, event, now_utc(), user],
    )


def keep_original(cur: duckdb.DuckDBPyConnection, sha256: str, file_name: str, content: bytes) -> None:
    """The file exactly as received, kept once per SHA-256."""
    cur.execute(
        "INSERT INTO original_file SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM original_file WHERE sha256 = ?)",
        [sha256, file_name, content, sha256],
    )


def insert_returning_id(
    conn: duckdb.DuckDBPyConnection, sql: str, params: list[object], actor: Actor | None = None, action: str = ""
) -> int:
    """One INSERT ... RETURNING id through the write path (commentary saves)."""

    def body(cur: duckdb.DuckDBPyConnection) -> Written[int]:
        row = cur.execute(sql, params).fetchone()
        assert row is not None
        return Written(int(row[0]), audit=AuditEntry(action, str(row[0])) if action else None)

    return write(conn, body, actor)
