"""Shared fixtures: a seed database built once per run, a fresh copy per test, clean caches."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cli.seed import build_default  # noqa: E402
from store import connect  # noqa: E402

if TYPE_CHECKING:
    from tests.helpers import Pages

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def seed_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default database, built from data/seed once per test run. Never write to it: copy it."""
    return build_default(tmp_path_factory.mktemp("seed") / "seed.duckdb")


@pytest.fixture
def db_path(seed_db_file: Path, tmp_path: Path) -> Path:
    """A private copy of the seed database for one test."""
    target = tmp_path / "dashboard.duckdb"
    shutil.copy(seed_db_file, target)
    return target


@pytest.fixture
def db(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    conn = connect(db_path)
    yield conn
    conn.close()


def _app_on(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app pointed at the database `path`, from empty Streamlit caches, cleared again after."""
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_db(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """For AppTest: point the app at a private seed copy and start from empty Streamlit caches."""
    yield from _app_on(db_path, monkeypatch)


@pytest.fixture
def pages(app_db: Path) -> Pages:
    """The dashboard's pages under AppTest on a private seed copy, opened signed out or as a role:
    `pages.open("views/upload.py", "uploader")`; `pages.app(role, script=...)` for an unrun AppTest."""
    from tests.helpers import Pages  # imports Streamlit and the UI: only for tests that open pages

    return Pages(app_db)


@pytest.fixture
def empty_app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """For AppTest: a store with its schema and nothing in it (a council's first start, before any
    upload), with empty Streamlit caches."""
    path = tmp_path / "empty.duckdb"
    connect(path).close()
    yield from _app_on(path, monkeypatch)


@pytest.fixture
def empty_pages(empty_app_db: Path) -> Pages:
    """Like `pages`, on a store with nothing in it yet."""
    from tests.helpers import Pages

    return Pages(empty_app_db)


# --- One store fixture, two backends (issue 11): the DuckDB file and a throwaway PostgreSQL ---------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL 15 server for this test run (tests/postgres.py), with a template database holding
    the seed council's settings, plan and KPIs; `store` makes one database per test from it."""
    import psycopg

    from cli.seed import store_workbooks
    from loaders.seed import INITIAL_MONTH, SEED_COUNCIL, SEED_FILES, SEED_NOTE, SEED_USER
    from store.pg import PgStore
    from tests.postgres import database_url, server

    with server() as url:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("CREATE DATABASE seed_template")
        template = PgStore(database_url(url, "seed_template"))
        store_workbooks(template, SEED_COUNCIL, SEED_FILES, SEED_USER, SEED_NOTE, {"Initial": INITIAL_MONTH})
        template.close()
        yield url


_PG_DATABASES = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """The URL of a fresh database for one test, copied from the seed template."""
    import psycopg

    from tests.postgres import database_url

    base = request.getfixturevalue("pg_server")
    name = f"test_{next(_PG_DATABASES)}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE seed_template")
    return database_url(base, name)


@pytest.fixture(params=["duckdb", "postgresql"])
def store_target(request: pytest.FixtureRequest) -> str | Path:
    """A private seed store on each backend: a DuckDB file path or a PostgreSQL URL (the PostgreSQL
    template holds no LAIT extract, to stay quick; tests/test_pg_lait.py loads the whole extract)."""
    if request.param == "duckdb":
        return Path(request.getfixturevalue("db_path"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_target: str | Path) -> Iterator[object]:
    """The store as the dashboard and the command line open it (store.backend.open_store), on both
    backends."""
    from store.backend import open_store

    opened = open_store(store_target)
    yield opened
    opened.close()
