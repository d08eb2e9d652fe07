"""The database keeps the promises on PostgreSQL: the application's role adds rows but can neither
change nor remove one; the analysts' role reads the documented views and nothing else; a wrong
password or a server that is down gives a clear error naming the host, never the password."""

from __future__ import annotations

import itertools
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from loaders.ingest import read_bytes
from store import history
from store.pg import ANALYST_VIEWS, PgStore, StoreUnreachable, roles_sql
from store.queries import catalogue, fetch_df
from tests.data.good.make_fictional import workbook
from tests.helpers import large_kpi_return

_NAMES = itertools.count(1)
APP_PASSWORD = "app-secret-Hx7"
ANALYST_PASSWORD = "analyst-secret-Qm4"


def as_role(url: str, role: str, password: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://{role}:{password}@", 1)


@pytest.fixture
def roles(pg_url: str) -> tuple[str, str]:
    """The URLs of a fresh database's application and analyst roles, made with the README's SQL."""
    n = next(_NAMES)
    app, analyst = f"board_app_{n}", f"board_analyst_{n}"
    database = urlsplit(pg_url).path.lstrip("/")
    with psycopg.connect(pg_url, autocommit=True) as owner:
        owner.execute(roles_sql(database, app, analyst, APP_PASSWORD, ANALYST_PASSWORD))  # type: ignore[arg-type]
    return as_role(pg_url, app, APP_PASSWORD), as_role(pg_url, analyst, ANALYST_PASSWORD)


def test_the_application_role_adds_rows_and_can_never_change_or_remove_one(roles: tuple[str, str]) -> None:
    app_url, _ = roles
    store = PgStore(app_url)  # opens (nothing to migrate) as the application's role
    data = workbook({"CL_NEET": {"2017-04": 38}})
    parsed = read_bytes(data, "april.xlsx", catalogue=catalogue(store), default_la="999")
    outcome = history.store_upload(store, parsed, data, history.Actor("ann", "uploader"))
    assert outcome.status == "stored" and outcome.submission_id is not None
    history.rollback(store, outcome.submission_id, history.Actor("root", "admin"))
    store.close()
    with psycopg.connect(app_url, autocommit=True) as app:
        for statement in (
            "UPDATE audit_log SET outcome = 'nothing happened'",
            "DELETE FROM audit_log",
            "UPDATE observation_entry SET value = 0",
            "DELETE FROM submission_event",
            "TRUNCATE rating_entry",
            "DELETE FROM account_version",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)


def test_the_analyst_role_reads_the_documented_views_and_nothing_else(roles: tuple[str, str]) -> None:
    _, analyst_url = roles
    with psycopg.connect(analyst_url, autocommit=True) as analyst:
        for view in ANALYST_VIEWS:
            analyst.execute(f"SELECT * FROM {view} LIMIT 1")
        rated = analyst.execute(
            "SELECT count(*) FROM rag_history WHERE period = DATE '2017-02-01' AND rating IS NOT NULL"
        ).fetchone()
        assert rated == (59,)
        columns = [d.name for d in analyst.execute("SELECT * FROM accounts LIMIT 0").description or []]
        assert "password_hash" not in columns
        for statement in (
            "SELECT * FROM account_version",
            "SELECT * FROM audit_log",
            "SELECT * FROM observation_entry",
            "INSERT INTO audit_log VALUES (99, now(), 'x', 'x', 'x', 'x', 'x', 'x')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                analyst.execute(statement)


def test_a_wrong_password_names_the_host_and_never_the_password(roles: tuple[str, str]) -> None:
    app_url, _ = roles
    wrong = app_url.replace(APP_PASSWORD, "not-the-password-Zr9")
    with pytest.raises(StoreUnreachable) as raised:
        PgStore(wrong)
    message = str(raised.value)
    assert urlsplit(app_url).path.lstrip("/") in message and "socket" in message  # the host and database
    assert "password authentication failed" in message
    assert "not-the-password-Zr9" not in message and APP_PASSWORD not in message


def test_a_server_that_is_down_is_not_reachable_and_says_where(tmp_path: Path, pg_url: str) -> None:
    down = pg_url.split("?")[0] + f"?host={tmp_path}"  # a socket folder with no server in it
    with pytest.raises(StoreUnreachable) as raised:
        PgStore(down, wait=1)
    assert str(tmp_path) in str(raised.value) and "not reachable" in str(raised.value)
    frame = fetch_df(PgStore(pg_url), "SELECT count(*) AS n FROM submissions")  # the real one still answers
    assert int(frame.iloc[0, 0]) >= 3


def test_a_connection_lost_during_an_upload_stores_nothing_and_says_try_again(pg_url: str) -> None:
    """The server ends the upload's session mid-transaction (as a failover or a restart would)."""
    import threading
    import time

    from store.pg import _WRITE_LOCK_KEY
    from tests.helpers import large_kpi_return

    store = PgStore(pg_url)
    before = fetch_df(store, "SELECT count(*) AS n FROM submission_log").iloc[0, 0]
    data = large_kpi_return(60_000)
    parsed = read_bytes(data, "lost.xlsx", catalogue=catalogue(store), default_la="999")
    raised: list[BaseException] = []

    def upload() -> None:
        try:
            history.store_upload(store, parsed, data, history.Actor("ann", "uploader"))
        except BaseException as exc:  # noqa: BLE001 - the test looks at what was raised
            raised.append(exc)

    worker = threading.Thread(target=upload)
    worker.start()
    killed = 0
    with psycopg.connect(pg_url, autocommit=True) as admin:
        deadline = time.monotonic() + 60
        while not killed and worker.is_alive() and time.monotonic() < deadline:
            row = admin.execute(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND granted",
                [_WRITE_LOCK_KEY],
            ).fetchone()
            if row:
                killed = admin.execute("SELECT count(*) FROM (SELECT pg_terminate_backend(%s)) t", [row[0]]).fetchone()[
                    0
                ]  # type: ignore[index]
            time.sleep(0.005)
    worker.join(timeout=120)
    assert killed == 1, "the upload finished before its session could be ended"
    assert len(raised) == 1 and isinstance(raised[0], history.StoreError)  # the page's "not stored, try again"
    after = PgStore(pg_url)
    assert fetch_df(after, "SELECT count(*) AS n FROM submission_log").iloc[0, 0] == before
    assert fetch_df(after, "SELECT count(*) AS n FROM observation_entry WHERE la_code = '999'").iloc[0, 0] == 0


def test_a_bulk_upload_by_the_application_role_refreshes_the_planner_statistics(
    roles: tuple[str, str], pg_url: str
) -> None:
    """Only a table's owner may ANALYZE it; the owner's `board_analyze` lets the application's role
    refresh the statistics of the tables a large upload filled, so plans fit the new sizes at once."""
    app_url, _ = roles
    store = PgStore(app_url)
    data = large_kpi_return(2_000)
    parsed = read_bytes(data, "bulk.xlsx", catalogue=catalogue(store), default_la="999")
    assert history.store_upload(store, parsed, data, history.Actor("ann", "uploader")).status == "stored"
    store.close()
    with psycopg.connect(pg_url, autocommit=True) as owner:
        analysed = owner.execute(
            "SELECT last_analyze IS NOT NULL, (SELECT reltuples FROM pg_class WHERE oid = relid)"
            " FROM pg_stat_user_tables WHERE relname = 'observation_entry'"
        ).fetchone()
    assert analysed is not None and analysed[0] and analysed[1] >= 2_000


def test_the_statistics_function_analyses_the_store_tables_and_nothing_else(
    roles: tuple[str, str], pg_url: str
) -> None:
    app_url, analyst_url = roles
    with psycopg.connect(app_url, autocommit=True) as app:
        app.execute("SELECT board_analyze(ARRAY['account_version', 'audit_log', 'rating_entry'])")
    with psycopg.connect(pg_url, autocommit=True) as owner:
        analysed = owner.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL ORDER BY relname"
        ).fetchall()
    assert analysed == [("rating_entry",)]  # the two not on its list were left alone
    with psycopg.connect(analyst_url, autocommit=True) as analyst, pytest.raises(psycopg.errors.InsufficientPrivilege):
        analyst.execute("SELECT board_analyze(ARRAY['observation_entry'])")
