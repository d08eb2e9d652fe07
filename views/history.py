"""History: every submission with who, when, file, SHA-256, counts and status; what one changed;
its original file; and, for admins, roll back or re-apply. Nothing is ever deleted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reports.safe_text import to_safe_csv
from store import history
from ui import auth, flash
from ui.auth import User
from ui.data import cached, connection
from ui.display import plain
from ui.guard import guarded

user = auth.require_role("uploader")
st.title("Upload history")
flash.show("history")

subs = cached(history.listing)()
if subs.empty:
    st.info("Nothing has been stored yet.")
    st.stop()

shown = subs.rename(
    columns={
        "submission_id": "No.",
        "kind": "Kind",
        "file_name": "File",
        "submitted_by": "By",
        "submitted_at": "When (UTC)",
        "status": "Status",
        "observation_rows": "KPI values",
        "rating_rows": "Ratings",
        "action_rows": "Actions",
        "warnings": "Warnings",
        "note": "Note",
        "sha256": "SHA-256",
    }
)
columns = ["No.", "When (UTC)", "By", "File", "Kind", "Status", "KPI values", "Ratings", "Actions", "Warnings",
           "Note", "SHA-256"]  # fmt: skip
st.dataframe(shown[columns], hide_index=True, width="stretch", key="history.table")


def on_list_download() -> None:
    auth.log("download", "submission history (CSV)")


st.download_button(
    "Download this list (CSV)",
    to_safe_csv(shown[columns]),
    file_name="submissions.csv",
    mime="text/csv",
    key="history.download_list",
    on_click=on_list_download,
)

st.header("Open a submission")
labels = {
    int(r["submission_id"]): f"{int(r['submission_id'])}: {r['file_name']} ({r['status']})"
    for r in subs.to_dict("records")
}
chosen = st.selectbox("Submission", list(labels), format_func=lambda s: labels[s], key="history.submission")
assert chosen is not None
row = subs[subs["submission_id"] == chosen].iloc[0]
st.text(
    f"{row['file_name']}, stored by {row['submitted_by']} at {row['submitted_at']:%d %b %Y %H:%M} UTC; "
    f"status: {row['status']}.\nSHA-256 {row['sha256']}"
)
events = cached(history.events)(chosen).rename(columns={"event": "Event", "event_at": "When (UTC)", "by_user": "By"})
st.dataframe(events, hide_index=True, key="history.events")

counts = cached(history.change_counts)(chosen)
if counts:
    st.dataframe(
        pd.DataFrame([{"": k, **v} for k, v in counts.items()], columns=["", "new", "changed", "unchanged"]),
        hide_index=True,
        key="history.counts",
    )
    st.caption(
        "Compared with what earlier submissions that are still active held for the same KPI, council and "
        "month (or action and month)."
    )
observations = cached(history.observation_changes)(chosen)
if not observations.empty:
    st.markdown("**KPI values in this submission** (changed and new first)")
    observations = observations.assign(period=pd.to_datetime(observations["period"]).dt.strftime("%b %Y")).rename(
        columns={"kpi_code": "KPI", "la_code": "Council", "period": "Month", "before": "Before", "after": "This file",
                 "missing_mark": "Missing mark", "change": "Change"}
    )  # fmt: skip
    st.dataframe(observations, hide_index=True, width="stretch", key="history.obs")
ratings = cached(history.rating_changes)(chosen)
if not ratings.empty:
    st.markdown("**Ratings in this submission** (changed and new first)")
    ratings = ratings.assign(period=pd.to_datetime(ratings["period"]).dt.strftime("%b %Y")).rename(
        columns={
            "action_ref": "Action",
            "period": "Month",
            "before": "Before",
            "after": "This file",
            "change": "Change",
        }
    )
    st.dataframe(ratings, hide_index=True, width="stretch", key="history.ratings")

if row["kind"] != "settings":
    original = history.original_file(connection(), str(row["sha256"]))
    if original is not None:
        name, content = original

        def on_original_download() -> None:
            auth.log("download", f"original file of submission {chosen}", "ok", f"{name} {row['sha256']}")

        st.download_button(
            f"Download the original file ({len(content) / 1024:,.0f} KB), exactly as uploaded",
            content,
            file_name=name,
            mime="application/octet-stream",
            key="history.original",
            on_click=on_original_download,
        )


@guarded("admin", "rollback", page="history", refused="Only an admin can do that.")
def act(who: User, action: str, submission_id: int) -> None:
    """Roll back or re-apply; the role is checked again by the guard, when the click arrives."""
    actor = history.Actor(who.username, who.role)
    step = history.rollback if action == "rollback" else history.reapply
    try:
        message = step(connection(), submission_id, actor)
    except history.HistoryError as exc:
        auth.log(action, f"submission {submission_id}", "refused", exc.message)
        flash.error("history", f"{exc.title}: {exc.message}")
        return
    except history.StoreError as exc:
        auth.log(action, f"submission {submission_id}", "error", f"{type(exc).__name__}: {exc}")
        flash.error("history", "The change could not be stored; nothing changed. Details are in the audit log.")
        return
    flash.ok("history", message)


if auth.can(user, "admin") and row["kind"] != "settings":
    if row["status"] == "active":
        st.button(
            f"Roll back submission {chosen}",
            key="history.rollback",
            on_click=act,
            args=("rollback", chosen),
            help="The data returns to what it was before this submission. It stays listed and can be re-applied.",
        )
    else:
        st.button(f"Re-apply submission {chosen}", key="history.reapply", on_click=act, args=("reapply", chosen))
elif row["kind"] != "settings":
    st.caption(plain("Only an admin can roll a submission back or re-apply it."))
