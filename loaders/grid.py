"""File bytes -> sheets of text cells, each cell kept as the text the user typed.

Every cell is read as a string (fastexcel with `dtypes="string"`, or the csv module), so
no reader's type inference can turn a bad cell into a silent null; `values` parses them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import fastexcel
import pandas as pd

from loaders.guard import MAX_COLUMNS, Inspected, inspect_bytes
from loaders.problems import RefusedFile, UnreadableFile


@dataclass
class Sheet:
    """A sheet's cells as text. Frame row i is Excel row `row0 + i`; frame column j is column `col0 + j`."""

    name: str
    frame: pd.DataFrame
    row0: int = 1
    col0: int = 0
    percent_cells: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    def excel_row(self, frame_row: int) -> int:
        return self.row0 + frame_row

    def excel_col(self, frame_col: int) -> int:
        return self.col0 + frame_col

    def percent_mask(self, frame_col: int, frame_rows: pd.Index) -> pd.Series:
        """True for cells of one column that Excel shows formatted as a percentage."""
        if not self.percent_cells:
            return pd.Series(False, index=frame_rows)
        col = self.excel_col(frame_col)
        rows = {r for r, c in self.percent_cells if c == col}
        return pd.Series([self.row0 + int(i) in rows for i in frame_rows], index=frame_rows)


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
    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # noqa: BLE001 - fastexcel raises its own types; all mean "cannot read"
        raise UnreadableFile(
            f"the workbook could not be read ({type(exc).__name__}). Open and re-save it in Excel.",
            "Unreadable workbook",
            file_name,
        ) from None
    by_name = {s.name: s for s in inspected.sheets}
    sheets = []
    for name in reader.sheet_names:
        try:
            batch = reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()
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
        xml = by_name.get(name)
        sheets.append(
            Sheet(
                name=name,
                frame=frame,
                row0=xml.origin_row if xml else 1,
                col0=xml.origin_col if xml else 0,
                percent_cells=xml.percent_cells if xml else frozenset(),
            )
        )
    return sheets
