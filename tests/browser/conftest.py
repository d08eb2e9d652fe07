"""A real dashboard (`streamlit run`) per test module, driven by Debian's headless Chromium.

Waiting is done on state, never on time: Streamlit marks its app element with
`data-test-script-state` ("running" while the script runs, "notRunning" once it has finished), so
`wait_for_app` waits for that, and `rerun(page)` wraps an action that makes the script run again and
waits until that run has started and finished. Everything else waits with Playwright's `expect()`.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "tests" / "screenshots"
# A first chart on a cold server can take several seconds: expect() waits up to 30 s for state.
expect.set_options(timeout=30_000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_dashboard(db_file: Path, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run dashboard.py` on a free port against `db_file`; wait until healthy."""
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DB": str(db_file), **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the dashboard did not start within 60 s")


@pytest.fixture(scope="module")
def dashboard(seed_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a dashboard serving a private copy of the seed database."""
    db_file = tmp_path_factory.mktemp("browser") / "dashboard.duckdb"
    shutil.copy(seed_db_file, db_file)
    process, url = start_dashboard(db_file)
    yield url
    process.terminate()
    process.wait(timeout=20)


# One local account per role (the store's own accounts, signed in through the Sign in page).
ACCOUNTS = {
    "viewer": ("vic", "viewer password 12345"),
    "uploader": ("uma", "uploader password 12345"),
    "admin": ("ada", "admin password 123456"),
}


def add_accounts(db_file: Path) -> None:
    from store import accounts, connect

    conn = connect(db_file)
    try:
        for role, (name, password) in ACCOUNTS.items():
            accounts.add(conn, name, role, password, by="test setup")  # type: ignore[arg-type]
        conn.execute("CHECKPOINT")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def dashboard_with_accounts(seed_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a dashboard on a private seed copy with a viewer, an uploader and an admin (ACCOUNTS)."""
    db_file = tmp_path_factory.mktemp("roles") / "dashboard.duckdb"
    shutil.copy(seed_db_file, db_file)
    add_accounts(db_file)
    process, url = start_dashboard(db_file)
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


APP = "[data-testid='stApp']"
# Marks <body> (which React never touches) once a rerun has shown itself after being armed: either
# the app element's script-run state left "running", or the page's content was re-rendered (when a
# quick run's "running" and "notRunning" reach React together, the attribute never changes at all).
_ARM = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const main = document.querySelector("[data-testid='stMain']");
  const flag = document.body.dataset;
  flag.rerun = "armed";
  if (window.__runWatch) window.__runWatch.forEach((w) => w.disconnect());
  const seen = () => { flag.rerun = "seen"; };
  const state = new MutationObserver((records) => {
    if (records.some((r) => r.oldValue === "running")) seen();
  });
  state.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"], attributeOldValue: true});
  const content = new MutationObserver((records) => {
    if (records.some((r) => r.type === "childList")) seen();
  });
  content.observe(main, {childList: true, subtree: true});
  window.__runWatch = [state, content];
}"""


def wait_for_app(page: object, timeout: float = 60_000) -> None:
    """Wait until Streamlit says its script is not running (it has connected and finished a run)."""
    app = page.locator(APP)  # type: ignore[attr-defined]
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)


@contextmanager
def rerun(page: object) -> Iterator[None]:
    """Around an action that reruns the script: afterwards, that run has started and finished."""
    wait_for_app(page)
    page.evaluate(_ARM)  # type: ignore[attr-defined]
    yield
    body = page.locator("body")  # type: ignore[attr-defined]
    expect(body).to_have_attribute("data-rerun", "seen", timeout=60_000)
    wait_for_app(page)


def draw_charts(page: object) -> int:
    """Bring every chart a person could see into view until Plotly has drawn it; returns how many.

    Streamlit loads Plotly's code on first use and mounts charts as they near the viewport, so a
    chart can appear after the script has finished. Every chart is shown by `ui.display.show_chart`
    under a "Chart" tab, so the chart tabs on show say how many charts to wait for. Charts in a tab
    not chosen or in a closed expander are left alone.
    """
    wait_for_app(page)
    tabs = page.get_by_role("tab", name="Chart", exact=True)  # type: ignore[attr-defined]
    expected = len([t for t in tabs.all() if t.get_attribute("aria-selected") == "true" and t.is_visible()])
    charts = page.locator("[data-testid='stPlotlyChart']")  # type: ignore[attr-defined]
    if expected:
        expect(charts.nth(expected - 1)).to_be_attached()
    drawn = 0
    for i in range(charts.count()):
        chart = charts.nth(i)
        if chart.evaluate("e => !!e.closest('[hidden], details:not([open]), [aria-hidden=\"true\"]')"):
            continue
        chart.scroll_into_view_if_needed(timeout=60_000)
        expect(chart.locator(".main-svg").first).to_be_visible(timeout=60_000)
        drawn += 1
    return drawn


def go(page: object, title: str) -> None:
    """Follow a link in the app's menu (inside the session: a full page load would sign out)."""
    nav = page.get_by_role("navigation", name="Pages")  # type: ignore[attr-defined]
    with rerun(page):
        nav.get_by_role("link", name=title, exact=True).click()
    expect(page).to_have_title(re.compile(f"^{re.escape(title)} - "))  # type: ignore[arg-type]


def store_file(page: object, path: Path) -> None:
    """On the Upload page: pick `path`, wait for its preview, confirm, and see it stored."""
    with rerun(page):
        page.locator("input[type='file']").set_input_files(str(path))  # type: ignore[attr-defined]
    expect(page.get_by_text("What this file would change")).to_be_visible()  # type: ignore[attr-defined]
    with rerun(page):
        page.get_by_role("button", name="Confirm and store this file").click()  # type: ignore[attr-defined]
    expect(page.get_by_text("Every page now shows the new data.")).to_be_visible()  # type: ignore[attr-defined]


def sign_in(page: object, name: str, password: str) -> None:
    """Sign in with a local account through the Sign in page, as a person would."""
    go(page, "Sign in")
    page.get_by_role("textbox", name="Username").fill(name)  # type: ignore[attr-defined]
    page.get_by_role("textbox", name="Password").fill(password)  # type: ignore[attr-defined]
    with rerun(page):
        page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    expect(page.get_by_text(f"Signed in as {name}").first).to_be_visible()  # type: ignore[attr-defined]


def sign_out(page: object) -> None:
    go(page, "Account")
    with rerun(page):
        page.get_by_role("button", name="Sign out").click()  # type: ignore[attr-defined]
    expect(page.get_by_text("Not signed in.").first).to_be_visible()  # type: ignore[attr-defined]


def screenshot(page: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
