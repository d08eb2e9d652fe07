"""Officers' commentary and narratives: append-only, versioned, current = latest, history readable."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest

from store import connect
from store.commentary import (
    MAX_CHARS,
    CommentaryError,
    commentary_version,
    current_kpi_text,
    current_narratives,
    kpi_commentary,
    kpi_commentary_history,
    narrative_history,
    save_kpi_commentary,
    save_narrative,
)

NOV16, FEB17 = date(2016, 11, 1), date(2017, 2, 1)


@pytest.fixture
def db(store: object) -> object:
    """These tests run on both backends: the seed store as DuckDB file and as PostgreSQL database."""
    return store


def _rows(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT * FROM {table} ORDER BY entry_id").fetchall()


def test_kpi_commentary_versions_are_appended_and_latest_is_current(db: duckdb.DuckDBPyConnection) -> None:
    assert current_kpi_text(db, "CL_NEET", FEB17) is None
    first = save_kpi_commentary(db, "CL_NEET", FEB17, "  Slower than expected.  ", "ann")
    before = _rows(db, "kpi_commentary_entry")
    second = save_kpi_commentary(db, "CL_NEET", FEB17, "ELEET team now in place.", "bob")
    assert first is not None and second is not None and second > first
    assert _rows(db, "kpi_commentary_entry")[0] == before[0]  # the first version is untouched
    assert current_kpi_text(db, "CL_NEET", FEB17) == "ELEET team now in place."
    history = kpi_commentary_history(db, "CL_NEET", FEB17)
    assert list(history["text"]) == ["ELEET team now in place.", "Slower than expected."]
    assert list(history["saved_by"]) == ["bob", "ann"]
    assert all(isinstance(t, datetime) for t in history["saved_at"].dt.to_pydatetime())
    assert (
        abs((datetime.now(UTC).replace(tzinfo=None) - history["saved_at"].iloc[0].to_pydatetime()).total_seconds())
        < 300
    )
    current = kpi_commentary(db, FEB17)
    assert list(current["kpi_code"]) == ["CL_NEET"] and current["text"].iloc[0] == "ELEET team now in place."
    assert kpi_commentary(db, NOV16).empty  # commentary belongs to its period


def test_saving_the_same_text_stores_nothing(db: duckdb.DuckDBPyConnection) -> None:
    save_kpi_commentary(db, "CL_NEET", FEB17, "Same.", "ann")
    assert save_kpi_commentary(db, "CL_NEET", FEB17, "Same. ", "bob") is None
    assert len(_rows(db, "kpi_commentary_entry")) == 1


def test_clearing_is_a_new_version_not_a_deletion(db: duckdb.DuckDBPyConnection) -> None:
    save_kpi_commentary(db, "CL_NEET", FEB17, "Words.", "ann")
    save_kpi_commentary(db, "CL_NEET", FEB17, "", "ann")
    assert current_kpi_text(db, "CL_NEET", FEB17) == ""
    assert kpi_commentary(db, FEB17).empty
    assert len(kpi_commentary_history(db, "CL_NEET", FEB17)) == 2


def test_narratives_belong_to_a_priority_and_a_pair_of_periods(db: duckdb.DuckDBPyConnection) -> None:
    save_narrative(db, 3, FEB17, NOV16, "First draft.", "ann")
    save_narrative(db, 3, FEB17, NOV16, "Second draft.", "bob")
    save_narrative(db, 4, FEB17, NOV16, "Priority four.", "ann")
    save_narrative(db, 3, FEB17, date(2015, 9, 1), "Against the initial rating.", "ann")
    assert current_narratives(db, FEB17, NOV16) == {3: "Second draft.", 4: "Priority four."}
    assert current_narratives(db, FEB17, date(2015, 9, 1)) == {3: "Against the initial rating."}
    assert list(narrative_history(db, 3, FEB17, NOV16)["text"]) == ["Second draft.", "First draft."]
    assert save_narrative(db, 3, FEB17, NOV16, "Second draft.", "ann") is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: save_kpi_commentary(c, "NOPE", FEB17, "x", "ann"), "no KPI with the code 'NOPE'"),
        (lambda c: save_narrative(c, 99, FEB17, NOV16, "x", "ann"), "no priority 99"),
        (lambda c: save_kpi_commentary(c, "CL_NEET", FEB17, "x", "  "), "name of the person"),
        (lambda c: save_narrative(c, 3, FEB17, NOV16, "x" * (MAX_CHARS + 1), "ann"), "the limit is 5,000"),
    ],
)
def test_bad_saves_are_refused_with_a_reason(db: duckdb.DuckDBPyConnection, call: object, message: str) -> None:
    with pytest.raises(CommentaryError, match=message):
        call(db)  # type: ignore[operator]
    assert _rows(db, "kpi_commentary_entry") == [] and _rows(db, "narrative_entry") == []


def test_version_grows_with_every_save(db: duckdb.DuckDBPyConnection) -> None:
    start = commentary_version(db)
    save_kpi_commentary(db, "CL_NEET", FEB17, "a", "ann")
    middle = commentary_version(db)
    save_narrative(db, 1, FEB17, NOV16, "b", "ann")
    assert start < middle < commentary_version(db)


def test_commentary_survives_reopening_and_migration_is_idempotent(db_path: object) -> None:
    conn = connect(db_path)  # type: ignore[arg-type]
    save_kpi_commentary(conn, "CL_NEET", FEB17, "Kept.", "ann")
    conn.close()
    again = connect(db_path)  # type: ignore[arg-type]
    try:
        assert current_kpi_text(again, "CL_NEET", FEB17) == "Kept."
    finally:
        again.close()
