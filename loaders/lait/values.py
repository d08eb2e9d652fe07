"""The long values table (parquet, 641,070 rows): every cell parsed as text with Arrow, marks kept,
float artefacts of the published text removed."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loaders.guard import MAX_FILE_BYTES
from loaders.lait.labels import parse_period
from loaders.lait.model import LaitFile
from loaders.lait.tables import list_rows
from loaders.problems import Problems, RefusedFile, UnreadableFile
from loaders.values import MISSING_MARKS

T = TypeVar("T")
_PARQUET_COLUMNS = {
    "Short Desc": "measure",
    "Data item": "data_item",
    "Years": "period",
    "LA and Regions": "area_name",
    "Values": "raw",
    "LA Number": "la_number",
    "Region": "region_name",
}


def clean_values(numbers: np.ndarray, dps: np.ndarray) -> np.ndarray:
    """Float artefacts of the published text removed: rounded to the dictionary's dps where that loses
    nothing but an artefact, else to 12 significant digits.

    Rounding every value to dps would change 21,000 published figures (PriPermEx 0.00371 -> 0.00, which
    would tie councils that differ); DfE's own tool ranks the unrounded values and rounds only for display.
    """
    out = numbers.astype("float64", copy=True)
    finite = np.isfinite(out)
    magnitude = np.floor(np.log10(np.abs(out, where=finite & (out != 0), out=np.ones_like(out))))
    sig = np.where(finite & (out != 0), 11 - magnitude, 0).astype("int64")
    for digits in np.unique(sig[finite]):
        mask = finite & (sig == digits)
        out[mask] = np.round(out[mask], int(digits))
    has_dps = finite & ~np.isnan(dps)
    for digits in np.unique(dps[has_dps]):
        mask = has_dps & (dps == digits)
        rounded = np.round(out[mask], int(digits))
        exact = np.abs(rounded - out[mask]) <= 1e-9 * np.maximum(1.0, np.abs(out[mask]))
        part = out[mask]
        part[exact] = rounded[exact]
        out[mask] = part
    return out


def _read_parquet(f: LaitFile) -> pa.Table:
    if len(f.data) > MAX_FILE_BYTES:
        raise RefusedFile(f"the file is larger than {MAX_FILE_BYTES // 1024**2} MB.", "File too large", f.file_name)
    try:
        table = pq.read_table(io.BytesIO(f.data))
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many types; all mean "not a readable parquet"
        raise UnreadableFile(
            f"not a readable parquet file ({type(exc).__name__}).", "Unreadable LAIT values", f.file_name
        ) from None
    missing = [c for c in _PARQUET_COLUMNS if c not in table.column_names]
    if missing:
        raise UnreadableFile(
            f"the values table has no column {', '.join(repr(c) for c in missing)}; "
            f"expected {', '.join(_PARQUET_COLUMNS)}.",
            "Not a LAIT values table",
            f.file_name,
        )
    table = table.select(list(_PARQUET_COLUMNS)).rename_columns(list(_PARQUET_COLUMNS.values()))
    columns = {name: table[name] for name in table.column_names}
    for name in ("measure", "data_item", "period", "area_name", "raw", "region_name"):
        columns[name] = pc.utf8_trim_whitespace(pc.cast(columns[name], pa.string()))
    columns["la_number"] = pc.cast(columns["la_number"], pa.float64())
    return pa.table(columns)


def _per_label(column: pa.ChunkedArray, parse: Callable[[str], T]) -> tuple[np.ndarray, list[T]]:
    """Parse each distinct text once (a 641,070-row column holds 65 periods): row indices plus parsed labels."""
    filled = pc.fill_null(column, "")
    labels = pc.unique(filled)
    indices = pc.index_in(filled, value_set=labels).to_numpy().astype("int64")
    return indices, [parse(label) for label in labels.to_pylist()]


def read_values(f: LaitFile, measures: pd.DataFrame, problems: Problems) -> tuple[pa.Table, pd.DataFrame, pd.DataFrame]:
    """The long values table -> (values, first 'Data item' text per measure, area names as published).

    Vectorised with Arrow: every cell is parsed as text, never trusting a reader's types.
    """
    raw = _read_parquet(f)
    text = pc.fill_null(raw["raw"], "")
    is_mark = pc.is_in(pc.utf8_lower(text), value_set=pa.array(sorted(MISSING_MARKS), pa.string()))
    candidate = pc.if_else(is_mark, pa.scalar(None, pa.string()), text)
    try:
        numbers = pc.cast(candidate, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # some cell is not a number: find which, the slow way
        numbers = pd.to_numeric(pd.Series(candidate.to_pylist(), dtype="object"), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
    numbers = np.where(np.isfinite(numbers), numbers, np.nan)
    marks = is_mark.to_numpy(zero_copy_only=False)
    bad = np.isnan(numbers) & ~marks
    la_number = raw["la_number"].to_numpy(zero_copy_only=False)
    bad_code = ~np.isfinite(la_number) | (la_number != np.round(la_number))
    list_rows(
        problems,
        np.flatnonzero(bad),
        "not_a_number",
        "a value is neither a number nor a not-available mark",
        "Values",
        text,
        "a number, or - c x z low for not available",
    )
    list_rows(
        problems,
        np.flatnonzero(bad_code),
        "bad_la_number",
        "the LA number is not a whole number",
        "LA Number",
        la_number,
        "an LA number such as 394",
    )
    measure_index, measure_codes = _per_label(raw["measure"], str)
    dps_of = measures.drop_duplicates("measure").set_index("measure")["dps"].astype("float64").to_dict()
    dps = np.array([dps_of.get(str(m), np.nan) for m in measure_codes], dtype="float64")[measure_index]
    period_rows, periods = _per_label(raw["period"], parse_period)
    period_labels = pc.fill_null(raw["period"], "")
    for i, (end, _) in enumerate(periods):
        if end is None:
            rows = np.flatnonzero(period_rows == i)
            label = str(period_labels[int(rows[0])])
            problems.warning(
                "unknown_period",
                f"period '{label}' is not a year, a span or a financial year; its {len(rows):,} values are stored "
                "without a year and are not charted",
                row=int(rows[0]) + 2,
                column="Years",
                found=label,
                expected="2016, 2014-16, 2016/17, 2025-26 or 2016-17 (OT)",
            )
    end_years = pa.array([p[0] for p in periods], pa.int16())
    kinds = pa.array([p[1] for p in periods], pa.string())
    codes = pc.cast(pc.cast(pc.if_else(pa.array(bad_code), 0.0, raw["la_number"]), pa.int64()), pa.string())
    table = pa.table(
        {
            "measure": raw["measure"],
            "period": period_labels,
            "end_year": end_years.take(pa.array(period_rows)),
            "period_kind": kinds.take(pa.array(period_rows)),
            "la_code": pc.if_else(pa.array(bad_code), "", codes),
            "value": pa.array(clean_values(numbers, dps), pa.float64(), from_pandas=True),  # NaN -> NULL
            "missing_mark": pc.if_else(is_mark, text, pa.scalar(None, pa.string())),
        }
    )
    whole = np.where(bad_code, 0, la_number).astype("int64")
    key = (measure_index * len(periods) + period_rows) * 100_000 + whole
    order = np.argsort(key, kind="stable")
    repeated = order[1:][np.diff(key[order]) == 0]
    if len(repeated):
        list_rows(
            problems,
            np.sort(repeated),
            "duplicate_value",
            "a second value for the same measure, period and LA",
            "Short Desc",
            raw["measure"],
            "one value per measure, period and LA",
        )
    items = raw.filter(pc.is_valid(raw["data_item"])).select(["measure", "data_item"]).to_pandas()
    items = items[items["data_item"] != ""].drop_duplicates("measure")
    _, first = np.unique(np.where(bad_code, np.nan, la_number), return_index=True)
    first = first[~bad_code[first]]
    names = raw.select(["la_number", "area_name", "region_name"]).take(pa.array(first)).to_pandas()
    names["la_code"] = names["la_number"].astype("int64").astype("str")
    return table, items, names
