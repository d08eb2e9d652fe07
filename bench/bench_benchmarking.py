"""Benchmarking page speed and the cost of loading the national LAIT files.

- load: read and check the five LAIT files (641,070 values) and store them as one submission in a
  fresh database; also the cost of loading the same files again (recognised, nothing stored).
- page: server-side run of pages/benchmarking.py with every row loaded, under AppTest: uncached (a
  view not seen before, Streamlit's data cache emptied first) and cached (median of --repeat reruns
  of the same view), for the default view, another measure and another council.
Targets: cached rerun < 50 ms, uncached < 300 ms.

Run: .venv/bin/python bench/bench_benchmarking.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CACHED_TARGET_MS = 50
UNCACHED_TARGET_MS = 300
PAGE = "pages/benchmarking.py"


def load(tmp: Path, repeat: int) -> dict[str, float]:
    """Seconds: read and check the files; store them in a fresh database; recognise them a second time."""
    from loaders.lait import read_directory
    from store import connect
    from store.benchmark import LAIT_DIR, submit_lait

    reads, stores, agains = [], [], []
    for i in range(repeat):
        start = time.perf_counter()
        data = read_directory(LAIT_DIR)
        reads.append(time.perf_counter() - start)
        conn = connect(tmp / f"load-{i}.duckdb")
        start = time.perf_counter()
        outcome = submit_lait(conn, data, "bench")
        stores.append(time.perf_counter() - start)
        assert outcome.status == "stored", outcome.message
        start = time.perf_counter()
        again = submit_lait(conn, read_directory(LAIT_DIR), "bench")
        agains.append(time.perf_counter() - start)
        assert again.status == "duplicate", again.message
        conn.close()
    return {
        "read and check": statistics.median(reads),
        "store": statistics.median(stores),
        "read + store": statistics.median([r + s for r, s in zip(reads, stores, strict=True)]),
        "same files again": statistics.median(agains),
    }


class PageClock:
    """Times the page script alone (StreamlitPage.run), apart from dashboard.py and AppTest's own work."""

    def __init__(self) -> None:
        from streamlit.navigation.page import StreamlitPage

        self.last = 0.0
        original = StreamlitPage.run

        def timed(page: StreamlitPage) -> None:
            start = time.perf_counter()
            try:
                original(page)
            finally:
                self.last = (time.perf_counter() - start) * 1000

        StreamlitPage.run = timed  # type: ignore[method-assign]


def page(db_file: Path, repeat: int) -> dict[str, tuple[float, float, float, float]]:
    """Per scenario: (uncached, median cached) ms of the whole app run and of the page script alone."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_DB"] = str(db_file)
    clock = PageClock()
    results = {}
    scenarios = (
        ("Overview page, for reference", "pages/overview.py", None, None),
        ("default (caseload, Sunderland)", PAGE, None, None),
        ("another measure (CareLeaverEET)", PAGE, "benchmarking.measure", "CareLeaverEET"),
        ("another council (Leeds, 383)", PAGE, "benchmarking.council", "383"),
    )
    import charts.benchmark  # noqa: F401 - imported before timing, as a running server has them
    import store.benchmark_queries  # noqa: F401

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    for name, script, widget, value in scenarios:
        # Each scenario is a view not seen before, timed with Streamlit's data cache emptied first:
        # the first person to open it after a data change. Then the same view rerun (cached).
        st.cache_data.clear()
        if script != "pages/overview.py" and widget is None:
            at.switch_page(script)
        if widget is not None:
            at.selectbox(key=widget).set_value(value)
        start = time.perf_counter()
        at.run()
        uncached, uncached_page = (time.perf_counter() - start) * 1000, clock.last
        times, page_times = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
            page_times.append(clock.last)
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")
        results[name] = (uncached, statistics.median(times), uncached_page, statistics.median(page_times))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="cached reruns per scenario")
    parser.add_argument("--loads", type=int, default=3, help="full loads of the LAIT files")
    args = parser.parse_args()
    from loaders.seed import build_default

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        start = time.perf_counter()
        db_file = build_default(tmp / "bench.duckdb")
        seed = time.perf_counter() - start
        loads = load(tmp, args.loads)
        pages = page(db_file, args.repeat)
    print(f"\nDefault database built (plan, KPIs and LAIT): {seed:.2f} s")
    print(f"\nLoading the national files (median of {args.loads}):")
    for name, seconds in loads.items():
        print(f"  {name:<18} {seconds:6.2f} s")
    print(f"\n{'Rerun (ms)':<34} {'whole app':>22} {'page script alone':>22}")
    print(f"{'':<34} {'uncached':>10} {'cached':>11} {'uncached':>10} {'cached':>11}  verdict (page)")
    failed = False
    for name, (uncached, cached, page_uncached, page_cached) in pages.items():
        ok = page_cached < CACHED_TARGET_MS and page_uncached < UNCACHED_TARGET_MS
        reference = name.startswith("Overview")
        failed |= not ok and not reference
        verdict = "" if reference else "ok" if ok else "MISSED"
        print(f"{name:<34} {uncached:>10.0f} {cached:>11.1f} {page_uncached:>10.0f} {page_cached:>11.1f}  {verdict}")
    print(
        f"\nTargets: cached < {CACHED_TARGET_MS} ms (median of {args.repeat}), uncached < {UNCACHED_TARGET_MS} ms. "
        "'whole app' is AppTest's run of dashboard.py (navigation, sign-in check, AppTest's own bookkeeping); "
        "'page script alone' is pages/benchmarking.py. Load average when measured: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} CPUs."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
