"""DfE LAIT extract (every English council's published figures) -> validated frames plus problems.

The extract is five files: the long values table (parquet), the data dictionary (CSV), the LA
code list and two statistical-neighbour workbooks. Values arrive as text; a not-available mark
(`-`, `c`, `x`, `z`, `low`, ...) is stored as a missing value with the mark kept. Periods keep
their published label ('2014-16', '2016-17 (OT)') plus a sortable end year.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loaders.grid import Sheet, read_workbook
from loaders.guard import MAX_FILE_BYTES
from loaders.problems import LoaderError, Problems, RefusedFile, UnreadableFile
from loaders.values import MISSING_MARKS, clean_text, heading_key

ENGLAND = "970"
REGION_CODES = frozenset(str(c) for c in range(980, 991))
MEASURE_COLUMNS = [
    "measure", "topic", "name", "chart_title", "description", "data_item", "polarity", "polarity_raw",
    "y_axis_name", "year_type", "last_update", "last_update_text", "next_update", "next_update_text",
    "dps", "no_quartile", "methodology", "source_table", "data_owner", "hyperlinks", "measure_id", "dictionary_row",
]  # fmt: skip
AREA_COLUMNS = ["la_code", "name", "region_name", "region_code", "la_type", "area_kind", "status"]
NEIGHBOUR_COLUMNS = [
    "grouping", "grouping_label", "la_code", "la_name", "neighbour_rank", "neighbour_code", "closeness", "section",
]  # fmt: skip
MAP_COLUMNS = ["kpi_code", "measure", "transform", "scale", "offset", "note", "row_number"]
T = TypeVar("T")
_MAX_LISTED = 50  # problems of one kind listed one by one; the rest are summed up in one more line

_PARQUET_COLUMNS = {
    "Short Desc": "measure",
    "Data item": "data_item",
    "Years": "period",
    "LA and Regions": "area_name",
    "Values": "raw",
    "LA Number": "la_number",
    "Region": "region_name",
}
_DICTIONARY_COLUMNS = {
    "measure short": "measure",
    "topic": "topic",
    "measure": "name",
    "chart title": "chart_title",
    "description": "description",
    "polarity": "polarity_raw",
    "y axis name": "y_axis_name",
    "year type": "year_type",
    "last update": "last_update_text",
    "next update": "next_update_text",
    "methodology": "methodology",
    "table status": "source_table",
    "data owner do supplier and contact details": "data_owner",
    "hyperlink s": "hyperlinks",
    "dps": "dps",
    "no quartile": "no_quartile",
    "measure code": "measure_id",
}
_REQUIRED_DICTIONARY = ("measure", "topic", "name", "polarity_raw")
_EXCEL_EPOCH = date(1899, 12, 30)
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


@dataclass
class LaitFile:
    role: str  # values | dictionary | areas | neighbours | map
    file_name: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class LaitData:
    """One LAIT extract, read and checked; `ok` is False when any error was found (then nothing is stored)."""

    files: list[LaitFile]
    problems: Problems
    value_table: pa.Table  # Arrow, so 641,070 rows go into the store without a copy through pandas
    measures: pd.DataFrame
    areas: pd.DataFrame
    neighbours: pd.DataFrame

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    @cached_property
    def values(self) -> pd.DataFrame:
        """measure, period, end_year (sortable), period_kind, la_code, value, missing_mark."""
        return self.value_table.to_pandas(types_mapper={pa.int16(): pd.Int16Dtype()}.get)

    @property
    def sha256(self) -> str:
        """One fingerprint for the whole extract: loading the same files again is recognised."""
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: (f.role, f.file_name)):
            digest.update(f"{f.role}:{f.file_name}:{f.sha256}\n".encode())
        return digest.hexdigest()

    @property
    def file_name(self) -> str:
        main = next((f.file_name for f in self.files if f.role == "values"), "LAIT extract")
        return f"{main} + {len(self.files) - 1} files" if len(self.files) > 1 else main


@dataclass
class BenchmarkMap:
    """The local-KPI -> national-measure mapping a performance officer edits (data/kpi_benchmark_map.csv)."""

    file: LaitFile
    problems: Problems
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        return not self.problems.errors


class MissingLaitFile(LoaderError):
    """A directory that lacks one of the extract's files."""


# ---------------------------------------------------------------- small parsers


def parse_period(label: str) -> tuple[int | None, str]:
    """A published period label -> (sortable end year, kind); (None, 'unknown') when not understood.

    '2016' -> (2016, 'year'); '2016/17' and '2025-26' -> (2017, 'split year') and (2026, ...);
    '2014-16' and '2013/14-15/16' -> (2016, '3-year span'); '2016-17 (OT)' -> (2017, 'split year (OT)').
    """
    text = clean_text(label)
    qualifier = ""
    if m := re.fullmatch(r"(.*?)\s*\(([^()]*)\)", text):
        text, qualifier = m[1], m[2].strip()
    start = end = None
    if m := re.fullmatch(r"(\d{4})", text):
        start = end = int(m[1])
    elif m := re.fullmatch(r"(\d{4})[-/](\d{2}|\d{4})", text):
        start = int(m[1])
        end = _end_year(start, m[2])
    elif m := re.fullmatch(r"(\d{4})/(\d{2})-(\d{2})/(\d{2})", text):
        start = int(m[1]) + 1
        end = _end_year(start, m[4])
    if start is None or end is None or not (1900 <= start <= end <= 2200) or end - start > 9:
        return None, "unknown"
    span = end - start + 1
    kind = "year" if span == 1 else "split year" if span == 2 else f"{span}-year span"
    return end, f"{kind} ({qualifier})" if qualifier else kind


def _end_year(start: int, tail: str) -> int:
    if len(tail) == 4:
        return int(tail)
    end = start - start % 100 + int(tail)
    return end + 100 if end < start else end


def excel_serial_date(value: object) -> date | None:
    """'45809' (an Excel serial day number) -> date(2025, 6, 1); any other text -> None."""
    text = clean_text(value)
    if not re.fullmatch(r"\d{5}(\.0+)?", text):
        return None
    serial = int(float(text))
    return _EXCEL_EPOCH + timedelta(days=serial) if 20000 <= serial <= 80000 else None


def parse_lait_polarity(value: object) -> str | None:
    """Dictionary polarity 'High' -> 'higher', 'Low' -> 'lower'; '-' or blank -> None (no better direction)."""
    key = clean_text(value).lower()
    return {"high": "higher", "low": "lower"}.get(key)


NO_DIRECTION = frozenset({"", "-", "na", "n/a", "none"})


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


def parse_transform(text: str) -> tuple[float, float] | None:
    """'value' -> (1, 0); '100 - value' -> (-1, 100); 'value * 100' -> (100, 0); 'value / 10'; 'value + 5'.

    A linear formula only, so a spreadsheet edit can never run code. None when not understood.
    """
    t = clean_text(text).lower().replace("\u2212", "-").replace("×", "*")
    number = r"(-?\d+(?:\.\d+)?)"
    if t in ("", "value"):
        return 1.0, 0.0
    if m := re.fullmatch(number + r"\s*-\s*value", t):
        return -1.0, float(m[1])
    if m := re.fullmatch(number + r"\s*\+\s*value", t):
        return 1.0, float(m[1])
    if m := re.fullmatch(number + r"\s*\*\s*value", t):
        return float(m[1]), 0.0
    if m := re.fullmatch(r"value\s*([-+*/])\s*" + number, t):
        k = float(m[2])
        return {"+": (1.0, k), "-": (1.0, -k), "*": (k, 0.0), "/": (1.0 / k if k else math.nan, 0.0)}[m[1]]
    return None


TRANSFORM_EXPECTED = "value, 100 - value, value * 100, value / 10, value + 5 (a number and the word value)"


# ---------------------------------------------------------------- the files


def find_files(directory: str | Path) -> list[LaitFile]:
    """The extract's files in a directory, each with its role; MissingLaitFile names what is absent."""
    directory = Path(directory)
    found: list[LaitFile] = []
    for path in sorted(directory.iterdir()):
        role = file_role(path.name)
        if role and role != "map":
            found.append(LaitFile(role, path.name, path.read_bytes()))
    roles = {f.role for f in found}
    missing = [r for r in ("values", "dictionary", "areas", "neighbours") if r not in roles]
    if missing:
        raise MissingLaitFile(
            f"{directory} has no {', '.join(missing)} file. Expected bds_long_*.parquet, "
            "lait_data_dictionary.csv, la_code_list.xlsx and sn_<month>_<year>.xlsx.",
            "LAIT files missing",
        )
    return found


def file_role(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(".parquet"):
        return "values"
    if "dictionary" in lowered and lowered.endswith(".csv"):
        return "dictionary"
    if "code" in lowered and "list" in lowered and lowered.endswith((".xlsx", ".csv")):
        return "areas"
    if re.match(r"sn[_ ]", lowered) and lowered.endswith(".xlsx"):
        return "neighbours"
    if "benchmark_map" in lowered and lowered.endswith((".csv", ".xlsx")):
        return "map"
    return None


def read_directory(directory: str | Path) -> LaitData:
    return read_lait(find_files(directory))


def read_lait(files: list[LaitFile]) -> LaitData:
    """Read and check every file of one extract; never raises for bad cells, only for unreadable files."""
    by_role: dict[str, list[LaitFile]] = {}
    for f in files:
        by_role.setdefault(f.role, []).append(f)
    for role in ("values", "dictionary", "areas"):
        if len(by_role.get(role, [])) != 1:
            raise MissingLaitFile(f"expected exactly one {role} file, found {len(by_role.get(role, []))}.")
    (values_file,), (dictionary_file,), (areas_file,) = by_role["values"], by_role["dictionary"], by_role["areas"]
    parts = {f.file_name: Problems(f.file_name) for f in files}
    measures = read_dictionary(dictionary_file, parts[dictionary_file.file_name])
    values, items, names = read_values(values_file, measures, parts[values_file.file_name])
    measures = _add_data_items(measures, items, values, parts[values_file.file_name])
    groups = [read_neighbours(f, parts[f.file_name]) for f in by_role.get("neighbours", [])]
    neighbours = pd.concat(groups, ignore_index=True) if groups else _empty(NEIGHBOUR_COLUMNS)
    areas = read_areas(areas_file, names, neighbours, parts[areas_file.file_name])
    for f in by_role.get("neighbours", []):
        _check_neighbours(neighbours[neighbours["grouping"].isin(_groupings_of(f))], areas, parts[f.file_name])
    problems = Problems("LAIT extract", [p for part in parts.values() for p in part.items])
    return LaitData(files, problems, values, measures, areas, neighbours)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


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
    _list_rows(
        problems,
        np.flatnonzero(bad),
        "not_a_number",
        "a value is neither a number nor a not-available mark",
        "Values",
        text,
        "a number, or - c x z low for not available",
    )
    _list_rows(
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
        _list_rows(
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


def _list_rows(
    problems: Problems,
    rows: np.ndarray,
    code: str,
    message: str,
    column: str,
    found: Any,
    expected: str,
) -> None:
    """Rows of a table file as the user counts them: the heading is row 1, so data row i is i + 2."""
    for i in rows[:_MAX_LISTED]:
        cell = found[int(i)]
        cell = cell.as_py() if isinstance(cell, pa.Scalar) else cell
        problems.error(code, message, row=int(i) + 2, column=column, found=cell, expected=expected)
    if len(rows) > _MAX_LISTED:
        problems.error(code, f"{len(rows) - _MAX_LISTED:,} more rows like the ones above", column=column)


def read_dictionary(f: LaitFile, problems: Problems) -> pd.DataFrame:
    """The data dictionary: one row per measure and topic (a measure may sit under two topics)."""
    sheet = read_workbook(f.data, f.file_name).sheets[0]
    frame, header_row = _table(sheet, "measure short", problems)
    if frame is None:
        return _empty(MEASURE_COLUMNS)
    columns = {heading_key(h): i for i, h in enumerate(sheet.frame.iloc[header_row]) if isinstance(h, str)}
    out = pd.DataFrame(index=frame.index)
    for key, name in _DICTIONARY_COLUMNS.items():
        index = columns.get(key)
        out[name] = frame[index].map(clean_text) if index is not None else ""
    missing = [n for n in _REQUIRED_DICTIONARY if heading_key(_heading_of(n)) not in columns]
    for name in missing:
        problems.error(
            "missing_column",
            f"the dictionary has no '{_heading_of(name)}' column",
            row=sheet.excel_row(header_row),
            expected=_heading_of(name),
        )
    out["dictionary_row"] = [sheet.excel_row(i) for i in frame.index.tolist()]
    out = out[out["measure"] != ""]
    out["polarity"] = out["polarity_raw"].map(parse_lait_polarity)
    odd = out.loc[
        ~out["polarity_raw"].str.lower().isin({"high", "low"} | NO_DIRECTION), ["dictionary_row", "polarity_raw"]
    ]
    for excel_row, raw in odd.itertuples(index=False, name=None):
        problems.warning(
            "unknown_polarity",
            "polarity not understood; treated as no better direction",
            row=excel_row,
            column="Polarity",
            found=raw,
            expected="High, Low or -",
        )
    out["last_update"] = out["last_update_text"].map(excel_serial_date)
    out["next_update"] = out["next_update_text"].map(excel_serial_date)
    out["dps"] = pd.to_numeric(out["dps"].replace("", None), errors="coerce").astype("Int16")
    out["no_quartile"] = out["no_quartile"].str.upper().isin(["N", "Y", "YES", "TRUE", "1"])
    out["data_item"] = None
    out["name"] = out["name"].where(out["name"] != "", out["measure"])
    return out[MEASURE_COLUMNS].reset_index(drop=True)


def _heading_of(name: str) -> str:
    return next(k for k, v in _DICTIONARY_COLUMNS.items() if v == name)


def _table(sheet: Sheet, heading: str, problems: Problems) -> tuple[pd.DataFrame | None, int]:
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


def _add_data_items(measures: pd.DataFrame, items: pd.DataFrame, values: pa.Table, problems: Problems) -> pd.DataFrame:
    """Each measure's 'Data item' text from the values table; a stub for measures the dictionary lacks."""
    measures = measures.copy()
    measures["data_item"] = measures["measure"].map(items.set_index("measure")["data_item"].map(clean_text))
    unknown = sorted(set(pc.unique(values["measure"]).to_pylist()) - set(measures["measure"]))
    for code in unknown[:_MAX_LISTED]:
        problems.warning(
            "measure_not_in_dictionary",
            "measure has values but no dictionary entry; stored "
            "under the topic 'Not in the dictionary', with no polarity",
            column="Short Desc",
            found=code,
        )
    if unknown:
        stub = pd.DataFrame({"measure": unknown, "topic": "Not in the dictionary", "name": unknown})
        stub["no_quartile"] = False
        stub["dictionary_row"] = None
        measures = pd.concat([measures, stub.reindex(columns=MEASURE_COLUMNS)], ignore_index=True)
    return measures


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
        return _empty(NEIGHBOUR_COLUMNS)
    grouping, label = m[2], f"{m[1].title()} {m[2]}"
    sheet = read_workbook(f.data, f.file_name).sheets[0]
    body, header = _table(sheet, "la num", problems)
    if body is None:
        return _empty(NEIGHBOUR_COLUMNS)
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
        return _empty(NEIGHBOUR_COLUMNS)
    name_col = headings.index("la name") if "la name" in headings else 1
    rows = []
    section = "current"
    for i, row in zip(body.index.tolist(), body.itertuples(index=False, name=None), strict=True):
        first, name = clean_text(row[0]), clean_text(row[name_col])
        if not first:
            if name.lower().startswith("old sn"):
                section = "former"
            continue
        code = _la_code(first)
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
            neighbour_code = _la_code(neighbour)
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


def _la_code(text: str) -> str | None:
    m = re.fullmatch(r"(\d{3,4})(?:\.0+)?", text.strip())
    return m[1] if m else None


def read_areas(f: LaitFile, names: pd.DataFrame, neighbours: pd.DataFrame, problems: Problems) -> pd.DataFrame:
    """Every area with values: councils (with region and type), the regions and England."""
    sheet = read_workbook(f.data, f.file_name).sheets[0]
    body, header = _table(sheet, "la number", problems)
    listed = pd.DataFrame(columns=["la_code", "name", "region_name", "la_type"])
    if body is not None:
        headings = [heading_key(h) for h in sheet.frame.iloc[header]]
        col = {h: i for i, h in enumerate(headings)}
        listed = pd.DataFrame(
            {
                "la_code": body[0].map(lambda v: _la_code(clean_text(v))),
                "name": body[col.get("la name", 1)].map(clean_text),
                "region_name": body[col.get("region", 2)].map(clean_text),
                "la_type": body[col.get("type", 3)].map(clean_text),
            }
        )
        listed = listed[listed["la_code"].notna()]
    published = names.rename(columns={"area_name": "published_name"})[["la_code", "published_name", "region_name"]]
    areas = published.merge(listed, on="la_code", how="left", suffixes=("_published", ""))
    areas["name"] = areas["name"].where(areas["name"].fillna("") != "", areas["published_name"])
    areas["region_name"] = areas["region_name"].where(
        areas["region_name"].fillna("") != "", areas["region_name_published"]
    )
    areas["area_kind"] = np.where(
        areas["la_code"] == ENGLAND, "england", np.where(areas["la_code"].isin(REGION_CODES), "region", "council")
    )
    regions = {_region_key(n): c for c, n in zip(areas["la_code"], areas["name"], strict=True) if c in REGION_CODES}
    is_council = areas["area_kind"] == "council"
    areas["region_code"] = areas["region_name"].map(lambda n: regions.get(_region_key(n))).where(is_council, None)
    areas.loc[~is_council, ["region_name", "la_type"]] = None
    for row in areas[is_council & areas["region_code"].isna()].itertuples():
        problems.warning(
            "unknown_region",
            "the council's region is not one of the regions in the data; no regional figure is shown for it",
            column="Region",
            found=f"{row.la_code} {row.region_name}",
        )
    current = set(neighbours.loc[neighbours["section"] == "current", "la_code"])
    newest = neighbours["grouping"].max() if len(neighbours) else None
    if newest is not None:
        current = set(
            neighbours.loc[(neighbours["section"] == "current") & (neighbours["grouping"] == newest), "la_code"]
        )
    areas["status"] = np.where(~is_council | areas["la_code"].isin(current) | (newest is None), "current", "former")
    areas["la_type"] = areas["la_type"].replace("", None)
    return areas[AREA_COLUMNS].sort_values("la_code").reset_index(drop=True)


def _region_key(name: object) -> str:
    """'Outer London' and 'London (Outer)', 'Yorkshire and The Humber' and '... the Humber' are one region."""
    key = heading_key(name)
    if m := re.fullmatch(r"(inner|outer) london", key):
        return f"london {m[1]}"
    return key


def _groupings_of(f: LaitFile) -> list[str]:
    m = re.search(r"sn[_ ]+[a-z]+[_ ]+(\d{4})", f.file_name.lower())
    return [m[1]] if m else []


def _check_neighbours(neighbours: pd.DataFrame, areas: pd.DataFrame, problems: Problems) -> None:
    unknown = neighbours.loc[~neighbours["neighbour_code"].isin(set(areas["la_code"])), "neighbour_code"]
    for code in sorted(set(unknown)):
        problems.warning(
            "unknown_neighbour",
            "a neighbour has no values in the extract, so it is left out of the neighbours' mean and median",
            column="SN1..SN10",
            found=code,
        )


# ---------------------------------------------------------------- the KPI mapping


def read_benchmark_map(f: LaitFile, known_measures: set[str] | None = None) -> BenchmarkMap:
    """data/kpi_benchmark_map.csv: kpi_code, measure, transform, note -> checked rows (one per KPI)."""
    problems = Problems(f.file_name)
    result = BenchmarkMap(f, problems, _empty(MAP_COLUMNS))
    sheet = read_workbook(f.data, f.file_name).sheets[0]
    body, header = _table(sheet, "kpi code", problems)
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


__all__ = [
    "BenchmarkMap",
    "LaitData",
    "LaitFile",
    "MissingLaitFile",
    "clean_values",
    "excel_serial_date",
    "file_role",
    "find_files",
    "parse_lait_polarity",
    "parse_period",
    "parse_transform",
    "read_benchmark_map",
    "read_directory",
    "read_lait",
]
