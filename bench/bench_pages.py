"""Board page speed on both backends side by side: server-side rerun time (AppTest, cached and
uncached) and time to first chart in headless Chromium for a new session. Targets (issue 11): cached
rerun < 50 ms on both, uncached on PostgreSQL within 2x of DuckDB, first chart < 3 s.

Run: .venv/bin/python bench/bench_pages.py [--repeat N] [--no-browser] [--db PATH_OR_URL ...]

Without --db it makes a seed DuckDB file and a throwaway PostgreSQL with the same plan and KPIs
(bench/targets.py); PostgreSQL's statistics are refreshed (VACUUM ANALYZE) before measuring.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.targets import add_db_option, backend, pg_within, side_by_side, stores_line, targets, within  # noqa: E402
from store.backend import is_url  # noqa: E402

# (script, URL path, text to scroll to first: Streamlit mounts a chart only when it nears the viewport)
PAGES = {
    "Overview": ("views/overview.py", "", None),
    "Plan explorer": ("views/plan_explorer.py", "plan_explorer?action=3.13", "Action 3.13:"),
    "KPI trends": ("views/kpi_trends.py", "kpi_trends", None),
}
CACHED_TARGET_MS = 50
_SCROLL_UNTIL_CHART = """() => {
    const chart = document.querySelector('.js-plotly-plot');
    if (chart) return true;
    (document.querySelector('[data-testid="stMain"]') || document.scrollingElement).scrollBy(0, 400);
    return false;
}"""
FIRST_CHART_TARGET_S = 3.0


_SCRIPT_MS: list[float] = []


def _time_scripts() -> None:
    """Record each script run's own duration, without AppTest's polling (it sleeps in 3 ms steps)."""
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.exec_func_with_error_handling

    def timed(func, ctx):  # type: ignore[no-untyped-def]
        def run():  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return func()
            finally:
                _SCRIPT_MS.append((time.perf_counter() - start) * 1000)

        return original(run, ctx)

    script_runner.exec_func_with_error_handling = timed


def use_store(target: str) -> None:
    """Point this process's dashboard at `target` from empty Streamlit caches: the connection and
    every page-level cache belong to the store they were filled from."""
    import streamlit as st

    os.environ["DASHBOARD_DB"] = target
    st.cache_data.clear()
    st.cache_resource.clear()


def server_side(target: str, repeat: int) -> dict[str, tuple[float, float, float]]:
    """Per page: (median uncached ms, median cached ms) of one rerun under AppTest, and the median
    cached script time alone. Uncached: every read and figure forgotten first (the first rerun after
    an upload), the connection kept open."""
    from streamlit.testing.v1 import AppTest

    from ui.data import clear_reads

    use_store(target)
    results = {}
    for name, (script, path, _) in PAGES.items():
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        if "?" in path:
            key, value = path.split("?", 1)[1].split("=")
            at.query_params[key] = value
        at.run()  # opens the connection
        if script != "views/overview.py":
            at.switch_page(script).run()
        uncached = []
        for _ in range(max(3, repeat // 2)):
            clear_reads()
            start = time.perf_counter()
            at.run()
            uncached.append((time.perf_counter() - start) * 1000)
        times = []
        _SCRIPT_MS.clear()
        for _ in range(repeat):
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"{name} on {backend(target)}: {at.exception[0].value}")
        results[name] = (statistics.median(uncached), statistics.median(times), statistics.median(_SCRIPT_MS))
    return results


_FLOOR_APP = """
import plotly.graph_objects as go
import streamlit as st
st.title("One chart")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
"""


def _time_to_chart(browser: object, url: str, scroll_to: str | None, fresh_browser: bool) -> float:
    """Seconds from navigation to a visible chart in a new Streamlit session (a new tab); with
    `fresh_browser` also a new browser profile, so nothing of the front end is cached."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    if not fresh_browser:
        warm = context.new_page()
        warm.goto(url)
        warm.wait_for_function(_SCROLL_UNTIL_CHART, polling=100, timeout=60_000)
        warm.close()
    page = context.new_page()
    start = time.perf_counter()
    try:
        page.goto(url)
        if scroll_to:
            page.get_by_text(scroll_to).first.wait_for(timeout=60_000)
        page.wait_for_function(_SCROLL_UNTIL_CHART, polling=100, timeout=60_000)
        page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
    except Exception as exc:
        shot = Path(tempfile.gettempdir()) / "bench_pages-no-chart.png"
        page.screenshot(path=str(shot), full_page=True)
        raise RuntimeError(f"no chart at {url} within 60 s (fresh browser: {fresh_browser}); see {shot}") from exc
    finally:
        elapsed = time.perf_counter() - start
    context.close()
    return elapsed


FLOOR = "(bare one-chart app)"


def first_chart(served: list[str], repeat: int) -> dict[str, dict[str, tuple[float, float]]]:
    """Per page and backend (and for a bare one-chart Streamlit app, the floor on this machine):
    median seconds to the first visible chart for a new session, with the browser's cache warm and
    cold. One dashboard process per store."""
    import subprocess

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_dashboard

    floor_dir = Path(tempfile.mkdtemp())
    (floor_dir / "dashboard.py").write_text(_FLOOR_APP)
    port = _free_port()
    floor = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=floor_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    servers = [floor]
    urls: list[tuple[str, str, str, str | None]] = []  # (row, backend, URL, text to scroll to)
    results: dict[str, dict[str, tuple[float, float]]] = {}
    try:
        for target in served:
            process, url = start_dashboard(Path(target) if not is_url(target) else target)  # type: ignore[arg-type]
            servers.append(process)
            urls += [(name, backend(target), f"{url}/{path}", scroll) for name, (_, path, scroll) in PAGES.items()]
        _wait_healthy(f"http://127.0.0.1:{port}")
        urls.append((FLOOR, "", f"http://127.0.0.1:{port}", None))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for _, _, target, scroll in urls:  # the servers' first sessions fill their caches
                _time_to_chart(browser, target, scroll, fresh_browser=True)
            for name, store, target, scroll in urls:
                warm = [_time_to_chart(browser, target, scroll, fresh_browser=False) for _ in range(repeat)]
                cold = [_time_to_chart(browser, target, scroll, fresh_browser=True) for _ in range(repeat)]
                results.setdefault(name, {})[store] = (statistics.median(warm), statistics.median(cold))
            browser.close()
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(floor_dir, ignore_errors=True)
    return results


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="cached reruns and browser sessions per page")
    parser.add_argument("--no-browser", action="store_true", help="server-side reruns only")
    add_db_option(parser)
    args = parser.parse_args()
    _time_scripts()
    with targets(args.db) as stores, tempfile.TemporaryDirectory() as tmp:
        print(stores_line(stores))
        server_side(stores[0], 1)  # not counted: the first pages run in a process import and build more
        server = {backend(t): server_side(t, args.repeat) for t in stores}
        served = []
        for target in stores:  # a dashboard of its own per store; a DuckDB file as a copy, so the
            if is_url(target):  # other process never waits on this one's handle
                served.append(target)
            else:
                served.append(str(Path(tmp) / f"served-{len(served)}.duckdb"))
                shutil.copy(target, served[-1])
        browser = {} if args.no_browser else first_chart(served, max(3, args.repeat // 3))

    def rows(i: int) -> dict[str, dict[str, float]]:
        return {page: {b: figures[page][i] for b, figures in server.items()} for page in PAGES}

    met = side_by_side(
        f"Uncached rerun, ms (AppTest, median of {max(3, args.repeat // 2)}; reads and figures forgotten first)",
        rows(0), ".0f", "PostgreSQL within 2x of DuckDB", pg_within(2),
    )  # fmt: skip
    met &= side_by_side(
        f"Cached rerun, ms (AppTest, median of {args.repeat})", rows(1), ".1f",
        f"< {CACHED_TARGET_MS} ms on both", within(CACHED_TARGET_MS),
    )  # fmt: skip
    side_by_side("Cached rerun, the page script alone, ms (median)", rows(2), ".1f")
    if browser:
        pages = {n: {b: v[0] for b, v in per.items()} for n, per in browser.items() if n != FLOOR}
        met &= side_by_side(
            "First chart for a new session, s (median; browser cache warm, as for a returning board member)",
            pages, ".2f", f"< {FIRST_CHART_TARGET_S} s on both", within(FIRST_CHART_TARGET_S),
        )  # fmt: skip
        cold = {n: {b: v[1] for b, v in per.items()} for n, per in browser.items() if n != FLOOR}
        side_by_side("First chart with a brand-new browser profile, s (median)", cold, ".2f")
        warm_floor, cold_floor = browser[FLOOR][""]
        print(f"\n  Floor, a bare one-chart Streamlit app: {warm_floor:.2f} s warm, {cold_floor:.2f} s cold browser")
    print(
        "\nLoad average while measuring: " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} CPUs; when it is above the CPU count, wall time includes waiting for a CPU."
    )  # fmt: skip
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
