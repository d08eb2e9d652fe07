"""Benchmark charts and the sentences that explain them: pure functions, DataFrames in, figures and text out.

Colours come from the Okabe-Ito palette; the chosen council is always the thickest line or the darkest
bar and is also named, so no comparison depends on colour alone.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

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
QUARTILE_WORDS = {
    1: "in the best quarter of councils (band A)",
    2: "in the second-best quarter of councils (band B)",
    3: "in the third quarter of councils (band C)",
    4: "in the worst quarter of councils (band D)",
}


# ---------------------------------------------------------------- numbers and words


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt(value: object, dps: object = None) -> str:
    """A figure as the dictionary says to show it (dps decimals); otherwise up to 2 decimals, or 3
    significant digits for small values (0.00371)."""
    if _missing(value):
        return "not available"
    number = float(value)  # type: ignore[arg-type]
    if not _missing(dps):
        return f"{number:,.{int(dps)}f}"  # type: ignore[call-overload]
    if number != 0 and abs(number) < 1:
        return f"{number:.3g}"
    text = f"{number:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def polarity_words(polarity: object) -> str:
    return {
        "higher": "Higher is better.",
        "lower": "Lower is better.",
    }.get(str(polarity), "DfE does not say whether higher or lower is better.")


def _versus(value: float, other: object, polarity: object, other_name: str, dps: object) -> str | None:
    if _missing(other):
        return None
    other_value = float(other)  # type: ignore[arg-type]
    shown = fmt(other_value, dps)
    if fmt(value, dps) == shown:
        return f"the same as {other_name} ({shown})"
    higher = value > other_value
    if polarity in ("higher", "lower"):
        better = higher == (polarity == "higher")
        return f"{'better' if better else 'worse'} than {other_name} ({shown})"
    return f"{'higher' if higher else 'lower'} than {other_name} ({shown})"


def position_sentence(council: str, comparison: pd.DataFrame, polarity: object, dps: object) -> str:
    """'In 2025 Sunderland's figure was 17.1: worse than its statistical neighbours' mean (15.8) and worse
    than England (15.2).' for the latest period the council has a value."""
    known = comparison.dropna(subset=["council"])
    if known.empty:
        return f"DfE publishes no figure for {council} for this measure."
    last = known.iloc[-1]
    value = float(last["council"])
    parts = [
        _versus(value, last["neighbours_mean"], polarity, "its statistical neighbours' mean", dps),
        _versus(value, last["region"], polarity, "its region", dps),
        _versus(value, last["england"], polarity, "England", dps),
    ]
    said = [p for p in parts if p]
    joined = ", ".join(said[:-1]) + (" and " if len(said) > 1 else "") + said[-1] if said else "not compared"
    return f"In {last['period']} {council}'s figure was {fmt(value, dps)}: {joined}."


def rank_sentence(council: str, rankings: pd.DataFrame, polarity: object, no_quartile: object) -> str:
    """Rank and quartile among all councils for the latest period, in words."""
    if polarity not in ("higher", "lower"):
        return "DfE names no better direction for this measure, so councils are not ranked or banded."
    known = rankings.dropna(subset=["rank"])
    if known.empty:
        return f"{council} has no published value to rank."
    last = known.iloc[-1]
    best = "highest" if polarity == "higher" else "lowest"
    text = (
        f"In {last['period']} {council} ranked {ordinal(int(last['rank']))} of {int(last['councils_ranked'])} "
        f"councils with a figure (1st = {best})"
    )
    if bool(no_quartile):
        return text + "; DfE does not band this measure into quartiles."
    if _missing(last["quartile"]):
        return text + "."
    return f"{text}, {QUARTILE_WORDS[int(last['quartile'])]}."


def measure_caption(info: dict[str, Any], measure: str) -> str:
    year_type = info.get("year_type") or "period type not stated"
    return (
        f"{info.get('name', measure)} ({measure}). {polarity_words(info.get('polarity'))} Periods are shown as "
        f"DfE publishes them ({year_type}); a span such as 2014-16 is plotted at its last year."
    )


def comparison_caption(council: str, neighbours: int, grouping_label: str, region: str) -> str:
    return (
        f"{council} (thick blue line) against its {neighbours} statistical neighbours ({grouping_label} groups; "
        "thin grey lines, hover to see which), their mean (dashed) and median (dotted), "
        f"{region or 'its region'} (green) and England (black). A gap is a year DfE did not publish a figure "
        "or suppressed it."
    )


def rank_caption(council: str, polarity: object) -> str:
    best = "highest" if polarity == "higher" else "lowest"
    return (
        f"{council}'s rank each period among the councils with a figure; 1st is the {best} value. The marker "
        "colour and the letter give the quartile band: A (dark green) is the best quarter, D (red) the worst."
    )


def all_councils_caption(frame: pd.DataFrame, council: str, polarity: object) -> str:
    order = "best first" if polarity in ("higher", "lower") else "highest first"
    return (
        f"All {int(frame['value'].notna().sum())} councils with a figure for {frame['period'].iloc[0]}, {order}: "
        f"{council} in blue, its statistical neighbours in orange (both named on the axis); the dashed line is "
        "England. Councils with no published figure are not drawn but are listed in the table."
    )


def mapping_sentence(kpi_code: str, transform: str, note: str) -> str:
    shown = "" if transform == "value" else f", as {transform}"
    return f"Shown beside the local KPI {kpi_code} on the KPI trends page{shown}. {note}"


def _when(value: object, text: object) -> str:
    if isinstance(value, pd.Timestamp | date) and not _missing(value):
        return f"{value:%B %Y}"
    return str(text) if text and not _missing(text) else "not stated"


def source_caption(info: dict[str, Any], extract: dict[str, Any]) -> str:
    return (
        "Source: Department for Education, Local Authority Interactive Tool (LAIT); data owner "
        f"{info.get('data_owner') or 'DfE'}; DfE table {info.get('source_table') or 'not stated'}. "
        f"Last updated {_when(info.get('last_update'), info.get('last_update_text'))}; next update "
        f"{_when(info.get('next_update'), info.get('next_update_text'))}. Loaded into this dashboard on "
        f"{extract['submitted_at']:%d %B %Y} (submission {extract['submission_id']})."
    )


# ---------------------------------------------------------------- tables behind the charts


def comparison_table(
    comparison: pd.DataFrame, series: pd.DataFrame, council: str, region: str, grouping_label: str
) -> pd.DataFrame:
    """What the comparison chart draws, one row per period, with readable headings."""
    table = comparison[["period", "council", "neighbours_mean", "neighbours_median", "neighbours_with_value",
                        "region", "england"]].copy()  # fmt: skip
    table.columns = ["Period", council, f"Neighbours' mean ({grouping_label})", "Neighbours' median",
                     "Neighbours with a figure", region or "Region", "England"]  # fmt: skip
    neighbours = series[series["role"] == "neighbour"]
    if len(neighbours):
        wide = neighbours.pivot_table(index="period", columns="name", values="value", aggfunc="first", dropna=False)
        order = neighbours.drop_duplicates("name").sort_values("neighbour_rank")["name"]
        wide = wide.reindex(columns=list(order)).reset_index().rename(columns={"period": "Period"})
        table = table.merge(wide, on="Period", how="left")
    return table


def rank_table(rankings: pd.DataFrame) -> pd.DataFrame:
    table = rankings[["period", "value", "rank", "councils_ranked", "band", "q25", "q50", "q75"]].copy()
    table.columns = ["Period", "Value", "Rank (1 = best)", "Councils ranked", "Quartile band (A = best)",
                     "Lower quartile", "Median", "Upper quartile"]  # fmt: skip
    return table


def all_councils_table(frame: pd.DataFrame) -> pd.DataFrame:
    table = frame[["period", "la_code", "name", "region_name", "value", "missing_mark", "rank", "quartile"]].copy()
    table["quartile"] = table["quartile"].map({1: "A", 2: "B", 3: "C", 4: "D"})
    table.columns = ["Period", "LA number", "Council", "Region", "Value", "Not-available mark", "Rank (1 = best)",
                     "Quartile band (A = best)"]  # fmt: skip
    return table


# ---------------------------------------------------------------- figures


def _layout(fig: go.Figure, y_title: str, height: int = 480) -> go.Figure:
    fig.update_layout(
        font=FONT,
        height=height,
        margin=dict(l=60, r=20, t=30, b=60),
        plot_bgcolor="white",
        hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=-0.15, x=0),
    )
    fig.update_yaxes(title_text=y_title, gridcolor="#E5E5E5", zeroline=False)
    fig.update_xaxes(showgrid=False)
    return fig


def _hover(dps: object) -> str:
    digits = ",.2~f" if _missing(dps) else f",.{int(dps)}f"  # type: ignore[call-overload]
    return "%{fullData.name}<br>%{x}: %{y:" + digits + "}<extra></extra>"


def comparison_chart(
    comparison: pd.DataFrame,
    series: pd.DataFrame,
    council: str,
    region: str,
    y_title: str,
    dps: object = None,
) -> go.Figure:
    """The council against each neighbour (thin grey), the neighbours' mean and median, region and England."""
    periods = list(comparison["period"])
    fig = go.Figure()
    hover = _hover(dps)
    neighbours = series[series["role"] == "neighbour"]
    for name, rows in neighbours.groupby("name", sort=False):
        fig.add_trace(
            go.Scatter(
                x=rows["period"], y=rows["value"], name=str(name), mode="lines", legendgroup="neighbours",
                line=dict(color=NEIGHBOUR, width=1.2), hovertemplate=hover, showlegend=False,
            )
        )  # fmt: skip
    lines: list[tuple[str, str, str, dict[str, Any]]] = [
        ("neighbours_mean", "Neighbours' mean", MEAN, dict(dash="dash", width=2.5)),
        ("neighbours_median", "Neighbours' median", MEDIAN, dict(dash="dot", width=2.5)),
        ("region", region or "Region", REGION, dict(width=2.5)),
        ("england", "England", ENGLAND, dict(width=2.5, dash="dashdot")),
    ]
    for column, name, colour, line in lines:
        if comparison[column].notna().any():
            fig.add_trace(
                go.Scatter(x=periods, y=comparison[column], name=name, mode="lines+markers",
                           line=dict(color=colour, **line), marker=dict(size=6), hovertemplate=hover)
            )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=periods, y=comparison["council"], name=council, mode="lines+markers",
                   line=dict(color=COUNCIL, width=5), marker=dict(size=10), hovertemplate=hover)
    )  # fmt: skip
    if len(neighbours):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                name="Each neighbour",
                mode="lines",
                legendgroup="neighbours",
                line=dict(color=NEIGHBOUR, width=1.2),
                hoverinfo="skip",
            )
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods, title_text="Period")
    return _layout(fig, y_title)


def rank_chart(rankings: pd.DataFrame, council: str) -> go.Figure:
    """The council's rank among all councils per period (1 = best, at the top), marked with its quartile band."""
    ranked = rankings.dropna(subset=["rank"])
    bands = ranked["band"].fillna("")
    labels = [
        f"{ordinal(int(r))} of {int(n)}" + (f" ({b})" if b else "")
        for r, n, b in zip(ranked["rank"], ranked["councils_ranked"], bands, strict=True)
    ]
    fig = go.Figure(
        go.Scatter(
            x=ranked["period"], y=ranked["rank"], mode="lines+markers+text", name=council, text=labels,
            textposition="top center", line=dict(color=COUNCIL, width=3),
            marker=dict(size=14, color=[BAND_COLOURS.get(b, COUNCIL) for b in bands], line_color="white"),
            customdata=ranked[["councils_ranked"]].to_numpy(),
            hovertemplate="%{x}: ranked %{y} of %{customdata[0]}<extra></extra>",
        )
    )  # fmt: skip
    most = int(ranked["councils_ranked"].max()) if len(ranked) else 150
    fig.update_yaxes(autorange=False, range=[most + 8, -8], title_text="Rank among councils (1 = best)")
    fig.update_xaxes(type="category", title_text="Period")
    fig = _layout(fig, "Rank among councils (1 = best)", height=380)
    fig.update_layout(showlegend=False)
    return fig


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
    colours = role.map({"council": COUNCIL, "neighbour": NEIGHBOUR_HIGHLIGHT, "": OTHER})
    fig = go.Figure()
    for key, name in (("", "Other councils"), ("neighbour", "Statistical neighbours"), ("council", None)):
        rows = shown[role == key]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=rows["name"], y=rows["value"], name=name or str(rows["name"].iloc[0]),
                marker_color=colours[rows.index].tolist(), hovertemplate=_hover(dps),
            )
        )  # fmt: skip
    highlighted = shown[role != ""]
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=list(shown["name"]), tickmode="array",
        tickvals=list(highlighted["name"]), ticktext=list(highlighted["name"]), tickangle=-60,
        title_text=f"{len(shown)} councils, best first" if shown["rank"].notna().any() else f"{len(shown)} councils",
    )  # fmt: skip
    if not _missing(england):
        fig.add_hline(
            y=float(england),  # type: ignore[arg-type]
            line=dict(color=ENGLAND, dash="dash", width=2),
            annotation_text=f"England {fmt(england, dps)}",
            annotation_position="top right",
        )
    fig = _layout(fig, y_title, height=460)
    fig.update_layout(bargap=0.15, barmode="overlay", margin=dict(b=140))
    return fig
