"""The extract's data classes and column lists, shared by every reader in the package."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import pyarrow as pa

from loaders.problems import LoaderError, Problems

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
MAX_LISTED = 50  # problems of one kind listed one by one; the rest are summed up in one more line


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


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
