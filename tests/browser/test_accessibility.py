"""WCAG 2.2 AA, checked by axe-core in Debian's Chromium on every page each role can reach, in normal
and presentation mode, after the page's charts have drawn: no violations. The same pass checks the
page semantics axe does not: lang="en-GB", a distinct title per page, one h1 and headings in order.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import describe, violations
from tests.browser.conftest import ACCOUNTS, draw_charts, go, rerun, sign_in, wait_for_app

pytestmark = pytest.mark.browser

BOARD = ["Overview", "Plan explorer", "KPI trends"]
OPEN = [*BOARD, "Benchmarking", "Board pack"]
HELP = ["Accessibility statement"]
# What each role's menu offers, in order: every one of these pages is checked.
MENU = {
    "not signed in": [*OPEN, "Sign in", *HELP],
    "viewer": [*OPEN, "Account", *HELP],
    "uploader": [*OPEN, "Upload", "History", "Account", *HELP],
    "admin": [*OPEN, "Upload", "History", "Audit log", "Users", "Account", *HELP],
}

_SEMANTICS = """() => {
  const main = document.querySelector("main");
  const shown = (e) => e.checkVisibility();
  const headings = [...main.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(shown);
  const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(shown);
  const named = (c) => {
    const box = c.closest('[role="figure"], [role="img"], [aria-label]') || c.querySelector('[aria-label]');
    return box ? (box.getAttribute("aria-label") || box.getAttribute("aria-description") || "") : "";
  };
  return {lang: document.documentElement.lang, title: document.title,
          levels: headings.map(h => Number(h.tagName[1])), texts: headings.map(h => h.textContent.trim()),
          chartNames: charts.map(named)};
}"""


def semantics_problems(page: Any) -> list[str]:
    """What is wrong with the page's language, title and heading outline (empty when all is well)."""
    found = page.evaluate(_SEMANTICS)
    problems = []
    if found["lang"] != "en-GB":
        problems.append(f"lang is {found['lang']!r}")
    levels = found["levels"]
    if levels.count(1) != 1 or levels[0] != 1:
        problems.append(f"needs exactly one h1, first: {list(zip(levels, found['texts'], strict=True))}")
    for before, after, text in zip(levels, levels[1:], found["texts"][1:], strict=False):
        if after > before + 1:
            problems.append(f"heading h{after} {text!r} follows h{before}: a level skipped")
    # Every chart's text alternative is its caption sentence: what it shows and its key numbers.
    problems.extend(
        f"chart {i + 1} has no text alternative ({name!r})"
        for i, name in enumerate(found["chartNames"])
        if len(name.split()) < 5
    )
    return problems


def menu(page: Any) -> list[str]:
    return page.get_by_role("navigation", name="Pages").get_by_role("link").all_inner_texts()


def start(page: Any, url: str, role: str) -> None:
    page.goto(url)
    wait_for_app(page)
    if role != "not signed in":
        sign_in(page, *ACCOUNTS[role])


def check_here(page: Any, where: str, found: dict[str, list[dict[str, Any]]], problems: list[str]) -> str:
    """axe and the semantics checks on the page as it is, once its charts have drawn; returns the title."""
    draw_charts(page)
    wait_for_app(page)
    if items := violations(page):
        found[where] = items
    problems.extend(f"{where}: {p}" for p in semantics_problems(page))
    return str(page.title())


@pytest.mark.parametrize("role", list(MENU))
def test_every_page_has_no_axe_violations(dashboard_with_accounts: str, page: Any, role: str) -> None:
    start(page, dashboard_with_accounts, role)
    assert menu(page) == MENU[role]
    found: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    titles = {}
    for title in MENU[role]:
        go(page, title)
        titles[title] = check_here(page, f"{role}, {title}", found, problems)
    assert not found, "axe-core found violations:\n" + describe(found)
    assert not problems, "\n".join(problems)
    assert len(set(titles.values())) == len(titles), titles  # every page has its own title
    assert titles["Overview"] == "Overview - Improvement Board"
    go(page, "Overview")
    draw_charts(page)
    names = page.evaluate(_SEMANTICS)["chartNames"]
    assert len(names) >= 3 and all(len(n.split()) >= 5 for n in names), names  # the check above saw charts


@pytest.mark.parametrize("role", list(MENU))
def test_presentation_mode_has_no_axe_violations(dashboard_with_accounts: str, page: Any, role: str) -> None:
    start(page, dashboard_with_accounts, role)
    go(page, "Overview")
    with rerun(page):
        page.get_by_role("switch", name="Presentation mode").press("Space")
    expect(page.get_by_role("navigation", name="Pages")).to_be_hidden()
    found: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    for title in BOARD:
        if title != "Overview":
            with rerun(page):
                page.get_by_role("link", name=title).click()
        expect(page).to_have_title(f"{title} - Improvement Board")
        check_here(page, f"{role}, {title}, presentation mode", found, problems)
        # In presentation mode the menu is hidden, so the statement is linked from the page itself.
        expect(page.get_by_role("link", name="Accessibility statement")).to_be_visible()
    assert not found, "axe-core found violations:\n" + describe(found)
    assert not problems, "\n".join(problems)


def test_presentation_mode_from_a_bookmark_has_no_axe_violations(dashboard_with_accounts: str, page: Any) -> None:
    """The meeting-room screen opens `?presentation=true` straight from a bookmark."""
    found: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    for path in ("", "plan_explorer?action=3.13", "kpi_trends"):
        page.goto(f"{dashboard_with_accounts}/{path}{'&' if '?' in path else '?'}presentation=true")
        wait_for_app(page)
        expect(page.get_by_role("navigation", name="Pages")).to_be_hidden()
        check_here(page, f"bookmark /{path}", found, problems)
    assert not found, "axe-core found violations:\n" + describe(found)
    assert not problems, "\n".join(problems)
