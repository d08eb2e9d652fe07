"""Keyboard only: the skip link, every page reached from the menu with Tab and Enter, a visible focus
indicator on every stop, each kind of control worked with Tab, Shift+Tab, Enter, Space and the arrow
keys, and an upload, its confirmation and a rollback done without a mouse.

No test here clicks: focus moves only with the keyboard (a file is picked in the browser's file
chooser, which the Enter key opens; that dialog belongs to the operating system).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import rerun, start_dashboard, wait_for_app
from tests.browser.test_upload_journey import MONTHLY, PASSWORDS, fictional_database

pytestmark = pytest.mark.browser

# What has focus, its name, and whether a focus indicator shows (an outline of 2 px or more, or a
# box shadow) on it or on one of its three nearest ancestors.
_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const ring = (el) => { const s = getComputedStyle(el);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== "none"); };
  let shows = false;
  for (let el = e, i = 0; el && i < 4 && !shows; el = el.parentElement, i++) shows = ring(el);
  const name = (e.getAttribute("aria-label") || e.innerText || e.value || "").trim().replace(/\\s+/g, " ");
  return {tag: e.tagName.toLowerCase(), role: e.getAttribute("role"), name: name.slice(0, 80), shows,
          id: e.id, current: e.getAttribute("aria-current")};
}"""
LIMIT = 400  # tab stops before giving up on reaching something


def focused(page: Any) -> dict[str, Any] | None:
    return page.evaluate(_FOCUSED)  # type: ignore[no-any-return]


def tab_to(
    page: Any, name: str, *, role: str | None = None, tag: str | None = None, key: str = "Tab", exact: bool = True
) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until the control called `name` has focus; every stop on the way
    must show a focus indicator."""
    for _ in range(LIMIT):
        page.keyboard.press(key)
        here = focused(page)
        if here is None:
            continue
        assert here["shows"], f"no visible focus indicator on {here}"
        matches = here["name"] == name if exact else name in here["name"]
        if matches and (role is None or here["role"] == role) and (tag is None or here["tag"] == tag):
            return here
    raise AssertionError(f"{name!r} never took focus with {key}")


def open_page_by_keyboard(page: Any, title: str) -> None:
    """Tab to the menu link `title` and press Enter."""
    tab_to(page, title)
    with rerun(page):
        page.keyboard.press("Enter")
    expect(page).to_have_title(f"{title} - Improvement Board")


def sign_in_by_keyboard(page: Any, name: str, password: str) -> None:
    open_page_by_keyboard(page, "Sign in")
    tab_to(page, "Username")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Password"  # type: ignore[index]
    page.keyboard.type(password)
    with rerun(page):
        page.keyboard.press("Enter")
    expect(page.get_by_text(f"Signed in as {name}").first).to_be_visible()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_page(dashboard: str, page: Any) -> None:
    page.goto(f"{dashboard}/kpi_trends")
    wait_for_app(page)
    page.keyboard.press("Tab")
    first = focused(page)
    assert first is not None and first["name"] == "Skip to main content" and first["shows"]
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()  # shown when focused
    page.keyboard.press("Enter")
    assert focused(page)["tag"] == "main"  # type: ignore[index]
    page.keyboard.press("Tab")
    after = focused(page)
    assert after is not None and after["name"] != "Overview"  # the menu was skipped


def test_every_page_is_reached_from_the_menu_with_the_keyboard(dashboard: str, page: Any) -> None:
    page.goto(dashboard)
    wait_for_app(page)
    for title in ["Plan explorer", "KPI trends", "Benchmarking", "Board pack", "Sign in", "Accessibility statement"]:
        open_page_by_keyboard(page, title)
        assert page.locator("[data-testid='stException']").count() == 0
    open_page_by_keyboard(page, "Overview")
    here = tab_to(page, "Overview", key="Shift+Tab")  # and back up the page to the menu
    assert here["current"] == "page"


def test_each_kind_of_control_works_with_the_keyboard(dashboard: str, page: Any) -> None:
    page.goto(dashboard)
    wait_for_app(page)
    # Tab only once the control is on the page: under load the first run can still be drawing it.
    expect(page.get_by_role("combobox", name="Compare")).to_be_visible(timeout=60_000)
    # A select box: the arrow key opens its list, typing filters it, Enter chooses.
    tab_to(page, "Compare", role="combobox")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("listbox")).to_be_visible()
    page.keyboard.type("Initial")
    expect(page.get_by_role("option", name="Initial", exact=False).first).to_be_visible()
    with rerun(page):
        page.keyboard.press("Enter")
    expect(page.get_by_role("combobox", name="Compare")).to_have_value("Initial (Sep 2015)")
    # Tabs: the arrow keys move between Chart and Table.
    tab_to(page, "Chart", role="tab")
    page.keyboard.press("ArrowRight")
    table_tab = page.get_by_role("tab", name="Table").first
    expect(table_tab).to_have_attribute("aria-selected", "true")
    expect(table_tab).to_be_focused()
    # An expander opens with Enter.
    here = tab_to(page, "Which actions moved", exact=False)
    assert here["tag"] == "summary"
    page.keyboard.press("Enter")
    expect(page.locator("details[open] summary").filter(has_text="Which actions moved").first).to_be_visible()
    # A download button works with Enter.
    tab_to(page, "Download these numbers (CSV)", exact=False)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
    # A toggle works with Space: presentation mode on, then off again.
    tab_to(page, "Presentation mode", role="switch", key="Shift+Tab")
    with rerun(page):
        page.keyboard.press("Space")
    expect(page.locator("section[data-testid='stSidebar']")).to_be_hidden()
    expect(page.get_by_role("switch", name="Presentation mode")).to_be_focused()
    with rerun(page):
        page.keyboard.press("Space")
    expect(page.locator("section[data-testid='stSidebar']")).to_be_visible()

    open_page_by_keyboard(page, "Plan explorer")
    # A check box works with Space; a text box takes typing and Enter.
    tab_to(page, "Overdue only")
    with rerun(page):
        page.keyboard.press("Space")
    expect(page.get_by_text("16 of 67 actions at Feb 2017")).to_be_visible()
    tab_to(page, "Search actions and success measures")
    page.keyboard.type("early help")
    with rerun(page):
        page.keyboard.press("Enter")
    expect(page.get_by_text("1 of 67 actions at Feb 2017")).to_be_visible()

    open_page_by_keyboard(page, "KPI trends")
    # A segmented control: the arrow keys move, Space chooses.
    tab_to(page, "One KPI at a time", role="radio")
    page.keyboard.press("ArrowRight")
    with rerun(page):
        page.keyboard.press("Space")
    expect(page.get_by_text("No observations yet for 14 KPIs", exact=False)).to_be_visible()


@pytest.fixture(scope="module")
def northmoor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db_file = fictional_database(tmp_path_factory.mktemp("keyboard") / "northmoor.duckdb")
    process, url = start_dashboard(db_file)
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_upload_confirm_and_roll_back_with_the_keyboard_alone(northmoor: str, page: Any) -> None:
    page.goto(northmoor)
    wait_for_app(page)
    sign_in_by_keyboard(page, "uma", PASSWORDS["uma"])
    open_page_by_keyboard(page, "Upload")
    tab_to(page, "Upload", tag="button", exact=False)  # the file box's button
    with page.expect_file_chooser() as chooser, rerun(page):
        page.keyboard.press("Enter")
        chooser.value.set_files(str(Path(MONTHLY)))
    expect(page.get_by_text("What this file would change")).to_be_visible()
    # Known gap (reported): the file chooser leaves focus on Streamlit's hidden file input, whose
    # focus ring is not yet shown; one Tab moves on from it.
    page.keyboard.press("Tab")
    tab_to(page, "Confirm and store this file", exact=False)
    with rerun(page):
        page.keyboard.press("Enter")
    expect(page.get_by_text("Every page now shows the new data.")).to_be_visible()
    stored = page.get_by_text("Stored as submission").first.inner_text()
    submission = int(stored.split("Stored as submission ")[1].split(".")[0])

    open_page_by_keyboard(page, "Account")
    tab_to(page, "Sign out", tag="button", exact=False)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Not signed in.").first).to_be_visible()
    wait_for_app(page)
    sign_in_by_keyboard(page, "ada", PASSWORDS["ada"])
    open_page_by_keyboard(page, "History")
    tab_to(page, f"Roll back submission {submission}", exact=False)
    with rerun(page):
        page.keyboard.press("Enter")
    expect(page.get_by_text(f"Submission {submission} rolled back")).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0
