"""Benchmark queries against figures worked out by hand from the raw published files.

The expected values are computed here with pandas, numpy and openpyxl straight from data/lait, not
through the loader, so a loader bug cannot hide a query bug.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from functools import cache

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest

from charts import benchmark_text as charts
from store import benchmark_queries as q
from store import connect
from store.benchmark import LAIT_DIR
from ui.benchmark_model import benchmark_page

SUNDERLAND = "394"
CASELOAD, EET = "Work_Force_AvgNumCase_SW", "CareLeaverEET"


@pytest.fixture(scope="module")
def lait_pg(pg_server: str) -> Iterator[object]:
    """A PostgreSQL copy of the seed store with all of the shipped DfE LAIT extract loaded (read only here)."""
    import psycopg

    from store.backend import open_store
    from store.benchmark import load_directory as load_benchmarks
    from tests.postgres import database_url

    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute("CREATE DATABASE lait_queries TEMPLATE seed_template")
    store = open_store(database_url(pg_server, "lait_queries"))
    load_benchmarks(store, user="test", note="DfE LAIT data shipped in data/lait")  # type: ignore[arg-type]
    yield store
    store.close()


@pytest.fixture(params=["duckdb", "postgresql"])
def db(request: pytest.FixtureRequest) -> Iterator[object]:
    """Every benchmark question on both backends: the seed DuckDB file and PostgreSQL, same extract."""
    if request.param == "postgresql":
        yield request.getfixturevalue("lait_pg")
        return
    conn = connect(request.getfixturevalue("db_path"))
    yield conn
    conn.close()


@cache
def raw() -> pd.DataFrame:
    frame = pd.read_parquet(LAIT_DIR / "bds_long_0.parquet")
    frame["number"] = pd.to_numeric(frame["Values"], errors="coerce")
    frame["la"] = frame["LA Number"].astype(int).astype(str)
    return frame


@cache
def raw_neighbours(workbook: str, la_code: str) -> list[str]:
    sheet = openpyxl.load_workbook(LAIT_DIR / workbook, read_only=True).worksheets[0]
    for row in sheet.iter_rows(min_row=4, values_only=True):  # rows 1-2 are stray headers, row 3 the headings
        if row[0] is not None and str(row[0]) == la_code:
            return [str(int(row[c])) for c in range(5, 25, 2)]
    raise AssertionError(f"{la_code} not in {workbook}")


def raw_values(measure: str, period: str, codes: list[str] | None = None) -> pd.Series:
    f = raw()
    rows = f[(f["Short Desc"] == measure) & (f["Years"] == period)]
    rows = rows[rows["la"].isin(codes)] if codes is not None else rows[rows["LA Number"] < 970]
    return rows.set_index("la")["number"]


def by_hand_rank(measure: str, period: str, la_code: str, higher_is_better: bool) -> tuple[int, int, int]:
    """(rank with ties sharing the better place, councils with a value, quartile 1 = best) as LAIT defines them."""
    values = raw_values(measure, period).dropna()
    mine = values[la_code]
    better = (values > mine).sum() if higher_is_better else (values < mine).sum()
    q25, q50, q75 = np.percentile(values.to_numpy(), [25, 50, 75])  # linear interpolation, as R's default
    if higher_is_better:
        quartile = 1 if mine > q75 else 2 if mine > q50 else 3 if mine > q25 else 4
    else:
        quartile = 1 if mine <= q25 else 2 if mine <= q50 else 3 if mine <= q75 else 4
    return int(better) + 1, len(values), quartile


@pytest.mark.parametrize(
    ("measure", "period", "workbook", "grouping"),
    [
        (CASELOAD, "2017", "sn_may_2025.xlsx", "2025"),
        (CASELOAD, "2016", "sn_may_2025.xlsx", "2025"),  # one neighbour suppressed ('-') that year
        (EET, "2024", "sn_april_2021.xlsx", "2021"),
        (EET, "2016", "sn_may_2025.xlsx", None),  # newest grouping by default
    ],
)
def test_neighbour_mean_and_median_match_the_raw_files(
    db: duckdb.DuckDBPyConnection, measure: str, period: str, workbook: str, grouping: str | None
) -> None:
    codes = raw_neighbours(workbook, SUNDERLAND)
    values = raw_values(measure, period, codes).dropna().tolist()
    summary = q.neighbour_summary(db, measure, SUNDERLAND, grouping).set_index("period")
    assert summary.at[period, "mean"] == pytest.approx(statistics.mean(values))
    assert summary.at[period, "median"] == pytest.approx(statistics.median(values))
    assert summary.at[period, "neighbours_with_value"] == len(values)
    assert summary.at[period, "neighbours"] == 10


def test_neighbours_follow_the_chosen_grouping(db: duckdb.DuckDBPyConnection) -> None:
    assert list(q.neighbours(db, SUNDERLAND)["la_code"]) == raw_neighbours("sn_may_2025.xlsx", SUNDERLAND)
    assert list(q.neighbours(db, SUNDERLAND, "2021")["la_code"]) == raw_neighbours("sn_april_2021.xlsx", SUNDERLAND)
    assert list(q.groupings(db)["grouping"]) == ["2025", "2021"]
    series = q.neighbour_series(db, CASELOAD, SUNDERLAND, "2021")
    assert set(series.loc[series["role"] == "neighbour", "la_code"]) == set(raw_neighbours("sn_april_2021.xlsx", "394"))


@pytest.mark.parametrize(
    ("measure", "period", "la_code", "higher"),
    [
        (CASELOAD, "2017", SUNDERLAND, False),
        (CASELOAD, "2022", SUNDERLAND, False),
        (EET, "2016", SUNDERLAND, True),
        (EET, "2017", SUNDERLAND, True),
        (EET, "2025", "393", True),  # South Tyneside, tied with another council
        ("ReReferral", "2024", SUNDERLAND, False),
        ("TotPermEx", "2023/24", SUNDERLAND, False),  # values finer than the dictionary's 2 dps
        ("YJS_Caution-Sentence10-17_YO", "2024-25", SUNDERLAND, False),
    ],
)
def test_rank_and_quartile_match_the_raw_files(
    db: duckdb.DuckDBPyConnection, measure: str, period: str, la_code: str, higher: bool
) -> None:
    rank, councils, quartile = by_hand_rank(measure, period, la_code, higher)
    row = q.rankings(db, measure, la_code).set_index("period").loc[period]
    assert (row["rank"], row["councils_ranked"], row["quartile"]) == (rank, councils, quartile)
    assert row["band"] == "ABCD"[quartile - 1]


def test_caseload_2017_by_hand(db: duckdb.DuckDBPyConnection) -> None:
    row = q.rankings(db, CASELOAD, SUNDERLAND).set_index("period").loc["2017"]
    assert row["value"] == 21.6
    assert (row["rank"], row["councils_ranked"], row["quartile"]) == (137, 151, 4)


def test_no_direction_means_no_rank_and_no_quartile_flag_means_no_quartile(db: duckdb.DuckDBPyConnection) -> None:
    starters = q.rankings(db, "Social_Work_Starters", SUNDERLAND)  # polarity '-'
    assert len(starters) and starters["rank"].isna().all() and starters["quartile"].isna().all()
    exclusions = q.rankings(db, "CINPermExclusion", SUNDERLAND)  # Low, No_Quartile = N
    ranked = exclusions.dropna(subset=["rank"])
    assert len(ranked) and ranked["quartile"].isna().all()
    rank, councils, _ = by_hand_rank("CINPermExclusion", "2023", SUNDERLAND, higher_is_better=False)
    row = exclusions.set_index("period").loc["2023"]
    assert (row["rank"], row["councils_ranked"]) == (rank, councils)


def test_region_and_england(db: duckdb.DuckDBPyConnection) -> None:
    found = q.region_england_series(db, CASELOAD, SUNDERLAND)
    year_2017 = found[found["period"] == "2017"].set_index("role")
    f = raw()
    expected = f[(f["Short Desc"] == CASELOAD) & (f["Years"] == "2017") & f["la"].isin(["970", "980"])]
    assert year_2017.at["england", "value"] == 17.7 == expected.set_index("la").at["970", "number"]
    assert year_2017.at["region", "name"] == "North East"
    assert year_2017.at["region", "value"] == expected.set_index("la").at["980", "number"]


def test_comparison_lines_up_each_series_by_period(db: duckdb.DuckDBPyConnection) -> None:
    table = q.comparison(db, CASELOAD, SUNDERLAND, "2025")
    assert list(table["period"]) == [str(y) for y in range(2016, 2026)]
    row = table.set_index("period").loc["2017"]
    assert (row["council"], row["england"]) == (21.6, 17.7)
    values = raw_values(CASELOAD, "2017", raw_neighbours("sn_may_2025.xlsx", SUNDERLAND))
    assert row["neighbours_mean"] == pytest.approx(values.mean())


def test_every_council_for_the_latest_year(db: duckdb.DuckDBPyConnection) -> None:
    frame = q.latest_all_councils(db, EET)
    assert set(frame["period"]) == {"2025"}
    expected = raw_values(EET, "2025")
    with_value = set(expected[expected.notna()].index)
    assert set(frame.loc[frame["value"].notna(), "la_code"]) == with_value  # councils only: no regions, England
    former = {"835", "836", "837", "909", "928"}  # listed under "Old SNs:" in sn_may_2025.xlsx
    assert set(frame["la_code"]) == (set(expected.index) - former) | with_value
    ranks = frame.dropna(subset=["rank"])
    assert ranks["rank"].is_monotonic_increasing and ranks["rank"].iloc[0] == 1
    best = expected.max()
    assert set(frame.loc[frame["rank"] == 1, "value"]) == {best}


@pytest.mark.parametrize(
    ("search", "topic", "expected", "absent"),
    [
        ("caseload", "", CASELOAD, None),
        ("social worker CASELOAD", "", CASELOAD, None),
        ("care leavers education employment", "Children Looked After", EET, CASELOAD),
        ("", "Children's Services Workforce", CASELOAD, EET),
    ],
)
def test_measures_by_topic_and_words(
    db: duckdb.DuckDBPyConnection, search: str, topic: str, expected: str, absent: str | None
) -> None:
    found = q.measures(db, search, topic)
    assert expected in set(found["measure"])
    if absent:
        assert absent not in set(found["measure"])
    if topic:
        assert set(found["topic"]) == {topic}


def test_search_words_are_data_not_sql(db: duckdb.DuckDBPyConnection) -> None:
    assert q.measures(db, "'; DROP TABLE benchmark_value_entry; --").empty
    assert "CareLeaverAcc" in set(q.measures(db, "(%) suitable")["measure"])  # % and ( are plain text
    assert db.execute("SELECT count(*) FROM benchmark_value_entry").fetchone() == (641_070,)
    assert len(q.measures(db)) == 448  # every measure under every topic it is listed under


def test_kpi_benchmarks_apply_the_mapping(db: duckdb.DuckDBPyConnection) -> None:
    neet = q.kpi_benchmarks(db, "CL_NEET", SUNDERLAND)
    assert list(neet.columns) == ["label", "value", "year_label", "source"]
    rows = neet.set_index("label")
    f = raw()
    eet_2025 = f[(f["Short Desc"] == EET) & (f["Years"] == "2025")].set_index("la")["number"]
    assert rows.at["England", "value"] == pytest.approx(100 - eet_2025["970"])
    assert rows.at["North East", "value"] == pytest.approx(100 - eet_2025["980"])
    sn = [label for label in rows.index if label.startswith("Statistical neighbours")]
    assert sn == ["Statistical neighbours' mean (May 2025 groups)"]
    neighbours = eet_2025[raw_neighbours("sn_may_2025.xlsx", SUNDERLAND)]
    assert rows.at[sn[0], "value"] == pytest.approx(100 - neighbours.mean())
    assert set(rows["year_label"]) == {"2025"}
    assert set(rows["source"]) == {"DfE LAIT, CareLeaverEET (as 100 - value)"}
    caseload = q.kpi_benchmarks(db, "SW_CASELOAD_AVG", SUNDERLAND).set_index("label")
    assert caseload.at["England", "value"] == 15.2 and caseload.at["England", "source"] == "DfE LAIT, " + CASELOAD


def test_an_unmapped_kpi_has_no_benchmarks(db: duckdb.DuckDBPyConnection) -> None:
    frame = q.kpi_benchmarks(db, "UNALLOCATED_CASES", SUNDERLAND)
    assert frame.empty and list(frame.columns) == ["label", "value", "year_label", "source"]


def test_extract_info_and_councils(db: duckdb.DuckDBPyConnection) -> None:
    info = q.extract_info(db)
    assert info is not None and info["values_stored"] == 641_070 and info["measures"] == 434
    councils = q.councils(db)
    assert len(councils) == 158 and "970" not in set(councils["la_code"])
    assert list(councils["status"].iloc[-5:]) == ["former"] * 5


# ---------------------------------------------------------------- the charts and words built from these queries


def test_the_page_content_for_sunderland_caseload(db: duckdb.DuckDBPyConnection) -> None:
    view = q.measure_view(db, CASELOAD, SUNDERLAND, "2025")
    extract = q.extract_info(db)
    assert extract is not None
    page = benchmark_page(view, measure=CASELOAD, la_code=SUNDERLAND, council="Sunderland",
                          region="North East", grouping_label="May 2025", extract=extract)  # fmt: skip
    assert page.intro[1] == (
        "In 2025 Sunderland's figure was 17.1: worse than its statistical neighbours' mean (15.81), "
        "worse than its region (16.5) and worse than England (15.2)."
    )
    assert page.intro[2] == (
        "In 2025 Sunderland ranked 123rd of 151 councils with a figure (1st = lowest), "
        "in the worst quarter of councils (band D)."
    )
    figures = [s.figure for s in page.sections if s.figure is not None]
    assert len(figures) == 3
    for figure in figures:  # built without validation for speed: check they are valid plotly
        go.Figure(figure.to_dict())
    comparison, rank, everyone = figures
    council = comparison.data[-1]
    assert council.name == "Sunderland" and list(council.y) == list(view["comparison"]["council"])
    assert sum(1 for t in comparison.data if t.legendgroup == "neighbours" and t.showlegend is False) == 10
    england = next(t for t in comparison.data if t.name == "England")
    assert england.y[1] == 17.7 and list(comparison.layout.xaxis.categoryarray)[:2] == ["2016", "2017"]
    assert list(rank.data[0].y)[1] == 137 and list(rank.data[0].text)[1] == "D"
    assert rank.layout.yaxis.range[0] > rank.layout.yaxis.range[1]  # 1st at the top
    bars = {t.name: list(t.x) for t in everyone.data}
    assert bars["Sunderland"] == ["Sunderland"] and {"Redcar and Cleveland", "Rochdale"} <= set(
        bars["Statistical neighbours"]
    )
    assert [a.text for a in everyone.layout.annotations] == ["Sunderland 17.1", "England 15.2"]
    assert everyone.layout.shapes[0].y0 == 15.2
    assert [s.file_name for s in page.sections if s.file_name] == [
        f"benchmark-{CASELOAD}-394.csv", f"benchmark-{CASELOAD}-394-rank.csv",
        f"benchmark-{CASELOAD}-all-councils-2025.csv",
    ]  # fmt: skip
    assert page.notes and page.notes[0].startswith("Shown beside the local KPI SW_CASELOAD_AVG")
    assert "Last updated March 2026; next update March 2027" in page.source


@pytest.mark.parametrize(
    ("value", "dps", "expected"),
    [(16.1, None, "16.1"), (17.0, None, "17"), (0.00371, 2, "0.00"), (0.00371, None, "0.00371"),
     (1234.5, 0, "1,234"), (None, 1, "not available"), (float("nan"), None, "not available")],
)  # fmt: skip
def test_figures_are_shown_as_the_dictionary_says(value: object, dps: object, expected: str) -> None:
    assert charts.fmt(value, dps) == expected


def test_words_for_a_measure_with_no_better_direction() -> None:
    comparison = pd.DataFrame(
        {"period": ["2025"], "council": [10.0], "neighbours_mean": [12.0], "region": [10.0], "england": [None]}
    )
    assert charts.position_sentence("X", comparison, None, None) == (
        "In 2025 X's figure was 10: lower than its statistical neighbours' mean (12) and the same as its region (10)."
    )
    assert "not ranked" in charts.rank_sentence("X", pd.DataFrame(), None, False)
    assert charts.ordinal(1) == "1st" and charts.ordinal(12) == "12th" and charts.ordinal(123) == "123rd"


def test_benchmark_reads_are_the_same_on_both_backends(db_path: object, lait_pg: object) -> None:
    """The same LAIT extract on DuckDB and on PostgreSQL gives the same frames (values, columns, order),
    including the published figures laid on a KPI's monthly chart."""
    from store.kpi_comparators import kpi_comparators

    questions = {
        "comparison": lambda c: q.comparison(c, CASELOAD, "394"),
        "neighbours": lambda c: q.neighbour_summary(c, CASELOAD, "394"),
        "every council": lambda c: q.latest_all_councils(c, CASELOAD),
        "rankings": lambda c: q.rankings(c, CASELOAD, "394"),
        "councils": q.councils,
        "topics": q.topics,
        "measures": lambda c: q.measures(c, "social worker"),
        "kpi benchmarks": lambda c: q.kpi_benchmarks(c, "SW_CASELOAD_AVG", "394"),
        "caseload comparators": lambda c: kpi_comparators(c, "SW_CASELOAD_AVG", "394"),
        "NEET comparators": lambda c: kpi_comparators(c, "CL_NEET", "394"),
    }
    duck = connect(db_path)  # type: ignore[arg-type]
    try:
        for name, ask in questions.items():
            left, right = ask(duck), ask(lait_pg)
            assert len(left) > 0, name
            pd.testing.assert_frame_equal(
                left.reset_index(drop=True), right.reset_index(drop=True), check_dtype=False, obj=name
            )
    finally:
        duck.close()
