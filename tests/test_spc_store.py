"""SPC against a real store and through the chart builders: rebases, the summary, trajectories,
published figures at their reference dates, and the figures (`fig.data` / `fig.layout`)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from charts.kpi import kpi_trend
from charts.published import published_caption
from charts.spc import spc_chart, spc_table
from domain import published as pub
from reports.spc_tables import summary_matrix
from store.kpi_comparators import disagreements, kpi_comparators
from store.plan_queries import kpi_series
from store.rebase import RebaseError, rebase_history, rebases, remove_rebase, save_rebase
from store.spc_summary import spc_summary
from store.trajectories import kpi_trajectories

SUNDERLAND = "394"


def _months(n: int, start: str = "2023-01-01") -> list[pd.Timestamp]:
    return list(pd.date_range(start, periods=n, freq="MS"))


def _series(values: list[float], start: str = "2023-01-01", target: float | None = None) -> pd.DataFrame:
    return pd.DataFrame({"period": _months(len(values), start), "value": values, "target": target})


# ---------------------------------------------------------------- rebases, versioned (both backends)


def test_rebases_are_versioned_like_commentary(store: duckdb.DuckDBPyConnection) -> None:
    db = store
    first = save_rebase(db, "CL_NEET", date(2016, 6, 15), "EET team started", "ann")
    assert first is not None
    assert save_rebase(db, "CL_NEET", date(2016, 6, 1), "EET team started", "bob") is None  # unchanged
    assert save_rebase(db, "CL_NEET", date(2016, 6, 1), "EET team started in June", "bob") is not None
    current = rebases(db, "CL_NEET")
    assert list(current["rebase_from"]) == [pd.Timestamp("2016-06-01")]  # stored as the month
    assert list(current["reason"]) == ["EET team started in June"] and list(current["saved_by"]) == ["bob"]
    remove_rebase(db, "CL_NEET", date(2016, 6, 1), "Not a process change", "ann")
    assert rebases(db, "CL_NEET").empty
    assert list(rebase_history(db, "CL_NEET")["change"]) == ["taken away", "set", "set"]


@pytest.mark.parametrize(
    ("code", "reason", "user", "message"),
    [
        ("CL_NEET", "  ", "ann", "Say why"),
        ("NO_SUCH_KPI", "why", "ann", "no KPI with the code"),
        ("CL_NEET", "why", " ", "name of the person"),
        ("CL_NEET", "x" * 1001, "ann", "the limit is 1,000"),
    ],
)
def test_rebase_refusals(store: duckdb.DuckDBPyConnection, code: str, reason: str, user: str, message: str) -> None:
    with pytest.raises(RebaseError, match=message):
        save_rebase(store, code, date(2016, 6, 1), reason, user)


def test_taking_away_a_rebase_that_is_not_there(store: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(RebaseError, match="no rebase from Jun 2016"):
        remove_rebase(store, "CL_NEET", date(2016, 6, 1), "why", "ann")


# ---------------------------------------------------------------- published figures at their dates


@pytest.mark.parametrize(
    ("year_type", "end_year", "expected"),
    [
        ("Financial Year", 2016, date(2016, 3, 31)),
        ("Annual (end of Sept)", 2016, date(2016, 9, 30)),
        ("Academic Year", 2017, date(2017, 8, 31)),
        ("Calendar Year", 2017, date(2017, 12, 31)),
        ("Annual - January", 2018, date(2018, 1, 31)),
        ("Annual", 2018, date(2018, 3, 31)),  # assumed, and said to be
        ("Financial Year", None, None),
    ],
)
def test_reference_dates(year_type: str, end_year: int | None, expected: date | None) -> None:
    assert pub.reference_date(year_type, end_year) == expected


def test_assumed_reference_dates_say_so() -> None:
    assert pub.reference_words("Financial Year") == "at 31 March"
    assert "assumed" in pub.reference_words("Annual")


def test_comparators_every_year_at_its_date(db: duckdb.DuckDBPyConnection) -> None:
    caseload = kpi_comparators(db, "SW_CASELOAD_AVG", SUNDERLAND)
    own = caseload[caseload["role"] == "council"]
    assert own["series"].iloc[0] == "Sunderland"
    assert set(own["reference_date"].dt.strftime("%m-%d")) == {"09-30"}
    assert {"2016", "2017"} <= set(own["year_label"])  # the years beside the seed's Dec 2016 figure
    assert set(caseload["role"]) == {"council", "england", "region", "neighbours_mean", "neighbours_median"}
    neet = kpi_comparators(db, "CL_NEET", SUNDERLAND)
    assert "(as 100 - value)" in neet["source"].iloc[0] and "at 31 March" in neet["source"].iloc[0]
    raw = db.execute(
        "SELECT value FROM benchmark_values WHERE measure = 'CareLeaverEET' AND la_code = ? AND period = '2016'",
        [SUNDERLAND],
    ).fetchone()
    assert raw is not None
    got = neet[(neet["role"] == "council") & (neet["year_label"] == "2016")]["value"].iloc[0]
    assert got == pytest.approx(100 - raw[0])
    assert kpi_comparators(db, "UNALLOCATED_CASES", SUNDERLAND).empty


def test_disagreement_between_local_and_published_for_the_same_month(db: duckdb.DuckDBPyConnection) -> None:
    published = kpi_comparators(db, "SW_CASELOAD_AVG", SUNDERLAND)
    own_2016 = float(published[(published["role"] == "council") & (published["year_label"] == "2016")]["value"].iloc[0])
    agreeing = pd.DataFrame({"period": [pd.Timestamp("2016-09-01")], "value": [own_2016 + 0.3]})
    assert disagreements(agreeing, published).empty  # within rounding
    differing = pd.DataFrame({"period": [pd.Timestamp("2016-09-01"), pd.Timestamp("2016-12-01")],
                              "value": [own_2016 + 3.0, 17.0]})  # fmt: skip
    found = disagreements(differing, published)
    assert list(found["year_label"]) == ["2016"] and found["difference"].iloc[0] == pytest.approx(3.0)
    assert "disagree for Sep 2016" in published_caption(published, found, "Number")


# ---------------------------------------------------------------- summary and trajectories on a store


def test_summary_on_the_seed_store_is_too_few_points_everywhere(db: duckdb.DuckDBPyConnection) -> None:
    summary = spc_summary(db, SUNDERLAND)
    assert len(summary) == 12  # the 12 KPIs with observations
    assert set(summary["variation"]) == {"too_few"} and set(summary["assurance"]) == {"too_few"}
    matrix = summary_matrix(summary)
    assert list(matrix.index) == ["Too few points"] and list(matrix.columns) == ["Too few points"]


def test_trajectory_on_the_seed_store(db: duckdb.DuckDBPyConnection) -> None:
    paths = kpi_trajectories(db, SUNDERLAND).set_index("kpi_code")
    assert not paths.loc["RETURN_INTERVIEWS", "will_reach"]  # 78% in Nov 2016 against 100% by 12/15
    assert "has passed" in paths.loc["RETURN_INTERVIEWS", "sentence"]
    assert paths.loc["LAC_VISITED_6WK", "will_reach"]


# ---------------------------------------------------------------- chart builders


def test_kpi_trend_legend_sits_under_the_plot_away_from_the_title(db: duckdb.DuckDBPyConnection) -> None:
    series = kpi_series(db, "SW_CASELOAD_AVG", SUNDERLAND)
    published = kpi_comparators(db, "SW_CASELOAD_AVG", SUNDERLAND)
    fig = kpi_trend(series, name="Average social worker caseload", unit="Number", polarity="lower", target=18,
                    published=published)  # fmt: skip
    assert fig.layout.legend.yanchor == "top" and fig.layout.legend.y < 0
    assert fig.layout.title.text == "Average social worker caseload"
    england = next(t for t in fig.data if t.name == "England, published")
    assert england.xaxis in (None, "x") and england.marker.symbol == "diamond"
    start, end = fig.layout.xaxis.range
    assert pd.Timestamp(start) < pd.Timestamp("2016-09-30") and pd.Timestamp(end) > pd.Timestamp("2025-09-30")


def test_spc_chart_draws_limits_per_segment_and_the_rebase() -> None:
    values = [10.0, 12.0] * 6 + [30.0, 32.0] * 6
    series = _series(values, target=25.0)
    rebase = pd.DataFrame({"rebase_from": [pd.Timestamp("2024-01-01")], "reason": ["New service"]})
    fig = spc_chart(series, name="k", unit="Number", polarity="higher", rebases=rebase)
    mean = next(t for t in fig.data if t.name == "Mean")
    assert [y for y in mean.y if y is not None] == [11.0, 11.0, 31.0, 31.0]  # one line per segment
    assert any(s.type == "line" and pd.Timestamp(s.x0) == pd.Timestamp("2024-01-01") for s in fig.layout.shapes)
    assert any("Limits recalculated from Jan 2024" in a.text for a in fig.layout.annotations)
    assert "Assurance: Consistently passing" in fig.layout.title.text  # 25 is below the later lower limit
    table = spc_table(series, "Number", "higher", rebases=rebase)
    assert list(table["Limits from"].unique()) == ["Jan 2023", "Jan 2024"]


def test_spc_chart_with_too_few_points_has_no_limits_and_says_why() -> None:
    fig = spc_chart(_series([1.0, 2.0, 3.0]), name="k", unit="%", polarity="higher")
    assert not [t for t in fig.data if t.name in ("Mean", "Process limits")]
    assert any("needs at least 12 points" in a.text.replace("<br>", " ") for a in fig.layout.annotations)
    assert not fig.layout.images


def test_spc_points_carry_shape_as_well_as_colour() -> None:
    fig = spc_chart(_series([10.0, 12.0] * 8 + [40.0, -20.0]), name="k", unit="Number", polarity="higher")
    improvement = next(t for t in fig.data if t.name == "Special cause: improvement")
    concern = next(t for t in fig.data if t.name == "Special cause: concern")
    assert improvement.marker.symbol != concern.marker.symbol
    assert 40.0 in list(improvement.y) and -20.0 in list(concern.y)


def test_delivery_beside_impact_says_when_a_delivered_action_s_kpi_will_not_reach_its_target(
    db: duckdb.DuckDBPyConnection,
) -> None:
    from reports.spc_tables import trajectory_sentences
    from store.plan_queries import actions_at

    feb17 = date(2017, 2, 1)
    at = actions_at(db, feb17)
    said = trajectory_sentences(
        kpi_trajectories(db, SUNDERLAND, feb17), dict(zip(at["action_ref"], at["rating"], strict=True))
    )
    assert any(s.startswith("Action 6.4 is Dark Green, but Care leavers not in education") for s in said)
    assert not any("Looked-after children visited" in s for s in said)  # 95% against 80%: met
    assert all("not on course to meet its target" in s for s in said)
