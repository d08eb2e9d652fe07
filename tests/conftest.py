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


@pytest.fixture
def app_db(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """For AppTest: point the app at a private seed copy and start from empty Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DB", str(db_path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield db_path
    st.cache_data.clear()
    st.cache_resource.clear()


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
    import streamlit as st

    path = tmp_path / "empty.duckdb"
    connect(path).close()
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def empty_pages(empty_app_db: Path) -> Pages:
    """Like `pages`, on a store with nothing in it yet."""
    from tests.helpers import Pages

    return Pages(empty_app_db)
