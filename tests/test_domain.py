"""The domain rules, and their SQL forms agreeing with the Python ones on every combination."""

from __future__ import annotations

import itertools
from datetime import date

import duckdb
import pytest

from domain import changes, dates, kpi_status, numbers, rag, text

RATINGS = [None, *rag.RAG_ORDER]


@pytest.mark.parametrize(
    ("before", "after", "in_previous", "in_current", "expected"),
    [
        ("A", "LG", True, True, "improved"),
        ("DG", "A", True, True, "slipped"),
        ("R", "R", True, True, "held"),
        ("DG", "C", True, True, "completed"),
        ("C", "C", True, True, "held"),
        (None, "A", True, True, "newly rated"),
        (None, "A", False, True, "newly rated"),
        ("A", None, True, True, "new, not yet rated"),
        ("A", None, True, False, "no longer listed"),
    ],
)
def test_movement(before: str | None, after: str | None, in_previous: bool, in_current: bool, expected: str) -> None:
    assert rag.movement(before, after, in_previous=in_previous, in_current=in_current) == expected


def test_movement_sql_agrees_with_python_for_every_pair() -> None:
    cases = [
        (before, after, ip, ic)
        for before, after, ip, ic in itertools.product(RATINGS, RATINGS, (True, False), (True, False))
        if ip or before is None  # an action absent from a period has no rating there
    ]
    conn = duckdb.connect()
    conn.execute("CREATE TABLE m (a VARCHAR, b VARCHAR, ip BOOLEAN, ic BOOLEAN)")
    conn.executemany("INSERT INTO m VALUES (?, ?, ?, ?)", cases)
    got = conn.execute(f"SELECT a, b, ip, ic, {rag.movement_sql('a', 'b', 'ip', 'ic')} FROM m").fetchall()
    assert len(got) == len(cases)
    for before, after, ip, ic, moved in got:
        assert moved == rag.movement(before, after, in_previous=ip, in_current=ic), (before, after, ip, ic)


def test_rating_code_and_names() -> None:
    assert rag.rating_code(None) == rag.NOT_RATED
    assert rag.rating_code(float("nan")) == rag.NOT_RATED
    assert rag.rating_name("LG") == "Light Green"
    assert rag.rating_text("R") == "🔴 Red"
    assert set(rag.SCREEN_COLOURS) == set(rag.RAG_CODES) == set(rag.TEXT_ON_COLOUR)
    assert set(rag.PRINT_COLOURS) == set(rag.RAG_ORDER)


@pytest.mark.parametrize(
    ("value", "target", "polarity", "expected"),
    [
        (80, 80, "higher", kpi_status.ON_TARGET),
        (79.9, 80, "higher", kpi_status.OFF_TARGET),
        (14, 20, "lower", kpi_status.ON_TARGET),
        (21, 20, "lower", kpi_status.OFF_TARGET),
        (21, None, "lower", kpi_status.NO_TARGET),
        (21, 20, None, kpi_status.NO_TARGET),
        (None, 20, "lower", kpi_status.NO_DATA),
        (float("nan"), 20, "lower", kpi_status.NO_DATA),
    ],
)
def test_kpi_status(value: float | None, target: float | None, polarity: str | None, expected: str) -> None:
    assert kpi_status.status(value, target, polarity) == expected
    flag = kpi_status.on_target(value, target, polarity)
    assert kpi_status.status_from_flag(flag, value) == expected
    conn = duckdb.connect()
    sql = kpi_status.on_target_sql("v", "t", "p")
    value_sql = None if value is None or value != value else value
    row = conn.execute(
        f"SELECT {sql} FROM (SELECT ?::DOUBLE v, ?::DOUBLE t, ?::VARCHAR p)", [value_sql, target, polarity]
    ).fetchone()
    assert row is not None and row[0] == flag


@pytest.mark.parametrize(
    ("timescale", "rating", "period", "expected"),
    [
        (date(2016, 12, 1), "A", date(2017, 2, 1), True),
        (date(2016, 12, 1), None, date(2017, 2, 1), True),
        (date(2016, 12, 1), "DG", date(2017, 2, 1), False),
        (date(2016, 12, 1), "C", date(2017, 2, 1), False),
        (date(2017, 2, 1), "R", date(2017, 2, 1), False),
        (None, "R", date(2017, 2, 1), False),
    ],
)
def test_overdue(timescale: date | None, rating: str | None, period: date, expected: bool) -> None:
    assert dates.is_overdue(timescale, rating, period) is expected
    conn = duckdb.connect()
    sql = dates.overdue_sql("t", "r", "CAST(? AS DATE)")
    row = conn.execute(f"SELECT {sql} FROM (SELECT ?::DATE t, ?::VARCHAR r)", [period, timescale, rating]).fetchone()
    assert row is not None and row[0] is expected


def test_month_and_period_labels() -> None:
    assert dates.month_label(date(2016, 11, 1)) == "Nov 2016"
    assert dates.month_label("2016-11-01") == "Nov 2016"
    assert dates.long_month_label(date(2016, 9, 1)) == "September 2016"
    assert dates.period_label(date(2015, 9, 1), "Initial") == "Initial (Sep 2015)"
    assert dates.period_label(date(2015, 9, 1), None) == "Sep 2015"
    assert dates.period_label(date(2015, 9, 1), "  ") == "Sep 2015"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(78, "%", "78%"), (73.6, "%", "73.6%"), (14, "Number", "14"), (1204, "", "1,204"), (None, "%", "no data")],
)
def test_format_value(value: float | None, unit: str, expected: str) -> None:
    assert numbers.format_value(value, unit) == expected


def test_format_change() -> None:
    assert numbers.format_change(12, "%") == "+12 points"
    assert numbers.format_change(-3, "Number") == "-3"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"value": 1.0, "missing_mark": None, "target": 5.0}, {"value": 1.0, "missing_mark": "", "target": 5.0}, False),
        ({"value": 1.0, "target": 5.0}, {"value": 2.0, "target": 5.0}, True),
        ({"value": 1.0, "target": 5.0}, {"value": 1.0, "target": 6.0}, True),
        ({"value": None, "missing_mark": "n/a"}, {"value": None, "missing_mark": "c"}, True),
        ({"value": None, "target": None}, {"value": float("nan"), "target": None}, False),
        ({"value": 1.0, "missing_mark": float("nan")}, {"value": 1.0, "missing_mark": None}, False),
    ],
)
def test_observation_changed_python_and_sql(old: dict, new: dict, expected: bool) -> None:
    assert changes.observation_changed(old, new) is expected
    conn = duckdb.connect()
    cols = "?::DOUBLE value, ?::VARCHAR missing_mark, ?::DOUBLE target"

    def args(row: dict) -> list:
        value = row.get("value")
        mark = row.get("missing_mark")
        mark = None if isinstance(mark, float) else mark  # NaN: the store holds no mark as NULL
        return [None if value is None or value != value else value, mark, row.get("target")]

    sql = changes.observation_differs_sql("n", "c")
    row = conn.execute(f"SELECT {sql} FROM (SELECT {cols}) n, (SELECT {cols}) c", [*args(new), *args(old)]).fetchone()
    assert row is not None and row[0] is expected


def test_fold_lookalikes_python_and_sql_agree() -> None:
    sample = "ТВС Аmber Сompleted Α"
    assert text.fold_lookalikes(sample) == "TBC Amber Completed A"
    row = duckdb.connect().execute(f"SELECT {text.fold_sql('?::VARCHAR')}", [sample]).fetchone()
    assert row is not None and row[0] == text.fold_lookalikes(sample)
