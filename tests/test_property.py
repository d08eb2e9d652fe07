"""Property tests: any valid workbook loads exactly; one garbage cell gives exactly one error, at that cell."""

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.ingest import read_bytes
from loaders.kpi import kpi_code_from_name
from tests import ooxml
from tests.helpers import xlsx

KPIS = ["Caseload", "Return interviews %", "Care leavers NEET %", "Unallocated cases"]
MONTHS = [date(2015 + i // 12, i % 12 + 1, 1) for i in range(36)]
GARBAGE = st.sampled_from(["abc", "12a", "??", "seventy", "1.2.3", "TRUE-ish", "#REF"])

rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(KPIS),
        st.sampled_from(MONTHS),
        st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 1)),
    ),
    min_size=1,
    max_size=40,
    unique_by=lambda r: (r[0], r[1]),
)
MONTH_FORMATS = [lambda m: m.strftime("%b-%y"), lambda m: m.strftime("%B %Y"), lambda m: m.strftime("%Y-%m"),
                 lambda m: m.strftime("01/%m/%Y")]  # fmt: skip


def _workbook(rows: list[tuple[str, date, object]], month_format: int) -> bytes:
    fmt = MONTH_FORMATS[month_format]
    return xlsx(
        [["Fictional council KPI return"], [], ["KPI", "Month", "Value"], *[[k, fmt(m), v] for k, m, v in rows]]
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy, month_format=st.integers(0, len(MONTH_FORMATS) - 1))
def test_a_valid_workbook_loads_exactly(rows: list[tuple[str, date, float]], month_format: int) -> None:
    parsed = read_bytes(_workbook(list(rows), month_format), "generated.xlsx", default_la="999")
    assert parsed.ok, [p.describe() for p in parsed.problems.errors]
    assert parsed.kpi is not None
    names = parsed.kpi.kpis.set_index("kpi_code")["name"].to_dict()
    loaded = {(names[r.kpi_code], r.period, r.value) for r in parsed.kpi.observations.itertuples()}
    assert loaded == set(rows)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy, data=st.data())
def test_one_garbage_cell_gives_exactly_one_error_at_that_cell(
    rows: list[tuple[str, date, float]], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(rows) - 1))
    garbage = data.draw(GARBAGE)
    broken: list[tuple[str, date, object]] = list(rows)
    broken[index] = (rows[index][0], rows[index][1], garbage)
    parsed = read_bytes(_workbook(broken, 0), "broken.xlsx", default_la="999")
    errors = parsed.problems.errors
    assert len(errors) == 1
    excel_row = 4 + index  # title, blank, heading rows come first
    assert (errors[0].row, errors[0].column, errors[0].cell, errors[0].found) == (
        excel_row, "Value", f"C{excel_row}", garbage,
    )  # fmt: skip


@pytest.mark.parametrize("garbage", ["abc", "12a"])
def test_garbage_after_a_thousand_good_rows_is_still_caught(garbage: str) -> None:
    """Readers that infer types from the first rows turn a late bad cell into a silent null; ours must not."""
    rows: list[tuple[str, date, object]] = [(f"KPI {i % 7}", MONTHS[i % 36], float(i % 90)) for i in range(252)]
    rows = list({(k, m): (k, m, v) for k, m, v in rows}.values()) * 1
    rows += [(f"Late KPI {i}", MONTHS[0], 1.0) for i in range(1200)]
    rows.append(("Last KPI", MONTHS[5], garbage))
    parsed = read_bytes(_workbook(rows, 2), "late.xlsx", default_la="999")
    assert [(e.row, e.found) for e in parsed.problems.errors] == [(3 + len(rows), garbage)]


# ---- equivalent XML: whoever wrote the workbook, the same table reads the same

OPTIONS = st.builds(
    ooxml.Options,
    prefix=st.sampled_from(["", "x", "main", "s0"]),
    style_first=st.booleans(),
    shared_strings=st.booleans(),
    refs=st.booleans(),
    dimension=st.sampled_from(["right", "missing", "wrong"]),
    pretty=st.booleans(),
)
DATE_STYLES = st.sampled_from(["mmm-yy", "mmmm yyyy", "dd/mm/yyyy", "[$-809]mmm\\-yy;@"])
VALUE_STYLES = st.sampled_from([None, "0%", "0.00%", "0.0%", "0.0"])


def _read(data: bytes) -> tuple[list[Any], list[Any], list[Any]]:
    parsed = read_bytes(data, "equivalent.xlsx", default_la="999")
    observations = (
        []
        if parsed.kpi is None
        else sorted(
            (r["kpi_code"], r["period"], round(r["value"], 6), r["excel_row"])
            for r in parsed.kpi.observations.to_dict("records")
        )
    )
    units = [] if parsed.kpi is None else sorted(parsed.kpi.kpis[["kpi_code", "unit"]].itertuples(index=False))
    problems = sorted((p.code, p.row, p.column, p.cell, p.found, p.severity) for p in parsed.problems.items)
    return observations, units, problems


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=rows_strategy,
    options=OPTIONS,
    month_style=DATE_STYLES,
    value_style=VALUE_STYLES,
    hidden=st.sets(st.integers(4, 43), max_size=3),
    data=st.data(),
)
def test_equivalent_xml_reads_the_same(
    rows: list[tuple[str, date, float]],
    options: ooxml.Options,
    month_style: str,
    value_style: str | None,
    hidden: set[int],
    data: st.DataObject,
) -> None:
    """Prefixes, attribute order, shared or inline strings, no r, no or a wrong dimension: same values and problems."""
    garbage = data.draw(st.none() | st.tuples(st.integers(0, len(rows) - 1), GARBAGE))
    table: list[list[ooxml.Cell]] = [["Fictional council KPI return"], [], ["KPI", "Month", "Value"]]
    for index, (kpi, month, value) in enumerate(rows):
        shown: object = value / 100 if value_style and "%" in value_style else value
        if garbage is not None and garbage[0] == index:
            shown = garbage[1]
        table.append([kpi, (month, month_style), (shown, value_style) if value_style else shown])
    spec = ooxml.SheetSpec("Data", table, hidden_rows=hidden)
    canonical = _read(ooxml.build([spec]))
    assert _read(ooxml.build([spec], options)) == canonical
    observations, _, problems = canonical
    expected = {(k, m, v) for i, (k, m, v) in enumerate(rows) if garbage is None or garbage[0] != i}
    names = {kpi_code_from_name(k): k for k in KPIS}
    assert {(names[str(c)], m, v) for c, m, v, _ in observations} == expected
    errors = [p for p in problems if p[5] == "error"]
    if garbage is None:
        assert errors == []
    else:
        row = 4 + garbage[0]
        assert errors == [("kpi.not_a_number", row, "Value", f"C{row}", garbage[1], "error")]
    assert sorted(p[1] for p in problems if p[0] == "file.hidden_rows") == sorted(
        first for first in hidden if first <= 3 + len(rows) and first - 1 not in hidden
    )
