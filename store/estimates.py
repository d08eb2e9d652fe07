"""Inferred and estimated values: stored with their submission, read back for every chart and table.

A file's Estimate note column arrives as `estimate_note` on observations, ratings and actions
(loaders.model); `store_estimates` keeps the non-empty ones in `estimate_entry` inside the
submission's transaction, and `estimate_notes` reads the current ones (store/070_inferred.sql).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

_SOURCES = {
    "in_observations": (
        "'observation', kpi_code, la_code, CAST(period AS DATE)",
        "observation",
    ),
    "in_ratings": ("'rating', action_ref, '', CAST(period AS DATE)", "rating"),
    "in_actions": ("'action', action_ref, '', CAST(NULL AS DATE)", "action"),
}


def store_estimates(cur: Any, submission_id: int, frames: dict[str, pd.DataFrame]) -> None:
    """Insert the notes of one submission's frames (those registered under `frames`' names)."""
    for name, (columns, _) in _SOURCES.items():
        frame = frames.get(name)
        if frame is None or "estimate_note" not in frame.columns or not frame["estimate_note"].fillna("").ne("").any():
            continue
        cur.execute(
            f"""INSERT INTO estimate_entry
                SELECT {int(submission_id)}, {columns}, estimate_note FROM {name}
                WHERE coalesce(estimate_note, '') <> ''"""
        )


def estimate_notes(conn: Any, subject: str | None = None) -> pd.DataFrame:
    """The current notes: subject (observation, rating, action), ref, la_code, period, note."""
    sql = "SELECT subject, ref, la_code, period, note FROM estimates"
    params: list[object] = []
    if subject is not None:
        sql += " WHERE subject = ?"
        params.append(subject)
    return conn.execute(sql + " ORDER BY subject, ref, la_code, period", params).df()
