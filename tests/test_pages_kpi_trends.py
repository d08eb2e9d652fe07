"""KPI trends under AppTest: published figures on the time axis, the SPC view, rebasing, the summary.

The seed council (Sunderland) has too few points for SPC; the fictional demonstration council
(data/demo, Northmoor, LA 999) has 36 months, so the SPC tests run on its database.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from store import audit
from store.backend import open_store
from store.rebase import rebase_history, rebases
from tests.helpers import Pages, shown

PAGE = "views/kpi_trends.py"
ROOT = Path(__file__).resolve().parent.parent


def _demo_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo_build", ROOT / "data" / "demo" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional council's database, built once per run through data/demo/build.py. Copy it."""
    return Path(_demo_module().build_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb"))


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: str) -> str:
    """The fictional council on PostgreSQL, stored by the same builder step as the DuckDB file (no LAIT
    on either). Copy it."""
    from cli.demo import DEMO_COUNCIL, DEMO_FILES, DEMO_NOTE, DEMO_USER
    from cli.seed import store_workbooks
    from tests.conftest import pg_template

    return pg_template(
        pg_server, "demo_template", lambda made: store_workbooks(made, DEMO_COUNCIL, DEMO_FILES, DEMO_USER, DEMO_NOTE)
    )


@pytest.fixture(params=["duckdb", "postgresql"])
def demo_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """A private copy of the fictional council's store on each backend: a DuckDB path or a PostgreSQL URL."""
    from tests.conftest import pg_copy

    if request.param == "postgresql":
        return pg_copy(request.getfixturevalue("pg_server"), request.getfixturevalue("pg_demo_template"), request)
    target = tmp_path / "demo.duckdb"
    shutil.copy(request.getfixturevalue("demo_db_file"), target)
    return target


@pytest.fixture
def demo(demo_target: str | Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pages]:
    """The fictional council's pages under AppTest, on each backend, from empty Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_DB", str(demo_target))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield Pages(demo_target)
    st.cache_data.clear()
    st.cache_resource.clear()


def _figure(at: AppTest, index: int = 0) -> dict[str, Any]:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def _traces(at: AppTest) -> dict[str, dict[str, Any]]:
    return {str(t.get("name")): t for t in _figure(at)["data"]}


def _captions(at: AppTest) -> str:
    return " ".join(shown(c) for c in at.caption)


def _open_spc(pages: Pages, code: str, role: str | None = None) -> AppTest:
    at = pages.open(PAGE, role)
    at.selectbox(key="kpi.code").set_value(code).run()
    at.segmented_control(key="kpi.chart").set_value("SPC (XmR) chart").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ---------------------------------------------------------------- the seed council: published figures


def test_published_figures_sit_on_the_local_time_axis(lait_pages: Pages) -> None:
    at = lait_pages.open(PAGE)
    at.selectbox(key="kpi.code").set_value("SW_CASELOAD_AVG").run()
    assert not at.exception
    traces = _traces(at)
    own = traces["Sunderland, published"]
    assert own.get("xaxis", "x") == "x"  # the same axis as the monthly series, not a side panel
    assert own["x"][:2] == ["2016-09-30T00:00:00", "2017-09-30T00:00:00"]
    assert own["text"][:2] == ["2016", "2017"]
    assert "England, published" in traces and "North East, published" in traces
    assert any(n.startswith("Statistical neighbours' median") for n in traces)
    words = _captions(at)
    assert "plotted at the date each describes" in words and "at 30 September" in words
    assert "Definitions: DfE: cases held at 30 September" in words
    assert not any(w for w in at.warning)  # the real council is not fictional
    table = next(d.value for d in at.dataframe if "Year (as published)" in d.value.columns)
    assert {"Series", "Describes", "Source"} <= set(table.columns)
    assert "30 Sep 2016" in set(table["Describes"])


def test_seed_series_is_too_short_for_spc_and_says_so(pages: Pages) -> None:
    at = _open_spc(pages, "RETURN_INTERVIEWS")
    assert "SPC needs at least 12 points" in _captions(at)
    assert not [t for t in _figure(at)["data"] if t.get("name") == "Process limits"]


# ---------------------------------------------------------------- the fictional council: SPC


def test_demo_council_says_it_is_fictional(demo: Pages) -> None:
    at = demo.open(PAGE)
    assert "FICTIONAL DEMONSTRATION DATA" in shown(at.warning[0])


def test_spc_view_classes_points_and_gives_both_icons_in_words(demo: Pages) -> None:
    at = _open_spc(demo, "DEMO_CASELOAD")
    fig = _figure(at)
    names = {t.get("name") for t in fig["data"]}
    assert {"Common cause", "Special cause: improvement", "Mean", "Process limits", "Target 18"} <= names
    assert "Variation: Improvement (low) · Assurance: Consistently failing" in fig["layout"]["title"]["text"]
    assert len(fig["layout"]["images"]) == 2
    words = _captions(at)
    assert "an XmR chart of 36 points" in words
    assert "Special cause improvement: lower" in words and "Consistently failing" in words
    table = next(d.value for d in at.dataframe if "Special cause rule" in d.value.columns)
    assert list(table["Special cause rule"].iloc[-7:]) == ["trend of 7"] * 7
    assert list(table["Class"].iloc[-7:]) == ["Special cause: improvement"] * 7


def test_screening_is_an_option(demo: Pages) -> None:
    at = _open_spc(demo, "DEMO_UNALLOCATED")
    assert "left out" in _captions(at)
    at.toggle(key="kpi.spc.screen").set_value(False).run()
    assert "every moving range kept" in _captions(at)


def test_uploader_rebases_the_limits_with_a_reason(demo: Pages) -> None:
    at = _open_spc(demo, "DEMO_RETURN_INTERVIEWS", "uploader")
    assert "Improvement (high)" in _figure(at)["layout"]["title"]["text"]
    at.selectbox(key="kpi.rebase.DEMO_RETURN_INTERVIEWS.month").set_value(date(2025, 4, 1)).run()
    at.text_area(key="kpi.rebase.DEMO_RETURN_INTERVIEWS.reason").set_value("New service started (2.2)").run()
    at.button(key="kpi.rebase.DEMO_RETURN_INTERVIEWS.save").click().run()
    assert not at.exception
    assert "Limits are recalculated from Apr 2025." in shown(at.success[0])
    fig = _figure(at)
    assert "Variation: Common cause · Assurance: Hit and miss" in fig["layout"]["title"]["text"]
    assert any("Limits recalculated from Apr 2025" in a.get("text", "") for a in fig["layout"]["annotations"])
    assert "Limits are recalculated from each rebase date" in _captions(at)
    with demo.store() as store:
        stored = rebases(store, "DEMO_RETURN_INTERVIEWS")
        assert list(stored["reason"]) == ["New service started (2.2)"]
        assert list(stored["saved_by"]) == ["uploader-person"]
        assert list(audit.entries(store, action="spc_rebase")["username"]) == ["uploader-person"]
    at.button(key="kpi.rebase.DEMO_RETURN_INTERVIEWS.take_away").click().run()  # no reason given
    assert "Say why" in shown(at.error[0])
    at.text_input(key="kpi.rebase.DEMO_RETURN_INTERVIEWS.remove_reason").set_value("Entered by mistake").run()
    at.button(key="kpi.rebase.DEMO_RETURN_INTERVIEWS.take_away").click().run()
    assert "Improvement (high)" in _figure(at)["layout"]["title"]["text"]
    with demo.store() as store:
        assert rebases(store, "DEMO_RETURN_INTERVIEWS").empty
        assert list(rebase_history(store, "DEMO_RETURN_INTERVIEWS")["change"]) == ["taken away", "set"]


def test_a_rebase_needs_a_reason(demo: Pages) -> None:
    at = _open_spc(demo, "DEMO_RETURN_INTERVIEWS", "uploader")
    at.selectbox(key="kpi.rebase.DEMO_RETURN_INTERVIEWS.month").set_value(date(2025, 4, 1)).run()
    at.button(key="kpi.rebase.DEMO_RETURN_INTERVIEWS.save").click().run()
    assert "Say why" in shown(at.error[0])
    assert demo.call(rebases, "DEMO_RETURN_INTERVIEWS").empty


@pytest.mark.parametrize("role", [None, "viewer"])
def test_only_uploaders_see_the_rebase_form(demo: Pages, role: str | None) -> None:
    at = _open_spc(demo, "DEMO_RETURN_INTERVIEWS", role)
    assert not [b for b in at.button if str(b.key).startswith("kpi.rebase.")]
    assert "uploader role can rebase" in _captions(at)


def test_trajectory_is_drawn_and_said(demo: Pages) -> None:
    at = demo.open(PAGE)
    at.selectbox(key="kpi.code").set_value("DEMO_CL_PATHWAY").run()
    line = _traces(at)["At the recent rate, to the action's timescale"]
    assert line["x"][-1].startswith("2027-03-01")
    said = " ".join(shown(m) for m in at.markdown)
    assert "Trajectory (action 3.3)" in said and "not reached by the action's timescale (03/27)" in said


def test_summary_matrix_links_every_kpi_to_its_chart(demo: Pages) -> None:
    at = demo.open(PAGE)
    at.segmented_control(key="kpi.view").set_value("SPC summary").run()
    assert not at.exception
    matrix = next(m.value for m in at.markdown if m.value.startswith("| Variation |"))
    for code in ("DEMO_CASELOAD", "DEMO_LAC_VISITED", "DEMO_CL_NEET", "DEMO_RETURN_INTERVIEWS"):
        assert f"(/kpi_trends?kpi={code})" in matrix
    assert "Consistently passing" in matrix and "Hit and miss" in matrix
    table: pd.DataFrame = next(d.value for d in at.dataframe if "Assurance" in d.value.columns)
    assert len(table) == 7
    row = table[table["KPI"] == "Looked-after children visited within 6 weeks"].iloc[0]
    assert row["Assurance"].startswith("Consistently passing") and row["Target"] == "80%"
    assert row["Chart"] == "/kpi_trends?kpi=DEMO_LAC_VISITED"


def test_a_link_from_the_summary_opens_the_kpi(demo: Pages) -> None:
    at = demo.app()
    at.query_params["kpi"] = "DEMO_CL_NEET"
    at.run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key="kpi.code").value == "DEMO_CL_NEET"


# ---------------------------------------------------------------- the demonstration data itself


def test_demo_build_never_replaces_another_councils_store(db_path: Path) -> None:
    with pytest.raises(FileExistsError, match="already exists"):
        _demo_module().build_demo(db_path)
    with pytest.raises(FileExistsError, match="holds council 394's data"):
        _demo_module().build_demo(db_path, overwrite=True)


def test_demo_holds_the_patterns_its_notes_promise(demo_target: str | Path) -> None:
    from charts.spc import analyse_series
    from domain import spc
    from store.plan_queries import kpi_series

    conn = open_store(demo_target)
    try:

        def result(code: str, polarity: str, rebase: pd.DataFrame | None = None) -> spc.Spc:
            return analyse_series(kpi_series(conn, code, "999"), polarity, rebases=rebase)

        caseload = result("DEMO_CASELOAD", "lower")
        assert caseload.rule[-7:] == (spc.TREND,) * 7 and not any(caseload.rule[:29])
        unallocated = result("DEMO_UNALLOCATED", "lower")
        assert [i for i, r in enumerate(unallocated.rule) if r] == [28]  # Feb 2026 only
        assert unallocated.rule[28] == spc.OUTSIDE
        shift = pd.DataFrame({"rebase_from": [pd.Timestamp("2025-04-01")], "reason": ["service started"]})
        assert any(result("DEMO_RETURN_INTERVIEWS", "higher").rule)
        assert not any(result("DEMO_RETURN_INTERVIEWS", "higher", shift).rule)  # each side of the step is stable
        notes = conn.execute("SELECT value FROM settings WHERE key = 'fictional'").fetchone()
        assert notes is not None and notes[0].startswith("FICTIONAL")
    finally:
        conn.close()


# ---------------------------------------------------------------- the board pack and the Overview


def test_board_pack_carries_the_spc_summary_in_excel_and_pdf(demo_target: str | Path) -> None:
    import io

    import openpyxl
    import pypdf

    from reports.board_pack import build
    from reports.excel import to_xlsx
    from reports.pdf import to_pdf

    conn = open_store(demo_target)
    try:
        pack = build(conn, date(2026, 9, 1), date(2026, 6, 1))
    finally:
        conn.close()
    assert len(pack.spc) == 7 and "improvement_low" in set(pack.spc["variation"])
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(pack)))
    sheet = book["SPC summary"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Consistently failing" in cells and "Improvement (low)" in cells
    assert any(c.startswith("Average social worker caseload (22.1, target 18)") for c in cells)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(to_pdf(pack))).pages)
    assert "Making Data Count summary" in text and "Consistently passing" in text


def test_overview_shows_the_spc_summary_and_kpis_off_course(demo: Pages) -> None:
    at = demo.open("views/overview.py")
    assert not at.exception
    said = " ".join(shown(m) for m in at.markdown)
    assert "Action 3.2 is Dark Green, but Care leavers not in education" in said
    assert "is not on course to meet its target" in said
    matrix = next(m.value for m in at.markdown if m.value.startswith("| Variation |"))
    assert "(/kpi_trends?kpi=DEMO_CASELOAD)" in matrix
    assert any(h.value == "Making Data Count summary" for h in at.header)
