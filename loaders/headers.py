"""Find the heading row near the top of a sheet and recognise columns by meaning, not wording."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd

from loaders.values import clean_text, heading_key, parse_month

Shape = Literal["plan", "kpi_long", "kpi_wide"]
HEADER_SEARCH_ROWS = 30

_PLAN_ROLES: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "action ref", "action reference", "action no", "action number", "no", "number",
            "id", "action id", "ref no"),
    "ofsted": ("ofsted ref", "ofsted reference", "ofsted", "ofsted recommendation", "recommendation"),
    "action": ("action", "actions", "action description", "description", "what we will do", "action text"),
    "measures": ("success measure s", "success measures", "success measure", "measures", "measure s",
                 "success criteria", "measure of success", "success measure s"),
    "lead": ("lead", "leads", "lead officer", "lead officers", "owner", "responsible officer", "lead s",
             "responsible", "accountable officer"),
    "timescale": ("timescale", "timescales", "time", "due", "due date", "deadline", "target date", "by when",
                  "completion date", "date due"),
    "itemised": ("itemised in appendix a", "itemised", "in appendix a"),
    "note": ("note", "notes", "source note", "comment", "comments", "commentary"),
    "priority": ("priority", "priority no", "priority number"),
}  # fmt: skip
_KPI_ROLES: dict[str, tuple[str, ...]] = {
    "code": ("code", "kpi code", "measure code", "indicator code", "kpi ref", "kpi id", "ref", "id"),
    "kpi": ("kpi", "kpi name", "indicator", "indicator name", "measure", "measure name", "name", "description",
            "kpi description", "performance indicator", "pi", "metric"),
    "month": ("month", "period", "date", "month ending", "reporting month", "reporting period", "month end"),
    "value": ("value", "actual", "result", "figure", "performance", "outturn", "score"),
    "target": ("target", "target value", "success measure target"),
    "la": ("la code", "council code", "la", "council", "la number", "authority code", "local authority",
           "la no", "old la code", "authority"),
    "unit": ("unit", "units", "measure type", "format", "type"),
    "polarity": ("good is", "polarity", "better", "direction", "higher or lower is better", "good"),
    "actions": ("actions", "action", "linked actions", "action refs", "evidences", "plan actions", "action s"),
    "note": ("note", "notes", "comment", "comments", "source note"),
}  # fmt: skip
_RAG_LABELS = ("initial", "previous", "current", "rag", "rating", "latest", "baseline")
# A column saying a value is inferred or estimated: alone it covers its row (a KPI's values, an
# action); followed by a RAG column's heading ('Estimate note RAG Nov 16') it covers that rating.
_ESTIMATE = re.compile(r"^(?:estimate|estimated|inferred|inference)(?: note| notes| flag)?(?: (?P<rest>.+))?$")


@dataclass
class RagColumn:
    index: int
    heading: str  # as the sheet displays it
    month: date | None
    label: str
    raw: str = ""  # the cell's value as read ('2016-11-01 00:00:00' for a date shown as Nov-16)


@dataclass
class Header:
    """The heading row (frame index) of a table and what each column means."""

    shape: Shape
    row: int
    headings: dict[int, str]  # as the sheet displays them: what problems name
    raw: dict[int, str] = field(default_factory=dict)  # the values read, from which months are parsed
    roles: dict[str, int] = field(default_factory=dict)
    rag: list[RagColumn] = field(default_factory=list)
    months: dict[int, date] = field(default_factory=dict)
    estimate_rag: list[RagColumn] = field(default_factory=list)  # notes on the ratings of one RAG column


def _role(key: str, table: dict[str, tuple[str, ...]]) -> str | None:
    for role, names in table.items():
        if key in names:
            return role
    for role, names in table.items():
        if any(key.startswith(n + " ") for n in names if len(n) > 3):
            return role
    return None


def _rag_column(index: int, heading: str, shown: str) -> RagColumn | None:
    key = heading_key(heading)
    words = key.split()
    month = parse_month(heading)
    if month is not None:
        return RagColumn(index, shown, month, month.strftime("%b %Y"), heading)
    rest = [w for w in words if w not in {"rag", "rating", "status"}]
    if "rag" in words or "rating" in words or (len(words) == 1 and words[0] in _RAG_LABELS):
        label = " ".join(rest) if rest else "rag"
        if label in _RAG_LABELS or label == "rag":
            return RagColumn(index, shown, None, label.capitalize(), heading)
    return None


def _classify(cells: dict[int, str], shown: dict[int, str]) -> list[Header]:
    """Every shape this row could head, with its columns; mandatory roles decide which apply."""
    found = []
    plan = Header("plan", -1, shown, cells)
    long = Header("kpi_long", -1, shown, cells)
    wide = Header("kpi_wide", -1, shown, cells)
    for index, heading in cells.items():
        key = heading_key(heading)
        if not key:
            continue
        if estimate := _ESTIMATE.match(key):
            rest = estimate["rest"]
            of = _rag_column(index, rest, shown[index]) if rest else None
            if of is not None:
                plan.estimate_rag.append(of)
            elif not rest:
                for header in (plan, long, wide):
                    header.roles.setdefault("estimate", index)
            continue
        rag = _rag_column(index, heading, shown[index])
        if rag is not None:
            plan.rag.append(rag)
        else:
            role = _role(key, _PLAN_ROLES)
            if role and role not in plan.roles:
                plan.roles[role] = index
        month = parse_month(heading)
        if month is not None and "rag" not in key.split():
            wide.months[index] = month
            continue
        role = _role(key, _KPI_ROLES)
        if role and role not in long.roles:
            long.roles[role] = index
            wide.roles[role] = index
    described = {"measures", "lead", "timescale", "ofsted"} & plan.roles.keys()
    labelled = any(not r.raw[:1].isdigit() and parse_month(r.raw) is None for r in plan.rag) or any(
        "rag" in heading_key(r.raw).split() for r in plan.rag
    )
    if ({"action", "ref"} & plan.roles.keys()) and plan.rag and (described or labelled):
        found.append(plan)
    if {"month", "value"} <= long.roles.keys() and ({"kpi", "code"} & long.roles.keys()):
        found.append(long)
    if wide.months and ({"kpi", "code"} & wide.roles.keys()) and "value" not in wide.roles:
        found.append(wide)
    return found


def find_header(frame: pd.DataFrame, display: dict[tuple[int, int], str] | None = None) -> Header | None:
    """The first row near the top that heads a plan tracker or a KPI table (long or wide).

    `display` holds cells whose displayed text differs from their value (a date heading shown as
    Sep-16): months are read from the value, problems name the column as displayed.
    """
    display = display or {}
    best: Header | None = None
    best_score = 0
    for row in range(min(HEADER_SEARCH_ROWS, len(frame))):
        values = frame.iloc[row]
        cells = {i: clean_text(v) for i, v in enumerate(values.tolist()) if clean_text(v)}
        if len(cells) < 2:
            continue
        shown = {i: display.get((row, i), text) for i, text in cells.items()}
        for header in _classify(cells, shown):
            score = len(header.roles) + len(header.rag) + min(len(header.months), 3)
            if header.shape == "plan" and len(header.roles) < 3:
                score -= 1
            if score > best_score:
                header.row = row
                best, best_score = header, score
        if best is not None:
            return best
    return None


def is_repeat_of(header: Header, values: pd.Series) -> bool:
    """True for a heading row repeated further down (page breaks in exported reports)."""
    raw = header.raw or header.headings
    same = sum(1 for i, h in raw.items() if heading_key(values.get(i)) == heading_key(h))
    return same >= max(2, len(raw) // 2)
