"""Colours, labels and layout shared by every chart, chosen to read on a projector.

RAG colours follow the plan's own convention but never carry meaning alone: every
segment, marker and legend entry also carries the rating's name or code. Other series
use the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies.
"""

from __future__ import annotations

import textwrap
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from loaders.values import RAG_NAMES, RAG_ORDER

NOT_RATED = "TBC"
NOT_RATED_NAME = "New (TBC)"
RAG_CODES: tuple[str, ...] = (*RAG_ORDER, NOT_RATED)
RAG_LABELS: dict[str, str] = {**RAG_NAMES, NOT_RATED: NOT_RATED_NAME}
RAG_COLOURS: dict[str, str] = {
    "R": "#C62828",
    "A": "#F5A623",
    "LG": "#9CCC65",
    "DG": "#1B6E31",
    "C": "#3F6FB5",
    NOT_RATED: "#B8B8B8",
}
# Text drawn on a RAG fill: dark on the light fills, white on the dark ones (WCAG AA contrast).
RAG_TEXT: dict[str, str] = {"R": "#FFFFFF", "A": "#1A1A1A", "LG": "#1A1A1A", "DG": "#FFFFFF", "C": "#FFFFFF"}
RAG_TEXT[NOT_RATED] = "#1A1A1A"

# Okabe & Ito (2008), "Color Universal Design".
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
ON_TARGET = "#0072B2"
OFF_TARGET = "#D55E00"
NO_TARGET = "#555555"
TARGET_LINE = "#333333"
GAP_LINE = "#8A8A8A"

FONT = "Source Sans Pro, Arial, sans-serif"
BASE_FONT_SIZE = 15
LARGE_FONT_SIZE = 20


def rating_code(value: object) -> str:
    """A stored rating ('R'..'C') or NULL as the chart code; NULL means new, not yet rated."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return NOT_RATED
    return str(value)


def rating_name(value: object) -> str:
    return RAG_LABELS[rating_code(value)]


def wrap(text: object, width: int = 38) -> str:
    """Long plain-English titles broken onto lines for axis labels (plotly breaks on <br>)."""
    return "<br>".join(textwrap.wrap(str(text), width)) or str(text)


def month_label(value: object) -> str:
    """`date(2016, 11, 1)` -> 'Nov 2016'."""
    return f"{pd.Timestamp(value):%b %Y}"  # type: ignore[arg-type]


def period_label(period: date | pd.Timestamp, label: object = None) -> str:
    """'Nov 2016', or 'Initial (Sep 2015)' for a period the plan names."""
    month = month_label(period)
    if label is None or (isinstance(label, float) and pd.isna(label)) or label is pd.NA or not str(label).strip():
        return month
    return f"{label} ({month})"


def format_value(value: object, unit: object) -> str:
    """A KPI value as a board member reads it: '78%', '14', '17.5'."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "no data"
    number = float(value)  # type: ignore[arg-type]
    text = f"{number:,.0f}" if number == round(number) else f"{number:,.1f}"
    return f"{text}%" if str(unit).strip() == "%" else text


def apply_layout(
    fig: go.Figure, *, title: str | None = None, large: bool = False, height: int | None = None
) -> go.Figure:
    """The house style: white background, large type, horizontal legend above the plot."""
    size = LARGE_FONT_SIZE if large else BASE_FONT_SIZE
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT, "size": size, "color": "#1A1A1A"},
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": size + 3}} if title else None,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left", "title": None},
        margin={"l": 10, "r": 30, "t": 70 if title else 50, "b": 40},
        hoverlabel={"font_size": size},
        separators=".,",
    )
    if height is not None:
        fig.update_layout(height=int(height * (1.2 if large else 1.0)))
    return fig
