"""KPI sheets, long (a row per KPI and month) or wide (a column per month) -> observations.

Both shapes are first turned into one long frame of text cells with their Excel
positions, then checked column-wise: per-row Python runs only for the rows that are wrong.
"""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd

from loaders.grid import Sheet
from loaders.headers import Header
from loaders.model import KPI_COLUMNS, OBSERVATION_COLUMNS, Catalogue, KpiData
from loaders.problems import Problems
from loaders.values import (
    MONTH_EXPECTED,
    NUMBER_EXPECTED,
    POLARITY_EXPECTED,
    clean_text,
    normalise_unit,
    parse_month,
    parse_number,
    parse_numbers,
    parse_polarity,
)

_ATTRIBUTES = ("code", "kpi", "target", "la", "unit", "polarity", "actions", "note", "estimate")


def kpi_code_from_name(name: str) -> str:
    """A stable code for a KPI first met by name: 'Care leavers NEET %' -> 'CARE_LEAVERS_NEET'."""
    code = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")
    return code[:40].rstrip("_") or "KPI"


def _text_column(frame: pd.DataFrame, index: int | None) -> pd.Series:
    if index is None:
        return pd.Series("", index=frame.index, dtype="str")
    return frame[index].astype("str").where(frame[index].notna(), "").str.strip()


def to_long(sheet: Sheet, header: Header) -> pd.DataFrame:
    """One row per (sheet row, value cell) with the raw texts and where each value sits."""
    body = sheet.frame.iloc[header.row + 1 :]
    body = body[body.notna().sum(axis=1) > 1]  # a lone cell is a footnote or a caption, not a KPI
    attrs = {a: _text_column(body, header.roles.get(a)) for a in _ATTRIBUTES}
    if header.shape == "kpi_long":
        value_col = header.roles["value"]
        parts = [
            pd.DataFrame(
                {
                    **attrs,
                    "month": _text_column(body, header.roles["month"]),
                    "value": body[value_col],
                    "value_col": value_col,
                    "month_from_heading": False,
                }
            )
        ]
    else:
        parts = [
            pd.DataFrame(
                {
                    **attrs,
                    "month": header.raw.get(index, header.headings[index]),
                    "value": body[index],
                    "value_col": index,
                    "month_from_heading": True,
                }
            )
            for index in header.months
        ] or [
            pd.DataFrame(
                {
                    **attrs,
                    "month": "",
                    "value": None,
                    "value_col": -1,
                    "month_from_heading": True,
                }
            )
        ]
    long = pd.concat(parts)
    long["frame_row"] = long.index
    return long.reset_index(drop=True)


def parse_kpis(
    sheet: Sheet,
    header: Header,
    problems: Problems,
    catalogue: Catalogue,
    default_la: str,
) -> KpiData:
    long = to_long(sheet, header)
    headings = header.headings
    where = {"sheet": sheet.name}

    def locate(frame_row: int, col: int) -> dict[str, object]:
        return {
            **where,
            "row": sheet.excel_row(frame_row),
            "column": headings.get(col, ""),
            "col_index": sheet.excel_col(col),
        }

    has_label = (long["code"] != "") | (long["kpi"] != "")
    has_value = long["value"].notna() & (long["value"].astype("str").str.strip() != "")
    for frame_row, col in long.loc[has_value & ~has_label, ["frame_row", "value_col"]].itertuples(index=False):
        problems.error(
            "kpi.no_name",
            "a value with no KPI name or code on its row",
            **locate(frame_row, col),
            found="",
            expected="the KPI's name or code",
        )
    long = long[has_label].copy()
    kpis = _kpi_definitions(sheet, header, long, problems, catalogue)
    pairs = long[["code", "kpi"]].drop_duplicates()
    pairs["kpi_code"] = [kpis.resolve(c, k) for c, k in zip(pairs["code"], pairs["kpi"], strict=True)]
    long = long.merge(pairs, on=["code", "kpi"], how="left", sort=False)
    values = long[long["value"].notna() & (long["value"].astype("str").str.strip() != "")].copy()
    months = {text: parse_month(text) for text in values["month"].unique()}
    values["period"] = values["month"].map(months)
    for frame_row, col, text, from_heading in values.loc[
        values["period"].isna(),
        ["frame_row", "value_col", "month", "month_from_heading"],
    ].itertuples(index=False):
        col_index = col if from_heading else header.roles["month"]
        problems.error(
            "kpi.bad_month",
            "the month cannot be read",
            **locate(frame_row, col_index),
            found=text,
            expected=MONTH_EXPECTED,
        )
    parsed = parse_numbers(values["value"])
    for frame_row, col, text in values.loc[parsed["bad"], ["frame_row", "value_col", "value"]].itertuples(index=False):
        problems.error(
            "kpi.not_a_number",
            "text where a number belongs",
            **locate(frame_row, col),
            found=text,
            expected=NUMBER_EXPECTED,
        )
    percent_styled = np.zeros(len(values), dtype=bool)
    if sheet.has_percent:
        for col in values["value_col"].unique():
            mask = (values["value_col"] == col).to_numpy()
            rows = pd.Index(values.loc[mask, "frame_row"])
            percent_styled[mask] = sheet.percent_mask(int(col), rows).to_numpy()
    values["value_num"] = np.where(percent_styled, parsed["value"] * 100, parsed["value"]).round(10)
    values["missing_mark"] = parsed["mark"]
    values["unit"] = values["kpi_code"].map(kpis.units).fillna("Number")
    is_percent = (values["unit"] == "%") | parsed["percent_sign"].to_numpy() | percent_styled
    out_of_range = is_percent & ((values["value_num"] < 0) | (values["value_num"] > 100))
    for frame_row, col, text, number in values.loc[
        out_of_range, ["frame_row", "value_col", "value", "value_num"]
    ].itertuples(index=False):
        problems.error(
            "kpi.percent_out_of_range",
            f"a percentage of {number:g} is outside 0 to 100",
            **locate(frame_row, col),
            found=text,
            expected="a percentage from 0 to 100",
        )
    for code in values.loc[parsed["percent_sign"].to_numpy() | percent_styled, "kpi_code"].unique():
        kpis.mark_percent(code)

    values["la_code"] = values["la"].where(values["la"] != "", default_la)
    values["target_num"] = values["kpi_code"].map(kpis.targets).astype("float64")
    if header.shape == "kpi_long" and "target" in header.roles:
        row_targets = parse_numbers(values["target"])
        for frame_row, text in values.loc[row_targets["bad"], ["frame_row", "target"]].itertuples(index=False):
            problems.error(
                "kpi.not_a_number",
                "text where a target number belongs",
                **locate(frame_row, header.roles["target"]),
                found=text,
                expected=NUMBER_EXPECTED,
            )
        target_col = header.roles["target"]
        styled = sheet.percent_mask(target_col, pd.Index(values["frame_row"])).to_numpy()
        row_target = row_targets["value"].where(~styled, row_targets["value"] * 100).round(10)
        values["target_num"] = row_target.where(row_target.notna(), values["target_num"])
    values = values[values["period"].notna() & ~parsed["bad"]]
    observations = _deduplicate(values, sheet, header, problems)
    observations = observations.assign(
        sheet=sheet.name, excel_row=observations["frame_row"] + sheet.row0, estimate_note=observations["estimate"]
    )
    observations = observations.drop(columns=["value", "target"]).rename(
        columns={"value_num": "value", "target_num": "target"}
    )
    return KpiData(
        kpis=kpis.frame(),
        observations=observations[OBSERVATION_COLUMNS].reset_index(drop=True),
    )


def _deduplicate(values: pd.DataFrame, sheet: Sheet, header: Header, problems: Problems) -> pd.DataFrame:
    """The same KPI, council and month twice: an error if the values differ, dropped if equal."""
    keys = ["kpi_code", "la_code", "period"]
    repeated = values.duplicated(keys, keep=False)
    if not repeated.any():
        return values
    clash = values[repeated].copy()
    clash["value_key"] = clash["value_num"].astype("str") + "|" + clash["missing_mark"].fillna("")
    groups = clash.groupby(keys, sort=False, dropna=False)
    clash["first_row"] = groups["frame_row"].transform("first")
    clash["first_key"] = groups["value_key"].transform("first")
    for frame_row, col, text, first in clash.loc[
        clash["value_key"] != clash["first_key"],
        ["frame_row", "value_col", "value", "first_row"],
    ].itertuples(index=False):
        problems.error(
            "kpi.duplicate",
            f"the same KPI and month already has a different value at row {sheet.excel_row(int(first))}",
            sheet=sheet.name,
            row=sheet.excel_row(frame_row),
            column=header.headings.get(col, ""),
            col_index=sheet.excel_col(col),
            found=text,
            expected="one value per KPI, council and month",
        )
    return values.drop_duplicates(keys)


class _Definitions:
    """KPIs as the file defines them, merged with the catalogue; creates new ones from the file."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.rows: dict[str, dict[str, object]] = {}
        self.units: dict[str, str] = {}
        self.targets: dict[str, float | None] = {}
        for code, kpi in catalogue.kpis.items():
            self.units[code] = str(kpi.get("unit") or "Number")
            self.targets[code] = _as_float(kpi.get("target"))

    def resolve(self, code: str, name: str) -> str:
        if code:
            known = self.catalogue.code_for(code)
            return known or code.strip().upper()
        return self.catalogue.code_for(name) or kpi_code_from_name(name)

    def mark_percent(self, code: str) -> None:
        if code in self.rows and not self.rows[code].get("unit_given"):
            self.rows[code]["unit"] = "%"
            self.units[code] = "%"

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows.values()), columns=KPI_COLUMNS)


def _kpi_definitions(
    sheet: Sheet,
    header: Header,
    long: pd.DataFrame,
    problems: Problems,
    catalogue: Catalogue,
) -> _Definitions:
    """One definition per KPI mentioned: name, unit, polarity, target (wide sheets), linked actions."""
    kpis = _Definitions(catalogue)
    firsts = long.drop_duplicates(["code", "kpi"])
    for record in firsts.to_dict("records"):
        row = SimpleNamespace(**{str(k): v for k, v in record.items()})
        code = kpis.resolve(str(row.code), str(row.kpi))
        if code in kpis.rows:
            continue
        known = catalogue.kpis.get(code, {})
        excel_row = sheet.excel_row(int(row.frame_row))
        where = {"sheet": sheet.name, "row": excel_row}
        polarity: str | None = None
        polarity_error = False
        if row.polarity:
            try:
                polarity = parse_polarity(row.polarity)
            except ValueError as exc:
                index = header.roles["polarity"]
                problems.error(
                    "kpi.bad_polarity",
                    str(exc),
                    **where,
                    column=header.headings[index],
                    col_index=sheet.excel_col(index),
                    found=row.polarity,
                    expected=POLARITY_EXPECTED,
                )
                polarity_error = True
        polarity = polarity or _known(known, "polarity")
        if polarity is None and not polarity_error:
            at = header.roles.get("polarity", header.roles.get("kpi", header.roles.get("code")))
            problems.warning(
                "kpi.no_polarity",
                f"KPI '{row.kpi or code}' has no polarity; charts cannot say whether it is on track",
                **where,
                **({} if at is None else {"column": header.headings[at], "col_index": sheet.excel_col(at)}),
                found=row.polarity,
                expected=POLARITY_EXPECTED,
            )
        target = kpis.targets.get(code)
        if header.shape == "kpi_wide" and row.target:
            try:
                target = parse_number(row.target)
                styled = sheet.percent_mask(header.roles["target"], pd.Index([row.frame_row]))
                if target is not None and bool(styled.iloc[0]):
                    target = round(target * 100, 10)
            except ValueError:
                index = header.roles["target"]
                problems.error(
                    "kpi.not_a_number",
                    "text where a target number belongs",
                    **where,
                    column=header.headings[index],
                    col_index=sheet.excel_col(index),
                    found=row.target,
                    expected=NUMBER_EXPECTED,
                )
        unit = normalise_unit(row.unit) if row.unit else _known(known, "unit") or "Number"
        kpis.units[code] = unit
        kpis.targets[code] = target
        kpis.rows[code] = {
            "kpi_code": code,
            "name": _name(clean_text(row.kpi), code, known),
            "unit": unit,
            "polarity": polarity,
            "target": target,
            "actions": clean_text(row.actions) or _known(known, "actions") or "",
            "note": clean_text(row.note) or _known(known, "note") or "",
            "unit_given": bool(row.unit) or bool(known),
        }
    return kpis


def _known(known: dict[str, object], key: str) -> str | None:
    value = known.get(key)
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _as_float(value: object) -> float | None:
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return float(value)
    return None


def _name(label: str, code: str, known: dict[str, object]) -> str:
    """The KPI's name: the file's label, unless the label is just the code of a known KPI."""
    if label and not (known and label.upper() == code.upper()):
        return label
    return _known(known, "name") or label or code
