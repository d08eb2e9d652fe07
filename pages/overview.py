"""Landing page: the plan's headline counts for the latest reporting period."""

import streamlit as st

from store.queries import headline, reporting_periods, setting
from ui.data import cached

periods = cached(reporting_periods)()
council = cached(setting)("council_name", "")
st.title(f"{council} Improvement Plan" if council else "Improvement Plan")
if periods.empty:
    st.info("No plan has been loaded yet.")
    st.stop()
latest = periods["period"].iloc[-1].date()
counts = cached(headline)(latest)
st.subheader(f"Position at {latest:%B %Y}")
cols = st.columns(4)
cols[0].metric("Actions in the plan excluding completed ones", counts["open"])
cols[1].metric("Dark Green", counts["dark_green"])
cols[2].metric("Completed", counts["completed"])
cols[3].metric("New, not yet rated", counts["not_rated"])
st.caption(
    f"{counts['open']} actions in the plan excluding completed ones; {counts['dark_green']} of them Dark Green "
    "(success measure met, monitored before being marked Completed)."
)
