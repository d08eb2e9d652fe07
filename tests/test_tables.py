"""The board's tables and sentences (reports/tables.py), without Streamlit: on the seed store and on
small hand-made frames whose right answer is plain to see."""

from __future__ import annotations

import duckdb
import pandas as pd

from domain.kpi_status import STATUSES, status_from_flag
from reports.tables import (
    actions_table,
    benchmark_lines,
    delivery_sentences,
    kpi_status_table,
    timeline_table,
    trend_caption,
)
from store.plan_queries import kpi_status


def test_kpi_status_table_says_what_the_store_decided(db: duckdb.DuckDBPyConnection) -> None:
    status = kpi_status(db, "394", None)
    table = kpi_status_table(status)
    assert len(table) == len(status) == 26
    # The words come from the Python rule, the flag from its SQL form: they agree on every seed KPI.
    assert table["Status"].tolist() == [
        status_from_flag(flag, value) for flag, value in zip(status["on_target"], status["latest_value"], strict=True)
    ]
    assert set(table["Status"]) <= set(STATUSES)
    row = table[table["KPI"] == "Return interviews completed"].iloc[0].to_dict()
    assert row == {"KPI": "Return interviews completed", "Better": "higher", "Latest": "78% (Nov 2016)",
                   "Previous": "37% (Oct 2016)", "Target": "100%", "Status": "Off target",
                   "Actions": "3.13"}  # fmt: skip
    empty = table[table["Latest"] == "No data"]
    assert len(empty) == 14 and set(empty["Status"]) == {"No data"} and set(empty["Previous"]) == {"None"}


def _kpi(**overrides: object) -> pd.Series:
    kpi = {"name": "Re-referrals", "unit": "%", "polarity": "lower", "target": 22.0, "on_target": True}
    return pd.Series({**kpi, **overrides})


def _series(values: list[float | None], months: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"period": pd.to_datetime(months), "value": values})


def test_trend_caption_reads_the_span_the_latest_value_and_the_target() -> None:
    series = _series([25.0, None, 21.0], ["2016-06-01", "2016-07-01", "2016-11-01"])
    text = trend_caption(_kpi(), series, dotted=False)
    assert text == (
        "Re-referrals (lower is better): 2 observation(s) from Jun 2016 to Nov 2016. "
        "Latest 21%, on target (target 22%, dashed line)."
    )
    dotted = trend_caption(_kpi(), series, dotted=True)
    assert dotted == text + " A dotted line means no data was reported in between; it is not a measured trend."


def test_trend_caption_for_one_value_no_target_and_no_values() -> None:
    one = trend_caption(
        _kpi(target=None, on_target=None, polarity="higher"), _series([5.0], ["2017-02-01"]), dotted=False
    )
    assert one == "Re-referrals (higher is better): 1 observation(s) in Feb 2017. Latest 5%; no numeric target is set."
    none = trend_caption(_kpi(), _series([None], ["2017-02-01"]), dotted=False)
    assert none == "Re-referrals: no observations yet. Lower is better."


def test_delivery_sentences_name_the_kpi_the_value_and_the_target() -> None:
    gaps = pd.DataFrame(
        {"action_ref": ["6.4", "3.3", "3.3"], "rating": ["DG", "C", "C"],
         "name": ["Care leavers NEET", "Assessments in time", "Visits in time"],
         "concern": ["off target", "no recent data", "no recent data"],
         "latest_value": [53.4, None, None], "latest_period": pd.to_datetime(["2016-12-01", None, None]),
         "target": [30.0, 65.0, 80.0], "unit": ["%", "%", "%"]}
    )  # fmt: skip
    assert delivery_sentences(gaps) == [
        "Action 6.4 is Dark Green, but Care leavers NEET is off target: 53.4% in Dec 2016 against a target of 30%.",
        "Action 3.3 is Completed, but 2 linked KPIs have no recent data (Assessments in time; Visits in time).",
    ]


def test_actions_table_names_ratings_and_says_what_is_not_recorded() -> None:
    frame = pd.DataFrame(
        {"action_ref": ["1.1", "NEW 1"], "rating": ["A", None], "overdue": [True, False],
         "ofsted_ref": ["Ofsted 3", None], "description": ["Recruit", None], "lead": [None, "PSW"],
         "timescale_text": ["Mar 2017", None], "success_measures": [None, "Fewer agency staff"],
         "priority": [1, 1], "priority_title": ["Workforce", None]}
    )  # fmt: skip
    table = actions_table(frame)
    assert table.columns.tolist() == ["Action", "Priority", "Rating", "Overdue", "Ofsted", "Description", "Lead",
                                      "Timescale", "Success measure"]  # fmt: skip
    assert table["Rating"].tolist() == ["🟠 Amber", "⚪ New (TBC)"]
    assert table["Overdue"].tolist() == ["Overdue", ""]
    assert table["Lead"].tolist() == ["Not recorded", "PSW"] and table["Timescale"].tolist() == [
        "Mar 2017",
        "Not recorded",
    ]
    assert table["Priority"].tolist() == ["1. Workforce", "1. "]
    assert "Priority" not in actions_table(frame, with_priority=False).columns


def test_timeline_and_benchmark_lines() -> None:
    history = pd.DataFrame(
        {"period": pd.to_datetime(["2015-09-01", "2017-02-01"]), "label": ["Initial", None], "rating": [None, "DG"]}
    )
    assert timeline_table(history).to_dict("list") == {
        "Period": ["Initial (Sep 2015)", "Feb 2017"],
        "Rating": ["New (TBC)", "Dark Green"],
    }
    comparators = pd.DataFrame(
        {"label": ["England", "Neighbours"], "value": [49.0, 17.5], "year_label": ["2016", "2016"]}
    )
    assert benchmark_lines(comparators, "%") == ["England 2016: 49%", "Neighbours 2016: 17.5%"]
