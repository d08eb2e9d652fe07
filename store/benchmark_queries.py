"""Benchmark questions, one small function each: how does a council compare with its statistical
neighbours, its region, England and every other council? Parameters are bound with `?`."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from store.queries import fetch_df

ENGLAND = "970"
KPI_BENCHMARK_COLUMNS = ["label", "value", "year_label", "source"]
BANDS = {1: "A", 2: "B", 3: "C", 4: "D"}


def _record(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> dict[str, Any] | None:
    frame = fetch_df(conn, sql, params)
    return None if frame.empty else {str(k): v for k, v in frame.iloc[0].items()}


def extract_info(conn: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The LAIT extract in use: its submission, when and by whom it was loaded; None before any load."""
    return _record(
        conn,
        """SELECT submission_id, file_name, submitted_at, submitted_by, observation_rows AS values_stored,
                  kpi_rows AS measures
           FROM submissions WHERE submission_id = (SELECT submission_id FROM _lait_current)""",
        [],
    )


def topics(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return fetch_df(
        conn,
        "SELECT topic, count(DISTINCT measure) AS measures FROM benchmark_measure_topics GROUP BY topic ORDER BY topic",
    )


def measures(conn: duckdb.DuckDBPyConnection, search: str = "", topic: str = "") -> pd.DataFrame:
    """Measures by topic (a measure listed under two topics appears twice), optionally only those whose
    code, name or description holds every word of `search`, and only one topic."""
    words = [w for w in search.lower().split() if w][:10]
    conditions = "".join(" AND strpos(h.haystack, ?) > 0" for _ in words)
    return fetch_df(
        conn,
        f"""SELECT t.topic, t.measure, t.name, m.polarity, m.y_axis_name, m.dps, m.no_quartile
            FROM benchmark_measure_topics t JOIN benchmark_measures m USING (measure),
                 LATERAL (SELECT lower(concat_ws(' ', t.measure, t.name, m.chart_title, m.description,
                                                 m.data_item)) AS haystack) AS h
            WHERE (? = '' OR t.topic = ?){conditions}
            ORDER BY t.topic, t.dictionary_row NULLS LAST, t.name""",
        [topic, topic, *words],
    )


def measure_info(conn: duckdb.DuckDBPyConnection, measure: str) -> dict[str, Any] | None:
    """A measure's dictionary entry: name, polarity, dps, source, last and next update, methodology."""
    return _record(conn, "SELECT * FROM benchmark_measures WHERE measure = ?", [measure])


def councils(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every council in the extract, current ones first, with its region as the data names it."""
    return fetch_df(
        conn,
        """SELECT c.la_code, c.name, coalesce(r.name, c.region_name) AS region_name, c.region_code, c.la_type,
                  c.status
           FROM la_codes c LEFT JOIN la_codes r ON r.la_code = c.region_code
           WHERE c.area_kind = 'council' ORDER BY c.status = 'former', c.name""",
    )


def groupings(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The statistical-neighbour groupings, newest first."""
    return fetch_df(
        conn,
        """SELECT DISTINCT grouping, grouping_label FROM neighbour_entry
           WHERE submission_id = (SELECT submission_id FROM _lait_current) ORDER BY grouping DESC""",
    )


def _grouping(conn: duckdb.DuckDBPyConnection, grouping: str | None) -> str:
    if grouping:
        return grouping
    found = groupings(conn)
    return str(found["grouping"].iloc[0]) if len(found) else ""


def neighbours(conn: duckdb.DuckDBPyConnection, la_code: str, grouping: str | None = None) -> pd.DataFrame:
    """A council's statistical neighbours, closest first (newest grouping unless one is named)."""
    return fetch_df(
        conn,
        """SELECT neighbour_rank, neighbour_code AS la_code, neighbour_name AS name, closeness, grouping_label
           FROM statistical_neighbours WHERE la_code = ? AND grouping = ? ORDER BY neighbour_rank""",
        [la_code, _grouping(conn, grouping)],
    )


def neighbour_series(
    conn: duckdb.DuckDBPyConnection, measure: str, la_code: str, grouping: str | None = None
) -> pd.DataFrame:
    """The council's values and each of its neighbours', per period (role 'council' or 'neighbour')."""
    return fetch_df(
        conn,
        """WITH members AS (
               SELECT CAST(? AS VARCHAR) AS la_code, CAST('council' AS VARCHAR) AS role, 0 AS neighbour_rank
               UNION ALL
               SELECT neighbour_code, 'neighbour', neighbour_rank FROM statistical_neighbours
               WHERE la_code = ? AND grouping = ?)
           SELECT v.period, v.end_year, v.la_code, coalesce(v.area_name, v.la_code) AS name, m.role,
                  m.neighbour_rank, v.value, v.missing_mark
           FROM benchmark_values v JOIN members m USING (la_code)
           WHERE v.measure = ? AND v.end_year IS NOT NULL
           ORDER BY v.end_year, v.period, m.neighbour_rank""",
        [la_code, la_code, _grouping(conn, grouping), measure],
    )


def neighbour_summary(
    conn: duckdb.DuckDBPyConnection, measure: str, la_code: str, grouping: str | None = None
) -> pd.DataFrame:
    """Per period: the mean and median of the neighbours that have a value, and how many do."""
    return fetch_df(
        conn,
        """SELECT v.period, v.end_year, avg(v.value) AS mean,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY v.value) AS median,
                  count(v.value) AS neighbours_with_value, count(*) AS neighbours
           FROM benchmark_values v
           JOIN statistical_neighbours n ON n.neighbour_code = v.la_code AND n.la_code = ? AND n.grouping = ?
           WHERE v.measure = ? AND v.end_year IS NOT NULL
           GROUP BY v.period, v.end_year ORDER BY v.end_year, v.period""",
        [la_code, _grouping(conn, grouping), measure],
    )


def region_england_series(conn: duckdb.DuckDBPyConnection, measure: str, la_code: str) -> pd.DataFrame:
    """The council's region's values and England's, per period (role 'region' or 'england')."""
    return fetch_df(
        conn,
        """SELECT v.period, v.end_year, v.la_code, v.area_name AS name,
                  CASE WHEN v.la_code = CAST(? AS VARCHAR) THEN 'england' ELSE 'region' END AS role,
                  v.value, v.missing_mark
           FROM benchmark_values v
           WHERE v.measure = ? AND v.end_year IS NOT NULL
             AND (v.la_code = ? OR v.la_code = (SELECT region_code FROM la_codes WHERE la_code = ?))
           ORDER BY v.end_year, v.period, role""",
        [ENGLAND, measure, ENGLAND, la_code],
    )


def comparison(
    conn: duckdb.DuckDBPyConnection, measure: str, la_code: str, grouping: str | None = None
) -> pd.DataFrame:
    """One row per period: the council, its neighbours' mean and median, its region and England."""
    return _comparison(
        neighbour_series(conn, measure, la_code, grouping),
        neighbour_summary(conn, measure, la_code, grouping),
        region_england_series(conn, measure, la_code),
    )


def _comparison(series: pd.DataFrame, summary: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    own = series[series["role"] == "council"][["period", "value", "missing_mark"]]
    periods = pd.concat([series[["period", "end_year"]], areas[["period", "end_year"]]]).drop_duplicates("period")
    out = periods.merge(own.rename(columns={"value": "council"}), on="period", how="left")
    out = out.merge(summary.drop(columns="end_year"), on="period", how="left")
    for role in ("region", "england"):
        part = areas.loc[areas["role"] == role, ["period", "value"]].drop_duplicates("period")
        out = out.merge(part.rename(columns={"value": role}), on="period", how="left")
    out = out.rename(columns={"mean": "neighbours_mean", "median": "neighbours_median"})
    columns = ["period", "end_year", "council", "missing_mark", "neighbours_mean", "neighbours_median",
               "neighbours_with_value", "region", "england"]  # fmt: skip
    return out.sort_values(["end_year", "period"]).reset_index(drop=True)[columns]


_RANK_COLUMNS = "period, end_year, la_code, value, rank, councils_ranked, quartile, q25, q50, q75"


def rankings(conn: duckdb.DuckDBPyConnection, measure: str, la_code: str) -> pd.DataFrame:
    """Per period: the council's rank among all councils with a value (1 = best by the measure's polarity),
    its quartile (1 = best quarter, band A) and the quartile boundaries. Rank and quartile are empty when
    the measure has no better direction; the quartile is empty when DfE does not band the measure."""
    frame = fetch_df(
        conn,
        f"SELECT {_RANK_COLUMNS} FROM benchmark_rankings WHERE measure = ? AND la_code = ? ORDER BY end_year, period",
        [measure, la_code],
    )
    return _with_band(frame.drop(columns="la_code"))


def _with_band(frame: pd.DataFrame) -> pd.DataFrame:
    frame["band"] = frame["quartile"].map(BANDS)
    return frame


def _all_ranks(conn: duckdb.DuckDBPyConnection, measure: str) -> pd.DataFrame:
    return fetch_df(conn, f"SELECT {_RANK_COLUMNS} FROM benchmark_rankings WHERE measure = ?", [measure])


def _latest_values(conn: duckdb.DuckDBPyConnection, measure: str) -> pd.DataFrame:
    """Every council's value for the latest period any council has one (councils that no longer exist
    only if they have a figure)."""
    return fetch_df(
        conn,
        """WITH latest AS (
               SELECT period FROM benchmark_values
               WHERE measure = ? AND area_kind = 'council' AND value IS NOT NULL AND end_year IS NOT NULL
               ORDER BY end_year DESC, period DESC LIMIT 1)
           SELECT v.period, v.la_code, v.area_name AS name, a.region_name, v.value, v.missing_mark
           FROM benchmark_values v JOIN latest USING (period) JOIN la_codes a ON a.la_code = v.la_code
           WHERE v.measure = ? AND v.area_kind = 'council' AND (v.value IS NOT NULL OR a.status = 'current')""",
        [measure, measure],
    )


def _ranked_latest(latest: pd.DataFrame, ranks: pd.DataFrame) -> pd.DataFrame:
    out = latest.merge(
        ranks[["period", "la_code", "rank", "councils_ranked", "quartile"]], on=["period", "la_code"], how="left"
    )
    out = out.sort_values(["rank", "value", "name"], ascending=[True, False, True], na_position="last")
    for column in ("rank", "councils_ranked", "quartile"):
        out[column] = out[column].astype("Int64")
    return out.reset_index(drop=True)


def latest_all_councils(conn: duckdb.DuckDBPyConnection, measure: str) -> pd.DataFrame:
    """Every council's value for the latest period any council has one, best first where there is a best
    (councils that no longer exist are listed only if they have a figure)."""
    return _ranked_latest(_latest_values(conn, measure), _all_ranks(conn, measure))


def kpi_mapping(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The local KPIs mapped to national measures, with the transform and the note on definitions."""
    return fetch_df(
        conn,
        """SELECT k.kpi_code, k.measure, m.name AS measure_name, k.transform, k.note
           FROM kpi_benchmark_map k LEFT JOIN benchmark_measures m USING (measure) ORDER BY k.kpi_code""",
    )


def kpi_benchmarks(conn: duckdb.DuckDBPyConnection, kpi_code: str, la_code: str) -> pd.DataFrame:
    """The latest England, region and statistical-neighbour-mean figures for a local KPI, through the
    mapping and its transform (e.g. EET -> 100 - EET for a NEET KPI); an empty frame if the KPI is unmapped.

    Columns: label, value, year_label (the published period, e.g. '2025' or '2024-25'), source.
    """
    mapping = _record(
        conn, 'SELECT measure, transform, scale, "offset" FROM kpi_benchmark_map WHERE kpi_code = ?', [kpi_code]
    )
    if mapping is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in KPI_BENCHMARK_COLUMNS})
    measure = str(mapping["measure"])
    source = f"DfE LAIT, {measure}" + ("" if mapping["transform"] == "value" else f" (as {mapping['transform']})")
    rows: list[tuple[str, float, str]] = []
    areas = region_england_series(conn, measure, la_code).dropna(subset=["value"])
    for role in ("england", "region"):
        found = areas[areas["role"] == role]
        if len(found):
            last = found.iloc[-1]
            rows.append((str(last["name"]), float(last["value"]), str(last["period"])))
    grouping = groupings(conn)
    summary = neighbour_summary(conn, measure, la_code).dropna(subset=["mean"])
    if len(summary) and len(grouping):
        last = summary.iloc[-1]
        label = f"Statistical neighbours' mean ({grouping['grouping_label'].iloc[0]} groups)"
        rows.append((label, float(last["mean"]), str(last["period"])))
    frame = pd.DataFrame(rows, columns=["label", "value", "year_label"])
    frame["value"] = (frame["value"] * float(mapping["scale"]) + float(mapping["offset"])).round(6)
    frame["source"] = source
    return frame[KPI_BENCHMARK_COLUMNS]


# ---------------------------------------------------------------- what one page view needs


def page_choices(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Everything the page's pickers need, in one cached read: the extract, councils, groupings, topics."""
    return {
        "extract": extract_info(conn),
        "councils": councils(conn),
        "groupings": groupings(conn),
        "topics": topics(conn),
    }


def measure_view(conn: duckdb.DuckDBPyConnection, measure: str, la_code: str, grouping: str) -> dict[str, Any]:
    """Everything the page draws for one measure and council, in one cached read (each part is one of the
    functions above): the dictionary entry, the neighbour series, the comparison table, the rankings,
    every council's latest figure and the local KPIs mapped to the measure."""
    series = neighbour_series(conn, measure, la_code, grouping)
    ranks = _all_ranks(conn, measure)
    own = ranks[ranks["la_code"] == la_code].sort_values(["end_year", "period"]).drop(columns="la_code")
    return {
        "info": measure_info(conn, measure) or {},
        "series": series,
        "comparison": _comparison(
            series, neighbour_summary(conn, measure, la_code, grouping), region_england_series(conn, measure, la_code)
        ),
        "rankings": _with_band(own.reset_index(drop=True)),
        "everyone": _ranked_latest(_latest_values(conn, measure), ranks),
        "mapping": fetch_df(
            conn, "SELECT kpi_code, transform, note FROM kpi_benchmark_map WHERE measure = ?", [measure]
        ),
    }
