"""Published DfE figures drawn on a KPI's own time axis, with their table and words.

Each published figure (the council's own, England, the region, the statistical neighbours' mean
and median) is a marker at the date it describes, so a December 2016 local figure sits between
the September 2016 and September 2017 published ones instead of beside the latest year's. Each
series has its own marker shape as well as colour; where the council's local monthly figure and
its published figure for the same month disagree, the chart marks it and the caption says so.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from charts.style import PALETTE, format_value, month_label, plotly_text, wrap

ROLE_STYLE = {  # role -> (colour, marker symbol)
    "council": ("#000000", "star"),
    "england": ("#CC79A7", "diamond"),
    "region": ("#009E73", "triangle-up"),
    "neighbours_mean": ("#56B4E9", "square"),
    "neighbours_median": ("#E69F00", "x"),
}


def add_published(fig: go.Figure, published: pd.DataFrame, unit: str, disagree: pd.DataFrame, **where: Any) -> None:
    """A marker trace per published series at each figure's reference date; disagreements annotated."""
    for role, part in published.groupby("role", sort=False):
        colour, symbol = ROLE_STYLE.get(str(role), ("#555555", "circle"))
        label = plotly_text(part["series"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=part["reference_date"],
                y=part["value"],
                mode="markers+text" if role == "council" else "markers",
                name=f"{label}, published",
                legendgroup=f"published-{role}",
                marker={"color": colour, "symbol": symbol, "size": 11, "line": {"color": "#FFFFFF", "width": 1}},
                text=list(part["year_label"]) if role == "council" else None,
                textposition="bottom center",
                textfont={"color": "#333333", "size": 12},
                customdata=[
                    [label, y, format_value(v, unit), s]
                    for y, v, s in zip(part["year_label"], part["value"], part["source"], strict=True)
                ],
                hovertemplate="%{customdata[0]} %{customdata[1]}: %{customdata[2]}<br>%{x|%-d %b %Y}"
                "<br>Source: %{customdata[3]}<extra></extra>",
            ),
            **where,
        )
    for _, row in disagree.iterrows():
        fig.add_annotation(
            x=row["reference_date"],
            y=row["published"],
            text=f"Local {format_value(row['local'], unit)} vs published {format_value(row['published'], unit)}",
            showarrow=True,
            arrowhead=2,
            ax=0,
            ay=-40,
            bgcolor="#FFFFFF",
            bordercolor="#333333",
            **({"xref": "x", "yref": "y"} if not where else {}),
        )


def published_table(published: pd.DataFrame, disagree: pd.DataFrame) -> pd.DataFrame:
    """The published figures behind the chart, a row per series and year (also the CSV)."""
    flagged = {pd.Timestamp(d) for d in disagree["reference_date"]} if len(disagree) else set()
    local = dict(zip(pd.to_datetime(disagree["reference_date"]), disagree["local"], strict=True)) if flagged else {}
    return pd.DataFrame(
        {
            "Series": published["series"],
            "Year (as published)": published["year_label"],
            "Describes": [f"{pd.Timestamp(d):%-d %b %Y}" for d in published["reference_date"]],
            "Value": published["value"].astype("Float64"),
            "Source": published["source"],
            "Local figure that month": [
                format_value(local[pd.Timestamp(d)], "") if r == "council" and pd.Timestamp(d) in local else ""
                for d, r in zip(published["reference_date"], published["role"], strict=True)
            ],
        }
    )


def published_caption(published: pd.DataFrame, disagree: pd.DataFrame, unit: str) -> str:
    """The published figures in words: which series, which years, the definitions note, any disagreement."""
    if published.empty:
        return "No published figures are mapped to this KPI."
    years = sorted(set(published["year_label"]))
    series = "; ".join(dict.fromkeys(published["series"]))
    text = (
        f"Published figures ({series}) for {years[0]} to {years[-1]} are plotted at the date each describes "
        f"({published['source'].iloc[0]}). "
    )
    note = str(published["note"].iloc[0] or "")
    if note:
        text += f"Definitions: {note} "
    if len(disagree):
        parts = [
            f"{month_label(r['reference_date'])}: local {format_value(r['local'], unit)}, published "
            f"{format_value(r['published'], unit)}"
            for _, r in disagree.iterrows()
        ]
        text += "The local monthly figure and the published figure disagree for " + "; ".join(parts) + "."
    return text.strip()


def add_benchmarks(fig: go.Figure, benchmarks: pd.DataFrame, frame: pd.DataFrame, unit: str) -> None:
    """The latest comparators as labelled markers in a side panel (col 2) beside the series."""
    bench = benchmarks.copy()
    bench["year_label"] = bench["year_label"].astype(str)
    categories = [[wrap(lab, 14) for lab in bench["label"]], list(bench["year_label"])]
    for i, (label, part) in enumerate(bench.groupby("label", sort=False)):
        colour = PALETTE[(i + 1) % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=[[wrap(label, 14)] * len(part), list(part["year_label"])],
                y=part["value"],
                mode="markers+text",
                name=plotly_text(label),
                marker={
                    "color": colour,
                    "symbol": "diamond-wide",
                    "size": 16,
                    "line": {"color": "#333333", "width": 1},
                },
                text=[format_value(v, unit) for v in part["value"]],
                textposition="top center",
                textfont={"color": "#1A1A1A"},
                customdata=[
                    [plotly_text(label), y, plotly_text(s)]
                    for y, s in zip(part["year_label"], part.get("source", ""), strict=False)
                ],
                hovertemplate="%{customdata[0]} %{customdata[1]}: %{y}<br>Source: %{customdata[2]}<extra></extra>",
            ),
            row=1,
            col=2,
        )
    latest = frame[frame["value"].notna()]
    if not latest.empty:
        value = float(latest["value"].iloc[-1])
        fig.add_trace(
            go.Scatter(
                x=categories, y=[value] * len(bench), mode="lines",
                line={"color": "#1A1A1A", "width": 2, "dash": "dot"},
                name=f"Latest local value ({month_label(latest['period'].iloc[-1])})",
                hovertemplate=f"Latest local value {format_value(value, unit)}<extra></extra>",
            ),
            row=1,
            col=2,
        )  # fmt: skip
    fig.update_xaxes(title=None, tickangle=0, row=1, col=2)
