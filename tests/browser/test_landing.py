"""The dashboard opens in a real browser on the default data, with no exception shown."""

from tests.browser.conftest import screenshot, wait_for_app


def test_landing_page_shows_headline(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(dashboard)
    wait_for_app(page)
    page.get_by_text("actions in the plan excluding completed ones", exact=False).first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    assert "50" in page.locator("[data-testid='stMetricValue']").first.inner_text()
    screenshot(page, "landing")
