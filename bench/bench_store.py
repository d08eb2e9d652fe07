"""Benchmark the store on both backends side by side: the DuckDB file (live store) and PostgreSQL.

1. A 100,000-row KPI workbook (fictional council Northmoor, LA 999: invented figures), parsed once,
   then checked against the store (the upload preview) and stored, on each backend.
2. Store reads a page rerun makes when nothing is cached (headline, KPI status, submissions).
3. The live-store designs on the DuckDB file: a connection per operation vs the published read copy
   (read cost, publish cost per write), and how long an upload takes while an analyst's long query
   runs on the read copy.
4. Load: 4 uploaders in each of 2 processes for `--seconds` (default 60): submissions per minute,
   lost (confirmed but not in the store) and duplicated, and the analyst query time meanwhile.

    .venv/bin/python bench/bench_store.py [--rows 100000] [--seconds 60] [--db PATH_OR_URL ...]

Without --db it makes a seed DuckDB file and a throwaway PostgreSQL filled alike (bench/targets.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from bench.targets import add_db_option, backend, median_ms, stores_line, targets  # noqa: E402
from loaders.ingest import read_bytes  # noqa: E402
from store import history  # noqa: E402
from store.backend import is_url, open_store  # noqa: E402
from store.live import read_copy_path  # noqa: E402
from store.queries import catalogue, fetch_df, headline  # noqa: E402
from store.writes import changes, submit  # noqa: E402
from tests.data.good.make_fictional import workbook  # noqa: E402
from tests.helpers import large_kpi_return  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def bulk(targets: list[str], rows: int) -> None:
    data = large_kpi_return(rows)
    start = time.perf_counter()
    parsed = read_bytes(data, "bench.xlsx", default_la="999")
    print(f"\n1. {rows:,}-row KPI workbook: parsed once in {time.perf_counter() - start:.2f} s")
    for target in targets:
        store = open_store(target)
        try:
            parsed_here = read_bytes(data, "bench.xlsx", catalogue=catalogue(store), default_la="999")
            check = median_ms(lambda s=store, p=parsed_here: changes(s, p), repeat=3)
            start = time.perf_counter()
            outcome = submit(store, parsed_here, data, "bench")
            stored = (time.perf_counter() - start) * 1000
            print(
                f"   {backend(target):10} check (preview) {check:7.0f} ms   store {stored:7.0f} ms   ({outcome.status})"
            )
        finally:
            store.close()
    del parsed


def reads(targets: list[str]) -> None:
    print("\n2. Uncached store reads of a page rerun (median of 5)")
    for target in targets:
        store = open_store(target)
        try:
            parts = {
                "data version": lambda s=store: fetch_df(s, "SELECT max(event_id) FROM submission_event"),
                "headline": lambda s=store: headline(s, date(2017, 2, 1)),
                "KPI status": lambda s=store: __import__("store.plan_queries").plan_queries.kpi_status(s, "394"),
                "submissions": lambda s=store: history.listing(s),
            }
            figures = "   ".join(f"{name} {median_ms(run):6.1f} ms" for name, run in parts.items())
            print(f"   {backend(target):10} {figures}")
        finally:
            store.close()


ANALYST = """
import sys, time, duckdb
path, seconds = sys.argv[1], float(sys.argv[2])
conn = duckdb.connect(path, read_only=True)
print("ready", flush=True)
end = time.monotonic() + seconds
while time.monotonic() < end:  # a long analyst query, again and again, on one connection
    conn.execute("SELECT count(*) FROM kpi_observations a JOIN kpi_observations b USING (kpi_code) "
                 "WHERE a.value > b.value").fetchone()
print("done", flush=True)
"""


def designs(duck: str) -> None:
    path = Path(duck)
    print("\n3. Live store on the DuckDB file")
    latest = "SELECT max(event_id) FROM submission_event"
    per_op = median_ms(lambda: duckdb.connect(str(path)).execute(latest).fetchone())
    store = open_store(path)
    copy_read = median_ms(lambda: fetch_df(store, latest))
    print(f"   a connection per operation: {per_op:.1f} ms per read (opening the file)")
    print(f"   the published read copy:    {copy_read:.2f} ms per read (one stat, an open connection)")
    size = path.stat().st_size / 1e6
    conn = duckdb.connect(str(path))
    publish = median_ms(lambda: __import__("store.live").live.publish(conn, path), repeat=3)
    conn.close()
    print(f"   publishing a copy of the {size:.0f} MB file after a write: {publish:.0f} ms")

    def one_upload(i: int) -> float:
        data = workbook({"CL_NEET": {f"2010-{m:02d}": 30 + i + m / 10 for m in range(1, 13)}})
        parsed = read_bytes(data, f"small{i}.xlsx", catalogue=catalogue(store), default_la="999")
        start = time.perf_counter()
        assert history.store_upload(store, parsed, data, history.Actor("bench", "uploader")).status == "stored"
        return (time.perf_counter() - start) * 1000

    alone = statistics.median(one_upload(i) for i in range(3))
    analyst = subprocess.Popen([sys.executable, "-c", ANALYST, str(read_copy_path(path)), "20"],
                               env=ENV, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert analyst.stdout is not None and analyst.stdout.readline().strip() == "ready"
    during = statistics.median(one_upload(10 + i) for i in range(3))
    analyst.kill()
    print(f"   a 12-value upload: {alone:.0f} ms alone, {during:.0f} ms while an analyst's long query runs")


UPLOADERS = """
import sys, threading, time, random
from loaders.ingest import read_bytes
from store import history
from store.backend import open_store
from store.queries import catalogue
from tests.data.good.make_fictional import workbook
target, seconds, name = sys.argv[1], float(sys.argv[2]), sys.argv[3]
store = open_store(target, wait=10)
known = catalogue(store)
counts = {"stored": 0, "busy": 0, "other": 0}
lock = threading.Lock()
end = time.monotonic() + seconds

def uploader(n):
    i = 0
    while time.monotonic() < end:
        i += 1
        data = workbook({"CL_NEET": {f"{1990 + i % 30}-{1 + n:02d}": random.random() * 100}})
        parsed = read_bytes(data, f"{name}-{n}-{i}.xlsx", catalogue=known, default_la="999")
        try:
            status = history.store_upload(store, parsed, data, history.Actor(name, "uploader"), wait=10).status
        except history.Busy:
            status = "busy"
        with lock:
            counts[status if status in counts else "other"] += 1

threads = [threading.Thread(target=uploader, args=(n,)) for n in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(counts["stored"], counts["busy"], counts["other"], flush=True)
"""

ANALYST_PROBE = """
import sys, time
from store.backend import open_store
from store.queries import fetch_df
target, seconds = sys.argv[1], float(sys.argv[2])
store = open_store(target, wait=10)
times = []
end = time.monotonic() + seconds
while time.monotonic() < end:
    start = time.perf_counter()
    fetch_df(store, "SELECT kpi_code, count(*), avg(value) FROM kpi_observations GROUP BY kpi_code")
    times.append((time.perf_counter() - start) * 1000)
    time.sleep(0.2)
times.sort()
print(f"{times[len(times) // 2]:.1f} {times[-1]:.1f}", flush=True)
"""


def load(targets: list[str], seconds: float) -> None:
    print(f"\n4. Load: 4 uploaders x 2 processes for {seconds:g} s, an analyst query every 0.2 s meanwhile")
    for target in targets:
        workers = [
            subprocess.Popen([sys.executable, "-c", UPLOADERS, target, str(seconds), f"load{p}"],
                             cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
            for p in range(2)
        ]  # fmt: skip
        probe = subprocess.Popen([sys.executable, "-c", ANALYST_PROBE, target, str(seconds)],
                                 cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)  # fmt: skip
        totals = [0, 0, 0]
        for w in workers:
            out, _ = w.communicate(timeout=seconds + 300)
            for i, v in enumerate(out.split()):
                totals[i] += int(v)
        median, worst = probe.communicate(timeout=seconds + 60)[0].split()
        store = open_store(target)
        try:
            frame = fetch_df(
                store,
                "SELECT count(*) AS n, count(DISTINCT sha256) AS files FROM submissions"
                " WHERE submitted_by LIKE 'load%'",
            )
        finally:
            store.close()
        in_store, distinct = int(frame.iloc[0, 0]), int(frame.iloc[0, 1])
        print(f"   {backend(target):10} {totals[0] / seconds * 60:6.0f} submissions/min; confirmed {totals[0]}, "
              f"in the store {in_store} (lost {totals[0] - in_store}, duplicated {in_store - distinct}); "
              f"told to retry {totals[1]}, other {totals[2]}; analyst query median {median} ms, "
              f"worst {worst} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60)
    add_db_option(parser)
    args = parser.parse_args()
    with targets(args.db) as stores:  # both with the whole LAIT extract, as the default store holds
        print(stores_line(stores))
        bulk(stores, args.rows)
        reads(stores)
        for target in stores:
            if not is_url(target):
                designs(target)
        load(stores, args.seconds)


if __name__ == "__main__":
    main()
