"""The data store down while the dashboard runs (issue 11, faults): every visitor gets a plain "not
reachable" page, with no traceback and no password; only a session that was an admin's when the
store last answered is told the host and the reason. A real PostgreSQL server, started for this test
and stopped under the running dashboard."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from store import accounts
from store.pg import PgStore, describe
from tests.helpers import PASSWORD, shown
from tests.postgres import database_url, server
from ui import auth

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cret-Wx9-store-password"


def _everything_shown(at: AppTest) -> str:
    return "\n".join(shown(e) for e in (*at.error, *at.markdown, *at.caption, *at.info, *at.warning))


def test_the_store_down_shows_a_plain_page_and_only_an_admin_learns_where(monkeypatch: pytest.MonkeyPatch) -> None:
    import streamlit as st

    with ExitStack() as running:
        base = running.enter_context(server())
        with psycopg.connect(base, autocommit=True) as owner:
            owner.execute("CREATE DATABASE board")
            owner.execute(f"CREATE ROLE board LOGIN PASSWORD '{SECRET}'")
            owner.execute("ALTER DATABASE board OWNER TO board")
        url = database_url(base, "board").replace("postgresql://postgres@", f"postgresql://board:{SECRET}@")
        with PgStore(url) as store:
            admin = accounts.add(store, "root", "admin", PASSWORD, by="test")  # type: ignore[arg-type]
        monkeypatch.setenv("DASHBOARD_DB", url)
        st.cache_resource.clear()
        signed_in = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        signed_in.session_state[auth.USER_KEY] = admin.username
        signed_in.session_state[auth.STAMP_KEY] = admin.password_version
        visitor = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        for at in (signed_in.run(), visitor.run()):
            assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
        running.close()  # the server stops while both sessions are open

        for at in (signed_in.run(), visitor.run()):
            assert not at.exception, [e.value for e in at.exception]
            assert "The data store is not reachable just now" in _everything_shown(at)
            assert SECRET not in _everything_shown(at)
        assert f"The store is {describe(url)}" in _everything_shown(signed_in)
        assert describe(url) not in _everything_shown(visitor) and "socket" not in _everything_shown(visitor)
    st.cache_resource.clear()
