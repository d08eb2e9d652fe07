"""The Benchmarking page in a real browser on the default data: opens on Sunderland, a measure can be
found by its words and chosen, and the charts are drawn."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import draw_charts, rerun, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _no_exception(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator("[data-testid='stException']").count() == 0


def _charts_drawn(page, count: int) -> None:  # type: ignore[no-untyped-def]
    """Streamlit mounts a chart only as it nears the viewport: `draw_charts` scrolls to each in turn."""
    assert draw_charts(page) >= count


def test_benchmarking_opens_on_sunderland_and_a_measure_can_be_chosen(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{dashboard}/benchmarking")
    wait_for_app(page)
    expect(page.get_by_text("Compare with other councils").first).to_be_visible()
    _no_exception(page)
    assert page.get_by_role("combobox", name="Council").input_value() == "Sunderland (394)"
    expect(page.get_by_text("In 2025 Sunderland's figure was 17.1", exact=False)).to_be_visible()
    licence = "Contains public sector information licensed under the Open Government Licence v3.0"
    expect(page.get_by_text(licence)).to_be_visible()
    _charts_drawn(page, 3)
    page.get_by_text("Compare with other councils").first.scroll_into_view_if_needed()
    screenshot(page, "benchmarking")

    search = page.get_by_label("Search measures")
    search.fill("care leavers education employment")
    with rerun(page):
        search.press("Enter")
    measure = page.get_by_role("combobox", name="Measure")
    measure.click()
    measure.fill("Training (EET)")  # a selectbox filters its options as you type
    option = page.get_by_role("option", name=re.compile(r"Education, Employment & Training \(EET\)")).first
    expect(option).to_be_visible()
    measure.press("Enter")  # the search may already have chosen this measure: then nothing reruns
    wait_for_app(page)
    _no_exception(page)
    expect(page.get_by_text("In 2025 Sunderland's figure was 45", exact=False)).to_be_visible()
    expect(page.get_by_text("ranked 136th of 152 councils", exact=False)).to_be_visible()
    _charts_drawn(page, 3)
    legend = (
        page.locator(".js-plotly-plot").first.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)")
    )
    assert {"Sunderland", "England", "North East", "Neighbours' mean"} <= set(legend)
    screenshot(page, "benchmarking_every_council")
    page.get_by_text("Compare with other councils").first.scroll_into_view_if_needed()
    screenshot(page, "benchmarking_care_leavers")
