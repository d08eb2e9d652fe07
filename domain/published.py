"""Published (DfE) figures on a local monthly series' own time axis.

A published figure describes a date, not a year: a financial-year figure the year to 31 March, a
workforce figure the 30 September census. Plotting it at that date puts the seed council's
December 2016 caseload beside the September 2016 and 2017 figures, not beside the latest year's.
Where a local monthly figure exists for the same month, the two can be set side by side; they
"disagree" when they differ by more than rounding and a small definitional slack. No I/O.
"""

from __future__ import annotations

import math
from datetime import date

# LAIT's year types -> (month, day) of the date a figure for `end_year` describes.
REFERENCE_DAYS: dict[str, tuple[int, int]] = {
    "Financial Year": (3, 31),  # the year to 31 March
    "Annual (end of Sept)": (9, 30),  # the workforce census at 30 September
    "Academic Year": (8, 31),  # the school year ending in the summer
    "Calendar Year": (12, 31),
    "Annual - January": (1, 31),  # the January census
}
ASSUMED = (3, 31)  # 'Annual' and anything unknown: the year to 31 March, and said to be assumed
AGREE_WITHIN = 0.5  # in the KPI's units (percentage points for a %): published figures are rounded
AGREE_RELATIVE = 0.02  # and 2% of the published value, for counts and averages


def reference_date(year_type: object, end_year: object) -> date | None:
    """The date a published figure for `end_year` describes; None when the year is not known."""
    if end_year is None or (isinstance(end_year, float) and math.isnan(end_year)):
        return None
    try:
        year = int(end_year)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    month, day = REFERENCE_DAYS.get(str(year_type), ASSUMED)
    return date(year, month, day)


def reference_words(year_type: object) -> str:
    """'at 31 March' / 'at 30 September (assumed)' for captions."""
    month, day = REFERENCE_DAYS.get(str(year_type), ASSUMED)
    words = f"at {date(2000, month, day):%-d %B}"
    return words if str(year_type) in REFERENCE_DAYS else f"{words} (assumed: year type '{year_type}')"


def disagrees(local: float, published: float) -> bool:
    """True when the local figure for the month differs from the published one by more than rounding."""
    return abs(local - published) > max(AGREE_WITHIN, AGREE_RELATIVE * abs(published))
