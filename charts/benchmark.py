"""Benchmark figures: the council against its neighbours, its rank over time, every council.

Colours come from the Okabe-Ito palette; the chosen council is always the thickest line or the darkest
bar and is also named, so no comparison depends on colour alone. The words and tables that go with
each figure are in charts/benchmark_text.py; the page putting them together is ui/benchmark_model.py.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from charts.benchmark_text import fmt, missing, ordinal

COUNCIL = "#0072B2"
NEIGHBOUR = "#BDBDBD"
NEIGHBOUR_HIGHLIGHT = "#E69F00"
MEAN = "#D55E00"
MEDIAN = "#CC79A7"
REGION = "#009E73"
ENGLAND = "#000000"
OTHER = "#D9D9D9"
BAND_COLOURS = {"A": "#1B7837", "B": "#7FBF7B", "C": "#F1A340", "D": "#B2182B"}
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15)


# ---------------------------------------------------------------- figures
#
# Figures are assembled as plain dicts and built without plotly's per-property validation
# (`_validate=False`): a 20-trace chart then takes 1-2 ms instead of 40, which keeps the page's
# rerun inside its budget. tests/test_benchmark_queries.py rebuilds every figure with validation on,
# so a misspelt property still fails a test.


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def _layout(y_title: str, height: int = 480, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "font": FONT,
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 60},
        "plot_bgcolor": "white",
        "hovermode": "closest",
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "yaxis": {"title": {"text": y_title}, "gridcolor": "#E5E5E5", "zeroline": False},
        "xaxis": {"showgrid": False},
    }
    for key, value in extra.items():
        layout[key] = {**layout[key], **value} if isinstance(value, dict) and key in layout else value
    return layout


def _hover(dps: object) -> str:
    digits = ",.2~f" if missing(dps) else f",.{int(dps)}f"  # type: ignore[call-overload]
    return "%{fullData.name}<br>%{x}: %{y:" + digits + "}<extra></extra>"


def _values(column: pd.Series) -> list[object]:
    """A column as JSON-ready values, missing as None (a gap in the line)."""
    return [None if missing(v) else v for v in column.tolist()]


def comparison_chart(
    comparison: pd.DataFrame,
    series: pd.DataFrame,
    council: str,
    region: str,
    y_title: str,
    dps: object = None,
) -> go.Figure:
    """The council against each neighbour (thin grey), the neighbours' mean and median, region and England."""
    periods = [str(p) for p in comparison["period"]]
    hover = _hover(dps)
    traces: list[dict[str, Any]] = []
    neighbours = series[series["role"] == "neighbour"]
    for name, rows in neighbours.groupby("name", sort=False):
        traces.append(
            {"type": "scatter", "x": [str(p) for p in rows["period"]], "y": _values(rows["value"]), "name": str(name),
             "mode": "lines", "legendgroup": "neighbours", "showlegend": False, "hovertemplate": hover,
             "line": {"color": NEIGHBOUR, "width": 1.2}}
        )  # fmt: skip
    if len(neighbours):
        traces.append(
            {"type": "scatter", "x": [None], "y": [None], "name": "Each neighbour", "mode": "lines",
             "legendgroup": "neighbours", "hoverinfo": "skip", "line": {"color": NEIGHBOUR, "width": 1.2}}
        )  # fmt: skip
    lines: list[tuple[str, str, str, dict[str, Any]]] = [
        ("neighbours_mean", "Neighbours' mean", MEAN, {"dash": "dash", "width": 2.5}),
        ("neighbours_median", "Neighbours' median", MEDIAN, {"dash": "dot", "width": 2.5}),
        ("region", region or "Region", REGION, {"width": 2.5}),
        ("england", "England", ENGLAND, {"width": 2.5, "dash": "dashdot"}),
    ]
    for column, name, colour, line in lines:
        if comparison[column].notna().any():
            traces.append(
                {"type": "scatter", "x": periods, "y": _values(comparison[column]), "name": name,
                 "mode": "lines+markers", "line": {"color": colour, **line}, "marker": {"size": 6},
                 "hovertemplate": hover}
            )  # fmt: skip
    traces.append(
        {"type": "scatter", "x": periods, "y": _values(comparison["council"]), "name": council,
         "mode": "lines+markers", "line": {"color": COUNCIL, "width": 5}, "marker": {"size": 10},
         "hovertemplate": hover}
    )  # fmt: skip
    xaxis = {"type": "category", "categoryorder": "array", "categoryarray": periods}
    return _figure(traces, _layout(y_title, xaxis=xaxis))


def rank_chart(rankings: pd.DataFrame, council: str) -> go.Figure:
    """The council's rank among all councils per period (1 = best, at the top); each marker carries its
    quartile band letter, coloured from dark green (A, best quarter) to red (D)."""
    ranked = rankings.dropna(subset=["rank"])
    bands = [b if isinstance(b, str) else "" for b in ranked["band"].tolist()]
    trace = {
        "type": "scatter", "x": [str(p) for p in ranked["period"]], "y": [int(r) for r in ranked["rank"]],
        "mode": "lines+markers+text", "name": council, "text": bands, "textposition": "middle center",
        "textfont": {"color": "white", "size": 13}, "line": {"color": COUNCIL, "width": 2},
        "marker": {"size": 24, "color": [BAND_COLOURS.get(b, COUNCIL) for b in bands], "line": {"color": "white"}},
        "customdata": [[ordinal(int(r)), int(n), b or "not banded"]
                       for r, n, b in zip(ranked["rank"], ranked["councils_ranked"], bands, strict=True)],
        "hovertemplate": "%{x}: %{customdata[0]} of %{customdata[1]} councils, band %{customdata[2]}<extra></extra>",
    }  # fmt: skip
    most = int(ranked["councils_ranked"].max()) if len(ranked) else 150
    layout = _layout(
        "Rank (1 = best)",
        height=380,
        showlegend=False,
        yaxis={"autorange": False, "range": [most + 10, -10]},
        xaxis={"type": "category", "title": {"text": "Period"}},
    )
    return _figure([trace], layout)


def all_councils_chart(
    frame: pd.DataFrame,
    la_code: str,
    neighbour_codes: list[str],
    y_title: str,
    england: object = None,
    dps: object = None,
) -> go.Figure:
    """Every council's latest value as a bar, best first; the council and its neighbours highlighted and named."""
    shown = frame.dropna(subset=["value"]).reset_index(drop=True)
    role = shown["la_code"].map(lambda c: "council" if c == la_code else "neighbour" if c in neighbour_codes else "")
    traces = []
    groups = (("", "Other councils", OTHER), ("neighbour", "Statistical neighbours", NEIGHBOUR_HIGHLIGHT),
              ("council", None, COUNCIL))  # fmt: skip
    for key, name, colour in groups:
        rows = shown[role == key]
        if rows.empty:
            continue
        traces.append(
            {"type": "bar", "x": rows["name"].tolist(), "y": _values(rows["value"]),
             "name": name or str(rows["name"].iloc[0]), "marker": {"color": colour}, "hovertemplate": _hover(dps)}
        )  # fmt: skip
    count = f"{len(shown)} councils" + (", best first" if shown["rank"].notna().any() else "")
    xaxis = {"type": "category", "categoryorder": "array", "categoryarray": shown["name"].tolist(),
             "showticklabels": False, "title": {"text": count}}  # fmt: skip
    extra: dict[str, Any] = {
        "bargap": 0.15, "barmode": "overlay", "xaxis": xaxis,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50}, "annotations": [], "shapes": [],
    }  # fmt: skip
    own = shown[role == "council"]
    if len(own):
        right_half = own.index[0] > len(shown) / 2
        extra["annotations"].append(
            {"x": str(own["name"].iloc[0]), "y": float(own["value"].iloc[0]), "xref": "x", "yref": "y",
             "text": f"{own['name'].iloc[0]} {fmt(own['value'].iloc[0], dps)}", "showarrow": True, "arrowhead": 2,
             "ax": -30 if right_half else 30, "ay": -90, "xanchor": "right" if right_half else "left",
             "font": {"color": COUNCIL, "size": 15}, "bgcolor": "white", "bordercolor": COUNCIL}
        )  # fmt: skip
    if not missing(england):
        level = float(england)  # type: ignore[arg-type]
        extra["shapes"].append(
            {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": level, "y1": level,
             "line": {"color": ENGLAND, "dash": "dash", "width": 2}}
        )  # fmt: skip
        extra["annotations"].append(
            {"xref": "paper", "x": 0.5, "xanchor": "center", "yref": "y", "y": level, "yanchor": "bottom",
             "text": f"England {fmt(england, dps)}", "showarrow": False, "bgcolor": "white"}
        )  # fmt: skip
    return _figure(traces, _layout(y_title, height=460, **extra))
