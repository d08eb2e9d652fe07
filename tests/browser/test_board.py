"""The board pages in a real browser on the default data: Table 1's figures, filters, detail, presentation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import draw_charts, rerun, screenshot, wait_for_app

pytestmark = pytest.mark.browser

# The progress report's Table 1 (Nov 16 against Current = Feb 2017), row by row.
TABLE1 = {
    "1.": [0, 0, 2, 0, 1, 0, 2, 3, 2, 4],
    "2.": [0, 0, 1, 1, 0, 0, 0, 0, 0, 0],
    "3.": [0, 0, 4, 1, 10, 3, 0, 10, 6, 6],
    "4.": [0, 0, 3, 3, 6, 2, 1, 4, 2, 3],
    "5.": [0, 0, 0, 0, 1, 0, 0, 1, 1, 1],
    "6.": [0, 0, 2, 2, 2, 0, 2, 2, 0, 2],
    "7.": [0, 0, 1, 1, 9, 3, 1, 6, 0, 1],
    "Totals": [0, 0, 13, 8, 29, 8, 6, 26, 11, 17],
}


def _no_exception(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator("[data-testid='stException']").count() == 0


def _choose(page, label: str, option: str, expect_text: str) -> None:  # type: ignore[no-untyped-def]
    """Pick `option` in the selectbox or multiselect labelled `label`, then wait for `expect_text`.

    Typing starts only once Streamlit says no script is running, so no rerun can land mid-pick.
    """
    widget = page.locator("[data-testid='stSelectbox'], [data-testid='stMultiSelect']").filter(
        has=page.get_by_text(label, exact=True)
    )
    box = widget.first.locator("input")
    wait_for_app(page)
    box.click()
    box.fill(option)
    expect(page.get_by_role("option", name=re.compile(re.escape(option))).first).to_be_visible()
    with rerun(page):
        box.press("Enter")
    expect(page.get_by_text(expect_text, exact=False).first).to_be_visible()


def _first_chart(page) -> None:  # type: ignore[no-untyped-def]
    expect(page.locator(".js-plotly-plot").first).to_be_visible()


def test_overview_shows_table1_for_nov_2016_against_feb_2017(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(dashboard)
    wait_for_app(page)
    _first_chart(page)
    _no_exception(page)
    expect(page.get_by_text("50 actions in the plan excluding completed ones; 26 Dark Green")).to_be_visible()
    assert page.get_by_role("combobox", name="Compare").input_value() == "Nov 2016"
    assert page.get_by_role("combobox", name="with").input_value() == "Feb 2017"
    rows = page.locator("[data-testid='stTable'] tbody tr")
    expect(rows).to_have_count(len(TABLE1))
    found = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
        key = "Totals" if cells[0] == "Totals" else cells[0][:2]
        assert key == "Totals" or len(cells[0]) > 20  # the priority named in words, not only its number
        found[key] = [int(c) for c in cells[1:]]
    assert found == TABLE1
    headings = page.locator("[data-testid='stTable'] thead").inner_text()
    for word in ("Red", "Amber", "Light Green", "Dark Green", "Completed", "Nov 2016", "Feb 2017"):
        assert word in headings
    assert page.get_by_text("27 improved; 26 held; 8 new, not yet rated; 6 completed.").count() == 1
    screenshot(page, "board-overview")
    page.set_viewport_size({"width": 1400, "height": 6000})  # the app scrolls inside; show all of it
    draw_charts(page)
    screenshot(page, "board-overview-full")


def test_presentation_mode_hides_the_sidebar_and_enlarges_type(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(dashboard)
    wait_for_app(page)
    _first_chart(page)
    assert page.locator("section[data-testid='stSidebar']").is_visible()
    normal = page.locator("h1").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    with rerun(page):
        page.get_by_text("Presentation mode", exact=True).click()
    expect(page.locator("section[data-testid='stSidebar']")).to_be_hidden()
    assert page.locator("h1").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") > normal
    assert "presentation=true" in page.url
    _no_exception(page)
    page.set_viewport_size({"width": 1920, "height": 1080})
    screenshot(page, "board-overview-presentation")
    with rerun(page):
        page.get_by_role("link", name=re.compile("KPI trends")).click()
    _first_chart(page)
    assert not page.locator("section[data-testid='stSidebar']").is_visible()
    _no_exception(page)
    screenshot(page, "board-kpi-trends-presentation")
    with rerun(page):
        page.get_by_text("Presentation mode", exact=True).click()
    expect(page.locator("section[data-testid='stSidebar']")).to_be_visible()


def test_plan_explorer_filters_and_opens_an_action(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{dashboard}/plan_explorer")
    wait_for_app(page)
    _no_exception(page)
    expect(page.get_by_text("67 of 67 actions at Feb 2017")).to_be_visible()
    with rerun(page):
        page.get_by_text("Overdue only", exact=True).click()
    expect(page.get_by_text("16 of 67 actions at Feb 2017")).to_be_visible()
    _choose(page, "Rating", "Amber", expect_text="8 of 67 actions at Feb 2017")
    page.get_by_label("Search actions and success measures").fill("early help")
    with rerun(page):
        page.keyboard.press("Enter")
    expect(page.get_by_text("1 of 67 actions at Feb 2017")).to_be_visible()
    screenshot(page, "board-plan-explorer-filtered")
    _choose(page, "Action", "3.13", expect_text="Action 3.13: 🟩 Dark Green at Feb 2017")
    expect(page.get_by_text("KPIs linked to this action")).to_be_visible()
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(2)  # rating history, linked KPI
    _no_exception(page)
    page.get_by_text("KPIs linked to this action").scroll_into_view_if_needed()
    screenshot(page, "board-plan-explorer-detail")


def test_timescale_typos_are_visible(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{dashboard}/plan_explorer?action=3.2")  # 3.2's timescale is printed "12/1"
    wait_for_app(page)
    expect(page.get_by_text("which is unreadable as a month", exact=False)).to_be_visible()
    _no_exception(page)


def test_kpi_trends_one_and_all(dashboard: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{dashboard}/kpi_trends")
    wait_for_app(page)
    _first_chart(page)
    _no_exception(page)
    _choose(page, "KPI", "Return interviews completed",
            expect_text="Return interviews completed (higher is better): 2 observation(s)")  # fmt: skip
    screenshot(page, "board-kpi-trends")
    with rerun(page):
        page.get_by_text("All KPIs on one screen", exact=True).click()
    expect(page.get_by_text("No observations yet for 14 KPIs", exact=False)).to_be_visible()
    _first_chart(page)
    _no_exception(page)
    screenshot(page, "board-kpi-small-multiples")
