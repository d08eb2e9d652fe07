"""How a chart or table reaches the screen: caption, table view, CSV download, Markdown made inert.

Every chart on every page goes through `show_chart`, so a chart never appears without the words
and numbers behind it (colour and shape never carry meaning alone).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.kpi import kpi_trend, long_gaps, trend_table
from domain.markup import markdown as plain  # text from data made inert for Streamlit's Markdown
from reports.safe_text import to_safe_csv
from reports.tables import trend_caption
from ui.figure_cache import figure, memo

__all__ = ["ACTION_COLUMNS", "download", "kpi_chart", "plain", "safe_table", "show_chart"]


def show_chart(fig: go.Figure, *, caption: str, table: pd.DataFrame, file_name: str, key: str) -> None:
    """A chart with its plain-English caption, a table view of its numbers and a CSV download."""
    chart_tab, table_tab = st.tabs(["Chart", "Table"], key=f"{key}.view")
    with chart_tab:
        st.plotly_chart(fig, theme=None, key=f"{key}.chart", config={"displaylogo": False}, alt=caption)
    with table_tab:
        st.dataframe(table, hide_index=True)
    st.caption(plain(caption))
    download(table, file_name, key=key)


def safe_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` for `st.table` (which renders Markdown in cells): every text cell, index entry and
    heading Markdown-escaped."""
    shown = frame.copy()
    if not pd.api.types.is_numeric_dtype(shown.index):
        shown.index = pd.Index([plain(v) for v in shown.index], name=shown.index.name)
    if isinstance(shown.columns, pd.MultiIndex):
        shown.columns = pd.MultiIndex.from_tuples([tuple(plain(p) for p in c) for c in shown.columns])
    else:
        shown.columns = [plain(c) for c in shown.columns]
    for column in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(plain)
    return shown


def download(table: pd.DataFrame, file_name: str, *, key: str, label: str = "Download these numbers (CSV)") -> None:
    """A CSV of `table`, formula injection neutralised, built only when the button is clicked."""
    st.download_button(
        label,
        data=lambda: to_safe_csv(table),
        file_name=file_name,
        mime="text/csv",
        key=f"{key}.csv",
        on_click="ignore",
        icon=":material/download:",
    )


ACTION_COLUMNS = {
    "Action": st.column_config.TextColumn(width="small", pinned=True),
    "Priority": st.column_config.TextColumn(width="medium"),
    "Rating": st.column_config.TextColumn(width="small"),
    "Overdue": st.column_config.TextColumn(width="small"),
    "Ofsted": st.column_config.TextColumn(width="small"),
    "Description": st.column_config.TextColumn(width="large"),
    "Lead": st.column_config.TextColumn(width="medium"),
    "Timescale": st.column_config.TextColumn(width="small"),
    "Success measure": st.column_config.TextColumn(width="large"),
}


def kpi_chart(
    kpi: pd.Series, series: pd.DataFrame, *, key: str, large: bool, benchmarks: pd.DataFrame | None = None
) -> None:
    """One KPI's trend against its target (and published comparators, if given), with table and CSV."""
    show_chart(
        figure(
            kpi_trend,
            series,
            name=kpi["name"],
            unit=kpi["unit"],
            polarity=kpi["polarity"],
            target=kpi["target"],
            benchmarks=benchmarks,
            large=large,
        ),
        caption=trend_caption(kpi, series, dotted=long_gaps(series) > 0),
        table=memo(trend_table, series, kpi["unit"], kpi["polarity"]),
        file_name=f"kpi-{kpi['kpi_code']}.csv",
        key=key,
    )
