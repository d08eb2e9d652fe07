"""The default data round-trips through the loaders and the store to the report's own figures."""

import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import duckdb
import openpyxl
import pytest

NOV_16, FEB_17 = date(2016, 11, 1), date(2017, 2, 1)

# The report's Table 1: per priority, (R, A, LG, DG, C) in November 2016 and in February 2017 ("Current").
TABLE_1 = {
    1: ((0, 2, 1, 2, 2), (0, 0, 0, 3, 4)),
    2: ((0, 1, 0, 0, 0), (0, 1, 0, 0, 0)),
    3: ((0, 4, 10, 0, 6), (0, 1, 3, 10, 6)),
    4: ((0, 3, 6, 1, 2), (0, 3, 2, 4, 3)),
    5: ((0, 0, 1, 0, 1), (0, 0, 0, 1, 1)),
    6: ((0, 2, 2, 2, 0), (0, 2, 0, 2, 2)),
    7: ((0, 1, 9, 1, 0), (0, 1, 3, 6, 1)),
}
RATINGS = ("R", "A", "LG", "DG", "C")
SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "seed"


def _counts(db: duckdb.DuckDBPyConnection, period: date) -> dict[int, tuple[int, ...]]:
    rows = db.execute(
        "SELECT priority, rating, count(*) FROM rag_history WHERE period = ? AND rating IS NOT NULL GROUP BY ALL",
        [period],
    ).fetchall()
    found = {p: [0] * 5 for p in TABLE_1}
    for priority, rating, n in rows:
        found[priority][RATINGS.index(rating)] = n
    return {p: tuple(v) for p, v in found.items()}


@pytest.mark.parametrize(("period", "column"), [(NOV_16, 0), (FEB_17, 1)])
def test_rag_history_reproduces_table_1_cell_by_cell(db: duckdb.DuckDBPyConnection, period: date, column: int) -> None:
    assert _counts(db, period) == {p: cells[column] for p, cells in TABLE_1.items()}
    assert sum(sum(v) for v in _counts(db, period).values()) == 59


def test_february_2017_plan_holds_50_open_actions_26_dark_green(db: duckdb.DuckDBPyConnection) -> None:
    open_actions, dark_green, new = db.execute(
        """SELECT count(*) FILTER (WHERE rating IS DISTINCT FROM 'C'), count(*) FILTER (WHERE rating = 'DG'),
                  count(*) FILTER (WHERE rating IS NULL)
           FROM rag_history WHERE period = ?""",
        [FEB_17],
    ).fetchone()  # type: ignore[misc]
    assert (open_actions, dark_green, new) == (50, 26, 8)


def test_plan_holds_56_itemised_3_unitemised_and_8_new_actions(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute("SELECT itemised, is_new, count(*) FROM actions GROUP BY ALL ORDER BY ALL").fetchall()
    assert rows == [(False, False, 3), (True, False, 56), (True, True, 8)]
    refs = {r[0] for r in db.execute("SELECT action_ref FROM actions WHERE NOT itemised").fetchall()}
    assert refs == {"1.X", "3.6", "5.X"}


def test_new_actions_are_not_rated_and_absent_from_earlier_periods(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute(
        "SELECT DISTINCT period, rating FROM rag_history WHERE action_ref LIKE 'NEW%' ORDER BY ALL"
    ).fetchall()
    assert rows == [(FEB_17, None)]


def test_initial_period_is_september_2015_and_labelled(db: duckdb.DuckDBPyConnection) -> None:
    assert db.execute("SELECT period, label FROM reporting_periods ORDER BY period").fetchall() == [
        (date(2015, 9, 1), "Initial"), (NOV_16, None), (FEB_17, None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("ref", "initial", "nov", "feb"),
    [
        ("2.1", "A", "A", "A"),  # printed with Cyrillic and Greek look-alike letters
        ("1.2", None, "DG", "C"),  # Nov 16 from section 2's change table
        ("4.12", None, "DG", "C"),
        ("3.13", "A", "LG", "DG"),
        ("6.3", "LG", "A", "A"),
    ],
)
def test_ratings_as_printed(db: duckdb.DuckDBPyConnection, ref: str, initial: str, nov: str, feb: str) -> None:
    rows = dict(db.execute("SELECT period, rating FROM rag_history WHERE action_ref = ?", [ref]).fetchall())
    assert (rows.get(date(2015, 9, 1)), rows[NOV_16], rows[FEB_17]) == (initial, nov, feb)


def test_timescale_typos_are_kept_as_printed_and_flagged(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute(
        "SELECT action_ref, timescale_text, timescale_flag FROM actions WHERE timescale_flag <> '' ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("3.15", "06/06", "implausible"), ("3.16", "06/06", "implausible"),
        ("3.2", "12/1", "unreadable"), ("4.4", "03/06", "implausible"),
    ]  # fmt: skip


def test_action_text_is_split_into_ref_ofsted_reference_and_description(db: duckdb.DuckDBPyConnection) -> None:
    ref, ofsted, description, lead = db.execute(
        "SELECT action_ref, ofsted_ref, description, lead FROM actions WHERE action_ref = '3.13'"
    ).fetchone()  # type: ignore[misc]
    assert (ref, ofsted) == ("3.13", "Ofsted 19 (b)")
    assert description.startswith("Ensure that return home or return to care interviews")
    assert "Head of Looked After Children" in lead


def test_priorities_have_titles_and_outcomes(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute("SELECT priority, title, outcome FROM priorities ORDER BY priority").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert rows[2][1].startswith("Improving the quality and timeliness of assessment")
    assert all(r[2] for r in rows)


@pytest.mark.parametrize(
    ("code", "period", "value", "target", "polarity"),
    [
        ("UNALLOCATED_CASES", date(2015, 6, 1), 269, 0, "lower"),
        ("UNALLOCATED_CASES", date(2016, 12, 1), 14, 0, "lower"),
        ("RETURN_INTERVIEWS", date(2016, 10, 1), 37, 100, "higher"),
        ("RETURN_INTERVIEWS", date(2016, 11, 1), 78, 100, "higher"),
        ("CL_NEET", date(2016, 12, 1), 53.4, 30, "lower"),
        ("CL_IN_TOUCH_8WK", date(2016, 12, 1), 73.6, 80, "higher"),
        ("CL_PATHWAY_PLAN", date(2015, 11, 1), 69, 100, "higher"),
        ("SW_CASELOAD_AVG", date(2016, 12, 1), 17, 18, "lower"),
    ],
)
def test_kpi_observations_from_the_report(
    db: duckdb.DuckDBPyConnection, code: str, period: date, value: float, target: float, polarity: str
) -> None:
    row = db.execute(
        "SELECT value, target, polarity, la_code FROM kpi_observations WHERE kpi_code = ? AND period = ?",
        [code, period],
    ).fetchone()
    assert row == (value, target, polarity, "394")


def test_kpi_catalogue_holds_targets_without_observations(db: duckdb.DuckDBPyConnection) -> None:
    total, observed = db.execute(
        "SELECT count(*), count(*) FILTER (WHERE kpi_code IN (SELECT kpi_code FROM kpi_observations)) FROM kpis"
    ).fetchone()  # type: ignore[misc]
    assert (total, observed) == (26, 12)
    assert db.execute("SELECT target, actions FROM kpis WHERE kpi_code = 'CONTACTS_24H'").fetchone() == (90, "3.2")


def test_views_have_the_documented_types(db: duckdb.DuckDBPyConnection) -> None:
    types = dict(db.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'rag_history'")
                 .fetchall())  # fmt: skip
    assert types == {"action_ref": "VARCHAR", "priority": "INTEGER", "period": "DATE", "rating": "VARCHAR"}
    types = dict(db.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'kpi_observations'")
                 .fetchall())  # fmt: skip
    assert types["value"] == types["target"] == "DOUBLE" and types["period"] == "DATE"


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def workbook_content(path: Path) -> dict[str, object]:
    """Everything a reader of the workbook can see: every cell's value, type, format and style, merges,
    widths, heights and frozen panes; not the file's bytes (openpyxl stamps the time it saved)."""
    wb = openpyxl.load_workbook(path)
    content: dict[str, object] = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        cells = [
            (c.coordinate, c.value, c.data_type, c.number_format, c.font.b, c.font.sz,
             c.alignment.wrap_text, c.alignment.vertical)
            for row in ws.iter_rows() for c in row
        ]  # fmt: skip
        content[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height is not None},
            "freeze": ws.freeze_panes,
        }
    return content


def test_the_shipped_workbooks_are_what_the_data_files_say(tmp_path: Path) -> None:
    """make_seed.py writes, from plan.toml and kpis.toml, workbooks identical cell by cell to the shipped ones."""
    writer = _module(SEED_DIR / "make_seed.py")
    plan, kpis = tmp_path / "plan.xlsx", tmp_path / "kpis.xlsx"
    writer.write_plan(plan, writer.load(SEED_DIR / "plan.toml"))
    writer.write_kpis(kpis, writer.load(SEED_DIR / "kpis.toml"))
    assert workbook_content(plan) == workbook_content(SEED_DIR / "improvement_plan.xlsx")
    assert workbook_content(kpis) == workbook_content(SEED_DIR / "kpis.xlsx")
