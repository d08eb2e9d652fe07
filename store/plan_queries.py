"""Questions the board asks of the plan and the KPIs, one function each, shared by pages and reports."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from domain.dates import overdue_sql
from domain.kpi_status import on_target_sql
from domain.rag import DELIVERED, RAG_NAMES, RAG_ORDER, movement_sql
from domain.text import fold_lookalikes
from store.queries import fetch_df, headline

MOVEMENTS = ("improved", "held", "slipped", "newly rated", "completed", "new, not yet rated", "no longer listed")


def priorities(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return fetch_df(conn, "SELECT priority, title, outcome FROM priorities ORDER BY priority")


# The rated codes as VALUES rows with their place in the scale: portable where DuckDB's list literal is not.
_RATING_ROWS = ", ".join(f"('{code}', {rank})" for rank, code in enumerate(RAG_ORDER))


def rag_table(conn: duckdb.DuckDBPyConnection, previous: date, current: date) -> pd.DataFrame:
    """Counts per priority, rating and period for two periods, every combination present (zeros kept),
    in priority, period and scale order."""
    return fetch_df(
        conn,
        f"""WITH grid AS (
               SELECT p.priority, p.title, r.rating, r.scale, s.period
               FROM priorities p,
                    (VALUES {_RATING_ROWS}) AS r (rating, scale),
                    (VALUES (CAST(? AS DATE)), (CAST(? AS DATE))) AS s (period))
           SELECT g.priority, g.title, g.rating, g.period, count(h.action_ref) AS actions
           FROM grid g LEFT JOIN rag_history h
             ON h.priority = g.priority AND h.rating = g.rating AND h.period = g.period
           GROUP BY g.priority, g.title, g.rating, g.scale, g.period ORDER BY g.priority, g.period, g.scale""",
        [previous, current],
    )


def table1(counts: pd.DataFrame, previous_label: str, current_label: str) -> pd.DataFrame:
    """The report's Table 1: a row per priority, each rating's two periods side by side, a Totals row.

    `counts` is `rag_table(...)`; columns are named like 'Amber Nov 2016'.
    """
    periods = sorted(counts["period"].unique())
    labels = dict(zip(periods, (previous_label, current_label), strict=False))
    frame = counts.assign(
        column=[f"{RAG_NAMES[r]} {labels[p]}" for r, p in zip(counts["rating"], counts["period"], strict=True)]
    )
    wide = frame.pivot_table(
        index=["priority", "title"], columns="column", values="actions", aggfunc="sum", fill_value=0
    )
    ordered = [f"{RAG_NAMES[r]} {label}" for r in RAG_ORDER for label in (previous_label, current_label)]
    wide = wide.reindex(columns=ordered, fill_value=0).reset_index()
    wide["Priority"] = wide["priority"].astype(str) + ". " + wide["title"].fillna("")
    wide = wide[["Priority", *ordered]]
    totals = pd.DataFrame([["Totals", *wide[ordered].sum().tolist()]], columns=wide.columns)
    return pd.concat([wide, totals], ignore_index=True)


# Views joined to other views are computed once each (`AS MATERIALIZED`): PostgreSQL estimates one
# row for every view that keeps the newest version of a row (`_n = 1`), so it would join them in a
# nested loop that runs the inner view again for every outer row (movement 527 -> 11 ms on
# PostgreSQL; DuckDB the same within noise, and the same rows on both).


def movement(conn: duckdb.DuckDBPyConnection, previous: date, current: date) -> pd.DataFrame:
    """Every action present in either period, its rating in each, and which way it moved.

    `in_previous`/`in_current` tell an action missing from a period from one listed but not yet rated.
    """
    return fetch_df(
        conn,
        f"""WITH a AS MATERIALIZED (SELECT action_ref, rating FROM rag_history WHERE period = ?),
                 b AS MATERIALIZED (SELECT action_ref, rating FROM rag_history WHERE period = ?)
            SELECT x.action_ref, x.priority, x.description, a.rating AS from_rating, b.rating AS to_rating,
                   a.action_ref IS NOT NULL AS in_previous, b.action_ref IS NOT NULL AS in_current,
                   {movement_sql("a.rating", "b.rating", "a.action_ref IS NOT NULL", "b.action_ref IS NOT NULL")}
                       AS movement
            FROM actions x LEFT JOIN a USING (action_ref) LEFT JOIN b USING (action_ref)
            WHERE a.action_ref IS NOT NULL OR b.action_ref IS NOT NULL
            ORDER BY x.priority, {_ref_order(conn)}""",
        [previous, current],
    )


_REF_ORDER = (
    "x.is_new, try_cast(split_part(x.action_ref, '.', 2) AS INTEGER) NULLS LAST, "
    "try_cast(regexp_extract(x.action_ref, '\\d+$') AS INTEGER), x.action_ref"
)
# The same order on PostgreSQL, which has neither try_cast nor regexp_extract (and DuckDB no common
# regular-expression extraction to write it once).
_PG_REF_ORDER = (
    "x.is_new, CASE WHEN split_part(x.action_ref, '.', 2) ~ '^[0-9]{1,9}$' "
    "THEN CAST(split_part(x.action_ref, '.', 2) AS INTEGER) END NULLS LAST, "
    "CAST(substring(x.action_ref from '[0-9]{1,9}$') AS INTEGER), x.action_ref"
)


def _ref_order(conn: object) -> str:
    """Actions in plan order ('3.2' before '3.10'), in the SQL of the connection's backend."""
    return _PG_REF_ORDER if getattr(conn, "dialect", "duckdb") == "postgresql" else _REF_ORDER


def actions_at(conn: duckdb.DuckDBPyConnection, period: date) -> pd.DataFrame:
    """Every action in the plan at `period` with its rating then, and whether it is overdue then.

    Overdue: its timescale month is before `period` and it is neither Dark Green nor Completed.
    """
    return fetch_df(
        conn,
        f"""WITH h AS MATERIALIZED (SELECT action_ref, period, rating FROM rag_history WHERE period = ?),
                 ea AS MATERIALIZED (SELECT ref, note FROM estimates WHERE subject = 'action'),
                 er AS MATERIALIZED (SELECT ref, period, note FROM estimates WHERE subject = 'rating')
            SELECT x.action_ref, x.priority, p.title AS priority_title, x.ofsted_ref, x.description,
                   x.success_measures, x.lead, x.timescale_text, x.timescale_month, x.timescale_flag,
                   x.itemised, x.is_new, x.note, h.rating,
                   {overdue_sql("x.timescale_month", "h.rating", "CAST(? AS DATE)")} AS overdue,
                   coalesce(ea.note, '') AS estimate_note, coalesce(er.note, '') AS rating_note
            FROM h JOIN actions x USING (action_ref) LEFT JOIN priorities p ON p.priority = x.priority
            LEFT JOIN ea ON ea.ref = x.action_ref
            LEFT JOIN er ON er.ref = h.action_ref AND er.period = h.period
            ORDER BY x.priority, {_ref_order(conn)}""",
        [period, period],
    )


def rating_history(conn: duckdb.DuckDBPyConnection, action_ref: str) -> pd.DataFrame:
    """One action's rating at every recorded period, with the period's label (Initial) if any."""
    return fetch_df(
        conn,
        """SELECT h.period, p.label, h.rating, coalesce(e.note, '') AS estimate_note
           FROM rag_history h LEFT JOIN reporting_periods p USING (period)
           LEFT JOIN estimates e ON e.subject = 'rating' AND e.ref = h.action_ref AND e.period = h.period
           WHERE h.action_ref = ? ORDER BY h.period""",
        [action_ref],
    )


def kpi_catalogue(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every KPI with its definition and how many observations it has for the home council."""
    return fetch_df(
        conn,
        """SELECT k.*, coalesce(c.observations, 0) AS observations
           FROM kpis k LEFT JOIN (
               SELECT kpi_code, count(*) AS observations FROM kpi_observations
               WHERE value IS NOT NULL AND la_code = (SELECT value FROM settings WHERE key = 'council_code')
               GROUP BY kpi_code) c ON c.kpi_code = k.kpi_code
           ORDER BY k.kpi_code""",
    )


# An observation the source implies, or an officer estimated, carries its note (store/070_inferred.sql).
_ESTIMATES = """LEFT JOIN estimates e
    ON e.subject = 'observation' AND e.ref = o.kpi_code AND e.la_code = o.la_code AND e.period = o.period"""
_ESTIMATE_NOTE = "coalesce(e.note, '') AS estimate_note"


def kpi_series(conn: duckdb.DuckDBPyConnection, kpi_code: str, la_code: str) -> pd.DataFrame:
    """A KPI's observations for one council, oldest first, with the target in force at each month."""
    return fetch_df(
        conn,
        f"""SELECT o.period, o.value, o.target, o.missing_mark, o.unit, o.polarity, {_ESTIMATE_NOTE}
           FROM kpi_observations o {_ESTIMATES}
           WHERE o.kpi_code = ? AND o.la_code = ? ORDER BY o.period""",
        [kpi_code, la_code],
    )


def kpi_status(
    conn: duckdb.DuckDBPyConnection, la_code: str, as_of: date | None = None, kpi_code: str | None = None
) -> pd.DataFrame:
    """Per KPI (or just `kpi_code`): latest value (up to `as_of`), previous value, target, and whether
    it is on target."""
    one = "" if kpi_code is None else "AND kpi_code = ?"
    params: list[object] = [la_code, as_of]
    if kpi_code is not None:
        params += [kpi_code, kpi_code]
    return fetch_df(
        conn,
        f"""WITH obs AS (
               SELECT kpi_code, period, value, target,
                      row_number() OVER (PARTITION BY kpi_code ORDER BY period DESC) AS n
               FROM kpi_observations
               WHERE la_code = ? AND value IS NOT NULL AND period <= coalesce(CAST(? AS DATE), DATE '9999-12-01')
                     {one})
           SELECT k.kpi_code, k.name, k.unit, k.polarity, k.actions,
                  l.period AS latest_period, l.value AS latest_value,
                  coalesce(l.target, k.target) AS target,
                  p.period AS previous_period, p.value AS previous_value,
                  l.value - p.value AS change,
                  {on_target_sql("l.value", "coalesce(l.target, k.target)", "k.polarity")} AS on_target
           FROM kpis k
           LEFT JOIN obs l ON l.kpi_code = k.kpi_code AND l.n = 1
           LEFT JOIN obs p ON p.kpi_code = k.kpi_code AND p.n = 2
           WHERE true {one.replace("kpi_code", "k.kpi_code")}
           ORDER BY k.kpi_code""",
        params,
    )


def kpi_actions(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The links between KPIs and the plan actions they evidence (from the KPI's Actions cell).

    The comma-separated cell is split here rather than in SQL: the two backends split lists differently."""
    cells = fetch_df(conn, "SELECT kpi_code, actions FROM kpis ORDER BY kpi_code")
    pairs = {
        (str(code), ref.strip())
        for code, text in zip(cells["kpi_code"], cells["actions"], strict=True)
        if isinstance(text, str)
        for ref in text.split(",")
        if ref.strip()
    }
    return pd.DataFrame(sorted(pairs), columns=["kpi_code", "action_ref"])


def delivery_vs_impact(
    conn: duckdb.DuckDBPyConnection, period: date, la_code: str, stale_months: int = 6
) -> pd.DataFrame:
    """Actions rated Dark Green or Completed at `period` whose linked KPI is off target or has no recent data."""
    status = kpi_status(conn, la_code, period)
    links = kpi_actions(conn)
    done = actions_at(conn, period)
    done = done[done["rating"].isin(DELIVERED)][["action_ref", "priority", "description", "rating"]]
    joined = done.merge(links, on="action_ref").merge(status, on="kpi_code")
    latest = pd.to_datetime(joined["latest_period"])
    cutoff = pd.Timestamp(period) - pd.DateOffset(months=stale_months)
    joined["concern"] = None
    joined.loc[joined["on_target"].eq(False), "concern"] = "off target"
    joined.loc[latest.isna() | (latest < cutoff), "concern"] = (
        "no data since " + latest.dt.strftime("%b %Y").fillna("ever")
    ).where(latest.notna(), "no data")
    return joined[joined["concern"].notna()].reset_index(drop=True)


# ---------------------------------------------------------------- board pages

_LEAD_SPLIT = r"\s*(?:&|;|/|\band\b)\s*"
_LEAD_PATTERN = re.compile(_LEAD_SPLIT)
# Look-alike letters that PDF exports put in place of Latin ones ('ТВС' for 'TBC') are folded
# (domain/text.py), so a lead filter does not offer the same name twice.


def rag_chart_counts(conn: duckdb.DuckDBPyConnection, previous: date, current: date) -> pd.DataFrame:
    """Like `rag_table`, plus actions listed but not yet rated (rating 'TBC'), for the overview chart."""
    rated = rag_table(conn, previous, current)
    new = fetch_df(
        conn,
        """SELECT h.priority, p.title, CAST('TBC' AS VARCHAR) AS rating, h.period, count(*) AS actions
           FROM rag_history h LEFT JOIN priorities p USING (priority)
           WHERE h.rating IS NULL AND h.period IN (CAST(? AS DATE), CAST(? AS DATE))
           GROUP BY h.priority, p.title, h.period ORDER BY h.priority, h.period""",
        [previous, current],
    )
    return pd.concat([rated, new], ignore_index=True) if len(new) else rated


def explore_actions(
    conn: duckdb.DuckDBPyConnection,
    period: date,
    priorities: tuple[int, ...] = (),
    ratings: tuple[str, ...] = (),
    leads: tuple[str, ...] = (),
    ofsted_refs: tuple[str, ...] = (),
    overdue_only: bool = False,
    new_only: bool = False,
    search: str = "",
) -> pd.DataFrame:
    """The plan at `period`, filtered; empty filters mean 'any'. Ratings use 'TBC' for not yet rated.

    `leads` match any one of an action's leads (a cell naming two matches either). `search` is a
    case-insensitive substring of the reference, description, success measures, lead or note.
    `timescale_shown` keeps a typo visible: '12/1 (unreadable)' rather than a blank.
    """
    params: list[object] = [period, period]
    where = [
        _in_list("x.priority", list(priorities), params),
        _in_list("x.rating_code", list(ratings), params),
        _in_list("x.ofsted_ref", list(ofsted_refs), params),
        "(NOT ? OR x.overdue)",
        "(NOT ? OR x.is_new)",
        "(? = '' OR strpos(lower(concat_ws(' ', x.action_ref, x.description, x.success_measures, x.lead, "
        "x.note, x.ofsted_ref)), lower(?)) > 0)",
    ]
    params += [overdue_only, new_only, search.strip(), search.strip()]
    frame = fetch_df(
        conn,
        f"""WITH plan AS (
               SELECT x.action_ref, x.priority, p.title AS priority_title, x.ofsted_ref, x.description,
                      x.success_measures, x.lead, x.timescale_text, x.timescale_month, x.timescale_flag,
                      CASE WHEN coalesce(x.timescale_flag, '') = '' THEN x.timescale_text
                           ELSE concat(x.timescale_text, ' (', x.timescale_flag, ')') END AS timescale_shown,
                      x.itemised, x.is_new, x.note, h.rating, coalesce(h.rating, 'TBC') AS rating_code,
                      {overdue_sql("x.timescale_month", "h.rating", "CAST(? AS DATE)")} AS overdue
               FROM rag_history h JOIN actions x USING (action_ref) LEFT JOIN priorities p ON p.priority = x.priority
               WHERE h.period = ?)
           SELECT * FROM plan x
           WHERE {" AND ".join(w for w in where if w)}
           ORDER BY x.priority, {_ref_order(conn)}""",
        params,
    )
    if leads:
        wanted = set(leads)
        frame = frame[[bool(wanted & set(lead_names(cell))) for cell in frame["lead"]]].reset_index(drop=True)
    return frame


def _in_list(column: str, values: list[object], params: list[object]) -> str:
    """`column IN (?, ...)` with its values appended to `params`; '' (no condition) when empty.
    Placeholders rather than a bound list: DuckDB and PostgreSQL bind arrays differently."""
    if not values:
        return ""
    params.extend(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def lead_names(cell: object) -> list[str]:
    """The people or posts one Lead cell names ('A & B' names two), look-alike letters folded."""
    text = fold_lookalikes(cell) if isinstance(cell, str) else ""
    return [name.strip() for name in _LEAD_PATTERN.split(text) if name.strip()]


def lead_options(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Every lead named in the plan, one entry per person or post (cells naming two are split)."""
    frame = fetch_df(conn, "SELECT lead FROM actions")
    return sorted({name for cell in frame["lead"] for name in lead_names(cell)})


def ofsted_options(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Every Ofsted recommendation the plan answers, in recommendation order ('Ofsted 2' before 'Ofsted 10')."""
    frame = fetch_df(
        conn, "SELECT DISTINCT ofsted_ref FROM actions WHERE ofsted_ref IS NOT NULL AND trim(ofsted_ref) <> ''"
    )

    def order(ref: str) -> tuple[int, int, str]:
        found = re.search(r"\d+", ref)
        return (0, int(found.group()), ref) if found else (1, 0, ref)

    return sorted((str(v) for v in frame["ofsted_ref"]), key=order)


def action_detail(conn: duckdb.DuckDBPyConnection, action_ref: str) -> pd.DataFrame:
    """One action's full record (zero rows if unknown), with its priority's title."""
    return fetch_df(
        conn,
        """SELECT x.action_ref, x.priority, p.title AS priority_title, x.ofsted_ref, x.description,
                  x.success_measures, x.lead, x.timescale_text, x.timescale_month, x.timescale_flag,
                  x.itemised, x.is_new, x.note
           FROM actions x LEFT JOIN priorities p ON p.priority = x.priority WHERE x.action_ref = ?""",
        [action_ref],
    )


def action_kpis(conn: duckdb.DuckDBPyConnection, action_ref: str, la_code: str) -> pd.DataFrame:
    """`kpi_status` rows of the KPIs that evidence one action."""
    links = kpi_actions(conn)
    codes = links.loc[links["action_ref"] == action_ref, "kpi_code"]
    status = kpi_status(conn, la_code)
    return status[status["kpi_code"].isin(set(codes))].reset_index(drop=True)


def kpi_series_all(conn: duckdb.DuckDBPyConnection, la_code: str) -> pd.DataFrame:
    """Every KPI's observations for one council (KPIs with none get no rows), for small multiples."""
    return fetch_df(
        conn,
        f"""SELECT o.kpi_code, o.kpi_name, o.unit, o.polarity, o.period, o.value, o.target, o.missing_mark,
                  {_ESTIMATE_NOTE}
           FROM kpi_observations o {_ESTIMATES} WHERE o.la_code = ? ORDER BY o.kpi_code, o.period""",
        [la_code],
    )


def kpi_coverage(conn: duckdb.DuckDBPyConnection, la_code: str, months: int = 24) -> pd.DataFrame:
    """For the latest `months` months with any KPI value for the council: how many KPIs have a value
    (period, kpis, of: the KPIs known), oldest first, so a month not yet fully uploaded stands out."""
    return fetch_df(
        conn,
        """SELECT period, kpis, (SELECT count(*) FROM kpis) AS of FROM (
               SELECT period, count(DISTINCT kpi_code) AS kpis FROM kpi_observations
               WHERE la_code = ? AND value IS NOT NULL GROUP BY period ORDER BY period DESC LIMIT ?) AS recent
           ORDER BY period""",
        [la_code, months],
    )


def overview(conn: duckdb.DuckDBPyConnection, previous: date, current: date, la_code: str) -> dict[str, Any]:
    """Everything the overview page reads, in one call so the page makes one cached read per rerun."""
    chart_counts = rag_chart_counts(conn, previous, current)
    return {
        "headline": headline(conn, current),
        "red_amber": explore_actions(conn, current, (), ("R", "A")),
        "overdue": explore_actions(conn, current, overdue_only=True),
        "chart_counts": chart_counts,
        "rag_table": chart_counts[chart_counts["rating"] != "TBC"].reset_index(drop=True),
        "movement": movement(conn, previous, current),
        "kpi_status": kpi_status(conn, la_code, current),
        "delivery_vs_impact": delivery_vs_impact(conn, current, la_code),
    }
