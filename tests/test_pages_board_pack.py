"""The Board pack page through the real dashboard script (AppTest), on DuckDB and on PostgreSQL."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from store import accounts, audit
from store.commentary import current_narratives, kpi_commentary_history
from tests.helpers import Pages
from tests.helpers import shown as _shown

PAGE = "views/board_pack.py"
NOV16, FEB17 = date(2016, 11, 1), date(2017, 2, 1)


def _areas(at: AppTest) -> dict[str, object]:
    return {str(a.key): a for a in at.text_area}


def test_viewer_sees_the_pack_for_the_latest_two_periods_read_only(pages: Pages) -> None:
    at = pages.open(PAGE)
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


def test_uploader_edits_and_saves_a_summary_as_a_new_version(pages: Pages) -> None:
    at = pages.open(PAGE, "uploader", name="ann")
    assert not at.exception
    key = "board_pack.narrative.2017-02.2016-11.3"
    assert not at.text_area(key=key).disabled
    at.text_area(key=key).set_value("3.10, case chronologies, remains Amber.").run()
    at.button(key="board_pack.save_narratives").click().run()
    assert not at.exception
    assert "Saved the summary for priority 3." in _shown(at.success[0].value)
    with pages.store() as store:
        assert current_narratives(store, FEB17, NOV16) == {3: "3.10, case chronologies, remains Amber."}
        logged = audit.entries(store, action="narrative_save")
        assert list(logged["username"]) == ["ann"]
    at.button(key="board_pack.save_narratives").click().run()
    assert "Nothing had changed." in _shown(at.success[0].value)


def test_uploader_saves_kpi_commentary(pages: Pages) -> None:
    at = pages.open(PAGE, "uploader", name="ann")
    at.selectbox(key="board_pack.kpi").set_value("CL_NEET").run()
    assert any("53.4" in _shown(m.value) and "Off target" in _shown(m.value) for m in at.markdown)
    at.text_area(key="board_pack.commentary.2017-02.CL_NEET").set_value("=ELEET team started in January.").run()
    at.button(key="board_pack.save_commentary").click().run()
    assert not at.exception
    assert "Commentary saved." in _shown(at.success[0].value)
    history = pages.call(kpi_commentary_history, "CL_NEET", FEB17)
    assert list(history["text"]) == ["=ELEET team started in January."]
    assert list(history["saved_by"]) == ["ann"]


def test_saving_checks_the_role_again_when_the_click_arrives(pages: Pages) -> None:
    """Demoted to viewer after the page drew the Save button: nothing is saved, the refusal is audited."""
    at = pages.open(PAGE, "uploader", name="ann")
    key = "board_pack.narrative.2017-02.2016-11.3"
    at.text_area(key=key).set_value("Written before the role changed.").run()
    with pages.store() as store:
        accounts.set_role(store, "ann", "viewer", by="root")
    at.button(key="board_pack.save_narratives").click().run()
    assert not at.exception
    assert "Saving summaries needs the uploader role." in _shown(at.error[0].value)
    with pages.store() as store:
        assert current_narratives(store, FEB17, NOV16) == {}
        refused = audit.entries(store, action="narrative_save")
        assert refused["outcome"].tolist() == ["refused"] and refused["username"].tolist() == ["ann"]


def test_a_viewer_account_cannot_save(pages: Pages) -> None:
    at = pages.open(PAGE, "viewer", name="vic")
    assert not at.exception
    assert at.text_area(key="board_pack.narrative.2017-02.2016-11.1").disabled
    assert not [b for b in at.button if str(b.key).startswith("board_pack.save")]


def test_choosing_other_periods_redrafts_the_summaries(pages: Pages) -> None:
    at = pages.open(PAGE)
    at.selectbox(key="board_pack.previous").set_value(date(2015, 9, 1)).run()
    assert not at.exception
    areas = _areas(at)
    assert "board_pack.narrative.2017-02.2015-09.3" in areas
    assert at.dataframe[0].value.columns[1] == "Red Sep 2015"
