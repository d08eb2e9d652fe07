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


def test_an_estimated_kpi_value_is_stored_and_stops_being_one_when_replaced(db) -> None:  # type: ignore[no-untyped-def]
    heading = ["KPI", "Month", "Value", "Good is", "Estimate note"]
    parsed, outcome = _store(db, [heading, ["Fictional caseload", "2016-12", 17, "Low", NOTE],
                                  ["Fictional caseload", "2017-01", 16, "Low", ""]])  # fmt: skip
    assert parsed.kpi is not None and parsed.kpi.observations["estimate_note"].tolist() == [NOTE, ""]
    assert outcome.status == "stored"
    assert _notes(db, "observation") == [("FICTIONAL_CASELOAD", "999", date(2016, 12, 1), NOTE)]
    _store(db, [heading, ["Fictional caseload", "2016-12", 18, "Low", ""]], "corrected.xlsx")
    assert _notes(db, "observation") == []  # the real figure replaced the estimate


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
    assert _notes(db, "rating") == [("9.1", "", date(2016, 11, 1), "inferred: deduced from Table 1")]
    assert _notes(db, "action") == [("9.X", "", None, "inferred: Table 1 counts it")]
