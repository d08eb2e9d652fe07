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
