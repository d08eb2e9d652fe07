"""Shared widgets and display helpers for the board pages (the only Streamlit code besides pages)."""

from __future__ import annotations

import hashlib
import importlib
import pickle
import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.kpi import kpi_trend, long_gaps, status_text, trend_table
from charts.style import RAG_LABELS, format_value, period_label, rating_code
from reports.safe_text import to_safe_csv

T = TypeVar("T")
RAG_BADGE = {"R": "🔴", "A": "🟠", "LG": "🟢", "DG": "🟩", "C": "🔵", "TBC": "⚪"}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")


def plain(text: object) -> str:
    """Text from data made inert for Streamlit's Markdown (no links, emphasis, maths or headings)."""
    return _MARKDOWN.sub(r"\\\1", "" if text is None else str(text))


def rating_text(value: object) -> str:
    """'🟠 Amber', '⚪ New (TBC)': the rating's name always beside its colour."""
    code = rating_code(value)
    return f"{RAG_BADGE[code]} {RAG_LABELS[code]}"


# ---------------------------------------------------------------- memoised pure work

# A rerun of a cached page must stay under 50 ms; building plotly figures, CSV bytes and display
# tables from the same frames again is most of that. These remember the result per input frame.


def _fingerprint(frame: pd.DataFrame) -> str:
    """A frame's cache key: hashing its pickle is ten times faster than Streamlit's default for these frames."""
    return hashlib.md5(pickle.dumps(frame, protocol=5), usedforsecurity=False).hexdigest()


_FAST = {pd.DataFrame: _fingerprint}


class _FrozenFigure(go.Figure):
    """A shared, never-mutated figure whose dict form is worked out once.

    `st.plotly_chart` calls `to_dict()` (a deep copy plus array encoding) on every rerun; for a
    figure that cannot change that work is the same each time, so it is kept.
    """

    def to_dict(self) -> dict[str, Any]:
        frozen: dict[str, Any] | None = self.__dict__.get("_frozen_dict")
        if frozen is None:
            frozen = super().to_dict()
            self.__dict__["_frozen_dict"] = frozen
        return frozen


def frozen(fig: go.Figure) -> go.Figure:
    """`fig`, from now on shared and never changed: its dict form is worked out once."""
    fig.__class__ = _FrozenFigure
    return fig


@st.cache_resource(max_entries=512, show_spinner=False, hash_funcs=_FAST)
def _figure(module: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> go.Figure:
    return frozen(getattr(importlib.import_module(module), name)(*args, **dict(kwargs)))


def figure(builder: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """`builder(*args, **kwargs)`, built once per distinct input and shared read-only (never mutate it)."""
    return _figure(builder.__module__, builder.__qualname__, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=1024, show_spinner=False, hash_funcs=_FAST)
def _result(module: str, name: str, args: tuple[Any, ...]) -> Any:
    return getattr(importlib.import_module(module), name)(*args)


def clear_memos() -> None:
    _figure.clear()
    _result.clear()


def memo(function: Callable[..., T], *args: Any) -> T:
    """A pure function's result (a frame, text, bytes), computed once per distinct input."""
    result: T = _result(function.__module__, function.__qualname__, args)
    return result


# ---------------------------------------------------------------- periods


def period_labels(periods: pd.DataFrame) -> dict[date, str]:
    """{date: 'Nov 2016' or 'Initial (Sep 2015)'} for `reporting_periods` rows, oldest first."""
    return {_as_date(p): period_label(p, lab) for p, lab in zip(periods["period"], periods["label"], strict=True)}


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def period_pair(prefix: str, periods: pd.DataFrame) -> tuple[date, date]:
    """Two period pickers, defaulting to the one before the latest and the latest; earlier first."""
    labels = period_labels(periods)
    options = sorted(labels)
    left, right = st.columns(2)
    previous = left.selectbox(
        "Compare",
        options,
        index=max(len(options) - 2, 0),
        format_func=labels.__getitem__,
        key=f"{prefix}.previous",
        persist_state="session",
    )
    current = right.selectbox(
        "with",
        options,
        index=len(options) - 1,
        format_func=labels.__getitem__,
        key=f"{prefix}.current",
        persist_state="session",
    )
    assert previous is not None and current is not None
    if previous == current:
        st.warning("Both pickers show the same period: choose two different ones to see any movement.")
    if previous > current:
        previous, current = current, previous
        st.info(f"Shown as {labels[previous]} against {labels[current]}: earlier period first.")
    return previous, current


def single_period(prefix: str, periods: pd.DataFrame, label: str = "Ratings as at") -> date:
    """One period picker defaulting to the latest."""
    labels = period_labels(periods)
    options = sorted(labels)
    chosen = st.selectbox(
        label,
        options,
        index=len(options) - 1,
        format_func=labels.__getitem__,
        key=f"{prefix}.period",
        persist_state="session",
    )
    assert chosen is not None
    return chosen


# ---------------------------------------------------------------- charts and tables


def show_chart(fig: go.Figure, *, caption: str, table: pd.DataFrame, file_name: str, key: str) -> None:
    """A chart with its plain-English caption, a table view of its numbers and a CSV download."""
    chart_tab, table_tab = st.tabs(["Chart", "Table"], key=f"{key}.view")
    with chart_tab:
        st.plotly_chart(fig, theme=None, key=f"{key}.chart", config={"displaylogo": False}, alt=caption)
    with table_tab:
        st.dataframe(table, hide_index=True)
    st.caption(plain(caption))
    download(table, file_name, key=key)


def safe_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` for `st.table` (which renders Markdown in cells): every text cell, index entry and
    heading Markdown-escaped."""
    shown = frame.copy()
    if not pd.api.types.is_numeric_dtype(shown.index):
        shown.index = pd.Index([plain(v) for v in shown.index], name=shown.index.name)
    if isinstance(shown.columns, pd.MultiIndex):
        shown.columns = pd.MultiIndex.from_tuples([tuple(plain(p) for p in c) for c in shown.columns])
    else:
        shown.columns = [plain(c) for c in shown.columns]
    for column in shown.columns:
        if not pd.api.types.is_numeric_dtype(shown[column]):
            shown[column] = shown[column].map(plain)
    return shown


def download(table: pd.DataFrame, file_name: str, *, key: str, label: str = "Download these numbers (CSV)") -> None:
    """A CSV of `table`, formula injection neutralised, built only when the button is clicked."""
    st.download_button(
        label,
        data=lambda: to_safe_csv(table),
        file_name=file_name,
        mime="text/csv",
        key=f"{key}.csv",
        on_click="ignore",
        icon=":material/download:",
    )


def actions_table(frame: pd.DataFrame, *, with_priority: bool = True) -> pd.DataFrame:
    """Actions as a board reads them: reference, rating by name, what, who, when, how it is measured."""
    out = pd.DataFrame(
        {
            "Action": frame["action_ref"],
            "Rating": [rating_text(r) for r in frame["rating"]],
            "Overdue": ["Overdue" if o else "" for o in frame["overdue"]],
            "Ofsted": frame["ofsted_ref"].fillna(""),
            "Description": frame["description"].fillna(""),
            "Lead": frame["lead"].fillna("Not recorded"),
            "Timescale": frame["timescale_shown"].fillna("Not recorded")
            if "timescale_shown" in frame
            else frame["timescale_text"].fillna("Not recorded"),
            "Success measure": frame["success_measures"].fillna(""),
        }
    )
    if with_priority:
        out.insert(1, "Priority", frame["priority"].astype(str) + ". " + frame["priority_title"].fillna(""))
    return out


ACTION_COLUMNS = {
    "Action": st.column_config.TextColumn(width="small", pinned=True),
    "Priority": st.column_config.TextColumn(width="medium"),
    "Rating": st.column_config.TextColumn(width="small"),
    "Overdue": st.column_config.TextColumn(width="small"),
    "Ofsted": st.column_config.TextColumn(width="small"),
    "Description": st.column_config.TextColumn(width="large"),
    "Lead": st.column_config.TextColumn(width="medium"),
    "Timescale": st.column_config.TextColumn(width="small"),
    "Success measure": st.column_config.TextColumn(width="large"),
}


def delivery_sentences(gaps: pd.DataFrame) -> list[str]:
    """`delivery_vs_impact` said plainly, one sentence per action (not yet Markdown-escaped), e.g.
    'Action 6.4 is Dark Green, but Care leavers NEET is off target: 53.4% in Dec 2016 against a target of 30%.'"""
    sentences = []
    for ref, rows in gaps.groupby("action_ref", sort=False):
        done = "Completed" if rows["rating"].iloc[0] == "C" else "Dark Green"
        parts = []
        for _, row in rows[rows["concern"] == "off target"].iterrows():
            when = f"{pd.Timestamp(row['latest_period']):%b %Y}"
            parts.append(
                f"{row['name']} is off target: {format_value(row['latest_value'], row['unit'])} in {when} "
                f"against a target of {format_value(row['target'], row['unit'])}"
            )
        silent = rows[rows["concern"] != "off target"]
        if len(silent) == 1:
            parts.append(f"{silent['name'].iloc[0]} has {silent['concern'].iloc[0]}")
        elif len(silent) > 1:
            parts.append(f"{len(silent)} linked KPIs have no recent data ({'; '.join(silent['name'])})")
        sentences.append(f"Action {ref} is {done}, but " + ", and ".join(parts) + ".")
    return sentences


def timeline_table(history: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind `rag_timeline`: each review with its label and the rating by name."""
    return pd.DataFrame(
        {
            "Period": [period_label(p, lab) for p, lab in zip(history["period"], history["label"], strict=True)],
            "Rating": [RAG_LABELS[rating_code(r)] for r in history["rating"]],
        }
    )


def trend_caption(kpi: pd.Series, series: pd.DataFrame) -> str:
    """What a KPI trend chart shows, in words, including how sparse it is and where it stands."""
    observed = series[series["value"].notna()]
    better = "higher" if kpi["polarity"] == "higher" else "lower"
    if observed.empty:
        return f"{kpi['name']}: no observations yet. {better.capitalize()} is better."
    first, last = pd.Timestamp(observed["period"].iloc[0]), pd.Timestamp(observed["period"].iloc[-1])
    unit = str(kpi["unit"])
    text = f"{kpi['name']} ({better} is better): {len(observed)} observation(s)"
    text += f" from {first:%b %Y} to {last:%b %Y}." if len(observed) > 1 else f" in {last:%b %Y}."
    text += f" Latest {format_value(observed['value'].iloc[-1], unit)}"
    if pd.notna(kpi["target"]) and pd.notna(kpi["on_target"]):
        state = "on" if bool(kpi["on_target"]) else "off"
        text += f", {state} target (target {format_value(kpi['target'], unit)}, dashed line)."
    else:
        text += "; no numeric target is set."
    if long_gaps(series):
        text += " A dotted line means no data was reported in between; it is not a measured trend."
    return text


def kpi_status_table(status: pd.DataFrame) -> pd.DataFrame:
    """`kpi_status` as a board reads it: latest and previous values with months, target, status."""

    def when(value: object, period: object) -> str:
        return "" if pd.isna(value) else f"{format_value(value, unit)} ({pd.Timestamp(period):%b %Y})"  # type: ignore[call-overload, arg-type]

    rows = []
    for _, row in status.iterrows():
        unit = row["unit"]
        rows.append(
            {
                "KPI": row["name"],
                "Better": row["polarity"],
                "Latest": when(row["latest_value"], row["latest_period"]) or "No data",
                "Previous": when(row["previous_value"], row["previous_period"]) or "None",
                "Target": format_value(row["target"], unit) if pd.notna(row["target"]) else "None set",
                "Status": status_text(row["latest_value"], row["target"], row["polarity"]),
                "Actions": row["actions"],
            }
        )
    return pd.DataFrame(rows)


def benchmark_lines(benchmarks: pd.DataFrame, unit: str) -> list[str]:
    """'England 2016: 49%' for each comparator row (label, value, year_label)."""
    return [
        f"{label} {year}: {format_value(value, unit)}"
        for label, value, year in zip(benchmarks["label"], benchmarks["value"], benchmarks["year_label"], strict=True)
    ]


def kpi_chart(
    kpi: pd.Series, series: pd.DataFrame, *, key: str, large: bool, benchmarks: pd.DataFrame | None = None
) -> None:
    """One KPI's trend against its target (and published comparators, if given), with table and CSV."""
    show_chart(
        figure(
            kpi_trend,
            series,
            name=kpi["name"],
            unit=kpi["unit"],
            polarity=kpi["polarity"],
            target=kpi["target"],
            benchmarks=benchmarks,
            large=large,
        ),
        caption=trend_caption(kpi, series),
        table=memo(trend_table, series, kpi["unit"], kpi["polarity"]),
        file_name=f"kpi-{kpi['kpi_code']}.csv",
        key=key,
    )
