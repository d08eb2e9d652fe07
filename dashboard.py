"""Improvement Board dashboard: entry point. Page config and navigation; pages live in pages/."""

from pathlib import Path

import streamlit as st

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

sections: dict[str, list] = {}
for section, script, title, icon in PAGES:
    if (_HERE / script).exists():
        sections.setdefault(section, []).append(
            st.Page(script, title=title, icon=icon, default=script == "pages/overview.py")
        )

st.navigation(sections).run()
