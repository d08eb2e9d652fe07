"""KPI trends: each KPI against its target, its published figures and its SPC chart; all KPIs at once;
and the board's Making Data Count summary."""

import streamlit as st

from charts.kpi import kpi_small_multiples, kpi_trend, long_gaps, trend_table
from charts.published import published_caption, published_table
from charts.spc import spc_caption, spc_chart, spc_table
from reports.tables import actions_table, kpi_status_table, trend_caption
from store.kpi_comparators import disagreements, kpi_comparators
from store.plan_queries import explore_actions, kpi_series, kpi_series_all, kpi_status
from store.queries import reporting_periods, setting
from store.rebase import rebase_history, rebase_version, rebases
from store.spc_summary import spc_summary
from store.trajectories import kpi_trajectories
from ui import auth, presentation
from ui.data import cached, connection
from ui.display import ACTION_COLUMNS, download, plain, show_chart
from ui.figure_cache import figure, memo
from ui.spc_panel import rebase_form, show_summary
from ui.tiles import kpi_tile

user = auth.require_viewer()

ONE, ALL, SUMMARY = "One KPI at a time", "All KPIs on one screen", "SPC summary"
TREND, SPC = "Trend and published figures", "SPC (XmR) chart"

large = presentation.apply()
st.title("KPI trends", anchor=False)
fictional = cached(setting)("fictional", "")
if fictional:
    st.warning(plain(fictional), icon=":material/science:")
la_code = cached(setting)("council_code", "")
council = cached(setting)("council_name", "") or "this council"
status = cached(kpi_status)(la_code)
if status.empty:
    st.info("No KPIs have been loaded yet.")
    st.stop()
view = st.segmented_control("View", [ONE, ALL, SUMMARY], default=ONE, key="kpi.view", required=True)
version = rebase_version(connection())  # a rebase changes SPC without a new upload

if view == SUMMARY:
    show_summary(cached(spc_summary)(la_code, None, version), key="kpi.summary", council=council)
    st.stop()

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
unit, polarity, target = str(kpi["unit"]), kpi["polarity"], kpi["target"]
series = cached(kpi_series)(code, la_code)
chart_kind = st.segmented_control("Chart", [TREND, SPC], default=TREND, key="kpi.chart", required=True)

tile, chart = st.columns([1, 3])
with tile:
    kpi_tile(kpi)
if chart_kind == TREND:
    published = cached(kpi_comparators)(code, la_code)
    disagree = memo(disagreements, series, published)
    paths = cached(kpi_trajectories)(la_code, None, code)
    path = paths.iloc[0] if len(paths) else None
    with tile:
        if path is not None:
            st.markdown(plain(f"Trajectory (action {path['action_ref']}): {path['sentence']}"))
    caption = trend_caption(kpi, series, dotted=long_gaps(series) > 0)
    if not published.empty:
        caption += " " + memo(published_caption, published, disagree, unit)
    if path is not None and path["projection"] is not None:
        caption += f" The dash-dot line projects the recent rate to action {path['action_ref']}'s timescale."
    with chart:
        show_chart(
            figure(
                kpi_trend, series, name=kpi["name"], unit=unit, polarity=polarity, target=target, large=large,
                published=published, disagreements=disagree,
                projection=None if path is None else path["projection"],
            ),
            caption=caption,
            table=memo(trend_table, series, unit, polarity),
            file_name=f"kpi-{code}.csv",
            key="kpi.trend",
        )  # fmt: skip
        if not published.empty:
            with st.expander("Published figures behind the chart"):
                figures = memo(published_table, published, disagree)
                st.dataframe(figures, hide_index=True, key="kpi.published.table")
                download(figures, f"kpi-{code}-published.csv", key="kpi.published")
else:
    screen = st.toggle(
        "Leave out large moving ranges when setting the limits",
        value=True,
        key="kpi.spc.screen",
        help="Moving ranges of 3.267 × their mean or more are left out of the limits by default, as "
        "NHSRplotthedots does; switch off to keep them all, as the Making Data Count Excel tool does.",
    )
    current = cached(rebases)(code, version)
    with chart:
        show_chart(
            figure(spc_chart, series, name=kpi["name"], unit=unit, polarity=polarity, target=target,
                   rebases=current, screen=screen, large=large),
            caption=memo(spc_caption, series, kpi["name"], unit, polarity, target, current, screen),
            table=memo(spc_table, series, unit, polarity, target, current, screen),
            file_name=f"kpi-{code}-spc.csv",
            key="kpi.spc",
        )  # fmt: skip
    with tile:
        observed = [p.date() for p in series.loc[series["value"].notna(), "period"]]
        rebase_form(code, observed, current, cached(rebase_history)(code, version), auth.can(user, "uploader"))

refs = tuple(r.strip() for r in str(kpi["actions"] or "").split(",") if r.strip())
if refs:
    st.header("Plan actions this KPI evidences", anchor=False)
    periods = cached(reporting_periods)()
    latest = periods["period"].iloc[-1].date()
    plan = cached(explore_actions)(latest)
    st.dataframe(
        memo(actions_table, plan[plan["action_ref"].isin(refs)]), hide_index=True, column_config=ACTION_COLUMNS
    )
