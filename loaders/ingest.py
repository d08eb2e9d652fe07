"""The loaders' front door: a file's bytes -> `Parsed` (validated frames plus every problem)."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd

from loaders.grid import Sheet, Workbook, read_workbook
from loaders.headers import Header, find_header
from loaders.kpi import parse_kpis
from loaders.model import Catalogue, KpiData, Parsed, PlanData
from loaders.plan import FillLookup, parse_plan
from loaders.problems import Problems


def read_path(path: str | Path, **options: object) -> Parsed:
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name, **options)  # type: ignore[arg-type]


def read_bytes(
    data: bytes,
    file_name: str,
    *,
    rag_months: dict[str, date] | None = None,
    catalogue: Catalogue | None = None,
    default_la: str = "",
) -> Parsed:
    """Read and check one file; raises RefusedFile/UnreadableFile for files not safe or not readable.

    `rag_months` gives months for RAG columns headed Initial/Previous/Current; `catalogue` holds the
    KPIs already known so a file may name them; `default_la` is the council for rows without one.
    """
    workbook = read_workbook(data, file_name)
    problems = Problems(file_name)
    parsed = Parsed(file_name, hashlib.sha256(data).hexdigest(), problems)
    plans: list[PlanData] = []
    kpis: list[KpiData] = []
    catalogue = catalogue or Catalogue()
    for sheet in workbook.sheets:
        header = find_header(sheet.frame, sheet.display)
        if header is None:
            parsed.sheets_skipped.append(sheet.name)
            continue
        parsed.sheets_used.append((sheet.name, header.shape))
        _warn_ignored_columns(sheet, header, problems)
        _warn_hidden(sheet, header, problems)
        if header.shape == "plan":
            plans.append(
                parse_plan(
                    sheet,
                    header,
                    problems,
                    rag_months or {},
                    _fill_lookup(workbook, sheet),
                )
            )
        else:
            data_part = parse_kpis(sheet, header, problems, catalogue, default_la)
            kpis.append(data_part)
            catalogue = _extend(catalogue, data_part)
    if not parsed.sheets_used:
        names = ", ".join(f"'{s.name}'" for s in workbook.sheets) or "none"
        problems.error(
            "file.no_table",
            "no plan tracker or KPI table found. A plan needs columns for the action (or ref) and RAG; "
            "KPI data needs KPI, Month and Value columns, or KPI and one column per month "
            f"(sheets looked at: {names})",
            expected="a heading row within the first 30 rows",
        )
    parsed.plan = _concat_plans(plans) if plans else None
    parsed.kpi = _concat_kpis(kpis) if kpis else None
    return parsed


def _warn_ignored_columns(sheet: Sheet, header: Header, problems: Problems) -> None:
    """A heading the loader does not understand is ignored, and the user is told so."""
    used = set(header.roles.values()) | {c.index for c in header.rag} | set(header.months)
    used |= {c.index for c in header.estimate_rag}
    for index, heading in header.headings.items():
        if index not in used:
            problems.warning(
                "file.column_ignored",
                "column not recognised; its cells were not read",
                sheet=sheet.name,
                row=sheet.excel_row(header.row),
                column=heading,
                col_index=sheet.excel_col(index),
                found=heading,
                expected="a known heading (see the templates), or a month for a RAG or KPI column",
            )


def _warn_hidden(sheet: Sheet, header: Header, problems: Problems) -> None:
    """Hidden sheets, rows and columns are read like the rest, and the user is told which they were."""
    if sheet.hidden:
        problems.warning(
            "file.hidden_sheet",
            "this sheet is hidden in Excel; its table was read",
            sheet=sheet.name,
            expected="unhide the sheet (right-click a sheet tab > Unhide) to check what was read",
        )
    body = sheet.frame.iloc[header.row + 1 :]
    if sheet.hidden_rows and len(body):
        filled = body.notna().any(axis=1)
        rows = sorted({r for r in sheet.hidden_rows if bool(filled.get(r - sheet.row0, False))})
        for first, last in _runs(rows):
            span = (
                f"row {first} is hidden in Excel; its"
                if first == last
                else f"rows {first} to {last} are hidden in Excel; their"
            )
            problems.warning(
                "file.hidden_rows",
                f"{span} values were read",
                sheet=sheet.name,
                row=first,
                expected="unhide the rows to check them, or delete them if they should not be loaded",
            )
    used = set(header.roles.values()) | {c.index for c in header.rag} | set(header.months)
    for index in sorted(used):
        if sheet.excel_col(index) in sheet.hidden_cols:
            problems.warning(
                "file.hidden_column",
                "this column is hidden in Excel; its values were read",
                sheet=sheet.name,
                row=sheet.excel_row(header.row),
                column=header.headings.get(index, ""),
                col_index=sheet.excel_col(index),
                expected="unhide the column to check it, or delete it if it should not be loaded",
            )


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """[3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _extend(catalogue: Catalogue, part: KpiData) -> Catalogue:
    merged = dict(catalogue.kpis)
    for row in part.kpis.to_dict("records"):
        merged.setdefault(str(row["kpi_code"]), row)
    return Catalogue(merged)


def _concat_plans(plans: list[PlanData]) -> PlanData:
    labels: dict[date, str] = {}
    for plan in plans:
        labels.update(plan.period_labels)
    return PlanData(
        priorities=pd.concat([p.priorities for p in plans]).drop_duplicates("priority", keep="last"),
        actions=pd.concat([p.actions for p in plans], ignore_index=True),
        ratings=pd.concat([p.ratings for p in plans], ignore_index=True),
        period_labels=labels,
    )


def _concat_kpis(parts: list[KpiData]) -> KpiData:
    return KpiData(
        kpis=pd.concat([p.kpis for p in parts]).drop_duplicates("kpi_code", keep="first"),
        observations=pd.concat([p.observations for p in parts], ignore_index=True),
    )


def _fill_lookup(workbook: Workbook, sheet: Sheet) -> FillLookup | None:
    """Fill colours of blank RAG cells, read with openpyxl only when a plan sheet has such cells."""
    if workbook.kind != "xlsx":
        return None

    def lookup(cells: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
        book = openpyxl.load_workbook(io.BytesIO(workbook.raw), read_only=True, data_only=True)
        try:
            rows = {r for r, _ in cells}
            found: dict[tuple[int, int], str] = {}
            for row in book[sheet.name].iter_rows(min_row=min(rows), max_row=max(rows)):
                for cell in row:
                    key = (getattr(cell, "row", 0), getattr(cell, "column", 0) - 1)
                    fill = getattr(cell, "fill", None)
                    if key not in cells or fill is None or fill.fill_type != "solid":
                        continue
                    colour = fill.fgColor
                    if colour is not None and colour.type == "rgb" and isinstance(colour.rgb, str):
                        found[key] = colour.rgb
            return found
        finally:
            book.close()

    return lookup
