"""Overview, the board's landing page: RAG by priority for two periods (the report's Table 1),
what moved, Red and Amber and overdue actions, KPI tiles, and delivery beside impact."""

import pandas as pd
import streamlit as st

from charts.rag import (
    movement_cells,
    movement_matrix,
    movement_summary,
    movement_table,
    rag_by_priority,
    rag_counts_table,
)
from charts.style import RAG_LABELS
from store.plan_queries import overview, table1
from store.queries import reporting_periods, setting
from ui import auth, presentation
from ui.data import cached
from ui.widgets import (
    ACTION_COLUMNS,
    actions_table,
    delivery_sentences,
    download,
    figure,
    kpi_tile,
    memo,
    period_labels,
    period_pair,
    plain,
    show_chart,
    static_table,
)

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
labels = period_labels(periods)
before, now = labels[previous], labels[current]

# ---------------------------------------------------------------- headline
data = cached(overview)(previous, current, la_code)
counts, red_amber, overdue = data["headline"], data["red_amber"], data["overdue"]
st.subheader(
    f"{counts['open']} actions in the plan excluding completed ones; {counts['dark_green']} Dark Green",
    anchor=False,
)
cols = st.columns(6)
cols[0].metric("Open actions", counts["open"], border=True, help="Actions in the plan excluding completed ones.")
cols[1].metric("Dark Green", counts["dark_green"], border=True, help="Success measure met; being monitored.")
cols[2].metric("Completed", counts["completed"], border=True)
cols[3].metric("New, not yet rated", counts["not_rated"], border=True)
cols[4].metric("Red or Amber", len(red_amber), border=True)
cols[5].metric("Overdue", len(overdue), border=True, help="Timescale passed; not Dark Green or Completed.")
st.caption(
    f"Position at {plain(now)}. Dark Green means the success measure has been met and is being monitored "
    "before the action is marked Completed; new actions are not rated until their measures are agreed."
)

if previous == current:
    st.stop()

# ---------------------------------------------------------------- RAG by priority and Table 1
st.header("RAG ratings by priority", anchor=False)
chart_counts = data["chart_counts"]
table = memo(table1, data["rag_table"], before, now)
totals = table.iloc[-1]
show_chart(
    figure(rag_by_priority, chart_counts, labels, large=large),
    caption=(
        f"Each priority has two bars: {before} above {now}. Segments run Red, Amber, Light Green, Dark Green, "
        f"Completed (then New, not yet rated) and are labelled with the rating and the number of actions; "
        f"the figure at the end of each bar is its total. Dark Green went from {totals[f'Dark Green {before}']} "
        f"to {totals[f'Dark Green {now}']} and Completed from {totals[f'Completed {before}']} "
        f"to {totals[f'Completed {now}']}."
    ),
    table=memo(rag_counts_table, chart_counts),
    file_name=f"rag-by-priority-{previous:%Y-%m}-{current:%Y-%m}.csv",
    key="overview.rag",
)
st.subheader(f"Table 1: RAG rating by priority, {before} and {now}", anchor=False)
shown = table.set_index("Priority")
shown.columns = pd.MultiIndex.from_tuples(
    [(name, label) for name in RAG_LABELS.values() if name != "New (TBC)" for label in (before, now)]
)
static_table(shown)
st.caption(
    "Counts of actions by rating, as in the progress report's Table 1. Actions not yet rated "
    "(new this period) are not counted here, as in the report."
)
download(table, f"table1-{previous:%Y-%m}-{current:%Y-%m}.csv", key="overview.table1")

# ---------------------------------------------------------------- movement
st.header(f"What moved between {before} and {now}", anchor=False)
moves = data["movement"]
tally = moves["movement"].value_counts()
st.markdown(
    plain("; ".join(f"{int(n)} {m}" for m, n in tally.items()) + "." if len(tally) else "No actions in either period.")
)
left, right = st.columns([2, 3])
with left:
    show_chart(
        figure(movement_summary, moves, large=large),
        caption=(
            "How many actions improved (moved up the scale Red, Amber, Light Green, Dark Green, Completed), "
            "held their rating, slipped back, were completed, or were rated for the first time."
        ),
        table=tally.rename_axis("Movement").rename("Actions").reset_index(),
        file_name=f"movement-summary-{previous:%Y-%m}-{current:%Y-%m}.csv",
        key="overview.movement_summary",
    )
with right:
    show_chart(
        figure(movement_matrix, moves, before, now, large=large),
        caption=(
            f"Rows are the rating in {before}, columns the rating in {now}. Numbers marked ▲ (blue) improved, "
            "▼ (orange) slipped; the grey diagonal held its rating."
        ),
        table=memo(movement_cells, moves).rename(
            columns={"from_code": f"Rating {before}", "to_code": f"Rating {now}", "actions": "Actions"}
        ),
        file_name=f"movement-matrix-{previous:%Y-%m}-{current:%Y-%m}.csv",
        key="overview.movement_matrix",
    )
moved = moves[moves["movement"] != "held"]
listing = memo(movement_table, moves, before, now)
with st.expander(f"Which actions moved ({len(moved)}), and which held ({len(moves) - len(moved)})", expanded=True):
    st.dataframe(listing[listing["Movement"] != "held"], hide_index=True)
    download(listing, f"movement-{previous:%Y-%m}-{current:%Y-%m}.csv", key="overview.movement_list")

# ---------------------------------------------------------------- Red, Amber, overdue
st.header(f"Red and Amber actions at {now}", anchor=False)
red_amber_table, overdue_table = memo(actions_table, red_amber), memo(actions_table, overdue)
if red_amber.empty:
    st.success(f"No action is Red or Amber at {now}.")
else:
    st.dataframe(red_amber_table, hide_index=True, column_config=ACTION_COLUMNS)
    st.caption("Amber: progress made but the success measure is not yet met. Red: off track.")
    download(red_amber_table, f"red-amber-{current:%Y-%m}.csv", key="overview.red_amber")

st.header(f"Overdue actions at {now}", anchor=False)
if overdue.empty:
    st.success(f"No action is overdue at {now}.")
else:
    st.dataframe(overdue_table, hide_index=True, column_config=ACTION_COLUMNS)
    st.caption(
        f"Overdue: the timescale passed before {now} and the action is neither Dark Green nor Completed. "
        "A timescale marked (unreadable) or (implausible) is a typo in the plan, such as 06/06 for 06/16: "
        "check it with the lead."
    )
    download(overdue_table, f"overdue-{current:%Y-%m}.csv", key="overview.overdue")

# ---------------------------------------------------------------- KPIs
st.header("Key performance indicators", anchor=False)
status = data["kpi_status"]
with_data = status[status["latest_value"].notna()]
per_row = 3 if large else 4
for start in range(0, len(with_data), per_row):
    for column, (_, row) in zip(st.columns(per_row), with_data.iloc[start : start + per_row].iterrows(), strict=False):
        with column:
            kpi_tile(row)
off = with_data[with_data["on_target"].astype("boolean").eq(False).fillna(False).astype(bool)]
st.caption(
    f"Latest value up to {now} for the {len(with_data)} KPIs with data ({len(status) - len(with_data)} have none yet); "
    f"{len(off)} are off target. The change is since the previous observation, green when it moved the right way. "
    "See KPI trends for each one over time."
)

# ---------------------------------------------------------------- delivery beside impact
st.header("Delivery beside impact", anchor=False)
gaps = data["delivery_vs_impact"]
if gaps.empty:
    st.success(f"Every action rated Dark Green or Completed at {now} has its linked KPIs on target.")
else:
    st.markdown(
        plain(
            f"{gaps['action_ref'].nunique()} actions are rated Dark Green or Completed at {now}, but a KPI "
            "linked to them is off target or has no recent data:"
        )
    )
    st.markdown("\n".join("- " + plain(sentence) for sentence in memo(delivery_sentences, gaps)))
    shown_gaps = gaps[
        ["action_ref", "rating", "kpi_code", "name", "latest_value", "latest_period", "target", "concern"]
    ]
    download(shown_gaps, f"delivery-vs-impact-{current:%Y-%m}.csv", key="overview.delivery_impact")
st.caption(
    "An action's rating says whether it was delivered; its KPIs say whether children's outcomes changed. "
    "Where the two disagree, ask the lead why."
)
