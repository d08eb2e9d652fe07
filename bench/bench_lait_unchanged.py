"""How long a LAIT extract holds the write lock when it is loaded again (issue 11), on both backends.

A scheduled job re-saves the extract every night: new file hashes, usually the same 641,070 values.
The store must then answer "unchanged" and store nothing, and every upload on every server waits for
the write lock meanwhile. Per backend, after a first load of the shipped extract:

- unchanged: the same rows under new file names (not a duplicate by hash): the "unchanged" decision;
- changed: one value different, so stored as a new submission;
- unchanged again: the same rows as the changed extract, now current (then the original is stored
  again, also counted as "changed", so each round starts alike);
- in a store made here (not one named by --db): the current extract made one stored before
  fingerprints were kept, then loaded again twice (compared row by row, then by fingerprint).

Each is timed end to end (seconds) and for the time the process's write lock was held (which on
PostgreSQL also spans the advisory lock every other server waits on). Median of --repeat runs.

Run: .venv/bin/python bench/bench_lait_unchanged.py [--db PATH_OR_URL ...] [--repeat N]
Without --db: a fresh DuckDB file and a fresh throwaway PostgreSQL (tests/postgres.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import pyarrow as pa  # noqa: E402

import store.submission as submission  # noqa: E402
from loaders.lait import LaitData, LaitFile, read_directory  # noqa: E402
from store import connect  # noqa: E402
from store.backend import is_url, open_store  # noqa: E402
from store.benchmark import LAIT_DIR, submit_lait  # noqa: E402
from tests.postgres import database_url, server  # noqa: E402

LOCK_HELD: list[float] = []
OLD = "unchanged, stored before fingerprints"
OLD_NEXT = "unchanged, the next time"


def _timing_lock() -> Callable[..., object]:
    """The write path's lock, recording how long each write held it (the bench's only instrument)."""
    original = submission.locked

    @contextmanager
    def timed(wait: float = submission.WAIT_SECONDS) -> Iterator[None]:
        with original(wait):
            start = time.perf_counter()
            try:
                yield
            finally:
                LOCK_HELD.append(time.perf_counter() - start)

    return timed


def _renamed(data: LaitData, tag: str, value_table: pa.Table | None = None) -> LaitData:
    """The same extract re-saved: other file names (so another hash), optionally other values."""
    files = [LaitFile(f.role, f"{tag}_{f.file_name}", f.data) for f in data.files]
    table = data.value_table if value_table is None else value_table
    return LaitData(files, data.problems, table, data.measures, data.areas, data.neighbours)


def _one_value_changed(data: LaitData, delta: float) -> pa.Table:
    values = data.value_table.column("value").to_numpy(zero_copy_only=False).copy()
    values[0] += delta
    index = data.value_table.schema.get_field_index("value")
    return data.value_table.set_column(index, "value", pa.array(values, from_pandas=True))


def _timed(conn: object, data: LaitData, expected: str) -> tuple[float, float]:
    """(seconds end to end, seconds holding the write lock) for one submit_lait."""
    LOCK_HELD.clear()
    start = time.perf_counter()
    outcome = submit_lait(conn, data, "bench")  # type: ignore[arg-type]
    total = time.perf_counter() - start
    assert outcome.status == expected, (expected, outcome.status, outcome.message)
    return total, sum(LOCK_HELD)


def _forget_fingerprints(conn: object) -> None:
    """Make the current extract one stored before fingerprints were kept (only in a store made here)."""
    with conn.cursor() as cur:  # type: ignore[attr-defined]
        cur.execute("DELETE FROM snapshot_fingerprint WHERE submission_id = (SELECT submission_id FROM _lait_current)")


def measure(target: str, data: LaitData, repeat: int, made_here: bool) -> dict[str, tuple[float, float]]:
    conn = open_store(target)
    rows: dict[str, list[tuple[float, float]]] = {"first load": [], "unchanged": [], "changed": [],
                                                  "unchanged again": []}  # fmt: skip
    try:
        rows["first load"].append(_timed(conn, _renamed(data, "first"), "stored"))
        for i in range(repeat):
            rows["unchanged"].append(_timed(conn, _renamed(data, f"same{i}"), "unchanged"))
            changed = _one_value_changed(data, delta=i + 1.0)
            rows["changed"].append(_timed(conn, _renamed(data, f"changed{i}", changed), "stored"))
            rows["unchanged again"].append(_timed(conn, _renamed(data, f"again{i}", changed), "unchanged"))
            rows["changed"].append(_timed(conn, _renamed(data, f"back{i}"), "stored"))  # the original again
        if made_here:
            _forget_fingerprints(conn)
            rows[OLD] = [_timed(conn, _renamed(data, "old"), "unchanged")]
            rows[OLD_NEXT] = [_timed(conn, _renamed(data, "old-next"), "unchanged")]
    finally:
        conn.close()
    return {k: (statistics.median(t for t, _ in v), statistics.median(h for _, h in v)) for k, v in rows.items()}


@contextmanager
def default_targets(folder: Path) -> Iterator[list[str]]:
    """An empty DuckDB file and an empty PostgreSQL database, both with the schema."""
    duck = folder / "lait.duckdb"
    connect(duck).close()
    with server() as base:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute("CREATE DATABASE lait")
        yield [str(duck), database_url(base, "lait")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", metavar="PATH_OR_URL", help="a store to measure (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    submission.locked = _timing_lock()  # type: ignore[assignment]
    start = time.perf_counter()
    data = read_directory(LAIT_DIR)
    print(f"LAIT extract read and checked in {time.perf_counter() - start:.1f} s: {data.value_table.num_rows:,} values")
    with ExitStack() as stack:
        targets = args.db or stack.enter_context(
            default_targets(Path(stack.enter_context(tempfile.TemporaryDirectory())))
        )
        made_here = not args.db
        results = {("PostgreSQL" if is_url(t) else "DuckDB"): measure(t, data, args.repeat, made_here) for t in targets}
    names = list(results)
    print(f"\n{'seconds: total / lock held':40}" + "".join(f"{n:>24}" for n in names))
    for case in next(iter(results.values())):
        cells = "".join(f"{results[n][case][0]:>12.3f} / {results[n][case][1]:>7.3f}" for n in names)
        print(f"{case:40}{cells}")


if __name__ == "__main__":
    main()
