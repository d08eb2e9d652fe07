"""The live store on a DuckDB file: the dashboard, command-line jobs and analysts at the same time.

DuckDB lets one process at a time open a file for writing, and a process holding it for writing
shuts every other process out, readers included. So no process keeps the database file open:

- **Writes** open the file for the length of one write (a cursor whose first statement is not a
  read), retrying for up to `wait` seconds while another process holds it, then raise StoreBusy.
  Before the file is let go, the write **publishes** a read copy: CHECKPOINT (the WAL folded into
  the file), a byte copy to a temporary file, and an atomic rename over `<name>.read.duckdb`.
- **Reads** (the dashboard's pages, analysts, a BI tool) use that read copy, opened read-only,
  which any number of processes may share. A reader that opened an older copy keeps reading it
  (the rename leaves its file in place) until it opens again; so a long analyst query never
  holds up an upload, and nobody sees half of a submission.

The dashboard checks the copy's identity (one stat) at every read and reopens it when a write in
any process has replaced it, so the data version, read from the store, changes on its next rerun.
A write made outside this module (a plain `store.connect`) is noticed by the main file's size and
time differing from those recorded at the last publish, and published by the next reader that
can get the file at once. Measured costs are in the README ("The live store").
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from store.db import connect
from store.submission import Busy

DEFAULT_WAIT = 30.0
_RETRY_EVERY = 0.02
_READ = re.compile(
    r"^\s*(?:--[^\n]*\n\s*)*\(*\s*(SELECT|WITH|FROM|SHOW|DESCRIBE|SUMMARIZE|EXPLAIN|VALUES|PRAGMA)\b", re.I
)
_WORD = re.compile(r"^\s*(?:--[^\n]*\n\s*)*(\w+)")


class StoreBusy(Busy):
    """Another process held the database file for longer than the caller would wait; nothing changed."""

    def __init__(self, path: Path, wait: float) -> None:
        super().__init__()
        self.path = path
        self.wait = wait
        self.message = (
            f"the database {path} stayed in use by another process for {wait:g} s (a load, a backup or "
            "another dashboard writing). Nothing was changed; try again in a moment."
        )


def read_copy_path(path: str | Path) -> Path:
    """Where the published read copy of `path` lives: data/dashboard.duckdb -> data/dashboard.read.duckdb."""
    path = Path(path)
    return path.with_name(f"{path.stem}.read{path.suffix or '.duckdb'}")


def _stamp_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.published")


def _signature(path: Path) -> list[int]:
    """Size and modification time of the file and its WAL: what any commit changes."""
    parts: list[int] = []
    for file in (path, Path(f"{path}.wal")):
        try:
            info = file.stat()
        except FileNotFoundError:
            parts += [-1, -1]
        else:
            parts += [info.st_size, info.st_mtime_ns]
    return parts


def _is_lock_conflict(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def open_writer(path: Path, wait: float) -> duckdb.DuckDBPyConnection:
    """The database file open for writing (schema brought up to date), waiting up to `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return connect(path)
        except duckdb.IOException as exc:
            if not _is_lock_conflict(exc):
                raise
            if time.monotonic() >= deadline:
                raise StoreBusy(path, wait) from None
        time.sleep(_RETRY_EVERY)


def publish(conn: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """Replace the read copy of `path` with the file as it is now (the caller holds it, no write open)."""
    target = read_copy_path(path)
    conn.execute("CHECKPOINT")
    building = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    shutil.copyfile(path, building)
    with building.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(building, target)
    stamp = _stamp_path(target)
    staging = stamp.with_name(f"{stamp.name}.{os.getpid()}.tmp")
    staging.write_text(json.dumps({"source": _signature(path), "published_at": time.time()}))
    os.replace(staging, stamp)
    return target


def _published_signature(path: Path) -> list[int] | None:
    try:
        return list(json.loads(_stamp_path(read_copy_path(path)).read_text())["source"])
    except (FileNotFoundError, ValueError, KeyError):
        return None


_LINKS = itertools.count()


def _open_copy(copy: Path) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int]]:
    """Open the read copy as it is now, read-only, through a private link of its own.

    DuckDB hands a second connect() to a path already open in this process the database it
    already has, which for a replaced copy is the old file; a fresh name per opening avoids that.
    The link goes once the file is open (the open file stays readable).
    """
    link = copy.with_name(f".{copy.name}.{os.getpid()}.{next(_LINKS)}")
    os.link(copy, link)
    try:
        info = link.stat()
        return duckdb.connect(str(link), read_only=True), (info.st_ino, info.st_mtime_ns)
    finally:
        link.unlink()


class LiveStore:
    """A connection-like object over a DuckDB file that never keeps the file open between writes.

    It offers what the store's functions use of a DuckDB connection (`cursor()`, `execute()`,
    `close()`), so pages and jobs pass it wherever a connection goes.
    """

    def __init__(self, path: str | Path, wait: float = DEFAULT_WAIT) -> None:
        self.path = Path(path)
        self.wait = wait
        self._state = threading.Lock()
        # One write at a time in this process (CHECKPOINT needs it); a plain lock, so a read made
        # while this thread writes never tries to publish its half-done work.
        self._writing = threading.Lock()
        self._reader: duckdb.DuckDBPyConnection | None = None
        self._reader_id: tuple[int, int] | None = None
        self.publishes = 0
        self.reopens = 0
        if not read_copy_path(self.path).exists():
            self._publish(self.wait)

    # --- reads -------------------------------------------------------------------------------
    def reader(self) -> duckdb.DuckDBPyConnection:
        """The read copy as last published by any process, opened read-only (reopened when replaced)."""
        if _signature(self.path) != _published_signature(self.path):
            self._publish(0.0)  # a write made outside this module; best effort, never waits
        copy = read_copy_path(self.path)
        with self._state:
            try:
                info = copy.stat()
            except FileNotFoundError:
                info = None
            if info is None:
                self._publish(self.wait)
                info = copy.stat()
            identity = (info.st_ino, info.st_mtime_ns)
            if self._reader is None or identity != self._reader_id:
                # Cursors of the old copy keep it alive until they close; then it is let go.
                self._reader, self._reader_id = _open_copy(copy)
                self.reopens += 1
            return self._reader

    def _publish(self, wait: float) -> bool:
        """Publish the main file's current state; False if it could not be had within `wait`."""
        if not self._writing.acquire(timeout=wait if wait > 0 else 0.001):
            return False  # this process is writing; it publishes when done
        try:
            try:
                conn = open_writer(self.path, wait)
            except StoreBusy:
                if not read_copy_path(self.path).exists():
                    raise
                return False
            try:
                publish(conn, self.path)
                self.publishes += 1
            finally:
                conn.close()
            return True
        finally:
            self._writing.release()

    # --- the connection interface ------------------------------------------------------------
    def cursor(self) -> LiveCursor:
        return LiveCursor(self)

    def execute(self, sql: str, params: list[object] | None = None) -> LiveCursor:
        return self.cursor().execute(sql, params)

    def close(self) -> None:
        with self._state:
            self._reader = None
            self._reader_id = None

    def __enter__(self) -> LiveStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LiveCursor:
    """A cursor that reads from the read copy, or, from its first non-read statement on, holds the
    database file for one write and publishes when it closes."""

    def __init__(self, store: LiveStore) -> None:
        self._store = store
        self._cur: duckdb.DuckDBPyConnection | None = None
        self._writer: duckdb.DuckDBPyConnection | None = None
        self._frames: dict[str, Any] = {}
        self._in_transaction = False
        self._pending_change = False
        self._changed = False

    def register(self, name: str, frame: object) -> LiveCursor:
        if self._cur is None:
            self._frames[name] = frame
        else:
            self._cur.register(name, frame)
        return self

    def _open(self, sql: str) -> duckdb.DuckDBPyConnection:
        if _READ.match(sql):
            cur = self._store.reader().cursor()
        else:
            if not self._store._writing.acquire(timeout=self._store.wait):
                raise StoreBusy(self._store.path, self._store.wait)
            try:
                self._writer = open_writer(self._store.path, self._store.wait)
            except BaseException:
                self._store._writing.release()
                raise
            cur = self._writer.cursor()
        for name, frame in self._frames.items():
            cur.register(name, frame)
        return cur

    def _track(self, sql: str) -> None:
        match = _WORD.match(sql)
        word = match.group(1).upper() if match else ""
        if word == "BEGIN":
            self._in_transaction, self._pending_change = True, False
        elif word in ("COMMIT", "END"):
            self._changed |= self._pending_change
            self._in_transaction = False
        elif word in ("ROLLBACK", "ABORT"):
            self._in_transaction, self._pending_change = False, False
        elif not _READ.match(sql):
            if self._in_transaction:
                self._pending_change = True
            else:
                self._changed = True

    def execute(self, sql: str, params: list[object] | Mapping[str, object] | None = None) -> LiveCursor:
        if self._cur is None:
            self._cur = self._open(sql)
        if self._writer is not None:
            self._track(sql)
        self._cur.execute(sql, params if params is not None else [])
        return self

    def _result(self) -> duckdb.DuckDBPyConnection:
        if self._cur is None:
            raise duckdb.InvalidInputException("no statement has been executed on this cursor")
        return self._cur

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._result().fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._result().fetchall()

    def df(self) -> Any:
        return self._result().df()

    fetchdf = df

    def __getattr__(self, name: str) -> Any:
        """Anything else a DuckDB cursor offers (fetchnumpy, arrow, description...), from the open one."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._result(), name)

    def close(self) -> None:
        cur, writer = self._cur, self._writer
        self._cur = self._writer = None
        if cur is not None:
            cur.close()
        if writer is None:
            return
        try:
            if self._in_transaction:
                writer.execute("ROLLBACK")
            if self._changed:
                publish(writer, self._store.path)
                self._store.publishes += 1
        finally:
            writer.close()
            self._store._writing.release()

    def __enter__(self) -> LiveCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if self._cur is not None or self._writer is not None:
            self.close()


def open_store(path: str | Path, wait: float = DEFAULT_WAIT) -> LiveStore:
    """The live store on the DuckDB file at `path` (which must exist; the seed builder makes it)."""
    return LiveStore(path, wait)
