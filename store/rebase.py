"""SPC rebase dates, stored append-only and versioned like commentary (schema: 060_spc_rebase.sql).

A rebase says "from this month the process changed" (an action was completed, a service was
restructured), so the SPC limits are worked out afresh from it. Each save or removal is a new row
with the user, the UTC time and the reason; the current rebases of a KPI are the latest row per
date that is still active, and every earlier version stays readable. Who may rebase (the uploader
role) is checked by the page; the store checks the KPI, the date and the reason.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from store.db import now_utc
from store.queries import fetch_df

MAX_REASON = 1000


class RebaseError(ValueError):
    """A rebase that cannot be stored as given; the text says what to change."""


def _checked(conn: duckdb.DuckDBPyConnection, kpi_code: str, user: str, reason: str) -> str:
    if not user.strip():
        raise RebaseError("A rebase needs the name of the person making it.")
    reason = reason.replace("\r\n", "\n").strip()
    if not reason:
        raise RebaseError("Say why the limits are recalculated from this date (e.g. the action completed).")
    if len(reason) > MAX_REASON:
        raise RebaseError(f"The reason is {len(reason):,} characters long; the limit is {MAX_REASON:,}.")
    if fetch_df(conn, "SELECT 1 FROM kpis WHERE kpi_code = ?", [kpi_code]).empty:
        raise RebaseError(f"There is no KPI with the code '{kpi_code}'.")
    return reason


def _first_of_month(when: date) -> date:
    return date(when.year, when.month, 1)


def _insert(conn: duckdb.DuckDBPyConnection, kpi_code: str, when: date, reason: str, active: bool, user: str) -> int:
    cur = conn.cursor()
    try:
        row = cur.execute(
            """INSERT INTO spc_rebase_entry VALUES (nextval('spc_rebase_id_seq'), ?, ?, ?, ?, ?, ?)
               RETURNING entry_id""",
            [kpi_code, when, reason, active, user.strip(), now_utc()],
        ).fetchone()
    finally:
        cur.close()
    assert row is not None
    return int(row[0])


def save_rebase(conn: duckdb.DuckDBPyConnection, kpi_code: str, when: date, reason: str, user: str) -> int | None:
    """Recalculate `kpi_code`'s limits from the month of `when`; None when that rebase already stands
    with the same reason. Saving again with a new reason is a new version."""
    reason = _checked(conn, kpi_code, user, reason)
    when = _first_of_month(when)
    current = rebases(conn, kpi_code)
    same = current[(current["rebase_from"] == pd.Timestamp(when)) & (current["reason"] == reason)]
    if not same.empty:
        return None
    return _insert(conn, kpi_code, when, reason, True, user)


def remove_rebase(conn: duckdb.DuckDBPyConnection, kpi_code: str, when: date, reason: str, user: str) -> int:
    """Take a rebase away (a new version; the earlier ones stay readable)."""
    reason = _checked(conn, kpi_code, user, reason)
    when = _first_of_month(when)
    current = rebases(conn, kpi_code)
    if current[current["rebase_from"] == pd.Timestamp(when)].empty:
        raise RebaseError(f"{kpi_code} has no rebase from {when:%b %Y} to take away.")
    return _insert(conn, kpi_code, when, reason, False, user)


def rebase_version(conn: duckdb.DuckDBPyConnection) -> int:
    """Grows with every rebase saved or taken away: a cache key for pages that show SPC."""
    frame = fetch_df(conn, "SELECT coalesce(max(entry_id), 0) FROM spc_rebase_entry")
    return int(frame.to_numpy()[0, 0])


def rebases(conn: duckdb.DuckDBPyConnection, kpi_code: str, version: int = 0) -> pd.DataFrame:
    """The KPI's current rebases, earliest first: rebase_from, reason, saved_by, saved_at, entry_id.
    `version` (`rebase_version`) is a cache key only."""
    del version
    frame = fetch_df(
        conn,
        """SELECT rebase_from, reason, saved_by, saved_at, entry_id FROM spc_rebases
           WHERE kpi_code = ? ORDER BY rebase_from""",
        [kpi_code],
    )
    frame["rebase_from"] = pd.to_datetime(frame["rebase_from"])
    return frame


def all_rebases(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every KPI's current rebases: kpi_code, rebase_from, reason (for the SPC summary)."""
    frame = fetch_df(conn, "SELECT kpi_code, rebase_from, reason FROM spc_rebases ORDER BY kpi_code, rebase_from")
    frame["rebase_from"] = pd.to_datetime(frame["rebase_from"])
    return frame


def rebase_history(conn: duckdb.DuckDBPyConnection, kpi_code: str, version: int = 0) -> pd.DataFrame:
    """Every version of the KPI's rebases, newest first, taken-away ones included (`version`: a cache key)."""
    del version
    frame = fetch_df(
        conn,
        """SELECT entry_id, rebase_from, CASE WHEN active THEN 'set' ELSE 'taken away' END AS change, reason,
                  saved_by, saved_at
           FROM spc_rebase_entry WHERE kpi_code = ? ORDER BY entry_id DESC""",
        [kpi_code],
    )
    frame["rebase_from"] = pd.to_datetime(frame["rebase_from"])
    return frame
