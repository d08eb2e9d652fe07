"""Making Data Count charts: a KPI's XmR chart, its icons, its table, and the board's summary matrix.

Colour never carries meaning alone: every point's class is also its marker shape and its legend
name, the icons carry a letter and the chart's subtitle says both icons in words.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.style import apply_layout, format_value, month_label, plotly_text, wrap
from domain import spc

CAUSE_STYLE = {  # class -> (colour, marker symbol, legend name)
    spc.COMMON: ("#7F7F7F", "circle", "Common cause"),
    spc.IMPROVEMENT: ("#0072B2", "circle", "Special cause: improvement"),
    spc.CONCERN: ("#E69F00", "diamond", "Special cause: concern"),
    spc.NEUTRAL: ("#7B3294", "square", "Special cause (no better direction)"),
}
LIMIT_COLOUR = "#555555"
MEAN_COLOUR = "#1A1A1A"
TARGET_COLOUR = "#B2182B"
REBASE_COLOUR = "#333333"
_ICON_FILL = {"improvement": "#0072B2", "concern": "#E69F00", "neutral": "#7B3294", "common": "#7F7F7F"}


def _icon_parts(kind: str) -> tuple[str, str]:
    """(fill colour, letter) of a variation or assurance icon."""
    if kind in spc.VARIATION_WORDS:
        if kind in ("common_cause", "too_few"):
            return _ICON_FILL["common"], "~" if kind == "common_cause" else "?"
        family, side = kind.split("_")
        return _ICON_FILL[family], "H" if side == "high" else "L"
    return {"pass": ("#0072B2", "P"), "fail": ("#E69F00", "F"), "hit_and_miss": ("#7F7F7F", "?")}.get(
        kind, ("#BDBDBD", "–")
    )


def icon_svg(kind: str) -> str:
    """A Making Data Count style icon (a coloured disc with a letter) as SVG text."""
    fill, letter = _icon_parts(kind)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">'
        f'<circle cx="50" cy="50" r="46" fill="#FFFFFF" stroke="{fill}" stroke-width="8"/>'
        f'<text x="50" y="67" font-family="Arial, sans-serif" font-size="48" font-weight="bold" '
        f'text-anchor="middle" fill="{fill}">{letter}</text></svg>'
    )


def icon_uri(kind: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(icon_svg(kind).encode()).decode()


def _latest_target(series: pd.DataFrame, fallback: object) -> float | None:
    observed = series[series["value"].notna()]
    if "target" in observed and observed["target"].notna().any():
        return float(observed["target"].dropna().iloc[-1])
    if fallback is None or pd.isna(fallback):  # type: ignore[call-overload]
        return None
    return float(fallback)  # type: ignore[arg-type]


def _rebase_dates(rebases: pd.DataFrame | None) -> list[Any]:
    if rebases is None or rebases.empty:
        return []
    return sorted(pd.Timestamp(r).date() for r in rebases["rebase_from"])


def analyse_series(
    series: pd.DataFrame,
    polarity: object,
    target: object = None,
    rebases: pd.DataFrame | None = None,
    screen: bool = True,
) -> spc.Spc:
    """`domain.spc.analyse` on a `kpi_series` frame (period, value, target) with its rebases."""
    periods = [pd.Timestamp(p).date() for p in series["period"]]
    return spc.analyse(
        periods,
        series["value"].to_numpy(dtype=np.float64, na_value=np.nan),
        polarity=polarity,
        target=_latest_target(series, target),
        rebases=_rebase_dates(rebases),
        screen=screen,
    )


def _segment_lines(result: spc.Spc, values: np.ndarray) -> tuple[list[Any], list[Any]]:
    xs: list[Any] = []
    ys: list[Any] = []
    for seg in result.segments:
        if seg.limits is None:
            continue
        xs += [result.periods[seg.start], result.periods[seg.stop - 1], None]
        ys += [values[seg.start], values[seg.stop - 1], None]
    return xs, ys


def spc_subtitle(result: spc.Spc) -> str:
    if not result.has_limits:
        return f"Too few points for SPC: {spc.MIN_POINTS} needed since the last rebase"
    return f"Variation: {spc.VARIATION_SHORT[result.variation]} · Assurance: {spc.ASSURANCE_SHORT[result.assurance]}"


def spc_chart(
    series: pd.DataFrame,
    *,
    name: str,
    unit: str,
    polarity: str | None,
    target: float | None = None,
    rebases: pd.DataFrame | None = None,
    screen: bool = True,
    large: bool = False,
) -> go.Figure:
    """A KPI's XmR chart: values classed by rule and polarity, mean and process limits per segment
    (a rebase starts a new one, marked and labelled), the target, and both icons with their words.

    `series`: period, value, target (in force that month); `rebases`: rebase_from, reason.
    """
    result = analyse_series(series, polarity, target, rebases, screen)
    fig = go.Figure()
    apply_layout(fig, title=f"{wrap(name, 60)}<br><sub>{spc_subtitle(result)}</sub>", large=large, height=500)
    if len(result.values) == 0:
        fig.add_annotation(text="No observations yet for this KPI", x=0.5, y=0.5, xref="paper", yref="paper",
                           showarrow=False)  # fmt: skip
        return fig
    x = list(result.periods)
    fig.add_trace(
        go.Scatter(x=x, y=result.values, mode="lines", line={"color": "#9E9E9E", "width": 2}, name="Value",
                   hoverinfo="skip", showlegend=False)
    )  # fmt: skip
    for cause, (colour, symbol, label) in CAUSE_STYLE.items():
        idx = [i for i, c in enumerate(result.cause) if c == cause or (cause == spc.COMMON and c == "")]
        if not idx:
            continue
        words = [result.rule[i] or ("no limits yet" if result.cause[i] == "" else "no rule") for i in idx]
        fig.add_trace(
            go.Scatter(
                x=[x[i] for i in idx],
                y=result.values[idx],
                mode="markers",
                name=label if result.has_limits or cause != spc.COMMON else "Value (no limits yet)",
                marker={"color": colour, "symbol": symbol, "size": 11, "line": {"color": "#FFFFFF", "width": 1}},
                customdata=[[format_value(result.values[i], unit), w] for i, w in zip(idx, words, strict=True)],
                hovertemplate="%{x|%b %Y}: %{customdata[0]}<br>" + label + " (%{customdata[1]})<extra></extra>",
            )
        )
    for values, label, dash, colour, show in (
        (result.mean, "Mean", "solid", MEAN_COLOUR, True),
        (result.upper, "Process limits", "dash", LIMIT_COLOUR, True),
        (result.lower, "Process limits", "dash", LIMIT_COLOUR, False),
    ):
        xs, ys = _segment_lines(result, values)
        if xs:
            fig.add_trace(
                go.Scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 1.5, "dash": dash}, name=label,
                           legendgroup=label, showlegend=show, hovertemplate=f"{label} %{{y:.1f}}<extra></extra>")
            )  # fmt: skip
    shown_target = _latest_target(series, target)
    if shown_target is not None:
        fig.add_trace(
            go.Scatter(x=[x[0], x[-1]], y=[shown_target] * 2, mode="lines",
                       name=f"Target {format_value(shown_target, unit)}",
                       line={"color": TARGET_COLOUR, "width": 2, "dash": "dot"},
                       hovertemplate="Target %{y}<extra></extra>")
        )  # fmt: skip
    for _, row in (rebases if rebases is not None else pd.DataFrame(columns=["rebase_from", "reason"])).iterrows():
        when = pd.Timestamp(row["rebase_from"])
        fig.add_vline(x=when, line={"color": REBASE_COLOUR, "width": 1.5, "dash": "longdash"})
        fig.add_annotation(x=when, y=1, yref="paper", yanchor="bottom", xanchor="left", showarrow=False,
                           text=f"Limits recalculated from {month_label(when)}",
                           hovertext=plotly_text(row.get("reason", "")),
                           font={"size": fig.layout.font.size - 2})  # fmt: skip
    if not result.has_limits:
        fig.add_annotation(text=wrap(spc.too_few_note(result.segments[-1].points if result.segments else 0), 70),
                           x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, bgcolor="rgba(255,255,255,0.85)",
                           font={"color": "#333333"})  # fmt: skip
    else:
        for i, kind in enumerate((result.variation, result.assurance)):
            fig.add_layout_image(source=icon_uri(kind), xref="paper", yref="paper", x=1 - 0.075 * (1 - i), y=1.02,
                                 sizex=0.07, sizey=0.16, xanchor="right", yanchor="bottom")  # fmt: skip
    axis = "Per cent" if unit.strip() == "%" else unit or "Value"
    better = {"higher": " (higher is better)", "lower": " (lower is better)"}.get(str(polarity), "")
    fig.update_xaxes(tickformat="%b %Y", title=None)
    fig.update_yaxes(title=axis + better)
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "xanchor": "left"},
        margin={"t": 110, "b": 40, "r": 30},
    )
    return fig


def spc_table(
    series: pd.DataFrame,
    unit: str,
    polarity: str | None,
    target: float | None = None,
    rebases: pd.DataFrame | None = None,
    screen: bool = True,
) -> pd.DataFrame:
    """The numbers behind `spc_chart`, a row per observation, oldest first."""
    result = analyse_series(series, polarity, target, rebases, screen)
    starts = {seg.start: seg for seg in result.segments}
    limits_from = []
    current = ""
    for i in range(len(result.values)):
        if i in starts:
            current = month_label(result.periods[i]) if starts[i].limits is not None else "no limits (too few points)"
        limits_from.append(current)

    def rounded(values: np.ndarray) -> pd.Series:
        return pd.Series(values, dtype="Float64").round(2)

    return pd.DataFrame(
        {
            "Month": [month_label(p) for p in result.periods],
            "Value": pd.Series(result.values, dtype="Float64"),
            "Unit": unit,
            "Mean": rounded(result.mean),
            "Lower process limit": rounded(result.lower),
            "Upper process limit": rounded(result.upper),
            "Limits from": limits_from,
            "Special cause rule": [r or "" for r in result.rule],
            "Class": [spc.CAUSE_WORDS.get(c, "No limits yet") for c in result.cause],
        }
    )


def spc_caption(
    series: pd.DataFrame,
    name: str,
    unit: str,
    polarity: str | None,
    target: float | None = None,
    rebases: pd.DataFrame | None = None,
    screen: bool = True,
) -> str:
    """What `spc_chart` shows, in words: the limits, how many special causes, both icons."""
    result = analyse_series(series, polarity, target, rebases, screen)
    if len(result.values) == 0:
        return f"{name}: no observations yet."
    if not result.has_limits:
        return f"{name}: {spc.too_few_note(result.segments[-1].points)}"
    lim = result.latest_limits
    assert lim is not None
    specials = sum(1 for c in result.cause if c not in ("", spc.COMMON))
    screening = (
        "moving ranges of 3.267 × their mean or more left out"
        if result.screen
        else "every moving range kept, as the Making Data Count Excel tool does"
    )
    text = (
        f"{name}: an XmR chart of {len(result.values)} points. Latest limits: mean "
        f"{format_value(round(lim.mean, 1), unit)}, process limits {format_value(round(lim.lower, 1), unit)} to "
        f"{format_value(round(lim.upper, 1), unit)} ({screening}). "
        f"{specials} point(s) are special cause. Variation: {spc.VARIATION_WORDS[result.variation]}. "
        f"Assurance: {spc.ASSURANCE_WORDS[result.assurance]}."
    )
    if len(result.segments) > 1:
        text += " Limits are recalculated from each rebase date (the vertical lines)."
    return text
