"""The data dictionary: one row per measure and topic, with polarity, dates and decimal places."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.grid import read_workbook
from loaders.lait.labels import NO_DIRECTION, excel_serial_date, parse_lait_polarity
from loaders.lait.model import MAX_LISTED, MEASURE_COLUMNS, LaitFile, empty
from loaders.lait.tables import table_below
from loaders.problems import Problems
from loaders.values import clean_text, heading_key

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


def read_dictionary(f: LaitFile, problems: Problems) -> pd.DataFrame:
    """The data dictionary: one row per measure and topic (a measure may sit under two topics)."""
    sheet = read_workbook(f.data, f.file_name).sheets[0]
    frame, header_row = table_below(sheet, "measure short", problems)
    if frame is None:
        return empty(MEASURE_COLUMNS)
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


def add_data_items(measures: pd.DataFrame, items: pd.DataFrame, values: pa.Table, problems: Problems) -> pd.DataFrame:
    """Each measure's 'Data item' text from the values table; a stub for measures the dictionary lacks."""
    measures = measures.copy()
    measures["data_item"] = measures["measure"].map(items.set_index("measure")["data_item"].map(clean_text))
    unknown = sorted(set(pc.unique(values["measure"]).to_pylist()) - set(measures["measure"]))
    for code in unknown[:MAX_LISTED]:
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
