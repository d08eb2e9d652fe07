"""Officers' words around the figures, stored append-only and versioned (schema: 040_commentary.sql).

A KPI commentary belongs to one KPI and one reporting period; a narrative belongs to one priority
and one pair of periods (the pack's current period and the one it is compared with). Each save is
a new row with the user and the UTC time; the current text is the latest row, and the history of
every key stays readable. Saving an empty text clears it (as a new version, never a deletion).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from store.db import now_utc
from store.queries import fetch_df
from store.submission import Actor, insert_returning_id

MAX_CHARS = 5000


class CommentaryError(ValueError):
    """A save that cannot be stored as given; the text says what to change."""


def _clean(text: str, user: str) -> str:
    if not user.strip():
        raise CommentaryError("Commentary needs the name of the person saving it.")
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_CHARS:
        raise CommentaryError(f"Commentary is {len(text):,} characters long; the limit is {MAX_CHARS:,}.")
    return text


def _exists(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> bool:
    return not fetch_df(conn, sql, params).empty


def save_kpi_commentary(
    conn: duckdb.DuckDBPyConnection, kpi_code: str, period: date, text: str, user: str, actor: Actor | None = None
) -> int | None:
    """Store a new version of a KPI's commentary for `period`; None when it equals the current text.

    Written through the one write path; with an actor, audited as 'kpi_commentary_save' in the
    same transaction."""
    text = _clean(text, user)
    if not _exists(conn, "SELECT 1 FROM kpis WHERE kpi_code = ?", [kpi_code]):
        raise CommentaryError(f"There is no KPI with the code '{kpi_code}'.")
    if current_kpi_text(conn, kpi_code, period) == text:
        return None
    return insert_returning_id(
        conn,
        """INSERT INTO kpi_commentary_entry VALUES (nextval('commentary_id_seq'), ?, ?, ?, ?, ?)
           RETURNING entry_id""",
        [kpi_code, period, text, user.strip(), now_utc()],
        actor,
        "kpi_commentary_save",
    )


def save_narrative(
    conn: duckdb.DuckDBPyConnection,
    priority: int,
    period: date,
    compare_period: date,
    text: str,
    user: str,
    actor: Actor | None = None,
) -> int | None:
    """Store a new version of a priority's narrative for a pair of periods; None when unchanged."""
    text = _clean(text, user)
    if not _exists(conn, "SELECT 1 FROM priorities WHERE priority = ?", [priority]):
        raise CommentaryError(f"There is no priority {priority} in the plan.")
    if current_narratives(conn, period, compare_period).get(priority) == text:
        return None
    return insert_returning_id(
        conn,
        """INSERT INTO narrative_entry VALUES (nextval('commentary_id_seq'), ?, ?, ?, ?, ?, ?)
           RETURNING entry_id""",
        [priority, period, compare_period, text, user.strip(), now_utc()],
        actor,
        "narrative_save",
    )


def current_kpi_text(conn: duckdb.DuckDBPyConnection, kpi_code: str, period: date) -> str | None:
    """The KPI's current commentary for `period` ('' if cleared), or None if never written."""
    frame = fetch_df(conn, "SELECT text FROM kpi_commentary WHERE kpi_code = ? AND period = ?", [kpi_code, period])
    return None if frame.empty else str(frame.iloc[0, 0])


def kpi_commentary(conn: duckdb.DuckDBPyConnection, period: date) -> pd.DataFrame:
    """Every KPI's current, non-empty commentary for `period`, with who wrote it and when."""
    return fetch_df(
        conn,
        """SELECT kpi_code, text, saved_by, saved_at FROM kpi_commentary
           WHERE period = ? AND text <> '' ORDER BY kpi_code""",
        [period],
    )


def kpi_commentary_history(conn: duckdb.DuckDBPyConnection, kpi_code: str, period: date) -> pd.DataFrame:
    """Every saved version of one KPI's commentary for `period`, newest first."""
    return fetch_df(
        conn,
        """SELECT entry_id, text, saved_by, saved_at FROM kpi_commentary_entry
           WHERE kpi_code = ? AND period = ? ORDER BY entry_id DESC""",
        [kpi_code, period],
    )


def current_narratives(conn: duckdb.DuckDBPyConnection, period: date, compare_period: date) -> dict[int, str]:
    """Priority -> its current edited narrative for the pair of periods ('' if cleared)."""
    frame = fetch_df(
        conn,
        "SELECT priority, text FROM priority_narrative WHERE period = ? AND compare_period = ?",
        [period, compare_period],
    )
    return {int(p): str(t) for p, t in zip(frame["priority"], frame["text"], strict=True)}


def narrative_history(
    conn: duckdb.DuckDBPyConnection, priority: int, period: date, compare_period: date
) -> pd.DataFrame:
    """Every saved version of one priority's narrative for the pair of periods, newest first."""
    return fetch_df(
        conn,
        """SELECT entry_id, text, saved_by, saved_at FROM narrative_entry
           WHERE priority = ? AND period = ? AND compare_period = ? ORDER BY entry_id DESC""",
        [priority, period, compare_period],
    )


def commentary_version(conn: duckdb.DuckDBPyConnection) -> int:
    """Grows with every save; a cache key for pages that show commentary."""
    frame = fetch_df(
        conn,
        """SELECT greatest(coalesce((SELECT max(entry_id) FROM kpi_commentary_entry), 0),
                           coalesce((SELECT max(entry_id) FROM narrative_entry), 0))""",
    )
    return int(frame.to_numpy()[0, 0])
