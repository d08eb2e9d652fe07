"""Benchmark: a 100,000-row KPI workbook uploaded through the browser until a chart shows the data.

Target (issue 4): under 2 s from choosing the file to a visible chart of the stored data, not
counting the time a person takes to read the preview. The chart is the one the Upload page draws
once the file is stored (the KPI as every page now shows it); the time to follow its link to the
KPI trends page is reported beside it. Runs a real `streamlit run` and Debian's headless
Chromium against a fictional council's store (Northmoor, LA 999: invented figures).

    .venv/bin/python bench/bench_upload.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from loaders.ingest import read_bytes  # noqa: E402
from store import connect, history  # noqa: E402
from store.queries import catalogue  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_dashboard, wait_for_app  # noqa: E402
from tests.browser.test_upload_journey import fictional_database, go, sign_in  # noqa: E402
from tests.helpers import large_kpi_return  # noqa: E402

CHART_DRAWN = "() => [...document.querySelectorAll('.js-plotly-plot')].some(el => (el.data || []).length)"
# Conditions are checked on every animation frame (wait_for_function's default): a locator's
# wait_for backs off to polling every 500 ms, which once added half a second to a phase.
PREVIEWED = """() =>
    [...document.querySelectorAll('h3')].some(h => h.textContent.includes('What this file would change'))
    && [...document.querySelectorAll('button')].some(b => b.textContent.includes('Confirm and store this file'))
    && [...document.querySelectorAll('.js-plotly-plot')].some(el => (el.data || []).length)"""
STORED_AND_CHARTED = """() => [...document.querySelectorAll('[data-testid="stAlert"]')].some(a =>
    a.textContent.includes('Every page now shows the new data.')) && [...document.querySelectorAll('.js-plotly-plot')]
    .some(el => (el.data || []).length && ((el.layout || {}).title || {}).text === 'Bench KPI 0000')"""
ON_KPI_TRENDS = """() => [...document.querySelectorAll('h1')].some(h => h.textContent.trim() === 'KPI trends')
    && [...document.querySelectorAll('.js-plotly-plot')]
    .some(el => (el.data || []).length && ((el.layout || {}).title || {}).text === 'Bench KPI 0000')"""
PLAN = ROOT / "tests" / "data" / "good" / "plan_relative_headings.xlsx"
PLAN_MONTHS = {"Initial": date(2016, 9, 1), "Previous": date(2016, 12, 1), "Current": date(2017, 3, 1)}


def with_plan(db_file: Path) -> Path:
    """The fictional council's plan too, so the dashboard opens on its overview charts as a
    council's does (and the browser has drawn charts before the upload starts)."""
    conn = connect(db_file)
    try:
        data = PLAN.read_bytes()
        parsed = read_bytes(data, PLAN.name, rag_months=PLAN_MONTHS, catalogue=catalogue(conn), default_la="999")
        assert history.store_upload(conn, parsed, data, history.Actor("setup", "admin")).status == "stored"
        conn.execute("CHECKPOINT")
    finally:
        conn.close()
    return db_file


def journey(db_file: Path, source: Path, landing_charts: bool) -> tuple[float, float, float, float]:
    """One uploader's session, in seconds: (Playwright's own actions, checked and previewed, stored
    and charted, then the page's link followed to the KPI on KPI trends)."""
    process, url = start_dashboard(db_file)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)
            page.goto(url)
            page.get_by_text("Not signed in.").first.wait_for()
            wait_for_app(page)
            if landing_charts:
                page.wait_for_function(CHART_DRAWN)
            sign_in(page, "uma")
            go(page, "Upload")
            page.wait_for_function(CHART_DRAWN)  # the page as drawn (its month-by-month chart) while a file is picked
            handoff = time.perf_counter()
            page.locator("input[type='file']").set_input_files(str(source))
            started = time.perf_counter()  # the browser has the file: what follows is the dashboard's work
            page.wait_for_function(PREVIEWED)  # the report, the preview, its chart and the Confirm button
            previewed = time.perf_counter()
            page.get_by_role("button", name="Confirm and store this file").click()
            clicked = time.perf_counter()  # Playwright scrolls to the button and checks it is still first
            page.wait_for_function(STORED_AND_CHARTED)  # stored, and the KPI charted as every page now has it
            stored = time.perf_counter()
            page.get_by_role("link", name="See Bench KPI 0000 on KPI trends").click()  # the link the page offers
            page.wait_for_function(ON_KPI_TRENDS)
            followed = time.perf_counter()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    return started - handoff + clicked - previewed, previewed - started, stored - clicked, followed - stored


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="sessions per journey (medians are shown)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    source = folder / f"northmoor_{args.rows}_rows.xlsx"
    source.write_bytes(large_kpi_return(args.rows))
    journeys = {
        "the dashboard opened on its overview charts": True,
        "no chart drawn before the Upload page (no plan)": False,
    }
    print(f"{args.rows:,} rows, {source.stat().st_size / 1024**2:.1f} MB workbook; medians of {args.repeat} sessions")
    print(
        f"{'journey':<52} {'checked+previewed':>17} {'stored+charted':>14} {'total':>6}  target < 2 s"
        f"  {'then KPI trends':>15}"
    )
    verdict = True
    for name, charts in journeys.items():
        runs = []
        for n in range(args.repeat):
            db_file = fictional_database(folder / f"bench-{charts}-{n}.duckdb")
            runs.append(journey(with_plan(db_file) if charts else db_file, source, charts))
        handoff, check, store, follow = (statistics.median(r[i] for r in runs) for i in range(4))
        total = check + store
        verdict &= total < 2
        met = "met" if total < 2 else "NOT met"
        print(f"{name:<52} {check:>16.2f}s {store:>13.2f}s {total:>5.2f}s  {met:<12} {follow:>14.2f}s")
    print(
        f"(Not timed: Playwright's own set_input_files and click calls, {handoff:.2f} s: waiting for the file box,"
        " handing the file over, scrolling to the Confirm button and checking it can be clicked. The clock runs"
        " from the browser having the file and from the click being delivered.)"
    )
    print(
        "The first chart a browser tab draws loads Plotly's 4.7 MB script once (about 0.7 s here); the Upload page"
        " draws its month-by-month chart before a file is chosen, so either way it is loaded by then."
    )
    raise SystemExit(0 if verdict else 1)


if __name__ == "__main__":
    main()
