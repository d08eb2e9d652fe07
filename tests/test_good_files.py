"""Files in the accepted shapes load exactly as meant (fictional council 999)."""

from datetime import date
from pathlib import Path

import duckdb

from loaders.ingest import read_path
from store.queries import catalogue
from store.writes import submit

GOOD = Path(__file__).parent / "data" / "good"
MONTHS = {"Initial": date(2015, 9, 1), "Previous": date(2016, 11, 1), "Current": date(2017, 2, 1)}


def test_long_csv_with_bom_semicolons_title_and_footnote() -> None:
    parsed = read_path(GOOD / "kpi_long_semicolon_bom.csv")
    assert parsed.ok and parsed.kpi is not None
    rows = parsed.kpi.observations.sort_values(["kpi_code", "period"])[
        ["kpi_code", "la_code", "period", "value", "missing_mark", "excel_row"]
    ]
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["AVERAGE_CASELOAD", "999", date(2016, 4, 1), 18.5, None, 6],
        ["AVERAGE_CASELOAD", "999", date(2016, 5, 1), None, "-", 7],
        ["RETURN_INTERVIEWS", "999", date(2016, 4, 1), 55.0, None, 4],
        ["RETURN_INTERVIEWS", "999", date(2016, 5, 1), None, "n/a", 5],
    ]
    assert parsed.kpi.kpis.set_index("kpi_code")["unit"].to_dict() == {
        "RETURN_INTERVIEWS": "%", "AVERAGE_CASELOAD": "Number",
    }  # fmt: skip


def test_wide_workbook_with_date_and_text_month_headings_and_percent_cells() -> None:
    parsed = read_path(GOOD / "kpi_wide_mixed_months.xlsx", default_la="999")
    assert parsed.ok and parsed.kpi is not None
    values = {(r.kpi_code, r.period): r.value for r in parsed.kpi.observations.itertuples()}
    assert values == {
        ("NM_RI", date(2016, 4, 1)): 55.0, ("NM_RI", date(2016, 5, 1)): 60.0,
        ("NM_CL", date(2016, 4, 1)): 19.0, ("NM_CL", date(2016, 5, 1)): 18.5, ("NM_CL", date(2016, 6, 1)): 17.0,
    }  # fmt: skip
    kpis = parsed.kpi.kpis.set_index("kpi_code")
    assert kpis.loc["NM_RI", "target"] == 100 and kpis.loc["NM_RI", "polarity"] == "higher"
    assert kpis.loc["NM_CL", "polarity"] == "lower"


def test_plan_with_relative_headings_words_fills_and_merged_priority_row() -> None:
    parsed = read_path(GOOD / "plan_relative_headings.xlsx", rag_months=MONTHS)
    assert parsed.ok and parsed.plan is not None
    ratings = {(r.action_ref, r.period): r.rating for r in parsed.plan.ratings.itertuples()}
    assert ratings == {
        ("1.1", date(2015, 9, 1)): "R", ("1.1", date(2016, 11, 1)): "A", ("1.1", date(2017, 2, 1)): "DG",
        ("1.2", date(2015, 9, 1)): "A", ("1.2", date(2016, 11, 1)): "LG", ("1.2", date(2017, 2, 1)): "C",
        ("NEW 1", date(2017, 2, 1)): None,
    }  # fmt: skip
    action = parsed.plan.actions.set_index("action_ref").loc["1.1"]
    assert (action["ofsted_ref"], action["priority"], action["lead"]) == ("Ofsted 7 (a)", 1, "Head of HR")
    assert parsed.plan.priorities.to_dict("records") == [
        {"priority": 1, "title": "A fictional workforce priority", "outcome": "Staff are stable."}
    ]


def test_good_files_store_and_read_back(db: duckdb.DuckDBPyConnection) -> None:
    for name in ("kpi_long_semicolon_bom.csv", "kpi_wide_mixed_months.xlsx"):
        parsed = read_path(GOOD / name, catalogue=catalogue(db), default_la="999")
        assert submit(db, parsed, (GOOD / name).read_bytes(), "test").status == "stored"
    rows = db.execute(
        "SELECT kpi_code, period, value, missing_mark FROM kpi_observations WHERE la_code = '999' ORDER BY ALL"
    ).fetchall()
    assert len(rows) == 9
    assert ("AVERAGE_CASELOAD", date(2016, 5, 1), None, "-") in rows
