"""The DfE LAIT loader on the real shipped files, and on small broken copies of them."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from loaders.lait import (
    LaitData,
    LaitFile,
    MissingLaitFile,
    clean_values,
    excel_serial_date,
    find_files,
    parse_lait_polarity,
    parse_period,
    parse_transform,
    read_benchmark_map,
    read_directory,
    read_lait,
)
from loaders.problems import UnreadableFile
from store.benchmark import LAIT_DIR, MAP_FILE, submit_benchmark_map, submit_lait

SUNDERLAND, ENGLAND = "394", "970"


@pytest.fixture(scope="module")
def lait() -> LaitData:
    return read_directory(LAIT_DIR)


def value(data: LaitData, measure: str, la_code: str, period: str) -> pd.Series:
    v = data.values
    rows = v[(v["measure"] == measure) & (v["la_code"] == la_code) & (v["period"] == period)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_the_extract_loads_whole_with_no_errors(lait: LaitData) -> None:
    assert lait.ok, [p.describe() for p in lait.problems.errors]
    assert len(lait.values) == 641_070
    assert lait.values["measure"].nunique() == 434
    assert lait.measures["measure"].nunique() == 434
    assert len(lait.areas) == 170
    assert set(lait.areas["area_kind"]) == {"council", "region", "england"}


@pytest.mark.parametrize(
    ("measure", "la_code", "period", "expected"),
    [
        ("Work_Force_AvgNumCase_SW", SUNDERLAND, "2017", 21.6),
        ("Work_Force_AvgNumCase_SW", ENGLAND, "2017", 17.7),
        ("Work_Force_AvgNumCase_SW", SUNDERLAND, "2016", 15.5),
        ("CareLeaverEET", SUNDERLAND, "2016", 28),
        ("CareLeaverEET", SUNDERLAND, "2017", 55),
        ("CareLeaverAcc", SUNDERLAND, "2017", 89),
        # published as "16.100000000000001" and "4.7980000000000002E-2"
        ("Work_Force_AvgNumCase_SW", SUNDERLAND, "2023", 16.1),
        ("TotPermEx", "301", "2015/16", 0.04798),
    ],
)
def test_published_figures_are_read_exactly(
    lait: LaitData, measure: str, la_code: str, period: str, expected: float
) -> None:
    row = value(lait, measure, la_code, period)
    assert row["value"] == expected
    assert pd.isna(row["missing_mark"])


def test_a_suppressed_value_is_missing_with_its_mark_kept(lait: LaitData) -> None:
    row = value(lait, "CareLeavers_LA_NotInTouch", SUNDERLAND, "2017")
    assert pd.isna(row["value"]) and row["missing_mark"] == "-"
    assert (lait.values["missing_mark"] == "-").sum() == 93_883
    assert lait.values["value"].isna().sum() == 93_883


@pytest.mark.parametrize(
    ("label", "end_year", "kind"),
    [
        ("2016", 2016, "year"),
        ("2014-16", 2016, "3-year span"),
        ("2016/17", 2017, "split year"),
        ("2025-26", 2026, "split year"),
        ("2016-17 (OT)", 2017, "split year (OT)"),
        ("2018 (Rev)", 2018, "year (Rev)"),
        ("2025 (prov)", 2025, "year (prov)"),
        ("2013/14-15/16", 2016, "3-year span"),
        ("1999-01", 2001, "3-year span"),
        ("0", None, "unknown"),
        ("2016-2014", None, "unknown"),
        ("next year", None, "unknown"),
    ],
)
def test_periods_keep_their_label_and_gain_a_sortable_end_year(label: str, end_year: int | None, kind: str) -> None:
    assert parse_period(label) == (end_year, kind)


def test_every_period_in_the_extract_is_understood_but_one_flagged(lait: LaitData) -> None:
    unknown = lait.values[lait.values["end_year"].isna()]
    assert set(unknown["period"]) == {"0"}
    flagged = [p for p in lait.problems.warnings if p.code == "unknown_period"]
    assert len(flagged) == 1 and flagged[0].found == "0" and flagged[0].column == "Years"
    assert value(lait, "RTA", "301", "2014-16")["end_year"] == 2016


def test_dictionary_polarity_dates_dps_and_no_quartile(lait: LaitData) -> None:
    m = lait.measures.drop_duplicates("measure").set_index("measure")
    assert m.at["Work_Force_AvgNumCase_SW", "polarity"] == "lower"
    assert m.at["CareLeaverEET", "polarity"] == "higher"
    assert pd.isna(m.at["Social_Work_Starters", "polarity"]) and m.at["Social_Work_Starters", "polarity_raw"] == "-"
    assert m.at["Work_Force_AvgNumCase_SW", "last_update"] == date(2026, 3, 1)  # serial 46082
    assert m.at["Work_Force_AvgNumCase_SW", "last_update_text"] == "46082"
    assert bool(m.at["CINPermExclusion", "no_quartile"]) and not bool(m.at["CareLeaverEET", "no_quartile"])
    assert m.at["TotPermEx", "dps"] == 2
    assert m.at["Work_Force_AvgNumCase_SW", "data_item"].startswith("Average number of cases")
    not_dated = lait.measures[lait.measures["next_update_text"] == "TBC"]
    assert len(not_dated) and not_dated["next_update"].isna().all()


def test_a_measure_under_two_topics_keeps_both(lait: LaitData) -> None:
    topics = set(lait.measures.loc[lait.measures["measure"] == "CINAuthAb_3Term", "topic"])
    assert topics == {"Children in Need", "All Pupil Absence & Exclusions"}


@pytest.mark.parametrize(
    ("text", "expected"), [("High", "higher"), ("low", "lower"), ("-", None), ("", None), ("NA", None)]
)
def test_lait_polarity(text: str, expected: str | None) -> None:
    assert parse_lait_polarity(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("45809", date(2025, 6, 1)), ("46082.0", date(2026, 3, 1)), ("TBC", None), ("", None)]
)
def test_excel_serial_dates(text: str, expected: date | None) -> None:
    assert excel_serial_date(text) == expected


def test_neighbour_workbooks_skip_the_stray_header_rows(lait: LaitData) -> None:
    n = lait.neighbours
    sunderland_2025 = n[(n["la_code"] == SUNDERLAND) & (n["grouping"] == "2025")].sort_values("neighbour_rank")
    assert list(sunderland_2025["neighbour_code"]) == [
        "807",
        "393",
        "805",
        "372",
        "357",
        "880",
        "390",
        "840",
        "370",
        "354",
    ]
    assert set(sunderland_2025["grouping_label"]) == {"May 2025"}
    sunderland_2021 = n[(n["la_code"] == SUNDERLAND) & (n["grouping"] == "2021")].sort_values("neighbour_rank")
    assert sunderland_2021.iloc[0][["neighbour_code", "closeness"]].tolist() == ["390", "Extremely close"]
    assert n.groupby("grouping")["la_code"].nunique().to_dict() == {"2021": 156, "2025": 158}
    # Cumberland had no 2021 neighbours ('-'); Cumbria is listed under "Old SNs:" in 2025
    assert n[(n["la_code"] == "942") & (n["grouping"] == "2021")].empty
    assert set(n.loc[(n["la_code"] == "909") & (n["grouping"] == "2025"), "section"]) == {"former"}


def test_areas_have_region_codes_and_former_councils(lait: LaitData) -> None:
    a = lait.areas.set_index("la_code")
    assert a.loc[SUNDERLAND, ["name", "region_name", "region_code", "area_kind", "status"]].tolist() == [
        "Sunderland", "North East", "980", "council", "current",
    ]  # fmt: skip
    assert a.at["202", "region_code"] == "987"  # Camden, 'Inner London' -> 'London (Inner)'
    assert a.at["370", "region_code"] == "982"  # 'Yorkshire and The Humber' -> '... the Humber'
    assert a.at["909", "status"] == "former" and a.at["942", "status"] == "current"
    assert a.at[ENGLAND, "area_kind"] == "england" and pd.isna(a.at[ENGLAND, "region_code"])


def test_dps_rounding_removes_artefacts_but_never_real_precision() -> None:
    numbers = np.array([16.100000000000001, 0.00371, 91.666666666666657, np.nan, 28.0])
    dps = np.array([1.0, 2.0, np.nan, 2.0, 0.0])
    out = clean_values(numbers, dps)
    assert out[0] == 16.1 and out[1] == 0.00371 and out[2] == 91.6666666667 and np.isnan(out[3]) and out[4] == 28


# ---------------------------------------------------------------- broken copies


def _parquet(rows: list[dict[str, object]]) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buffer)
    return buffer.getvalue()


def _row(value: str, la: float = 394.0, measure: str = "CareLeaverEET", years: str = "2016") -> dict[str, object]:
    return {"Short Desc": measure, "Data item": None, "Years": years, "LA and Regions": "Sunderland",
            "Values": value, "LA Number": la, "Region": "North East"}  # fmt: skip


def _with_values(data: bytes, name: str = "bds_long_test.parquet") -> list[LaitFile]:
    files = [f for f in find_files(LAIT_DIR) if f.role != "values"]
    return [LaitFile("values", name, data), *files]


def test_other_dfe_suppression_marks_are_kept() -> None:
    marks = ["c", "x", "z", "low", "-", ""]
    rows = [_row(m, la=float(la)) for m, la in zip(marks, (394, 390, 391, 392, 393, 970), strict=True)]
    data = read_lait(_with_values(_parquet([*rows, _row("12.5", la=840.0)])))
    assert data.ok
    v = data.values.set_index("la_code")
    assert v.loc[["394", "390", "391", "392", "393", "970"], "missing_mark"].tolist() == marks
    assert v.loc[["394", "390"], "value"].isna().all() and v.at["840", "value"] == 12.5


def test_text_that_is_neither_number_nor_mark_is_an_error_with_its_row() -> None:
    data = read_lait(_with_values(_parquet([_row("12"), _row("twelve", la=390.0), _row("1e400", la=391.0)])))
    assert not data.ok
    errors = {(p.code, p.row, p.found) for p in data.problems.errors}
    assert errors == {("not_a_number", 3, "twelve"), ("not_a_number", 4, "1e400")}


def test_a_repeated_value_is_an_error() -> None:
    data = read_lait(_with_values(_parquet([_row("12"), _row("13")])))
    assert [(p.code, p.row) for p in data.problems.errors] == [("duplicate_value", 3)]


def test_a_values_table_without_its_columns_is_refused() -> None:
    data = _parquet([{"Short Desc": "X", "Values": "1"}])
    with pytest.raises(UnreadableFile, match="no column"):
        read_lait(_with_values(data))
    with pytest.raises(UnreadableFile, match="parquet"):
        read_lait(_with_values(b"PAR1 not really"))


def test_a_directory_missing_a_file_says_which(tmp_path: Path) -> None:
    (tmp_path / "bds_long_0.parquet").write_bytes((LAIT_DIR / "bds_long_0.parquet").read_bytes())
    with pytest.raises(MissingLaitFile, match="dictionary, areas, neighbours"):
        find_files(tmp_path)


def test_a_neighbour_workbook_must_be_named_by_its_month() -> None:
    files = [
        LaitFile(f.role, "sn_groups.xlsx", f.data) if f.file_name == "sn_may_2025.xlsx" else f
        for f in find_files(LAIT_DIR)
    ]
    data = read_lait(files)
    assert [p.code for p in data.problems.errors] == ["neighbour_file_name"]


# ---------------------------------------------------------------- the KPI mapping


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("value", (1.0, 0.0)),
        ("", (1.0, 0.0)),
        ("100 - value", (-1.0, 100.0)),
        ("100-value", (-1.0, 100.0)),
        ("value * 100", (100.0, 0.0)),
        ("value / 10", (0.1, 0.0)),
        ("value + 5", (1.0, 5.0)),
        ("__import__('os').system('x')", None),
        ("value ** 2", None),
    ],
)
def test_transforms_are_linear_formulas_only(text: str, expected: tuple[float, float] | None) -> None:
    assert parse_transform(text) == expected


def test_the_shipped_mapping_reads_cleanly(lait: LaitData) -> None:
    mapping = read_benchmark_map(LaitFile("map", MAP_FILE.name, MAP_FILE.read_bytes()), set(lait.measures["measure"]))
    assert mapping.ok, [p.describe() for p in mapping.problems.items]
    rows = mapping.rows.set_index("kpi_code")
    assert rows.loc["CL_NEET", ["measure", "transform", "scale", "offset"]].tolist() == [
        "CareLeaverEET", "100 - value", -1.0, 100.0,
    ]  # fmt: skip
    assert rows.at["SW_CASELOAD_AVG", "measure"] == "Work_Force_AvgNumCase_SW"
    assert "differ" in rows.at["CL_NEET", "note"] or "not the same" in rows.at["CL_NEET", "note"]


def test_a_broken_mapping_names_each_row() -> None:
    csv = (
        b"kpi_code,measure,transform,note\n"
        b"CL_NEET,CareLeaverEET,100 - value,ok\n"
        b"CL_NEET,CareLeaverAcc,value,twice\n"
        b"X1,NoSuchMeasure,value,\n"
        b"X2,CareLeaverAcc,=cmd|' /C calc'!A0,\n"
        b",CareLeaverAcc,value,\n"
    )
    mapping = read_benchmark_map(LaitFile("map", "kpi_benchmark_map.csv", csv), {"CareLeaverEET", "CareLeaverAcc"})
    found = [(p.code, p.row) for p in mapping.problems.errors]
    assert found == [("duplicate_kpi", 3), ("unknown_measure", 4), ("bad_transform", 5), ("incomplete_mapping", 6)]


# ---------------------------------------------------------------- storing


def test_the_default_database_holds_the_extract_as_one_submission(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute(
        "SELECT kind, kpi_rows, observation_rows FROM submissions WHERE kind IN ('lait', 'benchmark_map')"
    ).fetchall()
    assert rows == [("lait", 434, 641_070), ("benchmark_map", 10, 0)]
    assert db.execute("SELECT count(*) FROM benchmark_values").fetchone() == (641_070,)
    stored = db.execute(
        "SELECT value, missing_mark FROM benchmark_values WHERE measure = ? AND la_code = ? AND period = ?",
        ["CareLeavers_LA_NotInTouch", SUNDERLAND, "2017"],
    ).fetchone()
    assert stored == (None, "-")
    assert db.execute("SELECT count(*) FROM benchmark_values WHERE isnan(value)").fetchone() == (0,)


def test_loading_the_same_files_twice_changes_nothing_and_says_so(
    db: duckdb.DuckDBPyConnection, lait: LaitData
) -> None:
    before = db.execute("SELECT count(*) FROM submission_log").fetchone()
    outcome = submit_lait(db, lait, "officer")
    assert outcome.status == "duplicate" and "already loaded" in outcome.message
    mapping = read_benchmark_map(LaitFile("map", MAP_FILE.name, MAP_FILE.read_bytes()))
    assert submit_benchmark_map(db, mapping, "officer").status == "duplicate"
    assert db.execute("SELECT count(*) FROM submission_log").fetchone() == before


def test_a_new_extract_is_a_new_version_and_rolling_it_back_restores_the_old(
    db: duckdb.DuckDBPyConnection, lait: LaitData
) -> None:
    renamed = [LaitFile(f.role, "copy_" + f.file_name, f.data) for f in lait.files]
    same = LaitData(renamed, lait.problems, lait.value_table, lait.measures, lait.areas, lait.neighbours)
    assert submit_lait(db, same, "officer").status == "unchanged"
    values = lait.value_table.column("value").to_numpy(zero_copy_only=False).copy()
    values[0] = 99.0  # RTA, 2014-16, Barking and Dagenham
    changed = LaitData(renamed, lait.problems, lait.value_table.set_column(5, "value", pa.array(values,
                       from_pandas=True)), lait.measures, lait.areas, lait.neighbours)  # fmt: skip
    outcome = submit_lait(db, changed, "officer")
    assert outcome.status == "stored"
    query = "SELECT value FROM benchmark_values WHERE measure = 'RTA' AND period = '2014-16' AND la_code = '301'"
    assert db.execute(query).fetchone() == (99.0,)
    db.execute(
        "INSERT INTO submission_event VALUES (nextval('event_id_seq'), ?, 'rolled_back', now(), 'officer')",
        [outcome.submission_id],
    )
    assert db.execute(query).fetchone() == (12.13,)
    assert db.execute("SELECT count(*) FROM benchmark_value_entry").fetchone() == (2 * 641_070,)


def test_an_extract_with_errors_stores_nothing(db: duckdb.DuckDBPyConnection) -> None:
    bad = read_lait(_with_values(_parquet([_row("twelve")])))
    before = db.execute("SELECT count(*) FROM benchmark_value_entry").fetchone()
    outcome = submit_lait(db, bad, "officer")
    assert outcome.status == "rejected" and "twelve" in outcome.message
    assert db.execute("SELECT count(*) FROM benchmark_value_entry").fetchone() == before


def test_the_command_line_loads_a_folder_and_says_what_happened(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.main import main

    assert main(["lait", str(LAIT_DIR), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "duplicate: These files were already loaded as submission" in out
    assert "duplicate: This mapping was already loaded" in out
    assert main(["lait", str(tmp_path), "--db", str(db_path)]) == 4  # a file missing: refused, not read
    assert "LAIT files missing" in capsys.readouterr().err
