"""Board page speed: server-side rerun time (AppTest, cached and uncached) and time to first chart
in headless Chromium for a new session. Targets: cached rerun < 50 ms, first chart < 3 s.

Run: .venv/bin/python bench/bench_pages.py [--repeat N]
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


def server_side(db_file: Path, repeat: int) -> dict[str, tuple[float, float, float]]:
    """Per page: (uncached ms, median cached ms) of one rerun under AppTest, and the median cached
    script time alone."""
    from streamlit.testing.v1 import AppTest

    from ui.data import clear_reads

    _time_scripts()
    os.environ["DASHBOARD_DB"] = str(db_file)
    results = {}
    for name, (script, path, _) in PAGES.items():
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        if "?" in path:
            key, value = path.split("?", 1)[1].split("=")
            at.query_params[key] = value
        at.run()  # opens the connection
        if script != "views/overview.py":
            at.switch_page(script).run()
        clear_reads()
        start = time.perf_counter()
        at.run()
        uncached = (time.perf_counter() - start) * 1000
        times = []
        _SCRIPT_MS.clear()
        for _ in range(repeat):
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")
        results[name] = (uncached, statistics.median(times), statistics.median(_SCRIPT_MS))
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
    page.goto(url)
    if scroll_to:
        page.get_by_text(scroll_to).first.wait_for(timeout=60_000)
    page.wait_for_function(_SCROLL_UNTIL_CHART, polling=100, timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def first_chart(db_file: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Per page (and for a bare one-chart Streamlit app, the floor on this machine): median seconds
    to the first visible chart for a new session, with the browser's cache warm and cold."""
    import subprocess

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_dashboard

    process, url = start_dashboard(db_file)
    floor_dir = Path(tempfile.mkdtemp())
    (floor_dir / "dashboard.py").write_text(_FLOOR_APP)
    port = _free_port()
    floor = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=floor_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    targets = {name: (f"{url}/{path}", scroll) for name, (_, path, scroll) in PAGES.items()}
    targets["(bare one-chart app)"] = (f"http://127.0.0.1:{port}", None)
    results = {}
    try:
        _wait_healthy(f"http://127.0.0.1:{port}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for target, scroll in targets.values():  # the servers' first sessions fill their caches
                _time_to_chart(browser, target, scroll, fresh_browser=True)
            for name, (target, scroll) in targets.items():
                warm = [_time_to_chart(browser, target, scroll, fresh_browser=False) for _ in range(repeat)]
                cold = [_time_to_chart(browser, target, scroll, fresh_browser=True) for _ in range(repeat)]
                results[name] = (statistics.median(warm), statistics.median(cold))
            browser.close()
    finally:
        for server in (process, floor):
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
    args = parser.parse_args()
    from cli.seed import build_default

    with tempfile.TemporaryDirectory() as tmp:
        db_file = build_default(Path(tmp) / "bench.duckdb")
        served = Path(tmp) / "served.duckdb"  # AppTest's connection in this process locks db_file
        shutil.copy(db_file, served)
        server = server_side(db_file, args.repeat)
        browser = first_chart(served, max(3, args.repeat // 3))
    print(
        f"\n{'Page':<22} {'uncached ms':>11} {'cached ms':>9} {'script ms':>9}"
        f" {'first chart s':>13} {'cold browser s':>14}  verdict"
    )
    failed = False
    for name, (warm, cold) in browser.items():
        if name in server:
            uncached, cached, script = server[name]
            ok = cached < CACHED_TARGET_MS and warm < FIRST_CHART_TARGET_S
            failed |= not ok
            row = f"{uncached:>11.0f} {cached:>9.1f} {script:>9.1f}"
            verdict = "ok" if ok else "MISSED"
        else:
            row, verdict = f"{'':>11} {'':>9} {'':>9}", "floor: no dashboard code at all"
        print(f"{name:<22} {row} {warm:>13.2f} {cold:>14.2f}  {verdict}")
    print(
        f"\nTargets: cached rerun < {CACHED_TARGET_MS} ms (AppTest, median of {args.repeat}; 'script ms' is the"
        f" page script alone), first chart < {FIRST_CHART_TARGET_S} s for a new session (median; browser cache"
        " warm, as for a returning board member; 'cold browser' = a brand-new browser profile)."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
