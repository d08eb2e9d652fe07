"""What the loaders hand to the store: validated frames plus every problem found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from loaders.problems import Problems

PRIORITY_COLUMNS = ["priority", "title", "outcome"]
ACTION_COLUMNS = [
    "action_ref", "priority", "ofsted_ref", "description", "success_measures", "lead", "timescale_text",
    "timescale_month", "timescale_flag", "itemised", "is_new", "note", "sheet", "excel_row", "estimate_note",
]  # fmt: skip
RATING_COLUMNS = ["action_ref", "period", "rating", "raw", "sheet", "excel_row", "estimate_note"]
KPI_COLUMNS = ["kpi_code", "name", "unit", "polarity", "target", "actions", "note"]
OBSERVATION_COLUMNS = [
    "kpi_code", "la_code", "period", "value", "missing_mark", "target", "sheet", "excel_row", "estimate_note",
]  # fmt: skip
# `estimate_note` ('' when the value is as the source gives it) says why a value, rating or action
# is inferred or estimated rather than printed: "inferred: the report says the measure was achieved".


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass
class PlanData:
    priorities: pd.DataFrame
    actions: pd.DataFrame
    ratings: pd.DataFrame
    period_labels: dict[date, str] = field(default_factory=dict)


@dataclass
class KpiData:
    kpis: pd.DataFrame
    observations: pd.DataFrame


@dataclass
class Catalogue:
    """KPIs already known (from the store), so a file may name a KPI by code or by name."""

    kpis: dict[str, dict[Any, Any]] = field(default_factory=dict)

    def code_for(self, label: str) -> str | None:
        key = label.strip().lower()
        for code, kpi in self.kpis.items():
            if code.lower() == key or str(kpi.get("name", "")).strip().lower() == key:
                return code
        return None


@dataclass
class Parsed:
    """One file, read and checked. `ok` is False when any error was found; then nothing may be stored."""

    file_name: str
    sha256: str
    problems: Problems
    plan: PlanData | None = None
    kpi: KpiData | None = None
    sheets_used: list[tuple[str, str]] = field(default_factory=list)
    sheets_skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    @property
    def kind(self) -> str:
        parts = [k for k, v in (("plan", self.plan), ("kpi", self.kpi)) if v is not None]
        return "+".join(parts) or "empty"
