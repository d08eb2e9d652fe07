"""The Benchmarking page through the real dashboard script (AppTest), on the seed store with the whole
DfE LAIT extract, as a DuckDB file and as a PostgreSQL database (`lait_pages`)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import Pages, shown

PAGE = "views/benchmarking.py"
OGL = "Contains public sector information licensed under the Open Government Licence v3.0"


def _shown(at: AppTest) -> str:
    """Everything written as text, as the reader sees it (Markdown escapes removed)."""
    return "\n".join(shown(e) for e in (*at.markdown, *at.caption, *at.info))


def test_opens_on_the_home_council_and_the_caseload_measure(lait_pages: Pages) -> None:
    at = lait_pages.open(PAGE)
    assert not at.exception
    assert at.title[0].value == "Compare with other councils"
    assert at.selectbox(key="benchmarking.council").value == "394"
    assert at.selectbox(key="benchmarking.grouping").value == "2025"
    assert at.selectbox(key="benchmarking.measure").value == "Work_Force_AvgNumCase_SW"
    text = _shown(at)
    assert "In 2025 Sunderland's figure was 17.1: worse than its statistical neighbours' mean (15.81)" in text
    assert "worse than England (15.2)" in text
    assert (
        "ranked 123rd of 151 councils with a figure (1st = lowest), in the worst quarter of councils (band D)" in text
    )
    assert "Last updated March 2026; next update March 2027" in text
    assert OGL in text
    assert "Shown beside the local KPI SW_CASELOAD_AVG" in text


def test_every_chart_has_its_table_and_download(lait_pages: Pages) -> None:
    at = lait_pages.open(PAGE)
    assert len(at.get("plotly_chart")) == 3
    assert len(at.get("download_button")) == 3
    comparison = at.dataframe[0].value.set_index("Period")
    assert comparison.at["2017", "Sunderland"] == 21.6 and comparison.at["2017", "England"] == 17.7
    assert "Redcar and Cleveland" in comparison.columns  # each neighbour's own figures
    ranks = at.dataframe[1].value.set_index("Period")
    assert ranks.at["2017", "Rank (1 = best)"] == 137 and ranks.at["2017", "Quartile band (A = best)"] == "D"
    everyone = at.dataframe[2].value
    assert len(everyone) == 153 and set(everyone["Period"]) == {"2025"}


def test_search_a_measure_by_the_words_of_its_description(lait_pages: Pages) -> None:
    at = lait_pages.open(PAGE)
    at.text_input(key="benchmarking.search").set_value("care leavers education employment").run()
    measure = at.selectbox(key="benchmarking.measure")
    assert "CareLeaverEET" in measure.options or any("Education, Employment" in o for o in measure.options)
    measure.set_value("CareLeaverEET").run()
    assert not at.exception
    text = _shown(at)
    assert "In 2025 Sunderland's figure was 45" in text and "Higher is better." in text
    assert "ranked 136th of 152" in text and "(1st = highest)" in text
    assert "Shown beside the local KPI CL_NEET on the KPI trends page, as 100 - value" in text


def test_older_neighbour_groups_can_be_chosen(lait_pages: Pages) -> None:
    at = lait_pages.open(PAGE)
    at.selectbox(key="benchmarking.grouping").set_value("2021").run()
    assert not at.exception
    text = _shown(at)
    assert "statistical neighbours (April 2021 groups" in text
    assert "Redcar and Cleveland" in at.dataframe[0].value.columns  # 807 is a neighbour in both groupings
    assert "Rotherham" not in at.dataframe[0].value.columns  # only in the 2025 groups


def test_a_measure_with_no_better_direction_is_not_ranked(lait_pages: Pages) -> None:
    at = lait_pages.open(PAGE)
    at.selectbox(key="benchmarking.topic").set_value("Children's Services Workforce").run()
    at.selectbox(key="benchmarking.measure").set_value("Social_Work_Starters").run()
    assert not at.exception
    text = _shown(at)
    assert "DfE names no better direction for this measure, so councils are not ranked or banded." in text
    assert len(at.get("plotly_chart")) == 2  # comparison and every council; no rank chart


def test_words_matching_nothing_say_so(lait_pages: Pages) -> None:
    at = lait_pages.open(PAGE)
    at.text_input(key="benchmarking.search").set_value("zebra crossing patrols").run()
    assert not at.exception
    assert "No measure matches those words" in at.warning[0].value


def test_another_council_including_one_that_no_longer_exists(lait_pages: Pages) -> None:
    at = lait_pages.open(PAGE)
    at.selectbox(key="benchmarking.council").set_value("909").run()  # Cumbria, split in 2023
    assert not at.exception
    assert "Cumbria" in _shown(at)
