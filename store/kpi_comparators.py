"""Published DfE figures for a local KPI, every published year, each at the date it describes.

The KPI trend chart plots the council's own published figure, England, its region and its
statistical neighbours' mean and median on the local monthly series' time axis, so a monthly
figure is read against the published figure for the same date. Figures come through the KPI's
mapping (`kpi_benchmark_map`) and its transform, e.g. 100 - EET for a NEET KPI.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from domain.published import disagrees, reference_date, reference_words
from store.benchmark_queries import groupings, neighbour_series, neighbour_summary, region_england_series
from store.queries import fetch_df

COLUMNS = ["series", "role", "year_label", "end_year", "reference_date", "value", "source", "note", "year_type"]
ROLES = ("council", "england", "region", "neighbours_mean", "neighbours_median")


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    frame["value"] = frame["value"].astype(float)
    frame["reference_date"] = pd.to_datetime(frame["reference_date"])
    return frame


def kpi_comparators(conn: duckdb.DuckDBPyConnection, kpi_code: str, la_code: str) -> pd.DataFrame:
    """Every published year's figure for the council, England, its region and its neighbours' mean and
    median, in the KPI's units; empty when the KPI is not mapped to a published measure.

    Columns: series (label), role (one of ROLES), year_label (as published), end_year, reference_date
    (the date the figure describes, from the measure's year type), value, source, note (the mapping's
    note on how the definitions differ), year_type.
    """
    mapping = fetch_df(
        conn,
        """SELECT k.measure, k.transform, k.scale, k."offset", k.note, m.year_type,
                  (SELECT name FROM la_codes WHERE la_code = ?) AS council
           FROM kpi_benchmark_map k LEFT JOIN benchmark_measures m USING (measure) WHERE k.kpi_code = ?""",
        [la_code, kpi_code],
    )
    if mapping.empty:
        return _empty()
    m = mapping.iloc[0]
    measure = str(m["measure"])
    source = f"DfE LAIT, {measure}" + ("" if m["transform"] == "value" else f" (as {m['transform']})")
    parts: list[pd.DataFrame] = []
    own = neighbour_series(conn, measure, la_code)
    own = own[own["role"] == "council"]
    council = str(m["council"]) if pd.notna(m["council"]) else f"LA {la_code}"
    parts.append(own.assign(series=council, role="council")[["series", "role", "period", "end_year", "value"]])
    areas = region_england_series(conn, measure, la_code)
    for role in ("england", "region"):
        part = areas[areas["role"] == role]
        parts.append(
            part.assign(series=part["name"].fillna(role.title()))[["series", "role", "period", "end_year", "value"]]
        )
    grouping = groupings(conn)
    if len(grouping):
        label = str(grouping["grouping_label"].iloc[0])
        summary = neighbour_summary(conn, measure, la_code)
        for stat in ("mean", "median"):
            parts.append(
                summary.assign(
                    series=f"Statistical neighbours' {stat} ({label} groups)", role=f"neighbours_{stat}"
                ).rename(columns={stat: "value"})[["series", "role", "period", "end_year", "value"]]
            )
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if frame is None:
        return _empty()
    frame = frame.dropna(subset=["value", "end_year"]).rename(columns={"period": "year_label"})
    frame["value"] = (frame["value"].astype(float) * float(m["scale"]) + float(m["offset"])).round(6)
    dates = [reference_date(m["year_type"], y) for y in frame["end_year"]]
    frame["reference_date"] = pd.to_datetime(pd.Series(dates, index=frame.index, dtype="object"))
    frame["year_label"] = frame["year_label"].astype(str)
    frame["source"] = f"{source}, {reference_words(m['year_type'])}"
    frame["note"] = "" if pd.isna(m["note"]) else str(m["note"])
    frame["year_type"] = str(m["year_type"])
    order = {r: i for i, r in enumerate(ROLES)}
    frame = frame.sort_values(["role", "reference_date"], key=lambda s: s.map(order) if s.name == "role" else s)
    return frame.reset_index(drop=True)[COLUMNS]


def disagreements(series: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The months where the local figure and the council's own published figure for the same date differ.

    `series`: period, value (the local monthly series); `published`: `kpi_comparators`' frame.
    Columns: reference_date, year_label, local, published, difference.
    """
    own = published[published["role"] == "council"]
    if own.empty or series.empty:
        return pd.DataFrame(columns=["reference_date", "year_label", "local", "published", "difference"])
    local = series.dropna(subset=["value"]).assign(month=lambda f: pd.to_datetime(f["period"]).dt.to_period("M"))
    joined = own.assign(month=own["reference_date"].dt.to_period("M")).merge(
        local[["month", "value"]].rename(columns={"value": "local"}), on="month"
    )
    joined = joined.rename(columns={"value": "published"})
    mask = pd.Series([disagrees(a, b) for a, b in zip(joined["local"], joined["published"], strict=True)], dtype=bool)
    joined = joined.loc[mask.to_numpy()]
    joined["difference"] = (joined["local"] - joined["published"]).round(6)
    return joined[["reference_date", "year_label", "local", "published", "difference"]].reset_index(drop=True)
