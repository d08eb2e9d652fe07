"""Trajectory to target for every KPI linked to an action with a timescale and a target.

The board asks of a KPI "will it get there in time?": this pairs each KPI with the actions it
evidences (the KPI's Actions cell), takes the action's timescale and the KPI's target in force at
its latest observation, and works the trajectory out with `domain.trajectory`.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from domain import trajectory as tj
from store.plan_queries import kpi_actions
from store.queries import fetch_df

COLUMNS = ["kpi_code", "name", "unit", "action_ref", "timescale", "target", "will_reach", "reached_by", "sentence",
           "projection"]  # fmt: skip


def kpi_trajectories(
    conn: duckdb.DuckDBPyConnection, la_code: str, as_of: date | None = None, kpi_code: str | None = None
) -> pd.DataFrame:
    """One row per (KPI, linked action with a timescale) where the KPI has a target, a direction and
    an observation up to `as_of`: will_reach (True / False / None when no rate), the month it is
    reached, the sentence and the projected line ((month, value), (month, value)) or None."""
    links = kpi_actions(conn)
    found = fetch_df(
        conn,
        """SELECT k.kpi_code, k.name, k.unit, k.polarity, k.target AS kpi_target, a.action_ref, a.timescale_month
           FROM kpis k CROSS JOIN actions a
           WHERE a.timescale_month IS NOT NULL AND k.polarity IN ('higher', 'lower')
             AND (CAST(? AS VARCHAR) IS NULL OR k.kpi_code = ?)""",
        [kpi_code, kpi_code],
    )
    pairs = found.merge(links, on=["kpi_code", "action_ref"]).sort_values(["kpi_code", "action_ref"])
    pairs = pairs.reset_index(drop=True)
    if pairs.empty:
        return pd.DataFrame(columns=COLUMNS)
    codes = sorted(set(pairs["kpi_code"]))
    obs = fetch_df(
        conn,
        f"""SELECT kpi_code, period, value, target FROM kpi_observations
           WHERE la_code = ? AND value IS NOT NULL AND period <= coalesce(CAST(? AS DATE), DATE '9999-12-01')
             AND kpi_code IN ({", ".join("?" for _ in codes)})
           ORDER BY kpi_code, period""",
        [la_code, as_of, *codes],
    )
    by_kpi = {str(code): part for code, part in obs.groupby("kpi_code", sort=False)}
    rows = []
    for _, pair in pairs.iterrows():
        part = by_kpi.get(str(pair["kpi_code"]))
        if part is None:
            continue
        targets = part["target"].dropna()
        target = float(targets.iloc[-1]) if len(targets) else pair["kpi_target"]
        if target is None or pd.isna(target):
            continue
        t = tj.trajectory(
            [pd.Timestamp(p).date() for p in part["period"]],
            list(part["value"].astype(float)),
            target=float(target),
            polarity=str(pair["polarity"]),
            timescale=pd.Timestamp(pair["timescale_month"]).date(),
        )
        if t is None:
            continue
        rows.append(
            (pair["kpi_code"], pair["name"], pair["unit"], pair["action_ref"], t.timescale, t.target, t.will_reach,
             t.reached_by, tj.sentence(t, str(pair["unit"])), t.projection)
        )  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)
