"""Benchmarking page speed and the cost of loading the national LAIT files, on both backends side by side.

- load: read and check the five LAIT files (641,070 values) once, and store them as one submission
  in a fresh store on each backend; also the cost of loading the same files again (recognised,
  nothing stored).
- page: server-side run of views/benchmarking.py with every row loaded, under AppTest: uncached (a
  view not seen before, the reads cache emptied first; median over 9 views) and cached (median of
  --repeat reruns of each view); wall clock and this process's CPU time.
Targets (issue 11): cached rerun < 50 ms and uncached < 300 ms on both; uncached on PostgreSQL
within 2x of DuckDB.

Run: .venv/bin/python bench/bench_benchmarking.py [--repeat N] [--loads N] [--db PATH_OR_URL ...]

Without --db it makes a seed DuckDB file and a throwaway PostgreSQL, both with the plan, KPIs and
all five LAIT files (bench/targets.py); PostgreSQL's statistics are refreshed (VACUUM ANALYZE)
before measuring. A fresh store for the load is a new DuckDB file, or a new database on the
PostgreSQL server (which needs the right to create one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.targets import (  # noqa: E402
    add_db_option,
    backend,
    pg_within,
    side_by_side,
    stores_line,
    targets,
    within,
)
from store.backend import is_url  # noqa: E402

CACHED_TARGET_MS = 50
UNCACHED_TARGET_MS = 300
PAGE = "views/benchmarking.py"
OVERVIEW = "Overview page, for reference"


def _fresh_store(target: str, tmp: Path, i: int) -> tuple[object, Callable[[], None]]:
    """An empty store on `target`'s backend, and how to remove it."""
    from store import connect
    from store.backend import open_store
    from tests.postgres import database_url

    if not is_url(target):
        path = tmp / f"load-{i}.duckdb"
        conn = connect(path)

        def remove() -> None:
            conn.close()
            path.unlink()

        return conn, remove
    name = f"bench_load_{os.getpid()}_{i}"
    with psycopg.connect(target, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    store = open_store(database_url(target, name))

    def drop() -> None:
        store.close()
        with psycopg.connect(target, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name}")

    return store, drop


def load(stores: list[str], tmp: Path, repeat: int) -> tuple[float, dict[str, dict[str, float]]]:
    """Seconds to read and check the files (once per run: it does not touch a store); then per
    step, per backend: store them in a fresh store; recognise them a second time."""
    from loaders.lait import read_directory
    from store.benchmark import LAIT_DIR, submit_lait

    reads = []
    for _ in range(repeat):
        start = time.perf_counter()
        data = read_directory(LAIT_DIR)
        reads.append(time.perf_counter() - start)
    steps: dict[str, dict[str, float]] = {"store (a fresh store)": {}, "same files again": {}}
    for target in stores:
        saves, agains = [], []
        for i in range(repeat):
            try:
                conn, remove = _fresh_store(target, tmp, i)
            except (OSError, psycopg.Error) as exc:  # e.g. a role that may not create a database
                print(f"No load measured on {backend(target)}: cannot make a fresh store there ({exc})")
                break
            try:
                start = time.perf_counter()
                outcome = submit_lait(conn, data, "bench")  # type: ignore[arg-type]
                saves.append(time.perf_counter() - start)
                assert outcome.status == "stored", outcome.message
                start = time.perf_counter()
                again = submit_lait(conn, read_directory(LAIT_DIR), "bench")  # type: ignore[arg-type]
                agains.append(time.perf_counter() - start)
                assert again.status == "duplicate", again.message
            finally:
                remove()
        if not saves:
            continue
        steps["store (a fresh store)"][backend(target)] = statistics.median(saves)
        steps["same files again"][backend(target)] = statistics.median(agains)
    return statistics.median(reads), steps


FRESH_VIEWS = (  # (widget, value): each a view not seen before in the run
    ("benchmarking.measure", "CareLeaverEET"),
    ("benchmarking.measure", "CareLeaverAcc"),
    ("benchmarking.council", "383"),
    ("benchmarking.measure", "ReReferral"),
    ("benchmarking.grouping", "2021"),
    ("benchmarking.measure", "Work_Force_TO_Rate"),
    ("benchmarking.council", "909"),
    ("benchmarking.measure", "LAC_LongStable%"),
)


def _timed(at: object) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) for one run of the app script."""
    wall, cpu = time.perf_counter(), time.process_time()
    at.run()  # type: ignore[attr-defined]
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def page(target: str, repeat: int) -> dict[str, tuple[float, float, float, float]]:
    """Per page: (uncached wall, cached wall, uncached CPU, cached CPU) ms, medians.

    Uncached: a view not seen before with Streamlit's data cache emptied first (the first person to open
    it after a data change). Cached: the same view rerun. CPU time is this process's, so it does not
    grow when other programs compete for the machine; wall time does.
    """
    from streamlit.testing.v1 import AppTest

    import charts.benchmark  # noqa: F401 - imported before timing, as a running server has them
    import store.benchmark_queries  # noqa: F401
    from bench.bench_pages import use_store
    from ui.data import clear_reads

    use_store(target)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    results = {}
    clear_reads()
    overview_uncached = _timed(at)
    overview_cached = [_timed(at) for _ in range(repeat)]
    clear_reads()
    at.switch_page(PAGE)
    uncached = [_timed(at)]
    cached = [_timed(at) for _ in range(repeat)]
    for widget, value in FRESH_VIEWS:
        clear_reads()
        at.selectbox(key=widget).set_value(value)
        uncached.append(_timed(at))
        cached.extend(_timed(at) for _ in range(repeat))
        if at.exception:
            raise RuntimeError(f"{widget}={value} on {backend(target)}: {at.exception[0].value}")

    def medians(first: list[tuple[float, float]], again: list[tuple[float, float]]) -> tuple[float, ...]:
        return tuple(statistics.median(x[i] for x in runs) for i in (0, 1) for runs in (first, again))

    results[OVERVIEW] = medians([overview_uncached], overview_cached)
    results[f"Benchmarking ({len(uncached)} views)"] = medians(uncached, cached)
    return {k: (v[0], v[1], v[2], v[3]) for k, v in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="cached reruns per scenario")
    parser.add_argument("--loads", type=int, default=3, help="full loads of the LAIT files per backend")
    add_db_option(parser)
    args = parser.parse_args()

    with targets(args.db) as stores, tempfile.TemporaryDirectory() as tmp_name:
        print(stores_line(stores))
        page(stores[0], 1)  # not counted: the first pages run in a process import and build more
        pages = {backend(t): page(t, args.repeat) for t in stores}
        read, steps = load(stores, Path(tmp_name), args.loads)
    print(f"\nLoading the national files: read and check {read:.2f} s (median of {args.loads}, no store involved)")
    side_by_side(f"Storing them, s (median of {args.loads})", steps, ".2f")

    def rows(i: int) -> dict[str, dict[str, float]]:
        names = next(iter(pages.values()))
        return {name: {b: figures[name][i] for b, figures in pages.items()} for name in names}

    met = side_by_side(
        "Uncached rerun, wall ms (median)", rows(0), ".0f",
        f"< {UNCACHED_TARGET_MS} ms on both and PostgreSQL within 2x of DuckDB",
        lambda f: within(UNCACHED_TARGET_MS)(f) and pg_within(2)(f), reference={OVERVIEW},
    )  # fmt: skip
    met &= side_by_side(
        f"Cached rerun, wall ms (median of {args.repeat} per view)", rows(1), ".1f",
        f"< {CACHED_TARGET_MS} ms on both", within(CACHED_TARGET_MS), reference={OVERVIEW},
    )  # fmt: skip
    side_by_side("Uncached rerun, CPU ms of this process (median)", rows(2), ".0f")
    side_by_side("Cached rerun, CPU ms of this process (median)", rows(3), ".1f")
    print(
        "\nThe whole app script is timed (dashboard.py's navigation and sign-in check included). The database"
        " server's own CPU is not in 'CPU of this process'. Load average while measuring: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} CPUs; when it is above the CPU count, wall time includes waiting for a CPU."
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
