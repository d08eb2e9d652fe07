"""The board pack's content for two reporting periods, gathered from store queries into plain data.

Everything the Excel and PDF writers print comes from here, so both formats (and the page's
preview) show the same numbers: Table 1, the actions whose rating changed and the actions Red or
Amber per priority, the new and the overdue actions, the KPIs with their status and commentary,
and a draft narrative per priority (or the officer's edited one).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from domain.dates import month_label
from domain.kpi_status import STATUSES, status_from_flag
from domain.rag import ADDED, MOVED
from reports import narrative
from store import commentary
from store.db import now_utc
from store.estimates import estimate_notes
from store.plan_queries import actions_at, kpi_series_all, kpi_status, movement, priorities, rag_table, table1
from store.queries import headline, reporting_periods, setting
from store.spc_summary import spc_summary

ACTION_COLUMNS = ["action_ref", "ofsted_ref", "description", "previous", "current"]


class PackError(ValueError):
    """The pack cannot be built for the periods asked for; the text says why and what to choose."""


@dataclass(frozen=True)
class PriorityPart:
    priority: int
    title: str
    changed: pd.DataFrame  # ACTION_COLUMNS + movement: rating moved up, down or to Completed
    red_amber: pd.DataFrame  # ACTION_COLUMNS: rated Red or Amber at the current period
    draft: str  # generated from the figures
    narrative: str  # the officer's saved or edited text, else the draft


@dataclass(frozen=True)
class BoardPack:
    council_name: str
    council_code: str
    period: date
    compare: date
    generated_at: datetime  # UTC
    headline: dict[str, int]
    table1: pd.DataFrame  # the report's Table 1: Priority, then '<Rating> <Mon YYYY>' counts, Totals row
    counts: pd.DataFrame  # rag_table(): priority, title, rating, period, actions (long form, for charts)
    moves: pd.DataFrame  # movement() for every action in either period
    priorities: list[PriorityPart]
    new_actions: pd.DataFrame  # priority, action_ref, description, current
    overdue: pd.DataFrame  # priority, action_ref, description, lead, timescale_text, timescale_month, current
    kpis: pd.DataFrame  # one row per KPI: latest value, target, status, commentary
    kpi_series: dict[str, pd.DataFrame] = field(default_factory=dict)  # kpi_code -> period, value, target
    spc: pd.DataFrame = field(default_factory=pd.DataFrame)  # store.spc_summary up to the period
    estimates: pd.DataFrame = field(default_factory=pd.DataFrame)  # what / period / note: see `pack_estimates`

    @property
    def period_label(self) -> str:
        return month_label(self.period)

    @property
    def compare_label(self) -> str:
        return month_label(self.compare)

    @property
    def headline_text(self) -> str:
        return narrative.headline(self.headline, self.period_label)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts, for writers that go row by row."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def available_periods(conn: duckdb.DuckDBPyConnection) -> list[date]:
    """Reporting periods with ratings, oldest first."""
    return [pd.Timestamp(p).date() for p in reporting_periods(conn)["period"]]


def default_periods(conn: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """(latest period, the one before it), or None when fewer than two periods are stored."""
    periods = available_periods(conn)
    return (periods[-1], periods[-2]) if len(periods) >= 2 else None


def check_periods(conn: duckdb.DuckDBPyConnection, period: date, compare: date) -> None:
    """Raise PackError unless both periods hold ratings and `compare` comes before `period`."""
    periods = available_periods(conn)
    known = ", ".join(f"{p:%Y-%m}" for p in periods) or "none"
    for name, month in (("period", period), ("comparison period", compare)):
        if month not in periods:
            raise PackError(f"The {name} {month:%Y-%m} has no ratings in the store; periods with ratings: {known}.")
    if compare >= period:
        raise PackError(f"The comparison period ({compare:%Y-%m}) must come before the period ({period:%Y-%m}).")


def _with_ratings(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={"from_rating": "previous", "to_rating": "current"})


def build(
    conn: duckdb.DuckDBPyConnection,
    period: date,
    compare: date,
    narratives: dict[int, str] | None = None,
) -> BoardPack:
    """Gather the pack. `narratives` (priority -> text) override the saved ones, which override drafts."""
    check_periods(conn, period, compare)
    council_code = setting(conn, "council_code")
    counts = rag_table(conn, compare, period)
    labels = (month_label(compare), month_label(period))
    moves = movement(conn, compare, period)
    at_period = actions_at(conn, period)
    details = at_period[["action_ref", "ofsted_ref", "lead", "timescale_text", "timescale_month"]]
    moves = moves.merge(details, on="action_ref", how="left")
    overdue = at_period[at_period["overdue"]].rename(columns={"rating": "current"})
    saved = commentary.current_narratives(conn, period, compare)
    chosen = {**saved, **(narratives or {})}
    parts = []
    for row in priorities(conn).to_dict("records"):
        number = int(row["priority"])
        mine = moves[moves["priority"] == number]
        draft = narrative.draft(mine, list(overdue.loc[overdue["priority"] == number, "action_ref"]), *labels)
        changed = _with_ratings(mine[mine["movement"].isin(MOVED)])
        red_amber = _with_ratings(mine[mine["to_rating"].isin(["R", "A"])])
        parts.append(
            PriorityPart(
                priority=number,
                title=str(row["title"] or ""),
                changed=changed[[*ACTION_COLUMNS, "movement"]].reset_index(drop=True),
                red_amber=red_amber[ACTION_COLUMNS].reset_index(drop=True),
                draft=draft,
                narrative=chosen.get(number, draft),
            )
        )
    new = _with_ratings(moves[moves["movement"].isin(ADDED)])
    kpis, series = _kpis(conn, council_code, period)
    return BoardPack(
        council_name=setting(conn, "council_name"),
        council_code=council_code,
        period=period,
        compare=compare,
        generated_at=now_utc(),
        headline=headline(conn, period),
        table1=table1(counts, *labels),
        counts=counts,
        moves=moves,
        priorities=parts,
        new_actions=new[["priority", "action_ref", "description", "current"]].reset_index(drop=True),
        overdue=overdue[
            ["priority", "action_ref", "description", "lead", "timescale_text", "timescale_month", "current"]
        ].reset_index(drop=True),
        kpis=kpis,
        kpi_series=series,
        spc=spc_summary(conn, council_code, period),
        estimates=pack_estimates(estimate_notes(conn), kpis, compare, period, council_code),
    )


def pack_estimates(notes: pd.DataFrame, kpis: pd.DataFrame, compare: date, period: date, la_code: str) -> pd.DataFrame:
    """What in the pack is inferred or estimated rather than printed or measured, in words.

    `notes` is `store.estimates.estimate_notes`: the ratings of the two periods, every action, and the
    council's KPI values up to `period`. Columns: What, Month ('' for an action), Note.
    """
    names = dict(zip(kpis["kpi_code"], kpis["name"], strict=True)) if len(kpis) else {}
    months = pd.to_datetime(notes["period"])
    rows: list[dict[str, str]] = []
    for row, month in zip(notes.to_dict("records"), months, strict=True):
        subject, ref = row["subject"], str(row["ref"])
        if subject == "rating" and month.date() in (compare, period):
            what = f"Rating of action {ref}"
        elif subject == "action":
            what = f"Action {ref}"
        elif subject == "observation" and str(row["la_code"]) == la_code and month.date() <= period:
            what = f"KPI: {names.get(ref, ref)}"
        else:
            continue
        rows.append({"What": what, "Month": "" if pd.isna(month) else month_label(month), "Note": str(row["note"])})
    return pd.DataFrame(rows, columns=["What", "Month", "Note"])


def with_narratives(pack: BoardPack, narratives: dict[int, str]) -> BoardPack:
    """The same pack with officers' unsaved wording per priority, stamped with the time of export."""
    parts = [replace(p, narrative=narratives.get(p.priority, p.narrative)) for p in pack.priorities]
    return replace(pack, priorities=parts, generated_at=now_utc())


def _kpis(
    conn: duckdb.DuckDBPyConnection, council_code: str, period: date
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    status = kpi_status(conn, council_code, period)
    status["status"] = [
        status_from_flag(flag, value) for flag, value in zip(status["on_target"], status["latest_value"], strict=True)
    ]
    notes = commentary.kpi_commentary(conn, period)[["kpi_code", "text", "saved_by", "saved_at"]]
    status = status.merge(notes.rename(columns={"text": "commentary"}), on="kpi_code", how="left")
    status["commentary"] = status["commentary"].fillna("")
    order = {word: rank for rank, word in enumerate(STATUSES)}
    status = status.sort_values(["status", "name"], key=lambda c: c.map(order) if c.name == "status" else c)
    status = status.reset_index(drop=True)
    every = kpi_series_all(conn, council_code)
    every = every[(pd.to_datetime(every["period"]) <= pd.Timestamp(period)) & every["value"].notna()]
    series = {
        str(code): frame[["period", "value", "target", "unit", "polarity"]].reset_index(drop=True)
        for code, frame in every.groupby("kpi_code", sort=False)
    }
    return status, series
