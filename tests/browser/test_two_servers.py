"""Two dashboard processes on one PostgreSQL database (issue 11): an uploader stores a fictional
council's KPI return through one, the other shows it on its chart; an admin rolls it back through
the second, and the first shows it gone. The data version comes from the store, not from either
process's memory. Northmoor (LA 999) is fictional; its figures are made up (tests/data/good)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from playwright.sync_api import expect

from loaders.ingest import read_bytes
from store import accounts, history
from store.backend import open_store
from store.queries import catalogue
from store.writes import submit_settings
from tests.browser.conftest import go, rerun, screenshot, sign_in, start_dashboard, store_file, wait_for_app
from tests.browser.test_upload_journey import MONTHLY, PASSWORDS, chart_values
from tests.data.good.make_fictional import BASELINE, workbook
from tests.postgres import database_url

pytestmark = pytest.mark.browser


def fictional_pg_database(server: str) -> str:
    """A new PostgreSQL database for the fictional Northmoor council with January and February
    figures and an uploader and an admin account; returns its URL."""
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute("CREATE DATABASE two_servers")
    url = database_url(server, "two_servers")
    store = open_store(url)
    try:
        submit_settings(store, {"council_code": "999", "council_name": "Northmoor (fictional)"}, "setup")  # type: ignore[arg-type]
        data = workbook(BASELINE)
        parsed = read_bytes(data, "northmoor_baseline.xlsx", catalogue=catalogue(store), default_la="999")  # type: ignore[arg-type]
        assert history.store_upload(store, parsed, data, history.Actor("setup", "admin")).status == "stored"  # type: ignore[arg-type]
        accounts.add(store, "uma", "uploader", PASSWORDS["uma"], by="setup")  # type: ignore[arg-type]
        accounts.add(store, "ada", "admin", PASSWORDS["ada"], by="setup")  # type: ignore[arg-type]
    finally:
        store.close()
    return url


@pytest.fixture(scope="module")
def two_dashboards(pg_server: str) -> Iterator[tuple[str, str]]:
    url = fictional_pg_database(pg_server)
    first, first_url = start_dashboard(url)  # type: ignore[arg-type]  # a postgresql:// URL, as DASHBOARD_DB
    second, second_url = start_dashboard(url)  # type: ignore[arg-type]
    yield first_url, second_url
    for process in (first, second):
        process.terminate()
        process.wait(timeout=20)


def test_upload_on_one_server_roll_back_on_the_other(two_dashboards: tuple[str, str], browser, page) -> None:  # type: ignore[no-untyped-def]
    one_url, two_url = two_dashboards
    assert one_url != two_url
    other_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    other = other_context.new_page()
    other.set_default_timeout(30_000)
    try:
        # Both servers show the same chart before the upload.
        for tab, url in ((page, one_url), (other, two_url)):
            tab.goto(url)
            wait_for_app(tab)
            go(tab, "KPI trends")
        before = chart_values(page)
        assert 20 in before and 19 not in before  # Average social worker caseload: Jan 21, Feb 20
        assert sorted(chart_values(other)) == sorted(before)

        # Server one: the uploader stores March.
        sign_in(page, "uma", PASSWORDS["uma"])
        go(page, "Upload")
        store_file(page, MONTHLY)
        stored = page.get_by_text("Stored as submission").first.inner_text()
        submission = int(stored.split("Stored as submission ")[1].split(".")[0])

        # Server two, its next run (in the same session): March is on its chart.
        go(other, "Overview")
        go(other, "KPI trends")
        assert 19 in chart_values(other)
        screenshot(other, "two-servers-second-sees-upload")

        # Server two: the admin rolls it back.
        sign_in(other, "ada", PASSWORDS["ada"])
        go(other, "History")
        with rerun(other):
            other.get_by_role("button", name=f"Roll back submission {submission}").click()
        expect(other.get_by_text(f"Submission {submission} rolled back")).to_be_visible()

        # Server one, its next run: March is gone again.
        go(page, "KPI trends")
        reverted = chart_values(page)
        assert 19 not in reverted and sorted(reverted) == sorted(before)
        screenshot(page, "two-servers-first-sees-rollback")
        for tab in (page, other):
            assert tab.locator("[data-testid='stException']").count() == 0
    finally:
        other_context.close()
