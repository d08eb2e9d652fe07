"""Numbered schema migrations, recorded in the store itself and applied at start.

The files are `store/NNN_name.sql`, applied in name order. Each application is a row in
`schema_migration` (file name, SHA-256 of its text, UTC time), so anyone can ask a database which
schema it has. A file is applied when the database has never seen it, and again when its text
changed since (a view redefined, a column added): so every file must be safe to run twice
(`CREATE ... IF NOT EXISTS`, `CREATE OR REPLACE VIEW`, `ALTER TABLE ... ADD COLUMN IF NOT EXISTS`).
That rule is why a database made before migrations were recorded (no `schema_migration` table)
upgrades by simply running every file once: the first four files were always written that way.

Each file runs in its own transaction together with its record, so a failed upgrade leaves the
database at the last file that worked, and says which file failed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.db import now_utc

SQL_DIR = Path(__file__).parent

_RECORD_TABLE = """CREATE TABLE IF NOT EXISTS schema_migration (
    name VARCHAR NOT NULL,
    checksum VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)"""


class MigrationError(Exception):
    """A migration file failed; nothing of that file was applied."""

    def __init__(self, name: str, cause: BaseException) -> None:
        super().__init__(f"migration {name} failed and was not applied: {cause}")
        self.name = name


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def files(directory: Path = SQL_DIR) -> list[Migration]:
    """Every NNN_*.sql file in `directory`, in name order."""
    return [Migration(p.name, p.read_text()) for p in sorted(directory.glob("[0-9][0-9][0-9]_*.sql"))]


def applied(conn: Any) -> dict[str, str]:
    """File name -> checksum of its latest application (empty for a database without the table)."""
    cur = conn.cursor()
    try:
        # Looked up before it is created: on PostgreSQL the application's role may not create tables.
        found = cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migration'"
        ).fetchone()
        if not (found and found[0]):
            cur.execute(_RECORD_TABLE)
            return {}
        rows = cur.execute("SELECT name, checksum FROM schema_migration ORDER BY applied_at, name").fetchall()
    finally:
        cur.close()
    return {str(name): str(checksum) for name, checksum in rows}


def pending(conn: Any, directory: Path = SQL_DIR) -> list[Migration]:
    """The files this database has not seen, or has seen with other text."""
    done = applied(conn)
    return [m for m in files(directory) if done.get(m.name) != m.checksum]


def migrate(conn: Any, directory: Path = SQL_DIR) -> list[str]:
    """Apply every pending file, each in its own transaction with its record; the names applied."""
    names = []
    for migration in pending(conn, directory):
        cur = conn.cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            try:
                cur.execute(migration.sql)
                cur.execute(
                    "INSERT INTO schema_migration VALUES (?, ?, ?)", [migration.name, migration.checksum, now_utc()]
                )
            except Exception as exc:
                cur.execute("ROLLBACK")
                raise MigrationError(migration.name, exc) from exc
            cur.execute("COMMIT")
        finally:
            cur.close()
        names.append(migration.name)
    return names


def history(conn: Any) -> list[tuple[str, str, Any]]:
    """Every application, oldest first: (file name, checksum, applied at UTC)."""
    cur = conn.cursor()
    try:
        return [
            (str(n), str(c), t)
            for n, c, t in cur.execute(
                "SELECT name, checksum, applied_at FROM schema_migration ORDER BY applied_at, name"
            ).fetchall()
        ]
    finally:
        cur.close()
