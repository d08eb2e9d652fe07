"""Plan explorer: every action, filtered by priority, rating, lead, Ofsted recommendation, overdue,
new and free text; an action's full record, its RAG history and the KPIs that evidence it."""

import streamlit as st

from charts.rag import rag_timeline
from domain.rag import RAG_CODES, RAG_LABELS, rating_text
from reports.tables import actions_table, timeline_table
from store.plan_queries import (
    action_detail,
    action_kpis,
    explore_actions,
    kpi_series,
    lead_options,
    ofsted_options,
    priorities,
    rating_history,
)
from store.queries import reporting_periods, setting
from ui import auth, presentation
from ui.data import cached
from ui.display import ACTION_COLUMNS, download, kpi_chart, plain, show_chart
from ui.figure_cache import figure, memo
from ui.pickers import period_labels, single_period

auth.require_viewer()

large = presentation.apply()
st.title("Plan explorer", anchor=False)
periods = cached(reporting_periods)()
if periods.empty:
    st.info("No plan has been loaded yet.")
    st.stop()
la_code = cached(setting)("council_code", "")
heads = cached(priorities)()
titles = {int(p): f"{p}. {t}" for p, t in zip(heads["priority"], heads["title"], strict=True)}

top = st.columns([1, 2, 2])
with top[0]:
    period = single_period("explorer", periods)
now = period_labels(periods)[period]
chosen_priorities = top[1].multiselect(
    "Priority", list(titles), format_func=titles.__getitem__, key="explorer.priority", placeholder="Any priority"
)
chosen_ratings = top[2].multiselect(
    "Rating", list(RAG_CODES), format_func=RAG_LABELS.__getitem__, key="explorer.rating", placeholder="Any rating"
)
row = st.columns([2, 2, 1, 1])
chosen_leads = row[0].multiselect("Lead", cached(lead_options)(), key="explorer.lead", placeholder="Any lead")
chosen_ofsted = row[1].multiselect(
    "Ofsted recommendation", cached(ofsted_options)(), key="explorer.ofsted", placeholder="Any recommendation"
)
overdue_only = row[2].checkbox(
    "Overdue only", key="explorer.overdue", help="Timescale passed; not Dark Green or Completed."
)
new_only = row[3].checkbox("New actions only", key="explorer.new")
search = st.text_input(
    "Search actions and success measures", key="explorer.search", placeholder="e.g. return interview, caseload"
)

everything = cached(explore_actions)(period)
found = cached(explore_actions)(
    period,
    tuple(chosen_priorities),
    tuple(chosen_ratings),
    tuple(chosen_leads),
    tuple(chosen_ofsted),
    overdue_only,
    new_only,
    search,
)
st.header(f"{len(found)} of {len(everything)} actions at {now}", anchor=False)
table = memo(actions_table, found)
refs = list(everything["action_ref"])
if "explorer.action" not in st.session_state and st.query_params.get("action") in refs:
    st.session_state["explorer.action"] = st.query_params["action"]  # a link straight to one action
if "explorer.action" in st.session_state and st.session_state["explorer.action"] not in refs:
    del st.session_state["explorer.action"]


def _open_selected() -> None:
    rows = st.session_state["explorer.table"].selection.rows
    if rows:
        st.session_state["explorer.action"] = table["Action"].iloc[rows[0]]


st.dataframe(
    table,
    hide_index=True,
    column_config=ACTION_COLUMNS,
    key="explorer.table",
    on_select=_open_selected,
    selection_mode="single-row",
)
st.caption(
    "Select a row to see the action in full below. Timescales marked (unreadable) or (implausible) are typos "
    "in the plan, shown as written."
)
download(table, f"plan-actions-{period:%Y-%m}.csv", key="explorer.actions")

# ---------------------------------------------------------------- action detail
st.header("Action detail", anchor=False)
descriptions = dict(zip(everything["action_ref"], everything["description"].fillna(""), strict=True))
ref = st.selectbox(
    "Action",
    refs,
    index=None,
    format_func=lambda r: f"{r} — {descriptions[r][:90]}",
    key="explorer.action",
    placeholder="Choose an action, or select a row above",
)
if ref is None:
    if "action" in st.query_params:
        del st.query_params["action"]
    st.stop()
st.query_params["action"] = ref
detail = cached(action_detail)(ref).iloc[0]
rating = everything.loc[everything["action_ref"] == ref, "rating"].iloc[0]
st.subheader(f"Action {ref}: {rating_text(rating)} at {now}", anchor=False)
facts = st.columns(4)
facts[0].markdown("**Priority**  \n" + plain(titles.get(int(detail["priority"]), detail["priority"])))
facts[1].markdown("**Lead**  \n" + plain(detail["lead"] or "Not recorded"))
timescale = detail["timescale_text"] or "Not recorded"
facts[2].markdown("**Timescale**  \n" + plain(timescale))
facts[3].markdown("**Ofsted recommendation**  \n" + plain(detail["ofsted_ref"] or "None"))
if detail["timescale_flag"]:
    st.warning(
        f"The timescale is written '{plain(timescale)}', which is {plain(detail['timescale_flag'])} as a month: "
        "check it with the lead before relying on whether this action is overdue."
    )
st.markdown("**What will be done**")
st.markdown(plain(detail["description"] or "Not recorded"))
st.markdown("**Success measure**")
st.markdown(plain(detail["success_measures"] or "Not recorded"))
if detail["note"]:
    st.caption("Note on the data: " + plain(detail["note"]))

history = cached(rating_history)(ref)
show_chart(
    figure(rag_timeline, history, large=large),
    caption=f"Action {ref}'s rating at every recorded review, oldest on the left; higher up the scale is better.",
    table=memo(timeline_table, history),
    file_name=f"rating-history-{ref}.csv",
    key="explorer.timeline",
)

st.subheader("KPIs linked to this action", anchor=False)
linked = cached(action_kpis)(ref, la_code)
if linked.empty:
    st.info(f"No KPI is linked to action {ref} in the KPI catalogue.")
for _, kpi in linked.iterrows():
    series = cached(kpi_series)(kpi["kpi_code"], la_code)
    kpi_chart(kpi, series, key=f"explorer.kpi.{kpi['kpi_code']}", large=large)
