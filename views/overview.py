"""Overview, the board's landing page: RAG by priority for two periods (the report's Table 1),
what moved, Red and Amber and overdue actions, KPI tiles, and delivery beside impact.

Everything shown is worked out once per data version and pair of periods (`ui.overview_model`);
this page only lays it out.
"""

import pandas as pd
import streamlit as st

from store.queries import reporting_periods, setting
from store.rebase import rebase_version
from store.spc_summary import spc_summary
from ui import auth, overview_model, presentation
from ui.data import cached, connection, shared
from ui.display import ACTION_COLUMNS, download, plain, show_chart
from ui.overview_model import Chart
from ui.pickers import period_pair
from ui.spc_panel import show_summary
from ui.tiles import show_tile

auth.require_viewer()

large = presentation.apply()
council = cached(setting)("council_name", "")
la_code = cached(setting)("council_code", "")
st.title(f"{council} Improvement Plan" if council else "Improvement Plan", anchor=False)
periods = cached(reporting_periods)()
if periods.empty:
    st.info("No plan has been loaded yet. Upload the improvement plan on the Upload page.")
    st.stop()

previous, current = period_pair("overview", periods)
view = shared(overview_model.build)(previous, current, la_code, large)
before, now, span = view.before, view.now, f"{previous:%Y-%m}-{current:%Y-%m}"


def chart(shown: Chart, key: str) -> None:
    show_chart(shown.figure, caption=shown.caption, table=shown.table, file_name=shown.file_name, key=key)


# ---------------------------------------------------------------- headline
counts = view.counts
st.header(
    f"{counts['open']} actions in the plan excluding completed ones; {counts['dark_green']} Dark Green",
    anchor=False,
)
cols = st.columns(6)
cols[0].metric("Open actions", counts["open"], border=True, help="Actions in the plan excluding completed ones.")
cols[1].metric("Dark Green", counts["dark_green"], border=True, help="Success measure met; being monitored.")
cols[2].metric("Completed", counts["completed"], border=True)
cols[3].metric("New, not yet rated", counts["not_rated"], border=True)
cols[4].metric("Red or Amber", len(view.red_amber), border=True)
cols[5].metric("Overdue", len(view.overdue), border=True, help="Timescale passed; not Dark Green or Completed.")
st.caption(
    f"Position at {plain(now)}. Dark Green means the success measure has been met and is being monitored "
    "before the action is marked Completed; new actions are not rated until their measures are agreed."
)

compared = view.compared
if compared is None:  # the same period twice: period_pair has said so
    st.stop()

# ---------------------------------------------------------------- RAG by priority and Table 1
st.header("RAG ratings by priority", anchor=False)
chart(compared.rag_chart, "overview.rag")
st.subheader(f"Table 1: RAG rating by priority, {before} and {now}", anchor=False)
st.table(compared.table1_shown)  # already Markdown-escaped by the model
st.caption(
    "Counts of actions by rating, as in the progress report's Table 1. Actions not yet rated "
    "(new this period) are not counted here, as in the report."
    + (f" {compared.table1_note}" if compared.table1_note else "")
)
download(compared.table1, f"table1-{span}.csv", key="overview.table1")

# ---------------------------------------------------------------- movement
st.header(f"What moved between {before} and {now}", anchor=False)
st.markdown(compared.movement_text)
left, right = st.columns([2, 3])
with left:
    chart(compared.movement_summary, "overview.movement_summary")
with right:
    chart(compared.movement_matrix, "overview.movement_matrix")
with st.expander(f"Which actions moved ({len(compared.moved)}), and which held ({compared.held})", expanded=True):
    st.dataframe(compared.moved, hide_index=True)
    download(compared.movement_listing, f"movement-{span}.csv", key="overview.movement_list")


# ---------------------------------------------------------------- Red, Amber, overdue
def action_list(title: str, actions: pd.DataFrame, none: str, caption: str, name: str) -> None:
    """A heading, then the actions with their caption and CSV, or a line saying there are none."""
    st.header(f"{title} at {now}", anchor=False)
    if actions.empty:
        st.success(f"No action is {none} at {now}.")
        return
    st.dataframe(actions, hide_index=True, column_config=ACTION_COLUMNS)
    st.caption(caption)
    download(actions, f"{name}-{current:%Y-%m}.csv", key=f"overview.{name.replace('-', '_')}")


action_list(
    "Red and Amber actions", view.red_amber, "Red or Amber",
    "Amber: progress made but the success measure is not yet met. Red: off track.", "red-amber",
)  # fmt: skip
action_list(
    "Overdue actions", view.overdue, "overdue",
    f"Overdue: the timescale passed before {now} and the action is neither Dark Green nor Completed. "
    "A timescale marked (unreadable) or (implausible) is a typo in the plan, such as 06/06 for 06/16: "
    "check it with the lead.",
    "overdue",
)  # fmt: skip

# ---------------------------------------------------------------- KPIs
st.header("Key performance indicators", anchor=False)
per_row = 3 if large else 4
for start in range(0, len(view.tiles), per_row):
    for column, tile in zip(st.columns(per_row), view.tiles[start : start + per_row], strict=False):
        with column:
            show_tile(tile)
st.caption(
    f"Latest value up to {now} for the {view.kpis_with_data} KPIs with data ({view.kpis_without_data} have none "
    f"yet); {view.kpis_off_target} are off target. The change is since the previous observation, green when it "
    "moved the right way. See KPI trends for each one over time."
)

# ---------------------------------------------------------------- delivery beside impact
st.header("Delivery beside impact", anchor=False)
if view.gaps.empty:
    st.success(f"Every action rated Dark Green or Completed at {now} has its linked KPIs on target.")
else:
    st.markdown(
        plain(
            f"{view.gap_actions} actions are rated Dark Green or Completed at {now}, but a KPI "
            "linked to them is off target or has no recent data:"
        )
    )
    st.markdown("\n".join("- " + sentence for sentence in view.gap_sentences))  # escaped by the model
    download(view.gaps, f"delivery-vs-impact-{current:%Y-%m}.csv", key="overview.delivery_impact")
if view.off_course:
    st.markdown(
        plain("At the recent rate, a KPI linked to these Dark Green or Completed actions will not reach its target:")
    )
    st.markdown("\n".join("- " + sentence for sentence in view.off_course))  # escaped by the model
st.caption(
    "An action's rating says whether it was delivered; its KPIs say whether children's outcomes changed. "
    "Where the two disagree, ask the lead why."
)

# ---------------------------------------------------------------- SPC
st.header("Making Data Count summary", anchor=False)
show_summary(
    cached(spc_summary)(la_code, current, rebase_version(connection())),
    key="overview.spc", council=council or "this council", table=False,
)  # fmt: skip
