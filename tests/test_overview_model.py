"""The overview's model: what the landing page shows, worked out once (no Streamlit session needed)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from ui.overview_model import build
from ui.tiles import tile_text

NOV, FEB = date(2016, 11, 1), date(2017, 2, 1)


def test_overview_model_holds_table1_and_the_headline(db: duckdb.DuckDBPyConnection) -> None:
    view = build(db, NOV, FEB, "394", False)
    assert (view.before, view.now) == ("Nov 2016", "Feb 2017")
    assert (view.counts["open"], view.counts["dark_green"]) == (50, 26)
    assert view.compared is not None
    assert view.compared.table1.iloc[-1].tolist() == ["Totals", 0, 0, 13, 8, 29, 8, 6, 26, 11, 17]
    shown = view.compared.table1_shown
    assert shown.loc["Totals", ("Dark Green", "Feb 2017")] == 26
    assert shown.index[0].startswith("1\\. Recruiting")  # Markdown-escaped for st.table
    assert view.compared.held + len(view.compared.moved) == len(view.compared.movement_listing)
    assert "Feb 2017" in view.compared.rag_chart.caption and view.compared.rag_chart.figure.data
    assert len(view.tiles) == view.kpis_with_data and view.kpis_off_target <= view.kpis_with_data
    # the eight Nov 2016 ratings deduced from Table 1 and the three not itemised (in both periods) are said
    assert view.compared.table1_note.startswith("14 of the ratings counted here are inferred")
    assert "3\\.6" in view.compared.table1_note or "3.6" in view.compared.table1_note


def test_overview_model_for_one_period_has_no_comparison(db: duckdb.DuckDBPyConnection) -> None:
    view = build(db, FEB, FEB, "394", False)
    assert view.compared is None and view.counts["open"] == 50


def test_kpi_tile_text_reads_polarity_and_target() -> None:
    row = pd.Series(
        {"name": "Re-referrals [within 12 months]", "unit": "%", "polarity": "lower", "change": -2.5,
         "previous_period": pd.Timestamp("2016-11-01"), "latest_period": pd.Timestamp("2017-02-01"),
         "latest_value": 21.0, "target": 22.0, "on_target": True}
    )  # fmt: skip
    tile = tile_text(row)
    assert tile.name == "Re\\-referrals \\[within 12 months\\]"
    assert (tile.value, tile.delta, tile.delta_colour) == ("21%", "-2.5 points since Nov 2016", "inverse")
    assert (tile.badge, tile.badge_colour) == ("On target (22%)", "blue")
    assert tile.help == "Latest observation February 2017; lower is better."
    off_row = row.copy()
    off_row["on_target"] = False
    off = tile_text(off_row)
    assert (off.badge, off.badge_colour) == ("Off target (22%)", "orange")
