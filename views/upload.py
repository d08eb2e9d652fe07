"""Upload: download a template, check a file, see every problem, preview what it changes, confirm.

Nothing is stored until the uploader confirms; the file is read in a separate, limited process.
"""

from __future__ import annotations

from datetime import date

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from charts.upload import compared, comparison_table, coverage, coverage_table, file_against_stored
from loaders import isolated
from reports import templates
from reports.safe_text import to_safe_csv
from store.plan_queries import kpi_coverage, kpi_series, kpi_status
from store.queries import catalogue, setting
from ui import auth, flash, upload_preview
from ui.data import cached, connection, data_version
from ui.display import kpi_chart, plain, show_chart
from ui.figure_cache import figure
from ui.upload_flow import MAX_UPLOAD_MB, PAGE, File, Stored, UploadFlow, month_choices

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
flash.show(PAGE, notice)


def show_stored(where: DeltaGenerator, done: Stored) -> None:
    """The stored file's message, the first stored KPI of this council charted as every page now
    shows it, and links to the KPIs it stored on KPI trends."""
    with where:
        st.success(done.message)
        ours = [code for code, _, council in done.kpis if council == la_code]
        shown = cached(kpi_status)(la_code, None, ours[0]) if ours else None
        if shown is not None and not shown.empty:
            kpi = shown.iloc[0]
            kpi_chart(kpi, cached(kpi_series)(kpi["kpi_code"], la_code), key="upload.stored", large=False)
        for code, name, _ in done.kpis:
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


flow = UploadFlow()
uploaded = st.file_uploader(
    "Plan tracker or KPI return", type=["xlsx", "csv"], key=flow.file_key, max_upload_size=MAX_UPLOAD_MB
)
if uploaded is None:
    if flow.last_stored is not None:  # kept until the next file is chosen
        show_stored(notice, flow.last_stored)
    else:
        show_coverage()
    st.stop()
flow.file_chosen()
file = File(uploaded.getvalue(), uploaded.name)
flow.check_size(file)

needed = flow.months_needed(file)
months: dict[str, date] = {}
if needed:
    st.header("Which months are these ratings for?")
    st.write("This plan tracker heads its RAG columns without months. Choose the month each column records.")
    choices = month_choices(date.today())
    for index, heading in enumerate(needed):
        month = st.selectbox(
            heading, choices, index=None, format_func=lambda d: f"{d:%B %Y}", key=f"upload.month.{file.short}.{index}"
        )
        if month is not None:
            months[heading] = month
    if len(months) < len(needed):
        st.stop()

known = cached(catalogue)()
parsed = flow.checked(file, months, known, la_code)

st.header("Validation report")
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
        file_name=f"problems-{file.name}.csv",
        mime="text/csv",
        key="upload.report",
        on_click=auth.log,
        args=("download", f"validation report for {file.name}", "ok"),
    )
if errors:
    st.stop()

found = flow.preview(conn, parsed, data_version())
st.header("What this file would change")
st.table(upload_preview.totals(found))

names = upload_preview.kpi_names(parsed, known)
if not found.observations.empty:
    by_kpi = upload_preview.kpi_summary(found, names)
    st.markdown(f"**KPI values by KPI** ({len(by_kpi):,} KPIs in this file)")
    st.dataframe(by_kpi, hide_index=True, width="stretch", key="upload.kpi_summary")
    total = sum(found.counts["observations"].values())
    st.markdown(upload_preview.shown_of(found.observations, total, "KPI values"))
    st.dataframe(upload_preview.value_rows(found, names), hide_index=True, width="stretch", key="upload.kpi_preview")
if not found.ratings.empty:
    total = sum(found.counts["ratings"].values())
    st.markdown(upload_preview.shown_of(found.ratings, total, "Ratings"))
    st.dataframe(upload_preview.rating_rows(found), hide_index=True, width="stretch", key="upload.rag_preview")
if not (found.observations.empty and found.ratings.empty):
    st.download_button(
        "Download the whole preview (CSV)",
        lambda: flow.full_preview(parsed, names),
        file_name=f"preview-{file.name}.csv",
        mime="text/csv",
        key="upload.preview_csv",
        on_click=auth.log,
        args=("download", f"preview of {file.name}", "ok"),
    )

if parsed.kpi is not None and not found.observations_by_kpi.empty:
    st.markdown("**Check a KPI's figures** against what is stored before you confirm")
    pairs = upload_preview.kpis_in_file(found)
    pick = st.selectbox(
        "KPI to check",
        range(len(pairs)),
        format_func=lambda i: f"{names.get(pairs[i][0], pairs[i][0])} (council {pairs[i][1]})",
        key=f"upload.check.{file.short}",
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

if not found.any:
    st.info("Every value in this file already matches what is stored; there is nothing to store.")
    st.stop()

st.text_input("Note for the history (optional)", key="upload.note", max_chars=500)
st.button(
    "Confirm and store this file",
    type="primary",
    key="upload.confirm",
    on_click=flow.confirm,
    args=(file, parsed, names, upload_preview.kpis_in_file(found)),  # KPIs changed first, then new
)
