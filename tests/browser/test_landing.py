"""The dashboard opens in a real browser on the default data, with no exception shown."""

from tests.browser.conftest import screenshot, wait_for_app


def test_landing_page_shows_headline(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(dashboard)
    wait_for_app(page)
    page.get_by_text("actions in the plan excluding completed ones", exact=False).first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    assert "50" in page.locator("[data-testid='stMetricValue']").first.inner_text()
    screenshot(page, "landing")


def test_a_page_opened_by_its_address_still_goes_through_the_gate(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    """A bookmarked /kpi_trends must run dashboard.py (navigation, sign-in gate), not the bare page."""
    page.goto(f"{dashboard}/kpi_trends")
    wait_for_app(page)
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Board" in nav and "KPI trends" in nav
    assert "dashboard" not in nav.lower().split()  # Streamlit's own page list would name the entry script
    assert page.locator("[data-testid='stException']").count() == 0
