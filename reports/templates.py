"""Blank upload templates built from what the store holds now: the plan tracker and KPI returns.

Each template uses headings the loaders recognise, so a filled-in template always reads back.
Text from the store goes through reports.safe_text.inert_cell, like every other xlsx export.
"""

from __future__ import annotations

import io
from datetime import date

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports.safe_text import inert_cell
from store.queries import fetch_df

_PLAN_HEADINGS = ["Priority", "Ref", "Ofsted ref", "Action", "Success measure(s)", "Lead", "Timescale"]


def next_month(conn: duckdb.DuckDBPyConnection) -> date:
    """The month after the latest rating or KPI observation: the month a new return usually reports."""
    frame = fetch_df(
        conn,
        "SELECT greatest(coalesce((SELECT max(period) FROM rag_history), DATE '2000-01-01'),"
        " coalesce((SELECT max(period) FROM kpi_observations), DATE '2000-01-01')) AS latest",
    )
    latest = pd.Timestamp(frame["latest"].iloc[0])
    following = latest + pd.DateOffset(months=1)
    return date(following.year, following.month, 1)


def _book(title: str, note: str, headings: list[str], rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append([note])
    sheet.append([])
    sheet.append(headings)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell, Cell):  # appended rows have no merged cells
                inert_cell(cell)
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(str(heading)) + 4))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_template(conn: duckdb.DuckDBPyConnection, month: date | None = None) -> bytes:
    """Every current action with its latest rating and an empty RAG column for `month` to fill in."""
    month = month or next_month(conn)
    actions = fetch_df(
        conn,
        """SELECT a.priority, a.action_ref, a.ofsted_ref, a.description, a.success_measures, a.lead, a.timescale_text,
                  r.rating, r.period
           FROM actions a LEFT JOIN (
               SELECT action_ref, rating, period FROM rag_history
               QUALIFY row_number() OVER (PARTITION BY action_ref ORDER BY period DESC) = 1) r USING (action_ref)
           ORDER BY a.priority, TRY_CAST(string_split(a.action_ref, '.')[2] AS INTEGER) NULLS LAST, a.action_ref""",
    )
    latest = pd.to_datetime(actions["period"]).max()
    headings = list(_PLAN_HEADINGS)
    if pd.notna(latest):
        headings.append(f"RAG {latest:%b %y}")
    headings.append(f"RAG {month:%b %y}")
    rows = []
    for record in actions.to_dict("records"):
        row = [record[c] for c in ("priority", "action_ref", "ofsted_ref", "description", "success_measures", "lead")]
        row.append(record["timescale_text"])
        if pd.notna(latest):
            row.append(record["rating"] if pd.notna(record["period"]) and record["period"] == latest else None)
        row.append(None)
        rows.append([None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
    return _book(
        "Plan tracker",
        f"Improvement plan tracker: fill in the RAG {month:%b %y} column (R, A, LG, DG or C) and upload.",
        headings,
        rows,
    )


def _kpis(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return fetch_df(conn, "SELECT kpi_code, name, unit, polarity, target FROM kpis ORDER BY kpi_code")


def kpi_long_template(conn: duckdb.DuckDBPyConnection, la_code: str, month: date | None = None) -> bytes:
    """One row per KPI for `month`, Value left empty: the long shape (a row per KPI and month)."""
    month = month or next_month(conn)
    rows: list[list[object]] = [
        [r["kpi_code"], r["name"], la_code, f"{month:%Y-%m}", None, None] for r in _kpis(conn).to_dict("records")
    ]
    return _book(
        "KPI return",
        f"Monthly KPI return: fill in Value for {month:%B %Y} (add rows for other months) and upload. "
        "If a value is estimated, say why in Estimate note; the dashboard shows it wherever the value appears.",
        ["Code", "KPI", "LA code", "Month", "Value", "Estimate note"],
        rows,
    )


def kpi_wide_template(conn: duckdb.DuckDBPyConnection, month: date | None = None) -> bytes:
    """One row per KPI with its definition and an empty column for `month`: the wide shape."""
    month = month or next_month(conn)
    rows: list[list[object]] = []
    for r in _kpis(conn).to_dict("records"):
        polarity = {"higher": "High", "lower": "Low"}.get(str(r["polarity"]))
        target = None if pd.isna(r["target"]) else r["target"]
        rows.append([r["kpi_code"], r["name"], r["unit"], polarity, target, None])
    return _book(
        "KPI return",
        f"Monthly KPI return: fill in the {month:%b %Y} column (add a column per month) and upload.",
        ["Code", "KPI", "Unit", "Good is", "Target", f"{month:%b %Y}"],
        rows,
    )
