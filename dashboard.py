"""Improvement Board dashboard: entry point. Page config, sign-in gate and role-aware navigation.

Pages live in views/. Navigation hides the Data and Admin sections from roles that cannot use
them, but that is only a convenience: every page checks the role itself on every rerun.
"""

import streamlit as st

from cli.seed import ensure_default
from loaders import isolated
from store.backend import default_target, is_url
from ui import a11y, auth, presentation
from ui.data import refresh_version

# (section, script, title, icon)
PAGES = [
    ("Board", "views/overview.py", "Overview", ":material/dashboard:"),
    ("Board", "views/plan_explorer.py", "Plan explorer", ":material/search:"),
    ("Board", "views/kpi_trends.py", "KPI trends", ":material/show_chart:"),
    ("Compare", "views/benchmarking.py", "Benchmarking", ":material/account_balance:"),
    ("Reports", "views/board_pack.py", "Board pack", ":material/description:"),
    ("Data", "views/upload.py", "Upload", ":material/upload:"),
    ("Data", "views/history.py", "History", ":material/history:"),
    ("Admin", "views/audit_log.py", "Audit log", ":material/receipt_long:"),
    ("Admin", "views/users.py", "Users", ":material/group:"),
]

if not is_url(default_target()):  # a PostgreSQL database is made by IT (README, "PostgreSQL")
    ensure_default(default_target())  # first start: build the database from the seed data
refresh_version(show_host=auth.was_admin())
auth.announce_first_start()
user = auth.current_user()
if auth.can(user, "uploader"):
    isolated.warm_up_in_background()  # the file-reading helper is ready before the first upload

sections: dict[str, list] = {}
for section, script, title, icon in PAGES:
    if auth.allowed_section(section, user):
        sections.setdefault(section, []).append(
            st.Page(script, title=title, icon=icon, default=script == "views/overview.py")
        )
sections["Account"] = [auth.sign_in_page_object(default=not sections, signed_in=user is not None)]
# Open to everyone, signed in or not, whatever the viewing setting: the law requires it be findable.
statement = st.Page("views/accessibility.py", title=a11y.STATEMENT_TITLE, url_path=a11y.STATEMENT_PATH)
sections["Help"] = [statement]

# Streamlit's own menu is hidden and drawn again by the app with valid list markup (ui/a11y.py).
page = st.navigation(sections, position="hidden")
st.set_page_config(page_title=a11y.page_title(page.title), page_icon=":material/monitoring:", layout="wide")
with st.sidebar:
    a11y.draw_navigation(
        {name: [(p.url_path, p.title) for p in pages] for name, pages in sections.items()}, page.url_path
    )
    st.text("Not signed in." if user is None else f"Signed in as {user.label} ({user.role})")

# Presentation mode hides the menu: the statement stays one link away, first on the page. The slot
# is always there, so switching the mode does not shift (and remount, losing focus) what follows.
statement_slot = st.empty()
if st.session_state.get(presentation.STATE, st.query_params.get(presentation.KEY) == "true"):
    statement_slot.page_link(statement, label=a11y.STATEMENT_TITLE, icon=":material/accessibility_new:")
page.run()
