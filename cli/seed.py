"""Build a database from shipped workbooks, through the same loaders and write path as any upload.

The default database is the seed council's (Sunderland's plan, KPIs and the DfE LAIT extract);
cli/demo.py builds the fictional demonstration council the same way.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import duckdb

from loaders.seed import INITIAL_MONTH, SEED_COUNCIL, SEED_FILES, SEED_NOTE, SEED_USER, read_shipped
from store import connect
from store.benchmark import load_directory as load_benchmarks
from store.db import now_utc
from store.queries import catalogue
from store.writes import submit, submit_settings


def build_default(db_path: str | Path, overwrite: bool = False) -> Path:
    """The seed council's database at `db_path`; refuses to replace one unless told (see build_database)."""
    return build_database(db_path, fill_seed, overwrite)


def ensure_default(db_path: str | Path) -> Path:
    """The database at `db_path`, built from the seed files first if it does not exist yet."""
    db_path = Path(db_path)
    if not db_path.exists():
        with contextlib.suppress(FileExistsError):  # another process built it meanwhile
            build_default(db_path)
    return db_path


def fill_seed(conn: duckdb.DuckDBPyConnection) -> None:
    """The seed council's settings, plan and KPIs, then the DfE LAIT extract, each a submission."""
    store_workbooks(conn, SEED_COUNCIL, SEED_FILES, SEED_USER, SEED_NOTE, {"Initial": INITIAL_MONTH})
    load_benchmarks(conn, user=SEED_USER, note="DfE LAIT data shipped in data/lait")


def store_workbooks(
    conn: duckdb.DuckDBPyConnection,
    council: dict[str, str],
    files: Sequence[Path],
    user: str,
    note: str,
    rag_months: dict[str, date] | None = None,
) -> None:
    """The council's settings, then each shipped workbook as a submission, in order (KPIs after the plan
    they evidence, so the catalogue read for each file holds what came before)."""
    submit_settings(conn, council, user)
    for path in files:
        parsed = read_shipped(path, catalogue(conn), council["council_code"], rag_months)
        submit(conn, parsed, path.read_bytes(), user, note=note)


def build_database(
    db_path: str | Path, fill: Callable[[duckdb.DuckDBPyConnection], None], overwrite: bool = False
) -> Path:
    """Create the database at `db_path` with `fill`; refuse to replace one unless told.

    Built beside the target and linked into place, so a crash never leaves a half-built file and
    two processes building at once never replace a file the other has opened (the loser gets
    FileExistsError); a database replaced with `overwrite` is kept beside it as
    `<name>.replaced-<UTC time>`.
    """
    db_path = Path(db_path)
    if db_path.exists() and not overwrite:
        raise FileExistsError(f"{db_path} already exists; use --force to replace it")
    building = db_path.with_name(db_path.name + f".building-{os.getpid()}")
    for leftover in (building, Path(str(building) + ".wal")):
        leftover.unlink(missing_ok=True)
    conn = connect(building)
    try:
        fill(conn)
        conn.execute("CHECKPOINT")
    except BaseException:
        conn.close()
        building.unlink(missing_ok=True)
        raise
    conn.close()
    if overwrite and db_path.exists():
        stamp = now_utc().strftime("%Y%m%dT%H%M%S")
        os.replace(db_path, db_path.with_name(f"{db_path.name}.replaced-{stamp}"))
    _move_into_place(building, db_path)
    return db_path


def _move_into_place(built: Path, target: Path) -> None:
    """Link, not rename: a link never clobbers, so a file another process opened meanwhile stays its own."""
    try:
        os.link(built, target)
    except FileExistsError:
        built.unlink()
        raise
    except OSError:  # a file system without hard links
        os.replace(built, target)
        return
    built.unlink()
