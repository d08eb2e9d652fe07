"""The Board pack page through the real dashboard script (AppTest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from store import accounts, audit, connect
from store.commentary import current_narratives, kpi_commentary_history

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGE = "views/board_pack.py"
PASSWORD = "correct horse battery"
NOV16, FEB17 = date(2016, 11, 1), date(2017, 2, 1)


def _open(signed_in_as: str | None = None, db_path: Path | None = None, role: str = "uploader") -> AppTest:
    """The dashboard on the Board pack page, signed in first as a new account with `role` if asked."""
    if signed_in_as is not None:
        assert db_path is not None
        conn = connect(db_path)
        try:
            accounts.add(conn, signed_in_as, role, PASSWORD, by="test")
        finally:
            conn.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if signed_in_as is not None:
        sign_in = [h for h, p in at._registered_pages.items() if p.get("page_name") == "Sign in"]
        at._page_hash = sign_in[0]
        at.run()
        at.text_input(key="auth.username").set_value(signed_in_as)
        at.text_input(key="auth.password").set_value(PASSWORD)
        at.button[0].click().run()
    at.switch_page(PAGE)
    return at.run()


def _shown(text: str) -> str:
    """Text as the reader sees it: ui.display.plain escapes Markdown characters with backslashes."""
    return text.replace("\\", "")


def _areas(at: AppTest) -> dict[str, object]:
    return {str(a.key): a for a in at.text_area}


def test_viewer_sees_the_pack_for_the_latest_two_periods_read_only(app_db: Path) -> None:
    at = _open()
    assert not at.exception
    assert at.title[0].value == "Board pack"
    assert at.selectbox(key="board_pack.previous").value == NOV16
    assert at.selectbox(key="board_pack.current").value == FEB17
    table = at.dataframe[0].value
    totals = table[table["Priority"] == "Totals"].iloc[0]
    assert totals["Dark Green Nov 2016"] == 6 and totals["Dark Green Feb 2017"] == 26
    area = at.text_area(key="board_pack.narrative.2017-02.2016-11.3")
    assert area.value.startswith("Eight actions moved from Light Green to Dark Green")
    assert area.disabled
    assert not [b for b in at.button if b.key == "board_pack.save_narratives"]
    assert any("uploader role" in i.value for i in at.info)
    assert "50 actions in the plan excluding completed ones" in _shown(at.markdown[0].value)


def test_uploader_edits_and_saves_a_summary_as_a_new_version(app_db: Path) -> None:
    at = _open("ann", app_db)
    assert not at.exception
    key = "board_pack.narrative.2017-02.2016-11.3"
    assert not at.text_area(key=key).disabled
    at.text_area(key=key).set_value("3.10, case chronologies, remains Amber.").run()
    at.button(key="board_pack.save_narratives").click().run()
    assert not at.exception
    assert "Saved the summary for priority 3." in _shown(at.success[0].value)
    conn = connect(app_db)
    try:
        assert current_narratives(conn, FEB17, NOV16) == {3: "3.10, case chronologies, remains Amber."}
        logged = audit.entries(conn, action="narrative_save")
        assert list(logged["username"]) == ["ann"]
    finally:
        conn.close()
    at.button(key="board_pack.save_narratives").click().run()
    assert "Nothing had changed." in _shown(at.success[0].value)


def test_uploader_saves_kpi_commentary(app_db: Path) -> None:
    at = _open("ann", app_db)
    at.selectbox(key="board_pack.kpi").set_value("CL_NEET").run()
    assert any("53.4" in _shown(m.value) and "Off target" in _shown(m.value) for m in at.markdown)
    at.text_area(key="board_pack.commentary.2017-02.CL_NEET").set_value("=ELEET team started in January.").run()
    at.button(key="board_pack.save_commentary").click().run()
    assert not at.exception
    assert "Commentary saved." in _shown(at.success[0].value)
    conn = connect(app_db)
    try:
        history = kpi_commentary_history(conn, "CL_NEET", FEB17)
    finally:
        conn.close()
    assert list(history["text"]) == ["=ELEET team started in January."]
    assert list(history["saved_by"]) == ["ann"]


def test_a_viewer_account_cannot_save(app_db: Path) -> None:
    at = _open("vic", app_db, role="viewer")
    assert not at.exception
    assert at.text_area(key="board_pack.narrative.2017-02.2016-11.1").disabled
    assert not [b for b in at.button if str(b.key).startswith("board_pack.save")]


def test_choosing_other_periods_redrafts_the_summaries(app_db: Path) -> None:
    at = _open()
    at.selectbox(key="board_pack.previous").set_value(date(2015, 9, 1)).run()
    assert not at.exception
    areas = _areas(at)
    assert "board_pack.narrative.2017-02.2015-09.3" in areas
    assert at.dataframe[0].value.columns[1] == "Red Sep 2015"
