"""The board pack as an Excel workbook (openpyxl): a sheet per table of the progress report.

Numbers are stored as numbers and months as dates; every text cell goes through
reports.safe_text.inert_cell so no cell from the data can run as a formula. RAG cells carry
both the rating's colour and its name, so the table reads the same printed in black and white.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from domain.kpi_status import OFF_TARGET, ON_TARGET
from domain.rag import PRINT_COLOURS as RAG_COLOURS
from domain.rag import RAG_NAMES, RAG_ORDER
from reports.board_pack import BoardPack, PriorityPart, records
from reports.safe_text import inert_cell, neutralise
from reports.spc_tables import summary_matrix, summary_table

STATUS_COLOURS = {ON_TARGET: ("C6EFCE", "006100"), OFF_TARGET: ("FFC7CE", "9C0006")}
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_MONTH = "mmm yyyy"


def _value(value: Any) -> Any:
    """A cell value: numbers stay numbers, months become dates, missing becomes empty (text is made
    inert by `_cell`)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date() if isinstance(value, pd.Timestamp) else value
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float):
        return round(value, 9)  # 73.6 - 30.0 is 43.599999999999994 in binary
    return value


def _cell(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write one cell; text a spreadsheet would run as a formula stays text (`inert_cell`)."""
    return inert_cell(ws.cell(row=row, column=col, value=_value(value)))


def _put(ws: Worksheet, row: int, col: int, value: Any, *, bold: bool = False, wrap: bool = False) -> Any:
    cell = _cell(ws, row, col, value)
    cell.border = _BOX
    if bold:
        cell.font = Font(bold=True)
    if wrap:
        cell.alignment = _WRAP
    if isinstance(cell.value, date):
        cell.number_format = _MONTH
    return cell


def _rag(ws: Worksheet, row: int, col: int, code: object) -> None:
    """A rating cell: its full name on its colour; 'Not yet rated' (uncoloured) for none."""
    if isinstance(code, str) and code in RAG_COLOURS:
        fill, font = RAG_COLOURS[code]
        cell = _put(ws, row, col, RAG_NAMES[code])
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.font = Font(color=font, bold=True)
    else:
        cell = _put(ws, row, col, "Not yet rated")
    cell.alignment = _CENTRE


def _heading_row(ws: Worksheet, row: int, headings: Sequence[str]) -> None:
    for col, text in enumerate(headings, start=1):
        cell = _put(ws, row, col, text, bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = _CENTRE


def _title(ws: Worksheet, title: str, subtitle: str) -> None:
    _cell(ws, 1, 1, title).font = Font(bold=True, size=14)
    _cell(ws, 2, 1, subtitle).font = Font(italic=True, color="595959")


def _printable(ws: Worksheet, widths: Sequence[float], council: str, title_rows: str | None = None) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None
    header.left.text = _header_text(f"{council} Improvement Plan: board pack")
    header.right.text = "&A"
    footer.center.text = "Page &P of &N"


def _header_text(text: str) -> str:
    """Header text with '&' doubled, since a single '&' starts an Excel header code."""
    return text.replace("&", "&&")


def _subtitle(pack: BoardPack) -> str:
    return f"{pack.period_label} compared with {pack.compare_label}. Generated {pack.generated_at:%d %B %Y %H:%M} UTC."


def _table1(wb: Workbook, pack: BoardPack) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = "Table 1"
    _title(ws, f"{pack.council_name} Improvement Plan: RAG rating of actions by priority", _subtitle(pack))
    _cell(ws, 3, 1, pack.headline_text).alignment = Alignment(wrap_text=False)
    top, sub = 5, 6
    head = _put(ws, top, 1, "Priority", bold=True)
    head.fill, head.alignment = _HEAD_FILL, _CENTRE
    ws.merge_cells(start_row=top, start_column=1, end_row=sub, end_column=1)
    for index, code in enumerate(RAG_ORDER):
        col = 2 + 2 * index
        _rag(ws, top, col, code)
        ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 1)
        for offset, label in enumerate((pack.compare_label, pack.period_label)):
            cell = _put(ws, sub, col + offset, label, bold=True)
            cell.fill, cell.alignment = _HEAD_FILL, _CENTRE
    for r, row in enumerate(pack.table1.to_numpy().tolist(), start=sub + 1):
        totals = row[0] == "Totals"
        _put(ws, r, 1, row[0], bold=totals, wrap=True)
        for c, count in enumerate(row[1:], start=2):
            cell = _put(ws, r, c, int(count), bold=totals)
            cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.freeze_panes = f"B{sub + 1}"
    if len(pack.estimates):
        count = len(pack.estimates)
        note = f"{count} of the figures in this pack are inferred or estimated: see the sheet '{_ESTIMATES}'."
        _put(ws, sub + len(pack.table1) + 2, 1, note)
    _printable(ws, [60] + [11] * 10, pack.council_name, f"{top}:{sub}")


_ESTIMATES = "Inferred or estimated"


def _estimates(wb: Workbook, pack: BoardPack) -> None:
    """Every rating, action and KPI value in the pack that the source implies rather than prints."""
    ws = wb.create_sheet(_ESTIMATES)
    _title(ws, "Inferred or estimated figures", _subtitle(pack))
    if not len(pack.estimates):
        _put(ws, 4, 1, "Nothing in this pack is inferred or estimated.")
    else:
        _heading_row(ws, 4, list(pack.estimates.columns))
        for r, row in enumerate(pack.estimates.itertuples(index=False), start=5):
            for c, value in enumerate(row, start=1):
                _put(ws, r, c, value, wrap=c == 3)
    _printable(ws, [34, 12, 100], pack.council_name)


def _action_table(ws: Worksheet, row: int, heading: str, frame: pd.DataFrame, empty: str) -> int:
    """Write a heading and an action table at `row`; return the next free row."""
    _cell(ws, row, 1, heading).font = Font(bold=True, size=12)
    row += 1
    if frame.empty:
        _cell(ws, row, 1, empty).font = Font(italic=True)
        return row + 2
    _heading_row(ws, row, ["Action", "Ofsted ref", "Description", "Previous", "Current"])
    for record in records(frame):
        row += 1
        _put(ws, row, 1, record["action_ref"], bold=True)
        _put(ws, row, 2, record["ofsted_ref"], wrap=True)
        _put(ws, row, 3, record["description"], wrap=True)
        _rag(ws, row, 4, record["previous"])
        _rag(ws, row, 5, record["current"])
    return row + 2


def _priority(wb: Workbook, pack: BoardPack, part: PriorityPart) -> None:
    ws = wb.create_sheet(f"Priority {part.priority}")
    _title(ws, f"Priority {part.priority}: {part.title}", _subtitle(pack))
    ws.cell(row=4, column=1, value="Summary").font = Font(bold=True, size=12)
    ws.merge_cells(start_row=5, start_column=1, end_row=5, end_column=5)
    cell = _cell(ws, 5, 1, part.narrative)
    cell.alignment = _WRAP
    ws.row_dimensions[5].height = max(30, 15 * (len(part.narrative) // 120 + 1))
    row = _action_table(
        ws, 7, "Actions whose rating changed", part.changed, "No action in this priority changed rating."
    )
    _action_table(
        ws,
        row,
        f"Actions rated Red or Amber at {pack.period_label}",
        part.red_amber,
        "No action in this priority is rated Red or Amber.",
    )
    _printable(ws, [10, 14, 80, 14, 14], pack.council_name)


def _new_actions(wb: Workbook, pack: BoardPack) -> None:
    ws = wb.create_sheet("New actions")
    _title(ws, "Actions added to the plan", _subtitle(pack))
    _heading_row(ws, 4, ["Priority", "Action", "Description", "Rating"])
    for r, record in enumerate(records(pack.new_actions), start=5):
        _put(ws, r, 1, int(record["priority"]))
        _put(ws, r, 2, record["action_ref"], bold=True)
        _put(ws, r, 3, record["description"], wrap=True)
        _rag(ws, r, 4, record["current"])
    if pack.new_actions.empty:
        ws.cell(row=5, column=1, value="No action was added between these periods.")
    ws.freeze_panes = "A5"
    _printable(ws, [10, 10, 90, 16], pack.council_name, "4:4")


def _overdue(wb: Workbook, pack: BoardPack) -> None:
    ws = wb.create_sheet("Overdue")
    _title(
        ws,
        f"Actions past their timescale at {pack.period_label} and not yet Dark Green or Completed",
        _subtitle(pack),
    )
    _heading_row(ws, 4, ["Priority", "Action", "Description", "Lead", "Timescale (as written)", "Due", "Current"])
    for r, record in enumerate(records(pack.overdue), start=5):
        _put(ws, r, 1, int(record["priority"]))
        _put(ws, r, 2, record["action_ref"], bold=True)
        _put(ws, r, 3, record["description"], wrap=True)
        _put(ws, r, 4, record["lead"], wrap=True)
        _put(ws, r, 5, record["timescale_text"])
        _put(ws, r, 6, record["timescale_month"])
        _rag(ws, r, 7, record["current"])
    if pack.overdue.empty:
        ws.cell(row=5, column=1, value="No action is past its timescale.")
    ws.freeze_panes = "A5"
    _printable(ws, [10, 10, 70, 30, 14, 12, 14], pack.council_name, "4:4")


_KPI_HEADINGS = [
    "KPI",
    "Unit",
    "Better when",
    "Latest month",
    "Latest value",
    "Previous month",
    "Previous value",
    "Change",
    "Target",
    "Status",
    "Actions",
    "Commentary",
]


def _kpis(wb: Workbook, pack: BoardPack) -> None:
    ws = wb.create_sheet("KPIs")
    _title(ws, f"Key performance indicators: latest value up to {pack.period_label}", _subtitle(pack))
    _heading_row(ws, 4, _KPI_HEADINGS)
    for r, k in enumerate(records(pack.kpis), start=5):
        values = [
            k["name"],
            k["unit"],
            k["polarity"],
            k["latest_period"],
            k["latest_value"],
            k["previous_period"],
            k["previous_value"],
            k["change"],
        ]
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value, wrap=c == 1)
        _put(ws, r, 9, k["target"])
        status = _put(ws, r, 10, k["status"], bold=True)
        if k["status"] in STATUS_COLOURS:
            fill, font = STATUS_COLOURS[k["status"]]
            status.fill, status.font = PatternFill("solid", fgColor=fill), Font(bold=True, color=font)
        _put(ws, r, 11, k["actions"])
        _put(ws, r, 12, k["commentary"], wrap=True)
    ws.freeze_panes = "B5"
    _printable(ws, [44, 8, 10, 12, 10, 12, 10, 9, 9, 12, 10, 50], pack.council_name, "4:4")


def _spc(wb: Workbook, pack: BoardPack) -> None:
    """The Making Data Count summary: the matrix of KPIs by variation and assurance, then a row per KPI."""
    ws = wb.create_sheet("SPC summary")
    _title(ws, f"Making Data Count summary: variation and assurance up to {pack.period_label}", _subtitle(pack))
    if pack.spc.empty:
        _put(ws, 4, 1, "No KPI has observations up to this period.")
        _printable(ws, [30], pack.council_name)
        return
    matrix = summary_matrix(pack.spc)
    _heading_row(ws, 4, ["Variation", *matrix.columns])
    for r, (label, cells) in enumerate(matrix.iterrows(), start=5):
        _put(ws, r, 1, label, bold=True)
        for c, value in enumerate(cells, start=2):
            _put(ws, r, c, value, wrap=True)
    start = 6 + len(matrix)
    table = summary_table(pack.spc).drop(columns="Chart")
    _heading_row(ws, start, list(table.columns))
    for r, row in enumerate(table.itertuples(index=False), start=start + 1):
        for c, value in enumerate(row, start=1):
            _put(ws, r, c, value, wrap=c <= 3)
    _printable(ws, [34, 42, 42, 42, 16, 12, 8, 12], pack.council_name)


def _about(wb: Workbook, pack: BoardPack) -> None:
    ws = wb.create_sheet("About")
    rows = [
        ("Council", f"{pack.council_name} ({pack.council_code})"),
        ("Period", pack.period),
        ("Compared with", pack.compare),
        ("Generated (UTC)", pack.generated_at.replace(microsecond=0)),
        ("Headline", pack.headline_text),
        ("RAG scale", "Red, Amber, Light Green, Dark Green (success measure met, monitored), Completed"),
        ("Overdue", "Timescale month before the period and rated neither Dark Green nor Completed"),
        ("KPI status", "Latest value up to the period against the target in force; 'No data' if none"),
    ]
    for r, (label, value) in enumerate(rows, start=1):
        _put(ws, r, 1, label, bold=True)
        cell = _put(ws, r, 2, value, wrap=True)
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
    _printable(ws, [18, 100], pack.council_name)


def to_xlsx(pack: BoardPack) -> bytes:
    """The workbook's bytes."""
    wb = Workbook()
    wb.properties.title = neutralise(f"{pack.council_name} Improvement Plan board pack, {pack.period_label}")
    wb.properties.creator = "Improvement Board dashboard"
    _table1(wb, pack)
    for part in pack.priorities:
        _priority(wb, pack, part)
    _new_actions(wb, pack)
    _overdue(wb, pack)
    _kpis(wb, pack)
    _spc(wb, pack)
    _estimates(wb, pack)
    _about(wb, pack)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
