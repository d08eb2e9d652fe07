"""Presentation mode for the meeting room: larger type, no sidebar, a row of board-page links.

The toggle's state lives in `st.session_state["presentation"]`, survives page switches and is
bound to the URL (`?presentation=true`), so a meeting-room screen can be bookmarked in it.
"""

from __future__ import annotations

import streamlit as st

KEY = "presentation"
BOARD_PAGES = (
    ("pages/overview.py", "Overview", "📋"),
    ("pages/plan_explorer.py", "Plan explorer", "🔎"),
    ("pages/kpi_trends.py", "KPI trends", "📈"),
)

# Static CSS only: nothing from data is ever placed in it.
_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; padding-left: 2.5rem; padding-right: 2.5rem;
  max-width: 100%; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.35rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.2rem; }
h1 { font-size: 3.1rem !important; }
h2 { font-size: 2.3rem !important; }
h3 { font-size: 1.8rem !important; }
[data-testid="stMetricValue"] { font-size: 3.2rem; }
[data-testid="stMetricLabel"] p { font-size: 1.25rem; }
[data-testid="stMetricDelta"] { font-size: 1.2rem; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.2rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
</style>
"""


def is_on() -> bool:
    return bool(st.session_state.get(KEY, False))


def apply() -> bool:
    """Render the toggle (top right) and, when on, the meeting-room styling; returns whether it is on.

    Every board page calls this first, so the mode follows the user from page to page.
    """
    left, right = st.columns([5, 1], vertical_alignment="center")
    with right:
        st.toggle(
            "Presentation mode",
            key=KEY,
            persist_state="session",
            bind="query-params",
            help="Larger type and no sidebar, for a projector in a meeting.",
        )
    on = is_on()
    if on:
        st.html(_CSS)
        with left:
            links = st.columns(len(BOARD_PAGES))
            for column, (script, label, icon) in zip(links, BOARD_PAGES, strict=True):
                column.page_link(script, label=label, icon=icon)
    return on
