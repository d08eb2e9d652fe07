"""The upload page's tables, worked out from a checked file and what it would change (pure)."""

from __future__ import annotations

import pandas as pd

from loaders.model import Catalogue, Parsed
from store.writes import Changes

TOTAL_LABELS = {
    "observations": "KPI values",
    "ratings": "Ratings",
    "actions": "Actions",
    "kpis": "KPI definitions",
    "priorities": "Priorities",
}
PROBLEM_COLUMNS = ["Severity", "Sheet", "Row", "Column", "Cell", "Problem", "Found", "Expected", "Code"]


def problem_table(parsed: Parsed) -> pd.DataFrame:
    """Every problem found, located, as the validation report shows and downloads it."""
    return pd.DataFrame(
        [
            [p.severity, p.sheet, p.row, p.column, p.cell, p.message, p.found, p.expected, p.code]
            for p in parsed.problems.items
        ],
        columns=PROBLEM_COLUMNS,
    )


def totals(found: Changes) -> pd.DataFrame:
    """New, changed and unchanged counts per kind of row."""
    return pd.DataFrame(
        [{"": TOTAL_LABELS.get(kind, kind), **count} for kind, count in found.counts.items()],
        columns=["", "new", "changed", "unchanged"],
    ).set_index("")


def kpi_names(parsed: Parsed, catalogue: Catalogue) -> dict[str, str]:
    """KPI code -> name, from the store and from the file (the file's own names win)."""
    names = {code: str(kpi["name"]) for code, kpi in catalogue.kpis.items()}
    if parsed.kpi is not None:
        names.update(dict(zip(parsed.kpi.kpis["kpi_code"], parsed.kpi.kpis["name"], strict=True)))
    return names


def _month(periods: pd.Series) -> pd.Series:
    return pd.to_datetime(periods).dt.strftime("%b %Y")


def kpi_summary(found: Changes, names: dict[str, str]) -> pd.DataFrame:
    """A row per KPI and council in the file: how many of its values are new, changed, unchanged."""
    by_kpi = found.observations_by_kpi
    return pd.DataFrame(
        {
            "KPI": by_kpi["kpi_code"].map(names).fillna(by_kpi["kpi_code"]),
            "Council": by_kpi["la_code"],
            "New": by_kpi["new"],
            "Changed": by_kpi["changed"],
            "Unchanged": by_kpi["unchanged"],
            "From": _month(by_kpi["first_period"]),
            "To": _month(by_kpi["last_period"]),
        }
    )


def value_rows(found: Changes, names: dict[str, str]) -> pd.DataFrame:
    """Each KPI value in the file beside the value stored now (changed first, then new)."""
    values = found.observations
    return pd.DataFrame(
        {
            "KPI": values["kpi_code"].map(names).fillna(values["kpi_code"]),
            "Council": values["la_code"],
            "Month": _month(values["period"]),
            "Now": values["old_value"],
            "In this file": values["new_value"],
            "Change": values["change"],
        }
    )


def rating_rows(found: Changes) -> pd.DataFrame:
    """Each rating in the file beside the rating stored now (changed first, then new)."""
    ratings = found.ratings
    return pd.DataFrame(
        {
            "Action": ratings["action_ref"],
            "Month": _month(ratings["period"]),
            "Now": ratings["old_rating"],
            "In this file": ratings["new_rating"],
            "Change": ratings["change"],
        }
    )


def every_row(found: Changes, names: dict[str, str]) -> pd.DataFrame:
    """KPI values and ratings in one table, for the whole-preview download."""
    frames = [
        value_rows(found, names).assign(Kind="KPI value") if not found.observations.empty else None,
        rating_rows(found).assign(Kind="Rating") if not found.ratings.empty else None,
    ]
    present = [frame for frame in frames if frame is not None]
    return pd.concat(present, ignore_index=True) if present else pd.DataFrame()


def kpis_in_file(found: Changes) -> list[tuple[str, str]]:
    """(KPI code, council) pairs in the file, those with changed values first, then new ones."""
    by_kpi = found.observations_by_kpi
    if by_kpi.empty:  # a plan tracker: no KPI values at all
        return []
    return list(zip(by_kpi["kpi_code"], by_kpi["la_code"], strict=True))


def incoming_series(parsed: Parsed, kpi_code: str, la_code: str) -> pd.DataFrame:
    """The file's observations of one KPI for one council (period, value, missing mark, target)."""
    assert parsed.kpi is not None
    obs = parsed.kpi.observations
    chosen = (obs["kpi_code"] == kpi_code) & (obs["la_code"] == la_code)
    return obs.loc[chosen, ["period", "value", "missing_mark", "target"]]


def unit_of(parsed: Parsed, catalogue: Catalogue, kpi_code: str) -> str:
    """The KPI's unit as the file gives it, else as stored."""
    if parsed.kpi is not None:
        given = parsed.kpi.kpis.loc[parsed.kpi.kpis["kpi_code"] == kpi_code, "unit"]
        if len(given) and isinstance(given.iloc[0], str) and given.iloc[0]:
            return given.iloc[0]
    return str(catalogue.kpis.get(kpi_code, {}).get("unit") or "")


def shown_of(rows: pd.DataFrame, total: int, what: str) -> str:
    """The heading of a preview table that may hold only the first rows of many."""
    if len(rows) < total:
        return f"**{what}**: the first {len(rows):,} of {total:,}, changed and new first (download them all below)"
    return f"**{what}** (changed and new first)"
