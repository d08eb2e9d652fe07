"""Build the default database from the seed council's workbooks, through the same loaders and write path."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from loaders.seed import SEED_COUNCIL, SEED_FILES, SEED_NOTE, SEED_USER, read_seed_file
from store import connect
from store.benchmark import load_directory as load_benchmarks
from store.db import now_utc
from store.queries import catalogue
from store.writes import submit, submit_settings


def build_default(db_path: str | Path, overwrite: bool = False) -> Path:
    """Create the database at `db_path` from the seed files; refuse to replace one unless told.

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
        submit_settings(conn, SEED_COUNCIL, SEED_USER)
        for path in SEED_FILES:
            parsed = read_seed_file(path, catalogue(conn))
            submit(conn, parsed, path.read_bytes(), SEED_USER, note=SEED_NOTE)
        load_benchmarks(conn, user=SEED_USER, note="DfE LAIT data shipped in data/lait")
        conn.execute("CHECKPOINT")
    finally:
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


def ensure_default(db_path: str | Path) -> Path:
    """The database at `db_path`, built from the seed files first if it does not exist yet."""
    db_path = Path(db_path)
    if not db_path.exists():
        with contextlib.suppress(FileExistsError):  # another process built it meanwhile
            build_default(db_path)
    return db_path
