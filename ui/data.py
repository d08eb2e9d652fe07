"""The process's live store and cached reads keyed by a data version read from the store.

The data version is the latest submission event in the store itself, read once per script run,
so a write made by another dashboard process or a command-line job shows on the next rerun.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from store.backend import Store, StoreUnreachable, default_target, describe, open_store

R = TypeVar("R")


@st.cache_resource(show_spinner="Opening the dashboard's database…")
def connection() -> Store:
    """The process's store (store/backend.py): the live DuckDB file (store/live.py: reads from the
    published read copy, each write holds the file only while it runs, so command-line jobs and
    other dashboard processes can write too) or a PostgreSQL database (store/pg.py). dashboard.py
    builds the default DuckDB database first, on first start."""
    return open_store(default_target())


def _latest_event() -> int:
    cur = connection().cursor()
    try:
        row = cur.execute("SELECT coalesce(max(event_id), 0) FROM submission_event").fetchone()
    finally:
        cur.close()
    return int(row[0]) if row else 0


def _checked_latest_event() -> int:
    """The latest event id; also the health check of the shared connection.

    After a fatal DuckDB error (a full disk while writing, say) the connection is invalidated, so
    it is dropped and the file opened afresh.
    """
    try:
        return _latest_event()
    except (duckdb.FatalException, duckdb.InvalidInputException, duckdb.ConnectionException):
        connection.clear()
        return _latest_event()


_RUN_VERSION = "ui.data.version"


def refresh_version(show_host: bool = False) -> int:
    """Read the data version once for this script run; dashboard.py calls it before any page.

    Writes happen in widget callbacks, which Streamlit runs before the script, so a version read
    here already reflects them. When the store cannot be reached the run stops at a plain page: no
    traceback, no password; where the store is goes to the server's log for IT, and to the page
    only when `show_host` (an admin's session).
    """
    try:
        version = _checked_latest_event()
    except StoreUnreachable as exc:
        print(f"data store not reachable: {exc}", file=sys.stderr)
        where = f" The store is {describe(default_target())}: {exc.reason}" if show_host else ""
        st.error(
            "The data store is not reachable just now, so the dashboard cannot show anything. "
            "Nothing has been lost. Please try again in a few minutes; if it goes on, tell the "
            f"dashboard's administrator.{where}"
        )
        st.stop()
    st.session_state[_RUN_VERSION] = version
    return version


def data_version() -> int:
    """Changes whenever a submission is stored, rolled back or re-applied (read once per run)."""
    version = st.session_state.get(_RUN_VERSION)
    return int(version) if version is not None else _checked_latest_event()


# Entries for an older data version are never read again; the hour's time-to-live lets them go
# even when few new reads push them out.
@st.cache_resource(show_spinner=False, max_entries=1024, ttl=3600)
def _run(module: str, name: str, version: int, args: tuple[Any, ...]) -> Any:
    del version  # part of the cache key only
    function = getattr(importlib.import_module(module), name)
    return function(connection(), *args)


def _detached(value: Any) -> Any:
    """A caller's own view of a shared result: frames and series as shallow copies (copy-on-write
    makes any change to them the caller's alone), dicts, lists and tuples rebuilt around them."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, dict):
        return {key: _detached(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_detached(item) for item in value)
    return value


def cached(query: Callable[..., R]) -> Callable[..., R]:
    """Wrap a store query `f(conn, *args)` as `g(*args)`, cached until the data changes.

    Results are kept once per process (not pickled per read, which cost a cached page more than
    its rendering) and handed out as shallow copies, so a caller may change its copy freely.
    """

    @functools.wraps(query)
    def call(*args: Any) -> R:
        result: R = _detached(_run(query.__module__, query.__qualname__, data_version(), tuple(args)))
        return result

    return call


def shared(builder: Callable[..., R]) -> Callable[..., R]:
    """Wrap a view builder `f(conn, *args)` as `g(*args)`: built once per data version and
    arguments and shared between sessions as it is. Its result must be treated as read-only
    (pages only hand it to Streamlit elements)."""

    @functools.wraps(builder)
    def call(*args: Any) -> R:
        result: R = _run(builder.__module__, builder.__qualname__, data_version(), tuple(args))
        return result

    return call


def clear_reads() -> None:
    """Forget every cached read and everything worked out from one (the connection stays open):
    how a page runs the first time after an upload. For benchmarks."""
    from ui import figure_cache

    _run.clear()
    figure_cache.clear_memos()
