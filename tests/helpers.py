"""Small builders for test workbooks (fictional council, code 999)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook


def xlsx(rows: Sequence[Sequence[object]], sheet: str = "Data") -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def long_kpi(rows: Sequence[tuple[str, str, object]], target: object = None) -> bytes:
    """A long KPI workbook: a heading row then (KPI, month, value) rows."""
    return xlsx([["KPI", "Month", "Value", "Target"], *[[k, m, v, target] for k, m, v in rows]])


def large_kpi_return(rows: int, months: int = 250) -> bytes:
    """`rows` observations for the fictional council: a KPI per `months` rows (long shape)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("KPI return")
    sheet.append(["FICTIONAL DEMONSTRATION DATA: Northmoor Borough Council (LA 999) does not exist."])
    sheet.append(["Code", "KPI", "LA code", "Month", "Value", "Unit", "Good is", "Target"])
    for index in range(rows):
        kpi, month = divmod(index, months)
        year, month = divmod(month, 12)
        sheet.append([f"BENCH_{kpi:04d}", f"Bench KPI {kpi:04d}", "999", f"{1995 + year}-{month + 1:02d}",
                      10 + (index * 7) % 90, "%", "High", 80])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
