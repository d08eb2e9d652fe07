"""Months as the board reads them, and when an action is overdue.

Every period in the product is a month, held as the first day of the month.
"""

from __future__ import annotations

from datetime import date, datetime

from domain.rag import DELIVERED


def _month_start(value: object) -> date:
    if isinstance(value, datetime):
        return date(value.year, value.month, 1)
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    if hasattr(value, "year") and hasattr(value, "month"):  # pandas / numpy timestamps
        return date(int(value.year), int(value.month), 1)
    text = str(value)[:7]
    return date(int(text[:4]), int(text[5:7]), 1)


def month_label(value: object) -> str:
    """`date(2016, 11, 1)` -> 'Nov 2016'."""
    return f"{_month_start(value):%b %Y}"


def long_month_label(value: object) -> str:
    """`date(2016, 11, 1)` -> 'November 2016'."""
    return f"{_month_start(value):%B %Y}"


def _blank(value: object) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    return type(value).__name__ in {"NAType", "NaTType"} or not str(value).strip()


def period_label(period: object, label: object = None) -> str:
    """'Nov 2016', or 'Initial (Sep 2015)' for a period the plan names."""
    month = month_label(period)
    return month if _blank(label) else f"{label} ({month})"


def is_overdue(timescale_month: object, rating: object, period: object) -> bool:
    """Past its timescale at `period` and neither Dark Green nor Completed (unknown timescale: no)."""
    if _blank(timescale_month):
        return False
    return _month_start(timescale_month) < _month_start(period) and (_blank(rating) or rating not in DELIVERED)


def overdue_sql(timescale_month: str, rating: str, period: str) -> str:
    """`is_overdue` as SQL over column expressions (`period` may be a `CAST(? AS DATE)` parameter)."""
    delivered = " ".join(f"AND {rating} IS DISTINCT FROM '{code}'" for code in DELIVERED)
    return f"coalesce({timescale_month} < {period} {delivered}, false)"
