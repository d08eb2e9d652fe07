"""RAG charts: ratings by priority for two periods, movement between them, one action's history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from charts.style import (
    NOT_RATED,
    RAG_CODES,
    RAG_COLOURS,
    RAG_LABELS,
    RAG_TEXT,
    apply_layout,
    month_label,
    rating_code,
    wrap,
)
from domain.markup import plotly as plotly_text
from domain.rag import RANK
from domain.rag import direction as rating_direction

NOT_LISTED = "Not in plan"
MOVEMENT_COLOURS = {
    "improved": "#0072B2",
    "completed": "#009E73",
    "newly rated": "#56B4E9",
    "held": "#8C8C8C",
    "slipped": "#D55E00",
    "new, not yet rated": "#B8B8B8",
    "no longer listed": "#CC79A7",
}
_DIRECTION_FILL = {"improved": "#A9D0EE", "slipped": "#F6BE9A", "held": "#E3E3E3", "other": "#F3F3F3"}
_DIRECTION_MARK = {"improved": " ▲", "slipped": " ▼", "held": "", "other": ""}


def _labels(periods: list[pd.Timestamp], period_labels: Mapping[date, str] | None) -> dict[pd.Timestamp, str]:
    given = {pd.Timestamp(k): v for k, v in (period_labels or {}).items()}
    return {p: given.get(pd.Timestamp(p), month_label(p)) for p in periods}


def rag_by_priority(
    counts: pd.DataFrame, period_labels: Mapping[date, str] | None = None, *, large: bool = False
) -> go.Figure:
    """Stacked horizontal bars: one bar per priority and period, segments R, A, LG, DG, C (then New).

    `counts` has columns priority, title, period, rating (NULL or 'TBC' = not yet rated), actions.
    Each segment is labelled with its rating code and count, so colour never carries meaning alone.
    """
    frame = counts.assign(
        code=counts["rating"].map(rating_code), period=pd.to_datetime(counts["period"]), actions=counts["actions"]
    )
    periods = sorted(frame["period"].unique())
    labels = _labels(periods, period_labels)
    heads = frame[["priority", "title"]].drop_duplicates("priority").sort_values("priority")
    outer: list[str] = []
    inner: list[str] = []
    keys: list[tuple[int, pd.Timestamp]] = []
    for priority, title in heads.itertuples(index=False):
        for period in periods:
            outer.append(
                wrap(f"{priority}. {title}" if isinstance(title, str) and title else f"Priority {priority}", 34)
            )
            inner.append(labels[period])
            keys.append((int(priority), period))
    table = frame.groupby(["priority", "period", "code"])["actions"].sum()
    totals = [int(sum(table.get((p, t, c), 0) for c in RAG_CODES)) for p, t in keys]
    # A segment too narrow for 'LG 1' shows just its count; the legend and hover still name it.
    room = max(totals or [1]) * 0.06
    fig = go.Figure()
    for code in RAG_CODES:
        values = [int(table.get((p, t, code), 0)) for p, t in keys]
        if code == NOT_RATED and not any(values):
            continue
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=[outer, inner],
                x=values,
                name=RAG_LABELS[code],
                marker={"color": RAG_COLOURS[code], "line": {"color": "#FFFFFF", "width": 1}},
                text=[(f"{code} {v}" if v >= room else str(v)) if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": RAG_TEXT[code]},
                customdata=[[RAG_LABELS[code], i] for i in inner],
                hovertemplate="%{customdata[1]}: %{x} %{customdata[0]}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            y=[outer, inner],
            x=totals,
            mode="text",
            text=[f"  {n}" for n in totals],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            name="Total",
        )
    )
    apply_layout(fig, large=large, height=110 + 92 * len(heads))
    size = fig.layout.font.size
    fig.update_layout(
        barmode="stack",
        bargap=0.25,
        legend={"traceorder": "normal"},
        uniformtext={"minsize": size - 2, "mode": "show"},
        xaxis={"title": "Number of actions", "range": [0, max(totals or [1]) * 1.08 + 1], "dtick": 2},
        yaxis={"autorange": "reversed", "tickfont": {"size": size - 1}},
    )
    return fig


def rag_counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind `rag_by_priority`, ratings by name."""
    return counts.assign(rating=[RAG_LABELS[rating_code(r)] for r in counts["rating"]])


def movement_cells(moves: pd.DataFrame) -> pd.DataFrame:
    """From-to counts behind `movement_matrix`: one row per pair of ratings with any actions."""
    frame = moves.assign(
        from_code=[
            rating_code(r) if present else NOT_LISTED
            for r, present in zip(moves["from_rating"], _present(moves, "in_previous"), strict=True)
        ],
        to_code=[
            rating_code(r) if present else NOT_LISTED
            for r, present in zip(moves["to_rating"], _present(moves, "in_current"), strict=True)
        ],
    )
    cells = frame.groupby(["from_code", "to_code"]).size().rename("actions").reset_index()
    cells["direction"] = [rating_direction(f, t) for f, t in zip(cells["from_code"], cells["to_code"], strict=True)]
    return cells


def _present(moves: pd.DataFrame, column: str) -> list[bool]:
    """Whether each action was in the plan that period; without the flag, any rating counts as present."""
    if column in moves.columns:
        return [bool(v) for v in moves[column]]
    return [True] * len(moves)


def movement_matrix(moves: pd.DataFrame, previous_label: str, current_label: str, *, large: bool = False) -> go.Figure:
    """A from-to grid of how many actions went from each rating to each rating.

    Rows are the earlier period, columns the later; cells above the diagonal (improved) are blue
    and marked ▲, below it (slipped) orange and marked ▼, so the direction does not rest on colour.
    """
    cells = movement_cells(moves)
    names = {**RAG_LABELS, NOT_LISTED: NOT_LISTED}
    rows = [NOT_LISTED, NOT_RATED, *RANK]
    cols = [*RANK, NOT_RATED, NOT_LISTED]
    rows = [r for r in rows if r in set(cells["from_code"]) or r in RANK]
    cols = [c for c in cols if c in set(cells["to_code"]) or c in RANK]
    lookup = {(f, t): (n, d) for f, t, n, d in cells.itertuples(index=False)}
    fills = list(_DIRECTION_FILL)
    z, text, hover = [], [], []
    for r in rows:
        z_row, t_row, h_row = [], [], []
        for c in cols:
            n, direction = lookup.get((r, c), (0, rating_direction(r, c)))
            z_row.append(fills.index(direction) if n else None)
            t_row.append(f"{n}{_DIRECTION_MARK[direction]}" if n else "")
            h_row.append(f"{n} action(s): {names[r]} in {previous_label} → {names[c]} in {current_label}")
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    scale = []
    for i, key in enumerate(fills):
        scale += [[i / len(fills), _DIRECTION_FILL[key]], [(i + 1) / len(fills), _DIRECTION_FILL[key]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[wrap(names[c], 12) for c in cols],
            y=[wrap(names[r], 14) for r in rows],
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=scale,
            zmin=-0.5,
            zmax=len(fills) - 0.5,
            showscale=False,
            xgap=3,
            ygap=3,
        )
    )
    apply_layout(fig, large=large, height=130 + 62 * len(rows))
    size = fig.layout.font.size
    fig.update_traces(textfont={"size": size + 3})
    fig.update_layout(
        xaxis={"title": f"Rating in {current_label}", "side": "top", "showgrid": False, "tickangle": 0},
        yaxis={"title": f"Rating in {previous_label}", "autorange": "reversed", "showgrid": False},
        margin={"t": 90},
    )
    return fig


def movement_summary(moves: pd.DataFrame, *, large: bool = False) -> go.Figure:
    """How many actions improved, held, slipped, were newly rated or completed: one labelled bar each."""
    order = [m for m in MOVEMENT_COLOURS if m in set(moves["movement"])]
    counts = moves["movement"].value_counts()
    values = [int(counts.get(m, 0)) for m in order]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[m.capitalize() for m in order],
            x=values,
            marker={"color": [MOVEMENT_COLOURS[m] for m in order]},
            text=values,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} action(s)<extra></extra>",
        )
    )
    apply_layout(fig, large=large, height=90 + 48 * max(len(order), 1))
    fig.update_layout(
        xaxis={"title": "Number of actions", "range": [0, max(values or [1]) * 1.15 + 1]},
        yaxis={"autorange": "reversed"},
        showlegend=False,
        margin={"t": 20},
    )
    return fig


INFERRED_LINE = "#6A3D9A"  # a ring round a rating the source implies rather than prints


def rag_timeline(history: pd.DataFrame, *, large: bool = False) -> go.Figure:
    """One action's rating at every recorded period: a step line on an ordered rating scale.

    `history` has columns period, label (e.g. 'Initial'), rating (NULL = not yet rated).
    """
    frame = history.sort_values("period").assign(code=history["rating"].map(rating_code))
    periods = pd.to_datetime(frame["period"])
    scale = [NOT_RATED, *RANK]
    names = [RAG_LABELS[c] for c in scale]
    ticks = [
        f"{lab}<br>{month_label(p)}" if isinstance(lab, str) and lab else month_label(p)
        for p, lab in zip(periods, frame["label"], strict=True)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=periods,
            y=[RAG_LABELS[c] for c in frame["code"]],
            mode="lines",
            line={"color": "#9A9A9A", "width": 3, "shape": "hv"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for code in scale:
        part = frame[frame["code"] == code]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part["period"]),
                y=[RAG_LABELS[code]] * len(part),
                mode="markers+text",
                name=RAG_LABELS[code],
                marker={"color": RAG_COLOURS[code], "size": 26, "line": {"color": "#333333", "width": 1}},
                text=[code] * len(part),
                textfont={"color": RAG_TEXT[code]},
                textposition="middle center",
                hovertemplate="%{x|%b %Y}: %{y}<extra></extra>",
            )
        )
    inferred = frame[frame["estimate_note"].fillna("") != ""] if "estimate_note" in frame.columns else frame.iloc[:0]
    if not inferred.empty:
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(inferred["period"]), y=[RAG_LABELS[c] for c in inferred["code"]], mode="markers",
                name="Inferred (see Note)", marker={"color": "rgba(0,0,0,0)", "symbol": "circle-open", "size": 36,
                                                    "line": {"color": INFERRED_LINE, "width": 3}},
                customdata=[[plotly_text(note)] for note in inferred["estimate_note"]],
                hovertemplate="%{x|%b %Y}: %{y}<br>%{customdata[0]}<extra></extra>",
            )
        )  # fmt: skip
    apply_layout(fig, large=large, height=330)
    pad = pd.Timedelta(days=45)
    fig.update_layout(
        xaxis={
            "tickvals": list(periods),
            "ticktext": ticks,
            "range": [periods.min() - pad, periods.max() + pad] if len(periods) else None,
            "title": None,
        },
        yaxis={"categoryorder": "array", "categoryarray": names, "range": [-0.5, len(names) - 0.5], "title": None},
        showlegend=False,
        margin={"t": 20},
    )
    return fig


def movement_table(moves: pd.DataFrame, previous_label: str, current_label: str) -> pd.DataFrame:
    """Every action in either period with its rating in each by name, and which way it moved."""

    def names(ratings: pd.Series, present: list[bool]) -> list[str]:
        return [RAG_LABELS[rating_code(r)] if p else NOT_LISTED for r, p in zip(ratings, present, strict=True)]

    return pd.DataFrame(
        {
            "Action": moves["action_ref"],
            "Priority": moves["priority"],
            f"Rating {previous_label}": names(moves["from_rating"], _present(moves, "in_previous")),
            f"Rating {current_label}": names(moves["to_rating"], _present(moves, "in_current")),
            "Movement": moves["movement"],
            "Description": moves["description"],
        }
    )
