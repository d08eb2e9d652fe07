"""The append-only audit log: who did what, when (UTC), with which role, from where, and how it went.

Actions recorded: sign_in, sign_out, setup_admin, upload, upload_refused, rollback, reapply,
download (exports and original files), account changes (account_add, role_change, disable,
enable, password_reset), setting_change, backup, restore, and `refused` for a write a callback
refused because the person's role no longer allowed it. Every field is clipped to the limit in
`domain.identity.AUDIT_LIMITS` before it is written, so no visitor can grow the log by typing.
`client` holds the client address and browser (user agent) for sign-in events.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from domain.identity import audit_fields
from store.db import now_utc


def record(
    conn: duckdb.DuckDBPyConnection,
    username: str,
    role: str,
    action: str,
    target: str = "",
    outcome: str = "ok",
    detail: str = "",
    client: str = "",
) -> None:
    cur = conn.cursor()
    try:
        insert(cur, username, role, action, target, outcome, detail, client)
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
    client: str = "",
) -> None:
    """Write one entry on this very cursor, so it joins the transaction open on it."""
    f = audit_fields(
        username=username or "anonymous",
        role=role or "",
        action=action,
        target=target,
        outcome=outcome,
        detail=detail,
        client=client,
    )
    cur.execute(
        """INSERT INTO audit_log (audit_id, at_utc, username, role, action, target, outcome, detail, client)
           VALUES (nextval('audit_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?)""",
        [now_utc(), f["username"], f["role"], f["action"], f["target"], f["outcome"], f["detail"], f["client"]],
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
            """SELECT audit_id, at_utc, username, role, action, target, outcome, detail, client FROM audit_log
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
