"""Improvement Board dashboard: entry point. Page config, sign-in gate and role-aware navigation.

Pages live in pages/. Navigation hides the Data and Admin sections from roles that cannot use
them, but that is only a convenience: every page checks the role itself on every rerun.
"""

from pathlib import Path

import streamlit as st

from ui import auth

st.set_page_config(page_title="Improvement Board", page_icon="📊", layout="wide")

_HERE = Path(__file__).parent
# (section, script, title, icon); a page is listed once its script exists.
PAGES = [
    ("Board", "pages/overview.py", "Overview", "📋"),
    ("Board", "pages/plan_explorer.py", "Plan explorer", "🔎"),
    ("Board", "pages/kpi_trends.py", "KPI trends", "📈"),
    ("Compare", "pages/benchmarking.py", "Benchmarking", "🏛️"),
    ("Reports", "pages/board_pack.py", "Board pack", "🗂️"),
    ("Data", "pages/upload.py", "Upload", "⬆️"),
    ("Data", "pages/history.py", "History", "🕘"),
    ("Admin", "pages/audit_log.py", "Audit log", "🧾"),
    ("Admin", "pages/users.py", "Users", "👥"),
]

auth.announce_first_start()
user = auth.current_user()

sections: dict[str, list] = {}
for section, script, title, icon in PAGES:
    if (_HERE / script).exists() and auth.allowed_section(section, user):
        sections.setdefault(section, []).append(
            st.Page(script, title=title, icon=icon, default=script == "pages/overview.py")
        )
sections["Account"] = [auth.sign_in_page_object(default=not sections, signed_in=user is not None)]

with st.sidebar:
    st.text("Not signed in." if user is None else f"Signed in as {user.username} ({user.role})")

st.navigation(sections).run()
