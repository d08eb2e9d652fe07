"""Numbered migrations: recorded in the store, applied at start, able to alter tables, and a
database made before they were recorded (the schema of commit 8547656) opens and upgrades."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from store import connect, migrations
from store.queries import fetch_df
from store.writes import submit_settings

OLD_SCHEMA = Path(__file__).parent / "data" / "schema_8547656"  # store/*.sql as of commit 8547656
STORE_SQL = Path(__file__).resolve().parent.parent / "store"


def _old_database(path: Path) -> None:
    """A database as commit 8547656 made it: its four schema files, schema_version 1, one KPI value
    (fictional council 999), one account and one audit entry; no schema_migration table."""
    conn = duckdb.connect(str(path))
    try:
        for script in sorted(OLD_SCHEMA.glob("*.sql")):
            conn.execute(script.read_text())
        conn.execute("INSERT INTO schema_version VALUES (1, TIMESTAMP '2026-11-30 09:00:00')")
        sid = conn.execute("SELECT nextval('submission_id_seq')").fetchone()[0]  # type: ignore[index]
        at = datetime(2026, 11, 30, 9, 0)
        conn.execute(
            "INSERT INTO submission_log VALUES (?, 'kpi', 'old.xlsx', 'abc', 'ann', ?, 0, 0, 1, 1, 0, '')", [sid, at]
        )
        conn.execute("INSERT INTO submission_event VALUES (nextval('event_id_seq'), ?, 'applied', ?, 'ann')", [sid, at])
        conn.execute("INSERT INTO kpi_version VALUES (?, 'FICT_1', 'Fictional KPI', '%', 'higher', 80, '', '')", [sid])
        conn.execute("INSERT INTO observation_entry VALUES (?, 'FICT_1', '999', DATE '2017-01-01', 71, NULL, NULL, 4)",
                     [sid])  # fmt: skip
        conn.execute(
            "INSERT INTO account_version VALUES (nextval('account_version_seq'), 'ann', 'Ann', 'admin', NULL, NULL,"
            " false, 'created', ?, 'setup')",
            [at],
        )
        conn.execute("INSERT INTO audit_log VALUES (nextval('audit_id_seq'), ?, 'ann', 'admin', 'upload', "
                     "'submission 1', 'stored', 'old.xlsx abc')", [at])  # fmt: skip
    finally:
        conn.close()


def test_a_database_made_by_8547656_opens_and_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    _old_database(path)
    conn = connect(path)
    try:
        recorded = [name for name, _, _ in migrations.history(conn)]
        assert recorded == [m.name for m in migrations.files()]  # every file applied once and recorded
        assert migrations.pending(conn) == []
        values = fetch_df(conn, "SELECT kpi_code, la_code, period, value, target FROM kpi_observations")
        assert values.to_dict("records") == [
            {
                "kpi_code": "FICT_1",
                "la_code": "999",
                "period": pd.Timestamp(date(2017, 1, 1)),
                "value": 71.0,
                "target": 80.0,
            }
        ]
        assert fetch_df(conn, "SELECT username, role FROM accounts").to_dict("records") == [
            {"username": "ann", "role": "admin"}
        ]
        assert len(fetch_df(conn, "SELECT * FROM audit_log")) == 1
        new = submit_settings(conn, {"council_code": "999"}, "ann")
        assert new == 2  # the old sequences carry on
        assert fetch_df(conn, "SELECT value FROM settings WHERE key = 'council_code'").iloc[0, 0] == "999"
    finally:
        conn.close()
    again = connect(path)  # a second start applies nothing
    try:
        assert len(migrations.history(again)) == len(migrations.files())
    finally:
        again.close()


@pytest.fixture
def sql_dir(tmp_path: Path) -> Path:
    """A copy of today's migration files, to add test migrations to."""
    folder = tmp_path / "sql"
    folder.mkdir()
    for script in STORE_SQL.glob("[0-9][0-9][0-9]_*.sql"):
        shutil.copy(script, folder)
    return folder


def test_a_migration_can_alter_a_table_and_a_changed_file_is_applied_again(
    db: duckdb.DuckDBPyConnection, sql_dir: Path
) -> None:
    assert migrations.pending(db, sql_dir) == []
    extra = sql_dir / "900_channel.sql"
    extra.write_text("ALTER TABLE submission_log ADD COLUMN IF NOT EXISTS channel VARCHAR DEFAULT 'dashboard';")
    assert migrations.migrate(db, sql_dir) == ["900_channel.sql"]
    channels = fetch_df(db, "SELECT DISTINCT channel FROM submission_log")
    assert channels["channel"].tolist() == ["dashboard"]  # existing rows get the default
    assert migrations.migrate(db, sql_dir) == []
    extra.write_text(
        extra.read_text() + "\nCREATE OR REPLACE VIEW channels AS SELECT DISTINCT channel FROM submission_log;"
    )
    assert migrations.migrate(db, sql_dir) == ["900_channel.sql"]
    names = [name for name, _, _ in migrations.history(db)]
    assert names.count("900_channel.sql") == 2  # both applications are on record, with their checksums
    assert fetch_df(db, "SELECT * FROM channels")["channel"].tolist() == ["dashboard"]


def test_a_failing_migration_stores_nothing_of_itself_and_names_the_file(
    db: duckdb.DuckDBPyConnection, sql_dir: Path
) -> None:
    (sql_dir / "900_broken.sql").write_text("CREATE TABLE half_done (x INTEGER);\nSELECT * FROM no_such_table;")
    with pytest.raises(migrations.MigrationError) as raised:
        migrations.migrate(db, sql_dir)
    assert "900_broken.sql" in str(raised.value)
    assert fetch_df(db, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'half_done'").iloc[0, 0] == 0
    assert "900_broken.sql" not in [name for name, _, _ in migrations.history(db)]
