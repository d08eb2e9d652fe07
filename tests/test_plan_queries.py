"""The board's plan and KPI queries against the seed council's data (the 2017 progress report)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from store import plan_queries as q

INITIAL, NOV, FEB = date(2015, 9, 1), date(2016, 11, 1), date(2017, 2, 1)
LA = "394"


@pytest.fixture
def db(store: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Every query here runs on both backends: the seed store on a DuckDB file and on PostgreSQL."""
    return store


def test_table1_reproduces_the_report(db: duckdb.DuckDBPyConnection) -> None:
    table = q.table1(q.rag_table(db, NOV, FEB), "Nov 16", "Current")
    assert table.iloc[-1].tolist() == ["Totals", 0, 0, 13, 8, 29, 8, 6, 26, 11, 17]
    assert table.iloc[2, 1:].tolist() == [0, 0, 4, 1, 10, 3, 0, 10, 6, 6]
    assert table["Priority"].iloc[0].startswith("1. Recruiting, retaining")
    assert list(table.columns[1:3]) == ["Red Nov 16", "Red Current"]


def test_rag_chart_counts_adds_new_actions_not_yet_rated(db: duckdb.DuckDBPyConnection) -> None:
    counts = q.rag_chart_counts(db, NOV, FEB)
    new = counts[counts["rating"] == "TBC"]
    assert int(new["actions"].sum()) == 8
    assert set(new["period"].astype(str)) == {"2017-02-01"}
    rated = counts[counts["rating"] != "TBC"]
    assert int(rated.loc[rated["period"].astype(str) == "2017-02-01", "actions"].sum()) == 59


def test_movement_tells_absent_from_not_yet_rated(db: duckdb.DuckDBPyConnection) -> None:
    moves = q.movement(db, NOV, FEB)
    assert moves["movement"].value_counts().to_dict() == {
        "improved": 27, "held": 26, "new, not yet rated": 8, "completed": 6,
    }  # fmt: skip
    new = moves[moves["movement"] == "new, not yet rated"]
    assert not new["in_previous"].any() and new["in_current"].all()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, 67),
        ({"ratings": ("R", "A")}, 8),
        ({"ratings": ("TBC",)}, 8),
        ({"new_only": True}, 8),
        ({"overdue_only": True}, 16),
        ({"overdue_only": True, "ratings": ("A",)}, 8),
        ({"priorities": (3,)}, 24),
        ({"priorities": (2, 5)}, 4),
        ({"ofsted_refs": ("Ofsted 8",)}, 1),
        ({"leads": ("Principal Social Worker",)}, 3),
        ({"leads": ("TBC",)}, 8),  # Cyrillic 'ТВС' in the export counts as TBC
        ({"search": "return interview"}, 1),
        ({"search": "RETURN INTERVIEW"}, 1),
        ({"search": "100%"}, 7),
        ({"search": "no such words anywhere"}, 0),
    ],
)
def test_explore_actions_filters(db: duckdb.DuckDBPyConnection, filters: dict[str, object], expected: int) -> None:
    assert len(q.explore_actions(db, FEB, **filters)) == expected  # type: ignore[arg-type]


def test_search_text_is_not_a_pattern(db: duckdb.DuckDBPyConnection) -> None:
    plan = q.explore_actions(db, FEB)
    text = plan["description"].fillna("") + " " + plan["success_measures"].fillna("") + " " + plan["note"].fillna("")
    assert len(q.explore_actions(db, FEB, search="%")) == int(text.str.contains("%", regex=False).sum()) < len(plan)
    assert q.explore_actions(db, FEB, search="_").empty
    assert q.explore_actions(db, FEB, search="' OR 1=1 --").empty


def test_overdue_means_timescale_passed_and_not_dark_green_or_completed(db: duckdb.DuckDBPyConnection) -> None:
    plan = q.explore_actions(db, FEB)
    overdue = plan[plan["overdue"]]
    assert not overdue["rating"].isin(["DG", "C"]).any()
    assert (overdue["timescale_month"] < "2017-02-01").all()
    assert set(overdue["action_ref"]) == set(q.actions_at(db, FEB).query("overdue")["action_ref"])


def test_timescale_typos_stay_visible(db: duckdb.DuckDBPyConnection) -> None:
    plan = q.explore_actions(db, FEB).set_index("action_ref")
    assert plan.loc["3.2", "timescale_shown"] == "12/1 (unreadable)"
    assert plan.loc["3.16", "timescale_shown"] == "06/06 (implausible)"
    assert plan.loc["3.3", "timescale_shown"] == "01/16"


def test_explore_at_the_initial_period(db: duckdb.DuckDBPyConnection) -> None:
    plan = q.explore_actions(db, INITIAL)
    assert len(plan) == 42 and set(plan["rating"]) == {"A", "LG"}


def test_lead_options_split_joint_leads_and_fold_lookalikes(db: duckdb.DuckDBPyConnection) -> None:
    leads = q.lead_options(db)
    assert "Principal Social Worker" in leads and "Director of Early Help" in leads
    assert "TBC" in leads and "ТВС" not in leads
    assert not [lead for lead in leads if "&" in lead or lead != lead.strip() or not lead]


def test_ofsted_options_in_recommendation_order(db: duckdb.DuckDBPyConnection) -> None:
    refs = q.ofsted_options(db)
    assert refs[:3] == ["Ofsted 1", "Ofsted 2", "Ofsted 3 (a)"]
    assert refs.index("Ofsted 9") < refs.index("Ofsted 10")


def test_action_detail_and_unknown_action(db: duckdb.DuckDBPyConnection) -> None:
    detail = q.action_detail(db, "3.13").iloc[0]
    assert detail["ofsted_ref"] == "Ofsted 19 (b)"
    assert detail["success_measures"].startswith("100% of children who have been missing")
    assert detail["priority_title"].startswith("Improving the quality and timeliness")
    assert q.action_detail(db, "9.99").empty


def test_action_kpis_links_an_action_to_its_evidence(db: duckdb.DuckDBPyConnection) -> None:
    linked = q.action_kpis(db, "3.13", LA)
    assert list(linked["kpi_code"]) == ["RETURN_INTERVIEWS"]
    assert linked["latest_value"].item() == 78.0 and linked["previous_value"].item() == 37.0
    assert not bool(linked["on_target"].item())
    assert set(q.action_kpis(db, "5.1", LA)["kpi_code"]) == {
        "LAC_VISITED_6WK", "SEEN_ASSESSMENT_10WD", "SEEN_CIN_8WK", "SEEN_CP_10WD",
    }  # fmt: skip
    assert q.action_kpis(db, "7.11", LA).empty


def test_kpi_series_all_for_small_multiples(db: duckdb.DuckDBPyConnection) -> None:
    series = q.kpi_series_all(db, LA)
    assert series["kpi_code"].nunique() == 12
    neet = series[series["kpi_code"] == "CL_NEET"]
    assert neet["value"].tolist() == [85.0, 53.4] and set(neet["polarity"]) == {"lower"}
    assert q.kpi_series_all(db, "999").empty


def test_delivery_vs_impact_names_dark_green_actions_whose_kpis_disagree(db: duckdb.DuckDBPyConnection) -> None:
    gaps = q.delivery_vs_impact(db, FEB, LA)
    off = gaps[gaps["concern"] == "off target"]
    assert set(off["action_ref"]) == {"3.1", "3.13", "6.1", "6.4", "6.5"}
    assert set(gaps["rating"]) <= {"DG", "C"}


def test_kpi_coverage_counts_kpis_with_a_value_per_month(db: duckdb.DuckDBPyConnection) -> None:
    months = q.kpi_coverage(db, LA)
    assert list(months.columns) == ["period", "kpis", "of"]
    assert months["period"].is_monotonic_increasing and (months["kpis"] >= 1).all()
    assert (months["of"] == db.execute("SELECT count(*) FROM kpis").fetchone()[0]).all()  # type: ignore[index]
    series = q.kpi_series_all(db, LA)
    observed = series[series["value"].notna()].groupby("period")["kpi_code"].nunique()
    latest = pd.Timestamp(months["period"].iloc[-1])
    assert months["kpis"].iloc[-1] == observed[observed.index == latest].iloc[0]
    assert len(q.kpi_coverage(db, LA, months=2)) == 2


def test_kpi_status_for_one_kpi_is_that_kpis_row_of_the_whole(db: duckdb.DuckDBPyConnection) -> None:
    everything = q.kpi_status(db, LA, FEB)
    one = q.kpi_status(db, LA, FEB, "CL_NEET")
    assert len(one) == 1
    expected = everything[everything["kpi_code"] == "CL_NEET"].reset_index(drop=True)
    pd.testing.assert_frame_equal(one, expected, check_dtype=False)  # one row: bool, not nullable boolean


def test_every_read_gives_the_same_answer_on_both_backends(db_path: object, pg_url: str) -> None:
    """The seed store on a DuckDB file and on PostgreSQL: each board question answered identically
    (values, column names and order), including the ones split or grouped outside SQL."""
    from store.backend import open_store
    from store.spc_summary import spc_summary
    from store.trajectories import kpi_trajectories

    questions = {
        "overview": lambda c: q.overview(c, NOV, FEB, LA),
        "explore by lead": lambda c: q.explore_actions(c, FEB, leads=tuple(q.lead_options(c)[:2])),
        "explore filtered": lambda c: q.explore_actions(c, FEB, (2, 3), ("A", "TBC"), search="social"),
        "leads": q.lead_options,
        "ofsted": q.ofsted_options,
        "catalogue": q.kpi_catalogue,
        "links": q.kpi_actions,
        "coverage": lambda c: q.kpi_coverage(c, LA),
        "spc": lambda c: spc_summary(c, LA),
        "spc at Nov 16": lambda c: spc_summary(c, LA, NOV),
        "trajectories": lambda c: kpi_trajectories(c, LA),
    }
    duck, pg = open_store(db_path), open_store(pg_url)
    try:
        for name, ask in questions.items():
            a, b = ask(duck), ask(pg)
            for key, left in a.items() if isinstance(a, dict) else [(name, a)]:
                right = b[key] if isinstance(b, dict) else b
                if isinstance(left, pd.DataFrame):
                    assert list(left.columns) == list(right.columns), (name, key)
                    assert len(left) > 0 or key in {"delivery_vs_impact"}, (name, key)
                    pd.testing.assert_frame_equal(
                        left.reset_index(drop=True),
                        right.reset_index(drop=True),
                        check_dtype=False,
                        obj=f"{name}/{key}",
                    )
                else:
                    assert left == right, (name, key)
    finally:
        duck.close()
        pg.close()
