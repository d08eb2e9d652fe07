"""Neutralise spreadsheet formula injection in anything we export (CSV, xlsx).

A text cell starting with =, +, -, @, tab or carriage return is run as a formula by Excel
and LibreOffice; a leading apostrophe makes it plain text. Numbers are left as numbers.
"""

from __future__ import annotations

import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert; everything else unchanged."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


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
