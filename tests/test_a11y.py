"""The app-drawn menu (valid list markup), page titles, and the accessibility statement (reachable by
anyone, and naming the axe-core version the browser tests really run)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from store.writes import submit_settings
from tests.helpers import Pages, in_navigation, shown
from ui import a11y

ROOT = Path(__file__).resolve().parent.parent


class _Tree(HTMLParser):
    """Each element's tag with its parent's tag, and the attributes of each link."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.pairs: list[tuple[str, str]] = []
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pairs.append((self.stack[-1] if self.stack else "", tag))
        if tag == "a":
            self.links.append(dict(attrs))
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag


def test_menu_is_a_nav_of_labelled_lists_with_the_current_page_marked() -> None:
    sections = {"Board": [("", "Overview"), ("kpi_trends", "KPI <trends>")], "Help": [("accessibility", "Statement")]}
    tree = _Tree()
    tree.feed(a11y.nav_html(sections, "kpi_trends"))
    assert tree.stack == []  # every element closed
    assert {child for parent, child in tree.pairs if parent == "ul"} == {"li"}  # a list holds only items
    assert {parent for parent, child in tree.pairs if child == "li"} == {"ul"}
    assert [link["href"] for link in tree.links] == ["./", "./kpi_trends", "./accessibility"]
    assert [link.get("aria-current") for link in tree.links] == [None, "page", None]
    assert "KPI &lt;trends&gt;" in a11y.nav_html(sections, "")  # titles are text, never markup


def test_every_page_title_names_the_page_first() -> None:
    assert a11y.page_title("KPI trends") == "KPI trends - Improvement Board"


def test_statement_names_the_axe_core_the_tests_run() -> None:
    package = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "package.json"
    assert json.loads(package.read_text())["version"] == a11y.AXE_VERSION
    from tests.browser.axe import TAGS

    assert tuple(TAGS) == a11y.AXE_TAGS


def test_statement_is_open_to_everyone_even_when_viewing_needs_sign_in(pages: Pages) -> None:
    pages.call(submit_settings, {"viewing": "sign-in"}, "test")
    at = pages.app().run()
    assert not in_navigation(at, "views/overview.py")  # the board is closed to someone not signed in
    at.switch_page("views/accessibility.py").run()
    assert not at.exception
    assert at.title[0].value == "Accessibility statement for the Improvement Board dashboard"
    text = "\n".join(shown(m) for m in at.markdown)
    assert "partially compliant" in text and "Equality Advisory and Support Service" in text
    assert f"axe-core {a11y.AXE_VERSION}" in text and a11y.TESTED_ON in text
    assert "Sunderland" in text  # the council that runs it, from the store's settings
    headings = [h.value for h in at.header]
    for section in (
        "How accessible this dashboard is",
        "Reporting accessibility problems with this dashboard",
        "Enforcement procedure",
        "Preparation of this accessibility statement",
    ):
        assert section in headings
