"""The areas with values: councils with their region and type, the regions and England."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from loaders.grid import read_workbook
from loaders.lait.labels import la_code
from loaders.lait.model import AREA_COLUMNS, ENGLAND, REGION_CODES, LaitFile
from loaders.lait.tables import table_below
from loaders.problems import Problems
from loaders.values import clean_text, heading_key


def read_areas(f: LaitFile, names: pd.DataFrame, neighbours: pd.DataFrame, problems: Problems) -> pd.DataFrame:
    """Every area with values: councils (with region and type), the regions and England."""
    sheet = read_workbook(f.data, f.file_name).sheets[0]
    body, header = table_below(sheet, "la number", problems)
    listed = pd.DataFrame(columns=["la_code", "name", "region_name", "la_type"])
    if body is not None:
        headings = [heading_key(h) for h in sheet.frame.iloc[header]]
        col = {h: i for i, h in enumerate(headings)}
        listed = pd.DataFrame(
            {
                "la_code": body[0].map(lambda v: la_code(clean_text(v))),
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
