"""Small parsers for the text LAIT publishes: period labels, Excel serial dates, polarity, LA codes and
the KPI mapping's transforms. Pure functions, so each is tested on its own."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from loaders.values import clean_text

_EXCEL_EPOCH = date(1899, 12, 30)


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


def la_code(text: str) -> str | None:
    m = re.fullmatch(r"(\d{3,4})(?:\.0+)?", text.strip())
    return m[1] if m else None


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
