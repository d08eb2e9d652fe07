"""Write the seed workbooks from the transcription of Sunderland's Improvement Plan Progress Report.

The report of the Executive Director of Children's Services to the Children, Education and Skills
Scrutiny Committee (early 2017) is the dashboard's default data. The transcription is data, in
`plan.toml` and `kpis.toml` beside this file, copied as printed (typos and look-alike letters
included) so that the app's loader meets the report's real dirt; a correction is a data diff.
This writer only lays the rows out as the workbooks the loader reads. Run from the project root:

    python data/seed/make_seed.py
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

SEED_DIR = Path(__file__).resolve().parent
PLAN_SOURCE, KPI_SOURCE = SEED_DIR / "plan.toml", SEED_DIR / "kpis.toml"
PLAN_PATH, KPI_PATH = SEED_DIR / "improvement_plan.xlsx", SEED_DIR / "kpis.xlsx"

# (heading, width, key in plan.toml's actions) per column of the plan sheet.
PLAN_COLUMNS = [
    ("Ref", 8, "ref"),
    ("Ofsted ref", 14, "ofsted"),
    ("Action", 60, "action"),
    ("Success measure(s)", 80, "measures"),
    ("Lead", 32, "lead"),
    ("Timescale", 10, "timescale"),
    ("RAG Initial", 9, "rag_initial"),
    ("RAG Nov 16", 9, "rag_nov16"),
    ("RAG Feb 17", 9, "rag_feb17"),
    ("Itemised in Appendix A", 12, "itemised"),
    ("Source note", 50, "note"),
    ("Estimate note", 40, "estimate"),
    ("Estimate note RAG Initial", 30, "estimate_initial"),
    ("Estimate note RAG Nov 16", 30, "estimate_nov16"),
    ("Estimate note RAG Feb 17", 30, "estimate_feb17"),
]
# (heading, width, key in kpis.toml's kpis) per fixed column of the KPI sheet; a column per month follows.
KPI_COLUMNS = [
    ("Code", 28, "code"),
    ("KPI", 52, "name"),
    ("Unit", 9, "unit"),
    ("Good is", 8, "good_is"),
    ("Target", 8, "target"),
    ("Actions", 9, "actions"),
    ("Note", 60, "note"),
    ("Estimate note", 40, "estimate"),
]
BOLD = Font(bold=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def load(path: Path) -> dict[str, Any]:
    """One transcription file; a key left out of a row is a blank cell."""
    with path.open("rb") as f:
        return tomllib.load(f)


def _write_title(ws: Worksheet, source: dict[str, Any], columns: int) -> None:
    last = get_column_letter(columns)
    ws["A1"] = source["title"]
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = source["subtitle"]
    ws.merge_cells(f"A2:{last}2")


def _write_headings(ws: Worksheet, columns: list[tuple[str, int, str]]) -> None:
    for col, (heading, width, _) in enumerate(columns, start=1):
        ws.cell(row=4, column=col, value=heading).font = BOLD
        ws.column_dimensions[get_column_letter(col)].width = width


def _write_notes(wb: Workbook, notes: list[str]) -> None:
    ws = wb.create_sheet("Notes")
    ws.column_dimensions["A"].width = 120
    for row, text in enumerate(notes, start=1):
        ws.cell(row=row, column=1, value=text).alignment = WRAP_TOP


def _merged_row(ws: Worksheet, row: int, text: str, bold: bool) -> None:
    """A heading row across the sheet, tall enough for its wrapped text."""
    cell = ws.cell(row=row, column=1, value=text)
    cell.alignment = WRAP_TOP
    if bold:
        cell.font = BOLD
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(PLAN_COLUMNS))
    width = sum(width for _, width, _ in PLAN_COLUMNS)
    ws.row_dimensions[row].height = 15 * math.ceil(len(text) * 1.1 / width)


def _cell_value(action: dict[str, Any], key: str, source: dict[str, Any]) -> object:
    value = action.get(key)
    if key == "itemised":
        return "Yes" if value else "No"
    if key == "estimate_initial" and value is None and action.get("rag_initial"):
        return source.get("estimate_initial")
    return value


def write_plan(path: Path, source: dict[str, Any]) -> None:
    """The plan tracker: a heading and an outcome row per priority, then its actions in file order."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Improvement plan"
    _write_title(ws, source, len(PLAN_COLUMNS))
    _write_headings(ws, PLAN_COLUMNS)
    ws.freeze_panes = "A5"
    row = 5
    for priority in source["priority"]:
        _merged_row(ws, row, f"Priority {priority['number']}: {priority['title']}", bold=True)
        _merged_row(ws, row + 1, f"Outcome: {priority['outcome']}", bold=False)
        row += 2
        for action in priority["action"]:
            for col, (_, _, key) in enumerate(PLAN_COLUMNS, start=1):
                cell = ws.cell(row=row, column=col, value=_cell_value(action, key, source))
                cell.alignment = WRAP_TOP
                cell.number_format = "@"
            row += 1
    _write_notes(wb, source["notes"])
    wb.save(path)


def write_kpis(path: Path, source: dict[str, Any]) -> None:
    """The KPI workbook in its wide shape: a row per KPI, a column per month the report quotes."""
    months = [dt.datetime(m.year, m.month, 1) for m in source["months"]]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "KPIs"
    _write_title(ws, source, len(KPI_COLUMNS) + len(months))
    _write_headings(ws, KPI_COLUMNS)
    for offset, month in enumerate(months):
        col = len(KPI_COLUMNS) + 1 + offset
        cell = ws.cell(row=4, column=col, value=month)
        cell.font = BOLD
        cell.number_format = "mmm-yy"
        ws.column_dimensions[get_column_letter(col)].width = 9
    ws.freeze_panes = "C5"
    for row, kpi in enumerate(source["kpi"], start=5):
        for col, (_, _, key) in enumerate(KPI_COLUMNS, start=1):
            ws.cell(row=row, column=col, value=kpi.get(key)).alignment = WRAP_TOP
        ws.cell(row=row, column=6).number_format = "@"
        unknown = set(kpi.get("values", {})) - {f"{m:%Y-%m}" for m in months}
        if unknown:
            raise ValueError(f"{kpi['code']}: months {sorted(unknown)} are not in `months`")
        for offset, month in enumerate(months):
            value = kpi.get("values", {}).get(f"{month:%Y-%m}")
            ws.cell(row=row, column=len(KPI_COLUMNS) + 1 + offset, value=value)
    _write_notes(wb, source["notes"])
    wb.save(path)


def main() -> None:
    write_plan(PLAN_PATH, load(PLAN_SOURCE))
    write_kpis(KPI_PATH, load(KPI_SOURCE))
    print(f"wrote {PLAN_PATH} and {KPI_PATH}")


if __name__ == "__main__":
    main()
