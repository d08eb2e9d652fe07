"""KPI charts: one KPI's trend against its target, and every KPI as small multiples.

Real KPI series are sparse (two observations a year apart is common), so every point is a
marker with its value written beside it; points more than `CADENCE_MONTHS` apart are joined
by a dotted line (no data in between), a month reported as missing breaks the line and is
marked on the axis, and the target is drawn as steps so a target that changes shows as one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.published import add_benchmarks, add_published
from charts.style import (
    GAP_LINE,
    NO_TARGET,
    OFF_TARGET,
    ON_TARGET,
    TARGET_LINE,
    apply_layout,
    format_value,
    month_label,
    plotly_text,
    wrap,
)
from domain.kpi_status import on_target
from domain.kpi_status import status as status_text

__all__ = ["kpi_small_multiples", "kpi_trend", "long_gaps", "on_target", "status_text", "trend_table"]

CADENCE_MONTHS = 3
INFERRED_LINE = "#6A3D9A"  # a ring round a value the source implies, or an officer estimated
LABEL_ALL_UP_TO = 12  # in a small-multiples panel; beyond it only the first, last, lowest and highest
LABEL_ALL_UP_TO_LARGE = 24  # in a chart of its own (two years of monthly figures)
STATUS_STYLE = {
    "On target": (ON_TARGET, "circle"),
    "Off target": (OFF_TARGET, "diamond"),
    "No target set": (NO_TARGET, "square"),
}


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _months_between(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _prepare(series: pd.DataFrame, polarity: object) -> pd.DataFrame:
    frame = series.copy()
    frame["period"] = pd.to_datetime(frame["period"])
    if "target" not in frame.columns:
        frame["target"] = float("nan")
    if "missing_mark" not in frame.columns:
        frame["missing_mark"] = None
    if "estimate_note" not in frame.columns:
        frame["estimate_note"] = ""
    frame["estimate_note"] = frame["estimate_note"].fillna("").astype(str)
    frame = frame.sort_values("period").reset_index(drop=True)
    frame["status"] = [status_text(v, t, polarity) for v, t in zip(frame["value"], frame["target"], strict=True)]
    return frame


def trend_table(series: pd.DataFrame, unit: str, polarity: str | None) -> pd.DataFrame:
    """The numbers behind `kpi_trend`, as a board member reads them, oldest first."""
    frame = _prepare(series, polarity)
    values = frame["value"].astype("Float64")
    previous = values.where(values.notna()).ffill().shift(1)
    return pd.DataFrame(
        {
            "Month": [month_label(p) for p in frame["period"]],
            "Value": values,
            "Unit": unit,
            "Target": frame["target"].astype("Float64"),
            "Status": frame["status"],
            "Change since previous observation": (values - previous).round(1),
            "Note": [
                "; ".join(
                    part
                    for part in (
                        f"not reported ({m})"
                        if _missing(v) and isinstance(m, str) and m
                        else ("not reported" if _missing(v) else ""),
                        e,
                    )
                    if part
                )
                for v, m, e in zip(frame["value"], frame["missing_mark"], frame["estimate_note"], strict=True)
            ],
        }
    )


def _segments(frame: pd.DataFrame) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """(x, y) of solid joins between close observations and dotted joins across long silences."""
    solid_x: list[Any] = []
    solid_y: list[Any] = []
    dotted_x: list[Any] = []
    dotted_y: list[Any] = []
    previous: tuple[pd.Timestamp, float] | None = None
    for period, value in zip(frame["period"], frame["value"], strict=True):
        if _missing(value):
            previous = None
            continue
        if previous is not None:
            xs, ys = (
                (solid_x, solid_y) if _months_between(previous[0], period) <= CADENCE_MONTHS else (dotted_x, dotted_y)
            )
            xs += [previous[0], period, None]
            ys += [previous[1], float(value), None]
        previous = (period, float(value))
    return solid_x, solid_y, dotted_x, dotted_y


def _y_range(values: Sequence[float], unit: str) -> list[float]:
    top = max([v for v in values if not _missing(v)] or [1.0])
    if unit.strip() == "%":
        return [0, max(112.0, top * 1.12)]
    return [0, top * 1.25 + 1]


def _add_series(
    fig: go.Figure,
    frame: pd.DataFrame,
    *,
    unit: str,
    fallback_target: float | None,
    row: int | None = None,
    col: int | None = None,
    legend: bool = True,
    label_up_to: int = LABEL_ALL_UP_TO,
    extent: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> None:
    where = {"row": row, "col": col} if row is not None else {}
    solid_x, solid_y, dotted_x, dotted_y = _segments(frame)
    fig.add_trace(
        go.Scatter(
            x=solid_x, y=solid_y, mode="lines", line={"color": "#4D4D4D", "width": 3},
            name="Observed", legendgroup="observed", showlegend=legend and bool(solid_x), hoverinfo="skip",
        ),
        **where,
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=dotted_x, y=dotted_y, mode="lines", line={"color": GAP_LINE, "width": 2, "dash": "dot"},
            name=f"No data in between (over {CADENCE_MONTHS} months)", legendgroup="gap",
            showlegend=legend and bool(dotted_x), hoverinfo="skip",
        ),
        **where,
    )  # fmt: skip
    observed = frame[frame["value"].notna()]
    label_rows = set(observed.index)
    if len(observed) > label_up_to:
        label_rows = {observed.index[0], observed.index[-1], observed["value"].idxmin(), observed["value"].idxmax()}
    for status, (colour, symbol) in STATUS_STYLE.items():
        part = observed[observed["status"] == status]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=part["value"],
                mode="markers+text",
                name=status,
                legendgroup=status,
                showlegend=legend,
                marker={"color": colour, "symbol": symbol, "size": 13, "line": {"color": "#FFFFFF", "width": 1.5}},
                text=[
                    format_value(v, unit) if i in label_rows else ""
                    for i, v in zip(part.index, part["value"], strict=True)
                ],
                textposition="top center",
                textfont={"color": colour},
                customdata=[[status, format_value(t, unit)] for t in part["target"]],
                hovertemplate="%{x|%b %Y}: %{y}<br>%{customdata[0]} (target %{customdata[1]})<extra></extra>",
            ),
            **where,
        )
    inferred = observed[observed["estimate_note"] != ""]
    if not inferred.empty:
        fig.add_trace(
            go.Scatter(
                x=inferred["period"], y=inferred["value"], mode="markers", name="Inferred or estimated (see Note)",
                legendgroup="inferred", showlegend=legend,
                marker={"color": "rgba(0,0,0,0)", "symbol": "diamond-open", "size": 22,
                        "line": {"color": INFERRED_LINE, "width": 2.5}},
                customdata=[[plotly_text(note)] for note in inferred["estimate_note"]],
                hovertemplate="%{x|%b %Y}: %{y}<br>%{customdata[0]}<extra></extra>",
            ),
            **where,
        )  # fmt: skip
    gaps = frame[frame["value"].isna()]
    if not gaps.empty:
        fig.add_trace(
            go.Scatter(
                x=gaps["period"],
                y=[0] * len(gaps),
                mode="markers+text",
                name="Not reported",
                legendgroup="missing",
                showlegend=legend,
                marker={
                    "color": "#FFFFFF",
                    "symbol": "circle-open",
                    "size": 12,
                    "line": {"color": GAP_LINE, "width": 2},
                },
                text=["no data" for _ in range(len(gaps))],
                textposition="top center",
                textfont={"color": "#555555"},
                hovertemplate="%{x|%b %Y}: not reported<extra></extra>",
            ),
            **where,
        )
    targets = frame[frame["target"].notna()]
    start, end = extent if extent else (frame["period"].min(), frame["period"].max())
    if targets.empty and fallback_target is not None and not _missing(fallback_target):
        targets = pd.DataFrame({"period": [start], "target": [float(fallback_target)]})
    if not targets.empty and not pd.isna(start):
        xs = [min(start, targets["period"].iloc[0]), *targets["period"].iloc[1:], end]
        ys = [*targets["target"], targets["target"].iloc[-1]]
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", line={"color": TARGET_LINE, "width": 2, "dash": "dash", "shape": "hv"},
                name="Target", legendgroup="target", showlegend=legend,
                hovertemplate="Target %{y}<extra></extra>",
            ),
            **where,
        )  # fmt: skip
        for i, (x, y) in enumerate(zip(xs[:-1], ys[:-1], strict=True)):
            if i and y == ys[i - 1]:
                continue
            fig.add_annotation(  # at the start of each step: the latest values, labelled too, sit at the right
                x=x, y=y, text=f"Target {format_value(y, unit)}", showarrow=False,
                xanchor="left", yanchor="bottom", font={"color": TARGET_LINE}, **where,
            )  # fmt: skip


def _extent(periods: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = pd.Timestamp(periods.min()), pd.Timestamp(periods.max())
    pad = pd.DateOffset(months=3 if start == end else 2)
    return start - pad, end + pad


def kpi_trend(
    series: pd.DataFrame,
    *,
    name: str,
    unit: str,
    polarity: str | None,
    target: float | None = None,
    benchmarks: pd.DataFrame | None = None,
    large: bool = False,
    published: pd.DataFrame | None = None,
    disagreements: pd.DataFrame | None = None,
    projection: tuple[tuple[Any, float], tuple[Any, float]] | None = None,
    projection_label: str = "At the recent rate, to the action's timescale",
) -> go.Figure:
    """One KPI over time against its target, on/off target by polarity, comparators beside it.

    `published` (store.kpi_comparators): every published year's figures, plotted on the same time
    axis at the date each describes (then `benchmarks` is not needed); `disagreements` marks the
    months where the local and published figures differ. `projection`: ((month, value), (month,
    value)), the trajectory at the recent rate drawn as a dashed line to the action's timescale.

    `series`: period, value, target (in force that month), missing_mark. `target` is used only
    when no observation carries one. `benchmarks`: label, value, year_label, source; each is a
    labelled marker in a panel to the right sharing the value axis, so the latest local value
    can be read against England, the region or statistical neighbours.
    """
    frame = _prepare(series, polarity)
    has_benchmarks = benchmarks is not None and not benchmarks.empty
    if has_benchmarks:
        fig = make_subplots(
            rows=1, cols=2, shared_yaxes=True, column_widths=[0.74, 0.26], horizontal_spacing=0.03,
            subplot_titles=("", "Comparators"),
        )  # fmt: skip
        where: dict[str, int] = {"row": 1, "col": 1}
    else:
        fig = go.Figure()
        where = {}
    better = {"higher": "higher is better", "lower": "lower is better"}.get(str(polarity), "")
    axis_title = plotly_text("Per cent" if unit.strip() == "%" else unit or "Value") + (
        f" ({better})" if better else ""
    )
    apply_layout(fig, title=wrap(name, 70), large=large, height=460)
    if frame["period"].empty:
        fig.add_annotation(
            text="No observations yet for this KPI", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
            font={"size": fig.layout.font.size + 4, "color": "#555555"},
        )  # fmt: skip
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return fig
    has_published = published is not None and not published.empty
    moments = [frame["period"]]
    if has_published:
        assert published is not None
        moments.append(pd.to_datetime(published["reference_date"]))
    if projection is not None:
        moments.append(pd.to_datetime(pd.Series([projection[1][0]])))
    extent = _extent(pd.concat(moments, ignore_index=True))
    _add_series(
        fig, frame, unit=unit, fallback_target=target, row=where.get("row"), col=where.get("col"), extent=extent,
        label_up_to=LABEL_ALL_UP_TO_LARGE,
    )  # fmt: skip
    values = [*frame["value"].dropna(), *frame["target"].dropna()]
    if target is not None and not _missing(target):
        values.append(float(target))
    if has_benchmarks:
        assert benchmarks is not None
        values += list(benchmarks["value"].dropna())
        add_benchmarks(fig, benchmarks, frame, unit)
    if has_published:
        assert published is not None
        values += list(published["value"].dropna())
        empty = pd.DataFrame(columns=["reference_date", "local", "published"])
        add_published(fig, published, unit, disagreements if disagreements is not None else empty, **where)
    if projection is not None:
        (x0, y0), (x1, y1) = projection
        values.append(float(y1))
        fig.add_trace(
            go.Scatter(
                x=[pd.Timestamp(x0), pd.Timestamp(x1)], y=[y0, y1], mode="lines+markers+text",
                text=["", f"{format_value(round(float(y1), 1), unit)} by {pd.Timestamp(x1):%m/%y}"],
                textposition="top center", textfont={"color": "#0072B2"},
                line={"color": "#0072B2", "width": 2, "dash": "dashdot"}, marker={"symbol": "circle-open", "size": 9},
                name=projection_label, hovertemplate="%{x|%b %Y}: %{y:.1f} (projected)<extra></extra>",
            ),
            **where,
        )  # fmt: skip
    fig.update_xaxes(range=list(extent), tickformat="%b %Y", title=None, **where)
    fig.update_yaxes(range=_y_range(values, unit), title=axis_title, row=where.get("row"), col=where.get("col"))
    if unit.strip() == "%":
        fig.update_yaxes(tickvals=[0, 20, 40, 60, 80, 100])
    # The legend sits under the plot, so however many rows it wraps to it never meets the title.
    fig.update_layout(
        margin={"t": 110 if has_benchmarks else 80, "b": 30},
        legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0, "xanchor": "left"},
    )
    return fig


def kpi_small_multiples(series: pd.DataFrame, *, columns: int = 3, large: bool = False) -> go.Figure:
    """Every KPI with at least one observation, each in its own small panel with its target.

    `series`: kpi_code, kpi_name, unit, polarity, period, value, target, missing_mark. Each panel
    has its own value axis (percentages on 0-100) and a shared time axis so the panels line up.
    """
    with_data = series.groupby("kpi_code", sort=False)["value"].apply(lambda v: v.notna().any())
    codes = [c for c in series["kpi_code"].drop_duplicates() if with_data.get(c, False)]
    if not codes:
        fig = go.Figure()
        apply_layout(fig, large=large, height=200)
        fig.add_annotation(
            text="No KPI has observations yet", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False
        )
        return fig
    rows = math.ceil(len(codes) / columns)
    names = series.drop_duplicates("kpi_code").set_index("kpi_code")
    titles = []
    for c in codes:
        better = {"higher": "↑ higher is better", "lower": "↓ lower is better"}.get(str(names.loc[c, "polarity"]), "")
        titles.append(f"{wrap(names.loc[c, 'kpi_name'], 30 if columns > 2 else 45)}<br><sub>{better}</sub>")
    fig = make_subplots(
        rows=rows, cols=columns, subplot_titles=titles, shared_xaxes="all", vertical_spacing=0.55 / rows,
        horizontal_spacing=0.06,
    )  # fmt: skip
    extent = _extent(pd.to_datetime(series["period"]))
    for i, code in enumerate(codes):
        r, c = divmod(i, columns)
        part = series[series["kpi_code"] == code]
        unit = str(names.loc[code, "unit"])
        frame = _prepare(part, names.loc[code, "polarity"])
        _add_series(
            fig, frame, unit=unit, fallback_target=None, row=r + 1, col=c + 1, legend=i == 0,
            extent=extent,
        )  # fmt: skip
        values = [*frame["value"].dropna(), *frame["target"].dropna()]
        fig.update_yaxes(range=_y_range(values, unit), row=r + 1, col=c + 1)
        if unit.strip() == "%":
            fig.update_yaxes(tickvals=[0, 50, 100], ticksuffix="%", row=r + 1, col=c + 1)
    height = 200 + 330 * rows
    apply_layout(fig, large=large, height=height)
    fig.update_xaxes(range=list(extent), tickformat="%b %Y", showticklabels=True, nticks=4)
    size = fig.layout.font.size
    fig.update_annotations(font={"size": size - 1})
    fig.update_layout(margin={"t": 170}, legend={"y": 1 + 120 / height, "yanchor": "bottom"})
    return fig


def long_gaps(series: pd.DataFrame) -> int:
    """How many joins in `kpi_trend` are dotted: consecutive observations over `CADENCE_MONTHS` apart."""
    return sum(x is None for x in _segments(_prepare(series, None))[2])
