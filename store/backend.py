"""Which store to open: a DuckDB file (the embedded default) or a PostgreSQL database, by one name.

The name is a path or a `postgresql://` URL, taken from (first found) the caller (`--db`), the
`DASHBOARD_DB` environment variable, the `[store] url` of `.streamlit/secrets.toml` (so a password
need not appear in the process list), else data/dashboard.duckdb. Both backends are opened with a
wait: how long a command waits for a store another process is writing before it gives up.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from store import live, pg
from store.db import default_db_path

_ROOT = Path(__file__).resolve().parent.parent
SECRETS = _ROOT / ".streamlit" / "secrets.toml"

Store = live.LiveStore | pg.PgStore
StoreBusy = live.StoreBusy
StoreUnreachable = pg.StoreUnreachable


def _from_secrets(path: Path = SECRETS) -> str | None:
    try:
        with path.open("rb") as handle:
            section = tomllib.load(handle).get("store", {})
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return None
    url = section.get("url") if isinstance(section, dict) else None
    return str(url) if url else None


def default_target() -> str | Path:
    """`DASHBOARD_DB`, else `[store] url` in .streamlit/secrets.toml, else data/dashboard.duckdb."""
    named = os.environ.get("DASHBOARD_DB")
    if named:
        return named if pg.is_url(named) else Path(named)
    return _from_secrets() or default_db_path()


def is_url(target: object) -> bool:
    return pg.is_url(target)


def describe(target: str | Path) -> str:
    """For messages: the file, or host:port/database (never a password)."""
    return pg.describe(str(target)) if is_url(target) else str(target)


def open_store(target: str | Path | None = None, wait: float = live.DEFAULT_WAIT) -> Store:
    """The store named by `target` (default: `default_target()`), ready for reads and writes.

    A DuckDB file must exist (the seed builder makes it); a PostgreSQL database must exist and is
    migrated here. Raises StoreBusy (DuckDB file held longer than `wait`) or StoreUnreachable."""
    target = default_target() if target is None else target
    if is_url(target):
        return pg.open_store(str(target), wait)
    return live.open_store(Path(target), wait)
