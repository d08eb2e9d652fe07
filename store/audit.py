"""The append-only audit log: who did what, when (UTC), with which role, and how it went.

Actions recorded: sign_in, sign_out, setup_admin, upload, upload_refused, rollback, reapply,
download (exports and original files), account changes (account_add, role_change, disable,
enable, password_reset), setting_change, backup, restore.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pandas as pd

from store.db import now_utc

FAILED_SIGN_IN_FREE = 5
FAILED_SIGN_IN_WINDOW = timedelta(minutes=15)
MAX_LOCKOUT = timedelta(minutes=15)
_DETAIL_LIMIT = 4000


def record(
    conn: duckdb.DuckDBPyConnection,
    username: str,
    role: str,
    action: str,
    target: str = "",
    outcome: str = "ok",
    detail: str = "",
) -> None:
    cur = conn.cursor()
    try:
        insert(cur, username, role, action, target, outcome, detail)
    finally:
        cur.close()


def insert(
    cur: duckdb.DuckDBPyConnection,
    username: str,
    role: str,
    action: str,
    target: str = "",
    outcome: str = "ok",
    detail: str = "",
) -> None:
    """Write one entry on this very cursor, so it joins the transaction open on it."""
    cur.execute(
        "INSERT INTO audit_log VALUES (nextval('audit_id_seq'), ?, ?, ?, ?, ?, ?, ?)",
        [now_utc(), username or "anonymous", role or "", action, target, outcome, detail[:_DETAIL_LIMIT]],
    )


def entries(
    conn: duckdb.DuckDBPyConnection,
    since: datetime | None = None,
    action: str = "",
    username: str = "",
    limit: int = 5000,
) -> pd.DataFrame:
    """Newest first; empty filters mean everything."""
    cur = conn.cursor()
    try:
        return cur.execute(
            """SELECT audit_id, at_utc, username, role, action, target, outcome, detail FROM audit_log
               WHERE at_utc >= coalesce(CAST(? AS TIMESTAMP), TIMESTAMP '1900-01-01')
                 AND (? = '' OR action = ?) AND (? = '' OR username = ?)
               ORDER BY audit_id DESC LIMIT ?""",
            [since, action, action, username, username, limit],
        ).df()
    finally:
        cur.close()


def actions(conn: duckdb.DuckDBPyConnection) -> list[str]:
    cur = conn.cursor()
    try:
        return [r[0] for r in cur.execute("SELECT DISTINCT action FROM audit_log ORDER BY 1").fetchall()]
    finally:
        cur.close()


def sign_in_wait(conn: duckdb.DuckDBPyConnection, username: str, now: datetime | None = None) -> int:
    """Seconds before `username` may try to sign in again: 0 until five failures in a row,
    then 30 s, doubling with each further failure, up to 15 minutes."""
    now = now or now_utc()
    cur = conn.cursor()
    try:
        row = cur.execute(
            """SELECT count(*), max(at_utc) FROM audit_log
               WHERE action = 'sign_in' AND target = ? AND outcome = 'failed' AND at_utc >= ?
                 AND audit_id > coalesce((SELECT max(audit_id) FROM audit_log
                                          WHERE action = 'sign_in' AND target = ? AND outcome = 'ok'), 0)""",
            [username, now - FAILED_SIGN_IN_WINDOW, username],
        ).fetchone()
    finally:
        cur.close()
    failures, last = (int(row[0]), row[1]) if row else (0, None)
    if failures < FAILED_SIGN_IN_FREE or last is None:
        return 0
    wait = min(timedelta(seconds=30 * 2 ** (failures - FAILED_SIGN_IN_FREE)), MAX_LOCKOUT)
    remaining = (last + wait - now).total_seconds()
    return max(0, int(remaining + 0.999))
