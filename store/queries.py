"""Read queries: one small function per question, parameters bound with `?`."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from loaders.model import Catalogue


def fetch_df(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    """Run one parameterised query on its own cursor (a connection is shared between threads)."""
    cur = conn.cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


def catalogue(conn: duckdb.DuckDBPyConnection) -> Catalogue:
    """The KPIs the store knows, for loaders to match names and codes against."""
    frame = fetch_df(conn, "SELECT kpi_code, name, unit, polarity, target, actions, note FROM kpis")
    return Catalogue({str(r["kpi_code"]): r for r in frame.to_dict("records")})


def setting(conn: duckdb.DuckDBPyConnection, key: str, default: str = "") -> str:
    frame = fetch_df(conn, "SELECT value FROM settings WHERE key = ?", [key])
    return str(frame.iloc[0, 0]) if len(frame) else default


def reporting_periods(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every month with ratings, oldest first, with its label ('Initial') where it has one."""
    return fetch_df(conn, "SELECT period, label FROM reporting_periods ORDER BY period")


def headline(conn: duckdb.DuckDBPyConnection, period: date) -> dict[str, int]:
    """Counts for the sentence 'N actions in the plan excluding completed ones; M Dark Green'."""
    cur = conn.cursor()
    try:
        row = cur.execute(
            """SELECT count(*) FILTER (WHERE rating IS NOT NULL),
                      count(*) FILTER (WHERE rating IS DISTINCT FROM 'C'),
                      count(*) FILTER (WHERE rating = 'DG'),
                      count(*) FILTER (WHERE rating = 'C'),
                      count(*) FILTER (WHERE rating IS NULL)
               FROM rag_history WHERE period = ?""",
            [period],
        ).fetchone()
    finally:
        cur.close()
    assert row is not None
    keys = ("rated", "open", "dark_green", "completed", "not_rated")
    return dict(zip(keys, (int(v) for v in row), strict=True))


def submissions(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return fetch_df(conn, "SELECT * FROM submissions ORDER BY submission_id DESC")
