"""Colours, labels and layout shared by every chart, chosen to read on a projector.

RAG colours follow the plan's own convention but never carry meaning alone: every
segment, marker and legend entry also carries the rating's name or code. Other series
use the Okabe-Ito palette, which stays distinguishable with the common colour-vision
deficiencies.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from domain.dates import month_label, period_label
from domain.markup import plotly as plotly_text
from domain.numbers import format_value
from domain.rag import (
    NOT_RATED,
    NOT_RATED_NAME,
    RAG_CODES,
    RAG_LABELS,
    rating_code,
    rating_name,
)
from domain.rag import SCREEN_COLOURS as RAG_COLOURS
from domain.rag import TEXT_ON_COLOUR as RAG_TEXT

__all__ = [
    "NOT_RATED",
    "NOT_RATED_NAME",
    "RAG_CODES",
    "RAG_COLOURS",
    "RAG_LABELS",
    "RAG_TEXT",
    "format_value",
    "month_label",
    "period_label",
    "rating_code",
    "rating_name",
]

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


def wrap(text: object, width: int = 38) -> str:
    """Long plain-English titles broken onto lines for axis labels (plotly breaks on <br>); text from the
    data is escaped line by line, so a name holding `<a href>` shows as typed, never as a link."""
    return "<br>".join(plotly_text(line) for line in textwrap.wrap(str(text), width)) or plotly_text(text)


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
