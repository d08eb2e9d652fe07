"""One extract as a whole: its files found by name in a folder, each read, then checked against each other."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from loaders.lait.areas import read_areas
from loaders.lait.dictionary import add_data_items, read_dictionary
from loaders.lait.model import NEIGHBOUR_COLUMNS, LaitData, LaitFile, MissingLaitFile, empty
from loaders.lait.neighbours import check_neighbours, groupings_of, read_neighbours
from loaders.lait.values import read_values
from loaders.problems import Problems


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
    measures = add_data_items(measures, items, values, parts[values_file.file_name])
    groups = [read_neighbours(f, parts[f.file_name]) for f in by_role.get("neighbours", [])]
    neighbours = pd.concat(groups, ignore_index=True) if groups else empty(NEIGHBOUR_COLUMNS)
    areas = read_areas(areas_file, names, neighbours, parts[areas_file.file_name])
    for f in by_role.get("neighbours", []):
        check_neighbours(neighbours[neighbours["grouping"].isin(groupings_of(f))], areas, parts[f.file_name])
    problems = Problems("LAIT extract", [p for part in parts.values() for p in part.items])
    return LaitData(files, problems, values, measures, areas, neighbours)
