"""The board pages (overview, plan explorer, KPI trends) under AppTest: every page, every filter, on DuckDB
and on PostgreSQL (the `pages` fixture), so both show the board the same headline numbers (from the
Sunderland 2017 progress report)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import Pages
from tests.helpers import shown as _text

INITIAL, NOV, FEB = date(2015, 9, 1), date(2016, 11, 1), date(2017, 2, 1)
TOTALS = [0, 0, 13, 8, 29, 8, 6, 26, 11, 17]


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(_text(m) for m in at.markdown)


def _subheaders(at: AppTest) -> list[str]:
    return [_text(s) for s in at.subheader]


def _headers(at: AppTest) -> list[str]:
    return [_text(s) for s in at.header]


def _meeting_room(at: AppTest) -> bool:
    """The presentation stylesheet is on the page (the app's menu is another `st.html`)."""
    return any("stSidebarCollapsedControl" in h.proto.body for h in at.get("html"))


# ---------------------------------------------------------------- overview


def test_overview_defaults_to_the_latest_two_periods_and_shows_table1(pages: Pages) -> None:
    at = pages.open("views/overview.py")
    assert at.selectbox(key="overview.previous").value == NOV
    assert at.selectbox(key="overview.current").value == FEB
    assert "50 actions in the plan excluding completed ones; 26 Dark Green" in _headers(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Open actions"] == "50" and metrics["Dark Green"] == "26"
    assert metrics["Completed"] == "17" and metrics["New, not yet rated"] == "8"
    assert metrics["Red or Amber"] == "8" and metrics["Overdue"] == "16"
    table = at.table[0].value
    assert table.iloc[-1].tolist() == TOTALS
    assert _text(table.index[0]).startswith("1. Recruiting, retaining")
    assert table.iloc[2].tolist() == [0, 0, 4, 1, 10, 3, 0, 10, 6, 6]
    assert "27 improved; 26 held; 8 new, not yet rated; 6 completed." in _markdown(at)
    assert len(at.get("plotly_chart")) == 3


def test_overview_says_where_delivery_and_impact_disagree(pages: Pages) -> None:
    text = _markdown(pages.open("views/overview.py"))
    assert (
        "Action 6.4 is Dark Green, but Care leavers not in education, employment or training (NEET) is off target: "
        "53.4% in Dec 2016 against a target of 30%."
    ) in text
    assert "Action 3.13 is Dark Green, but Return interviews completed is off target: 78% in Nov 2016" in text
    assert "Action 3.3 is Dark Green, but 3 linked KPIs have no recent data" in text


def test_overview_kpi_tiles_show_value_change_and_status(pages: Pages) -> None:
    at = pages.open("views/overview.py")
    tiles = {_text(m.label): m for m in at.metric}
    neet = tiles["Care leavers not in education, employment or training (NEET)"]
    assert neet.value == "53.4%" and "-31.6 points since Jun 2015" in str(neet.delta)
    assert "Off target (30%)" in _markdown(at)
    assert "On target (80%)" in _markdown(at)


def test_overview_other_period_pair(pages: Pages) -> None:
    at = pages.open("views/overview.py")
    _ok(at.selectbox(key="overview.previous").set_value(INITIAL).run())
    assert "Table 1: RAG rating by priority, Initial (Sep 2015) and Feb 2017" in _subheaders(at)
    table = at.table[0].value
    assert ("Amber", "Initial (Sep 2015)") in [(_text(a), _text(b)) for a, b in table.columns]
    assert table.iloc[-1].tolist()[2:6] == [29, 8, 13, 8]
    assert "New, not yet rated" not in [m.label for m in at.metric if m.value == "0"]


def test_overview_current_period_drives_the_headline(pages: Pages) -> None:
    at = pages.open("views/overview.py")
    _ok(at.selectbox(key="overview.previous").set_value(INITIAL).run())
    _ok(at.selectbox(key="overview.current").set_value(NOV).run())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Completed"] == "11" and metrics["Dark Green"] == "6"
    assert at.table[0].value.iloc[-1].tolist() == [0, 0, 29, 13, 13, 29, 0, 6, 0, 11]


def test_overview_same_period_twice_warns(pages: Pages) -> None:
    at = pages.open("views/overview.py")
    _ok(at.selectbox(key="overview.previous").set_value(FEB).run())
    assert any("same period" in w.value for w in at.warning)


def test_overview_periods_in_the_wrong_order_are_swapped(pages: Pages) -> None:
    at = pages.open("views/overview.py")
    _ok(at.selectbox(key="overview.previous").set_value(FEB).run())
    _ok(at.selectbox(key="overview.current").set_value(NOV).run())
    assert any("earlier period first" in i.value for i in at.info)
    assert at.table[0].value.iloc[-1].tolist() == TOTALS


@pytest.mark.parametrize("page", ["views/overview.py", "views/plan_explorer.py", "views/kpi_trends.py"])
def test_presentation_mode_on_every_board_page(pages: Pages, page: str) -> None:
    at = pages.open(page)
    assert at.toggle(key="presentation").value is False
    assert not _meeting_room(at)
    _ok(at.toggle(key="presentation").set_value(True).run())
    assert at.session_state["presentation_mode"] is True
    assert at.query_params["presentation"] == "true"
    assert _meeting_room(at), "the meeting-room styling is applied"
    assert len(at.get("page_link")) == 4  # the board pages and the accessibility statement


def test_presentation_mode_follows_the_user_from_page_to_page(pages: Pages) -> None:
    at = pages.open("views/overview.py")
    _ok(at.toggle(key="presentation").set_value(True).run())
    _ok(at.switch_page("views/kpi_trends.py").run())
    assert at.toggle(key="presentation").value is True and _meeting_room(at)
    _ok(at.toggle(key="presentation").set_value(False).run())
    assert not _meeting_room(at)
    _ok(at.switch_page("views/plan_explorer.py").run())
    assert at.toggle(key="presentation").value is False and not _meeting_room(at)


def test_presentation_mode_from_a_bookmarked_url(pages: Pages) -> None:
    at = pages.app()
    at.query_params["presentation"] = "true"
    _ok(at.run())
    assert at.toggle(key="presentation").value is True and _meeting_room(at)


# ---------------------------------------------------------------- plan explorer


def _count(at: AppTest) -> str:
    return next(s for s in _headers(at) if " actions at " in s)


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("explorer.priority", [3], "24 of 67 actions at Feb 2017"),
        ("explorer.rating", ["R", "A"], "8 of 67 actions at Feb 2017"),
        ("explorer.rating", ["TBC"], "8 of 67 actions at Feb 2017"),
        ("explorer.lead", ["Principal Social Worker"], "3 of 67 actions at Feb 2017"),
        ("explorer.ofsted", ["Ofsted 19 (b)"], "1 of 67 actions at Feb 2017"),
        ("explorer.overdue", True, "16 of 67 actions at Feb 2017"),
        ("explorer.new", True, "8 of 67 actions at Feb 2017"),
        ("explorer.search", "return interview", "1 of 67 actions at Feb 2017"),
        ("explorer.period", INITIAL, "42 of 42 actions at Initial (Sep 2015)"),
    ],
)
def test_plan_explorer_each_filter(pages: Pages, key: str, value: object, expected: str) -> None:
    at = pages.open("views/plan_explorer.py")
    assert _count(at) == "67 of 67 actions at Feb 2017"
    widget = next(
        w for kind in ("multiselect", "checkbox", "text_input", "selectbox") for w in at.get(kind) if w.key == key
    )
    _ok(widget.set_value(value).run())  # type: ignore[attr-defined]
    assert _count(at) == expected
    shown = at.dataframe[0].value
    assert len(shown) == int(expected.split()[0])


def test_plan_explorer_filters_combine(pages: Pages) -> None:
    at = pages.open("views/plan_explorer.py")
    assert "Principal Social Worker" in at.multiselect(key="explorer.lead").options
    _ok(at.checkbox(key="explorer.overdue").check().run())
    _ok(at.multiselect(key="explorer.rating").set_value(["A"]).run())
    _ok(at.text_input(key="explorer.search").set_value("early help").run())
    assert _count(at) == "1 of 67 actions at Feb 2017"
    assert at.dataframe[0].value["Action"].tolist() == ["2.1"]
    assert at.dataframe[0].value["Rating"].tolist() == ["🟠 Amber"]


def test_plan_explorer_action_detail(pages: Pages) -> None:
    at = pages.open("views/plan_explorer.py")
    assert at.selectbox(key="explorer.action").value is None
    _ok(at.selectbox(key="explorer.action").set_value("3.13").run())
    assert "Action 3.13: 🟩 Dark Green at Feb 2017" in _subheaders(at)
    text = _markdown(at)
    assert "100% of children who have been missing" in text and "Ofsted 19 (b)" in text
    assert "KPIs linked to this action" in _subheaders(at)
    assert len(at.get("plotly_chart")) == 2  # the rating history and Return interviews completed
    assert any("Return interviews completed (higher is better): 2 observation(s)" in _text(c) for c in at.caption)


def test_plan_explorer_shows_timescale_typos(pages: Pages) -> None:
    at = pages.open("views/plan_explorer.py")
    assert "12/1 (unreadable)" in at.dataframe[0].value["Timescale"].tolist()
    _ok(at.selectbox(key="explorer.action").set_value("3.2").run())
    assert any("which is unreadable as a month" in _text(w) for w in at.warning)


def test_plan_explorer_new_action_is_not_yet_rated(pages: Pages) -> None:
    at = pages.open("views/plan_explorer.py")
    _ok(at.selectbox(key="explorer.action").set_value("NEW 1").run())
    assert "Action NEW 1: ⚪ New (TBC) at Feb 2017" in _subheaders(at)
    assert any("No KPI is linked" in i.value for i in at.info)


def test_plan_explorer_action_not_in_the_chosen_period_is_cleared(pages: Pages) -> None:
    at = pages.open("views/plan_explorer.py")
    _ok(at.selectbox(key="explorer.action").set_value("NEW 1").run())
    _ok(at.selectbox(key="explorer.period").set_value(INITIAL).run())
    assert at.selectbox(key="explorer.action").value is None


# ---------------------------------------------------------------- KPI trends


def test_kpi_trends_default_shows_one_kpi_with_data(pages: Pages) -> None:
    at = pages.open("views/kpi_trends.py")
    assert at.segmented_control(key="kpi.view").value == "One KPI at a time"
    assert len(at.get("plotly_chart")) == 1
    assert len(at.selectbox(key="kpi.code").options) == 26
    assert at.metric[0].value not in ("", "no data")


def test_kpi_trends_every_kpi_renders(pages: Pages) -> None:
    at = pages.open("views/kpi_trends.py")
    for option in at.selectbox(key="kpi.code").options:
        at.selectbox(key="kpi.code").select(option).run()
        _ok(at)
        assert len(at.get("plotly_chart")) == 1, option


def test_kpi_trends_return_interviews(pages: Pages) -> None:
    at = pages.open("views/kpi_trends.py")
    _ok(at.selectbox(key="kpi.code").set_value("RETURN_INTERVIEWS").run())
    assert at.metric[0].value == "78%"
    assert "+41 points since Oct 2016" in str(at.metric[0].delta)
    assert any("off target (target 100%" in _text(c) for c in at.caption)
    assert at.dataframe[0].value["Value"].tolist() == [37.0, 78.0]
    assert at.dataframe[1].value["Action"].tolist() == ["3.13"]  # the action this KPI evidences
    assert len(at.get("plotly_chart")) == 1


def test_kpi_trends_small_multiples(pages: Pages) -> None:
    at = pages.open("views/kpi_trends.py")
    _ok(at.segmented_control(key="kpi.view").set_value("All KPIs on one screen").run())
    assert len(at.get("plotly_chart")) == 1
    assert len(at.dataframe[0].value) == 26
    assert "No observations yet for 14 KPIs" in _markdown(at)
