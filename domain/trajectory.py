"""Trajectory to target: will a KPI reach its action's target by the action's timescale?

The board's question is not "is it on target now" but "at the rate it is moving, will it get there
in time". The recent rate is the least-squares slope, per month, of the observations in the last
`RECENT_MONTHS` months up to the latest one (at least two, at least a month apart): one month's
noise does not swing it, and a slope over years does not hide a recent turn. The needed rate is
the gap to the target divided by the months left to the timescale. Pure arithmetic; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from domain.kpi_status import on_target
from domain.numbers import format_change, format_value

RECENT_MONTHS = 6


@dataclass(frozen=True)
class Trajectory:
    """Where a KPI is heading against one target and timescale (dates are first of the month)."""

    latest_period: date
    latest_value: float
    target: float
    timescale: date
    polarity: str
    met: bool  # the latest value already meets the target
    recent_rate: float | None  # change per month; None with too few recent observations
    recent_from: date | None  # the first observation the rate is worked out from
    needed_rate: float | None  # change per month to reach the target by the timescale; None when met or passed
    reached_by: date | None  # the month the target is reached at the recent rate; None if never
    projection: tuple[tuple[date, float], tuple[date, float]] | None  # latest point -> the timescale

    @property
    def will_reach(self) -> bool | None:
        """True when met now or reached by the timescale at the recent rate; None with no rate."""
        if self.met:
            return True
        if months_between(self.latest_period, self.timescale) <= 0:
            return False  # the timescale has passed and the target is not met
        if self.recent_rate is None:
            return None
        return self.reached_by is not None and self.reached_by <= self.timescale


def _month(value: Any) -> date:
    d = value.date() if hasattr(value, "date") and callable(value.date) else value
    return date(d.year, d.month, 1)


def months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def recent_rate(periods: Sequence[date], values: Sequence[float]) -> tuple[float, date] | None:
    """(slope per month, first month used) over the last `RECENT_MONTHS` months, or None."""
    if not periods:
        return None
    latest = periods[-1]
    window = [(p, v) for p, v in zip(periods, values, strict=True) if months_between(p, latest) <= RECENT_MONTHS]
    if len(window) < 2 or window[0][0] == latest:
        return None
    x = np.array([months_between(window[0][0], p) for p, _ in window], dtype=float)
    y = np.array([v for _, v in window], dtype=float)
    slope = float(np.polyfit(x, y, 1)[0])
    return slope, window[0][0]


def trajectory(
    periods: Sequence[Any],
    values: Sequence[float],
    *,
    target: float,
    polarity: str,
    timescale: Any,
) -> Trajectory | None:
    """The trajectory of a series (any order, NaN left out) to `target` by `timescale`; None when
    there is no observation, no numeric target or no better direction."""
    if polarity not in ("higher", "lower") or target is None or not math.isfinite(float(target)):
        return None
    pairs = sorted((_month(p), float(v)) for p, v in zip(periods, values, strict=True) if math.isfinite(float(v)))
    if not pairs:
        return None
    ps, vs = [p for p, _ in pairs], [v for _, v in pairs]
    latest_p, latest_v, due = ps[-1], vs[-1], _month(timescale)
    met = bool(on_target(latest_v, float(target), polarity))
    found = recent_rate(ps, vs)
    rate, since = found if found else (None, None)
    left = months_between(latest_p, due)
    needed = None if met or left <= 0 else (float(target) - latest_v) / left
    reached: date | None = latest_p if met else None
    if not met and rate is not None:
        gap = float(target) - latest_v
        if abs(rate) > 1e-9 and math.copysign(1, gap) == math.copysign(1, rate):
            reached = add_months(latest_p, math.ceil(round(gap / rate, 9)))
    projection = None
    if rate is not None and left > 0:
        projection = ((latest_p, latest_v), (due, latest_v + rate * left))
    return Trajectory(latest_p, latest_v, float(target), due, polarity, met, rate, since, needed, reached, projection)


def sentence(t: Trajectory, unit: str, fmt: Callable[[object, object], str] = format_value) -> str:
    """The trajectory in words, e.g. '... At the recent rate the target is reached by Mar 2017.'"""
    due = f"{t.timescale:%m/%y}"
    target = fmt(t.target, unit)
    if t.met:
        return f"Already meets the target of {target} ({fmt(t.latest_value, unit)} in {t.latest_period:%b %Y})."
    if months_between(t.latest_period, t.timescale) <= 0:
        return (
            f"The action's timescale ({due}) has passed and the latest value, {fmt(t.latest_value, unit)} in "
            f"{t.latest_period:%b %Y}, does not meet the target of {target}."
        )
    needed = f"Needs {_signed(t.needed_rate, unit)} a month to reach {target} by {due}"
    if t.recent_rate is None or t.recent_from is None:
        return needed + "; too few recent observations to work out a rate."
    text = (
        f"{needed}; the recent rate is {_signed(t.recent_rate, unit)} a month "
        f"({t.recent_from:%b %Y} to {t.latest_period:%b %Y}). "
    )
    if t.will_reach and t.reached_by is not None:
        return text + f"At the recent rate the target is reached by {t.reached_by:%b %Y}."
    return text + f"At the recent rate the target is not reached by the action's timescale ({due})."


def _signed(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    shown = round(value, 1)
    return format_change(shown, unit) if shown != 0 else format_change(0.0, unit) or "0"
