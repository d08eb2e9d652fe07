"""Helpers every LAIT table reader shares: the rows under a heading row, and problems listed by row."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.grid import Sheet
from loaders.lait.model import MAX_LISTED
from loaders.problems import Problems
from loaders.values import heading_key


def table_below(sheet: Sheet, heading: str, problems: Problems) -> tuple[pd.DataFrame | None, int]:
    """The rows below the heading row (the first of the top 20 rows with a cell `heading`); stray rows
    above it, like the neighbour workbooks' letter and number rows, are skipped."""
    top = sheet.frame.iloc[:20]
    hits = [i for i, row in enumerate(top.itertuples(index=False, name=None)) if heading in map(heading_key, row)]
    if not hits:
        problems.error(
            "no_header",
            f"no heading row with a '{heading}' cell in the first 20 rows",
            sheet=sheet.name,
            expected=heading,
        )
        return None, 0
    return sheet.frame.iloc[hits[0] + 1 :], hits[0]


def list_rows(
    problems: Problems,
    rows: np.ndarray,
    code: str,
    message: str,
    column: str,
    found: Any,
    expected: str,
) -> None:
    """Rows of a table file as the user counts them: the heading is row 1, so data row i is i + 2."""
    for i in rows[:MAX_LISTED]:
        cell = found[int(i)]
        cell = cell.as_py() if isinstance(cell, pa.Scalar) else cell
        problems.error(code, message, row=int(i) + 2, column=column, found=cell, expected=expected)
    if len(rows) > MAX_LISTED:
        problems.error(code, f"{len(rows) - MAX_LISTED:,} more rows like the ones above", column=column)
