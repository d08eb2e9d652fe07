"""Every board page on both backends (issue 11): the dashboard under AppTest on the seed store as a
DuckDB file and as a PostgreSQL database, the same assertions on each, so PostgreSQL shows the
board the same headline numbers DuckDB does (from the Sunderland 2017 progress report)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store import accounts, history
from store.backend import open_store
from tests.helpers import PASSWORD, PEOPLE, Pages, frame_with, shown

ROOT = Path(__file__).resolve().parent.parent
KPI_FILE = ROOT / "tests" / "data" / "good" / "fictional_monthly_kpis.xlsx"  # fictional figures
NOV, FEB = date(2016, 11, 1), date(2017, 2, 1)
TOTALS = [0, 0, 13, 8, 29, 8, 6, 26, 11, 17]  # Table 1's Totals row, Nov 2016 and Feb 2017


class BackendPages(Pages):
    """`Pages` on a store opened as the dashboard opens it (a DuckDB file or a PostgreSQL URL)."""

    def __init__(self, target: str | Path) -> None:
        super().__init__(Path(str(target)))
        self.target = target

    def account(self, role: str, name: str | None = None) -> accounts.Account:
        store = open_store(self.target)
        try:
            if accounts.get(store, "root") is None:  # type: ignore[arg-type]
                accounts.add(store, "root", "admin", PASSWORD, by="test")  # type: ignore[arg-type]
            username = name or PEOPLE[role]
            found = accounts.get(store, username)  # type: ignore[arg-type]
            return found or accounts.add(store, username, role, PASSWORD, by="test")  # type: ignore[arg-type]
        finally:
            store.close()

    def listing(self) -> object:
        store = open_store(self.target)
        try:
            return history.listing(store)  # type: ignore[arg-type]
        finally:
            store.close()


@pytest.fixture
def both(store_target: str | Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[BackendPages]:
    """The dashboard pointed at the seed store on one backend, from empty Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DB", str(store_target))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield BackendPages(store_target)
    st.cache_data.clear()
    st.cache_resource.clear()


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _headers(at: AppTest) -> list[str]:
    return [shown(h) for h in at.header]


def _markdown(at: AppTest) -> str:
    return "\n".join(shown(m) for m in at.markdown)


def overview(pages: BackendPages) -> None:
    at = pages.open("views/overview.py")
    assert at.selectbox(key="overview.previous").value == NOV and at.selectbox(key="overview.current").value == FEB
    assert "50 actions in the plan excluding completed ones; 26 Dark Green" in _headers(at)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Open actions"], metrics["Dark Green"], metrics["Completed"]) == ("50", "26", "17")
    assert (metrics["Red or Amber"], metrics["Overdue"], metrics["New, not yet rated"]) == ("8", "16", "8")
    assert at.table[0].value.iloc[-1].tolist() == TOTALS
    assert "27 improved; 26 held; 8 new, not yet rated; 6 completed." in _markdown(at)
    assert len(at.get("plotly_chart")) == 3


def plan_explorer(pages: BackendPages) -> None:
    at = pages.open("views/plan_explorer.py")
    assert "67 of 67 actions at Feb 2017" in _headers(at)
    assert "Principal Social Worker" in at.multiselect(key="explorer.lead").options
    _ok(at.checkbox(key="explorer.overdue").check().run())
    _ok(at.multiselect(key="explorer.rating").set_value(["A"]).run())
    _ok(at.text_input(key="explorer.search").set_value("early help").run())
    assert "1 of 67 actions at Feb 2017" in _headers(at)
    assert at.dataframe[0].value["Action"].tolist() == ["2.1"]
    _ok(at.selectbox(key="explorer.action").set_value("3.13").run())
    assert "Action 3.13: 🟩 Dark Green at Feb 2017" in [shown(s) for s in at.subheader]
    assert len(at.get("plotly_chart")) == 2  # its rating history and the KPI that evidences it


def kpi_trends(pages: BackendPages) -> None:
    at = pages.open("views/kpi_trends.py")
    assert len(at.selectbox(key="kpi.code").options) == 26
    _ok(at.selectbox(key="kpi.code").set_value("RETURN_INTERVIEWS").run())
    assert at.metric[0].value == "78%" and "+41 points since Oct 2016" in str(at.metric[0].delta)
    assert len(at.get("plotly_chart")) == 1


def board_pack(pages: BackendPages) -> None:
    at = pages.open("views/board_pack.py")
    assert at.title[0].value == "Board pack"
    table = at.dataframe[0].value
    totals = table[table["Priority"] == "Totals"].iloc[0]
    assert (totals["Dark Green Nov 2016"], totals["Dark Green Feb 2017"]) == (6, 26)
    narrative = at.text_area(key="board_pack.narrative.2017-02.2016-11.3").value
    assert narrative.startswith("Eight actions moved from Light Green to Dark Green")


def history_page(pages: BackendPages) -> None:
    stored = pages.listing()
    at = pages.open("views/history.py", "uploader")
    assert at.title[0].value == "Upload history"
    table = at.dataframe[0].value  # every submission, newest first
    assert len(table) == len(stored) >= 2  # type: ignore[arg-type]  # the seed plan and the seed KPIs
    assert table["File"].tolist() == stored["file_name"].tolist()  # type: ignore[index]
    assert table["SHA-256"].tolist() == stored["sha256"].tolist()  # type: ignore[index]
    assert set(table["Status"]) == {"active"}
    assert not [b for b in at.button if b.key == "history.rollback"]  # an uploader may not roll back


def upload_confirm(pages: BackendPages) -> None:
    before = len(pages.listing())  # type: ignore[arg-type]
    at = pages.open("views/upload.py", "uploader")
    at.get("file_uploader")[0].upload(KPI_FILE.name, KPI_FILE.read_bytes())
    _ok(at.run())
    assert "No problems found." in [s.value for s in at.success]
    kpi_values = at.table[0].value.loc["KPI values"]
    assert (kpi_values["new"], kpi_values["changed"]) == (4, 0)
    assert set(frame_with(at, "In this file")["Change"]) == {"new"}
    at.text_input(key="upload.note").set_value("March return (fictional)")
    at.button(key="upload.confirm").click()
    _ok(at.run())
    assert any("Stored as submission" in s.value for s in at.success)
    after = pages.listing()
    assert len(after) == before + 1  # type: ignore[arg-type]
    newest = after.iloc[0]  # type: ignore[attr-defined]
    assert (newest["submitted_by"], newest["status"], newest["note"]) == (
        "uploader-person", "active", "March return (fictional)",
    )  # fmt: skip


PAGES: dict[str, Callable[[BackendPages], None]] = {
    "overview": overview,
    "plan explorer": plan_explorer,
    "kpi trends": kpi_trends,
    "board pack": board_pack,
    "history": history_page,
    "upload preview and confirm": upload_confirm,
}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_board_page_on_both_backends(both: BackendPages, page: str) -> None:
    PAGES[page](both)


@pytest.fixture(scope="module")
def lait_pg_url(pg_server: str) -> str:
    """A PostgreSQL copy of the seed store with the whole shipped DfE LAIT extract loaded."""
    import psycopg

    from store.benchmark import load_directory
    from tests.postgres import database_url

    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute("CREATE DATABASE lait_pages TEMPLATE seed_template")
    url = database_url(pg_server, "lait_pages")
    store = open_store(url)
    try:
        load_directory(store, user="test", note="DfE LAIT data shipped in data/lait")  # type: ignore[arg-type]
    finally:
        store.close()
    return url


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_benchmarking_page_on_both_backends(
    backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    target = request.getfixturevalue("db_path" if backend == "duckdb" else "lait_pg_url")
    monkeypatch.setenv("DASHBOARD_DB", str(target))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = BackendPages(target).open("views/benchmarking.py")
        assert at.selectbox(key="benchmarking.measure").value == "Work_Force_AvgNumCase_SW"
        text = "\n".join(shown(e) for e in (*at.markdown, *at.caption, *at.info))
        assert "In 2025 Sunderland's figure was 17.1: worse than its statistical neighbours' mean (15.81)" in text
        assert "ranked 123rd of 151 councils with a figure (1st = lowest)" in text
        comparison = at.dataframe[0].value.set_index("Period")
        assert comparison.at["2017", "Sunderland"] == 21.6 and comparison.at["2017", "England"] == 17.7
        assert len(at.dataframe[2].value) == 153 and len(at.get("plotly_chart")) == 3
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
