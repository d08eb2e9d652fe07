"""History: rollback returns the data to what it was, re-apply restores it, nothing is deleted."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from loaders.ingest import read_bytes
from store import history
from store.queries import catalogue
from store.writes import changes
from tests.data.good import make_fictional
from tests.data.good.make_fictional import BASELINE, MONTHLY, workbook

ADMIN = history.Actor("root", "admin")
UPLOADER = history.Actor("ann", "uploader")
GOOD = Path(__file__).parent / "data" / "good"


@pytest.fixture
def db(store: object) -> object:
    """These tests run on both backends: the seed store as DuckDB file and as PostgreSQL database."""
    return store


def load(db: duckdb.DuckDBPyConnection, data: bytes, name: str) -> int:
    parsed = read_bytes(data, name, catalogue=catalogue(db), default_la="999")
    outcome = history.store_upload(db, parsed, data, UPLOADER)
    assert outcome.status == "stored", outcome.message
    assert outcome.submission_id is not None
    return outcome.submission_id


def values(db: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], float]:
    rows = db.execute("SELECT kpi_code, period, value FROM kpi_observations WHERE la_code = '999'").fetchall()
    return {(code, f"{period:%Y-%m}"): value for code, period, value in rows}


def counts(db: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    tables = ("submission_log", "observation_entry", "kpi_version", "original_file", "submission_event")
    return tuple(int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables)  # type: ignore[index]


def test_rollback_and_reapply(db: duckdb.DuckDBPyConnection) -> None:
    load(db, workbook(BASELINE), "baseline.xlsx")
    before = values(db)
    monthly = (GOOD / "fictional_monthly_kpis.xlsx").read_bytes()
    sid = load(db, monthly, "fictional_monthly_kpis.xlsx")
    after = values(db)
    assert after[("RETURN_INTERVIEWS", "2017-03")] == 93
    assert after[("RETURN_INTERVIEWS", "2017-02")] == 66 != before[("RETURN_INTERVIEWS", "2017-02")]

    rows_before_rollback = counts(db)
    assert "rolled back" in history.rollback(db, sid, ADMIN)
    assert values(db) == before
    listing = history.listing(db)
    assert listing.loc[listing["submission_id"] == sid, "status"].item() == "rolled back"
    assert counts(db)[:4] == rows_before_rollback[:4]  # nothing deleted, only an event added
    assert counts(db)[4] == rows_before_rollback[4] + 1

    history.reapply(db, sid, ADMIN)
    assert values(db) == after
    assert list(history.events(db, sid)["event"]) == ["applied", "rolled_back", "reapplied"]
    logged = db.execute("SELECT action, target, username FROM audit_log ORDER BY audit_id").fetchall()
    assert ("rollback", f"submission {sid}", "root") in logged and ("reapply", f"submission {sid}", "root") in logged


def test_rollback_of_middle_submission_keeps_later_data(db: duckdb.DuckDBPyConnection) -> None:
    first = load(db, workbook({"CL_NEET": {"2017-01": 40}}), "a.xlsx")
    load(db, workbook({"CL_NEET": {"2017-01": 41, "2017-02": 39}}), "b.xlsx")
    history.rollback(db, first, ADMIN)
    assert values(db) == {("CL_NEET", "2017-01"): 41, ("CL_NEET", "2017-02"): 39}


@pytest.mark.parametrize(
    ("step", "title"),
    [("reapply-active", "Nothing to do"), ("rollback-twice", "Nothing to do"), ("missing", "No such submission"),
     ("settings", "Not a data upload")],
)  # fmt: skip
def test_refused_history_actions(db: duckdb.DuckDBPyConnection, step: str, title: str) -> None:
    sid = load(db, workbook({"CL_NEET": {"2017-01": 40}}), "a.xlsx")
    settings_sid = int(db.execute("SELECT min(submission_id) FROM submissions WHERE kind = 'settings'").fetchone()[0])  # type: ignore[index]
    before = counts(db)
    with pytest.raises(history.HistoryError) as raised:
        if step == "reapply-active":
            history.reapply(db, sid, ADMIN)
        elif step == "rollback-twice":
            history.rollback(db, sid, ADMIN)
            before = counts(db)
            history.rollback(db, sid, ADMIN)
        elif step == "missing":
            history.rollback(db, 9999, ADMIN)
        else:
            history.rollback(db, settings_sid, ADMIN)
    assert raised.value.title == title
    assert counts(db) == before


def test_original_file_is_returned_exactly(db: duckdb.DuckDBPyConnection) -> None:
    monthly = (GOOD / "fictional_monthly_kpis.xlsx").read_bytes()
    sid = load(db, monthly, "fictional_monthly_kpis.xlsx")
    sha = history.listing(db).set_index("submission_id").loc[sid, "sha256"]
    assert history.original_file(db, sha) == ("fictional_monthly_kpis.xlsx", monthly)
    assert history.original_file(db, "0" * 64) is None


def test_what_a_submission_changed(db: duckdb.DuckDBPyConnection) -> None:
    load(db, workbook(BASELINE), "baseline.xlsx")
    sid = load(db, (GOOD / "fictional_monthly_kpis.xlsx").read_bytes(), "monthly.xlsx")
    changes = history.observation_changes(db, sid)
    feb = changes[(changes["kpi_code"] == "RETURN_INTERVIEWS") & (changes["change"] == "changed")].iloc[0]
    assert (feb["before"], feb["after"]) == (64, 66)
    assert history.change_counts(db, sid) == {"KPI values": {"new": 3, "changed": 1, "unchanged": 0}}
    assert list(changes["change"])[0] == "changed"  # changed rows first
    assert sum(len(v) for v in MONTHLY.values()) == len(changes)


def test_a_target_only_change_is_a_change_in_the_preview_and_on_history(
    db: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One meaning of "changed" (domain/changes.py): a new target changes what the board sees."""
    load(db, workbook({"CL_NEET": {"2017-01": 40}}), "first.xlsx")
    name, unit, good, target = make_fictional.KPIS["CL_NEET"]
    monkeypatch.setitem(make_fictional.KPIS, "CL_NEET", (name, unit, good, float(target or 0) + 5))
    data = workbook({"CL_NEET": {"2017-01": 40}})  # the same value, a new target
    parsed = read_bytes(data, "new-target.xlsx", catalogue=catalogue(db), default_la="999")
    assert changes(db, parsed).counts["observations"] == {"new": 0, "changed": 1, "unchanged": 0}
    sid = load(db, data, "new-target.xlsx")
    assert history.observation_changes(db, sid)["change"].tolist() == ["changed"]
    assert history.change_counts(db, sid)["KPI values"] == {"new": 0, "changed": 1, "unchanged": 0}
