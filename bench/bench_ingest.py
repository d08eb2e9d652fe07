"""Ingest benchmark: check + store a generated KPI workbook, against pandas.read_excel(openpyxl).

    .venv/bin/python bench/bench_ingest.py [--rows 100000] [--repeat 3]

Quality bar (PRODUCT.md): 100,000 rows checked and stored in under 1 s on 2 cores, and at least
10x faster than pandas.read_excel(engine="openpyxl") on the same file in the same run.
The workbook is for a fictional council (code 999).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402

from cli.seed import build_default  # noqa: E402
from loaders.ingest import read_bytes  # noqa: E402
from store import connect  # noqa: E402
from store.queries import catalogue  # noqa: E402
from store.writes import submit  # noqa: E402


def make_workbook(rows: int, seed: int = 1, percent: bool = False) -> bytes:
    """A long KPI return: 500 KPIs x as many months as needed, real Excel dates, one decimal values.

    With `percent`, every value is a fraction formatted 0.0% (as Excel users type 78%), so the
    loader must read every cell's style from the sheet XML.
    """
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("KPI data")
    sheet.append(["Northmoor Council (fictional): monthly KPI return"])
    sheet.append([])
    sheet.append(["KPI code", "KPI", "Month", "Value", "Target"])
    for i in range(rows):
        kpi, month = i % 500, i // 500
        value: object = round(rng.random() * 100, 1)
        if percent:
            value = WriteOnlyCell(sheet, value=round(float(value) / 100, 3))  # type: ignore[arg-type]
            value.number_format = "0.0%"
        sheet.append(
            [f"NM{kpi:03d}", f"Fictional indicator {kpi}", dt.datetime(1990 + month // 12, month % 12 + 1, 1),
             value, 80]
        )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _cpu(fn: Callable[[], object], repeat: int) -> float:
    """Median CPU seconds of this process (all its threads): steadier than wall time on a busy machine."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the generated workbook (1000000 on request)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--percent", action="store_true", help="values formatted as percentages (0.0%%)")
    args = parser.parse_args()

    start = time.perf_counter()
    data = make_workbook(args.rows, percent=args.percent)
    print(f"generated {args.rows:,}-row workbook: {len(data) / 1024**2:.1f} MB in {time.perf_counter() - start:.1f} s")

    with tempfile.TemporaryDirectory() as tmp:
        seed = build_default(Path(tmp) / "seed.duckdb")

        def check() -> object:
            return read_bytes(data, "bench.xlsx", default_la="999")

        check_time, parsed = _time(check, args.repeat)
        assert parsed.ok, parsed.problems.errors[:3]  # type: ignore[attr-defined]
        check_cpu = _cpu(check, args.repeat)

        store_times, store_cpu = [], []
        for i in range(args.repeat):
            target = Path(tmp) / f"run{i}.duckdb"
            target.write_bytes(seed.read_bytes())
            conn = connect(target)
            known = catalogue(conn)
            start, start_cpu = time.perf_counter(), time.process_time()
            result = read_bytes(data, "bench.xlsx", default_la="999", catalogue=known)
            outcome = submit(conn, result, data, "bench")
            store_times.append(time.perf_counter() - start)
            store_cpu.append(time.process_time() - start_cpu)
            assert outcome.status == "stored", outcome.message
            stored = conn.execute("SELECT count(*) FROM observation_entry WHERE la_code = '999'").fetchone()
            assert stored == (args.rows,), stored
            conn.close()
        total = statistics.median(store_times)

    baseline_repeat = 1 if args.rows > 200_000 else min(args.repeat, 2)
    baseline, frame = _time(lambda: pd.read_excel(io.BytesIO(data), engine="openpyxl", header=2), baseline_repeat)
    assert len(frame) == args.rows  # type: ignore[arg-type]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"\n{'step':<52}{'seconds':>10}{'cpu s':>10}")
    print(f"{'check only (read + validate every cell)':<52}{check_time:>10.3f}{check_cpu:>10.3f}")
    print(f"{'check + store (one submission, one transaction)':<52}{total:>10.3f}{statistics.median(store_cpu):>10.3f}")
    print(f"{'baseline: pandas.read_excel(engine=openpyxl)':<52}{baseline:>10.3f}")
    print(f"load average while measuring (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"\nspeed-up of check + store over the baseline: {baseline / total:.1f}x (target >= 10x)")
    print(f"rows per second (check + store): {args.rows / total:,.0f}; target for 100k rows: < 1 s")
    print(f"peak resident memory of this process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
