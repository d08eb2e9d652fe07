"""The live store on a DuckDB file: while one process (the dashboard) has the store open, other
processes write (command-line loads) and read (analysts), and the first sees their writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders.ingest import read_bytes
from store import history, submission
from store.live import LiveStore, StoreBusy, open_store, read_copy_path
from store.queries import catalogue, fetch_df
from store.writes import submit_settings
from tests.data.good.make_fictional import workbook

ROOT = Path(__file__).resolve().parent.parent
ACTOR = history.Actor("ann", "uploader")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

LOAD = """
import sys
from pathlib import Path
from loaders.ingest import read_bytes
from store.live import open_store
from store.queries import catalogue
from store.writes import submit
store = open_store(sys.argv[1], wait=20)
data = Path(sys.argv[2]).read_bytes()
parsed = read_bytes(data, "job.xlsx", catalogue=catalogue(store))
print(submit(store, parsed, data, "nightly job").status)
"""

# An analyst's session: opens the read copy read-only, reports, then waits for a line on stdin
# before counting again on the same connection, and after reconnecting (as a new query session
# does; DuckDB gives a process that still has a file open that same open file again).
ANALYST = """
import sys, duckdb
conn = duckdb.connect(sys.argv[1], read_only=True)
count = "SELECT count(*) FROM submissions"
print(conn.execute(count).fetchone()[0], flush=True)
sys.stdin.readline()
print(conn.execute(count).fetchone()[0], flush=True)
conn.close()
print(duckdb.connect(sys.argv[1], read_only=True).execute(count).fetchone()[0], flush=True)
"""

HOLDER = """
import sys, duckdb
conn = duckdb.connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.readline()
"""


def latest_event(store: LiveStore) -> int:
    return int(fetch_df(store, "SELECT max(event_id) AS e FROM submission_event").iloc[0, 0])


def neet(store: LiveStore, month: str) -> float | None:
    frame = fetch_df(
        store,
        "SELECT value FROM kpi_observations WHERE kpi_code = 'CL_NEET' AND period = CAST(? AS DATE)",
        [f"{month}-01"],
    )
    return None if frame.empty else float(frame.iloc[0, 0])


def test_a_job_in_another_process_stores_while_the_store_is_open_here(db_path: Path, tmp_path: Path) -> None:
    store = open_store(db_path)
    before = latest_event(store)
    source = tmp_path / "job.xlsx"
    source.write_bytes(workbook({"CL_NEET": {"2017-05": 37}}))
    job = subprocess.run(
        [sys.executable, "-c", LOAD, str(db_path), str(source)], env=ENV, capture_output=True, text=True, timeout=120
    )
    assert job.returncode == 0, job.stderr
    assert job.stdout.strip() == "stored"
    assert latest_event(store) == before + 1  # the next read here sees it: the data version moved
    assert neet(store, "2017-05") == 37.0


def test_a_write_through_a_plain_connection_is_published_on_the_next_read(db_path: Path) -> None:
    store = open_store(db_path)
    before = latest_event(store)
    conn = duckdb.connect(str(db_path))
    try:
        submit_settings(conn, {"viewing": "signed_in"}, "elsewhere")  # type: ignore[arg-type]
    finally:
        conn.close()
    assert latest_event(store) == before + 1


def test_reads_alone_never_republish(db_path: Path) -> None:
    store = open_store(db_path)
    latest_event(store)
    published, opened = store.publishes, store.reopens
    for _ in range(5):
        latest_event(store)
        neet(store, "2017-01")
    assert (store.publishes, store.reopens) == (published, opened)


def test_an_analyst_on_the_read_copy_never_holds_up_a_write_and_never_sees_half_of_one(db_path: Path) -> None:
    store = open_store(db_path)
    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(read_copy_path(db_path))],
        env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert analyst.stdout is not None and analyst.stdin is not None
    first = int(analyst.stdout.readline())
    data = workbook({"CL_NEET": {"2017-06": 35}})
    parsed = read_bytes(data, "while-reading.xlsx", catalogue=catalogue(store))
    outcome = history.store_upload(store, parsed, data, ACTOR, wait=5)  # the analyst is still connected
    assert outcome.status == "stored"
    analyst.stdin.write("go\n")
    analyst.stdin.flush()
    same_session, new_session = int(analyst.stdout.readline()), int(analyst.stdout.readline())
    assert analyst.wait(timeout=30) == 0
    assert same_session == first  # an open session keeps the copy it opened, whole
    assert new_session == first + 1  # a new one sees the finished submission


def test_a_store_another_process_holds_refuses_a_write_within_the_wait(db_path: Path) -> None:
    store = open_store(db_path, wait=0.3)
    events = latest_event(store)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)], env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreBusy) as raised:
            submit_settings(store, {"viewing": "open"}, "ann")  # type: ignore[arg-type]
        assert isinstance(raised.value, submission.Busy)  # pages show it as "try again"
        assert "Nothing was changed" in raised.value.message and str(db_path) in raised.value.message
        assert latest_event(store) == events  # reads go on from the read copy meanwhile
    finally:
        holder.stdin.write("done\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    submit_settings(store, {"viewing": "open"}, "ann")  # type: ignore[arg-type]
    assert latest_event(store) == events + 1
