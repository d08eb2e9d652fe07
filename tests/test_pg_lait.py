"""The DfE LAIT extract on PostgreSQL (issue 11): all 641,070 values load, the benchmark views give
the same counts and rankings as on the DuckDB seed, and the "unchanged" check (a new extract with
exactly the stored rows is not stored again) answers the same on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest

from store.benchmark import _SNAPSHOT_TABLES, _same_rows, load_directory
from store.pg import PgStore
from tests.postgres import database_url

COUNTS = ("benchmark_values", "benchmark_measures", "benchmark_measure_topics", "la_codes",
          "statistical_neighbours", "benchmark_rankings", "kpi_benchmark_map")  # fmt: skip


@pytest.fixture(scope="session")
def lait_pg(pg_server: str) -> Iterator[PgStore]:
    """The seed template plus the shipped LAIT extract and KPI mapping, loaded once for the run."""
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute("CREATE DATABASE lait_seed TEMPLATE seed_template")
    store = PgStore(database_url(pg_server, "lait_seed"))
    outcomes = load_directory(store, user="test", note="DfE LAIT data shipped in data/lait")  # type: ignore[arg-type]
    assert [o.status for o in outcomes] == ["stored", "stored"], [o.message for o in outcomes]
    yield store
    store.close()


@pytest.fixture
def seed_duck(seed_db_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    conn = duckdb.connect(str(seed_db_file), read_only=True)
    yield conn
    conn.close()


def test_all_values_load_and_the_views_count_the_same(lait_pg: PgStore, seed_duck: duckdb.DuckDBPyConnection) -> None:
    assert lait_pg.execute("SELECT count(*) FROM benchmark_values").fetchone() == (641_070,)
    for view in COUNTS:
        on_pg = lait_pg.execute(f"SELECT count(*) FROM {view}").fetchone()
        assert on_pg == seed_duck.execute(f"SELECT count(*) FROM {view}").fetchone(), view
        assert on_pg and on_pg[0] > 0, view


def test_one_ranking_is_the_same_on_both(lait_pg: PgStore, seed_duck: duckdb.DuckDBPyConnection) -> None:
    measure, period = seed_duck.execute(
        """SELECT measure, period FROM benchmark_rankings WHERE rank IS NOT NULL AND quartile IS NOT NULL
           GROUP BY measure, period ORDER BY count(*) DESC, measure, period LIMIT 1"""
    ).fetchone() or ("", "")
    query = (
        "SELECT la_code, area_name, value, polarity, councils_ranked, rank, quartile FROM benchmark_rankings "
        "WHERE measure = ? AND period = ? ORDER BY la_code"
    )
    expected = seed_duck.execute(query, [measure, period]).fetchall()
    assert len(expected) > 100  # most of England's councils
    assert [tuple(r) for r in lait_pg.execute(query, [measure, period]).fetchall()] == expected


def _copy(cur: Any, current: int, new: int, bump: tuple[str, str, str] | None = None) -> None:
    """Submission `new` holding submission `current`'s rows; with `bump`, one value (measure, period,
    la_code) one higher."""
    for table, columns in _SNAPSHOT_TABLES.items():
        chosen = columns
        if bump and table == "benchmark_value_entry":
            m, p, la = (v.replace("'", "''") for v in bump)
            change = f"CASE WHEN measure = '{m}' AND period = '{p}' AND la_code = '{la}' THEN 1 ELSE 0 END"
            chosen = columns.replace("value,", f"value + {change},")
        cur.execute(
            f"INSERT INTO {table} (submission_id, {columns}) SELECT {new}, {chosen} FROM {table} "
            f"WHERE submission_id = {current}"
        )


def _unchanged_check(cur: Any) -> tuple[bool, bool]:
    """Inside a transaction that is rolled back: (an exact copy is the same, a copy with one value
    changed is not)."""
    row = cur.execute("SELECT max(submission_id) FROM submissions WHERE kind = 'lait' AND status = 'active'").fetchone()
    current = int(row[0])
    one = cur.execute(
        f"SELECT measure, period, la_code FROM benchmark_value_entry WHERE submission_id = {current} "
        "AND value IS NOT NULL ORDER BY measure, period, la_code LIMIT 1"
    ).fetchone()
    cur.execute("BEGIN TRANSACTION")
    try:
        _copy(cur, current, 900_001)
        _copy(cur, current, 900_002, tuple(one))
        return _same_rows(cur, 900_001, current), _same_rows(cur, 900_002, current)
    finally:
        cur.execute("ROLLBACK")


def test_the_unchanged_check_on_postgresql(lait_pg: PgStore) -> None:
    with lait_pg.cursor() as cur:
        assert _unchanged_check(cur) == (True, False)
    assert lait_pg.execute("SELECT count(*) FROM benchmark_value_entry").fetchone() == (641_070,)


def test_the_unchanged_check_on_duckdb(db: duckdb.DuckDBPyConnection) -> None:
    cur = db.cursor()
    try:
        assert _unchanged_check(cur) == (True, False)
    finally:
        cur.close()
