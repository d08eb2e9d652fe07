"""Everything the overview page shows for a pair of periods, worked out once per data version.

The page only renders what `build` returns: a rerun that changes nothing (a board member
scrolling, a tab switch) costs one cache lookup and the elements themselves. The result is
shared between sessions and must never be changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from charts.rag import (
    movement_cells,
    movement_matrix,
    movement_summary,
    movement_table,
    rag_by_priority,
    rag_counts_table,
)
from domain.rag import RAG_NAMES
from reports.spc_tables import trajectory_sentences
from reports.tables import actions_table, delivery_sentences, inferred_ratings_text
from store.estimates import estimate_notes
from store.plan_queries import actions_at, overview, table1
from store.queries import reporting_periods
from store.trajectories import kpi_trajectories
from ui.display import plain, safe_table
from ui.figure_cache import frozen
from ui.pickers import period_labels
from ui.tiles import Tile, tile_text


@dataclass(frozen=True)
class Chart:
    figure: go.Figure
    caption: str
    table: pd.DataFrame
    file_name: str


@dataclass(frozen=True)
class Comparison:
    """What only two different periods have: Table 1 and the movement between them."""

    rag_chart: Chart
    table1: pd.DataFrame
    table1_shown: pd.DataFrame
    table1_note: str  # which counted ratings are inferred rather than printed ('' when none)
    movement_text: str
    movement_summary: Chart
    movement_matrix: Chart
    moved: pd.DataFrame
    movement_listing: pd.DataFrame
    held: int


@dataclass(frozen=True)
class OverviewModel:
    before: str
    now: str
    counts: dict[str, int]
    compared: Comparison | None  # None when both periods are the same
    red_amber: pd.DataFrame
    overdue: pd.DataFrame
    tiles: list[Tile]
    kpis_with_data: int
    kpis_without_data: int
    kpis_off_target: int
    gap_actions: int
    gap_sentences: list[str]
    gaps: pd.DataFrame
    off_course: list[str]  # Dark Green or Completed, but a linked KPI will not reach its target in time


def build(conn: duckdb.DuckDBPyConnection, previous: date, current: date, la_code: str, large: bool) -> OverviewModel:
    """The overview of `current` against `previous` (earlier first) for the council `la_code`."""
    labels = period_labels(reporting_periods(conn))
    before, now = labels[previous], labels[current]
    data = overview(conn, previous, current, la_code)
    span = f"{previous:%Y-%m}-{current:%Y-%m}"

    compared = None if previous == current else _comparison(data, labels, before, now, span, large)
    if compared is not None:
        note = inferred_ratings_text(estimate_notes(conn, "rating"), (previous, current))
        compared = replace(compared, table1_note=plain(note))
    status = data["kpi_status"]
    with_data = status[status["latest_value"].notna()]
    off = with_data["on_target"].astype("boolean").eq(False).fillna(False).astype(bool)
    gaps = data["delivery_vs_impact"]
    return OverviewModel(
        before=before,
        now=now,
        counts=data["headline"],
        red_amber=actions_table(data["red_amber"]),
        overdue=actions_table(data["overdue"]),
        compared=compared,
        tiles=[tile_text(row) for _, row in with_data.iterrows()],
        kpis_with_data=len(with_data),
        kpis_without_data=len(status) - len(with_data),
        kpis_off_target=int(off.sum()),
        gap_actions=int(gaps["action_ref"].nunique()),
        gap_sentences=[plain(sentence) for sentence in delivery_sentences(gaps)],
        off_course=[plain(t) for t in _off_course(conn, current, la_code)],
        gaps=gaps[["action_ref", "rating", "kpi_code", "name", "latest_value", "latest_period", "target", "concern"]],
    )


def _off_course(conn: duckdb.DuckDBPyConnection, current: date, la_code: str) -> list[str]:
    """Delivered actions whose linked KPI, at its recent rate, does not reach its target by their timescale."""
    ratings = actions_at(conn, current)
    rated = dict(zip(ratings["action_ref"], ratings["rating"], strict=True))
    return trajectory_sentences(kpi_trajectories(conn, la_code, current), rated)


def _comparison(
    data: dict[str, Any], labels: dict[date, str], before: str, now: str, span: str, large: bool
) -> Comparison:
    chart_counts = data["chart_counts"]
    table = table1(data["rag_table"], before, now)
    totals = table.iloc[-1]
    shown = table.set_index("Priority")
    shown.columns = pd.MultiIndex.from_tuples([(name, label) for name in RAG_NAMES.values() for label in (before, now)])
    rag_chart = Chart(
        frozen(rag_by_priority(chart_counts, labels, large=large)),
        f"Each priority has two bars: {before} above {now}. Segments run Red, Amber, Light Green, Dark Green, "
        f"Completed (then New, not yet rated) and are labelled with the rating and the number of actions; "
        f"the figure at the end of each bar is its total. Dark Green went from {totals[f'Dark Green {before}']} "
        f"to {totals[f'Dark Green {now}']} and Completed from {totals[f'Completed {before}']} "
        f"to {totals[f'Completed {now}']}.",
        rag_counts_table(chart_counts),
        f"rag-by-priority-{span}.csv",
    )

    moves = data["movement"]
    tally = moves["movement"].value_counts()
    listing = movement_table(moves, before, now)
    summary = Chart(
        frozen(movement_summary(moves, large=large)),
        "How many actions improved (moved up the scale Red, Amber, Light Green, Dark Green, Completed), "
        "held their rating, slipped back, were completed, or were rated for the first time.",
        tally.rename_axis("Movement").rename("Actions").reset_index(),
        f"movement-summary-{span}.csv",
    )
    matrix = Chart(
        frozen(movement_matrix(moves, before, now, large=large)),
        f"Rows are the rating in {before}, columns the rating in {now}. Numbers marked ▲ (blue) improved, "
        "▼ (orange) slipped; the grey diagonal held its rating.",
        movement_cells(moves).rename(
            columns={"from_code": f"Rating {before}", "to_code": f"Rating {now}", "actions": "Actions"}
        ),
        f"movement-matrix-{span}.csv",
    )

    return Comparison(
        rag_chart=rag_chart,
        table1=table,
        table1_shown=safe_table(shown),
        table1_note="",
        movement_text=plain(
            "; ".join(f"{int(n)} {m}" for m, n in tally.items()) + "." if len(tally) else "No actions in either period."
        ),
        movement_summary=summary,
        movement_matrix=matrix,
        moved=listing[listing["Movement"] != "held"],
        movement_listing=listing,
        held=int((moves["movement"] == "held").sum()),
    )
