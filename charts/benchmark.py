"""Benchmark charts and the sentences that explain them: pure functions, DataFrames in, figures and text out.

Colours come from the Okabe-Ito palette; the chosen council is always the thickest line or the darkest
bar and is also named, so no comparison depends on colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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
        f"{council}'s rank each period among the councils with a figure (1st is the {best} value; higher on the "
        "chart is better). The letter in each marker is the quartile band: A (dark green) is the best quarter "
        "of councils, D (red) the worst. Hover for the rank, or see the table."
    )


def all_councils_caption(frame: pd.DataFrame, council: str, polarity: object) -> str:
    order = "best first" if polarity in ("higher", "lower") else "highest first"
    return (
        f"All {int(frame['value'].notna().sum())} councils with a figure for {frame['period'].iloc[0]}, {order}: "
        f"{council} in blue (labelled), its statistical neighbours in orange (hover a bar for its name); the "
        "dashed line is England. The table names every council, including those with no published figure."
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
    table[["neighbours_mean", "neighbours_median"]] = table[["neighbours_mean", "neighbours_median"]].round(2)
    table.columns = ["Period", council, f"Neighbours' mean ({grouping_label})", "Neighbours' median",
                     "Neighbours with a figure", region or "Region", "England"]  # fmt: skip
    neighbours = series[series["role"] == "neighbour"]
    if len(neighbours):
        wide = neighbours.pivot(index="period", columns="name", values="value")
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
    digits = ",.2~f" if _missing(dps) else f",.{int(dps)}f"  # type: ignore[call-overload]
    return "%{fullData.name}<br>%{x}: %{y:" + digits + "}<extra></extra>"


def _values(column: pd.Series) -> list[object]:
    """A column as JSON-ready values, missing as None (a gap in the line)."""
    return [None if _missing(v) else v for v in column.tolist()]


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
    if not _missing(england):
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


# ---------------------------------------------------------------- the whole page's content


@dataclass
class Section:
    """One part of the page: a heading, a note, and a chart with its caption, table and file name."""

    heading: str = ""
    note: str = ""
    figure: go.Figure | None = None
    caption: str = ""
    table: pd.DataFrame | None = None
    file_name: str = ""
    key: str = ""


@dataclass
class PageContent:
    title: str
    intro: list[str]
    sections: list[Section]
    notes: list[str]
    source: str
    methodology: str = ""


def benchmark_page(
    view: dict[str, Any],
    *,
    measure: str,
    la_code: str,
    council: str,
    region: str,
    grouping_label: str,
    extract: dict[str, Any],
) -> PageContent:
    """Everything the Benchmarking page shows for one measure and council, from `measure_view`'s frames."""
    info, comparison, series, rankings = view["info"], view["comparison"], view["series"], view["rankings"]
    polarity, dps, no_quartile = info.get("polarity"), info.get("dps"), info.get("no_quartile")
    y_title = str(info.get("y_axis_name") or "Value")
    neighbour_codes = list(series.loc[series["role"] == "neighbour", "la_code"].unique())
    sections = [
        Section(
            note=""
            if neighbour_codes
            else f"The {grouping_label} groups list no statistical neighbours for {council}.",
            figure=comparison_chart(comparison, series, council, region, y_title, dps),
            caption=comparison_caption(council, len(neighbour_codes), grouping_label, region),
            table=comparison_table(comparison, series, council, region, grouping_label),
            file_name=f"benchmark-{measure}-{la_code}.csv",
            key="benchmarking.comparison",
        )
    ]
    if rankings["rank"].notna().any():
        sections.append(
            Section("Rank among all councils", figure=rank_chart(rankings, council),
                    caption=rank_caption(council, polarity), table=rank_table(rankings),
                    file_name=f"benchmark-{measure}-{la_code}-rank.csv", key="benchmarking.rank")
        )  # fmt: skip
    else:
        sections.append(
            Section("Rank among all councils", note="No rank to show. " + rank_sentence(council, rankings, polarity,
                    no_quartile))
        )  # fmt: skip
    everyone = view["everyone"]
    if len(everyone):
        period = str(everyone["period"].iloc[0])
        england = comparison.loc[comparison["period"] == period, "england"]
        sections.append(
            Section(
                f"Every council, {period}",
                figure=all_councils_chart(everyone, la_code, neighbour_codes, y_title,
                                          england.iloc[0] if len(england) else None, dps),
                caption=all_councils_caption(everyone, council, polarity),
                table=all_councils_table(everyone),
                file_name=f"benchmark-{measure}-all-councils-{period}.csv",
                key="benchmarking.all",
            )
        )  # fmt: skip
    notes = [
        mapping_sentence(str(row.kpi_code), str(row.transform), str(row.note)) for row in view["mapping"].itertuples()
    ]
    return PageContent(
        title=str(info.get("chart_title") or info.get("name") or measure),
        intro=[
            measure_caption(info, measure),
            position_sentence(council, comparison, polarity, dps),
            rank_sentence(council, rankings, polarity, no_quartile),
        ],
        sections=sections,
        notes=notes,
        source=source_caption(info, extract),
        methodology=str(info.get("methodology") or ""),
    )
