"""Improvement Board dashboard: entry point. Page config, navigation; pages live in pages/."""

import streamlit as st

st.set_page_config(page_title="Improvement Board", page_icon="📊", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="📋", default=True),
]

st.navigation(PAGES).run()
