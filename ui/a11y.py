"""What Streamlit does not give a screen reader or keyboard user, added once for every page.

Streamlit (1.67) draws its sidebar navigation with section headings as direct children of the
`<ul>` (axe rules `list` and `listitem` fail on every page) and serves every page as
`<html lang="en">` (streamlit/streamlit#15726; `set_page_config` has no language yet). Its skip
link ("Skip to main content", to `<main id="stMain">`) is kept. `dashboard.py` therefore hides
Streamlit's own menu (`st.navigation(position="hidden")`) and draws the one built here: a `<nav>`
with a labelled `<ul>` of links per section and `aria-current` on the page shown. A small, static
script (nothing from data is ever placed in it) sets `lang="en-GB"` and keeps a click on a menu
link inside the running session (the browser's history API, which Streamlit already follows for
the Back button), so a signed-in person stays signed in. Without the script the links still work,
as ordinary page loads.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import streamlit as st

SITE = "Improvement Board"
NAV_LABEL = "Pages"
STATEMENT_PATH = "accessibility"
STATEMENT_TITLE = "Accessibility statement"
# When and how the dashboard was last tested, as the statement says. tests/test_a11y.py
# fails when the axe-core the tests run is not the version named here.
TESTED_ON = "1 December 2026"
AXE_VERSION = "4.14.1"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def page_title(title: str) -> str:
    """The browser tab's title: the page first (what a screen reader announces on arrival)."""
    return f"{title} - {SITE}"


def nav_html(sections: Mapping[str, Sequence[tuple[str, str]]], current: str) -> str:
    """The menu as HTML: per section a heading and a list of (url_path, title) links.

    Links are relative (`./kpi_trends`), so they work under any `server.baseUrlPath`; the page at
    `current` is marked `aria-current="page"`. Titles are escaped: nothing here is markup from data.
    """
    parts = [f'<nav class="board-nav" aria-label="{NAV_LABEL}">']
    for number, (section, links) in enumerate(sections.items()):
        heading_id = f"board-nav-{number}"
        # The visible label names the list (read once, as the list's name, not twice).
        parts.append(f'<p class="board-nav-heading" id="{heading_id}" aria-hidden="true">{html.escape(section)}</p>')
        parts.append(f'<ul class="board-nav-list" aria-labelledby="{heading_id}">')
        for url_path, title in links:
            here = ' aria-current="page"' if url_path == current else ""
            href = html.escape(f"./{url_path}", quote=True)
            parts.append(f'<li><a data-board-nav href="{href}"{here}>{html.escape(title)}</a></li>')
        parts.append("</ul>")
    parts.append("</nav>")
    return "".join(parts)


# Static CSS and JavaScript only: nothing from data is ever placed in them.
_CSS = """
<style>
.board-nav { margin: 0 0 0.5rem 0; }
.board-nav-heading { font-size: 0.8rem !important; font-weight: 600 !important; text-transform: uppercase;
  letter-spacing: 0.04em; margin: 0.9rem 0 0.2rem 0 !important; padding: 0 !important; color: inherit; }
.board-nav-list { list-style: none; margin: 0 !important; padding: 0 !important; }
.board-nav-list li { margin: 0 !important; padding: 0 !important; }
.board-nav-list a { display: block; padding: 0.3rem 0.5rem; min-height: 24px; border-radius: 0.4rem;
  color: inherit !important; text-decoration: none; }
.board-nav-list a:hover { background: rgba(11, 12, 12, 0.08); text-decoration: underline; }
.board-nav-list a[aria-current="page"] { font-weight: 700; background: rgba(29, 112, 184, 0.14);
  border-left: 4px solid #1d70b8; }
:focus-visible { outline: 3px solid #ffdd00 !important; box-shadow: 0 0 0 6px #0b0c0c !important;
  outline-offset: 0 !important; }
/* The file box's own input takes focus when its file chooser closes: the box shows it. */
[data-testid="stFileUploaderDropzone"]:has(input:focus) { outline: 3px solid #ffdd00 !important;
  box-shadow: 0 0 0 6px #0b0c0c !important; }
/* Reflow at 200% text (WCAG 1.4.4): side-by-side columns keep a width in rem, so larger text wraps
   them onto more rows instead of cutting the metric tiles and buttons inside them to nothing. */
[data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
[data-testid="stColumn"] { min-width: min(8rem, 100%); }
[data-testid="stMetric"] .stMarkdownEllipsis, [data-testid="stMetric"] .stMarkdownEllipsis p,
[data-testid="stMetricDelta"] *, button [data-testid="stMarkdownContainer"],
button [data-testid="stMarkdownContainer"] p, .stMarkdownBadge {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
.stMarkdownBadge { height: auto !important; max-width: 100%; }
button:has([data-testid="stMarkdownContainer"]) { height: auto !important; max-width: 100%; }
/* The date box's day, month and year are separate spin buttons 18 px wide: 24 px meets WCAG 2.5.8. */
[data-testid="stDateInput"] [role="spinbutton"] { display: inline-block; min-width: 24px; min-height: 24px;
  text-align: center; }
</style>
"""

_SCRIPT = """
<script>
(() => {
  if (window.__boardA11y) return;
  window.__boardA11y = true;
  document.documentElement.lang = "en-GB";
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-board-nav]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    history.pushState(null, "", link.href);
    window.dispatchEvent(new PopStateEvent("popstate"));
  });
})();
</script>
"""


def draw_navigation(sections: Mapping[str, Sequence[tuple[str, str]]], current: str) -> None:
    """The menu, the page-wide fixes and their styling, in the sidebar."""
    st.html(nav_html(sections, current) + _CSS + _SCRIPT, unsafe_allow_javascript=True)
