"""Shared fixtures: a seed database built once per run, a fresh copy per test, clean caches."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

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
T = TypeVar("T", bound="str | Path")


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


def _app_on(path: T, monkeypatch: pytest.MonkeyPatch) -> Iterator[T]:
    """The app pointed at the store `path` (a DuckDB file or a PostgreSQL URL), from empty Streamlit
    caches, cleared again after."""
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
def empty_app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """For AppTest: a store with its schema and nothing in it (a council's first start, before any
    upload), with empty Streamlit caches."""
    path = tmp_path / "empty.duckdb"
    connect(path).close()
    yield from _app_on(path, monkeypatch)


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


def pg_copy(base: str, template: str, request: pytest.FixtureRequest) -> str:
    """The URL of a fresh database on the server of `base`, copied from the database `template`, for
    the test of `request`. Dropped after it (WITH FORCE: connections the app's cleared caches still
    hold are ended), so a run neither fills the disk with copies nor runs out of connections."""
    import psycopg

    from tests.postgres import database_url

    name = f"test_{next(_PG_DATABASES)}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")

    def drop() -> None:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    request.addfinalizer(drop)
    return database_url(base, name)


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """The URL of a fresh database for one test, copied from the seed template."""
    return pg_copy(request.getfixturevalue("pg_server"), "seed_template", request)


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


def pg_template(base: str, name: str, fill: Callable[[object], object], template: str = "template0") -> str:
    """Make the database `name` from `template`, migrated (PgStore) and filled by `fill(store)`; per-test
    copies of it (pg_copy) then cost a file copy, not a load. Returns `name`."""
    import psycopg

    from store.pg import PgStore
    from tests.postgres import database_url

    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    made = PgStore(database_url(base, name))
    try:
        fill(made)
    finally:
        made.close()
    return name


@pytest.fixture(scope="session")
def pg_lait_template(pg_server: str) -> str:
    """A template database: the seed template plus the whole shipped DfE LAIT extract and its KPI
    mapping (641,070 values, ~6 s to load), as the DuckDB seed file holds them. Copy it: `lait_pg_url`."""
    from store.benchmark import load_directory

    def fill(made: object) -> None:
        outcomes = load_directory(made, user="seed", note="DfE LAIT data shipped in data/lait")  # type: ignore[arg-type]
        assert [o.status for o in outcomes] == ["stored", "stored"], [o.message for o in outcomes]

    return pg_template(pg_server, "lait_template", fill, template="seed_template")


@pytest.fixture
def lait_pg_url(pg_server: str, pg_lait_template: str, request: pytest.FixtureRequest) -> str:
    """A fresh PostgreSQL database for one test holding what the DuckDB seed file holds, LAIT included."""
    return pg_copy(pg_server, pg_lait_template, request)


@pytest.fixture(scope="session")
def pg_empty_template(pg_server: str) -> str:
    """A template database with the schema and nothing in it (a council's first start)."""
    return pg_template(pg_server, "empty_template", lambda made: None)


# --- The dashboard's pages under AppTest, on both backends ------------------------------------------


@pytest.fixture
def app_target(store_target: str | Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str | Path]:
    """For AppTest on each backend: the app pointed at a private seed store (`store_target`: a DuckDB
    file or a PostgreSQL URL, no LAIT on PostgreSQL), from empty Streamlit caches."""
    yield from _app_on(store_target, monkeypatch)


@pytest.fixture
def pages(app_target: str | Path) -> Pages:
    """The dashboard's pages under AppTest on a private seed store, on each backend, opened signed out
    or as a role: `pages.open("views/upload.py", "uploader")`; `pages.app(role, script=...)` for an
    unrun AppTest; `with pages.store() as s:` to read or change the store beside the app."""
    from tests.helpers import Pages  # imports Streamlit and the UI: only for tests that open pages

    return Pages(app_target)


@pytest.fixture(params=["duckdb", "postgresql"])
def lait_pages(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pages]:
    """Like `pages`, with the whole DfE LAIT extract on both backends (the Benchmarking page)."""
    from tests.helpers import Pages

    target = request.getfixturevalue("db_path" if request.param == "duckdb" else "lait_pg_url")
    for pointed in _app_on(target, monkeypatch):
        yield Pages(pointed)


@pytest.fixture(params=["duckdb", "postgresql"])
def empty_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """A store with its schema and nothing in it, on each backend."""
    if request.param == "postgresql":
        return pg_copy(request.getfixturevalue("pg_server"), request.getfixturevalue("pg_empty_template"), request)
    path = tmp_path / "empty.duckdb"
    connect(path).close()
    return path


@pytest.fixture
def empty_pages(empty_target: str | Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pages]:
    """Like `pages`, on a store with nothing in it yet (a council's first start, before any upload)."""
    from tests.helpers import Pages

    for pointed in _app_on(empty_target, monkeypatch):
        yield Pages(pointed)
