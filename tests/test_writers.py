"""The same workbook written by openpyxl, xlsxwriter, LibreOffice and a prefixed Open XML writer reads the same.

Councils' files come from case management systems, SQL Server reporting, LibreOffice and Excel.
Each writer here produces the same logical workbook (fictional council, LA 999): a wide KPI sheet
with date headings in three formats, percentages as built-in (9, 10) and custom formats, a
hidden row and a bad cell; and a hidden plan sheet with a merged priority row, an Ofsted
reference merged down two actions and a bad rating. Stored values, units, months and every
problem's location must be identical whoever wrote the file.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from loaders.ingest import read_bytes
from loaders.model import Parsed
from tests import ooxml

KPI_ROWS: list[list[ooxml.Cell]] = [
    ["FICTIONAL DEMONSTRATION DATA: Northmoor Borough Council (LA 999) does not exist."],
    [],
    ["KPI", "Good is", "Target", (date(2016, 9, 1), "mmm-yy"), (date(2016, 10, 1), "mmmm yyyy"),
     (date(2016, 11, 1), "dd/mm/yyyy")],
    ["Return interviews %", "High", (1, "0%"), (0.37, "0%"), (0.78, "0.0%"), (0.815, "0.00%")],
    ["Caseload", "Low", 18, 17.5, "abc", 16],
    ["Unallocated cases", "Low", 0, 14, 12, 9],
    ["Care leavers NEET %", "Low", (0.3, "0%"), (0.534, "0.0%"), None, "n/a"],
]  # fmt: skip
PLAN_ROWS: list[list[ooxml.Cell]] = [
    ["Ref", "Ofsted ref", "Action", "Lead", "Timescale", "RAG Nov 16", "RAG Feb 17"],
    ["Priority 1: A fictional workforce priority"],
    ["1.1", "Ofsted 7 (a)", "Recruit permanent social workers", "Head of HR", "03/16", "A", "DG"],
    ["1.2", None, "Train managers", "Head of HR", "06/16", "R", "Purple"],
]
KPI_SHEET = ooxml.SheetSpec("KPI return", KPI_ROWS, hidden_rows={6})
PLAN_SHEET = ooxml.SheetSpec("Plan", PLAN_ROWS, hidden=True, merged=["A2:G2", "B3:B4"])

EXPECTED_OBSERVATIONS = [
    ("CARE_LEAVERS_NEET", date(2016, 9, 1), 53.4, None, 7),
    ("CARE_LEAVERS_NEET", date(2016, 11, 1), None, "n/a", 7),
    ("CASELOAD", date(2016, 9, 1), 17.5, None, 5),
    ("CASELOAD", date(2016, 11, 1), 16.0, None, 5),
    ("RETURN_INTERVIEWS", date(2016, 9, 1), 37.0, None, 4),
    ("RETURN_INTERVIEWS", date(2016, 10, 1), 78.0, None, 4),
    ("RETURN_INTERVIEWS", date(2016, 11, 1), 81.5, None, 4),
    ("UNALLOCATED_CASES", date(2016, 9, 1), 14.0, None, 6),
    ("UNALLOCATED_CASES", date(2016, 10, 1), 12.0, None, 6),
    ("UNALLOCATED_CASES", date(2016, 11, 1), 9.0, None, 6),
]
EXPECTED_KPIS = [
    ("CARE_LEAVERS_NEET", "%", "lower", 30.0),
    ("CASELOAD", "Number", "lower", 18.0),
    ("RETURN_INTERVIEWS", "%", "higher", 100.0),
    ("UNALLOCATED_CASES", "Number", "lower", 0.0),
]
EXPECTED_PROBLEMS = [
    ("error", "kpi.not_a_number", "KPI return", 5, "October 2016", "E5", "abc"),
    ("error", "plan.bad_rating", "Plan", 4, "RAG Feb 17", "G4", "Purple"),
    ("warning", "file.hidden_rows", "KPI return", 6, "", "", ""),
    ("warning", "file.hidden_sheet", "Plan", None, "", "", ""),
]


def _cells(rows: list[list[ooxml.Cell]]) -> list[tuple[int, int, object, str | None]]:
    out = []
    for r, row in enumerate(rows, start=1):
        for c, raw in enumerate(row):
            value, style = raw if isinstance(raw, tuple) else (raw, None)
            if value is not None:
                out.append((r, c, value, style))
    return out


def _excel_format(style: str) -> str:
    return {"[$-809]mmm\\-yy;@": "mmm-yy"}.get(style, style)


def write_openpyxl(sheets: list[ooxml.SheetSpec]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for spec in sheets:
        ws = book.create_sheet(spec.name)
        for r, c, value, style in _cells(spec.rows):
            cell = ws.cell(row=r, column=c + 1, value=datetime(value.year, value.month, value.day)
                           if isinstance(value, date) else value)  # fmt: skip
            if style:
                cell.number_format = _excel_format(style)
        for row in spec.hidden_rows:
            ws.row_dimensions[row].hidden = True
        for ref in spec.merged:
            ws.merge_cells(ref)
        if spec.hidden:
            ws.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_xlsxwriter(sheets: list[ooxml.SheetSpec]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    formats: dict[str, object] = {}
    for spec in sheets:
        ws = book.add_worksheet(spec.name)
        merged = {ref.split(":")[0]: ref for ref in spec.merged}
        for r, c, value, style in _cells(spec.rows):
            fmt = formats.setdefault(style, book.add_format({"num_format": _excel_format(style)})) if style else None
            ref = f"{ooxml.col_letters(c)}{r}"
            if ref in merged:
                ws.merge_range(merged[ref], value, fmt)
            elif isinstance(value, date):
                ws.write_datetime(r - 1, c, datetime(value.year, value.month, value.day), fmt)
            else:
                ws.write(r - 1, c, value, fmt)
        for row in spec.hidden_rows:
            ws.set_row(row - 1, None, None, {"hidden": True})
        if spec.hidden:
            ws.hide()
    book.close()
    return out.getvalue()


def write_prefixed(sheets: list[ooxml.SheetSpec]) -> bytes:
    """As .NET Open XML SDK writers do: x: prefix, style before reference, no dimension."""
    return ooxml.build(sheets, ooxml.Options(prefix="x", style_first=True, dimension="missing"))


def write_libreoffice(sheets: list[ooxml.SheetSpec], tmp: Path) -> bytes:
    """openpyxl's workbook opened and saved again by LibreOffice Calc (its own styles, strings, XML)."""
    source, target = tmp / "in", tmp / "out"
    source.mkdir()
    (source / "book.xlsx").write_bytes(write_openpyxl(sheets))
    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    profile = f"-env:UserInstallation=file://{tmp / 'profile'}"  # its own profile: runs in parallel safely
    command = [soffice, profile, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(target)]
    subprocess.run([*command, str(source / "book.xlsx")], check=True, capture_output=True, timeout=180)
    return (target / "book.xlsx").read_bytes()


def _plain(value: object) -> object:
    return None if value is None or (isinstance(value, float) and value != value) else value


def summary(parsed: Parsed) -> dict[str, list[tuple[object, ...]]]:
    """What a reader made of the file, in a form that compares exactly."""
    assert parsed.kpi is not None and parsed.plan is not None
    obs = parsed.kpi.observations
    kpis = parsed.kpi.kpis
    return {
        "observations": sorted(
            (r["kpi_code"], r["period"], _plain(round(r["value"], 6)), _plain(r["missing_mark"]), r["excel_row"])
            for r in obs.to_dict("records")
        ),
        "kpis": sorted((r.kpi_code, r.unit, r.polarity, r.target) for r in kpis.itertuples()),
        "actions": sorted(
            (r.action_ref, r.priority, r.ofsted_ref, r.description, r.lead, r.timescale_text, r.excel_row)
            for r in parsed.plan.actions.itertuples()
        ),
        "ratings": sorted((r.action_ref, r.period, r.rating) for r in parsed.plan.ratings.itertuples()),
        "priorities": sorted((r.priority, r.title) for r in parsed.plan.priorities.itertuples()),
        "problems": sorted(
            ((p.severity, p.code, p.sheet, p.row, p.column, p.cell, p.found) for p in parsed.problems.items),
            key=repr,
        ),
    }


WRITERS: dict[str, Callable[[list[ooxml.SheetSpec], Path], bytes]] = {
    "openpyxl": lambda sheets, tmp: write_openpyxl(sheets),
    "xlsxwriter": lambda sheets, tmp: write_xlsxwriter(sheets),
    "prefixed-open-xml": lambda sheets, tmp: write_prefixed(sheets),
    "libreoffice": write_libreoffice,
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_writer_reads_back_identically(writer: str, tmp_path: Path) -> None:
    data = WRITERS[writer]([KPI_SHEET, PLAN_SHEET], tmp_path)
    got = summary(read_bytes(data, f"{writer}.xlsx", default_la="999", rag_months={}))
    assert got["observations"] == EXPECTED_OBSERVATIONS
    assert got["kpis"] == EXPECTED_KPIS
    assert got["problems"] == sorted(EXPECTED_PROBLEMS, key=repr)
    assert got["actions"] == [
        ("1.1", 1, "Ofsted 7 (a)", "Recruit permanent social workers", "Head of HR", "03/16", 3),
        ("1.2", 1, "Ofsted 7 (a)", "Train managers", "Head of HR", "06/16", 4),  # merged down from B3
    ]
    assert got["ratings"] == [
        ("1.1", date(2016, 11, 1), "A"), ("1.1", date(2017, 2, 1), "DG"), ("1.2", date(2016, 11, 1), "R"),
    ]  # fmt: skip
    assert got["priorities"] == [(1, "A fictional workforce priority")]


def test_1904_date_system_reads_the_same_months(tmp_path: Path) -> None:
    """Workbooks from old Mac Excel count days from 1904; a heading shown as Sep-16 is still September 2016."""
    sheets = [KPI_SHEET, PLAN_SHEET]
    for options in (ooxml.Options(date1904=True), ooxml.Options(date1904=True, prefix="x", shared_strings=False)):
        got = summary(read_bytes(ooxml.build(sheets, options), "mac.xlsx", default_la="999"))
        assert got["observations"] == EXPECTED_OBSERVATIONS
        assert got["problems"] == sorted(EXPECTED_PROBLEMS, key=repr)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "date_1904": True})
    ws = book.add_worksheet("Data")
    ws.write_row(0, 0, ["KPI", "Good is"])
    ws.write_datetime(0, 2, datetime(2016, 9, 1), book.add_format({"num_format": "mmm-yy"}))
    ws.write_row(1, 0, ["Caseload", "Low", "abc"])
    book.close()
    parsed = read_bytes(out.getvalue(), "mac.xlsx", default_la="999")
    assert [(p.column, p.cell, p.found) for p in parsed.problems.errors] == [("Sep-16", "C2", "abc")]


@pytest.mark.parametrize(
    ("options", "first_row", "first_col"),
    [
        (ooxml.Options(dimension="wrong"), 1, 0),
        (ooxml.Options(dimension="missing", prefix="x"), 1, 0),
        (ooxml.Options(dimension="right"), 4, 2),
        (ooxml.Options(dimension="wrong", style_first=True, shared_strings=False), 4, 2),
    ],
)
def test_problem_locations_hold_wherever_the_table_starts(
    options: ooxml.Options, first_row: int, first_col: int
) -> None:
    """The cell references in problems follow the sheet, not the reader's grid, whatever <dimension> says."""
    spec = ooxml.SheetSpec(
        "KPI return", KPI_ROWS, hidden_rows={5 + first_row}, first_row=first_row, first_col=first_col
    )
    parsed = read_bytes(ooxml.build([spec], options), "moved.xlsx", default_la="999")
    error = parsed.problems.errors[0]
    row, letter = 4 + first_row, ooxml.col_letters(4 + first_col)
    assert (error.row, error.column, error.cell, error.found) == (row, "October 2016", f"{letter}{row}", "abc")
    assert [p.row for p in parsed.problems.warnings if p.code == "file.hidden_rows"] == [5 + first_row]


@pytest.mark.parametrize("options", [ooxml.Options(refs=False), ooxml.Options(refs=True, prefix="x")])
def test_percent_cells_and_hidden_rows_far_below_the_first_rows(options: ooxml.Options) -> None:
    """Past the rows read cell by cell, percentage styles and hidden rows are still found, with or without r."""
    rows: list[list[ooxml.Cell]] = [["KPI", "Month", "Value"]]
    months = [f"{2010 + m // 12}-{m % 12 + 1:02d}" for m in range(50)]
    rows += [[f"Fictional KPI {i % 3}", months[i // 3], (i / 200, "0.0%") if i % 2 else i] for i in range(150)]
    hidden = {120, 121, 140}
    parsed = read_bytes(ooxml.build([ooxml.SheetSpec("Data", rows, hidden_rows=hidden)], options), "far.xlsx")
    assert parsed.kpi is not None
    values = {r["excel_row"]: r["value"] for r in parsed.kpi.observations.to_dict("records")}
    assert values == {i + 2: pytest.approx(i / 2 if i % 2 else i) for i in range(150)}
    runs = [(p.row, p.message) for p in parsed.problems.warnings if p.code == "file.hidden_rows"]
    assert runs == [(120, "rows 120 to 121 are hidden in Excel; their values were read"),
                    (140, "row 140 is hidden in Excel; its values were read")]  # fmt: skip


def test_the_downloadable_report_names_columns_as_displayed_with_their_cells() -> None:
    """The problem table the Upload page shows and downloads carries the displayed heading and the cell."""
    from ui.upload_preview import problem_table

    parsed = read_bytes(write_xlsxwriter([KPI_SHEET, PLAN_SHEET]), "return.xlsx", default_la="999")
    table = problem_table(parsed)
    errors = table[table["Severity"] == "error"][["Sheet", "Row", "Column", "Cell", "Found"]]
    assert errors.values.tolist() == [
        ["KPI return", 5, "October 2016", "E5", "abc"],
        ["Plan", 4, "RAG Feb 17", "G4", "Purple"],
    ]
    assert "2016-10-01" not in table.to_csv()
