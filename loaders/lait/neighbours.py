"""Statistical-neighbour workbooks: each council's ten nearest councils, current and former."""

from __future__ import annotations

import re

import pandas as pd

from loaders.grid import read_workbook
from loaders.lait.labels import la_code
from loaders.lait.model import NEIGHBOUR_COLUMNS, LaitFile, empty
from loaders.lait.tables import table_below
from loaders.problems import Problems
from loaders.values import MISSING_MARKS, clean_text, heading_key

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def read_neighbours(f: LaitFile, problems: Problems) -> pd.DataFrame:
    """A statistical-neighbour workbook: each council's SN1..SN10 and closeness; rows under 'Old SNs:'
    are councils that no longer exist (section 'former')."""
    m = re.search(r"sn[_ ]+([a-z]+)[_ ]+(\d{4})", f.file_name.lower())
    if not m or m[1] not in _MONTHS:
        problems.error(
            "neighbour_file_name",
            "name the workbook after its publication month, e.g. sn_may_2025.xlsx",
            found=f.file_name,
            expected="sn_<month>_<year>.xlsx",
        )
        return empty(NEIGHBOUR_COLUMNS)
    grouping, label = m[2], f"{m[1].title()} {m[2]}"
    sheet = read_workbook(f.data, f.file_name).sheets[0]
    body, header = table_below(sheet, "la num", problems)
    if body is None:
        return empty(NEIGHBOUR_COLUMNS)
    headings = [heading_key(h) for h in sheet.frame.iloc[header]]
    sn_cols = {int(h[2:]): i for i, h in enumerate(headings) if re.fullmatch(r"sn\d+", h or "")}
    if sorted(sn_cols) != list(range(1, 11)):
        problems.error(
            "neighbour_columns",
            "expected columns SN1 to SN10, each followed by SNP",
            sheet=sheet.name,
            row=sheet.excel_row(header),
            found=", ".join(h for h in headings if h),
        )
        return empty(NEIGHBOUR_COLUMNS)
    name_col = headings.index("la name") if "la name" in headings else 1
    rows = []
    section = "current"
    for i, row in zip(body.index.tolist(), body.itertuples(index=False, name=None), strict=True):
        first, name = clean_text(row[0]), clean_text(row[name_col])
        if not first:
            if name.lower().startswith("old sn"):
                section = "former"
            continue
        code = la_code(first)
        if code is None:
            problems.error(
                "bad_la_number",
                "the LA number is not a whole number",
                sheet=sheet.name,
                row=sheet.excel_row(i),
                column="LA num",
                col_index=0,
                found=first,
            )
            continue
        for rank, col in sn_cols.items():
            neighbour = clean_text(row[col])
            if neighbour.lower() in MISSING_MARKS:
                continue
            neighbour_code = la_code(neighbour)
            if neighbour_code is None:
                problems.error(
                    "bad_neighbour",
                    "a neighbour is not an LA number",
                    sheet=sheet.name,
                    row=sheet.excel_row(i),
                    column=f"SN{rank}",
                    col_index=col,
                    found=neighbour,
                )
                continue
            closeness = clean_text(row[col + 1]) if col + 1 < len(row) else ""
            rows.append((grouping, label, code, name, rank, neighbour_code, closeness.capitalize() or None, section))
    return pd.DataFrame(rows, columns=NEIGHBOUR_COLUMNS)


def groupings_of(f: LaitFile) -> list[str]:
    m = re.search(r"sn[_ ]+[a-z]+[_ ]+(\d{4})", f.file_name.lower())
    return [m[1]] if m else []


def check_neighbours(neighbours: pd.DataFrame, areas: pd.DataFrame, problems: Problems) -> None:
    unknown = neighbours.loc[~neighbours["neighbour_code"].isin(set(areas["la_code"])), "neighbour_code"]
    for code in sorted(set(unknown)):
        problems.warning(
            "unknown_neighbour",
            "a neighbour has no values in the extract, so it is left out of the neighbours' mean and median",
            column="SN1..SN10",
            found=code,
        )
