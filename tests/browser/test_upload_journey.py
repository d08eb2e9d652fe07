"""The monthly upload in a real browser: an uploader signs in, uploads a fictional council's KPI
return, reads the preview, confirms and sees the KPI chart change; an admin rolls it back and the
chart changes back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from loaders.ingest import read_bytes
from store import accounts, connect, history
from store.queries import catalogue
from store.writes import submit_settings
from tests.browser.conftest import go, rerun, screenshot, sign_out, start_dashboard, wait_for_app
from tests.browser.conftest import sign_in as sign_in_with
from tests.data.good.make_fictional import BASELINE, workbook

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
MONTHLY = ROOT / "tests" / "data" / "good" / "fictional_monthly_kpis.xlsx"
PASSWORDS = {"uma": "uploader password 1", "ada": "admin password 12"}


def fictional_database(path: Path) -> Path:
    """A store for the fictional Northmoor council (LA 999) with January and February figures."""
    conn = connect(path)
    try:
        submit_settings(conn, {"council_code": "999", "council_name": "Northmoor (fictional)"}, "setup")
        data = workbook(BASELINE)
        parsed = read_bytes(data, "northmoor_baseline.xlsx", catalogue=catalogue(conn), default_la="999")
        assert history.store_upload(conn, parsed, data, history.Actor("setup", "admin")).status == "stored"
        accounts.add(conn, "uma", "uploader", PASSWORDS["uma"], by="setup")
        accounts.add(conn, "ada", "admin", PASSWORDS["ada"], by="setup")
        conn.execute("CHECKPOINT")
    finally:
        conn.close()
    return path


@pytest.fixture(scope="module")
def northmoor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db_file = fictional_database(tmp_path_factory.mktemp("journey") / "northmoor.duckdb")
    process, url = start_dashboard(db_file)
    yield url
    process.terminate()
    process.wait(timeout=20)


def sign_in(page, name: str) -> None:  # type: ignore[no-untyped-def]
    sign_in_with(page, name, PASSWORDS[name])


def chart_values(page) -> list[float]:  # type: ignore[no-untyped-def]
    """Every y value the KPI trend chart plots (read from plotly's own data in the page)."""
    wait_for_app(page)
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    return page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(
               el => (el.data || []).flatMap(trace => Array.from(trace.y || []))).filter(v => v !== null)"""
    )


def test_upload_preview_confirm_chart_then_rollback(northmoor: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(northmoor)
    wait_for_app(page)
    expect(page.get_by_text("Not signed in.").first).to_be_visible()
    nav = page.get_by_role("navigation", name="Pages")
    expect(nav.get_by_role("link", name="KPI trends")).to_be_visible()
    assert nav.get_by_role("link", name="Upload").count() == 0  # hidden until an uploader signs in

    go(page, "KPI trends")
    before = chart_values(page)
    assert 20 in before and 19 not in before  # Average social worker caseload: Jan 21, Feb 20

    sign_in(page, "uma")
    go(page, "Upload")
    expect(page.get_by_text("KPI values stored, by month").first).to_be_visible()  # the chart before a file
    screenshot(page, "upload-page")
    with rerun(page):
        page.locator("input[type='file']").set_input_files(str(MONTHLY))
    expect(page.get_by_text("What this file would change")).to_be_visible()
    wait_for_app(page)
    totals = page.locator("[data-testid='stTable']").first.inner_text()
    assert "KPI values" in totals and "3" in totals and "1" in totals  # 3 new values, 1 corrected
    screenshot(page, "upload-preview")
    with rerun(page):
        page.get_by_role("button", name="Confirm and store this file").click()
    expect(page.get_by_text("Every page now shows the new data.")).to_be_visible()
    expect(page.get_by_role("link", name="See Return interviews completed on KPI trends")).to_be_visible()
    screenshot(page, "upload-stored")
    stored = page.get_by_text("Stored as submission").first.inner_text()
    submission = int(stored.split("Stored as submission ")[1].split(".")[0])

    go(page, "KPI trends")
    after = chart_values(page)
    assert 19 in after  # March 2017 is on the chart now
    screenshot(page, "upload-chart-after")
    assert page.locator("[data-testid='stException']").count() == 0

    sign_out(page)
    sign_in(page, "ada")
    go(page, "History")
    with rerun(page):
        page.get_by_role("button", name=f"Roll back submission {submission}").click()
    expect(page.get_by_text(f"Submission {submission} rolled back")).to_be_visible()
    screenshot(page, "upload-rolled-back")

    go(page, "KPI trends")
    reverted = chart_values(page)
    assert 19 not in reverted and sorted(reverted) == sorted(before)
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_file_with_problems_is_announced_beside_its_field(northmoor: str, page) -> None:  # type: ignore[no-untyped-def]
    """Errors reach a screen reader (role="alert") and sit right after the file box they are about."""
    page.goto(northmoor)
    wait_for_app(page)
    sign_in(page, "uma")
    go(page, "Upload")
    with rerun(page):
        page.locator("input[type='file']").set_input_files(
            str(ROOT / "tests" / "data" / "bad" / "percent_over_100.xlsx")
        )
    alert = page.get_by_role("alert").filter(has_text="must be fixed before this file can be stored")
    expect(alert).to_be_visible()
    order = page.evaluate(
        """() => {
             const field = document.querySelector('[data-testid="stFileUploader"]');
             const alerts = [...document.querySelectorAll('[role="alert"]')];
             const alert = alerts.find(a => a.textContent.includes('must be fixed'));
             return field.compareDocumentPosition(alert) & Node.DOCUMENT_POSITION_FOLLOWING;
           }"""
    )
    assert order  # the message follows the field it is about
    sign_out(page)
