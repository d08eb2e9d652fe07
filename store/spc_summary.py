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
    obs = fetch_df(
        conn,
        """SELECT o.kpi_code, k.name, k.unit, k.polarity, k.target AS kpi_target, o.target, o.period, o.value
           FROM kpi_observations o JOIN kpis k USING (kpi_code)
           WHERE o.la_code = ? AND o.value IS NOT NULL
             AND o.period <= coalesce(CAST(? AS DATE), DATE '9999-12-01')
           ORDER BY o.kpi_code, o.period""",
        [la_code, as_of],
    )
    found = [_per_kpi(str(code), part) for code, part in obs.groupby("kpi_code", sort=True)]
    rebases = fetch_df(conn, "SELECT kpi_code, rebase_from FROM spc_rebases ORDER BY kpi_code, rebase_from")
    rebase_map: dict[str, list[date]] = {}
    for code, when in zip(rebases["kpi_code"], rebases["rebase_from"], strict=True):
        rebase_map.setdefault(str(code), []).append(pd.Timestamp(when).date())
    rows = []
    for code, name, unit, polarity, target, periods, values in found:
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


def _per_kpi(code: str, part: pd.DataFrame) -> tuple[str, str, str, str, float | None, np.ndarray, np.ndarray]:
    """One KPI's observations as the SPC rules take them, with the target in force at its latest one
    (the latest stated, else the KPI's own): grouped here, as both backends return the same rows."""
    first = part.iloc[0]
    stated = part["target"].dropna()
    target = stated.iloc[-1] if len(stated) else first["kpi_target"]
    periods = pd.to_datetime(part["period"]).to_numpy(dtype="datetime64[ms]")
    return (
        code, str(first["name"]), first["unit"], first["polarity"],
        None if pd.isna(target) else float(target), periods, part["value"].to_numpy(dtype=float),
    )  # fmt: skip
