"""An order-free fingerprint of a LAIT extract's rows, so "is this extract the one we hold?" is
answered before anything is written, in a few milliseconds, on both backends.

Why: a re-saved extract (new file hashes, the same 641,070 values) used to be inserted whole and then
compared with the current one inside the write lock, about 15 s on PostgreSQL while every upload on
every server waited. Now the incoming rows are fingerprinted in memory before the lock is taken, each
stored extract keeps its fingerprint (table snapshot_fingerprint, 080_snapshot_fingerprint.sql), and
inside the lock only the two fingerprints are compared.

A table's fingerprint is its row count, the XOR and the exact (128-bit) sum of a 64-bit hash of every
row: the comparison DuckDB stores have always made (the same DuckDB `hash` of the same typed values),
now also made for PostgreSQL. The count and the sum see a duplicated or a missing row, which the XOR
alone would not. The rows are hashed as the store holds them: each column cast to its column's type
first (a float 2.0 and a SMALLINT 2 are different hashes), NULL and '' told apart, -0.0 and 0.0 the
same (as SQL's `=` has them). A fingerprint names its method (the DuckDB version), and is compared only
with one made the same way, so a DuckDB upgrade that changed its hash makes the store fall back to
comparing rows, never to a wrong answer.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from typing import Any

import duckdb

METHOD = f"duckdb {duckdb.__version__} hash: rows, bit_xor, sum"

# Each table of an extract, the registered frame its rows come from, and the columns (with the
# store's types, 020_benchmark.sql) that make two extracts the same data.
SNAPSHOT_SOURCES = {
    "benchmark_value_entry": "in_values",
    "benchmark_measure_entry": "in_measures",
    "benchmark_area_entry": "in_areas",
    "neighbour_entry": "in_neighbours",
}
_V = "VARCHAR"
SNAPSHOT_COLUMNS: dict[str, dict[str, str]] = {
    "benchmark_value_entry": {"measure": _V, "period": _V, "end_year": "SMALLINT", "period_kind": _V,
                              "la_code": _V, "value": "DOUBLE", "missing_mark": _V},
    "benchmark_measure_entry": {
        "measure": _V, "topic": _V, "name": _V, "chart_title": _V, "description": _V, "data_item": _V,
        "polarity": _V, "polarity_raw": _V, "y_axis_name": _V, "year_type": _V, "last_update": "DATE",
        "last_update_text": _V, "next_update": "DATE", "next_update_text": _V, "dps": "SMALLINT",
        "no_quartile": "BOOLEAN", "methodology": _V, "source_table": _V, "data_owner": _V, "hyperlinks": _V,
        "measure_id": _V, "dictionary_row": "INTEGER",
    },
    "benchmark_area_entry": {"la_code": _V, "name": _V, "region_name": _V, "region_code": _V, "la_type": _V,
                             "area_kind": _V, "status": _V},
    "neighbour_entry": {"grouping": _V, "grouping_label": _V, "la_code": _V, "la_name": _V,
                        "neighbour_rank": "SMALLINT", "neighbour_code": _V, "closeness": _V, "section": _V},
}  # fmt: skip

Fingerprints = dict[str, str]
_HASHER_LOCK = threading.Lock()


@functools.cache
def _database() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()  # in memory: no file, no store


def _hasher() -> duckdb.DuckDBPyConnection:
    """A private cursor on one in-memory DuckDB per process (opening a database costs ~0.1 s; a cursor
    nothing); frames registered on it are seen by it alone."""
    with _HASHER_LOCK:
        return _database().cursor()


def _summary(rows_hashed: str) -> str:
    return f"SELECT count(*), bit_xor(h), sum(h::HUGEINT) FROM ({rows_hashed}) hashed"


def _text(rows: list[tuple[Any, ...]]) -> str:
    count, xor, total = rows[0]
    return f"{int(count)}:{'' if xor is None else int(xor)}:{'' if total is None else int(total)}"


def of_frames(frames: Mapping[str, Any]) -> Fingerprints:
    """Table -> fingerprint of the rows the frames (named as in SNAPSHOT_SOURCES) would store, each
    value cast to its column's type. A private in-memory DuckDB does the hashing: no store is read."""
    conn = _hasher()
    try:
        found: Fingerprints = {}
        for table, source in SNAPSHOT_SOURCES.items():
            conn.register(source, frames[source])
            cast = ", ".join(f'CAST("{c}" AS {t})' for c, t in SNAPSHOT_COLUMNS[table].items())
            found[table] = _text(conn.execute(_summary(f"SELECT hash({cast}) AS h FROM {source}")).fetchall())
        return found
    finally:
        conn.close()


def of_stored(cur: duckdb.DuckDBPyConnection, submission_id: int) -> Fingerprints:
    """The same fingerprints of one stored extract, computed from its rows (DuckDB stores only:
    PostgreSQL has neither DuckDB's `hash` nor a 128-bit sum)."""
    found: Fingerprints = {}
    for table, columns in SNAPSHOT_COLUMNS.items():
        hashed = f"SELECT hash({', '.join(columns)}) AS h FROM {table} WHERE submission_id = {int(submission_id)}"
        found[table] = _text(cur.execute(_summary(hashed)).fetchall())
    return found


def recorded(cur: duckdb.DuckDBPyConnection, submission_id: int) -> Fingerprints | None:
    """The fingerprints kept with a stored extract by this method, or None when it has none (an
    extract stored before fingerprints were kept, or by another DuckDB version)."""
    rows = cur.execute(
        "SELECT table_name, fingerprint FROM snapshot_fingerprint WHERE submission_id = ? AND method = ?",
        [int(submission_id), METHOD],
    ).fetchall()
    found = {str(table): str(fingerprint) for table, fingerprint in rows}
    return found if set(found) == set(SNAPSHOT_COLUMNS) else None


def record(cur: duckdb.DuckDBPyConnection, submission_id: int, fingerprints: Fingerprints) -> None:
    """Keep an extract's fingerprints with it (inside the caller's transaction); never twice."""
    for table, fingerprint in fingerprints.items():
        cur.execute(
            """INSERT INTO snapshot_fingerprint SELECT ?, ?, ?, ?
               WHERE NOT EXISTS (SELECT 1 FROM snapshot_fingerprint
                                 WHERE submission_id = ? AND table_name = ? AND method = ?)""",
            [int(submission_id), table, METHOD, fingerprint, int(submission_id), table, METHOD],
        )
