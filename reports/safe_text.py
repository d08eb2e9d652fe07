"""Neutralise spreadsheet formula injection in anything we export (CSV, xlsx).

A text cell starting with =, +, -, @, tab or carriage return is run as a formula by Excel
and LibreOffice. In a CSV a leading apostrophe makes it plain text; in an xlsx the cell is
stored as a string with Excel's quote prefix, so it shows exactly as written (no apostrophe)
and is never calculated, and a template filled in and uploaded again reads back unchanged.
Numbers are left as numbers.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.cell.cell import Cell

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def runs_as_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_TRIGGERS)


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert; everything else unchanged."""
    return "'" + value if runs_as_formula(value) and isinstance(value, str) else value


def inert_cell(cell: Cell) -> Cell:
    """An xlsx cell whose text a spreadsheet would run as a formula, kept as that text: a string cell
    with the quote prefix (openpyxl would otherwise store it as a formula)."""
    if runs_as_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell neutralised (headings included)."""
    out = frame.copy()
    out.columns = [neutralise(c) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with BOM so Excel reads it right) with formula injection neutralised."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8-sig")
