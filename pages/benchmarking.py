"""Compare with other councils: DfE LAIT figures for a council against its statistical neighbours,
its region, England and every council, with rank and quartile."""

from __future__ import annotations

import streamlit as st

from charts import benchmark as charts
from store import benchmark_queries as q
from store.queries import setting
from ui import auth
from ui.data import cached
from ui.widgets import plain, show_chart

OGL = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Department for Education, LAIT)."
)
DEFAULT_MEASURE = "Work_Force_AvgNumCase_SW"
ALL_TOPICS = "All topics"


auth.require_viewer()
st.title("Compare with other councils", anchor=False)
extract = cached(q.extract_info)()
if extract is None:
    st.info("No national benchmark data has been loaded yet. Load the DfE LAIT files (see data/lait/README.md).")
    st.stop()

councils = cached(q.councils)()
names = dict(zip(councils["la_code"], councils["name"], strict=True))
former = set(councils.loc[councils["status"] == "former", "la_code"])
home = cached(setting)("council_code", "394")
codes = list(councils["la_code"])
groupings = cached(q.groupings)()
labels = dict(zip(groupings["grouping"], groupings["grouping_label"], strict=True))

left, right = st.columns([3, 2])
la_code = left.selectbox(
    "Council",
    codes,
    index=codes.index(home) if home in codes else 0,
    format_func=lambda c: f"{names[c]} ({c})" + (" - no longer exists" if c in former else ""),
    key="benchmarking.council",
)
grouping = right.selectbox(
    "Statistical neighbours",
    list(labels),
    format_func=lambda g: f"{labels[g]} groups" + (" (newest)" if g == groupings["grouping"].iloc[0] else ""),
    key="benchmarking.grouping",
)

topic_col, search_col, measure_col = st.columns([2, 2, 4])
topics = cached(q.topics)()
topic = topic_col.selectbox("Topic", [ALL_TOPICS, *topics["topic"]], key="benchmarking.topic")
search = search_col.text_input("Search measures", key="benchmarking.search", placeholder="e.g. caseload")
found = cached(q.measures)(search.strip(), "" if topic == ALL_TOPICS else topic).drop_duplicates("measure")
if found.empty:
    st.warning("No measure matches those words. Try fewer or shorter words, or another topic.")
    st.stop()
measure_names = dict(zip(found["measure"], found["name"], strict=True))
measure_topics = dict(zip(found["measure"], found["topic"], strict=True))
options = list(found["measure"])
measure = measure_col.selectbox(
    "Measure",
    options,
    index=options.index(DEFAULT_MEASURE) if DEFAULT_MEASURE in options else 0,
    format_func=lambda m: f"{measure_names[m]} · {measure_topics[m]}",
    key="benchmarking.measure",
)

info = cached(q.measure_info)(measure) or {}
council = names.get(la_code, la_code)
region_row = councils[councils["la_code"] == la_code]
region = str(region_row["region_name"].iloc[0]) if len(region_row) and region_row["region_name"].notna().all() else ""
polarity, dps = info.get("polarity"), info.get("dps")
y_title = str(info.get("y_axis_name") or "Value")

st.subheader(str(info.get("chart_title") or info.get("name") or measure), anchor=False)
st.caption(plain(charts.measure_caption(info, measure)))

comparison = cached(q.comparison)(measure, la_code, grouping)
series = cached(q.neighbour_series)(measure, la_code, grouping)
rankings = cached(q.rankings)(measure, la_code)
st.markdown(plain(charts.position_sentence(council, comparison, polarity, dps)))
st.markdown(plain(charts.rank_sentence(council, rankings, polarity, info.get("no_quartile"))))

neighbour_codes = list(series.loc[series["role"] == "neighbour", "la_code"].unique())
if not neighbour_codes:
    st.info(plain(f"The {labels.get(grouping, grouping)} groups list no statistical neighbours for {council}."))
show_chart(
    charts.comparison_chart(comparison, series, council, region, y_title, dps),
    caption=charts.comparison_caption(council, len(neighbour_codes), str(labels.get(grouping, "")), region),
    table=charts.comparison_table(comparison, series, council, region, str(labels.get(grouping, ""))),
    file_name=f"benchmark-{measure}-{la_code}.csv",
    key="benchmarking.comparison",
)

st.subheader("Rank among all councils", anchor=False)
if rankings["rank"].notna().any():
    show_chart(
        charts.rank_chart(rankings, council),
        caption=charts.rank_caption(council, polarity),
        table=charts.rank_table(rankings),
        file_name=f"benchmark-{measure}-{la_code}-rank.csv",
        key="benchmarking.rank",
    )
else:
    st.info(plain("No rank to show. " + charts.rank_sentence(council, rankings, polarity, info.get("no_quartile"))))

everyone = cached(q.latest_all_councils)(measure)
if len(everyone):
    period = str(everyone["period"].iloc[0])
    st.subheader(f"Every council, {period}", anchor=False)
    england = comparison.loc[comparison["period"] == period, "england"]
    show_chart(
        charts.all_councils_chart(
            everyone, la_code, neighbour_codes, y_title, england.iloc[0] if len(england) else None, dps
        ),
        caption=charts.all_councils_caption(everyone, council, polarity),
        table=charts.all_councils_table(everyone),
        file_name=f"benchmark-{measure}-all-councils-{period}.csv",
        key="benchmarking.all",
    )

mapping = cached(q.kpi_mapping)()
for row in mapping[mapping["measure"] == measure].itertuples():
    st.info(plain(charts.mapping_sentence(str(row.kpi_code), str(row.transform), str(row.note))))

st.divider()
st.caption(plain(charts.source_caption(info, extract)))
if info.get("methodology"):
    with st.expander("How DfE calculates this measure"):
        st.markdown(plain(info["methodology"]))
st.caption(OGL)
