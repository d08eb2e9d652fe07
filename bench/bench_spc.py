"""SPC speed on a store of 100,000 values: the KPI trends page (one KPI's SPC chart, its trend with
published figures, the Making Data Count summary of every KPI) rerun under AppTest, cached and
uncached, and the SPC work on its own, uncached. Targets: cached rerun < 50 ms; SPC < 100 ms uncached.

The store is the FICTIONAL demonstration council (data/demo) plus 400 made-up KPIs of 250 months
each for the same council (tests.helpers.large_kpi_return), so the summary covers 407 KPIs.

Run: .venv/bin/python bench/bench_spc.py [--rows 100000] [--repeat 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.targets import median_ms  # noqa: E402

CACHED_TARGET_MS = 50
SPC_TARGET_MS = 100
BENCH_KPI = "BENCH_0007"


def build_store(path: Path, rows: int) -> Path:
    """The demonstration council with `rows` more made-up values stored through the normal write path."""
    from cli.demo import build_demo
    from loaders.ingest import read_bytes
    from store import connect
    from store.queries import catalogue
    from store.writes import submit
    from tests.helpers import large_kpi_return

    build_demo(path)
    raw = large_kpi_return(rows)
    conn = connect(path)
    try:
        parsed = read_bytes(raw, "bench-return.xlsx", catalogue=catalogue(conn), default_la="999")
        assert parsed.ok, [p.describe() for p in parsed.problems.errors[:3]]
        submit(conn, parsed, raw, "bench", note="FICTIONAL benchmark values")
        count = conn.execute("SELECT count(*) FROM kpi_observations WHERE value IS NOT NULL").fetchone()
        print(f"store: {count[0] if count else 0:,} values")
    finally:
        conn.close()
    return path


def spc_alone(db_file: Path, repeat: int) -> dict[str, float]:
    """Uncached SPC work, ms (median): the summary of every KPI (store read + icons), the icons alone,
    and one 250-point KPI's full analysis and chart."""
    import numpy as np

    from charts.spc import analyse_series, spc_chart
    from domain import spc
    from store import connect
    from store.plan_queries import kpi_series
    from store.spc_summary import spc_summary

    conn = connect(db_file, read_only=True)
    try:
        summary_ms = median_ms(lambda: spc_summary(conn, "999"), repeat)
        obs = conn.execute(
            "SELECT kpi_code, period, value FROM kpi_observations WHERE la_code = '999' AND value IS NOT NULL "
            "ORDER BY kpi_code, period"
        ).df()
        groups = [
            (g["period"].to_numpy(dtype="datetime64[ns]"), g["value"].to_numpy(dtype=np.float64))
            for _, g in obs.groupby("kpi_code")
        ]
        icons_ms = median_ms(lambda: [spc.latest_icons(p, v, polarity="higher", target=80) for p, v in groups], repeat)
        series = kpi_series(conn, BENCH_KPI, "999")
        one_ms = median_ms(lambda: analyse_series(series, "higher", 80.0), repeat)
        chart_ms = median_ms(lambda: spc_chart(series, name="Bench", unit="%", polarity="higher", target=80), repeat)
    finally:
        conn.close()
    return {
        f"summary of {len(groups)} KPIs (read + SPC)": summary_ms,
        f"icons alone, {len(groups)} KPIs": icons_ms,
        "one KPI, 250 points: analysis": one_ms,
        "one KPI, 250 points: chart built": chart_ms,
    }


def page_reruns(db_file: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Per view of the KPI trends page: (uncached ms, median cached ms) of a rerun under AppTest."""
    from streamlit.testing.v1 import AppTest

    from tests.helpers import Pages
    from ui.data import clear_reads

    os.environ["DASHBOARD_DB"] = str(db_file)
    views = {
        "SPC chart, one KPI": ("One KPI at a time", "SPC (XmR) chart"),
        "Trend + published, one KPI": ("One KPI at a time", "Trend and published figures"),
        "SPC summary, every KPI": ("SPC summary", None),
    }
    results = {}
    for name, (view, chart) in views.items():
        at: AppTest = Pages(db_file).app("uploader")
        at.query_params["kpi"] = BENCH_KPI
        at.run()
        at.switch_page("views/kpi_trends.py").run()
        at.segmented_control(key="kpi.view").set_value(view).run()
        if chart:
            at.segmented_control(key="kpi.chart").set_value(chart).run()
        clear_reads()
        start = time.perf_counter()
        at.run()
        uncached = (time.perf_counter() - start) * 1000
        cached = median_ms(at.run, repeat)
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")
        results[name] = (uncached, cached)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="made-up values added to the demo council")
    parser.add_argument("--repeat", type=int, default=10, help="runs per measurement (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_file = build_store(Path(tmp) / "bench.duckdb", args.rows)
        alone = spc_alone(db_file, args.repeat)
        pages = page_reruns(db_file, args.repeat)
    failed = False
    print(f"\n{'SPC work, uncached':<44} {'ms':>8}")
    for name, ms in alone.items():
        print(f"{name:<44} {ms:>8.1f}")
    summary_ms = next(iter(alone.values()))
    failed |= summary_ms >= SPC_TARGET_MS
    print(f"\n{'KPI trends view':<30} {'uncached ms':>11} {'cached ms':>9}  verdict")
    for name, (uncached, cached) in pages.items():
        ok = cached < CACHED_TARGET_MS
        failed |= not ok
        print(f"{name:<30} {uncached:>11.0f} {cached:>9.1f}  {'ok' if ok else 'MISSED'}")
    print(
        f"\nTargets: cached rerun < {CACHED_TARGET_MS} ms (AppTest, median of {args.repeat}); the summary's SPC "
        f"(store read included) < {SPC_TARGET_MS} ms uncached: {'ok' if summary_ms < SPC_TARGET_MS else 'MISSED'}."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
