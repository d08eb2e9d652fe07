"""Backup (every table to Parquet, plus each original file as it was uploaded) and restore.

A backup is a folder `backup-YYYYMMDDTHHMMSSZ` holding `tables/<table>.parquet`, the original
files under `originals/<sha256>/<file name>`, and `manifest.json` with row counts, each file's
SHA-256 and the sequences' next values. It is taken inside one read transaction, so it is a
consistent snapshot. A restore builds a new database file beside the target and moves it into
place only when every table and file has been checked: it never overwrites a database.

Both backends take and restore the same folder (issue 11: moving from the pilot file to PostgreSQL
without losing history). On PostgreSQL the snapshot is one REPEATABLE READ transaction, the Parquet
is written by Arrow from the server's own column types, and a restore goes into an existing database
that holds no data yet (IT makes databases, not this command): migrated, sequences set, every table
loaded by COPY inside one transaction, so a failed restore leaves it empty.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from store import audit
from store.db import migrate, private_files, transaction

FORMAT = 1


class BackupError(Exception):
    def __init__(self, message: str, title: str = "Backup problem") -> None:
        super().__init__(message)
        self.title = title
        self.message = message


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_original(target: Path, file_name: str, content: bytes) -> dict[str, str]:
    """One original file into the backup folder, and its manifest entry.

    The folder is named by the hash computed here, never by the stored text: a forged "hash" such
    as `../..` once named a folder outside the backup."""
    digest = hashlib.sha256(content).hexdigest()
    place = target / "originals" / digest / _safe_name(file_name)
    place.parent.mkdir(exist_ok=True)
    place.write_bytes(content)
    return {"sha256": digest, "file_name": file_name, "path": str(place.relative_to(target))}


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._ -]+", "_", Path(name).name).strip(" .")
    return cleaned[:150] or "file"


def _is_pg(conn: object) -> bool:
    return getattr(conn, "dialect", "duckdb") == "postgresql"


def new_backup_folder(folder: str | Path) -> tuple[Path, dict[str, Any]]:
    """A new private folder `backup-<UTC stamp>` under `folder`, with its `tables` and `originals`
    folders, and the manifest to fill: the same layout whichever backend is backed up."""
    private_files()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = Path(folder) / f"backup-{stamp}"
    target.mkdir(parents=True, exist_ok=False, mode=0o700)
    (target / "tables").mkdir()
    (target / "originals").mkdir()
    return target, {"format": FORMAT, "created_at_utc": stamp, "tables": {}, "sequences": {}}


def backup(conn: Any, folder: str | Path, by: str = "backup", role: str = "") -> Path:
    """Write a consistent backup of the whole database (a DuckDB connection or a PgStore) into a new
    folder under `folder`."""
    if _is_pg(conn):
        from store import backup_pg

        return backup_pg.backup(conn, folder, by, role)
    target, manifest = new_backup_folder(folder)
    with transaction(conn) as tx:  # one snapshot of every table
        tx.keep = False
        cur = tx.cursor
        tables = [
            r[0]
            for r in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY 1"
            ).fetchall()
        ]
        for table in tables:
            path = target / "tables" / f"{table}.parquet"
            cur.execute(f"COPY (SELECT * FROM {_ident(table)}) TO {_literal(path)} (FORMAT parquet)")
            row = cur.execute(f"SELECT count(*) FROM {_ident(table)}").fetchone()
            manifest["tables"][table] = {"rows": int(row[0]) if row else 0, "sha256": _sha256(path)}
        for name, last, start, step in cur.execute(
            "SELECT sequence_name, last_value, start_value, increment_by FROM duckdb_sequences() "
            "WHERE schema_name = 'main'"
        ).fetchall():
            manifest["sequences"][name] = int(start if last is None else last + step)
        originals = []
        if "original_file" in tables:
            for _stored, file_name, content in cur.execute(
                "SELECT sha256, file_name, content FROM original_file ORDER BY sha256"
            ).fetchall():
                originals.append(write_original(target, file_name, bytes(content)))
        manifest["originals"] = originals
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    audit.record(conn, by, role, "backup", str(target), "ok", f"{len(manifest['tables'])} tables")
    return target


def check(folder: str | Path) -> dict[str, Any]:
    """The manifest of a backup folder, after checking every file in it against its SHA-256."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{folder} has no manifest.json; it is not a backup folder.", "Not a backup")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')} is not known to this version.", "Unknown format")
    for table, info in manifest["tables"].items():
        path = folder / "tables" / f"{table}.parquet"
        if not path.exists() or _sha256(path) != info["sha256"]:
            raise BackupError(f"tables/{table}.parquet is missing or damaged.", "Damaged backup")
    for original in manifest.get("originals", []):
        path = folder / original["path"]
        if not path.exists() or _sha256(path) != original["sha256"]:
            raise BackupError(f"{original['path']} is missing or damaged.", "Damaged backup")
    return manifest


def restore(folder: str | Path, db_path: str | Path, by: str = "restore") -> str | Path:
    """A new database at `db_path` (a file, or a `postgresql://` URL of an empty database) holding
    exactly what the backup holds; refuses to replace a file or fill a database that holds data."""
    if str(db_path).startswith(("postgresql://", "postgres://")):
        from store import backup_pg

        return backup_pg.restore(folder, str(db_path), by)
    folder, db_path = Path(folder), Path(db_path)
    if db_path.exists():
        raise BackupError(
            f"{db_path} already exists. Restore into a new file, check it, then point DASHBOARD_DB at it; "
            "nothing is ever overwritten.",
            "Database exists",
        )
    manifest = check(folder)
    building = db_path.with_name(f"{db_path.name}.restoring-{os.getpid()}")
    for leftover in (building, Path(f"{building}.wal")):
        leftover.unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(building))
    try:
        for name, next_value in manifest["sequences"].items():
            conn.execute(f"CREATE SEQUENCE {_ident(name)} START {int(next_value)}")
        migrate(conn)
        existing = {r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        conn.execute("BEGIN TRANSACTION")
        for table, info in manifest["tables"].items():
            source = _literal(folder / "tables" / f"{table}.parquet")
            if table in existing:
                conn.execute(f"INSERT INTO {_ident(table)} BY NAME SELECT * FROM read_parquet({source})")
            else:
                conn.execute(f"CREATE TABLE {_ident(table)} AS SELECT * FROM read_parquet({source})")
            row = conn.execute(f"SELECT count(*) FROM {_ident(table)}").fetchone()
            got = int(row[0]) if row else 0
            if table not in ("schema_version", "schema_migration") and got != info["rows"]:
                raise BackupError(f"table {table}: {got} rows restored, {info['rows']} expected.", "Restore failed")
        conn.execute("COMMIT")
        audit.record(conn, by, "", "restore", str(folder), "ok", f"into {db_path}")
        conn.execute("CHECKPOINT")
    except BaseException:
        conn.close()
        building.unlink(missing_ok=True)
        Path(f"{building}.wal").unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(building, db_path)
    return db_path
