"""File bytes -> sheets of text cells, each cell kept as the text the user typed.

Every cell is read as a string (fastexcel with `dtypes="string"`, or the csv module), so
no reader's type inference can turn a bad cell into a silent null; `values` parses them.
What the values alone do not say (where the grid sits on the sheet, percentage styles, how a
date heading is displayed, hidden rows, merged ranges) comes from the sheet's XML, read by
`loaders.sheet_xml` in this thread while fastexcel, which releases the GIL, reads the values.
"""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import fastexcel
import numpy as np
import pandas as pd

from loaders.guard import MAX_COLUMNS, Inspected, check_extent, inspect_bytes, scan_sheets
from loaders.number_formats import format_date
from loaders.problems import RefusedFile, UnreadableFile
from loaders.sheet_xml import HEAD_ROWS, SheetScan, percent_positions


@dataclass
class Sheet:
    """A sheet's cells as text. Frame row i is Excel row `row0 + i`; frame column j is column `col0 + j`."""

    name: str
    frame: pd.DataFrame
    row0: int = 1
    col0: int = 0
    percent_rows: dict[int, np.ndarray] = field(default_factory=dict)  # Excel column -> Excel rows shown as %
    display: dict[tuple[int, int], str] = field(default_factory=dict)  # (frame row, col) -> text as shown
    hidden: bool = False
    hidden_rows: tuple[int, ...] = ()  # Excel row numbers
    hidden_cols: frozenset[int] = field(default_factory=frozenset)  # 0-based Excel columns

    def shown(self, frame_row: int, frame_col: int) -> str | None:
        """A cell's text as Excel displays it, where that differs from its value (date headings)."""
        return self.display.get((frame_row, frame_col))

    def excel_row(self, frame_row: int) -> int:
        return self.row0 + frame_row

    def excel_col(self, frame_col: int) -> int:
        return self.col0 + frame_col

    @property
    def has_percent(self) -> bool:
        return bool(self.percent_rows)

    def percent_mask(self, frame_col: int, frame_rows: pd.Index) -> pd.Series:
        """True for cells of one column that Excel shows formatted as a percentage."""
        rows = self.percent_rows.get(self.excel_col(frame_col))
        if rows is None:
            return pd.Series(False, index=frame_rows)
        return pd.Series(np.isin(np.asarray(frame_rows, dtype=np.int64) + self.row0, rows), index=frame_rows)


@dataclass
class Workbook:
    file_name: str
    kind: str
    sheets: list[Sheet]
    raw: bytes


def read_workbook(data: bytes, file_name: str) -> Workbook:
    """Bytes -> every sheet as text cells, after the guard has checked the file is safe to open."""
    inspected = inspect_bytes(data, file_name)
    if inspected.kind == "csv":
        return Workbook(file_name, "csv", [_csv_sheet(inspected, file_name)], data)
    return Workbook(file_name, "xlsx", _xlsx_sheets(data, inspected, file_name), data)


def _csv_sheet(inspected: Inspected, file_name: str) -> Sheet:
    text = inspected.text
    sample = text[:20000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    if width > MAX_COLUMNS:
        raise RefusedFile(
            f"the file has {width} columns; the limit is {MAX_COLUMNS}.",
            "Too many columns",
            file_name,
        )
    padded = [r + [""] * (width - len(r)) for r in rows]
    frame = pd.DataFrame(padded, columns=range(width), dtype="str")
    frame = frame.where(frame.apply(lambda col: col.str.strip() != ""), None)
    return Sheet(name=file_name.rsplit("/", 1)[-1], frame=frame)


def _xlsx_sheets(data: bytes, inspected: Inspected, file_name: str) -> list[Sheet]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        frames = pool.submit(_read_frames, data, file_name)
        try:
            scans = scan_sheets(data, inspected, file_name)
        finally:
            loaded = frames.result() if frames.exception() is None else None
    if loaded is None:
        raise frames.exception() or UnreadableFile("the workbook could not be read.", "Unreadable workbook", file_name)
    parts = {s.name: s for s in inspected.sheets}
    sheets = []
    for name, frame in loaded:
        scan = scans.get(name, SheetScan())
        row0, col0, _ = align(frame, scan)
        check_extent(name, row0 + len(frame) - 1, col0 + frame.shape[1], file_name)
        part = parts.get(name)
        sheets.append(
            Sheet(
                name=name,
                frame=_fill_merged(frame, scan, row0, col0),
                row0=row0,
                col0=col0,
                percent_rows=percent_positions(scan),
                display=_displayed_dates(frame, scan, row0, col0),
                hidden=bool(part and part.hidden),
                hidden_rows=tuple(scan.hidden_rows),
                hidden_cols=frozenset(scan.hidden_cols),
            )
        )
    return sheets


def _read_frames(data: bytes, file_name: str) -> list[tuple[str, pd.DataFrame]]:
    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # noqa: BLE001 - fastexcel raises its own types; all mean "cannot read"
        raise UnreadableFile(
            f"the workbook could not be read ({type(exc).__name__}). Open and re-save it in Excel.",
            "Unreadable workbook",
            file_name,
        ) from None
    frames = []
    for name in reader.sheet_names:
        try:
            batch = reader.load_sheet(name, header_row=None, dtypes="string", eager=True)
        except Exception as exc:  # noqa: BLE001 - as above
            if "empty" in str(exc).lower() or "no data" in str(exc).lower():
                continue
            raise UnreadableFile(
                f"sheet '{name}' could not be read ({type(exc).__name__}: {exc}).",
                "Unreadable sheet",
                file_name,
            ) from None
        frame = batch.to_pandas()
        frame.columns = range(frame.shape[1])
        frames.append((name, frame))
    return frames


def align(frame: pd.DataFrame, scan: SheetScan) -> tuple[int, int, bool]:
    """Excel row and column of the grid's first cell, and whether the first rows match the XML exactly.

    The reader's grid starts at the first row and column holding a cell it keeps; the XML says
    which cells of the first rows have a value, so matching the two pins the grid to the sheet
    even when a cell far down sits further left than any in the first rows.
    """
    if scan.first_row is None or frame.empty:
        return 1, 0, frame.empty
    head = frame.iloc[:HEAD_ROWS].notna().to_numpy()
    found = np.argwhere(head)
    if not len(found) or not scan.head_cells:
        return scan.first_row, min((c for _, c in scan.head_cells), default=0), not len(found)
    col0 = min(c for _, c in scan.head_cells) - int(found[:, 1].min())
    row0 = scan.first_row
    shifted = {(row0 + int(i), col0 + int(j)) for i, j in found}
    return row0, max(col0, 0), shifted == scan.head_cells


def _displayed_dates(frame: pd.DataFrame, scan: SheetScan, row0: int, col0: int) -> dict[tuple[int, int], str]:
    """Date cells of the first rows as Excel shows them ('Sep-16'), for headings in problem reports."""
    shown: dict[tuple[int, int], str] = {}
    for (row, col), code in scan.date_cells.items():
        i, j = row - row0, col - col0
        if 0 <= i < len(frame) and 0 <= j < frame.shape[1] and isinstance(value := frame.iat[i, j], str):
            try:
                shown[(i, j)] = format_date(datetime.fromisoformat(value), code)
            except ValueError:
                continue
    return shown


def _fill_merged(frame: pd.DataFrame, scan: SheetScan, row0: int, col0: int) -> pd.DataFrame:
    """A label merged down several rows applies to each of them, as Excel shows it across the block."""
    spans = [(r0 - row0, c0 - col0, r1 - row0) for r0, c0, r1, _ in scan.merged if r1 > r0]
    spans = [
        (i0, j, min(i1, len(frame) - 1)) for i0, j, i1 in spans if 0 <= i0 < len(frame) and 0 <= j < frame.shape[1]
    ]
    if not spans:
        return frame
    frame = frame.copy()
    for i0, j, i1 in spans:
        value = frame.iat[i0, j]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        block = frame.iloc[i0 + 1 : i1 + 1, j]
        frame.iloc[i0 + 1 : i1 + 1, j] = block.where(block.notna(), value)
    return frame
