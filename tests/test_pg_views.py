"""The analyst views have the same names, columns and types on DuckDB and PostgreSQL, and the same
queries give the same answers on the seed data (the PostgreSQL test template holds no LAIT extract, to
stay quick, so here the benchmark views are compared by columns and types; tests/test_pg_lait.py and
tests/test_benchmark_queries.py compare their rows with the whole extract loaded)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import psycopg
import pytest

from store.pg import ANALYST_VIEWS

# PostgreSQL's names for the types DuckDB reports.
SAME_TYPE = {
    "character varying": "VARCHAR", "text": "VARCHAR", "integer": "INTEGER", "bigint": "BIGINT",
    "smallint": "SMALLINT", "double precision": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN",
    "timestamp without time zone": "TIMESTAMP", "bytea": "BLOB",
}  # fmt: skip
# Columns whose values differ by when the seed was loaded, not by what it holds.
LOAD_TIME = {"submitted_at", "last_changed_at", "saved_at"}
BENCHMARK = {v for v in ANALYST_VIEWS if "benchmark" in v or v in ("la_codes", "statistical_neighbours")}
ONLY_ON_BOTH = {"submissions": "WHERE kind NOT IN ('lait', 'benchmark_map')"}  # the LAIT loads are DuckDB's only
QUERIES = [
    "SELECT priority, rating, count(*) AS actions FROM rag_history WHERE period = DATE '2017-02-01'"
    " AND rating IS NOT NULL GROUP BY priority, rating ORDER BY priority, rating",
    "SELECT kpi_code, la_code, period, value, target FROM kpi_observations ORDER BY kpi_code, la_code, period",
    "SELECT submission_id, kind, file_name, sha256, status FROM submissions WHERE kind NOT IN ('lait', 'benchmark_map')"
    " ORDER BY submission_id",
]


def _duckdb_columns(conn: duckdb.DuckDBPyConnection, view: str) -> list[tuple[str, str]]:
    return [(str(r[0]), str(r[1])) for r in conn.execute(f"DESCRIBE SELECT * FROM {view}").fetchall()]


def _pg_columns(conn: psycopg.Connection, view: str) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [view],
    ).fetchall()
    return [(str(name), SAME_TYPE.get(str(kind), str(kind))) for name, kind in rows]


@pytest.fixture
def both(db_path: Path, pg_url: str):  # type: ignore[no-untyped-def]
    duck = duckdb.connect(str(db_path), read_only=True)
    pg = psycopg.connect(pg_url, autocommit=True)
    yield duck, pg
    duck.close()
    pg.close()


@pytest.mark.parametrize("view", ANALYST_VIEWS)
def test_each_view_has_the_same_columns_and_types_on_both(both, view: str) -> None:  # type: ignore[no-untyped-def]
    duck, pg = both
    assert _pg_columns(pg, view) == _duckdb_columns(duck, view)
    if view in BENCHMARK:
        return
    columns = [name for name, _ in _duckdb_columns(duck, view) if name not in LOAD_TIME]
    listed = ", ".join(f'"{c}"' for c in columns)
    query = f"SELECT {listed} FROM {view} {ONLY_ON_BOTH.get(view, '')}"
    on_duckdb = sorted(map(repr, duck.execute(query).fetchall()))
    on_pg = sorted(map(repr, pg.execute(query).fetchall()))
    assert on_pg == on_duckdb


@pytest.mark.parametrize("query", QUERIES)
def test_the_same_query_gives_the_same_answer_on_both(both, query: str) -> None:  # type: ignore[no-untyped-def]
    duck, pg = both
    assert pg.execute(query).fetchall() == duck.execute(query).fetchall()


def test_the_plan_is_listed_in_the_same_order_on_both(db_path: Path, pg_url: str) -> None:
    """actions_at orders '3.2' before '3.10' on each backend in its own SQL (store/plan_queries.py)."""
    from datetime import date

    from store.backend import open_store
    from store.plan_queries import actions_at

    orders = []
    for target in (db_path, pg_url):
        store = open_store(target)
        try:
            orders.append(actions_at(store, date(2017, 2, 1))["action_ref"].tolist())
        finally:
            store.close()
    assert orders[0] == orders[1] and len(orders[0]) > 50
