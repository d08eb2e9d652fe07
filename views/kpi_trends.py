"""KPI trends: each KPI against its target over time, with its numbers; or all KPIs at once."""

import streamlit as st

from charts.kpi import kpi_small_multiples
from reports.tables import actions_table, benchmark_lines, kpi_status_table
from store.benchmark_queries import kpi_benchmarks
from store.plan_queries import explore_actions, kpi_series, kpi_series_all, kpi_status
from store.queries import reporting_periods, setting
from ui import auth, presentation
from ui.data import cached
from ui.display import ACTION_COLUMNS, kpi_chart, plain, show_chart
from ui.figure_cache import figure, memo
from ui.tiles import kpi_tile

auth.require_viewer()

ONE, ALL = "One KPI at a time", "All KPIs on one screen"

large = presentation.apply()
st.title("KPI trends", anchor=False)
la_code = cached(setting)("council_code", "")
council = cached(setting)("council_name", "") or "this council"
status = cached(kpi_status)(la_code)
if status.empty:
    st.info("No KPIs have been loaded yet.")
    st.stop()
view = st.segmented_control("View", [ONE, ALL], default=ONE, key="kpi.view", required=True)

if view == ALL:
    series = cached(kpi_series_all)(la_code)
    shown = status[status["latest_value"].notna()]
    show_chart(
        figure(kpi_small_multiples, series, columns=2 if large else 3, large=large),
        caption=(
            f"Each panel is one of the {len(shown)} KPIs with data for {council}: markers are observations "
            "(blue circles on target, orange diamonds off target, grey squares where no target is set), the "
            "dashed line is the target, and a dotted line joins observations with no data in between."
        ),
        table=memo(kpi_status_table, status),
        file_name="kpis-latest.csv",
        key="kpi.all",
    )
    missing = status[status["latest_value"].isna()]
    if not missing.empty:
        st.markdown(plain(f"No observations yet for {len(missing)} KPIs: " + "; ".join(missing["name"]) + "."))
    st.stop()

names = dict(zip(status["kpi_code"], status["name"], strict=True))
has_data = dict(zip(status["kpi_code"], status["latest_value"].notna(), strict=True))
codes = sorted(names, key=lambda c: (not has_data[c], names[c]))
if "kpi.code" not in st.session_state and st.query_params.get("kpi") in names:
    st.session_state["kpi.code"] = st.query_params["kpi"]  # a link straight to one KPI
code = st.selectbox(
    "KPI",
    codes,
    format_func=lambda c: names[c] + ("" if has_data[c] else " (no data yet)"),
    key="kpi.code",
)
assert code is not None
st.query_params["kpi"] = code  # the address bar names the KPI shown, so it can be shared or bookmarked
kpi = status[status["kpi_code"] == code].iloc[0]
series = cached(kpi_series)(code, la_code)
benchmarks = cached(kpi_benchmarks)(code, la_code)

tile, chart = st.columns([1, 3])
with tile:
    kpi_tile(kpi)
    if benchmarks.empty:
        st.caption("No published comparator figures are mapped to this KPI.")
    else:
        st.caption(
            plain("Comparators (right of the chart): " + "; ".join(memo(benchmark_lines, benchmarks, kpi["unit"])))
        )
with chart:
    kpi_chart(kpi, series, key="kpi.trend", large=large, benchmarks=benchmarks)

refs = tuple(r.strip() for r in str(kpi["actions"] or "").split(",") if r.strip())
if refs:
    st.subheader("Plan actions this KPI evidences", anchor=False)
    periods = cached(reporting_periods)()
    latest = periods["period"].iloc[-1].date()
    plan = cached(explore_actions)(latest)
    st.dataframe(
        memo(actions_table, plan[plan["action_ref"].isin(refs)]), hide_index=True, column_config=ACTION_COLUMNS
    )
