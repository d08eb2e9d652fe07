"""Audit log (admins): every sign-in, upload, refusal, rollback, export and account change, newest first."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import streamlit as st

from reports.safe_text import to_safe_csv
from store import audit
from ui import auth
from ui.auth import User
from ui.data import connection
from ui.guard import guarded

auth.require_role("admin")
st.title("Audit log")
st.caption("Append-only: entries are never changed or removed. Times are UTC.")

conn = connection()
cols = st.columns(3)
since = cols[0].date_input("From", value=date.today() - timedelta(days=30), key="audit.since")
action = cols[1].selectbox("Action", ["", *audit.actions(conn)], format_func=lambda a: a or "All", key="audit.action")
username = cols[2].text_input("User", key="audit.user", max_chars=300).strip().lower()
start = datetime.combine(since, datetime.min.time()) if isinstance(since, date) else None
log = audit.entries(conn, since=start, action=action or "", username=username)
log = log.rename(
    columns={
        "audit_id": "No.",
        "at_utc": "When (UTC)",
        "username": "User",
        "role": "Role",
        "action": "Action",
        "target": "Target",
        "outcome": "Outcome",
        "detail": "Detail",
        "client": "Client (address, browser)",
    }
)
st.dataframe(log, hide_index=True, width="stretch", key="audit.table")


@guarded("admin", "download", page="audit")
def on_download(who: User) -> None:
    auth.log("download", "audit log (CSV)", "ok", f"{len(log)} entries")


st.download_button(
    "Download these entries (CSV)",
    to_safe_csv(log),
    file_name="audit-log.csv",
    mime="text/csv",
    key="audit.download",
    on_click=on_download,
)
