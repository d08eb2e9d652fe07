"""The DfE LAIT extract on PostgreSQL (issue 11): all 641,070 values load, the benchmark views give
the same counts and rankings as on the DuckDB seed, and the "unchanged" check (a new extract with
exactly the stored rows is not stored again) answers the same on both backends."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import psycopg
import pyarrow as pa
import pytest

from loaders.lait import MEASURE_COLUMNS, LaitData, LaitFile, read_directory
from loaders.problems import Problems
from store import connect
from store import lait_fingerprint as fingerprint
from store.benchmark import _SNAPSHOT_TABLES, LAIT_DIR, _frames, _same_rows, load_directory, submit_lait
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


# ------------------------------------------------ the "unchanged" decision, case by case, both backends
# A tiny FICTIONAL extract (made-up measures and councils, not DfE figures), stored first; then a
# variant of it is loaded under new file names. Each case runs on both backends, against an extract
# whose fingerprint was kept with it and against one stored before fingerprints were kept (then the
# rows are compared one by one, as before): the answer must be the same every time.

FICTIONAL = "Fictional Borough (fictional data)"


def _fictional_tables() -> dict[str, pd.DataFrame]:
    values = pd.DataFrame(
        [
            ("FICT_CASELOAD", "2023", 2023, "year", "F01", 17.5, None),
            ("FICT_CASELOAD", "2024", 2024, "year", "F01", 0.0, None),
            ("FICT_CASELOAD", "2024", 2024, "year", "F02", None, "c"),
            ("FICT_NEET", "2023/24", 2024, "split year", "F01", 12.13, None),
            ("FICT_NEET", "2023/24", 2024, "split year", "F02", 30.0, None),
        ],
        columns=["measure", "period", "end_year", "period_kind", "la_code", "value", "missing_mark"],
    )
    measure = {c: None for c in MEASURE_COLUMNS} | {"topic": "Fictional", "dps": 1, "no_quartile": False,
               "last_update": date(2025, 6, 1), "last_update_text": "45809", "next_update_text": "TBC"}  # fmt: skip
    measures = pd.DataFrame(
        [measure | {"measure": "FICT_CASELOAD", "name": "Fictional caseload", "polarity": "lower",
                    "dictionary_row": 2},
         measure | {"measure": "FICT_NEET", "name": "Fictional NEET", "polarity": "lower", "dictionary_row": 3}],
        columns=MEASURE_COLUMNS,
    ).astype({"dps": "Int16", "dictionary_row": "int64"})  # fmt: skip
    areas = pd.DataFrame(
        [("F01", FICTIONAL, "Fictional Region", "F80", "MD", "council", "current"),
         ("F02", "Fictional Shire (fictional data)", "Fictional Region", "F80", "", "council", "current")],
        columns=["la_code", "name", "region_name", "region_code", "la_type", "area_kind", "status"],
    )  # fmt: skip
    neighbours = pd.DataFrame(
        [("2025", "May 2025", "F01", FICTIONAL, 1, "F02", "Very close", "current")],
        columns=["grouping", "grouping_label", "la_code", "la_name", "neighbour_rank", "neighbour_code",
                 "closeness", "section"],
    )  # fmt: skip
    return {"values": values, "measures": measures, "areas": areas, "neighbours": neighbours}


def _extract(tables: dict[str, pd.DataFrame], tag: str) -> LaitData:
    """The tables as a checked extract, from files named by `tag` (so never a duplicate by hash)."""
    values = tables["values"].astype({"end_year": "Int16"})
    value_table = pa.Table.from_pandas(values, preserve_index=False)
    files = [LaitFile(role, f"fictional_{role}_{tag}.bin", f"fictional {role} {tag}".encode())
             for role in ("values", "dictionary", "areas", "neighbours")]  # fmt: skip
    return LaitData(
        files, Problems("fictional"), value_table, tables["measures"], tables["areas"], tables["neighbours"]
    )


def _set(table: str, row: int, column: str, value: Any) -> Callable[[dict[str, pd.DataFrame]], None]:
    def change(tables: dict[str, pd.DataFrame]) -> None:
        tables[table] = tables[table].astype({column: object}) if value is None else tables[table]
        tables[table].loc[row, column] = value

    return change


def _rows(table: str, keep: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[dict[str, pd.DataFrame]], None]:
    def change(tables: dict[str, pd.DataFrame]) -> None:
        tables[table] = keep(tables[table]).reset_index(drop=True)

    return change


def _same(tables: dict[str, pd.DataFrame]) -> None:
    """No change: the same rows re-saved."""


CASES = [
    ("re-saved with the same rows", _same, "unchanged"),
    ("the same rows in another order", _rows("values", lambda v: v.iloc[::-1]), "unchanged"),
    ("minus zero for zero (equal in SQL)", _set("values", 1, "value", -0.0), "unchanged"),
    ("one value changed", _set("values", 0, "value", 18.5), "stored"),
    ("a value changed in its last digit", _set("values", 3, "value", math.nextafter(12.13, 13.0)), "stored"),
    ("a NULL value given a value", _set("values", 2, "value", 1.0), "stored"),
    ("a value made NULL", _set("values", 4, "value", None), "stored"),
    ("a missing mark made NULL", _set("values", 2, "missing_mark", None), "stored"),
    ("an empty text made NULL", _set("areas", 1, "la_type", None), "stored"),
    ("an empty text given a value", _set("areas", 1, "la_type", "SC"), "stored"),
    ("one row more", _rows("values", lambda v: pd.concat([v, v.iloc[[0]].assign(la_code="F03")])), "stored"),
    ("one row fewer", _rows("values", lambda v: v.iloc[:-1]), "stored"),
    ("a row duplicated", _rows("values", lambda v: pd.concat([v, v.iloc[[0]]])), "stored"),
    ("a row added twice (the XOR alone would not see it)", _rows("values", lambda v: pd.concat([v, v.iloc[[0, 0]]])),
     "stored"),
    ("a row duplicated in place of another", _rows("values", lambda v: pd.concat([v.iloc[:-1], v.iloc[[0]]])),
     "stored"),
    ("only the dictionary changed", _set("measures", 1, "name", "Fictional NEET rate"), "stored"),
    ("only a date in the dictionary", _set("measures", 0, "last_update", date(2025, 7, 1)), "stored"),
    ("only a neighbour's rank", _set("neighbours", 0, "neighbour_rank", 2), "stored"),
    ("only an area renamed", _set("areas", 0, "name", "Fictional City (fictional data)"), "stored"),
]  # fmt: skip


@pytest.fixture(params=["duckdb", "postgresql"])
def small_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """The store on each backend without the 641,070 shipped values (a DuckDB file with the schema only,
    the PostgreSQL seed template), so that each of the many cases below writes little."""
    from store.backend import open_store

    if request.param == "duckdb":
        target: str | Path = tmp_path / "small.duckdb"
        connect(target).close()
    else:
        target = str(request.getfixturevalue("pg_url"))
    opened = open_store(target)
    yield opened
    opened.close()


def _count(conn: Any, sql: str) -> int:
    with conn.cursor() as cur:
        row = cur.execute(sql).fetchone()
    return int(row[0])


@pytest.mark.parametrize("kept", [True, False], ids=["fingerprint kept", "stored before fingerprints"])
@pytest.mark.parametrize(("case", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_unchanged_decision_case_by_case(
    small_store: Any, case: str, change: Callable[[dict[str, pd.DataFrame]], None], expected: str, kept: bool
) -> None:
    base = submit_lait(small_store, _extract(_fictional_tables(), "first"), "officer")
    assert base.status == "stored", base.message
    if not kept:  # as in a store whose extract was loaded before fingerprints were kept
        with small_store.cursor() as cur:
            cur.execute(f"DELETE FROM snapshot_fingerprint WHERE submission_id = {base.submission_id}")
    tables = _fictional_tables()
    change(tables)
    submissions = _count(small_store, "SELECT count(*) FROM submission_log")
    rows = _count(small_store, "SELECT count(*) FROM benchmark_value_entry")

    outcome = submit_lait(small_store, _extract(tables, "again"), "officer")

    assert outcome.status == expected, (case, outcome.message)
    base_rows = f"SELECT count(*) FROM benchmark_value_entry WHERE submission_id = {base.submission_id}"
    assert _count(small_store, base_rows) == len(_fictional_tables()["values"])  # never overwritten
    if expected == "unchanged":
        assert outcome.submission_id == base.submission_id and "nothing changed" in outcome.message
        assert _count(small_store, "SELECT count(*) FROM submission_log") == submissions
        assert _count(small_store, "SELECT count(*) FROM benchmark_value_entry") == rows
    else:
        assert outcome.submission_id is not None and outcome.submission_id > (base.submission_id or 0)
        assert _count(small_store, "SELECT count(*) FROM benchmark_values") == len(tables["values"])
        with small_store.cursor() as cur:
            assert fingerprint.recorded(cur, outcome.submission_id) == fingerprint.of_frames(
                _frames(_extract(tables, "again"))
            )


def test_an_old_extract_found_unchanged_row_by_row_keeps_its_fingerprint_for_next_time(small_store: Any) -> None:
    base = submit_lait(small_store, _extract(_fictional_tables(), "first"), "officer")
    with small_store.cursor() as cur:
        cur.execute(f"DELETE FROM snapshot_fingerprint WHERE submission_id = {base.submission_id}")
    assert submit_lait(small_store, _extract(_fictional_tables(), "again"), "officer").status == "unchanged"
    with small_store.cursor() as cur:
        kept = fingerprint.recorded(cur, base.submission_id or 0)
    expected = fingerprint.of_frames(_frames(_extract(_fictional_tables(), "x")))
    # PostgreSQL compared the rows (slow) and keeps the fingerprint; DuckDB hashes the stored rows in a
    # blink and needs none.
    assert kept == (expected if isinstance(small_store, PgStore) else None)
    assert submit_lait(small_store, _extract(_fictional_tables(), "third"), "officer").status == "unchanged"


def test_the_fingerprint_of_the_files_is_that_of_the_stored_rows(
    lait_pg: PgStore, seed_duck: duckdb.DuckDBPyConnection
) -> None:
    """The fingerprint hashed in memory from the frames equals DuckDB's hash of the rows as stored,
    and is the one kept with the extract on both backends."""
    expected = fingerprint.of_frames(_frames(read_directory(LAIT_DIR)))
    assert expected["benchmark_value_entry"].startswith("641070:")
    current = int(seed_duck.execute("SELECT submission_id FROM _lait_current").fetchone()[0])  # type: ignore[index]
    assert fingerprint.of_stored(seed_duck, current) == expected
    assert fingerprint.recorded(seed_duck, current) == expected
    cur: Any
    with lait_pg.cursor() as cur:
        on_pg = int(cur.execute("SELECT submission_id FROM _lait_current").fetchone()[0])
        assert fingerprint.recorded(cur, on_pg) == expected


_TYPE_NAMES = {"character varying": "VARCHAR", "double precision": "DOUBLE", "smallint": "SMALLINT",
               "integer": "INTEGER", "date": "DATE", "boolean": "BOOLEAN"}  # fmt: skip


@pytest.mark.parametrize("table", list(fingerprint.SNAPSHOT_COLUMNS))
def test_the_fingerprinted_types_are_the_stored_columns_types(small_store: Any, table: str) -> None:
    """Values are hashed cast to their column's type; a column retyped by a later migration fails here."""
    with small_store.cursor() as cur:
        found = cur.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
            "AND column_name <> 'submission_id' ORDER BY ordinal_position",
            [table],
        ).fetchall()
    assert {c: _TYPE_NAMES.get(t, t) for c, t in found} == fingerprint.SNAPSHOT_COLUMNS[table]
