"""Moving from the pilot file to PostgreSQL and back without losing history (issue 11): a backup of
the DuckDB file restored into an empty PostgreSQL database, and a backup of that restored into a new
DuckDB file, show the same views, submissions, audit log and original files (each by its hash)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from cli.main import main as board
from loaders.ingest import read_bytes
from store import accounts, backup, connect, history
from store.backend import open_store
from store.queries import catalogue
from tests.data.good.make_fictional import workbook
from tests.postgres import database_url
from tests.test_backup import fill_history

GOOD = Path(__file__).resolve().parent / "data" / "good"
ACTOR = history.Actor("ann", "uploader")
VIEWS = ("submissions", "settings", "actions", "rag_history", "kpis", "kpi_observations", "accounts", "priorities")
_EMPTY = iter(range(1, 1_000_000))


@pytest.fixture
def empty_pg(pg_server: str) -> str:
    """A new database with nothing in it, as IT would hand one over."""
    name = f"restore_{next(_EMPTY)}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return database_url(pg_server, name)


def snapshot(conn: Any) -> dict[str, Any]:
    """What a user of the database would see: every analyst view's rows, the audit log, the original
    files by hash, and how many LAIT values the benchmark views hold."""
    cur = conn.cursor()
    try:
        seen: dict[str, Any] = {
            view: sorted(map(tuple, cur.execute(f"SELECT * FROM {view}").fetchall()), key=repr) for view in VIEWS
        }
        seen["audit_log"] = [tuple(r) for r in cur.execute("SELECT * FROM audit_log ORDER BY audit_id").fetchall()]
        files = cur.execute("SELECT sha256, file_name, content FROM original_file ORDER BY sha256").fetchall()
        seen["originals"] = [(s, n, hashlib.sha256(bytes(c)).hexdigest()) for s, n, c in files]
        seen["benchmark_values"] = cur.execute("SELECT count(*) FROM benchmark_values").fetchone()
    finally:
        cur.close()
    return seen


def without_restore_entry(seen: dict[str, Any]) -> dict[str, Any]:
    """A restored database's snapshot less the one audit entry its restore wrote."""
    *kept, last = seen["audit_log"]
    assert "restore" in last
    return {**seen, "audit_log": kept}


def test_duckdb_to_postgresql_and_back(db_path: Path, empty_pg: str, pg_server: str, tmp_path: Path) -> None:
    conn = connect(db_path)
    monthly = fill_history(conn)
    pilot = snapshot(conn)
    assert pilot["benchmark_values"][0] > 0  # the seed's LAIT extract comes across too
    folder = backup.backup(conn, tmp_path / "from-duckdb", by="test")
    conn.close()

    assert board(["restore", str(folder), "--db", empty_pg]) == 0  # a URL, not a file called "postgresql:"
    assert not Path("postgresql:").exists()
    server = open_store(empty_pg)
    try:
        assert without_restore_entry(snapshot(server)) == pilot
        # New rows continue the old numbering on the server too.
        data = workbook({"CL_NEET": {"2017-04": 40}})
        parsed = read_bytes(data, "april.xlsx", catalogue=catalogue(server), default_la="999")
        outcome = history.store_upload(server, parsed, data, ACTOR)
        assert outcome.submission_id == max(r[0] for r in pilot["submissions"]) + 1
        assert accounts.verify(server, "ann", "correct horse battery") is not None
        on_server = snapshot(server)
        back = backup.backup(server, tmp_path / "from-postgresql", by="test")
    finally:
        server.close()

    manifest = json.loads((back / "manifest.json").read_text())
    files = {o["file_name"]: (back / o["path"]).read_bytes() for o in manifest["originals"]}
    assert files["monthly.xlsx"] == monthly and files["april.xlsx"] == data
    restored = backup.restore(back, tmp_path / "again.duckdb", by="test")
    again = connect(Path(restored))
    try:
        assert without_restore_entry(snapshot(again)) == on_server
    finally:
        again.close()


def test_restore_refuses_a_database_that_holds_data(pg_url: str, tmp_path: Path, db_path: Path) -> None:
    conn = connect(db_path)
    folder = backup.backup(conn, tmp_path / "b", by="test")
    conn.close()
    target = open_store(pg_url)
    before = snapshot(target)
    with pytest.raises(backup.BackupError, match="already holds data"):
        backup.restore(folder, pg_url, by="test")
    assert board(["restore", str(folder), "--db", pg_url]) != 0
    try:
        assert snapshot(target) == before  # nothing written, not even an audit entry
    finally:
        target.close()
