"""Append-only, versioned, all-or-nothing storage."""

from datetime import date

import duckdb
import psycopg
import pytest

from loaders.ingest import read_bytes
from store.queries import catalogue
from store.writes import changes, submit
from tests.helpers import long_kpi

DEC_16 = date(2016, 12, 1)


@pytest.fixture
def db(store: object) -> object:
    """These tests run on both backends: the seed store as DuckDB file and as PostgreSQL database."""
    return store


def _read(db: duckdb.DuckDBPyConnection, data: bytes, name: str = "return.xlsx"):  # type: ignore[no-untyped-def]
    return read_bytes(data, name, catalogue=catalogue(db), default_la="394")


def _value(db: duckdb.DuckDBPyConnection, code: str, period: date) -> float | None:
    row = db.execute("SELECT value FROM kpi_observations WHERE kpi_code = ? AND period = ?", [code, period]).fetchone()
    return None if row is None else row[0]


def test_a_new_value_is_a_new_version_and_the_old_one_stays(db: duckdb.DuckDBPyConnection) -> None:
    data = long_kpi([("Return interviews completed", "Dec-16", 85)])
    outcome = submit(db, _read(db, data), data, "officer")
    assert outcome.status == "stored"
    assert outcome.changes is not None and outcome.changes.counts["observations"] == {
        "new": 1, "changed": 0, "unchanged": 0,
    }  # fmt: skip
    assert _value(db, "RETURN_INTERVIEWS", DEC_16) == 85
    data = long_kpi([("RETURN_INTERVIEWS", "Dec-16", 88)])
    assert submit(db, _read(db, data), data, "officer").status == "stored"
    assert _value(db, "RETURN_INTERVIEWS", DEC_16) == 88
    history = db.execute(
        "SELECT value FROM observation_entry WHERE kpi_code = 'RETURN_INTERVIEWS' AND period = ?"
        " ORDER BY submission_id",
        [DEC_16],
    ).fetchall()
    assert history == [(85,), (88,)]


def test_loading_the_same_file_twice_changes_nothing_and_says_so(db: duckdb.DuckDBPyConnection) -> None:
    data = long_kpi([("Return interviews completed", "Dec-16", 85)])
    first = submit(db, _read(db, data), data, "officer")
    before = db.execute("SELECT count(*) FROM submission_log").fetchone()
    again = submit(db, _read(db, data), data, "officer")
    assert again.status == "duplicate" and str(first.submission_id) in again.message
    assert db.execute("SELECT count(*) FROM submission_log").fetchone() == before


def test_a_file_that_matches_the_store_is_not_stored(db: duckdb.DuckDBPyConnection) -> None:
    data = long_kpi([("RETURN_INTERVIEWS", "Nov-16", 78)], target=100)  # as the report says
    outcome = submit(db, _read(db, data), data, "officer")
    assert outcome.status == "unchanged"
    assert outcome.changes is not None and outcome.changes.counts["observations"]["unchanged"] == 1


def test_a_file_with_errors_stores_nothing(db: duckdb.DuckDBPyConnection) -> None:
    data = long_kpi([("RETURN_INTERVIEWS", "Dec-16", 85), ("RETURN_INTERVIEWS", "Jan-17", "lots")])
    parsed = _read(db, data)
    assert not parsed.ok
    before = db.execute("SELECT count(*) FROM observation_entry").fetchone()
    assert submit(db, parsed, data, "officer").status == "rejected"
    assert db.execute("SELECT count(*) FROM observation_entry").fetchone() == before
    assert _value(db, "RETURN_INTERVIEWS", DEC_16) is None


def test_a_failure_midway_rolls_back_the_whole_submission(
    db: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = long_kpi([("RETURN_INTERVIEWS", "Dec-16", 85)])
    parsed = _read(db, data)
    counts = db.execute("SELECT (SELECT count(*) FROM submission_log), (SELECT count(*) FROM observation_entry)")
    before = counts.fetchone()
    assert parsed.kpi is not None
    parsed.kpi.observations.loc[0, "kpi_code"] = None  # violates NOT NULL after the log row is written
    with pytest.raises((duckdb.ConstraintException, psycopg.errors.NotNullViolation)):
        submit(db, parsed, data, "officer")
    after = db.execute("SELECT (SELECT count(*) FROM submission_log), (SELECT count(*) FROM observation_entry)")
    assert after.fetchone() == before


def test_preview_counts_new_changed_and_unchanged(db: duckdb.DuckDBPyConnection) -> None:
    data = long_kpi(
        [("RETURN_INTERVIEWS", "Oct-16", 37), ("RETURN_INTERVIEWS", "Nov-16", 80), ("RETURN_INTERVIEWS", "Dec-16", 85)],
        target=100,
    )
    found = changes(db, _read(db, data))
    assert found.counts["observations"] == {"new": 1, "changed": 1, "unchanged": 1}
    changed = found.observations[found.observations["change"] == "changed"].iloc[0]
    assert (changed["old_value"], changed["new_value"]) == (78, 80)
    assert _value(db, "RETURN_INTERVIEWS", date(2016, 11, 1)) == 78  # preview stored nothing


def test_a_rolled_back_submission_stops_counting_and_can_be_reapplied(db: duckdb.DuckDBPyConnection) -> None:
    data = long_kpi([("RETURN_INTERVIEWS", "Nov-16", 80)])
    sid = submit(db, _read(db, data), data, "officer").submission_id
    assert _value(db, "RETURN_INTERVIEWS", date(2016, 11, 1)) == 80
    db.execute("INSERT INTO submission_event VALUES (nextval('event_id_seq'), ?, 'rolled_back', now(), 'admin')", [sid])
    assert _value(db, "RETURN_INTERVIEWS", date(2016, 11, 1)) == 78
    db.execute("INSERT INTO submission_event VALUES (nextval('event_id_seq'), ?, 'reapplied', now(), 'admin')", [sid])
    assert _value(db, "RETURN_INTERVIEWS", date(2016, 11, 1)) == 80


def test_a_new_kpi_is_created_from_the_file(db: duckdb.DuckDBPyConnection) -> None:
    data = long_kpi([("Re-referrals within 12 months %", "Dec-16", "21%")])
    parsed = _read(db, data)
    assert [p.code for p in parsed.problems.warnings] == ["kpi.no_polarity"]
    assert submit(db, parsed, data, "officer").status == "stored"
    row = db.execute("SELECT name, unit, polarity FROM kpis WHERE kpi_code = 'RE_REFERRALS_WITHIN_12_MONTHS'")
    assert row.fetchone() == ("Re-referrals within 12 months %", "%", None)


def test_a_re_rated_plan_keeps_text_it_does_not_repeat(db: duckdb.DuckDBPyConnection) -> None:
    from tests.helpers import xlsx

    data = xlsx([["Ref", "Action", "RAG Mar 17"], ["Priority 3"], ["3.10", "", "LG"]])
    parsed = read_bytes(data, "march.xlsx")
    assert parsed.ok, parsed.problems.items
    assert submit(db, parsed, data, "officer").status == "stored"
    description, rating = db.execute(
        """SELECT a.description, h.rating FROM actions a JOIN rag_history h USING (action_ref)
           WHERE action_ref = '3.10' AND period = DATE '2017-03-01'"""
    ).fetchone()  # type: ignore[misc]
    assert rating == "LG" and description.startswith("Improve the consistency and quality of case chronologies")
    title = db.execute("SELECT title FROM priorities WHERE priority = 3").fetchone()
    assert title is not None and title[0].startswith("Improving the quality")
