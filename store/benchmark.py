"""Storing a LAIT extract and the KPI mapping as versioned, all-or-nothing submissions.

Each extract is a complete snapshot: it is stored whole, as a new submission of kind 'lait', and the
views read the latest active one (see 020_benchmark.sql). Nothing here updates or deletes a row.
An extract holding exactly the current one's rows under new file hashes is "unchanged" and stores
nothing; that is decided from fingerprints before anything is written (store/lait_fingerprint.py).
A scheduled job loads an extract with `board lait DIRECTORY` (cli/lait.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from loaders.lait import (
    MAP_COLUMNS,
    MEASURE_COLUMNS,
    BenchmarkMap,
    LaitData,
    LaitFile,
    read_benchmark_map,
    read_directory,
)
from loaders.problems import Problem
from store import lait_fingerprint as fingerprint
from store.pg import PgCursor
from store.submission import (
    WAIT_SECONDS,
    Actor,
    AuditEntry,
    Busy,
    Header,
    StoreError,
    Written,
    begin,
    keep_original,
    refresh_statistics,
    write,
)
from store.writes import Outcome

ROOT = Path(__file__).resolve().parent.parent
LAIT_DIR = ROOT / "data" / "lait"
MAP_FILE = ROOT / "data" / "kpi_benchmark_map.csv"

# The tables of one extract and the columns that make two extracts the same data.
_SNAPSHOT_TABLES = {table: ", ".join(columns) for table, columns in fingerprint.SNAPSHOT_COLUMNS.items()}


def _rejected(errors: list[Problem]) -> Outcome:
    listed = "; ".join(p.describe() for p in errors[:10])
    return Outcome("rejected", f"{len(errors)} problem(s) found; nothing was stored. {listed}")


def _frames(data: LaitData) -> dict[str, pd.DataFrame | pa.Table]:
    measures = data.measures.copy()
    for column in ("last_update", "next_update"):
        measures[column] = pd.to_datetime(measures[column])
    measures["dictionary_row"] = pd.to_numeric(measures["dictionary_row"]).astype("Int64")
    return {
        "in_values": data.value_table,
        "in_measures": measures[MEASURE_COLUMNS],
        "in_areas": data.areas,
        "in_neighbours": data.neighbours,
    }


def _current(cur: duckdb.DuckDBPyConnection, kind: str) -> tuple[int, str] | None:
    row = cur.execute(
        """SELECT submission_id, sha256 FROM submissions WHERE kind = ? AND status = 'active'
           ORDER BY submission_id DESC LIMIT 1""",
        [kind],
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _same_rows(cur: duckdb.DuckDBPyConnection, new: int, current: int) -> bool:
    """True when two stored extracts hold the same rows, table by table: on DuckDB by their
    fingerprints (lait_fingerprint.of_stored); PostgreSQL has no `hash` of a row nor a 128-bit sum, so
    there the rows are compared as multisets (`EXCEPT ALL` both ways, after equal counts). Used only
    for an extract stored before fingerprints were kept with it; about 8 s on PostgreSQL."""
    if isinstance(cur, PgCursor):
        return all(_same_multiset(cur, table, columns, new, current) for table, columns in _SNAPSHOT_TABLES.items())
    return fingerprint.of_stored(cur, new) == fingerprint.of_stored(cur, current)


def _same_multiset(cur: PgCursor, table: str, columns: str, new: int, current: int) -> bool:
    """The rows of submissions `new` and `current` in `table` are equal as multisets (NULLs equal)."""
    one = f"SELECT {columns} FROM {table} WHERE submission_id = {int(new)}"
    other = f"SELECT {columns} FROM {table} WHERE submission_id = {int(current)}"
    row = cur.execute(
        f"""SELECT (SELECT count(*) FROM ({one}) a) = (SELECT count(*) FROM ({other}) b)
                   AND NOT EXISTS (({one}) EXCEPT ALL ({other}))
                   AND NOT EXISTS (({other}) EXCEPT ALL ({one}))"""
    ).fetchone()
    return bool(row and row[0])


def _store_files(cur: duckdb.DuckDBPyConnection, sid: int, files: list[LaitFile]) -> None:
    for f in files:
        keep_original(cur, f.sha256, f.file_name, f.data)
        cur.execute(
            "INSERT INTO benchmark_file VALUES (?, ?, ?, ?, ?)", [sid, f.role, f.file_name, f.sha256, len(f.data)]
        )


def _run(
    conn: duckdb.DuckDBPyConnection,
    frames: Mapping[str, pd.DataFrame | pa.Table],
    body: Callable[[duckdb.DuckDBPyConnection], Outcome],
    actor: Actor | None,
    action: str,
    wait: float,
) -> Outcome:
    """Run `body(cur)` through the write path: COMMIT when it stored something, else ROLLBACK."""

    def decided(cur: duckdb.DuckDBPyConnection) -> Written[Outcome]:
        outcome = body(cur)
        target = f"submission {outcome.submission_id}" if outcome.submission_id else action
        return Written(outcome, outcome.status == "stored", AuditEntry(action, target, outcome.status))

    return write(conn, decided, actor, frames, wait)


def _known(cur: duckdb.DuckDBPyConnection, submission_id: int) -> fingerprint.Fingerprints | None:
    """The fingerprints of a stored extract: those kept with it, else (DuckDB) computed from its rows
    in a blink, else None (PostgreSQL, an extract stored before fingerprints were kept)."""
    kept = fingerprint.recorded(cur, submission_id)
    if kept is not None or isinstance(cur, PgCursor):
        return kept
    return fingerprint.of_stored(cur, submission_id)


def _unchanged(current: int) -> Outcome:
    return Outcome("unchanged", f"Every value matches submission {current}; nothing changed.", current)


def _insert_rows(cur: duckdb.DuckDBPyConnection, sid: int, frames: Mapping[str, pd.DataFrame | pa.Table]) -> None:
    """The extract's rows as submission `sid`. The frames are registered here, not when the write
    opens: an extract found unchanged is never copied to the server (641,070 rows by COPY)."""
    for name, frame in frames.items():
        cur.register(name, frame)
    # Sorted by measure, so one measure's rows sit in one row group and reads skip the others.
    cur.execute(
        f"""INSERT INTO benchmark_value_entry
            SELECT {sid}, measure, period, end_year, period_kind, la_code, value, missing_mark
            FROM in_values ORDER BY measure"""
    )
    columns = ", ".join(MEASURE_COLUMNS)
    cur.execute(f"INSERT INTO benchmark_measure_entry ({columns}, submission_id) SELECT *, {sid} FROM in_measures")
    cur.execute(
        f"""INSERT INTO benchmark_area_entry
            SELECT {sid}, la_code, name, region_name, region_code, la_type, area_kind, status FROM in_areas"""
    )
    cur.execute(
        f"""INSERT INTO neighbour_entry
            SELECT {sid}, grouping, grouping_label, la_code, la_name, neighbour_rank, neighbour_code,
                   closeness, section FROM in_neighbours"""
    )


def _remember(conn: duckdb.DuckDBPyConnection, sid: int, found: fingerprint.Fingerprints, wait: float) -> None:
    """Keep the fingerprints of an extract stored before they were kept, once its rows were found
    the same as `found` row by row: the next re-saved copy is then recognised in milliseconds.
    A row added beside the extract, never a change to it. Only a shortcut: if it cannot be written
    (the store busy, or a role not yet granted the new table), the "unchanged" answer stands and the
    next load compares row by row again."""

    def body(cur: duckdb.DuckDBPyConnection) -> Written[None]:
        fingerprint.record(cur, sid, found)
        return Written(None)

    try:
        write(conn, body, None, None, wait)
    except (Busy, *StoreError):
        pass


def submit_lait(
    conn: duckdb.DuckDBPyConnection,
    data: LaitData,
    user: str,
    note: str = "",
    actor: Actor | None = None,
    wait: float = WAIT_SECONDS,
) -> Outcome:
    """Store a checked LAIT extract as one new submission (kind 'lait'), in one transaction, or nothing."""
    if not data.ok:
        return _rejected(data.problems.errors)
    measures = data.measures["measure"].nunique()
    summary = (
        f"DfE LAIT extract: {data.value_table.num_rows:,} values, {measures} measures, {len(data.areas)} areas, "
        f"{data.neighbours['grouping'].nunique()} neighbour groupings"
    )

    frames = _frames(data)
    incoming = fingerprint.of_frames(frames)  # before the write lock: the only costly part of the decision
    compared_rows: list[int] = []

    def body(cur: duckdb.DuckDBPyConnection) -> Outcome:
        current = _current(cur, "lait")
        if current is not None and current[1] == data.sha256:
            return Outcome("duplicate", f"These files were already loaded as submission {current[0]}; nothing "
                           "changed.", current[0])  # fmt: skip
        known = None if current is None else _known(cur, current[0])
        if current is not None and known == incoming:
            return _unchanged(current[0])
        header = Header("lait", data.file_name, data.sha256, user, kpi_rows=measures,
                        observation_rows=data.value_table.num_rows, warnings=len(data.problems.warnings),
                        note=f"{summary}. {note}".strip())  # fmt: skip
        sid = begin(cur, header)
        _store_files(cur, sid, data.files)
        _insert_rows(cur, sid, frames)
        fingerprint.record(cur, sid, incoming)
        if current is not None and known is None and _same_rows(cur, sid, current[0]):  # rolled back by _run
            compared_rows.append(current[0])
            return _unchanged(current[0])
        return Outcome("stored", f"Stored as submission {sid}: {summary}.", sid)

    outcome = _run(conn, {}, body, actor, "lait_load", wait)
    if compared_rows:
        _remember(conn, compared_rows[0], incoming, wait)
    if outcome.status == "stored":  # fresh statistics, or the benchmark views' plans stay those of no data
        refresh_statistics(conn, data.value_table.num_rows, *_SNAPSHOT_TABLES)
    return outcome


def submit_benchmark_map(
    conn: duckdb.DuckDBPyConnection,
    mapping: BenchmarkMap,
    user: str,
    note: str = "",
    actor: Actor | None = None,
    wait: float = WAIT_SECONDS,
) -> Outcome:
    """Store the local-KPI -> national-measure mapping as one new submission (kind 'benchmark_map')."""
    if not mapping.ok:
        return _rejected(mapping.problems.errors)
    rows = mapping.rows[MAP_COLUMNS]

    def body(cur: duckdb.DuckDBPyConnection) -> Outcome:
        current = _current(cur, "benchmark_map")
        if current is not None and current[1] == mapping.file.sha256:
            return Outcome("duplicate", f"This mapping was already loaded as submission {current[0]}; nothing "
                           "changed.", current[0])  # fmt: skip
        header = Header("benchmark_map", mapping.file.file_name, mapping.file.sha256, user, kpi_rows=len(rows),
                        warnings=len(mapping.problems.warnings),
                        note=f"{len(rows)} local KPIs mapped to national measures. {note}".strip())  # fmt: skip
        sid = begin(cur, header)
        _store_files(cur, sid, [mapping.file])
        cur.execute(
            f"""INSERT INTO kpi_benchmark_map_entry
                SELECT {sid}, kpi_code, measure, transform, scale, "offset", note, row_number FROM in_map"""
        )
        unknown = cur.execute(
            """SELECT string_agg(kpi_code, ', ' ORDER BY kpi_code) FROM in_map
               WHERE kpi_code NOT IN (SELECT kpi_code FROM kpis)"""
        ).fetchone()
        later = (
            f" Not in the KPI list yet (kept for when they are added): {unknown[0]}." if unknown and unknown[0] else ""
        )
        return Outcome("stored", f"Stored as submission {sid}: {len(rows)} KPI mappings.{later}", sid)

    return _run(conn, {"in_map": rows}, body, actor, "benchmark_map_load", wait)


def load_directory(
    conn: duckdb.DuckDBPyConnection,
    directory: str | Path = LAIT_DIR,
    user: str = "system",
    map_file: str | Path | None = MAP_FILE,
    note: str = "",
    actor: Actor | None = None,
) -> list[Outcome]:
    """Read and store the extract in `directory`, then the KPI mapping; one outcome per submission."""
    data = read_directory(directory)
    outcomes = [submit_lait(conn, data, user, note, actor)]
    if map_file is not None:
        path = Path(map_file)
        mapping = read_benchmark_map(LaitFile("map", path.name, path.read_bytes()), set(data.measures["measure"]))
        outcomes.append(submit_benchmark_map(conn, mapping, user, note, actor))
    return outcomes
