"""SIGKILL during a commit: the database opens afterwards with the earlier data intact and the killed
submission stored whole or not at all, and the test proves some kills landed inside the commit.

The loading child announces on stdout when its COMMIT starts and when it returns (it wraps the real
connection's cursors to do so; every statement still runs on the real database). The parent kills
it a few milliseconds after "commit-start"; a child that never printed "commit-end" died inside the
commit window. Without at least one such kill, the property would not have been tested.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.backend import open_store

ROOT = Path(__file__).resolve().parent.parent
ROWS = 150_000
DELAYS = (0.0, 0.0005, 0.002, 0.005, 0.01, 0.02)  # seconds after the child says its COMMIT started

CHILD = """
import sys
from pathlib import Path
from loaders.ingest import read_bytes
from store import history
from store.backend import open_store


class Announcing:
    def __init__(self, conn):
        self._conn = conn

    def cursor(self):
        return AnnouncingCursor(self._conn.cursor())

    def __getattr__(self, name):
        return getattr(self._conn, name)


class AnnouncingCursor:
    def __init__(self, cur):
        self._cur = cur

    def execute(self, sql, *args):
        commit = sql.strip().upper() == "COMMIT"
        if commit:
            print("commit-start", flush=True)
        self._cur.execute(sql, *args)
        if commit:
            print("commit-end", flush=True)
        return self

    def __getattr__(self, name):
        return getattr(self._cur, name)


conn = open_store(sys.argv[1])
data = Path(sys.argv[2]).read_bytes()
parsed = read_bytes(data, "big.csv", default_la="999")
print("ready", flush=True)
outcome = history.store_upload(Announcing(conn), parsed, data, history.Actor("killer", "uploader"))
print("stored", outcome.status, flush=True)
"""


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fictional council's (LA 999) long KPI return: 500 made-up KPIs x 300 months."""
    path = tmp_path_factory.mktemp("kill") / "big.csv"
    lines = ["KPI,Month,Value"]
    for i in range(ROWS):
        month = i // 500
        lines.append(f"Fictional KPI {i % 500},{2000 + month // 12}-{month % 12 + 1:02d},{i % 97}")
    path.write_text("\n".join(lines))
    return path


def _state(target: str | Path) -> tuple[int, int, int, int]:
    """Table 1's rated count, killed submissions, their rows, and submissions that are not whole."""
    conn = open_store(target)
    try:
        table1 = conn.execute(
            "SELECT count(*) FROM rag_history WHERE period = DATE '2017-02-01' AND rating IS NOT NULL"
        ).fetchone()
        killed = conn.execute("SELECT count(*) FROM submission_log WHERE submitted_by = 'killer'").fetchone()
        rows = conn.execute("SELECT count(*) FROM observation_entry WHERE la_code = '999'").fetchone()
        broken = conn.execute(
            """SELECT count(*) FROM submission_log s
               WHERE s.kind IN ('plan', 'kpi', 'plan+kpi')
                 AND (s.observation_rows <> (SELECT count(*) FROM observation_entry o
                                             WHERE o.submission_id = s.submission_id)
                  OR (SELECT count(*) FROM submission_event e WHERE e.submission_id = s.submission_id
                                                                 AND e.event = 'applied') <> 1)"""
        ).fetchone()
    finally:
        conn.close()
    assert table1 and killed and rows and broken
    return table1[0], killed[0], rows[0], broken[0]


def _kill_during_commit(target: str | Path, source: Path, delay: float) -> bool:
    """Run one load, SIGKILL it `delay` s after its COMMIT starts; True if it died inside the commit."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target), str(source)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    assert child.stdout.readline().strip() == "commit-start"
    if delay:
        time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()
    child.wait()
    return "commit-end" not in rest


def test_sigkill_inside_the_commit_leaves_all_or_nothing(
    store_target: str | Path, big_csv: Path, tmp_path: Path
) -> None:
    """On both backends: the DuckDB file (killed while writing its WAL) and PostgreSQL (the client
    killed while the server commits)."""
    table1_before, killed_before, _, _ = _state(store_target)
    inside = 0
    for round_number, delay in enumerate(DELAYS):
        source = tmp_path / f"big-{round_number}.csv"  # a new file each round, so each has a commit to make
        source.write_text(big_csv.read_text() + f"\nFictional KPI 0,1990-01,{round_number}")
        inside += _kill_during_commit(store_target, source, delay)
        table1, killed, rows, broken = _state(store_target)
        assert table1 == table1_before == 59  # the earlier data is intact
        assert broken == 0  # every submission is whole: all of its rows and one 'applied' event
        assert killed - killed_before in (0, 1)  # the killed load is stored whole or not at all
        killed_before = killed
    print(f"{inside} of {len(DELAYS)} kills landed inside the commit window")
    assert inside >= 1, "no kill landed inside the commit window, so the property was not tested"
