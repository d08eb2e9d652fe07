"""Upload: download a template, check a file, see every problem, preview what it changes, confirm.

Nothing is stored until the uploader confirms; the file is read in a separate, limited process.
"""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import streamlit as st

from loaders import isolated
from loaders.model import Parsed
from loaders.problems import LoaderError
from reports import templates
from reports.safe_text import to_safe_csv
from store import history
from store.queries import catalogue, setting
from store.writes import Changes, changes
from ui import auth
from ui.data import cached, connection, data_version
from ui.widgets import plain

MAX_UPLOAD_MB = 50
user = auth.require_role("uploader")
conn = connection()
isolated.warm_up()
st.title("Upload the month's data")
st.caption(
    "Upload a plan tracker (the re-rated plan) or a KPI return, as .xlsx or .csv. The file is checked "
    "and you see what it would change before anything is stored."
)

la_code = cached(setting)("council_code", "")
with st.expander("Blank templates, built from the current plan and KPI list"):
    cols = st.columns(3)
    # Built only when clicked: a template is not worth rebuilding on every rerun.
    cols[0].download_button(
        "Plan tracker", lambda: templates.plan_template(connection()), file_name="plan-tracker.xlsx",
        key="upload.template.plan", on_click="ignore",
    )  # fmt: skip
    cols[1].download_button(
        "KPI return, a row per KPI and month", lambda: templates.kpi_long_template(connection(), la_code),
        file_name="kpi-return-long.xlsx", key="upload.template.long", on_click="ignore",
    )  # fmt: skip
    cols[2].download_button(
        "KPI return, a column per month", lambda: templates.kpi_wide_template(connection()),
        file_name="kpi-return-wide.xlsx", key="upload.template.wide", on_click="ignore",
    )  # fmt: skip

for kind, text in st.session_state.pop("upload.flash", []):
    (st.success if kind == "ok" else st.error)(text)

generation = st.session_state.setdefault("upload.generation", 0)
uploaded = st.file_uploader(
    "Plan tracker or KPI return", type=["xlsx", "csv"], key=f"upload.file.{generation}", max_upload_size=MAX_UPLOAD_MB
)
if uploaded is None:
    st.stop()
raw = uploaded.getvalue()
file_name = uploaded.name


def refuse(title: str, message: str, detail: str = "") -> None:
    auth.log("upload_refused", file_name, "refused", f"{title}: {message} {detail}".strip())
    st.error(f"**{plain(title)}**: {plain(message)}")
    st.stop()


if len(raw) > MAX_UPLOAD_MB * 1024**2:
    refuse("File too large", f"the file is {len(raw) / 1024**2:.0f} MB; the limit is {MAX_UPLOAD_MB} MB.")

sha = hashlib.sha256(raw).hexdigest()
needed: list[str] = st.session_state.get(f"upload.needs.{sha}", [])
months: dict[str, date] = {}
if needed:
    st.subheader("Which months are these ratings for?")
    st.write("This plan tracker heads its RAG columns without months. Choose the month each column records.")
    today = date.today()
    choices = [date(y, m, 1) for y in range(today.year + 1, 2009, -1) for m in range(12, 0, -1)]
    choices = [c for c in choices if c <= date(today.year, today.month, 1)]
    for index, heading in enumerate(needed):
        month = st.selectbox(
            heading, choices, index=None, format_func=lambda d: f"{d:%B %Y}", key=f"upload.month.{sha[:12]}.{index}"
        )
        if month is not None:
            months[heading] = month
    if len(months) < len(needed):
        st.stop()

state_key = (sha, tuple(sorted((k, v.isoformat()) for k, v in months.items())))
if st.session_state.get("upload.parsed_key") != state_key:
    with st.spinner("Checking the file…"):
        try:
            parsed = isolated.parse(
                raw,
                file_name,
                rag_months=months or None,
                catalogue=cached(catalogue)(),
                default_la=la_code,
            )
        except LoaderError as exc:
            st.session_state.pop("upload.parsed_key", None)
            refuse(exc.title, exc.message, getattr(exc, "detail", ""))
    st.session_state["upload.parsed_key"] = state_key
    st.session_state["upload.parsed"] = parsed
    if not parsed.ok:
        auth.log("upload_checked", file_name, "rejected", f"{len(parsed.problems.errors)} errors; {sha}")
    missing = [p.column for p in parsed.problems.errors if p.code == "plan.rag_month_needed"]
    if missing and not needed:
        st.session_state[f"upload.needs.{sha}"] = list(dict.fromkeys(missing))
        st.rerun()
parsed = st.session_state["upload.parsed"]


def problem_table(found: Parsed) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Severity": p.severity,
                "Sheet": p.sheet,
                "Row": p.row,
                "Column": p.column,
                "Cell": p.cell,
                "Problem": p.message,
                "Found": p.found,
                "Expected": p.expected,
                "Code": p.code,
            }
            for p in found.problems.items
        ],
        columns=["Severity", "Sheet", "Row", "Column", "Cell", "Problem", "Found", "Expected", "Code"],
    )


def on_report_download() -> None:
    auth.log("download", f"validation report for {file_name}", "ok")


st.subheader("Validation report")
errors, warnings = len(parsed.problems.errors), len(parsed.problems.warnings)
if errors:
    st.error(f"{errors} problem(s) must be fixed before this file can be stored; nothing has been stored.")
elif warnings:
    st.warning(f"No errors. {warnings} warning(s): the file can be stored, but please read them.")
else:
    st.success("No problems found.")
if errors or warnings:
    report = problem_table(parsed)
    st.dataframe(report, hide_index=True, width="stretch")
    st.download_button(
        "Download the validation report (CSV)",
        to_safe_csv(report),
        file_name=f"problems-{file_name}.csv",
        mime="text/csv",
        key="upload.report",
        on_click=on_report_download,
    )
if errors:
    st.stop()


@st.cache_data(show_spinner=False, max_entries=8)
def preview(_parsed: Parsed, key: tuple[object, ...], version: int) -> Changes:
    """What the file would change, recomputed only when the file, the months or the data change."""
    del key, version
    return changes(connection(), _parsed)


found = preview(parsed, state_key, data_version())
st.subheader("What this file would change")
labels = {"observations": "KPI values", "ratings": "Ratings", "actions": "Actions", "kpis": "KPI definitions",
          "priorities": "Priorities"}  # fmt: skip
totals = pd.DataFrame(
    [{"": labels.get(kind, kind), **count} for kind, count in found.counts.items()],
    columns=["", "new", "changed", "unchanged"],
)
st.table(totals.set_index(""))

if not found.observations.empty:
    names = {code: kpi["name"] for code, kpi in cached(catalogue)().kpis.items()}
    if parsed.kpi is not None:
        names.update(dict(zip(parsed.kpi.kpis["kpi_code"], parsed.kpi.kpis["name"], strict=True)))
    table = found.observations.assign(
        KPI=found.observations["kpi_code"].map(names).fillna(found.observations["kpi_code"]),
        Month=pd.to_datetime(found.observations["period"]).dt.strftime("%b %Y"),
    )
    table = table[["KPI", "la_code", "Month", "old_value", "new_value", "change"]].rename(
        columns={"la_code": "Council", "old_value": "Now", "new_value": "In this file", "change": "Change"}
    )
    st.markdown("**KPI values** (changed and new first)")
    st.dataframe(table, hide_index=True, width="stretch", key="upload.kpi_preview")
if not found.ratings.empty:
    ratings = found.ratings.assign(Month=pd.to_datetime(found.ratings["period"]).dt.strftime("%b %Y"))
    ratings = ratings[["action_ref", "Month", "old_rating", "new_rating", "change"]].rename(
        columns={"action_ref": "Action", "old_rating": "Now", "new_rating": "In this file", "change": "Change"}
    )
    order = ratings["Change"].map({"changed": 0, "new": 1, "unchanged": 2})
    st.markdown("**Ratings** (changed and new first)")
    st.dataframe(ratings.iloc[order.argsort(kind="stable")], hide_index=True, width="stretch", key="upload.rag_preview")

if not found.any:
    st.info("Every value in this file already matches what is stored; there is nothing to store.")
    st.stop()


def confirm() -> None:
    """Store the checked file. Runs before the next rerun, so the role is checked again here."""
    who = auth.current_user()
    if not auth.can(who, "uploader") or who is None:
        st.session_state["upload.flash"] = [("error", "You are no longer allowed to upload; nothing was stored.")]
        return
    note = st.session_state.get("upload.note", "")
    try:
        outcome = history.store_upload(connection(), parsed, raw, history.Actor(who.username, who.role), note)
    except history.HistoryError as exc:
        auth.log("upload", file_name, "busy", exc.message)
        st.session_state["upload.flash"] = [("error", f"{exc.title}: {exc.message}")]
        return
    except history.StoreError as exc:
        auth.log("upload", file_name, "error", f"{type(exc).__name__}: {exc}")
        st.session_state["upload.flash"] = [
            ("error", "The file could not be stored: the database refused the write, so nothing was stored. "
                      "Try again; if it happens again, tell your admin (details are in the audit log).")
        ]  # fmt: skip
        return
    kind = "ok" if outcome.status == "stored" else "error"
    st.session_state["upload.flash"] = [
        (kind, outcome.message + (" Every page now shows the new data." if kind == "ok" else ""))
    ]
    st.session_state["upload.generation"] = st.session_state.get("upload.generation", 0) + 1
    st.session_state.pop("upload.parsed_key", None)
    st.session_state.pop("upload.parsed", None)


st.text_input("Note for the history (optional)", key="upload.note", max_chars=500)
st.button("Confirm and store this file", type="primary", key="upload.confirm", on_click=confirm)
