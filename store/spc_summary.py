"""The board's Making Data Count summary: every KPI's variation and assurance, worked out from the store.

One read of every observation for the council (up to a month, for a board pack of an earlier
period), split per KPI and handed to `domain.spc.latest_icons` with the KPI's polarity, the target
in force at its latest observation and its current rebase dates.
"""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from domain import spc
from domain.kpi_status import on_target
from store.queries import fetch_df

COLUMNS = [
    "kpi_code", "name", "unit", "polarity", "latest_period", "latest_value", "target", "points", "rebased_from",
    "variation", "variation_words", "assurance", "assurance_words", "on_target",
]  # fmt: skip


def spc_summary(
    conn: duckdb.DuckDBPyConnection, la_code: str, as_of: date | None = None, version: int = 0
) -> pd.DataFrame:
    """One row per KPI with at least one observation up to `as_of` (every KPI's latest otherwise),
    in the order of `domain.spc.VARIATION_ORDER` then name. `version` (store.rebase.rebase_version)
    is a cache key only: a saved rebase changes the summary without a new upload."""
    del version
    cur = conn.cursor()
    try:
        cur.execute(
            """SELECT kpi_code, epoch_ms(period) AS ms, value, target FROM kpi_observations
               WHERE la_code = ? AND value IS NOT NULL AND period <= coalesce(CAST(? AS DATE), DATE '9999-12-01')
               ORDER BY kpi_code, period""",
            [la_code, as_of],
        )
        obs = cur.fetchnumpy()
    finally:
        cur.close()
    kpis = fetch_df(
        conn,
        """WITH latest AS (
                SELECT kpi_code, arg_max(target, period) AS latest_target FROM kpi_observations
                WHERE la_code = ? AND value IS NOT NULL AND period <= coalesce(CAST(? AS DATE), DATE '9999-12-01')
                GROUP BY kpi_code)
            SELECT k.kpi_code, k.name, k.unit, k.polarity, coalesce(l.latest_target, k.target) AS target
            FROM kpis k JOIN latest l USING (kpi_code) ORDER BY k.kpi_code""",
        [la_code, as_of],
    ).set_index("kpi_code")
    rebases = fetch_df(conn, "SELECT kpi_code, rebase_from FROM spc_rebases ORDER BY kpi_code, rebase_from")
    rebase_map: dict[str, list[date]] = {}
    for code, when in zip(rebases["kpi_code"], rebases["rebase_from"], strict=True):
        rebase_map.setdefault(str(code), []).append(pd.Timestamp(when).date())
    codes = np.asarray(obs["kpi_code"], dtype=object)
    periods = np.asarray(obs["ms"], dtype="int64").astype("datetime64[ms]")
    values = np.asarray(obs["value"], dtype=float)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, dtype=int)
    stops = np.r_[starts[1:], len(codes)]
    rows = []
    for a, b in zip(starts, stops, strict=True):
        code = str(codes[a])
        if code not in kpis.index:
            continue
        kpi = kpis.loc[code]
        target: float | None = None if pd.isna(kpi["target"]) else float(kpi["target"])
        own = [r for r in rebase_map.get(code, []) if as_of is None or r <= as_of]
        variation, assurance, _limits = spc.latest_icons(
            periods[a:b], values[a:b], polarity=kpi["polarity"], target=target, rebases=own
        )
        rows.append(
            (code, kpi["name"], kpi["unit"], kpi["polarity"], pd.Timestamp(periods[b - 1]), float(values[b - 1]),
             target, int(b - a), pd.Timestamp(own[-1]) if own else pd.NaT, variation,
             spc.VARIATION_WORDS[variation], assurance, spc.ASSURANCE_WORDS[assurance])
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=COLUMNS[:-1])
    frame["on_target"] = [
        on_target(v, t, p) for v, t, p in zip(frame["latest_value"], frame["target"], frame["polarity"], strict=True)
    ]
    order = {v: i for i, v in enumerate(spc.VARIATION_ORDER)}
    frame = frame.sort_values(["variation", "name"], key=lambda s: s.map(order) if s.name == "variation" else s)
    return frame.reset_index(drop=True)[COLUMNS]
