"""The words and tables that explain the benchmark charts: pure functions, DataFrames in, text out.

A figure is shown as DfE's data dictionary says (its decimal places), and every comparison is said
in words (better or worse by the measure's direction), so the page never rests on a chart alone.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from domain.dates import long_month_label

QUARTILE_WORDS = {
    1: "in the best quarter of councils (band A)",
    2: "in the second-best quarter of councils (band B)",
    3: "in the third quarter of councils (band C)",
    4: "in the worst quarter of councils (band D)",
}


# ---------------------------------------------------------------- numbers and words


def missing(value: object) -> bool:
    """No figure: None, pandas' NA or NaN (DfE's suppressed and not-published values arrive as these)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt(value: object, dps: object = None) -> str:
    """A figure as the dictionary says to show it (dps decimals); otherwise up to 2 decimals, or 3
    significant digits for small values (0.00371)."""
    if missing(value):
        return "not available"
    number = float(value)  # type: ignore[arg-type]
    if not missing(dps):
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
    if missing(other):
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
    if missing(last["quartile"]):
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
    if isinstance(value, pd.Timestamp | date) and not missing(value):
        return long_month_label(value)
    return str(text) if text and not missing(text) else "not stated"


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
