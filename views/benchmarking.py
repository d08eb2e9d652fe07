"""Compare with other councils: DfE LAIT figures for a council against its statistical neighbours,
its region, England and every council, with rank and quartile."""

from __future__ import annotations

import streamlit as st

from store import benchmark_queries as q
from store.queries import setting
from ui import auth
from ui.benchmark_model import PageContent, benchmark_page
from ui.data import cached, data_version
from ui.display import plain, show_chart

OGL = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Department for Education, LAIT)."
)
DEFAULT_MEASURE = "Work_Force_AvgNumCase_SW"
ALL_TOPICS = "All topics"


auth.require_viewer()
st.title("Compare with other councils", anchor=False)
choices = cached(q.page_choices)()
extract = choices["extract"]
if extract is None:
    st.info("No national benchmark data has been loaded yet. Load the DfE LAIT files (see data/lait/README.md).")
    st.stop()

councils = choices["councils"]
names = dict(zip(councils["la_code"], councils["name"], strict=True))
former = set(councils.loc[councils["status"] == "former", "la_code"])
home = cached(setting)("council_code", "394")
codes = list(councils["la_code"])
groupings = choices["groupings"]
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
topic = topic_col.selectbox("Topic", [ALL_TOPICS, *choices["topics"]["topic"]], key="benchmarking.topic")
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

assert la_code is not None and grouping is not None and measure is not None


@st.cache_resource(max_entries=64, show_spinner=False)
def content(version: int, measure: str, la_code: str, grouping: str) -> PageContent:
    """Figures, tables and words for one view, built once per process until the data changes. Held as
    objects (not pickled like st.cache_data), so a rerun does no plotly or pandas work; never mutated."""
    del version  # part of the cache key only
    row = councils[councils["la_code"] == la_code].iloc[0]
    return benchmark_page(
        cached(q.measure_view)(measure, la_code, grouping),
        measure=measure,
        la_code=la_code,
        council=str(row["name"]),
        region=str(row["region_name"]) if isinstance(row["region_name"], str) else "",
        grouping_label=str(labels.get(grouping, grouping)),
        extract=extract,
    )


page = content(data_version(), measure, la_code, grouping)
st.header(page.title, anchor=False)
st.caption(plain(page.intro[0]))
for sentence in page.intro[1:]:
    st.markdown(plain(sentence))
for section in page.sections:
    if section.heading:
        st.subheader(section.heading, anchor=False)
    if section.note:
        st.info(plain(section.note))
    if section.figure is not None and section.table is not None:
        show_chart(
            section.figure, caption=section.caption, table=section.table, file_name=section.file_name, key=section.key
        )
for note in page.notes:
    st.info(plain(note))

st.divider()
st.caption(plain(page.source))
if page.methodology:
    with st.expander("How DfE calculates this measure"):
        st.markdown(plain(page.methodology))
st.caption(OGL)
