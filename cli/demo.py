"""`board demo`: a database of the FICTIONAL demonstration council (Northmoor, LA 999), never the seed's.

The seed council's report gives too few points for SPC; this council has 36 months of made-up KPIs
(data/demo/make_demo.py writes them; each workbook's Notes sheet says so). It goes into its own
database file, read through the same loaders and stored through the same write path as any upload,
with the council named as fictional in the settings every page reads.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from cli.exit_codes import Exit
from cli.seed import build_database, store_workbooks

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"
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


def build_demo(db_path: str | Path = DEFAULT_DB, overwrite: bool = False) -> Path:
    """Create the demonstration database at `db_path`; refuse to replace one unless told, and never a
    database that holds another council's data (the seed council's store stays the seed's)."""
    db_path = Path(db_path)
    if db_path.exists() and overwrite:
        _refuse_other_council(db_path)
    return build_database(
        db_path, lambda conn: store_workbooks(conn, DEMO_COUNCIL, DEMO_FILES, DEMO_USER, DEMO_NOTE), overwrite
    )


def _refuse_other_council(db_path: Path) -> None:
    conn = duckdb.connect(str(db_path), read_only=True)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'council_code'").fetchone()
    finally:
        conn.close()
    if row is not None and row[0] != DEMO_COUNCIL["council_code"]:
        raise FileExistsError(f"{db_path} holds council {row[0]}'s data; the demonstration never replaces it")


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser(
        "demo",
        help="build the FICTIONAL demonstration council's database (36 months of made-up KPIs, for SPC)",
        description="Build Northmoor (LA 999, fictional) from data/demo into its own database file; refuses to "
        "replace an existing file unless given --force, and never replaces another council's database.",
    )
    demo.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"the file to build (default {DEFAULT_DB})")
    demo.add_argument("--force", action="store_true", help="replace an existing demonstration database")
    demo.set_defaults(run=init_demo)


def init_demo(args: argparse.Namespace) -> int:
    try:
        path = build_demo(args.db, overwrite=args.force)
    except FileExistsError as error:
        print(f"error: {error}", file=sys.stderr)
        return Exit.REFUSED
    print(f"built {path}: FICTIONAL demonstration council; open it with DASHBOARD_DB={path} bash scripts/run.sh")
    return Exit.OK
