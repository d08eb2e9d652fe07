"""Faults: two uploaders at once, a full disk during a load (SIGKILL inside a commit: test_atomicity.py).

After each, the database opens and every submission in it is whole: all of its rows or none.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from loaders.ingest import read_bytes
from store import connect, history, submission
from store.queries import catalogue
from tests.data.good.make_fictional import workbook

ROOT = Path(__file__).resolve().parent.parent
ACTOR = history.Actor("ann", "uploader")


@pytest.fixture
def db(store: object) -> object:
    """Threads of one process on each backend (the DuckDB file and PostgreSQL)."""
    return store


def big_kpi_file(rows: int, value: float = 1.0) -> bytes:
    """A long KPI return for the fictional council 999 with `rows` observations."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("KPI return")
    sheet.append(["FICTIONAL DEMONSTRATION DATA: Northmoor (LA 999) does not exist."])
    sheet.append(["Code", "KPI", "LA code", "Month", "Value", "Unit", "Good is"])
    per_kpi = 240
    for index in range(rows):
        kpi, month = divmod(index, per_kpi)
        year, month = divmod(month, 12)
        sheet.append([f"LOAD_{kpi:04d}", f"Load test KPI {kpi}", "999", f"{1990 + year}-{month + 1:02d}",
                      value + index % 97, "Number", "High"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def whole(conn: duckdb.DuckDBPyConnection) -> None:
    """Every submission has exactly the rows its log entry counts, and an 'applied' event."""
    rows = conn.execute(
        """SELECT s.submission_id, s.observation_rows, s.rating_rows,
                  (SELECT count(*) FROM observation_entry o WHERE o.submission_id = s.submission_id),
                  (SELECT count(*) FROM rating_entry r WHERE r.submission_id = s.submission_id),
                  (SELECT count(*) FROM submission_event e WHERE e.submission_id = s.submission_id
                                                             AND e.event = 'applied')
           FROM submission_log s WHERE s.kind IN ('plan', 'kpi', 'plan+kpi')"""
    ).fetchall()
    for sid, expected_obs, expected_ratings, obs, ratings, applied in rows:
        assert (obs, ratings, applied) == (expected_obs, expected_ratings, 1), f"submission {sid} is not whole"
    orphans = conn.execute(
        "SELECT count(*) FROM observation_entry WHERE submission_id NOT IN (SELECT submission_id FROM submission_log)"
    ).fetchone()
    assert orphans == (0,)


def view_rows(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """What users see: the rows of the main views, in a stable order."""
    return {
        view: sorted(map(repr, conn.execute(f"SELECT * FROM {view}").fetchall()))
        for view in ("submissions", "kpi_observations", "rag_history", "actions")
    }


def parse(conn: duckdb.DuckDBPyConnection, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return read_bytes(data, name, catalogue=catalogue(conn), default_la="999")


def test_two_uploaders_confirming_at_once_both_land_in_order(db: duckdb.DuckDBPyConnection) -> None:
    files = [workbook({"CL_NEET": {"2017-03": 40 + i}, "RETURN_INTERVIEWS": {f"2017-0{i + 1}": 70}}) for i in range(2)]
    parsed = [parse(db, data, f"file{i}.xlsx") for i, data in enumerate(files)]
    start = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def confirm(i: int) -> None:
        start.wait()
        outcomes[i] = history.store_upload(db, parsed[i], files[i], ACTOR)

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = sorted(o.submission_id for o in outcomes)  # type: ignore[attr-defined]
    assert [o.status for o in outcomes] == ["stored", "stored"]  # type: ignore[attr-defined]
    assert stored[1] == stored[0] + 1
    whole(db)


def test_the_same_file_confirmed_twice_at_once_is_stored_once(db: duckdb.DuckDBPyConnection) -> None:
    data = workbook({"CL_NEET": {"2017-03": 41}})
    parsed = parse(db, data, "same.xlsx")
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def confirm() -> None:
        start.wait()
        outcomes.append(history.store_upload(db, parsed, data, ACTOR).status)

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "stored"]
    row = db.execute("SELECT count(*) FROM submission_log WHERE file_name = 'same.xlsx'").fetchone()
    assert row == (1,)


def test_a_busy_store_tells_the_uploader_to_retry(db: duckdb.DuckDBPyConnection) -> None:
    data = workbook({"CL_NEET": {"2017-03": 42}})
    parsed = parse(db, data, "later.xlsx")
    before = view_rows(db)
    # Someone else's upload is being stored while this one waits.
    with submission.WRITE_LOCK, pytest.raises(history.Busy) as raised:
        history.store_upload(db, parsed, data, ACTOR, wait=0.1)
    assert "try again" in raised.value.message
    assert view_rows(db) == before


WORKER = """
import resource, signal, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from loaders.ingest import read_bytes
from store import connect, history
from store.queries import catalogue
db, source, fsize = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
conn = connect(db)
parsed = read_bytes(source.read_bytes(), source.name, catalogue=catalogue(conn), default_la="999")
if fsize:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, resource.RLIM_INFINITY))
print("ready", flush=True)
try:
    outcome = history.store_upload(conn, parsed, source.read_bytes(), history.Actor("ann", "uploader"))
except Exception as exc:
    print("failed to store:", type(exc).__name__, str(exc).replace(chr(10), " ")[:300], flush=True)
else:
    print("stored", outcome.submission_id, flush=True)
"""


def run_worker(db_path: Path, source: Path, fsize: int = 0, kill_after: float | None = None) -> str:
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER.format(root=str(ROOT)), str(db_path), str(source), str(fsize)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "ready"
    if kill_after is not None:
        time.sleep(kill_after)
        worker.send_signal(signal.SIGKILL)
    out, _ = worker.communicate(timeout=300)
    return out.strip()


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big_fictional.xlsx"
    path.write_bytes(big_kpi_file(60_000))
    return path


def test_a_full_disk_fails_cleanly_and_earlier_data_opens_intact(db_path: Path, tmp_path: Path, big_file: Path) -> None:
    conn = connect(db_path)
    conn.execute("CHECKPOINT")
    before = view_rows(conn)
    conn.close()
    shutil.copy(db_path, tmp_path / "before.duckdb")
    # No file may grow past 512 KB: the write-ahead log has room for a little, not for 60,000 rows.
    result = run_worker(db_path, big_file, fsize=512 * 1024)
    assert result.startswith("failed to store:"), result
    conn = connect(db_path)
    try:
        whole(conn)
        assert view_rows(conn) == before
        # With space again, the same upload goes through.
        data = big_file.read_bytes()
        outcome = history.store_upload(conn, parse(conn, data, big_file.name), data, ACTOR)
        assert outcome.status == "stored"
        whole(conn)
    finally:
        conn.close()


UPLOADER = """
import sys
from pathlib import Path
from loaders.ingest import read_bytes
from store import history
from store.backend import open_store
from store.queries import catalogue
store = open_store(sys.argv[1], wait=60)
data = Path(sys.argv[2]).read_bytes()
parsed = read_bytes(data, Path(sys.argv[2]).name, catalogue=catalogue(store), default_la="999")
print("ready", flush=True)
sys.stdin.readline()
outcome = history.store_upload(store, parsed, data, history.Actor(sys.argv[3], "uploader"), wait=60)
print(outcome.status, outcome.submission_id, flush=True)
"""


def _uploads_at_once(target: object, files: list[Path]) -> list[tuple[str, str]]:
    """Start one process per file (two dashboard servers, say), let them confirm at the same moment."""
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", UPLOADER, str(target), str(f), f"uploader{i}"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for i, f in enumerate(files)
    ]  # fmt: skip
    for w in workers:
        assert w.stdout is not None and w.stdout.readline().strip() == "ready"
    for w in workers:
        assert w.stdin is not None
        w.stdin.write("go\n")
        w.stdin.flush()
    results = []
    for w in workers:
        out, _ = w.communicate(timeout=120)
        status, sid = out.split()
        results.append((status, sid))
    return results


def test_two_processes_confirming_at_once_both_land_in_order_and_the_same_file_once(
    store_target: object, tmp_path: Path
) -> None:
    files = []
    for i in range(2):
        path = tmp_path / f"server{i}.xlsx"
        path.write_bytes(workbook({"CL_NEET": {"2017-03": 50 + i}}))
        files.append(path)
    results = _uploads_at_once(store_target, files)
    assert [status for status, _ in results] == ["stored", "stored"]
    assert sorted(int(sid) for _, sid in results)[1] == sorted(int(sid) for _, sid in results)[0] + 1
    twin = tmp_path / "twin.xlsx"
    twin.write_bytes(workbook({"CL_NEET": {"2017-04": 44}}))
    results = _uploads_at_once(store_target, [twin, twin])
    assert sorted(status for status, _ in results) == ["duplicate", "stored"]
    from store.backend import open_store

    check = open_store(store_target)  # type: ignore[arg-type]
    try:
        whole(check)  # type: ignore[arg-type]
        counted = check.execute("SELECT count(*) FROM submission_log WHERE file_name = 'twin.xlsx'").fetchone()
        assert counted == (1,)
    finally:
        check.close()
