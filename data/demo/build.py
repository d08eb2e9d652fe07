"""Build a database of the FICTIONAL demonstration council (Northmoor, LA 999), never the seed's.

The seed council's report gives too few points for SPC; this council has 36 months of made-up
KPIs (see make_demo.py and each workbook's Notes sheet). It goes into its own database file, read
through the same loaders and stored through the same write path as any upload, with the council
named as fictional in the settings every page reads. Run from the project root:

    .venv/bin/python data/demo/build.py [--db data/demo.duckdb] [--force]
    DASHBOARD_DB=data/demo.duckdb bash scripts/run.sh
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders.ingest import read_path  # noqa: E402
from loaders.problems import LoaderError  # noqa: E402
from store import connect  # noqa: E402
from store.queries import catalogue  # noqa: E402
from store.writes import submit, submit_settings  # noqa: E402

DEMO_DIR = Path(__file__).resolve().parent
DEMO_FILES = (DEMO_DIR / "northmoor_plan.xlsx", DEMO_DIR / "northmoor_kpis.xlsx")
DEFAULT_DB = ROOT / "data" / "demo.duckdb"
DEMO_COUNCIL = {
    "council_code": "999",
    "council_name": "Northmoor (fictional)",
    "fictional": "FICTIONAL DEMONSTRATION DATA: Northmoor Borough Council (LA 999) does not exist; "
    "every figure is made up.",
}
DEMO_USER = "demo"
DEMO_NOTE = "fictional demonstration data (data/demo)"


class DemoError(LoaderError):
    """The shipped demonstration files failed their own checks: a bug in the project."""


def build_demo(db_path: str | Path = DEFAULT_DB, overwrite: bool = False) -> Path:
    """Create the demonstration database at `db_path`; refuse to replace one unless told, and never a
    database that holds another council's data (the seed council's store stays the seed's)."""
    db_path = Path(db_path)
    if db_path.exists():
        if not overwrite:
            raise FileExistsError(f"{db_path} already exists; use --force to replace it")
        _refuse_other_council(db_path)
    building = db_path.with_name(db_path.name + f".building-{os.getpid()}")
    building.unlink(missing_ok=True)
    conn = connect(building)
    try:
        submit_settings(conn, DEMO_COUNCIL, DEMO_USER)
        for path in DEMO_FILES:
            parsed = read_path(path, catalogue=catalogue(conn), default_la=DEMO_COUNCIL["council_code"])
            if not parsed.ok:
                details = "; ".join(p.describe() for p in parsed.problems.errors[:5])
                raise DemoError(details, "Demonstration data failed its checks", path.name)
            submit(conn, parsed, path.read_bytes(), DEMO_USER, note=DEMO_NOTE)
        conn.execute("CHECKPOINT")
    finally:
        conn.close()
    os.replace(building, db_path)
    return db_path


def _refuse_other_council(db_path: Path) -> None:
    import duckdb

    conn = duckdb.connect(str(db_path), read_only=True)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'council_code'").fetchone()
    finally:
        conn.close()
    if row is not None and row[0] != DEMO_COUNCIL["council_code"]:
        raise FileExistsError(f"{db_path} holds council {row[0]}'s data; the demonstration never replaces it")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the fictional demonstration council's database.")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"the file to build (default {DEFAULT_DB})")
    parser.add_argument("--force", action="store_true", help="replace an existing demonstration database")
    args = parser.parse_args(argv)
    try:
        path = build_demo(args.db, overwrite=args.force)
    except FileExistsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"built {path}: FICTIONAL demonstration council; open it with DASHBOARD_DB={path} bash scripts/run.sh")
    return 0


if __name__ == "__main__":
    sys.exit(main())
