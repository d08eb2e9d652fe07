"""KPI values as a board member reads them."""

from __future__ import annotations

import math


def _missing(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def is_percent(unit: object) -> bool:
    return str(unit).strip() == "%"


def format_value(value: object, unit: object) -> str:
    """'78%', '14', '17.5', '1,204'; 'no data' when there is no value."""
    if _missing(value):
        return "no data"
    number = float(value)  # type: ignore[arg-type]
    text = f"{number:,.0f}" if number == round(number) else f"{number:,.1f}"
    return f"{text}%" if is_percent(unit) else text


def format_change(change: object, unit: object) -> str:
    """A difference between two values: '+12 points' for percentages, '-3' otherwise."""
    if _missing(change):
        return ""
    number = float(change)  # type: ignore[arg-type]
    sign = "+" if number > 0 else ""
    points = " points" if is_percent(unit) else ""
    return f"{sign}{format_value(number, '')}{points}"
