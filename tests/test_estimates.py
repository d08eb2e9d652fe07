"""Inferred and estimated values: read from a file's Estimate note columns, stored, shown while current."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from loaders.ingest import read_bytes
from store.estimates import estimate_notes
from store.queries import catalogue
from store.writes import submit
from tests.helpers import xlsx

NOTE = "estimated: the fictional council's system was down; figure from the team's own count"


@pytest.fixture
def db(store: object) -> object:
    """On both backends: the seed store as a DuckDB file and as a PostgreSQL database."""
    return store


def _store(db, rows, name="return.xlsx"):  # type: ignore[no-untyped-def]
    data = xlsx(rows)
    parsed = read_bytes(data, name, catalogue=catalogue(db), default_la="999")
    assert parsed.ok, [p.describe() for p in parsed.problems.errors]
    return parsed, submit(db, parsed, data, "officer")


def _notes(db, subject):  # type: ignore[no-untyped-def]
    frame = estimate_notes(db, subject)
    return [(r["ref"], r["la_code"], None if pd.isna(r["period"]) else r["period"].date(), r["note"])
            for r in frame.to_dict("records")]  # fmt: skip


def _ours(db, subject):  # type: ignore[no-untyped-def]
    """This test's notes, not the seed's."""
    return [n for n in _notes(db, subject) if n[0].startswith(("FICTIONAL", "9."))]


def test_an_estimated_kpi_value_is_stored_and_stops_being_one_when_replaced(db) -> None:  # type: ignore[no-untyped-def]
    heading = ["KPI", "Month", "Value", "Good is", "Estimate note"]
    parsed, outcome = _store(db, [heading, ["Fictional caseload", "2016-12", 17, "Low", NOTE],
                                  ["Fictional caseload", "2017-01", 16, "Low", ""]])  # fmt: skip
    assert parsed.kpi is not None and parsed.kpi.observations["estimate_note"].tolist() == [NOTE, ""]
    assert outcome.status == "stored"
    assert _ours(db, "observation") == [("FICTIONAL_CASELOAD", "999", date(2016, 12, 1), NOTE)]
    _store(db, [heading, ["Fictional caseload", "2016-12", 18, "Low", ""]], "corrected.xlsx")
    assert _ours(db, "observation") == []  # the real figure replaced the estimate


def test_a_plan_marks_an_action_and_one_rag_column_as_inferred(db) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["Ref", "Action", "Lead", "RAG Nov 16", "RAG Feb 17", "Estimate note", "Estimate note RAG Nov 16"],
        ["Priority 9: A fictional priority"],
        ["9.1", "A fictional action", "Head of Service", "C", "C", "", "inferred: deduced from Table 1"],
        ["9.X", "Counted, not itemised", "", "C", "C", "inferred: Table 1 counts it", ""],
    ]
    parsed, outcome = _store(db, rows, "plan.xlsx")
    assert outcome.status == "stored" and parsed.plan is not None
    assert not [p for p in parsed.problems.warnings if p.code == "file.column_ignored"]
    assert _ours(db, "rating") == [("9.1", "", date(2016, 11, 1), "inferred: deduced from Table 1")]
    assert _ours(db, "action") == [("9.X", "", None, "inferred: Table 1 counts it")]


def test_the_seed_flags_what_the_report_implies(db) -> None:  # type: ignore[no-untyped-def]
    """Sunderland's seed: the 90% of posts filled, eight deduced Nov 16 ratings, three uncounted actions."""
    observations = _notes(db, "observation")
    assert [(ref, period) for ref, _, period, _ in observations] == [("SW_PERMANENT_POSTS", date(2016, 12, 1))]
    assert "has been achieved" in observations[0][3]
    assert [ref for ref, *_ in _notes(db, "action")] == ["1.X", "3.6", "5.X"]
    ratings = _notes(db, "rating")
    nov = [ref for ref, _, period, _ in ratings if period == date(2016, 11, 1)]
    assert len(nov) == 11 and {"1.X", "3.6", "5.X"} <= set(nov)  # 8 deduced from Table 1 + the 3 uncounted
    initial = [note for _, _, period, note in ratings if period == date(2015, 9, 1)]
    assert initial and all(note.startswith("month assumed") for note in initial)


def test_the_kpi_chart_table_and_csv_show_the_note(db) -> None:  # type: ignore[no-untyped-def]
    from charts.kpi import kpi_trend, trend_table
    from store.plan_queries import kpi_series

    series = kpi_series(db, "SW_PERMANENT_POSTS", "394")
    table = trend_table(series, "%", "higher")
    assert table["Note"].tolist() == [series["estimate_note"].iloc[0]] and "inferred" in table["Note"].iloc[0]
    assert "inferred: the report says" in table.to_csv()
    fig = kpi_trend(series, name="Posts filled", unit="%", polarity="higher", target=90)
    ring = [t for t in fig.data if t.name == "Inferred or estimated (see Note)"]
    assert len(ring) == 1 and list(ring[0].y) == [90.0] and "inferred" in ring[0].customdata[0][0]
    plain = kpi_trend(kpi_series(db, "RETURN_INTERVIEWS", "394"), name="RI", unit="%", polarity="higher")
    assert not [t for t in plain.data if t.name == "Inferred or estimated (see Note)"]


def test_an_inferred_rating_is_ringed_and_noted_in_the_action_timeline(db) -> None:  # type: ignore[no-untyped-def]
    from charts.rag import rag_timeline
    from reports.tables import timeline_table
    from store.plan_queries import rating_history

    history = rating_history(db, "1.3")  # Nov 16 rating deduced from Table 1; Feb 17 printed
    table = timeline_table(history)
    notes = dict(zip(table["Period"], table["Note"], strict=True))
    assert "Table 1" in notes["Nov 2016"] and notes["Feb 2017"] == ""
    ring = [t for t in rag_timeline(history).data if t.name == "Inferred (see Note)"]
    assert len(ring) == 1 and len(ring[0].x) == 1 and "Table 1" in ring[0].customdata[0][0]


def test_the_plan_tables_carry_action_and_rating_notes(db_path) -> None:  # type: ignore[no-untyped-def]
    """actions_at (the overview's and board pack's action lists) is DuckDB SQL, as the board pages are."""
    from store import connect
    from store.plan_queries import actions_at

    conn = connect(db_path)
    at = actions_at(conn, date(2016, 11, 1)).set_index("action_ref")
    conn.close()
    assert "Appendix A does not itemise" in at.loc["3.6", "estimate_note"] and at.loc["1.1", "estimate_note"] == ""
    assert "Table 1" in at.loc["1.3", "rating_note"] and at.loc["1.1", "rating_note"] == ""


def test_the_kpi_return_template_offers_an_estimate_note_that_reads_back(db_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    from reports.templates import kpi_long_template
    from store import connect

    conn = connect(db_path)
    template = kpi_long_template(conn, "999", date(2017, 3, 1))
    book = load_workbook(io.BytesIO(template))
    ws = book.active
    assert ws is not None
    heading = [c.value for c in ws[3]]
    assert heading[-1] == "Estimate note"
    ws.cell(row=4, column=5, value=12)
    ws.cell(row=4, column=6, value=NOTE)
    out = io.BytesIO()
    book.save(out)
    parsed = read_bytes(out.getvalue(), "filled.xlsx", catalogue=catalogue(conn), default_la="999")
    conn.close()
    assert parsed.ok and parsed.kpi is not None
    assert parsed.kpi.observations["estimate_note"].tolist() == [NOTE]
