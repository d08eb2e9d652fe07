"""Backup and restore on PostgreSQL, in the same folder format as the DuckDB file's (store/backup.py).

So a council moves from the pilot file to a server, or back, with `board backup` on one and
`board restore --db` on the other, and every view, submission, audit entry and original file
(each checked by its SHA-256) comes across.

- Backup: one REPEATABLE READ, READ ONLY transaction, so every table is read from one snapshot while
  uploads go on. Each table's Parquet is typed from the server's own column types (not guessed from
  values), so an empty table or an all-NULL column keeps its type.
- Restore: only into a database that holds no data (tables absent, or present and empty). The
  schema files are applied, the sequences set to the backup's next values, then every table is
  loaded by one COPY each and checked by row count inside one transaction: a failure leaves no data.
  The target's own `schema_migration` record stands (it says what this database ran); the backup's
  is not copied over it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from store import audit
from store.backup import BackupError, _sha256, check, new_backup_folder, write_original
from store.pg import PgCursor, PgStore, _ident

# Tables the schema files (re)write on the target; they describe the target, not the data.
_OWN_RECORDS = ("schema_migration", "schema_version")
_ARROW = {
    16: pa.bool_(), 17: pa.binary(), 20: pa.int64(), 21: pa.int16(), 23: pa.int32(), 25: pa.string(),
    700: pa.float32(), 701: pa.float64(), 1043: pa.string(), 1082: pa.date32(), 1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"), 1700: pa.float64(),
}  # fmt: skip


def _tables(cur: PgCursor) -> list[str]:
    rows = cur.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]


def _arrow_table(cur: PgCursor) -> pa.Table:
    """The last result as Arrow, each column typed by its PostgreSQL type."""
    description = cur.description or []
    rows = cur.fetchall()
    columns = {}
    for i, d in enumerate(description):
        kind = _ARROW.get(d.type_code, pa.string())
        values = [row[i] for row in rows]
        if kind == pa.string():
            values = [None if v is None else str(v) for v in values]
        elif kind == pa.binary():
            values = [None if v is None else bytes(v) for v in values]
        elif kind == pa.float64():
            values = [None if v is None else float(v) for v in values]
        columns[d.name] = pa.array(values, type=kind)
    return pa.table(columns)


def backup(store: PgStore, folder: str | Path, by: str = "backup", role: str = "") -> Path:
    """Write a consistent backup of the PostgreSQL store into a new folder under `folder`."""
    target, manifest = new_backup_folder(folder)
    originals: list[dict[str, str]] = []
    with store.cursor() as cur:
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            tables = _tables(cur)
            for table in tables:
                path = target / "tables" / f"{table}.parquet"
                data = _arrow_table(cur.execute(f"SELECT * FROM {_ident(table)}"))
                pq.write_table(data, path)
                manifest["tables"][table] = {"rows": data.num_rows, "sha256": _sha256(path)}
            for name, last, start, step in cur.execute(
                "SELECT sequencename, last_value, start_value, increment_by FROM pg_sequences "
                "WHERE schemaname = 'public'"
            ).fetchall():
                manifest["sequences"][str(name)] = int(start if last is None else last + step)
            if "original_file" in tables:
                for file_name, content in cur.execute(
                    "SELECT file_name, content FROM original_file ORDER BY sha256"
                ).fetchall():
                    originals.append(write_original(target, str(file_name), bytes(content)))
        finally:
            cur.execute("ROLLBACK")
    manifest["originals"] = originals
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    writer: Any = store  # a PgStore offers what audit.record uses of a DuckDB connection
    audit.record(writer, by, role, "backup", str(target), "ok", f"{len(manifest['tables'])} tables")
    return target


def holds_data(store: PgStore) -> str | None:
    """The first table (other than the schema's own records) that has a row, else None."""
    with store.cursor() as cur:
        for table in _tables(cur):
            if table in _OWN_RECORDS:
                continue
            if cur.execute(f"SELECT EXISTS (SELECT 1 FROM {_ident(table)})").fetchone() == (True,):
                return table
    return None


def _column_types(cur: PgCursor, table: str) -> dict[str, str]:
    rows = cur.execute(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
        "WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped",
        [_ident(table)],
    ).fetchall()
    return {str(name): str(kind) for name, kind in rows}


def _for_copy(data: pa.Table) -> pa.Table:
    """Binary columns as PostgreSQL's hex text (`\\x...`): the CSV that COPY reads has no bytes type."""
    for i, field in enumerate(data.schema):
        if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
            hexed = [None if v is None else "\\x" + v.hex() for v in data.column(i).to_pylist()]
            data = data.set_column(i, field.name, pa.array(hexed, type=pa.string()))
    return data


def _load(cur: PgCursor, folder: Path, table: str, rows: int) -> None:
    data = _for_copy(pq.read_table(folder / "tables" / f"{table}.parquet"))
    staging = f"restore_{table}"
    cur.register(staging, data)
    names = [str(n) for n in data.column_names]
    existing = _column_types(cur, table) if table in _tables(cur) else None
    if existing is None:  # a table this version's schema no longer makes: kept as it was
        cur.execute(f"CREATE TABLE {_ident(table)} AS SELECT * FROM {_ident(staging)}")
    else:
        missing = [n for n in names if n not in existing]
        if missing:
            raise BackupError(f"table {table}: columns {missing} are not in this version's schema.", "Restore failed")
        columns = ", ".join(_ident(n) for n in names)
        casts = ", ".join(f"{_ident(n)}::{existing[n]}" for n in names)
        cur.execute(f"INSERT INTO {_ident(table)} ({columns}) SELECT {casts} FROM {_ident(staging)}")
    cur.execute(f"DROP TABLE {_ident(staging)}")
    got = cur.execute(f"SELECT count(*) FROM {_ident(table)}").fetchone()
    if (int(got[0]) if got else 0) != rows:
        raise BackupError(f"table {table}: {got[0] if got else 0} rows restored, {rows} expected.", "Restore failed")


def restore(folder: str | Path, url: str, by: str = "restore") -> str:
    """Fill the empty PostgreSQL database at `url` with exactly what the backup holds."""
    folder = Path(folder)
    manifest = check(folder)
    probe = PgStore(url, migrate=False)
    try:
        table = holds_data(probe)
    finally:
        probe.close()
    if table is not None:
        raise BackupError(
            f"{probe.where} already holds data (table {table}). Restore into a new, empty database, check "
            "it, then point DASHBOARD_DB at it; nothing is ever overwritten.",
            "Database exists",
        )
    store = PgStore(url)  # applies the schema files
    try:
        with store.cursor() as cur:
            for name, next_value in manifest["sequences"].items():
                cur.execute(f"CREATE SEQUENCE IF NOT EXISTS {_ident(name)}")
                cur.execute("SELECT setval(?, ?, false)", [_ident(name), int(next_value)])
            cur.execute("BEGIN")
            try:
                for table, info in manifest["tables"].items():
                    if table not in _OWN_RECORDS:
                        _load(cur, folder, table, int(info["rows"]))
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
            cur.execute("ANALYZE")  # fresh tables have no statistics: the views' plans need them
        writer: Any = store  # as in backup()
        audit.record(writer, by, "", "restore", str(folder), "ok", f"into {store.where}")
    finally:
        store.close()
    return url
