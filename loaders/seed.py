"""Build the default database from the seed council's workbooks, through the same loaders."""

from __future__ import annotations

import contextlib
import os
from datetime import date
from pathlib import Path

from loaders.ingest import read_path
from loaders.problems import LoaderError
from store import connect
from store.benchmark import load_directory as load_benchmarks
from store.db import now_utc
from store.queries import catalogue
from store.writes import submit, submit_settings

SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "seed"
PLAN_FILE = SEED_DIR / "improvement_plan.xlsx"
KPI_FILE = SEED_DIR / "kpis.xlsx"
# The report dates "Previous" (Nov 2016) and "Current" (Feb 2017) but not "Initial": the plan
# was drawn up after the June 2015 inspection, so the Initial rating is stored at September 2015.
INITIAL_MONTH = date(2015, 9, 1)
SEED_COUNCIL = {"council_code": "394", "council_name": "Sunderland"}
SEED_USER = "seed"


class SeedError(LoaderError):
    """The shipped seed files failed their own checks: a bug in the project, not in user data."""


def build_default(db_path: str | Path, overwrite: bool = False) -> Path:
    """Create the database at `db_path` from the seed files; refuse to replace one unless told.

    Built beside the target and moved into place, so a crash never leaves a half-built file; a
    database replaced with `overwrite` is kept beside it as `<name>.replaced-<UTC time>`.
    """
    db_path = Path(db_path)
    if db_path.exists() and not overwrite:
        raise FileExistsError(f"{db_path} already exists; use --force to replace it")
    if db_path.exists():
        stamp = now_utc().strftime("%Y%m%dT%H%M%S")
        os.replace(db_path, db_path.with_name(f"{db_path.name}.replaced-{stamp}"))
    building = db_path.with_name(db_path.name + f".building-{os.getpid()}")
    for leftover in (building, Path(str(building) + ".wal")):
        leftover.unlink(missing_ok=True)
    conn = connect(building)
    try:
        submit_settings(conn, SEED_COUNCIL, SEED_USER)
        for path in (PLAN_FILE, KPI_FILE):
            parsed = read_path(
                path,
                rag_months={"Initial": INITIAL_MONTH},
                catalogue=catalogue(conn),
                default_la=SEED_COUNCIL["council_code"],
            )
            if not parsed.ok:
                details = "; ".join(p.describe() for p in parsed.problems.errors[:5])
                raise SeedError(details, "Seed data failed its checks", path.name)
            submit(
                conn,
                parsed,
                path.read_bytes(),
                SEED_USER,
                note="seed data from the progress report",
            )
        load_benchmarks(conn, user=SEED_USER, note="DfE LAIT data shipped in data/lait")
        conn.execute("CHECKPOINT")
    finally:
        conn.close()
    os.replace(building, db_path)
    return db_path


def ensure_default(db_path: str | Path) -> Path:
    """The database at `db_path`, built from the seed files first if it does not exist yet."""
    db_path = Path(db_path)
    if not db_path.exists():
        with contextlib.suppress(FileExistsError):  # another process built it meanwhile
            build_default(db_path)
    return db_path
