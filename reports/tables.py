"""Tables and sentences a board reads, built from query results: no Streamlit, checked by mypy.

Pages show these on screen and the exports reuse them, so the wording of a rating, a KPI status
or an overdue action is the same wherever it appears. Text here is not Markdown-escaped: the page
that renders it as Markdown escapes it (`ui.display.plain`).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from domain.dates import month_label, period_label
from domain.kpi_status import status
from domain.numbers import format_value
from domain.rag import RAG_LABELS, rating_code, rating_text


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


def delivery_sentences(gaps: pd.DataFrame) -> list[str]:
    """`delivery_vs_impact` said plainly, one sentence per action (not yet Markdown-escaped), e.g.
    'Action 6.4 is Dark Green, but Care leavers NEET is off target: 53.4% in Dec 2016 against a target of 30%.'"""
    sentences = []
    for ref, rows in gaps.groupby("action_ref", sort=False):
        done = "Completed" if rows["rating"].iloc[0] == "C" else "Dark Green"
        parts = []
        for _, row in rows[rows["concern"] == "off target"].iterrows():
            when = month_label(row["latest_period"])
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
    """The numbers behind `rag_timeline`: each review with its label, the rating by name, and whether
    the rating (or its month) is inferred rather than printed."""
    table = pd.DataFrame(
        {
            "Period": [period_label(p, lab) for p, lab in zip(history["period"], history["label"], strict=True)],
            "Rating": [RAG_LABELS[rating_code(r)] for r in history["rating"]],
        }
    )
    if "estimate_note" in history.columns:
        table["Note"] = history["estimate_note"].fillna("").tolist()
    return table


def trend_caption(kpi: pd.Series, series: pd.DataFrame, *, dotted: bool) -> str:
    """What a KPI trend chart shows, in words, including how sparse it is and where it stands.

    `dotted`: the chart joins some observations with a dotted line (a long gap with no data)."""
    observed = series[series["value"].notna()]
    better = "higher" if kpi["polarity"] == "higher" else "lower"
    if observed.empty:
        return f"{kpi['name']}: no observations yet. {better.capitalize()} is better."
    first, last = month_label(observed["period"].iloc[0]), month_label(observed["period"].iloc[-1])
    unit = str(kpi["unit"])
    text = f"{kpi['name']} ({better} is better): {len(observed)} observation(s)"
    text += f" from {first} to {last}." if len(observed) > 1 else f" in {last}."
    text += f" Latest {format_value(observed['value'].iloc[-1], unit)}"
    if pd.notna(kpi["target"]) and pd.notna(kpi["on_target"]):
        state = "on" if bool(kpi["on_target"]) else "off"
        text += f", {state} target (target {format_value(kpi['target'], unit)}, dashed line)."
    else:
        text += "; no numeric target is set."
    if dotted:
        text += " A dotted line means no data was reported in between; it is not a measured trend."
    return text


def kpi_status_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`kpi_status` as a board reads it: latest and previous values with months, target, status."""

    def when(value: object, period: object) -> str:
        return "" if pd.isna(value) else f"{format_value(value, unit)} ({month_label(period)})"  # type: ignore[call-overload]

    rows = []
    for _, row in frame.iterrows():
        unit = row["unit"]
        rows.append(
            {
                "KPI": row["name"],
                "Better": row["polarity"],
                "Latest": when(row["latest_value"], row["latest_period"]) or "No data",
                "Previous": when(row["previous_value"], row["previous_period"]) or "None",
                "Target": format_value(row["target"], unit) if pd.notna(row["target"]) else "None set",
                "Status": status(row["latest_value"], row["target"], row["polarity"]),
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


def inferred_ratings_text(notes: pd.DataFrame, periods: tuple[date, date]) -> str:
    """Which ratings counted for these two periods the source implies rather than prints ('' if none).

    `notes` is `store.estimates.estimate_notes(conn, "rating")`.
    """
    months = pd.to_datetime(notes["period"]).dt.date
    mine = notes[months.isin(periods)].assign(month=months)
    if mine.empty:
        return ""
    refs = sorted(set(mine["ref"]), key=lambda ref: [int(p) if p.isdigit() else 0 for p in str(ref).split(".")])
    count = len(mine)
    return (
        f"{count} of the ratings counted here {'is' if count == 1 else 'are'} inferred rather than printed in the "
        f"source (actions {', '.join(map(str, refs))}); each action's timeline gives the reason."
    )
