"""Write the small test files under tests/data/good and tests/data/bad.

All figures are for a fictional council ("Northmoor", code 999): demonstration data only.
Run from the project root: python tests/data/make_test_files.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

HERE = Path(__file__).parent
GOOD, BAD = HERE / "good", HERE / "bad"
FICTIONAL = "Northmoor Council (fictional, demonstration data only)"
PLAN_HEADINGS = ["Ref", "Action", "Success measure(s)", "Lead", "Timescale", "RAG Nov 16", "RAG Feb 17"]
LONG_HEADINGS = ["KPI", "Month", "Value", "Target"]


def _book(rows: list[list[object]], title: str | None = FICTIONAL) -> Workbook:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    return book


def _csv(rows: list[list[object]], delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\n".join(delimiter.join("" if v is None else str(v) for v in row) for row in rows) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode()


def _plan(rows: list[list[object]], headings: list[str] = PLAN_HEADINGS) -> Workbook:
    return _book([headings, ["Priority 1: Workforce"], *rows])


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------- bad files: one failure each
# The heading row is Excel row 3 (title, blank, headings) unless said otherwise.


def text_in_value() -> bytes:
    return _save(
        _book(
            [LONG_HEADINGS, ["Return interviews %", "Apr-16", 55, 100], ["Return interviews %", "May-16", "abc", 100]]
        )
    )


def percent_over_100() -> bytes:
    book = _book(
        [LONG_HEADINGS, ["Return interviews %", "Apr-16", "55%", 100], ["Return interviews %", "May-16", "120%", 100]]
    )
    return _save(book)


def unreadable_month() -> bytes:
    return _csv([LONG_HEADINGS, ["Caseload", "Apr-16", 18, 20], ["Caseload", "Smarch 2016", 19, 20]])


def duplicate_kpi_month() -> bytes:
    return _csv([LONG_HEADINGS, ["Caseload", "Apr-16", 18, 20], ["Caseload", "01/04/2016", 19, 20]])


def unknown_rating() -> bytes:
    return _save(_plan([["1.1", "Recruit staff", "", "Head of HR", "03/16", "A", "Purple"]]))


def ambiguous_green() -> bytes:
    return _save(_plan([["1.1", "Recruit staff", "", "Head of HR", "03/16", "Green", "DG"]]))


def unknown_polarity() -> bytes:
    headings = ["Code", "KPI", "Unit", "Good is", "Target", "Apr-16", "May-16"]
    return _save(_book([headings, ["K1", "Caseload", "Number", "Sideways", 18, 20, 19]]))


def text_target() -> bytes:
    return _save(_book([LONG_HEADINGS, ["Caseload", "Apr-16", 18, "eighteen"]]))


def rag_month_needed() -> bytes:
    headings = ["Ref", "Action", "Success measure(s)", "Lead", "Timescale", "RAG Previous", "RAG Current"]
    return _save(_plan([["1.1", "Recruit staff", "", "Head of HR", "03/16", "A", "DG"]], headings))


def duplicate_action() -> bytes:
    rows = [
        ["1.1", "Recruit staff", "", "Head of HR", "03/16", "A", "DG"],
        ["1.1", "Again", "", "HR", "03/16", "A", "A"],
    ]
    return _save(_plan(rows))


def negative_percent() -> bytes:
    return _csv([["KPI", "Month", "Value"], ["Care leavers NEET %", "2016-04", "-5%"]])


def value_without_kpi() -> bytes:
    return _csv([["KPI", "Month", "Value"], ["Caseload", "2016-04", "18"], ["", "2016-05", "19"]])


def no_table() -> bytes:
    return _save(_book([["This sheet holds notes only."], ["Nothing to load here."]], title=None))


def bad_fill_colour() -> bytes:
    book = _plan([["1.1", "Recruit staff", "", "Head of HR", "03/16", "A", None]])
    sheet = book.active
    assert sheet is not None
    sheet["G5"].fill = PatternFill("solid", fgColor="FF7030A0")  # purple
    return _save(book)


BAD_FILES: dict[str, Callable[[], bytes]] = {
    "text_in_value.xlsx": text_in_value,
    "percent_over_100.xlsx": percent_over_100,
    "unreadable_month.csv": unreadable_month,
    "duplicate_kpi_month.csv": duplicate_kpi_month,
    "unknown_rating.xlsx": unknown_rating,
    "ambiguous_green.xlsx": ambiguous_green,
    "unknown_polarity.xlsx": unknown_polarity,
    "text_target.xlsx": text_target,
    "rag_month_needed.xlsx": rag_month_needed,
    "duplicate_action.xlsx": duplicate_action,
    "negative_percent.csv": negative_percent,
    "value_without_kpi.csv": value_without_kpi,
    "no_table.xlsx": no_table,
    "bad_fill_colour.xlsx": bad_fill_colour,
}


# ----------------------------------------------------------------- refused before parsing


def png_named_xlsx() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def macro_workbook() -> bytes:
    data = io.BytesIO(_save(_book([LONG_HEADINGS, ["Caseload", "Apr-16", 18, 20]])))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    return data.getvalue()


def encrypted_workbook() -> bytes:
    """The start of an OLE compound file holding an EncryptedPackage stream, as Excel writes one."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64


def huge_dimension() -> bytes:
    data = io.BytesIO(_save(_book([LONG_HEADINGS, ["Caseload", "Apr-16", 18, 20]])))
    source = zipfile.ZipFile(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[A-Z0-9:]+"', b'<dimension ref="A1:XFD1048576"', content)
            archive.writestr(item, content)
    return out.getvalue()


def web_page_csv() -> bytes:
    return b"<!DOCTYPE html><html><body><table><tr><td>KPI</td></tr></table></body></html>"


REFUSED_FILES: dict[str, Callable[[], bytes]] = {
    "png_named.xlsx": png_named_xlsx,
    "macro.xlsx": macro_workbook,
    "encrypted.xlsx": encrypted_workbook,
    "huge_dimension.xlsx": huge_dimension,
    "web_page.csv": web_page_csv,
}


# ----------------------------------------------------------------- good files


def good_long_csv() -> bytes:
    rows = [
        ["Northmoor Council (fictional) KPI return"],
        [],
        ["KPI name", "Month", "Value", "Target", "LA code"],
        ["Return interviews %", "01/04/2016", "55%", "100", "999"],
        ["Return interviews %", "01/05/2016", "n/a", "100", "999"],
        ["Average caseload", "Apr-16", "18.5", "18", "999"],
        ["Average caseload", "May-16", "-", "18", "999"],
        ["Figures are fictional."],
    ]
    return _csv(rows, delimiter=";", bom=True)


def good_wide_xlsx() -> bytes:
    headings = ["Code", "KPI", "Unit", "Good is", "Target", dt.datetime(2016, 4, 1), "May 2016", "2016-06"]
    book = _book([headings, ["NM_RI", "Return interviews", "%", "High", 1, 0.55, 0.6, None],
                  ["NM_CL", "Average caseload", "Number", "Low", 18, 19, 18.5, 17]])  # fmt: skip
    sheet = book.active
    assert sheet is not None
    for cell in ("E4", "F4", "G4"):
        sheet[cell].number_format = "0%"
    sheet["F3"].number_format = "mmm-yy"
    sheet.append([])
    sheet.append(["Source: fictional demonstration data."])
    return _save(book)


def good_plan_relative() -> bytes:
    headings = ["Ref", "Ofsted ref", "Action", "Success measure(s)", "Lead", "Time", "Initial", "Previous", "Current"]
    book = _book([
        headings,
        ["Priority 1: A fictional workforce priority"],
        ["Outcome: Staff are stable."],
        ["1.1", "Ofsted 7 (a)", "Recruit staff", "90% permanent", "Head of HR", "03/16", "red", "Amber", "dark green"],
        ["1.2", "", "Train staff", "", "Head of HR", "12/16", "А", None, "C"],
        ["NEW 1", "", "A new action", "TBC", "TBC", "TBC", None, None, None],
    ])  # fmt: skip
    sheet = book.active
    assert sheet is not None
    sheet["H7"].fill = PatternFill("solid", fgColor="FF92D050")
    sheet.merge_cells("A4:I4")
    return _save(book)


GOOD_FILES: dict[str, Callable[[], bytes]] = {
    "kpi_long_semicolon_bom.csv": good_long_csv,
    "kpi_wide_mixed_months.xlsx": good_wide_xlsx,
    "plan_relative_headings.xlsx": good_plan_relative,
}


def main() -> None:
    for folder, files in ((BAD, BAD_FILES), (BAD, REFUSED_FILES), (GOOD, GOOD_FILES)):
        folder.mkdir(parents=True, exist_ok=True)
        for name, make in files.items():
            (folder / name).write_bytes(make())
    print(f"wrote {len(BAD_FILES) + len(REFUSED_FILES)} bad and {len(GOOD_FILES)} good files")


if __name__ == "__main__":
    main()
