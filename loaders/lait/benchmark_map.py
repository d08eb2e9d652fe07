"""data/kpi_benchmark_map.csv: which national measure each local KPI is compared with, and how."""

from __future__ import annotations

import math

import pandas as pd

from loaders.grid import read_workbook
from loaders.lait.labels import TRANSFORM_EXPECTED, parse_transform
from loaders.lait.model import MAP_COLUMNS, BenchmarkMap, LaitFile, empty
from loaders.lait.tables import table_below
from loaders.problems import Problems
from loaders.values import clean_text, heading_key


def read_benchmark_map(f: LaitFile, known_measures: set[str] | None = None) -> BenchmarkMap:
    """data/kpi_benchmark_map.csv: kpi_code, measure, transform, note -> checked rows (one per KPI)."""
    problems = Problems(f.file_name)
    result = BenchmarkMap(f, problems, empty(MAP_COLUMNS))
    sheet = read_workbook(f.data, f.file_name).sheets[0]
    body, header = table_below(sheet, "kpi code", problems)
    if body is None:
        return result
    headings = {heading_key(h): i for i, h in enumerate(sheet.frame.iloc[header]) if isinstance(h, str)}
    for needed in ("kpi code", "measure"):
        if needed not in headings:
            problems.error(
                "missing_column",
                f"no '{needed.replace(' ', '_')}' column",
                sheet=sheet.name,
                row=sheet.excel_row(header),
                expected="kpi_code, measure, transform, note",
            )
    if problems.errors:
        return result
    rows = []
    seen: dict[str, int] = {}
    for i, row in zip(body.index.tolist(), body.itertuples(index=False, name=None), strict=True):
        excel_row = sheet.excel_row(i)
        kpi, measure = clean_text(row[headings["kpi code"]]), clean_text(row[headings["measure"]])
        transform = clean_text(row[headings["transform"]]) if "transform" in headings else ""
        note = clean_text(row[headings["note"]]) if "note" in headings else ""
        if not kpi and not measure:
            continue
        where = {"sheet": sheet.name, "row": excel_row}
        if not kpi or not measure:
            problems.error(
                "incomplete_mapping",
                "each row needs both a kpi_code and a measure",
                column="kpi_code" if not kpi else "measure",
                **where,
            )
            continue
        if kpi.upper() in seen:
            problems.error(
                "duplicate_kpi",
                f"this KPI is already mapped on row {seen[kpi.upper()]}",
                column="kpi_code",
                found=kpi,
                **where,
            )
            continue
        seen[kpi.upper()] = excel_row
        if known_measures is not None and measure not in known_measures:
            problems.error(
                "unknown_measure",
                "no LAIT measure has this code (see the Measure_short column of the data dictionary)",
                column="measure",
                found=measure,
                **where,
            )
            continue
        parsed = parse_transform(transform)
        if parsed is None or not all(math.isfinite(x) for x in parsed):
            problems.error(
                "bad_transform",
                "the transform is not a simple formula of value",
                column="transform",
                found=transform,
                expected=TRANSFORM_EXPECTED,
                **where,
            )
            continue
        rows.append((kpi.upper(), measure, transform or "value", parsed[0], parsed[1], note, excel_row))
    result.rows = pd.DataFrame(rows, columns=MAP_COLUMNS)
    return result
