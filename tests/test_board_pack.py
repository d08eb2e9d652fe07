"""The board pack reproduces the progress report's tables, in Excel and PDF, safely."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pypdf
import pytest

from domain.rag import RAG_NAMES
from loaders.ingest import read_bytes
from reports import narrative
from reports.__main__ import main
from reports.board_pack import PackError, build, default_periods
from reports.excel import RAG_COLOURS, to_xlsx
from reports.pdf import to_pdf
from store.commentary import save_kpi_commentary, save_narrative
from store.queries import catalogue
from store.writes import submit

ROOT = Path(__file__).resolve().parent.parent
NOV16, FEB17 = date(2016, 11, 1), date(2017, 2, 1)

# Table 1 of the progress report ("Current RAG Rating Assigned to Action by Priority"), as printed:
# per priority, Red, Amber, Light Green, Dark Green, Completed, each as (Nov 16, Current).
REPORT_TABLE1 = [
    (1, [0, 0, 2, 0, 1, 0, 2, 3, 2, 4]),
    (2, [0, 0, 1, 1, 0, 0, 0, 0, 0, 0]),
    (3, [0, 0, 4, 1, 10, 3, 0, 10, 6, 6]),
    (4, [0, 0, 3, 3, 6, 2, 1, 4, 2, 3]),
    (5, [0, 0, 0, 0, 1, 0, 0, 1, 1, 1]),
    (6, [0, 0, 2, 2, 2, 0, 2, 2, 0, 2]),
    (7, [0, 0, 1, 1, 9, 3, 1, 6, 0, 1]),
    ("Totals", [0, 0, 13, 8, 29, 8, 6, 26, 11, 17]),
]
HYPERLINK = '=HYPERLINK("http://evil.example","click")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _workbook(conn: duckdb.DuckDBPyConnection, **options: object) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(build(conn, FEB17, NOV16, **options))))  # type: ignore[arg-type]


def _pdf_text(content: bytes) -> tuple[pypdf.PdfReader, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return reader, [page.extract_text() for page in reader.pages]


def _outline(items: list[object]) -> list[str]:
    titles: list[str] = []
    for item in items:
        titles += _outline(item) if isinstance(item, list) else [item.title]  # type: ignore[attr-defined]
    return titles


def _sheet_rows(ws: object) -> list[tuple[object, ...]]:
    return list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]


# ---------------------------------------------------------------- Excel


def test_excel_table1_equals_the_report_cell_by_cell(db: duckdb.DuckDBPyConnection) -> None:
    ws = _workbook(db)["Table 1"]
    rows = _sheet_rows(ws)
    header = next(i for i, row in enumerate(rows) if row[0] == "Priority")
    assert [rows[header][c] for c in range(1, 11, 2)] == ["Red", "Amber", "Light Green", "Dark Green", "Completed"]
    assert list(rows[header + 1][1:11]) == ["Nov 2016", "Feb 2017"] * 5
    body = rows[header + 2 : header + 2 + len(REPORT_TABLE1)]
    for (priority, expected), row in zip(REPORT_TABLE1, body, strict=True):
        label = str(row[0])
        assert label == "Totals" if priority == "Totals" else label.startswith(f"{priority}. ")
        assert list(row[1:11]) == expected, f"priority {priority}"
        assert all(type(v) is int for v in row[1:11])
    assert sum(_sheet_rows(ws)[header + 2 + 7][1:11:2]) == 59  # type: ignore[arg-type]


def test_excel_has_a_sheet_per_table_and_is_printable(db: duckdb.DuckDBPyConnection) -> None:
    wb = _workbook(db)
    assert wb.sheetnames == [
        "Table 1",
        *[f"Priority {n}" for n in range(1, 8)],
        "New actions",
        "Overdue",
        "KPIs",
        "SPC summary",
        "Inferred or estimated",
        "About",
    ]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1
        assert ws.oddFooter.center.text == "Page &P of &N"
        assert ws.column_dimensions["A"].width >= 10
    assert wb["Table 1"].print_title_rows == "$5:$6"


def test_excel_priority_sheets_list_changes_and_red_amber_with_coloured_labelled_ratings(
    db: duckdb.DuckDBPyConnection,
) -> None:
    ws = _workbook(db)["Priority 3"]
    rows = _sheet_rows(ws)
    changed_at = next(i for i, r in enumerate(rows) if r[0] == "Actions whose rating changed")
    red_amber_at = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Actions rated Red or Amber"))
    changed = [r for r in rows[changed_at + 2 : red_amber_at] if r[0]]
    assert [r[0] for r in changed] == [
        "3.2",
        "3.3",
        "3.7",
        "3.9",
        "3.11",
        "3.12",
        "3.13",
        "3.14",
        "3.18",
        "3.19",
        "3.20",
    ]
    assert changed[-1][3:5] == ("Amber", "Dark Green")
    assert [r[0] for r in rows[red_amber_at + 2 :] if r[0]] == ["3.10"]
    for row in ws.iter_rows():
        for cell in row:
            for code, (fill, _) in RAG_COLOURS.items():
                if cell.column > 1 and cell.value == RAG_NAMES[code]:
                    assert cell.fill.fgColor.rgb.endswith(fill), (cell.coordinate, cell.value)
    summary = ws["A5"].value
    assert summary.startswith("Eight actions moved from Light Green to Dark Green (3.2, 3.7")
    assert "3.10, the consistency and quality of case chronologies and genograms, remains Amber" in summary


def test_excel_new_overdue_and_kpis_keep_numbers_as_numbers(db: duckdb.DuckDBPyConnection) -> None:
    wb = _workbook(db)
    new = [r for r in _sheet_rows(wb["New actions"])[4:] if r[1]]
    assert [r[1] for r in new] == [f"NEW {n}" for n in range(1, 9)]
    assert all(type(r[0]) is int for r in new) and {r[3] for r in new} == {"Not yet rated"}
    overdue = {r[1]: r for r in _sheet_rows(wb["Overdue"])[4:] if r[1]}
    assert {"2.1", "3.10", "4.3", "6.3", "6.6", "7.9"} <= set(overdue)
    assert overdue["3.10"][5] == datetime(2016, 6, 1) and overdue["3.10"][6] == "Amber"
    kpis = {r[0]: r for r in _sheet_rows(wb["KPIs"])[4:] if r[0]}
    neet = kpis["Care leavers not in education, employment or training (NEET)"]
    assert neet[3] == datetime(2016, 12, 1) and neet[4] == 53.4 and isinstance(neet[4], float)
    assert neet[6] == 85 and neet[7] == pytest.approx(-31.6) and neet[8] == 30 and neet[9] == "Off target"
    assert kpis["Looked-after children visited within 6 weeks"][9] == "On target"
    assert kpis["Care leavers with a health passport"][9] == "No data"
    assert kpis["Care leavers with a health passport"][4] is None


def test_excel_escapes_formula_injection_from_the_plan_and_commentary(db: duckdb.DuckDBPyConnection) -> None:
    _load_hostile_plan(db)
    save_kpi_commentary(db, "CL_NEET", FEB17, "=2+2", "officer")
    save_narrative(db, 3, FEB17, NOV16, "-1+1 priority three", "officer")
    wb = _workbook(db)
    seen: dict[str, object] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    if cell.value.startswith(TRIGGERS):  # shown as written, stored as text with Excel's quote prefix
                        assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    seen[cell.value] = cell.value
    assert HYPERLINK in seen  # exactly as written: no apostrophe to see, nothing to calculate
    assert "@SUM(1+1) <b>bold</b> & co" in seen
    assert "+cmd|calc" in seen
    assert "=2+2" in seen
    assert "-1+1 priority three" in seen


def _load_hostile_plan(conn: duckdb.DuckDBPyConnection) -> None:
    """Re-rate 3.10 through the real loader with text cells a spreadsheet would run as formulas."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["Ref", "Ofsted ref", "Action", "Lead", "Timescale", "RAG Nov 16", "RAG Feb 17"])
    ws.append(["Priority 3: Improving the quality and timeliness of assessment and care planning"])
    ws.append(["3.10", "+cmd|calc", HYPERLINK, "@SUM(1+1) <b>bold</b> & co", "06/16", "A", "R"])
    for cell in ws[3]:
        cell.data_type = "s"  # stored as text, as a council's export would hold it
    raw = io.BytesIO()
    book.save(raw)
    parsed = read_bytes(raw.getvalue(), "hostile.xlsx", catalogue=catalogue(conn), default_la="394")
    assert parsed.ok, [p.describe() for p in parsed.problems.errors]
    assert submit(conn, parsed, raw.getvalue(), "tester").status == "stored"


# ---------------------------------------------------------------- PDF


def test_pdf_opens_with_title_page_tables_charts_and_page_numbers(db: duckdb.DuckDBPyConnection) -> None:
    reader, pages = _pdf_text(to_pdf(build(db, FEB17, NOV16)))
    assert 10 <= len(pages) <= 30
    assert reader.metadata is not None and reader.metadata.title == "Sunderland Improvement Plan board pack, Feb 2017"
    first = pages[0]
    assert "Sunderland Improvement Plan: board pack" in first
    assert "Progress from Nov 2016 to Feb 2017" in first and "Generated" in first and "UTC" in first
    assert "50 actions in the plan excluding completed ones; 26 of them are Dark Green" in first
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    everything = " ".join(pages).replace("\n", " ")
    assert "Table 1: RAG rating assigned to actions by priority" in pages[1]
    assert "Totals" in pages[1] and "Light Green" in pages[1]
    assert "Eight actions moved from Light Green to Dark Green" in everything
    assert "Actions added to the plan" in everything and "NEW 8" in everything
    assert "Overdue actions" in everything
    assert "Care leavers not in education, employment or training (NEET)" in everything
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2 + 12  # two overview charts and one per KPI with values


def test_pdf_headings_are_bookmarks(db: duckdb.DuckDBPyConnection) -> None:
    reader, _ = _pdf_text(to_pdf(build(db, FEB17, NOV16)))
    titles = _outline(reader.outline)
    assert titles[:2] == ["Sunderland Improvement Plan: board pack", "Overview"]
    for expected in (
        "How ratings moved",
        "Priority 3: Improving the quality and timeliness of assessment and care planning",
        "Actions added to the plan",
        "Overdue actions",
        "Key performance indicators",
        "KPI charts",
        "Return interviews completed",
    ):
        assert expected in titles


def test_pdf_prints_hostile_text_literally(db: duckdb.DuckDBPyConnection) -> None:
    _load_hostile_plan(db)
    save_kpi_commentary(db, "CL_NEET", FEB17, "Slower than hoped <i>& rising</i>", "officer")
    _, pages = _pdf_text(to_pdf(build(db, FEB17, NOV16)))
    everything = " ".join(pages).replace("\n", " ")
    assert HYPERLINK in everything
    assert "@SUM(1+1) <b>bold</b> & co" in everything
    assert "Slower than hoped <i>& rising</i>" in everything


# ---------------------------------------------------------------- words


def test_edited_narrative_replaces_the_draft_and_saved_one_is_used_by_default(db: duckdb.DuckDBPyConnection) -> None:
    save_narrative(db, 2, FEB17, NOV16, "Saved words for priority 2.", "officer")
    pack = build(db, FEB17, NOV16, narratives={3: "Edited words for priority 3."})
    by_number = {p.priority: p for p in pack.priorities}
    assert by_number[2].narrative == "Saved words for priority 2."
    assert by_number[3].narrative == "Edited words for priority 3."
    assert by_number[1].narrative == by_number[1].draft
    assert by_number[3].draft.startswith("Eight actions moved")


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Continue to improve the consistency and quality of case chronologies and genograms and ensure these",
         "the consistency and quality of case chronologies and genograms"),
        ("Improve the quality of assessments for children with disabilities, including transition",
         "the quality of assessments for children with disabilities"),
        ("Implement a new electronic social care recording system which enables",
         "a new electronic social care recording system"),
        ("MASH refocus", "MASH refocus"),
        ("", ""),
    ],
)  # fmt: skip
def test_short_name(description: str, expected: str) -> None:
    assert narrative.short_name(description) == expected


def test_draft_sentences_in_the_report_style() -> None:
    moves = pd.DataFrame(
        [
            ("2.1", "Put in place a coherent early help offer.", "A", "A", "held"),
            ("2.2", "Implement a tracking tool.", "LG", "DG", "improved"),
            ("2.3", "Review the panel.", "LG", "DG", "improved"),
            ("2.4", "Embed the framework.", "DG", "C", "completed"),
            ("2.5", "Develop the offer.", "LG", "A", "slipped"),
            ("NEW 9", "Something new.", None, None, "new, not yet rated"),
        ],
        columns=["action_ref", "description", "from_rating", "to_rating", "movement"],
    )
    text = narrative.draft(moves, ["2.1"], "Nov 2016", "Feb 2017")
    assert text.startswith("Two actions moved from Light Green to Dark Green (2.2 and 2.3); ")
    assert "2.4, the framework, moved from Dark Green to Completed" in text
    assert "2.5, the offer, moved from Light Green to Amber." in text
    assert "2.1, a coherent early help offer, remains Amber." in text
    assert "One new action is added (NEW 9), not yet rated." in text
    assert "One action is past its timescale and not yet Dark Green or Completed (2.1)." in text
    held = moves[moves["movement"] == "held"]
    assert narrative.draft(held, [], "Nov 2016", "Feb 2017").startswith(
        "No action changed rating between Nov 2016 and Feb 2017."
    )


# ---------------------------------------------------------------- periods and command line


def test_pack_refuses_periods_without_ratings_or_in_the_wrong_order(db: duckdb.DuckDBPyConnection) -> None:
    assert default_periods(db) == (FEB17, NOV16)
    with pytest.raises(PackError, match="2017-03 has no ratings.*2015-09, 2016-11, 2017-02"):
        build(db, date(2017, 3, 1), NOV16)
    with pytest.raises(PackError, match="must come before"):
        build(db, NOV16, FEB17)
    with pytest.raises(PackError, match="must come before"):
        build(db, FEB17, FEB17)


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_cli_writes_the_pack(db_path: Path, tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "packs" / f"board{suffix}"
    code = _run(["board-pack", "--period", "2017-02", "--compare", "2016-11", "--out", str(out), "--db", str(db_path)])
    assert code == 0
    assert "Feb 2017 compared with Nov 2016" in capsys.readouterr().out
    if suffix == ".xlsx":
        assert openpyxl.load_workbook(out)["Table 1"]["A1"].value.startswith("Sunderland")
    else:
        assert "Sunderland" in pypdf.PdfReader(out).pages[0].extract_text()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--period", "2017-13", "--compare", "2016-11", "--out", "x.pdf"], 2, "not a month written as YYYY-MM"),
        (["--period", "Feb 2017", "--compare", "2016-11", "--out", "x.pdf"], 2, "not a month written as YYYY-MM"),
        (["--period", "2017-02", "--compare", "2016-11", "--out", "x.docx"], 2, "must end in .xlsx or .pdf"),
        (["--period", "2017-02", "--out", "x.pdf"], 2, "--compare"),
        (["--period", "2017-03", "--compare", "2016-11", "--out", "x.pdf"], 1, "2017-03 has no ratings"),
        (["--period", "2016-11", "--compare", "2017-02", "--out", "x.xlsx"], 1, "must come before"),
    ],
)
def test_cli_exit_codes(
    db_path: Path, tmp_path: Path, args: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    assert _run(["board-pack", *args, "--db", str(db_path)]) == code
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("x.*"))


def test_cli_without_a_database_builds_it_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.duckdb"
    args = ["board-pack", "--period", "2017-02", "--compare", "2016-11", "--out", str(tmp_path / "p.pdf")]
    assert _run([*args, "--db", str(missing)]) == 0
    assert "building it from the seed council's data first" in capsys.readouterr().err
    assert missing.exists() and (tmp_path / "p.pdf").exists()


def test_python_dash_m_reports_runs(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.xlsx"
    args = ["--period", "2017-02", "--compare", "2016-11", "--out", str(out), "--db", str(db_path)]
    done = subprocess.run(
        [sys.executable, "-m", "reports", "board-pack", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0
    bad = subprocess.run([sys.executable, "-m", "reports", "board-pack"], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "required" in bad.stderr


def test_the_pack_says_what_is_inferred(db: duckdb.DuckDBPyConnection) -> None:
    """The seed report implies some figures rather than printing them; Excel and PDF list each with why."""
    pack = build(db, FEB17, NOV16)
    what = set(pack.estimates["What"])
    assert {"Rating of action 3.6", "Action 3.6", "Rating of action 1.3"} <= what
    assert any(w.startswith("KPI: ") and "permanent" in w.lower() for w in what)
    assert not any("2015" in m for m in pack.estimates["Month"])  # Initial ratings are not in this pack
    sheet = _workbook(db)["Inferred or estimated"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Rating of action 3.6" in cells
    assert any("has been achieved" in c for c in cells)
    table1 = _workbook(db)["Table 1"]
    notes = [str(c.value) for row in table1.iter_rows() for c in row if c.value and "inferred" in str(c.value)]
    count = len(pack.estimates)
    assert notes == [
        f"{count} of the figures in this pack are inferred or estimated: see the sheet 'Inferred or estimated'."
    ]
    _, pages = _pdf_text(to_pdf(pack))
    text = " ".join(pages)
    assert "Inferred or estimated figures" in text and "Rating of action 3.6" in text
