"""Reflow and text size (WCAG 1.4.10, 1.4.4): at 320 CSS pixels wide (1280 at 400% zoom) no page
needs sideways scrolling outside tables and charts, and with text at 200% nothing is cut off.
Screenshots of each page at 320 px go to tests/screenshots/reflow-320-*.png. The pages open to
everyone are loaded directly; the admin's pages are reached through the menu after signing in."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ACCOUNTS, SCREENSHOTS, draw_charts, go, sign_in, wait_for_app

pytestmark = pytest.mark.browser

# Behind sign-in: reached through the menu as an admin (a fresh page load would sign out).
SIGNED_IN = ["Upload", "History", "Audit log", "Users", "Account"]
PAGES = ["", "plan_explorer", "kpi_trends", "benchmarking", "board_pack", "sign-in", "accessibility"]
_EXEMPT = "[data-testid=stDataFrame], [data-testid=stTable], [data-testid=stPlotlyChart], [data-testid=stSidebar]"

# Elements of the page (outside tables and charts) that reach past either edge of the window.
_OVERFLOW = """(exempt) => {
  const width = document.documentElement.clientWidth;
  const main = document.querySelector("[data-testid=stMain]");
  const out = [];
  for (const e of main.querySelectorAll("*")) {
    if (e.closest(exempt)) continue;
    const r = e.getBoundingClientRect();
    const outside = r.right > width + 1 || r.left < -1;
    if (r.width && r.height && outside) out.push(e.tagName + " " + (e.innerText || "").slice(0, 40));
  }
  if (main.scrollWidth > main.clientWidth + 1) out.push("the page scrolls sideways");
  return out;
}"""
# Text cut off by a box that hides its overflow.
_CLIPPED = """(exempt) => {
  const out = [];
  for (const e of document.querySelectorAll("[data-testid=stMain] *")) {
    if (e.closest(exempt) || !(e.innerText || "").trim()) continue;
    const s = getComputedStyle(e);
    const hides = (v) => v === "hidden" || v === "clip";
    const wide = hides(s.overflowX) && e.scrollWidth > e.clientWidth + 1;
    const tall = hides(s.overflowY) && e.scrollHeight > e.clientHeight + 1;
    if (wide || tall) out.push(e.tagName + " " + e.innerText.slice(0, 40));
  }
  return out;
}"""


def overflow(page: Any, settle_seconds: float = 5.0) -> list[str]:
    """What reaches past the window's edges once the layout has settled after a resize.

    Streamlit's tables re-measure their width a frame or two after the window changes size, so a
    check made at once can see a table still at the old width; the check is repeated until it
    finds nothing or `settle_seconds` have passed, and the last finding is returned.
    """
    deadline = time.monotonic() + settle_seconds
    while True:
        found: list[str] = page.evaluate(_OVERFLOW, _EXEMPT)
        if not found or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(100)


@pytest.mark.parametrize("path", PAGES)
def test_320_pixels_wide_needs_no_sideways_scrolling(dashboard: str, page: Any, path: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{dashboard}/{path}")
    wait_for_app(page)
    draw_charts(page)
    assert overflow(page) == []
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 320, "height": min(height, 7000)})  # the app scrolls inside: show it all
    wait_for_app(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"reflow-320-{path or 'overview'}.png"))


@pytest.mark.parametrize("path", PAGES)
def test_text_at_200_percent_loses_nothing(dashboard: str, page: Any, path: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{dashboard}/{path}")
    wait_for_app(page)
    page.add_style_tag(content="html { font-size: 200% !important; }")  # Streamlit sizes text in rem
    draw_charts(page)
    assert page.evaluate("() => getComputedStyle(document.documentElement).fontSize") == "32px"
    assert page.evaluate(_CLIPPED, _EXEMPT) == []
    assert overflow(page) == []


@pytest.mark.parametrize("mode", ["320 px", "200% text"])
def test_pages_behind_sign_in_reflow_too(dashboard_with_accounts: str, page: Any, mode: str) -> None:
    """The admin's pages (Upload, History, Audit log, Users, Account) meet the same two checks."""
    page.set_viewport_size({"width": 1280, "height": 900})  # the menu is behind the sidebar's button at 320
    page.goto(dashboard_with_accounts)
    wait_for_app(page)
    sign_in(page, *ACCOUNTS["admin"])
    if mode == "200% text":
        page.add_style_tag(content="html { font-size: 200% !important; }")
    problems = {}
    for title in SIGNED_IN:
        page.set_viewport_size({"width": 1280, "height": 900})
        go(page, title)
        if mode == "320 px":
            page.set_viewport_size({"width": 320, "height": 800})
            expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()  # as a phone shows it: menu folded
        wait_for_app(page)
        draw_charts(page)
        found = overflow(page)
        if mode == "200% text":
            found += page.evaluate(_CLIPPED, _EXEMPT)
        else:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"reflow-320-{title.lower().replace(' ', '_')}.png"))
        if found:
            problems[title] = found
    assert problems == {}
