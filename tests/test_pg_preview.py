"""The upload preview says the same on both backends. On PostgreSQL it compares the file in process
with the current rows it meets, read in one snapshot (store/writes.py `_current_rows`); on the DuckDB
file it compares inside the store. Same files, same stored history: the same counts and rows,
including NULLs, missing marks, empty strings and look-alike letters."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders.ingest import read_bytes
from loaders.seed import KPI_FILE, PLAN_FILE
from store.backend import open_store
from store.queries import catalogue
from store.writes import Changes, changes, submit
from tests.helpers import long_kpi


def _plan_changed() -> bytes:
    """The seed plan with one Feb 17 rating changed, one cleared, one lead emptied and a note added."""
    book = openpyxl.load_workbook(PLAN_FILE)
    sheet = book["Improvement plan"]
    header = [c.value for c in sheet[4]]
    feb, lead, note = header.index("RAG Feb 17") + 1, header.index("Lead") + 1, header.index("Source note") + 1
    rated = [row for row in range(5, sheet.max_row + 1) if sheet.cell(row, feb).value in ("R", "A", "LG")]
    sheet.cell(rated[0], feb).value = "DG"
    sheet.cell(rated[1], feb).value = None
    sheet.cell(rated[2], lead).value = ""
    sheet.cell(rated[3], note).value = "Rating checked with the service lead (fictional note for a test)."
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


STORED_FIRST = long_kpi(
    [
        ("RETURN_INTERVIEWS", "Dec-16", 85),
        ("RETURN_INTERVIEWS", "Jan-17", "n/a"),
        ("RETURN_INTERVIEWS", "Apr-17", "n/a"),
    ],
    target=90,
)
FILES = {
    "seed plan, unchanged": PLAN_FILE.read_bytes(),
    "seed KPIs, unchanged": KPI_FILE.read_bytes(),
    "plan with ratings, a lead and a note changed": _plan_changed(),
    "KPI values new, changed, unchanged and missing": long_kpi(
        [
            ("RETURN_INTERVIEWS", "Nov-16", 80),  # changed (seed 78)
            ("RETURN_INTERVIEWS", "Dec-16", 85),  # unchanged (stored first)
            ("RETURN_INTERVIEWS", "Jan-17", 70),  # was missing ("n/a"): changed
            ("RETURN_INTERVIEWS", "Feb-17", "n/a"),  # new, missing
            ("RETURN_INTERVIEWS", "Mar-17", 91.5),  # new
            ("RETURN_INTERVIEWS", "Apr-17", "n/a"),  # missing as before: unchanged
        ],
        target=90,  # as stored first: a target-only change would count as changed
    ),
}


def _preview(target: str | Path, data: bytes) -> Changes:
    store = open_store(target)
    try:
        stored = read_bytes(STORED_FIRST, "first.xlsx", catalogue=catalogue(store), default_la="394")
        if submit(store, stored, STORED_FIRST, "officer").status != "stored":
            raise AssertionError("the first return was not stored")
        return changes(store, read_bytes(data, "return.xlsx", catalogue=catalogue(store), default_la="394"))
    finally:
        store.close()


def _rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.astype(object).itertuples(index=False)]


@pytest.mark.parametrize("name", FILES)
def test_the_preview_is_the_same_on_both_backends(db_path: Path, pg_url: str, name: str) -> None:
    duck, pg = _preview(db_path, FILES[name]), _preview(pg_url, FILES[name])
    assert pg.counts == duck.counts
    assert pg.any == duck.any
    for part in ("observations", "ratings", "observations_by_kpi"):
        assert list(getattr(pg, part).columns) == list(getattr(duck, part).columns), part
        assert _rows(getattr(pg, part)) == _rows(getattr(duck, part)), part
    if name.startswith("plan with"):
        assert duck.counts["ratings"]["changed"] == 2 and duck.counts["actions"]["changed"] >= 1
    if name.startswith("KPI values"):
        assert duck.counts["observations"] == {"new": 2, "changed": 2, "unchanged": 2}


def test_a_result_read_through_copy_keeps_nulls_empty_strings_and_types_apart(pg_url: str) -> None:
    import datetime

    import psycopg

    from store.pg import arrow_of

    sql = """SELECT * FROM (VALUES
               (1, 'NULL', 1.5::float8, DATE '2017-02-01', TIMESTAMP '2017-02-01 09:30:00.25', true),
               (2, '', 'NaN'::float8, NULL, NULL, false),
               (3, NULL, NULL, DATE '2016-12-01', NULL, NULL),
               (4, 'n/a, "quoted"', -0.1::float8, NULL, NULL, NULL)) v(n, mark, value, period, at, flag)
             WHERE n >= ?"""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        table = arrow_of(conn, sql, [1])
        empty = arrow_of(conn, sql, [9])
    rows = table.to_pylist()
    assert [r["mark"] for r in rows] == ["NULL", "", None, 'n/a, "quoted"']
    assert rows[0]["value"] == 1.5 and rows[1]["value"] != rows[1]["value"] and rows[2]["value"] is None  # NaN, NULL
    assert [r["period"] for r in rows] == [datetime.date(2017, 2, 1), None, datetime.date(2016, 12, 1), None]
    assert rows[0]["at"] == datetime.datetime(2017, 2, 1, 9, 30, 0, 250000)
    assert [r["flag"] for r in rows] == [True, False, None, None]
    assert empty.num_rows == 0 and empty.schema == table.schema
