"""A load killed with SIGKILL midway leaves a database that opens with the earlier data intact."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
ROWS = 150_000

LOADER = """
import sys
from pathlib import Path
from loaders.ingest import read_bytes
from store import connect
from store.writes import submit
data = Path(sys.argv[2]).read_bytes()
conn = connect(sys.argv[1])
parsed = read_bytes(data, "big.csv", default_la="999")
print("ready", flush=True)
submit(conn, parsed, data, "killer")
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "big.csv"
    lines = ["KPI,Month,Value"]
    for i in range(ROWS):
        month = i // 500
        lines.append(f"Fictional KPI {i % 500},{2000 + month // 12}-{month % 12 + 1:02d},{i % 97}")
    path.write_text("\n".join(lines))
    return path


def _state(db_path: Path) -> tuple[int, int, int]:
    conn = duckdb.connect(str(db_path))
    try:
        table1 = conn.execute(
            "SELECT count(*) FROM rag_history WHERE period = DATE '2017-02-01' AND rating IS NOT NULL"
        ).fetchone()
        killed = conn.execute("SELECT count(*) FROM submission_log WHERE submitted_by = 'killer'").fetchone()
        rows = conn.execute("SELECT count(*) FROM observation_entry WHERE la_code = '999'").fetchone()
    finally:
        conn.close()
    assert table1 and killed and rows
    return table1[0], killed[0], rows[0]


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.15, 0.3, 0.6])
def test_sigkill_during_a_load_leaves_all_or_nothing(db_path: Path, big_csv: Path, delay: float) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(db_path), str(big_csv)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    table1, submissions, rows = _state(db_path)
    assert table1 == 59  # the earlier data is intact
    assert (submissions, rows) in {(0, 0), (1, ROWS)}  # the killed submission is all there or not at all
