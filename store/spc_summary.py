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
        found = cur.execute(
            """SELECT o.kpi_code, any_value(k.name), any_value(k.unit), any_value(k.polarity),
                      coalesce(arg_max(o.target, o.period), any_value(k.target)),
                      list(epoch_ms(o.period) ORDER BY o.period), list(o.value ORDER BY o.period)
               FROM kpi_observations o JOIN kpis k USING (kpi_code)
               WHERE o.la_code = ? AND o.value IS NOT NULL
                 AND o.period <= coalesce(CAST(? AS DATE), DATE '9999-12-01')
               GROUP BY o.kpi_code ORDER BY o.kpi_code""",
            [la_code, as_of],
        ).fetchall()
    finally:
        cur.close()
    rebases = fetch_df(conn, "SELECT kpi_code, rebase_from FROM spc_rebases ORDER BY kpi_code, rebase_from")
    rebase_map: dict[str, list[date]] = {}
    for code, when in zip(rebases["kpi_code"], rebases["rebase_from"], strict=True):
        rebase_map.setdefault(str(code), []).append(pd.Timestamp(when).date())
    rows = []
    for code, name, unit, polarity, target, ms, vals in found:
        periods = np.asarray(ms, dtype="int64").astype("datetime64[ms]")
        values = np.asarray(vals, dtype=float)
        target = None if target is None else float(target)
        own = [r for r in rebase_map.get(code, []) if as_of is None or r <= as_of]
        variation, assurance, _limits = spc.latest_icons(periods, values, polarity=polarity, target=target, rebases=own)
        rows.append(
            (code, name, unit, polarity, pd.Timestamp(periods[-1]), float(values[-1]), target, len(values),
             pd.Timestamp(own[-1]) if own else pd.NaT, variation, spc.VARIATION_WORDS[variation], assurance,
             spc.ASSURANCE_WORDS[assurance])
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=COLUMNS[:-1])
    frame["on_target"] = [
        on_target(v, t, p) for v, t, p in zip(frame["latest_value"], frame["target"], frame["polarity"], strict=True)
    ]
    order = {v: i for i, v in enumerate(spc.VARIATION_ORDER)}
    frame = frame.sort_values(["variation", "name"], key=lambda s: s.map(order) if s.name == "variation" else s)
    return frame.reset_index(drop=True)[COLUMNS]
