"""Statistical process control as NHS England's "Making Data Count" reads a KPI: an XmR chart.

Is a change real or noise? Process limits sit at the mean ± 2.66 × the mean moving range; a point
is a *special cause* when one of four rules fires, checked in this order (the first that fires
names the point):

1. outside the limits;
2. a run of 7 points on one side of the mean (a point on the mean breaks the run);
3. a trend of 7 points each higher (or each lower) than the one before (a tie breaks the run);
4. 2 of 3 consecutive points beyond two thirds of the way to a limit, all 3 on the same side of
   the mean (only the points beyond two thirds are flagged; a point outside the limits does not
   count towards the two, as in NHSRplotthedots).

NHSRplotthedots (the NHS-R community's implementation) checks the trend before the run and the
2-of-3 rule before the run; the product's brief puts the run second. The rules flag the same
points either way; only which rule names a point that two rules flag differs.

Moving ranges of 3.267 × the mean moving range or more are left out of the mean moving range by
default (Nelson 1982, as NHSRplotthedots does); the Making Data Count Excel tool keeps them, which
widens the limits: pass `screen=False` to reproduce it. A rebase date starts a new segment with its
own mean and limits. A segment of fewer than `MIN_POINTS` points gets no limits: too few points to
tell signal from noise, and the page says so.

Pure functions on numbers and sortable periods; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

MIN_POINTS = 12  # Making Data Count: fewer than 12 points give limits too unreliable to show
LIMIT_FACTOR = 2.66  # 3 / d2 (1.128) for moving ranges of two points
SCREEN_FACTOR = 3.267  # D4 for n = 2: a moving range this large is itself a special cause
NEAR_FRACTION = 2 / 3  # "close to a limit": beyond two thirds of the way from the mean
RUN_LENGTH = 7  # points on one side of the mean
TREND_LENGTH = 7  # points each higher (or lower) than the one before

OUTSIDE, SHIFT, TREND, TWO_OF_THREE = "outside limits", "run of 7", "trend of 7", "2 of 3 near a limit"
RULES = (OUTSIDE, SHIFT, TREND, TWO_OF_THREE)  # precedence, first wins
RULE_WORDS = {
    OUTSIDE: "a point outside the process limits",
    SHIFT: f"a run of {RUN_LENGTH} points on one side of the mean",
    TREND: f"{TREND_LENGTH} points each higher or each lower than the one before",
    TWO_OF_THREE: "2 of 3 points beyond two thirds of the way to a limit, on the same side",
}

COMMON, IMPROVEMENT, CONCERN, NEUTRAL = "common cause", "improvement", "concern", "neutral"
CAUSE_WORDS = {
    COMMON: "Common cause",
    IMPROVEMENT: "Special cause: improvement",
    CONCERN: "Special cause: concern",
    NEUTRAL: "Special cause (no better direction)",
}

# Variation icon (the class of the latest point) and assurance icon (target against the limits).
VARIATION_WORDS = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause improvement: higher",
    "improvement_low": "Special cause improvement: lower",
    "concern_high": "Special cause concern: higher",
    "concern_low": "Special cause concern: lower",
    "neutral_high": "Special cause variation: higher (neither better nor worse)",
    "neutral_low": "Special cause variation: lower (neither better nor worse)",
    "too_few": f"Too few points for SPC (needs {MIN_POINTS})",
}
VARIATION_ORDER = tuple(VARIATION_WORDS)
ASSURANCE_WORDS = {
    "pass": "Consistently passing: the target lies outside the limits, on the good side",
    "fail": "Consistently failing: the target lies outside the limits, on the bad side",
    "hit_and_miss": "Hit and miss: the target lies within the limits",
    "no_target": "No assurance: no target is set",
    "no_direction": "No assurance: neither higher nor lower is better",
    "too_few": f"No assurance: too few points for SPC (needs {MIN_POINTS})",
}
ASSURANCE_SHORT = {
    "pass": "Consistently passing",
    "fail": "Consistently failing",
    "hit_and_miss": "Hit and miss",
    "no_target": "No target",
    "no_direction": "No better direction",
    "too_few": "Too few points",
}
VARIATION_SHORT = {
    "common_cause": "Common cause",
    "improvement_high": "Improvement (high)",
    "improvement_low": "Improvement (low)",
    "concern_high": "Concern (high)",
    "concern_low": "Concern (low)",
    "neutral_high": "Neither (high)",
    "neutral_low": "Neither (low)",
    "too_few": "Too few points",
}
ASSURANCE_ORDER = tuple(ASSURANCE_WORDS)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Limits:
    """One segment's centre line and limits, and how many moving ranges screening left out."""

    mean: float
    lower: float
    upper: float
    mean_moving_range: float
    screened_out: int

    @property
    def near_lower(self) -> float:
        return self.mean - NEAR_FRACTION * (self.mean - self.lower)

    @property
    def near_upper(self) -> float:
        return self.mean + NEAR_FRACTION * (self.upper - self.mean)


@dataclass(frozen=True)
class Segment:
    """Points `start` to `stop - 1` (positions in the sorted series); `limits` is None when too few."""

    start: int
    stop: int
    limits: Limits | None

    @property
    def points(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class Spc:
    """An XmR analysis of one series, point by point (sorted by period, missing values left out)."""

    periods: Any  # a tuple, or a datetime64 array when given one
    values: FloatArray
    segment: IntArray
    mean: FloatArray  # NaN where the segment has no limits
    lower: FloatArray
    upper: FloatArray
    rule: tuple[str, ...]  # "" for common cause or no limits
    direction: IntArray  # +1 high, -1 low, 0 none
    cause: tuple[str, ...]  # COMMON, IMPROVEMENT, CONCERN, NEUTRAL ("" where there are no limits)
    segments: tuple[Segment, ...]
    variation: str  # a VARIATION_WORDS key
    assurance: str  # an ASSURANCE_WORDS key
    screen: bool

    @property
    def has_limits(self) -> bool:
        return self.segments[-1].limits is not None if self.segments else False

    @property
    def latest_limits(self) -> Limits | None:
        return self.segments[-1].limits if self.segments else None


def xmr_limits(values: Sequence[float] | FloatArray, *, screen: bool = True) -> Limits:
    """Mean and process limits of `values` (at least 2), moving ranges screened unless `screen=False`.

    >>> round(xmr_limits([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]).upper, 2)
    4.6
    """
    y = np.asarray(values, dtype=float)
    if len(y) < 2:
        raise ValueError("XmR limits need at least two values.")
    mean = float(y.mean())
    ranges = np.abs(np.diff(y))
    mean_range = float(ranges.mean())
    kept = ranges
    if screen:
        kept = ranges[ranges < SCREEN_FACTOR * mean_range]
        if len(kept) == 0:  # every range equal and zero: nothing to screen
            kept = ranges
    amr = float(kept.mean())
    return Limits(mean, mean - LIMIT_FACTOR * amr, mean + LIMIT_FACTOR * amr, amr, len(ranges) - len(kept))


def _runs(codes: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """(starts, lengths, code) of each run of equal codes."""
    if len(codes) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    starts = np.concatenate(([0], np.flatnonzero(np.diff(codes)) + 1))
    lengths = np.diff(np.concatenate((starts, [len(codes)])))
    return starts, lengths, codes[starts]


def shift_points(side: IntArray) -> IntArray:
    """+1/-1 for each point in a run of `RUN_LENGTH` or more on one side of the mean, else 0."""
    _starts, lengths, code = _runs(side)
    keep = (code != 0) & (lengths >= RUN_LENGTH)
    return np.repeat(np.where(keep, code, 0), lengths)


def trend_points(values: FloatArray) -> IntArray:
    """+1/-1 for each point in `TREND_LENGTH` or more points each higher/lower than the one before.

    A point at a peak or trough belongs to the trend that starts at it (the later one).
    """
    out = np.zeros(len(values), dtype=np.int64)
    steps = np.sign(np.diff(values)).astype(np.int64)
    starts, lengths, code = _runs(steps)
    hits = (code != 0) & (lengths >= TREND_LENGTH - 1)
    for start, length, c in zip(starts[hits], lengths[hits], code[hits], strict=True):
        out[start : start + length + 1] = c  # runs left to right: a shared point goes to the later trend
    return out


def two_of_three_points(near: npt.NDArray[np.bool_], side: IntArray) -> IntArray:
    """+1/-1 for each near-limit point in 3 consecutive points, all on one side, 2 or more of them near."""
    n = len(near)
    out = np.zeros(n, dtype=np.int64)
    if n < 3:
        return out
    near_i = near.astype(np.int64)
    near_sum = near_i[:-2] + near_i[1:-1] + near_i[2:]
    side_sum = side[:-2] + side[1:-1] + side[2:]
    window = (near_sum >= 2) & (np.abs(side_sum) == 3)  # window j covers points j, j+1, j+2
    padded = np.concatenate(([False, False], window, [False, False]))
    covered = padded[2:] | padded[1:-1] | padded[:-2]  # point i is in window i-2, i-1 or i
    hit = covered & near
    out[hit] = side[hit]
    return out


def _polarity_sign(polarity: object) -> int:
    return {"higher": 1, "lower": -1}.get(str(polarity), 0)


_RULE_NAMES = np.array(["", *RULES], dtype=object)  # rule code 0 = none, 1.. = RULES in precedence
_CAUSE_NAMES = np.array(["", COMMON, IMPROVEMENT, CONCERN, NEUTRAL], dtype=object)


def _segment_rules(y: FloatArray, lim: Limits) -> tuple[IntArray, IntArray]:
    """(rule code, direction) per point: code 0 for none, else 1 + the rule's place in RULES."""
    outside = (y > lim.upper) | (y < lim.lower)
    side = np.sign(y - lim.mean).astype(np.int64)
    near = ~outside & ((y > lim.near_upper) | (y < lim.near_lower))
    found = (np.where(outside, side, 0), shift_points(side), trend_points(y), two_of_three_points(near, side))
    code = np.zeros(len(y), dtype=np.int64)
    direction = np.zeros(len(y), dtype=np.int64)
    for k in range(len(RULES), 0, -1):  # lower precedence first, so the first rule in RULES has the last word
        hits = found[k - 1] != 0
        code[hits] = k
        direction[hits] = found[k - 1][hits]
    return code, direction


def _causes(code: IntArray, direction: IntArray, better: int) -> IntArray:
    """Cause code per point (indexes _CAUSE_NAMES): common, improvement, concern or neutral."""
    special = code != 0
    if better == 0:
        return np.where(special, 4, 1)
    return np.where(~special, 1, np.where(direction * better > 0, 2, 3))


def _sorted_observed(periods: Sequence[Any] | npt.NDArray[Any], y: FloatArray) -> tuple[Any, FloatArray]:
    """Periods (a tuple, or a datetime64 array as given) and values, oldest first, NaN left out."""
    if isinstance(periods, np.ndarray) and periods.dtype.kind == "M":
        order = np.arange(len(y)) if bool(np.all(periods[1:] >= periods[:-1])) else np.argsort(periods, kind="stable")
        keep = order[np.isfinite(y[order])]
        return periods[keep], y[keep]
    ordered = sorted(range(len(y)), key=lambda i: periods[i])
    kept = [i for i in ordered if np.isfinite(y[i])]
    return tuple(periods[i] for i in kept), y[kept]


def _boundaries(periods: Any, rebases: Sequence[Any]) -> list[int]:
    """Positions where a new segment starts: the first point on or after each rebase date."""
    if isinstance(periods, np.ndarray):
        found = np.searchsorted(periods, np.array(rebases, dtype="datetime64[ns]").astype(periods.dtype))
        return sorted({0, *(int(i) for i in found if 0 < i < len(periods))})
    starts = {0}
    for when in rebases:
        for i, p in enumerate(periods):
            if p >= when:
                if i:
                    starts.add(i)
                break
    return sorted(starts)


def assurance_of(limits: Limits | None, target: object, polarity: object) -> str:
    """Can the process be relied on to meet `target`? From where the target sits against the limits."""
    if limits is None:
        return "too_few"
    better = _polarity_sign(polarity)
    if better == 0:
        return "no_direction"
    if target is None or not np.isfinite(float(target)):  # type: ignore[arg-type]
        return "no_target"
    t = float(target)  # type: ignore[arg-type]
    if t > limits.upper:
        return "fail" if better > 0 else "pass"
    if t < limits.lower:
        return "pass" if better > 0 else "fail"
    return "hit_and_miss"


def variation_of(cause: str, direction: int) -> str:
    """The variation icon for a point's class and direction."""
    if not cause:
        return "too_few"
    if cause == COMMON or direction == 0:
        return "common_cause"
    key = {IMPROVEMENT: "improvement", CONCERN: "concern", NEUTRAL: "neutral"}[cause]
    return f"{key}_{'high' if direction > 0 else 'low'}"


def analyse(
    periods: Sequence[Any] | npt.NDArray[Any],
    values: Sequence[float] | FloatArray,
    *,
    polarity: object = None,
    target: object = None,
    rebases: Sequence[Any] = (),
    screen: bool = True,
) -> Spc:
    """The XmR analysis of a series: limits per segment, each point's rule and class, both icons.

    `periods`: sortable values comparable with `rebases` (dates with dates), or a datetime64 array
    (the fast path: rebases may then be dates); missing values (NaN) are left out. `target` is the
    target in force at the latest point; `polarity` 'higher', 'lower' or None.
    """
    y_all = np.asarray(values, dtype=float)
    ps, y = _sorted_observed(periods, y_all)
    n = len(y)
    better = _polarity_sign(polarity)
    starts = _boundaries(ps, sorted(rebases)) if n else []
    segments: list[Segment] = []
    segment = np.zeros(n, dtype=np.int64)
    mean, lower, upper = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    rule = np.zeros(n, dtype=np.int64)
    direction = np.zeros(n, dtype=np.int64)
    cause = np.zeros(n, dtype=np.int64)
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else n
        segment[start:stop] = k
        lim = xmr_limits(y[start:stop], screen=screen) if stop - start >= MIN_POINTS else None
        segments.append(Segment(start, stop, lim))
        if lim is None:
            continue
        mean[start:stop], lower[start:stop], upper[start:stop] = lim.mean, lim.lower, lim.upper
        codes, dirs = _segment_rules(y[start:stop], lim)
        rule[start:stop], direction[start:stop] = codes, dirs
        cause[start:stop] = _causes(codes, dirs, better)
    latest = segments[-1].limits if segments else None
    causes = tuple(_CAUSE_NAMES[cause])
    return Spc(
        periods=ps,
        values=y,
        segment=segment,
        mean=mean,
        lower=lower,
        upper=upper,
        rule=tuple(_RULE_NAMES[rule]),
        direction=direction,
        cause=causes,
        segments=tuple(segments),
        variation=variation_of(causes[-1], int(direction[-1])) if n and latest is not None else "too_few",
        assurance=assurance_of(latest, target, polarity),
        screen=screen,
    )


def latest_icons(
    periods: Sequence[Any] | npt.NDArray[Any],
    values: Sequence[float] | FloatArray,
    *,
    polarity: object = None,
    target: object = None,
    rebases: Sequence[Any] = (),
    screen: bool = True,
) -> tuple[str, str, Limits | None]:
    """(variation, assurance, latest limits): what `analyse` says of the latest point, for a summary
    of every KPI. Only the latest segment's limits and its last `RUN_LENGTH` points are looked at
    (no rule reaches further back to name the latest point), so it costs a fraction of `analyse`."""
    ps, y = _sorted_observed(periods, np.asarray(values, dtype=float))
    if len(y) == 0:
        return "too_few", assurance_of(None, target, polarity), None
    start = _boundaries(ps, sorted(rebases))[-1]
    if len(y) - start < MIN_POINTS:
        return "too_few", assurance_of(None, target, polarity), None
    lim = xmr_limits(y[start:], screen=screen)
    tail = y[-max(RUN_LENGTH, TREND_LENGTH) :]
    side = np.sign(tail - lim.mean).astype(np.int64)
    last, last_side = float(tail[-1]), int(side[-1])
    steps = np.sign(np.diff(tail[-TREND_LENGTH:]))
    near = ~((tail > lim.upper) | (tail < lim.lower)) & ((tail > lim.near_upper) | (tail < lim.near_lower))
    rule = ""
    if last > lim.upper or last < lim.lower:
        rule = OUTSIDE
    elif last_side != 0 and len(side) >= RUN_LENGTH and bool(np.all(side[-RUN_LENGTH:] == last_side)):
        rule = SHIFT
    elif len(steps) == TREND_LENGTH - 1 and steps[-1] != 0 and bool(np.all(steps == steps[-1])):
        rule = TREND
    elif len(tail) >= 3 and near[-1] and near[-3:].sum() >= 2 and abs(int(side[-3:].sum())) == 3:
        rule = TWO_OF_THREE
    direction = int(steps[-1]) if rule == TREND else last_side if rule else 0
    better = _polarity_sign(polarity)
    cause = COMMON if direction == 0 else NEUTRAL if better == 0 else IMPROVEMENT if direction * better > 0 else CONCERN
    return variation_of(cause, direction), assurance_of(lim, target, polarity), lim


def too_few_note(points: int) -> str:
    """The plain note shown instead of limits."""
    return (
        f"SPC needs at least {MIN_POINTS} points to set process limits; this series has {points} since its "
        "last rebase. The chart shows the values without limits until there are more."
    )
