"""Upload: download a template, check a file, see every problem, preview what it changes, confirm.

Nothing is stored until the uploader confirms; the file is read in a separate, limited process.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from charts.upload import compared, comparison_table, coverage, coverage_table, file_against_stored
from loaders import isolated
from loaders.problems import LoaderError
from reports import templates
from reports.safe_text import to_safe_csv
from store import history
from store.plan_queries import kpi_coverage, kpi_series, kpi_status
from store.queries import catalogue, setting
from store.writes import Changes, changes
from ui import auth, upload_preview
from ui.data import cached, connection, data_version
from ui.display import kpi_chart, plain, show_chart
from ui.figure_cache import figure

MAX_UPLOAD_MB = 50
user = auth.require_role("uploader")
conn = connection()
isolated.warm_up_in_background()  # usually already started at sign-in (dashboard.py)
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

notice = st.container()  # above the file box: what the last confirm did
for text in st.session_state.pop("upload.flash", []):
    notice.error(text)


def show_stored(where: DeltaGenerator, done: dict[str, Any]) -> None:
    """The stored file's message, the first stored KPI of this council charted as every page now
    shows it, and links to the KPIs it stored on KPI trends."""
    with where:
        st.success(done["message"])
        ours = [code for code, _, council in done["kpis"] if council == la_code]
        shown = cached(kpi_status)(la_code, None, ours[0]) if ours else None
        if shown is not None and not shown.empty:
            kpi = shown.iloc[0]
            kpi_chart(kpi, cached(kpi_series)(kpi["kpi_code"], la_code), key="upload.stored", large=False)
        for code, name, _ in done["kpis"]:
            st.page_link(
                "views/kpi_trends.py", label=f"See {plain(name)} on KPI trends", icon=":material/show_chart:",
                query_params={"kpi": code},
            )  # fmt: skip


def show_coverage() -> None:
    """What is stored for this council month by month: which months still need a return."""
    months = cached(kpi_coverage)(la_code)
    if months.empty:
        return
    council = cached(setting)("council_name", "") or "this council"
    show_chart(
        figure(coverage, months),
        caption=(
            f"For {council}: how many of the {int(months['of'].max())} KPIs known have a value in each of the "
            f"latest {len(months)} months with any. A short bar is a month whose returns are not all in yet."
        ),
        table=coverage_table(months),
        file_name="kpi-values-by-month.csv",
        key="upload.coverage",
    )


generation = st.session_state.setdefault("upload.generation", 0)
uploaded = st.file_uploader(
    "Plan tracker or KPI return", type=["xlsx", "csv"], key=f"upload.file.{generation}", max_upload_size=MAX_UPLOAD_MB
)
done: dict[str, Any] | None = st.session_state.get("upload.done")
if uploaded is None:
    if done is not None:  # kept until the next file is chosen
        show_stored(notice, done)
    else:
        show_coverage()
    st.stop()
st.session_state.pop("upload.done", None)
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


st.subheader("Validation report")
errors, warnings = len(parsed.problems.errors), len(parsed.problems.warnings)
if errors:
    st.error(f"{errors} problem(s) must be fixed before this file can be stored; nothing has been stored.")
elif warnings:
    st.warning(f"No errors. {warnings} warning(s): the file can be stored, but please read them.")
else:
    st.success("No problems found.")
if errors or warnings:
    report = upload_preview.problem_table(parsed)
    st.dataframe(report, hide_index=True, width="stretch")
    st.download_button(
        "Download the validation report (CSV)",
        to_safe_csv(report),
        file_name=f"problems-{file_name}.csv",
        mime="text/csv",
        key="upload.report",
        on_click=auth.log,
        args=("download", f"validation report for {file_name}", "ok"),
    )
if errors:
    st.stop()


preview_key = (state_key, data_version())
if st.session_state.get("upload.preview_key") != preview_key:  # recomputed when the file or the data change
    st.session_state["upload.preview"] = changes(conn, parsed)
    st.session_state["upload.preview_key"] = preview_key
found: Changes = st.session_state["upload.preview"]
st.subheader("What this file would change")
st.table(upload_preview.totals(found))


def full_preview() -> bytes:
    """Every value and rating the file holds beside what is stored, built only when downloaded."""
    return to_safe_csv(upload_preview.every_row(changes(connection(), parsed, limit=None), names))


def shown_of(rows: pd.DataFrame, total: int, what: str) -> str:
    if len(rows) < total:
        return f"**{what}**: the first {len(rows):,} of {total:,}, changed and new first (download them all below)"
    return f"**{what}** (changed and new first)"


known = cached(catalogue)()
names = upload_preview.kpi_names(parsed, known)
if not found.observations.empty:
    by_kpi = upload_preview.kpi_summary(found, names)
    st.markdown(f"**KPI values by KPI** ({len(by_kpi):,} KPIs in this file)")
    st.dataframe(by_kpi, hide_index=True, width="stretch", key="upload.kpi_summary")
    total = sum(found.counts["observations"].values())
    st.markdown(shown_of(found.observations, total, "KPI values"))
    st.dataframe(upload_preview.value_rows(found, names), hide_index=True, width="stretch", key="upload.kpi_preview")
if not found.ratings.empty:
    total = sum(found.counts["ratings"].values())
    st.markdown(shown_of(found.ratings, total, "Ratings"))
    st.dataframe(upload_preview.rating_rows(found), hide_index=True, width="stretch", key="upload.rag_preview")
if not (found.observations.empty and found.ratings.empty):
    st.download_button(
        "Download the whole preview (CSV)",
        full_preview,
        file_name=f"preview-{file_name}.csv",
        mime="text/csv",
        key="upload.preview_csv",
        on_click=auth.log,
        args=("download", f"preview of {file_name}", "ok"),
    )

if parsed.kpi is not None and not found.observations_by_kpi.empty:
    st.markdown("**Check a KPI's figures** against what is stored before you confirm")
    pairs = upload_preview.kpis_in_file(found)
    pick = st.selectbox(
        "KPI to check",
        range(len(pairs)),
        format_func=lambda i: f"{names.get(pairs[i][0], pairs[i][0])} (council {pairs[i][1]})",
        key=f"upload.check.{sha[:12]}",
    )
    code, council = pairs[pick or 0]
    unit = upload_preview.unit_of(parsed, known, code)
    rows = compared(cached(kpi_series)(code, council), upload_preview.incoming_series(parsed, code, council))
    show_chart(
        figure(file_against_stored, rows, name=names.get(code, code), unit=unit),
        caption=(
            "The grey line is what is stored now; blue diamonds are this file's values; an orange cross is a "
            "month this file would change (hover to see the old value). A value in the wrong units shows as a cliff."
        ),
        table=comparison_table(rows, unit),
        file_name=f"check-{code}-{council}.csv",
        key="upload.check",
    )

found_kpis = upload_preview.kpis_in_file(found)  # changed first, then new
if not found.any:
    st.info("Every value in this file already matches what is stored; there is nothing to store.")
    st.stop()


def confirm() -> None:
    """Store the checked file. Runs before the next rerun, so the role is checked again here."""
    who = auth.current_user()
    if not auth.can(who, "uploader") or who is None:
        st.session_state["upload.flash"] = ["You are no longer allowed to upload; nothing was stored."]
        return
    note = st.session_state.get("upload.note", "")
    try:
        outcome = history.store_upload(connection(), parsed, raw, history.Actor(who.username, who.role), note)
    except history.HistoryError as exc:
        auth.log("upload", file_name, "busy", exc.message)
        st.session_state["upload.flash"] = [f"{exc.title}: {exc.message}"]
        return
    except history.StoreError as exc:
        auth.log("upload", file_name, "error", f"{type(exc).__name__}: {exc}")
        st.session_state["upload.flash"] = [
            "The file could not be stored: the database refused the write, so nothing was stored. "
            "Try again; if it happens again, tell your admin (details are in the audit log)."
        ]
        return
    if outcome.status == "stored":
        stored = list({code: (code, names.get(code, code), council) for code, council in found_kpis}.values())
        st.session_state["upload.done"] = {
            "message": outcome.message + " Every page now shows the new data.",
            "kpis": stored[:3],
        }
    else:  # a duplicate or no change after all (another upload landed first): said, and the file cleared
        st.session_state["upload.flash"] = [outcome.message]
    st.session_state["upload.generation"] = st.session_state.get("upload.generation", 0) + 1
    for key in ("upload.parsed_key", "upload.parsed", "upload.preview_key", "upload.preview"):
        st.session_state.pop(key, None)


st.text_input("Note for the history (optional)", key="upload.note", max_chars=500)
st.button("Confirm and store this file", type="primary", key="upload.confirm", on_click=confirm)
