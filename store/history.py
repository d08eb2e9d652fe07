"""Submissions over time: store an upload, roll one back, re-apply it, fetch its original file,
and see what it changed. Rolling back and re-applying only add events; nothing is deleted.

Every write goes through store/submission.py (one lock, one transaction, its audit record), so
two people confirming at the same moment land one after the other.
"""

from __future__ import annotations

from typing import Literal

import duckdb
import pandas as pd

from domain.changes import change_kind_sql, observation_differs_sql, rating_differs_sql
from loaders.model import Parsed
from store.queries import fetch_df
from store.submission import (
    WAIT_SECONDS,
    Actor,
    AuditEntry,
    Busy,
    HistoryError,
    StoreError,
    Written,
    add_event,
    write,
)
from store.writes import Outcome, submit

__all__ = ["WAIT_SECONDS", "Actor", "Busy", "HistoryError", "StoreError", "reapply", "rollback", "store_upload"]


def store_upload(
    conn: duckdb.DuckDBPyConnection,
    parsed: Parsed,
    raw: bytes,
    actor: Actor,
    note: str = "",
    wait: float = WAIT_SECONDS,
) -> Outcome:
    """Store a checked file as one submission (all or nothing) and record the result in the audit log."""
    return submit(conn, parsed, raw, actor.username, note, actor=actor, wait=wait)


def rollback(conn: duckdb.DuckDBPyConnection, submission_id: int, actor: Actor, wait: float = WAIT_SECONDS) -> str:
    """Take a submission out of the current data; it stays listed and can be re-applied."""
    return _event(conn, submission_id, actor, "rolled_back", "active", "rollback", wait)


def reapply(conn: duckdb.DuckDBPyConnection, submission_id: int, actor: Actor, wait: float = WAIT_SECONDS) -> str:
    """Put a rolled-back submission back into the current data."""
    return _event(conn, submission_id, actor, "reapplied", "rolled back", "reapply", wait)


def _event(
    conn: duckdb.DuckDBPyConnection,
    submission_id: int,
    actor: Actor,
    event: Literal["rolled_back", "reapplied"],
    needs: str,
    action: str,
    wait: float,
) -> str:
    def body(cur: duckdb.DuckDBPyConnection) -> Written[None]:
        row = cur.execute("SELECT status, kind FROM submissions WHERE submission_id = ?", [submission_id]).fetchone()
        if row is None:
            raise HistoryError(f"there is no submission {submission_id}.", "No such submission")
        status, kind = row
        if kind == "settings":
            raise HistoryError("settings are changed on the Users page, not rolled back.", "Not a data upload")
        if status != needs:
            raise HistoryError(f"submission {submission_id} is already {status}.", "Nothing to do")
        add_event(cur, submission_id, event, actor.username)
        return Written(None, audit=AuditEntry(action, f"submission {submission_id}"))

    write(conn, body, actor, wait=wait)
    verb = "rolled back" if event == "rolled_back" else "re-applied"
    return f"Submission {submission_id} {verb}. Every page shows the data as it now stands."


def listing(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every submission, newest first, with who, when, file, SHA-256, counts, status and last event."""
    return fetch_df(
        conn,
        """SELECT s.submission_id, s.kind, s.file_name, s.sha256, s.submitted_by, s.submitted_at,
                  s.action_rows, s.rating_rows, s.kpi_rows, s.observation_rows, s.warnings, s.note, s.status,
                  e.event AS last_event, e.event_at AS last_event_at, e.by_user AS last_event_by
           FROM submissions s LEFT JOIN _latest_event e USING (submission_id)
           ORDER BY s.submission_id DESC""",
    )


def events(conn: duckdb.DuckDBPyConnection, submission_id: int) -> pd.DataFrame:
    return fetch_df(
        conn,
        "SELECT event, event_at, by_user FROM submission_event WHERE submission_id = ? ORDER BY event_id",
        [submission_id],
    )


def original_file(conn: duckdb.DuckDBPyConnection, sha256: str) -> tuple[str, bytes] | None:
    """The file exactly as uploaded (kept once per SHA-256)."""
    cur = conn.cursor()
    try:
        row = cur.execute("SELECT file_name, content FROM original_file WHERE sha256 = ?", [sha256]).fetchone()
    finally:
        cur.close()
    return None if row is None else (str(row[0]), bytes(row[1]))


def observation_changes(conn: duckdb.DuckDBPyConnection, submission_id: int, limit: int = 5000) -> pd.DataFrame:
    """Each KPI value the submission holds, with the value before it (from earlier active submissions).

    'changed' is domain/changes.py's rule (value, missing mark or target), as in the upload preview."""
    return fetch_df(
        conn,
        f"""WITH prior AS (
                SELECT kpi_code, la_code, period, value, missing_mark, target FROM (
                    SELECT o.*, row_number() OVER (PARTITION BY kpi_code, la_code, period
                                                   ORDER BY submission_id DESC) AS _n
                    FROM observation_entry o JOIN _active USING (submission_id) WHERE submission_id < ?) ranked
                WHERE _n = 1)
            SELECT * FROM (
                SELECT n.kpi_code, n.la_code, n.period, p.value AS before, n.value AS after,
                       coalesce(n.missing_mark, '') AS missing_mark,
                       {change_kind_sql("p.kpi_code", observation_differs_sql("n", "p"))} AS change
                FROM observation_entry n LEFT JOIN prior p USING (kpi_code, la_code, period)
                WHERE n.submission_id = ?) x
            ORDER BY change = 'unchanged', change = 'new', kpi_code, la_code, period LIMIT ?""",
        [submission_id, submission_id, limit],
    )


def rating_changes(conn: duckdb.DuckDBPyConnection, submission_id: int, limit: int = 5000) -> pd.DataFrame:
    """Each rating the submission holds, with the rating before it."""
    return fetch_df(
        conn,
        f"""WITH prior AS (
                SELECT action_ref, period, rating FROM (
                    SELECT r.*, row_number() OVER (PARTITION BY action_ref, period ORDER BY submission_id DESC) AS _n
                    FROM rating_entry r JOIN _active USING (submission_id) WHERE submission_id < ?) ranked
                WHERE _n = 1)
            SELECT action_ref, period, before, after, change FROM (
                SELECT n.action_ref, n.period, p.rating AS before, n.rating AS after, n.excel_row,
                       {change_kind_sql("p.action_ref", rating_differs_sql("n", "p"))} AS change
                FROM rating_entry n LEFT JOIN prior p USING (action_ref, period)
                WHERE n.submission_id = ?) x
            ORDER BY change = 'unchanged', change = 'new', excel_row, period LIMIT ?""",
        [submission_id, submission_id, limit],
    )


def change_counts(conn: duckdb.DuckDBPyConnection, submission_id: int) -> dict[str, dict[str, int]]:
    """{'KPI values': {'new': n, 'changed': n, 'unchanged': n}, 'Ratings': {...}} for one submission."""
    counts: dict[str, dict[str, int]] = {}
    for label, frame in (
        ("KPI values", observation_changes(conn, submission_id, limit=10_000_000)),
        ("Ratings", rating_changes(conn, submission_id, limit=10_000_000)),
    ):
        if len(frame):
            tally = frame["change"].value_counts()
            counts[label] = {k: int(tally.get(k, 0)) for k in ("new", "changed", "unchanged")}
    return counts
