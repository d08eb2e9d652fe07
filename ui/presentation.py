"""Presentation mode for the meeting room: larger type, no sidebar, a row of board-page links.

The mode lives in `st.session_state["presentation_mode"]` (a plain key, so it survives page switches,
which a widget's own key does not) and in the URL (`?presentation=true`), so a meeting-room screen
can be bookmarked in it.
"""

from __future__ import annotations

import streamlit as st

KEY = "presentation"
STATE = "presentation_mode"
BOARD_PAGES = (
    ("views/overview.py", "Overview", ":material/dashboard:"),
    ("views/plan_explorer.py", "Plan explorer", ":material/search:"),
    ("views/kpi_trends.py", "KPI trends", ":material/show_chart:"),
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
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div,
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 3.2rem !important; }
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.25rem !important; }
[data-testid="stMetricDelta"] { font-size: 1.2rem; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.2rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
[data-testid="stSelectbox"] input, [data-testid="stMultiSelect"] input, [data-testid="stTextInput"] input,
[data-baseweb="tab"] p, button p { font-size: 1.2rem !important; }
</style>
"""


def is_on() -> bool:
    return bool(st.session_state.get(STATE, False))


def _remember() -> None:
    st.session_state[STATE] = bool(st.session_state[KEY])


def apply() -> bool:
    """Render the toggle (top right) and, when on, the meeting-room styling; returns whether it is on.

    Every board page calls this first, so the mode follows the user from page to page. A widget's
    own state is dropped when another page's widget replaces it, hence the plain `STATE` key that
    the toggle is seeded from on every run and written back to in its callback.
    """
    if STATE not in st.session_state:
        st.session_state[STATE] = st.query_params.get(KEY) == "true"
    st.session_state[KEY] = is_on()
    left, right = st.columns([4, 1], vertical_alignment="center")
    with right:
        on = st.toggle(
            "Presentation mode",
            key=KEY,
            on_change=_remember,
            help="Larger type and no sidebar, for a projector in a meeting.",
        )
    if on:
        st.query_params[KEY] = "true"
    elif KEY in st.query_params:
        del st.query_params[KEY]
    if on:
        st.html(_CSS)
        with left:
            links = st.columns(len(BOARD_PAGES))
            for column, (script, label, icon) in zip(links, BOARD_PAGES, strict=True):
                column.page_link(script, label=label, icon=icon)
    return on
