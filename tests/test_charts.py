"""Chart builders, checked through `fig.data` and `fig.layout` without a browser."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.kpi import kpi_small_multiples, kpi_trend, long_gaps, on_target, trend_table
from charts.rag import movement_cells, movement_matrix, movement_summary, movement_table, rag_by_priority, rag_timeline
from charts.style import (
    OFF_TARGET,
    ON_TARGET,
    PALETTE,
    RAG_COLOURS,
    format_value,
    period_label,
    rating_name,
)

NOV, FEB = date(2016, 11, 1), date(2017, 2, 1)


def _counts(with_new: bool = False) -> pd.DataFrame:
    rows = []
    for priority, title in ((1, "Workforce"), (2, "Early help")):
        for period in (NOV, FEB):
            for rating in ("R", "A", "LG", "DG", "C"):
                rows.append((priority, title, rating, period, {"A": 2, "DG": 3}.get(rating, 0) + priority))
    if with_new:
        rows.append((1, "Workforce", "TBC", FEB, 4))
    return pd.DataFrame(rows, columns=["priority", "title", "rating", "period", "actions"])


def _bars(fig: go.Figure) -> list[go.Bar]:
    return [t for t in fig.data if t.type == "bar"]


# ---------------------------------------------------------------- RAG by priority


def test_rag_bars_are_stacked_in_rag_order_with_names_colours_and_labels() -> None:
    fig = rag_by_priority(_counts(), {NOV: "Nov 2016", FEB: "Feb 2017"})
    bars = _bars(fig)
    assert [b.name for b in bars] == ["Red", "Amber", "Light Green", "Dark Green", "Completed"]
    assert [b.marker.color for b in bars] == [RAG_COLOURS[c] for c in ("R", "A", "LG", "DG", "C")]
    assert fig.layout.barmode == "stack"
    amber = bars[1]
    assert list(amber.x) == [3, 3, 4, 4]  # priority 1 Nov, Feb; priority 2 Nov, Feb
    assert list(amber.text) == ["A 3", "A 3", "A 4", "A 4"]  # the rating is written on its colour
    assert list(amber.y[1]) == ["Nov 2016", "Feb 2017", "Nov 2016", "Feb 2017"]
    assert amber.y[0][0].startswith("1. Workforce")


def test_rag_bars_show_totals_and_omit_new_when_there_are_none() -> None:
    fig = rag_by_priority(_counts())
    totals = [t for t in fig.data if t.type == "scatter"][0]
    assert [int(t) for t in totals.x] == [10, 10, 15, 15]
    assert "New (TBC)" not in [b.name for b in _bars(fig)]
    assert list(_bars(fig)[0].y[1]) == ["Nov 2016", "Feb 2017", "Nov 2016", "Feb 2017"]  # month labels by default


def test_rag_bars_show_new_actions_as_not_yet_rated() -> None:
    fig = rag_by_priority(_counts(with_new=True), {NOV: "Nov 2016", FEB: "Feb 2017"})
    new = _bars(fig)[-1]
    assert new.name == "New (TBC)"
    assert list(new.x) == [0, 4, 0, 0]


def test_rag_bars_use_the_period_label_for_initial() -> None:
    counts = _counts().replace({NOV: date(2015, 9, 1)})
    fig = rag_by_priority(counts, {date(2015, 9, 1): "Initial (Sep 2015)", FEB: "Feb 2017"})
    assert "Initial (Sep 2015)" in list(_bars(fig)[0].y[1])


def test_narrow_segments_keep_their_count() -> None:
    counts = _counts()
    counts.loc[(counts["priority"] == 1) & (counts["rating"] == "R"), "actions"] = 1
    counts.loc[(counts["priority"] == 2) & (counts["rating"] == "C"), "actions"] = 30
    red = _bars(rag_by_priority(counts))[0]
    assert list(red.text)[:2] == ["1", "1"]


# ---------------------------------------------------------------- movement

MOVES = pd.DataFrame(
    {
        "action_ref": ["1.1", "1.2", "1.3", "1.4", "NEW 1", "1.5"],
        "priority": [1] * 6,
        "description": ["a", "b", "c", "d", "e", "f"],
        "from_rating": ["A", "DG", "LG", "LG", None, "A"],
        "to_rating": ["DG", "C", "LG", "A", None, None],
        "in_previous": [True, True, True, True, False, True],
        "in_current": [True, True, True, True, True, False],
        "movement": ["improved", "completed", "held", "slipped", "new, not yet rated", "no longer listed"],
    }
)


def test_movement_matrix_counts_each_pair_and_marks_direction() -> None:
    fig = movement_matrix(MOVES, "Nov 2016", "Feb 2017")
    heat = fig.data[0]
    rows = [y.replace("<br>", " ") for y in heat.y]
    cols = [x.replace("<br>", " ") for x in heat.x]
    cell = {(r, c): heat.text[i][j] for i, r in enumerate(rows) for j, c in enumerate(cols)}
    assert cell[("Amber", "Dark Green")] == "1 ▲"
    assert cell[("Light Green", "Amber")] == "1 ▼"
    assert cell[("Light Green", "Light Green")] == "1"
    assert cell[("Not in plan", "New (TBC)")] == "1"
    assert cell[("Amber", "Not in plan")] == "1"
    assert cell[("Red", "Red")] == ""
    assert fig.layout.xaxis.title.text == "Rating in Feb 2017"
    assert fig.layout.yaxis.title.text == "Rating in Nov 2016"


def test_movement_cells_and_table_match_the_matrix() -> None:
    cells = movement_cells(MOVES)
    assert int(cells["actions"].sum()) == len(MOVES)
    assert set(cells["direction"]) == {"improved", "held", "slipped", "other"}
    table = movement_table(MOVES, "Nov 2016", "Feb 2017")
    assert list(table.columns) == [
        "Action",
        "Priority",
        "Rating Nov 2016",
        "Rating Feb 2017",
        "Movement",
        "Description",
    ]
    assert table.loc[table["Action"] == "NEW 1", "Rating Nov 2016"].item() == "Not in plan"
    assert table.loc[table["Action"] == "NEW 1", "Rating Feb 2017"].item() == "New (TBC)"


def test_movement_summary_has_one_labelled_bar_per_kind() -> None:
    bar = movement_summary(MOVES).data[0]
    assert list(bar.y) == ["Improved", "Completed", "Held", "Slipped", "New, not yet rated", "No longer listed"]
    assert list(bar.x) == [1, 1, 1, 1, 1, 1]
    assert [str(t) for t in bar.text] == ["1"] * 6


# ---------------------------------------------------------------- timeline


def test_rag_timeline_places_each_review_on_the_rating_scale() -> None:
    history = pd.DataFrame(
        {"period": [date(2015, 9, 1), NOV, FEB], "label": ["Initial", None, None], "rating": ["A", "LG", "DG"]}
    )
    fig = rag_timeline(history)
    markers = [t for t in fig.data if t.mode == "markers+text"]
    assert [t.name for t in markers] == ["Amber", "Light Green", "Dark Green"]
    assert [list(t.text) for t in markers] == [["A"], ["LG"], ["DG"]]
    assert fig.layout.xaxis.ticktext[0] == "Initial<br>Sep 2015"
    assert list(fig.layout.yaxis.categoryarray) == [
        "New (TBC)",
        "Red",
        "Amber",
        "Light Green",
        "Dark Green",
        "Completed",
    ]


def test_rag_timeline_shows_not_yet_rated() -> None:
    fig = rag_timeline(pd.DataFrame({"period": [FEB], "label": [None], "rating": [None]}))
    assert [t.name for t in fig.data if t.mode == "markers+text"] == ["New (TBC)"]


# ---------------------------------------------------------------- KPI trend


def _series(values: list[float | None], months: list[str], targets: list[float | None] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": pd.to_datetime(months),
            "value": values,
            "target": targets if targets is not None else [80.0] * len(values),
            "missing_mark": [None if v is not None else "x" for v in values],
        }
    )


def _trace(fig: go.Figure, name: str) -> go.Scatter:
    return next(t for t in fig.data if t.name and t.name.startswith(name))


@pytest.mark.parametrize(
    ("value", "target", "polarity", "expected"),
    [
        (85, 80, "higher", True),
        (80, 80, "higher", True),
        (79.9, 80, "higher", False),
        (14, 0, "lower", False),
        (17, 18, "lower", True),
        (None, 80, "higher", None),
        (50, None, "higher", None),
        (50, 80, None, None),
    ],
)
def test_on_target_follows_polarity(
    value: float | None, target: float | None, polarity: str | None, expected: bool | None
) -> None:
    assert on_target(value, target, polarity) is expected


def test_sparse_series_has_markers_labels_and_a_dotted_join() -> None:
    series = _series([30, 73.6], ["2015-06-01", "2016-12-01"])
    fig = kpi_trend(series, name="Care leavers in touch", unit="%", polarity="higher")
    off = _trace(fig, "Off target")
    assert off.marker.color == OFF_TARGET
    assert list(off.text) == ["30%", "73.6%"]
    assert "markers" in off.mode
    dotted = _trace(fig, "No data in between")
    assert dotted.line.dash == "dot" and len([x for x in dotted.x if x is not None]) == 2
    assert not [x for x in _trace(fig, "Observed").x if x is not None]
    assert long_gaps(_series([30, 73.6], ["2015-06-01", "2016-12-01"])) == 1


def test_monthly_series_is_joined_by_a_solid_line_and_coloured_by_status() -> None:
    fig = kpi_trend(
        _series([70, 85, 90], ["2016-10-01", "2016-11-01", "2016-12-01"]), name="k", unit="%", polarity="higher"
    )
    assert len([x for x in _trace(fig, "Observed").x if x is not None]) == 4  # two joins
    assert not [x for x in _trace(fig, "No data in between").x if x is not None]
    on = _trace(fig, "On target")
    assert on.marker.color == ON_TARGET and list(on.y) == [85, 90]
    assert list(_trace(fig, "Off target").y) == [70]


def test_target_is_a_step_line_that_changes_when_the_target_does() -> None:
    fig = kpi_trend(
        _series([22, 19, 17], ["2016-01-01", "2016-06-01", "2016-12-01"], [20, 20, 18]),
        name="Average caseload",
        unit="Number",
        polarity="lower",
    )
    target = _trace(fig, "Target")
    assert target.line.shape == "hv" and target.line.dash == "dash"
    assert list(target.y) == [20, 20, 18, 18]
    assert [t.name for t in fig.data if t.mode == "markers+text"] == ["On target", "Off target"]
    assert [a.text for a in fig.layout.annotations] == ["Target 20", "Target 18"]  # one label per step
    assert "lower is better" in fig.layout.yaxis.title.text


def test_a_month_reported_as_missing_breaks_the_line_and_is_marked() -> None:
    fig = kpi_trend(
        _series([60, None, 70], ["2016-10-01", "2016-11-01", "2016-12-01"]), name="k", unit="%", polarity="higher"
    )
    assert not [x for x in _trace(fig, "Observed").x if x is not None]
    missing = _trace(fig, "Not reported")
    assert list(missing.text) == ["no data"]
    table = trend_table(
        _series([60, None, 70], ["2016-10-01", "2016-11-01", "2016-12-01"]), unit="%", polarity="higher"
    )
    assert list(table["Note"]) == ["", "not reported (x)", ""]
    assert list(table["Change since previous observation"].astype(object)) == [pd.NA, pd.NA, 10.0]


def test_fallback_target_is_used_when_observations_carry_none() -> None:
    fig = kpi_trend(_series([5], ["2016-12-01"], [None]), name="k", unit="%", polarity="higher", target=90.0)
    assert set(_trace(fig, "Target").y) == {90.0}


def test_percentages_use_a_zero_to_hundred_scale() -> None:
    fig = kpi_trend(_series([37, 78], ["2016-10-01", "2016-11-01"]), name="k", unit="%", polarity="higher")
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.range[1] >= 100


def test_empty_series_says_so() -> None:
    fig = kpi_trend(_series([], []), name="k", unit="%", polarity="higher")
    assert fig.layout.annotations[0].text == "No observations yet for this KPI"


def test_benchmarks_are_labelled_reference_markers_beside_the_series() -> None:
    benchmarks = pd.DataFrame(
        {
            "label": ["England", "North East", "Statistical neighbours"],
            "value": [49.0, 51.5, 50.2],
            "year_label": ["2016", "2016", "2015-16"],
            "source": ["DfE LAIT"] * 3,
        }
    )
    fig = kpi_trend(
        _series([85, 53.4], ["2015-06-01", "2016-12-01"], [30, 30]),
        name="Care leavers NEET",
        unit="%",
        polarity="lower",
        benchmarks=benchmarks,
    )
    england = _trace(fig, "England")
    assert england.xaxis == "x2" and list(england.y) == [49.0] and list(england.text) == ["49%"]
    assert list(england.x[1]) == ["2016"]
    assert "DfE LAIT" in england.customdata[0][2]
    assert _trace(fig, "Statistical neighbours").x[1][0] == "2015-16"
    latest = _trace(fig, "Latest local value")
    assert set(latest.y) == {53.4}
    assert any(a.text == "Comparators" for a in fig.layout.annotations)
    assert _trace(fig, "Off target").xaxis == "x"


def test_empty_benchmarks_are_ignored() -> None:
    empty = pd.DataFrame(columns=["label", "value", "year_label", "source"])
    fig = kpi_trend(_series([30], ["2016-06-01"]), name="k", unit="%", polarity="higher", benchmarks=empty)
    assert all(getattr(t, "xaxis", None) in (None, "x") for t in fig.data)


def test_small_multiples_draw_one_panel_per_kpi_with_data_and_one_legend() -> None:
    rows = []
    for code, name, unit, polarity, obs in (
        ("A", "Alpha", "%", "higher", [("2015-06-01", 70.0), ("2016-12-01", 95.0)]),
        ("B", "Beta", "Number", "lower", [("2015-06-01", 269.0), ("2016-12-01", 14.0)]),
        ("C", "Gamma", "%", "higher", [("2016-12-01", None)]),
    ):
        for month, value in obs:
            rows.append((code, name, unit, polarity, pd.Timestamp(month), value, 80.0 if unit == "%" else 0.0, None))
    series = pd.DataFrame(
        rows, columns=["kpi_code", "kpi_name", "unit", "polarity", "period", "value", "target", "missing_mark"]
    )
    fig = kpi_small_multiples(series, columns=2)
    titles = [a.text for a in fig.layout.annotations if "higher is better" in a.text or "lower is better" in a.text]
    assert [t.split("<br>")[0] for t in titles] == ["Alpha", "Beta"]
    assert {t.xaxis for t in fig.data} == {"x", "x2"}
    assert sum(1 for t in fig.data if t.showlegend) == len({t.name for t in fig.data if t.showlegend})


# ---------------------------------------------------------------- style


@pytest.mark.parametrize(
    ("period", "label", "expected"),
    [(date(2015, 9, 1), "Initial", "Initial (Sep 2015)"), (NOV, None, "Nov 2016"), (FEB, float("nan"), "Feb 2017")],
)
def test_period_label(period: date, label: object, expected: str) -> None:
    assert period_label(period, label) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(78.0, "%", "78%"), (73.6, "%", "73.6%"), (269.0, "Number", "269"), (None, "%", "no data")],
)
def test_format_value(value: float | None, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


def test_rating_names_and_palette() -> None:
    assert [rating_name(r) for r in ("R", "A", "LG", "DG", "C", None)] == [
        "Red", "Amber", "Light Green", "Dark Green", "Completed", "New (TBC)",
    ]  # fmt: skip
    assert len(set(PALETTE)) == len(PALETTE)


# ---------------------------------------------------------------- an upload's figures beside the store


def test_a_long_series_labels_its_first_last_lowest_and_highest_points_only() -> None:
    periods = pd.date_range("2014-01-01", periods=36, freq="MS")
    values = [50.0 + (i % 7) for i in range(36)]
    values[10], values[20] = 10.0, 95.0
    series = pd.DataFrame({"period": periods, "value": values, "target": [None] * 36, "missing_mark": [None] * 36})
    fig = kpi_trend(series, name="Long", unit="%", polarity="higher")
    labels = [t for trace in fig.data if trace.mode == "markers+text" for t in trace.text if t]
    assert sorted(labels) == sorted(["50%", "10%", "95%", format_value(values[-1], "%")])
    short = kpi_trend(series.head(24), name="Two years", unit="%", polarity="higher")
    assert sum(1 for trace in short.data if trace.mode == "markers+text" for t in trace.text if t) == 24
