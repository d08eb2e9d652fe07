"""Versioned, all-or-nothing writes. Nothing here updates or deletes a row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import duckdb
import pandas as pd

from domain.changes import change_kind_sql, observation_differs_sql, rating_differs_sql
from loaders.model import Parsed
from store.db import transaction
from store.estimates import store_estimates
from store.submission import (
    WAIT_SECONDS,
    Actor,
    AuditEntry,
    Header,
    Written,
    begin,
    keep_original,
    refresh_statistics,
    write,
)

Status = Literal["stored", "duplicate", "unchanged", "rejected"]

_ACTION_FIELDS = (
    "priority",
    "ofsted_ref",
    "description",
    "success_measures",
    "lead",
    "timescale_text",
    "note",
)
_KPI_FIELDS = ("name", "unit", "polarity", "target", "actions", "note")


@dataclass
class Changes:
    """What a file would change, per kind of row: new / changed / unchanged counts and the rows."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    observations: pd.DataFrame = field(default_factory=pd.DataFrame)  # changed first, then new; up to the limit
    ratings: pd.DataFrame = field(default_factory=pd.DataFrame)
    observations_by_kpi: pd.DataFrame = field(default_factory=pd.DataFrame)  # every KPI and council in the file

    @property
    def any(self) -> bool:
        return any(c.get("new", 0) + c.get("changed", 0) for c in self.counts.values())


@dataclass
class Outcome:
    status: Status
    message: str
    submission_id: int | None = None
    changes: Changes | None = None


def _frames(parsed: Parsed) -> dict[str, pd.DataFrame]:
    """The parsed data as frames with SQL-friendly types, registered under fixed names."""
    frames: dict[str, pd.DataFrame] = {}
    if parsed.plan is not None:
        actions = parsed.plan.actions.copy()
        actions["timescale_month"] = pd.to_datetime(actions["timescale_month"])
        ratings = parsed.plan.ratings.copy()
        ratings["period"] = pd.to_datetime(ratings["period"])
        ratings["rating"] = ratings["rating"].astype("object").where(ratings["rating"].notna(), None)
        frames["in_priorities"] = parsed.plan.priorities
        frames["in_actions"] = actions
        frames["in_ratings"] = ratings
        frames["in_labels"] = pd.DataFrame(
            {
                "period": pd.to_datetime(list(parsed.plan.period_labels)),
                "label": list(parsed.plan.period_labels.values()),
            }
        )
    if parsed.kpi is not None:
        observations = parsed.kpi.observations.copy()
        observations["period"] = pd.to_datetime(observations["period"])
        observations["value"] = observations["value"].astype("float64")
        observations["target"] = pd.to_numeric(observations["target"], errors="coerce").astype("float64")
        kpis = parsed.kpi.kpis.copy()
        kpis["target"] = pd.to_numeric(kpis["target"], errors="coerce").astype("float64")
        frames["in_kpis"] = kpis
        frames["in_observations"] = observations
    return frames


def _count(cur: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    row = cur.execute(sql).fetchone()
    assert row is not None
    return {
        "new": int(row[0] or 0),
        "changed": int(row[1] or 0),
        "unchanged": int(row[2] or 0),
    }


def _diff_sql(incoming: str, current: str, keys: tuple[str, ...], fields: tuple[str, ...]) -> str:
    on = " AND ".join(f"n.{k} = c.{k}" for k in keys)
    differs = " OR ".join(f"n.{f} IS DISTINCT FROM c.{f}" for f in fields)
    first = keys[0]
    return f"""
        SELECT count(*) FILTER (WHERE c.{first} IS NULL),
               count(*) FILTER (WHERE c.{first} IS NOT NULL AND ({differs})),
               count(*) FILTER (WHERE c.{first} IS NOT NULL AND NOT ({differs}))
        FROM {incoming} n LEFT JOIN {current} c ON {on}"""


_MERGED_ACTIONS = """
    SELECT n.action_ref, n.priority,
           coalesce(nullif(n.ofsted_ref, ''), c.ofsted_ref) AS ofsted_ref,
           coalesce(nullif(n.description, ''), c.description) AS description,
           coalesce(nullif(n.success_measures, ''), c.success_measures) AS success_measures,
           coalesce(nullif(n.lead, ''), c.lead) AS lead,
           coalesce(nullif(n.timescale_text, ''), c.timescale_text) AS timescale_text,
           CASE WHEN nullif(n.timescale_text, '') IS NULL THEN c.timescale_month
                ELSE CAST(n.timescale_month AS DATE) END AS timescale_month,
           CASE WHEN nullif(n.timescale_text, '') IS NULL THEN c.timescale_flag
                ELSE n.timescale_flag END AS timescale_flag,
           n.itemised, n.is_new,
           coalesce(nullif(n.note, ''), c.note) AS note, n.sheet, n.excel_row
    FROM in_actions n LEFT JOIN actions c USING (action_ref)"""


PREVIEW_ROWS = 1000


def changes(conn: duckdb.DuckDBPyConnection, parsed: Parsed, limit: int | None = PREVIEW_ROWS) -> Changes:
    """Compare a checked file with the current data (one consistent snapshot), storing nothing.

    Counts cover every row; the rows themselves stop at `limit` per kind (None: all of them; 0: none,
    and no summary by KPI).
    """
    frames = _frames(parsed)
    snapshot = getattr(conn, "snapshot", None)
    if snapshot is not None:  # PostgreSQL: compare in process, as below, against the rows the file meets
        local = duckdb.connect()
        try:
            for name, table in {**snapshot(_current_rows(frames)), **frames}.items():
                local.register(name, table)
            return _changes(local, frames, limit)
        finally:
            local.close()
    with transaction(conn, frames) as tx:
        tx.keep = False
        return _changes(tx.cursor, frames, limit)


def _current_rows(frames: dict[str, pd.DataFrame]) -> dict[str, tuple[str, list[object]]]:
    """The queries for what `_changes` compares a file with: the plan (small) whole, and the current
    values of the file's KPIs only. Sending these to the preview costs less than sending the file's
    rows to the database (a 100,000-row file: 0.2 s of COPY and ANALYZE before any comparison)."""
    queries: dict[str, tuple[str, list[object]]] = {}
    if "in_actions" in frames:
        for view in ("actions", "priorities", "_current_rating"):
            queries[view] = (f"SELECT * FROM {view}", [])
    if "in_observations" in frames:
        codes = sorted(set(frames["in_kpis"]["kpi_code"]) | set(frames["in_observations"]["kpi_code"]))
        for view in ("kpis", "_current_observation"):
            queries[view] = (f"SELECT * FROM {view} WHERE kpi_code = ANY(?)", [codes])
    return queries


def _changes(
    cur: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame], limit: int | None = PREVIEW_ROWS
) -> Changes:
    rows = "" if limit is None else f"LIMIT {int(limit)}"
    result = Changes()
    if "in_actions" in frames:
        result.counts["actions"] = _count(
            cur,
            _diff_sql(f"({_MERGED_ACTIONS})", "actions", ("action_ref",), _ACTION_FIELDS),
        )
        result.counts["ratings"] = _count(
            cur,
            _diff_sql(
                "(SELECT action_ref, CAST(period AS DATE) AS period, rating FROM in_ratings)",
                "_current_rating",
                ("action_ref", "period"),
                ("rating",),
            ),
        )
        result.counts["priorities"] = _count(
            cur,
            _diff_sql(
                "(SELECT n.priority, coalesce(nullif(n.title, ''), c.title) AS title,"
                " coalesce(nullif(n.outcome, ''), c.outcome) AS outcome"
                " FROM in_priorities n LEFT JOIN priorities c USING (priority))",
                "priorities",
                ("priority",),
                ("title", "outcome"),
            ),
        )
        if limit != 0:  # 0: counts only
            result.ratings = cur.execute(
                f"""SELECT action_ref, period, old_rating, new_rating, change FROM (
                       SELECT n.action_ref, CAST(n.period AS DATE) AS period, c.rating AS old_rating,
                              n.rating AS new_rating, n.excel_row,
                              {change_kind_sql("c.action_ref", rating_differs_sql("n", "c"))} AS change
                       FROM in_ratings n LEFT JOIN _current_rating c
                         ON c.action_ref = n.action_ref AND c.period = CAST(n.period AS DATE)) x
                   ORDER BY change <> 'changed', change <> 'new', excel_row, period {rows}"""
            ).df()
    if "in_observations" in frames:
        result.counts["kpis"] = _count(cur, _diff_sql("in_kpis", "kpis", ("kpi_code",), _KPI_FIELDS))
        observation_diff = """
            FROM (SELECT kpi_code, la_code, CAST(period AS DATE) AS period, value, missing_mark, target,
                         excel_row FROM in_observations) n
            LEFT JOIN _current_observation c USING (kpi_code, la_code, period)"""
        result.counts["observations"] = _count(
            cur,
            f"""SELECT count(*) FILTER (WHERE c.kpi_code IS NULL),
                       count(*) FILTER (WHERE c.kpi_code IS NOT NULL AND {_OBS_DIFFERS}),
                       count(*) FILTER (WHERE c.kpi_code IS NOT NULL AND NOT {_OBS_DIFFERS})
                {observation_diff}""",
        )
        if limit != 0:  # 0: counts only
            result.observations = cur.execute(
                f"""SELECT * FROM (
                        SELECT n.kpi_code, n.la_code, n.period, c.value AS old_value, n.value AS new_value,
                               {change_kind_sql("c.kpi_code", _OBS_DIFFERS)} AS change
                        {observation_diff}) x
                    ORDER BY change <> 'changed', change <> 'new', kpi_code, period {rows}"""
            ).df()
            result.observations_by_kpi = cur.execute(
                f"""SELECT * FROM (
                        SELECT n.kpi_code, n.la_code,
                               count(*) FILTER (WHERE c.kpi_code IS NULL) AS new,
                               count(*) FILTER (WHERE c.kpi_code IS NOT NULL AND {_OBS_DIFFERS}) AS changed,
                               count(*) FILTER (WHERE c.kpi_code IS NOT NULL AND NOT {_OBS_DIFFERS}) AS unchanged,
                               min(n.period) AS first_period, max(n.period) AS last_period
                        {observation_diff}
                        GROUP BY n.kpi_code, n.la_code) x
                    ORDER BY changed = 0, new = 0, kpi_code, la_code"""
            ).df()
    return result


# What "changed" means is domain/changes.py's, so this preview and the History page agree.
_OBS_DIFFERS = observation_differs_sql("n", "c")


def submit(
    conn: duckdb.DuckDBPyConnection,
    parsed: Parsed,
    raw: bytes,
    user: str,
    note: str = "",
    actor: Actor | None = None,
    wait: float = WAIT_SECONDS,
) -> Outcome:
    """Store a checked file as one new submission, in one transaction, or nothing at all.

    With an actor the outcome is written to the audit log ('upload', with the file and its hash).
    """
    detail = f"{parsed.file_name} {parsed.sha256}"
    if not parsed.ok:
        rejected = Outcome("rejected", f"{len(parsed.problems.errors)} problem(s) found; nothing was stored.")
        if actor is not None:
            write(conn, lambda _: Written(rejected, False, AuditEntry("upload", parsed.file_name, "rejected", detail)),
                  actor, wait=wait)  # fmt: skip
        return rejected
    frames = _frames(parsed)

    def body(cur: duckdb.DuckDBPyConnection) -> Written[Outcome]:
        outcome = _submit_in_transaction(cur, parsed, frames, raw, user, note)
        target = parsed.file_name if outcome.submission_id is None else f"submission {outcome.submission_id}"
        entry = AuditEntry("upload", target, outcome.status, detail)
        return Written(outcome, keep=outcome.status == "stored", audit=entry)

    outcome = write(conn, body, actor, frames, wait)
    if outcome.status == "stored":
        rows = sum(len(frame) for frame in frames.values())
        refresh_statistics(conn, rows, "observation_entry", "rating_entry", "action_version", "kpi_version",
                           "submission_log", "submission_event")  # fmt: skip
    return outcome


def _submit_in_transaction(
    cur: duckdb.DuckDBPyConnection,
    parsed: Parsed,
    frames: dict[str, pd.DataFrame],
    raw: bytes,
    user: str,
    note: str,
) -> Outcome:
    same = cur.execute(
        "SELECT submission_id FROM submissions WHERE sha256 = ? AND status = 'active' ORDER BY submission_id LIMIT 1",
        [parsed.sha256],
    ).fetchone()
    if same is not None:
        return Outcome(
            "duplicate",
            f"This file was already loaded as submission {same[0]}; nothing changed.",
            same[0],
        )
    found = _changes(cur, frames, limit=0)
    if not found.any:
        return Outcome(
            "unchanged",
            "Every value in this file already matches the store; nothing changed.",
            None,
            found,
        )
    plan, kpi = parsed.plan, parsed.kpi
    header = Header(
        parsed.kind,
        parsed.file_name,
        parsed.sha256,
        user,
        action_rows=0 if plan is None else len(plan.actions),
        rating_rows=0 if plan is None else len(plan.ratings),
        kpi_rows=0 if kpi is None else len(kpi.kpis),
        observation_rows=0 if kpi is None else len(kpi.observations),
        warnings=len(parsed.problems.warnings),
        note=note,
    )
    sid = begin(cur, header)
    keep_original(cur, parsed.sha256, parsed.file_name, raw)
    if plan is not None:
        cur.execute(
            f"""INSERT INTO priority_version
                SELECT {sid}, n.priority, coalesce(nullif(n.title, ''), c.title),
                       coalesce(nullif(n.outcome, ''), c.outcome)
                FROM in_priorities n LEFT JOIN priorities c USING (priority)"""
        )
        cur.execute(f"INSERT INTO action_version SELECT {sid}, * FROM ({_MERGED_ACTIONS}) merged")
        cur.execute(
            f"""INSERT INTO rating_entry
                SELECT {sid}, action_ref, CAST(period AS DATE), rating, raw, excel_row FROM in_ratings"""
        )
        cur.execute(f"INSERT INTO period_label SELECT {sid}, CAST(period AS DATE), label FROM in_labels")
    if kpi is not None:
        cur.execute(
            f"INSERT INTO kpi_version SELECT {sid}, kpi_code, name, unit, polarity, target, actions, note FROM in_kpis"
        )
        cur.execute(
            f"""INSERT INTO observation_entry
                SELECT {sid}, kpi_code, la_code, CAST(period AS DATE), value, missing_mark, target, excel_row
                FROM in_observations"""
        )
    store_estimates(cur, sid, frames)
    return Outcome("stored", f"Stored as submission {sid}.", sid, found)


def submit_settings(
    conn: duckdb.DuckDBPyConnection, settings: dict[str, str], user: str, actor: Actor | None = None
) -> int:
    """Settings (the council this plan belongs to) are versioned like everything else."""
    summary = ", ".join(f"{k}={v}" for k, v in settings.items())

    def body(cur: duckdb.DuckDBPyConnection) -> Written[int]:
        sid = begin(cur, Header("settings", "settings", "", user, note=summary))
        for key, value in settings.items():
            cur.execute("INSERT INTO setting_entry VALUES (?, ?, ?)", [sid, key, value])
        return Written(sid, audit=AuditEntry("setting_change", ", ".join(settings), "ok", summary))

    return write(conn, body, actor)
