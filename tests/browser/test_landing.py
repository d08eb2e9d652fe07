"""The dashboard opens in a real browser on the default data, with no exception shown."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_landing_page_shows_headline(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(dashboard)
    wait_for_app(page)
    expect(page.get_by_text("actions in the plan excluding completed ones", exact=False).first).to_be_visible()
    open_actions = page.locator("[data-testid='stMetric']").filter(has_text="Open actions").first
    expect(open_actions.locator("[data-testid='stMetricValue']")).to_have_text("50")
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "landing")


def test_a_page_opened_by_its_address_still_goes_through_the_gate(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    """A bookmarked /kpi_trends must run dashboard.py (navigation, sign-in gate), not the bare page."""
    page.goto(f"{dashboard}/kpi_trends")
    wait_for_app(page)
    nav = page.get_by_role("navigation", name="Pages")
    # dashboard.py's menu has sections and the sign-in page; Streamlit's own list of pages/ files
    # (what used to run here) has neither, only lower-case file names.
    expect(nav.get_by_role("list", name="Board").get_by_role("link", name="KPI trends")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    expect(nav.get_by_role("link", name="KPI trends")).to_have_attribute("aria-current", "page")
    assert "kpi trends" not in nav.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
