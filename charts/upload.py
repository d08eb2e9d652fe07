"""Charts for the Upload page: what is stored month by month (which months still need a return),
and an uploaded file's figures for one KPI beside what is stored (the last look before confirming:
a value keyed in as 0.78 instead of 78, or a month pasted into the wrong row, shows as a cliff).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import NO_TARGET, OFF_TARGET, PALETTE, apply_layout, format_value, month_label, wrap
from domain.changes import OBSERVATION_FIELDS, observation_changed

STORED, INCOMING, CHANGED = "Stored now", "In this file", "Changed by this file"


def coverage(months: pd.DataFrame, *, large: bool = False) -> go.Figure:
    """A bar per month: how many KPIs have a value (`kpi_coverage`), labelled 'n of N'."""
    fig = go.Figure()
    apply_layout(fig, title="KPI values stored, by month", large=large, height=300)
    labels = [f"{n} of {of}" for n, of in zip(months["kpis"], months["of"], strict=True)]
    fig.add_trace(
        go.Bar(
            x=[month_label(p) for p in months["period"]], y=months["kpis"], name="KPIs with a value",
            marker={"color": PALETTE[0]}, text=labels, textposition="outside",
            hovertemplate="%{x}: %{text} KPIs have a value<extra></extra>",
        )
    )  # fmt: skip
    top = int(months["of"].max()) if len(months) else 1
    fig.update_yaxes(title="KPIs with a value", range=[0, top * 1.15], rangemode="tozero")
    fig.update_xaxes(type="category", title=None)
    fig.update_layout(showlegend=False)
    return fig


def coverage_table(months: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Month": [month_label(p) for p in months["period"]],
            "KPIs with a value": months["kpis"],
            "KPIs known": months["of"],
        }
    )


def compared(stored: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """A row per month in either: the stored value, the file's value, and what the file does to it:
    'new', 'changed', 'unchanged' or 'not in this file', by the same rule as the preview table and
    the History page (`domain.changes`: value, missing-value mark or target).

    `stored` and `incoming`: period and value (missing: a mark such as 'n/a'), and optionally
    missing_mark and target; a field only one side gives is not compared."""
    fields = [f for f in OBSERVATION_FIELDS if f != "value" and f in stored.columns and f in incoming.columns]

    def by_month(frame: pd.DataFrame, side: str) -> pd.DataFrame:
        months = pd.to_datetime(frame["period"]).dt.to_period("M").dt.to_timestamp()
        out = pd.DataFrame({"period": months, side: pd.to_numeric(frame["value"], errors="coerce")})
        for name in fields:
            out[f"{side}.{name}"] = frame[name].to_numpy()
        return out

    both = by_month(stored, "stored").merge(by_month(incoming, "incoming"), on="period", how="outer", indicator=True)

    def differs(row: pd.Series) -> bool:
        def side(prefix: str) -> dict[str, object]:  # domain.changes reads NaN and NA as "nothing"
            return {"value": row[prefix], **{name: row[f"{prefix}.{name}"] for name in fields}}

        return observation_changed(side("stored"), side("incoming"))

    effect = pd.Series("not in this file", index=both.index, dtype="str")
    effect[both["_merge"] == "right_only"] = "new"
    present = both["_merge"] == "both"
    if present.any():
        changed = both[present].apply(differs, axis=1).astype(bool)
        effect[present] = changed.map({True: "changed", False: "unchanged"})
    extra = [f"{side}.{name}" for side in ("stored", "incoming") for name in fields]
    return (
        both.assign(effect=effect)
        .drop(columns=["_merge", *extra])
        .sort_values("period", kind="stable")
        .reset_index(drop=True)
    )


def comparison_table(rows: pd.DataFrame, unit: str) -> pd.DataFrame:
    """`compared` as the uploader reads it."""
    return pd.DataFrame(
        {
            "Month": [month_label(p) for p in rows["period"]],
            STORED: [format_value(v, unit) if pd.notna(v) else "" for v in rows["stored"]],
            INCOMING: [format_value(v, unit) if pd.notna(v) else "" for v in rows["incoming"]],
            "What the file does": rows["effect"],
        }
    )


def file_against_stored(rows: pd.DataFrame, *, name: str, unit: str, large: bool = False) -> go.Figure:
    """The stored series as a grey line, the file's values as blue diamonds, changed months in orange."""
    fig = go.Figure()
    apply_layout(fig, title=wrap(f"{name}: this file beside what is stored", 70), large=large, height=420)
    stored = rows[rows["stored"].notna()]
    fig.add_trace(
        go.Scatter(
            x=stored["period"], y=stored["stored"], name=STORED, mode="lines+markers",
            line={"color": NO_TARGET, "width": 2}, marker={"symbol": "circle", "size": 7, "color": NO_TARGET},
            hovertemplate="%{x|%b %Y}: %{y}<extra>" + STORED + "</extra>",
        )
    )  # fmt: skip
    incoming = rows[rows["incoming"].notna() & (rows["effect"] != "changed")]
    fig.add_trace(
        go.Scatter(
            x=incoming["period"], y=incoming["incoming"], name=INCOMING, mode="markers",
            marker={"symbol": "diamond", "size": 9, "color": PALETTE[0]},
            hovertemplate="%{x|%b %Y}: %{y}<extra>" + INCOMING + "</extra>",
        )
    )  # fmt: skip
    changed = rows[rows["effect"] == "changed"]
    if not changed.empty:
        fig.add_trace(
            go.Scatter(
                x=changed["period"], y=changed["incoming"], name=CHANGED, mode="markers",
                marker={"symbol": "x", "size": 11, "color": OFF_TARGET},
                customdata=changed["stored"],
                hovertemplate="%{x|%b %Y}: %{customdata} → %{y}<extra>" + CHANGED + "</extra>",
            )
        )  # fmt: skip
    fig.update_xaxes(tickformat="%b %Y", title=None)
    fig.update_yaxes(title="Per cent" if unit.strip() == "%" else unit or "Value")
    return fig
