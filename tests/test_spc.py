"""SPC (XmR) rules, table-driven: limits, each special-cause rule and its edges, precedence, icons."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from domain import spc

VIGNETTE = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]  # NHSRplotthedots' deviations vignette


def months(n: int, start: date = date(2023, 1, 1)) -> list[date]:
    return [date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(n)]


def run(values: list[float], polarity: object = "higher", **kwargs: object) -> spc.Spc:
    return spc.analyse(months(len(values)), values, polarity=polarity, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- limits


@pytest.mark.parametrize(
    ("screen", "mean", "upper", "lower"),
    [(True, 1.94, 4.60, -0.72), (False, 1.94, 6.95, -3.06)],
    ids=["screened (NHSRplotthedots default)", "not screened (Making Data Count Excel tool)"],
)
def test_vignette_limits(screen: bool, mean: float, upper: float, lower: float) -> None:
    limits = spc.xmr_limits(VIGNETTE, screen=screen)
    assert (round(limits.mean, 2), round(limits.upper, 2), round(limits.lower, 2)) == (mean, upper, lower)
    assert limits.screened_out == (2 if screen else 0)  # the two ranges either side of the 10


def test_vignette_points() -> None:
    result = run(VIGNETTE)
    assert [i for i, r in enumerate(result.rule) if r] == [4]
    assert result.rule[4] == spc.OUTSIDE and result.cause[4] == spc.IMPROVEMENT
    assert result.variation == "common_cause"
    assert run(VIGNETTE, screen=False).rule[4] == spc.OUTSIDE  # 10 is beyond 6.95 too


def test_limits_need_two_values() -> None:
    with pytest.raises(ValueError, match="two values"):
        spc.xmr_limits([3.0])


def test_flat_series_has_zero_width_limits() -> None:
    limits = spc.xmr_limits([5.0] * 12)
    assert (limits.mean, limits.lower, limits.upper) == (5.0, 5.0, 5.0)


# ---------------------------------------------------------------- the rules on their own

S = np.array


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        ([], []),
        ([1] * 6, [0] * 6),
        ([1] * 7, [1] * 7),
        ([-1] * 7, [-1] * 7),
        ([1] * 8 + [-1], [1] * 8 + [0]),
        ([1] * 3 + [0] + [1] * 4, [0] * 8),  # a point on the mean breaks the run
        ([0] * 7, [0] * 7),  # on the mean is on neither side
        ([1] * 6 + [-1] + [1] * 6, [0] * 13),
        ([-1] * 7 + [1] * 7, [-1] * 7 + [1] * 7),
    ],
    ids=["empty", "6 above", "7 above", "7 below", "8 above", "broken by a point on the mean", "all on the mean",
         "broken by a point below", "two runs"],
)  # fmt: skip
def test_run_of_seven(side: list[int], expected: list[int]) -> None:
    assert spc.shift_points(S(side, dtype=np.int64)).tolist() == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], []),
        ([1, 2, 3, 4, 5, 6], [0] * 6),
        ([1, 2, 3, 4, 5, 6, 7], [1] * 7),
        ([7, 6, 5, 4, 3, 2, 1], [-1] * 7),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),  # a tie breaks the trend
        ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0, 1, 1, 1, 1, 1, 1, 1, 0]),
        ([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], [1] * 6 + [-1] * 7),  # the peak starts the fall
    ],
    ids=["empty", "6 rising", "7 rising", "7 falling", "tie", "inside a longer series", "peak"],
)
def test_trend_of_seven(values: list[float], expected: list[int]) -> None:
    assert spc.trend_points(S(values, dtype=float)).tolist() == expected


@pytest.mark.parametrize(
    ("near", "side", "expected"),
    [
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [-1, -1, -1], [-1, -1, 0]),
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),  # the third point is across the mean
        ([1, 1, 0], [1, -1, 1], [0, 0, 0]),  # near on opposite sides
        ([1, 0, 0, 1], [1, 1, 1, 1], [0, 0, 0, 0]),  # 2 in 4 is not 2 in 3
        ([1, 0, 0, 1, 1], [1, 1, 1, 1, 1], [0, 0, 0, 1, 1]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([1, 1], [1, 1], [0, 0]),  # fewer than 3 points
    ],
    ids=["1st and 3rd", "2nd and 3rd", "1st and 2nd below", "third across the mean", "opposite sides",
         "2 in 4", "later window", "middle of a series", "two points only"],
)  # fmt: skip
def test_two_of_three(near: list[int], side: list[int], expected: list[int]) -> None:
    got = spc.two_of_three_points(S(near, dtype=bool), S(side, dtype=np.int64))
    assert got.tolist() == expected


# ---------------------------------------------------------------- the rules through analyse()

BASE = [10.0, 12.0] * 6  # mean 11, every moving range 2: limits 5.68 to 16.32, near beyond 7.45 / 14.55


@pytest.mark.parametrize(
    ("values", "index", "rule", "direction"),
    [
        (BASE + [30.0], 12, spc.OUTSIDE, 1),
        (BASE + [-10.0], 12, spc.OUTSIDE, -1),
        (BASE + [11.6] * 7, 18, spc.SHIFT, 1),
        (BASE + [10.4] * 7, 12, spc.SHIFT, -1),
        (BASE + [12.1, 12.2, 12.3, 12.4, 12.5, 12.6, 12.7], 14, spc.SHIFT, 1),  # a run and a trend: run wins
        (BASE + [8.0, 8.5, 9.0, 12.5, 13.0, 13.5, 14.0], 16, spc.TREND, 1),  # rising across the mean
        (BASE + [16.5, 12.0, 16.5], 14, spc.TWO_OF_THREE, 1),
    ],
    ids=["above", "below", "run above", "run below", "run beats trend", "trend across the mean", "2 of 3"],
)
def test_rules_in_a_series(values: list[float], index: int, rule: str, direction: int) -> None:
    result = run(values)
    assert result.rule[index] == rule
    assert int(result.direction[index]) == direction


def test_point_on_the_mean_breaks_a_run_in_a_series() -> None:
    broken = run(BASE + [14.0] * 3 + [12.0] + [14.0] * 3)
    assert broken.mean[-1] == 12.0  # the 16th point sits exactly on the centre line
    assert not any(broken.rule)
    assert set(run(BASE + [14.0] * 7).rule[12:]) == {spc.SHIFT}  # unbroken, the same points are a run


def test_run_and_trend_overlap_is_named_a_run() -> None:
    values = np.array(BASE + [12.1, 12.2, 12.3, 12.4, 12.5, 12.6, 12.7])
    assert spc.trend_points(values)[12:].tolist() == [1] * 7
    assert set(run(list(values)).rule[12:]) == {spc.SHIFT}


def test_near_limit_points_across_the_mean_are_common_cause() -> None:
    result = run(BASE + [15.5, 6.5])  # near the upper, then near the lower limit
    assert result.rule[12:] == ("", "")


def test_outside_beats_every_other_rule() -> None:
    values = BASE + [11.5] * 6 + [40.0]  # the 7th point of a run above is also far outside
    result = run(values)
    assert result.rule[-1] == spc.OUTSIDE
    assert set(result.rule[12:18]) == {spc.SHIFT}


def test_point_on_a_limit_is_inside() -> None:
    limits = spc.xmr_limits(BASE)
    values = [*BASE, limits.upper]
    got = spc.analyse(months(13), values, polarity="higher")
    assert got.rule[-1] != spc.OUTSIDE


# ---------------------------------------------------------------- classes and icons


@pytest.mark.parametrize(
    ("polarity", "value", "cause", "variation"),
    [
        ("higher", 30.0, spc.IMPROVEMENT, "improvement_high"),
        ("higher", -10.0, spc.CONCERN, "concern_low"),
        ("lower", 30.0, spc.CONCERN, "concern_high"),
        ("lower", -10.0, spc.IMPROVEMENT, "improvement_low"),
        (None, 30.0, spc.NEUTRAL, "neutral_high"),
        (None, -10.0, spc.NEUTRAL, "neutral_low"),
        ("higher", 12.0, spc.COMMON, "common_cause"),
    ],
)
def test_classes_by_polarity(polarity: object, value: float, cause: str, variation: str) -> None:
    result = run([*BASE, value], polarity=polarity)
    assert result.cause[-1] == cause
    assert result.variation == variation
    assert spc.VARIATION_WORDS[variation]


@pytest.mark.parametrize(
    ("polarity", "target", "assurance"),
    [
        ("higher", 20.0, "fail"),  # above the upper limit: the process will not reach it
        ("higher", 2.0, "pass"),
        ("higher", 11.0, "hit_and_miss"),
        ("lower", 20.0, "pass"),
        ("lower", 2.0, "fail"),
        ("lower", 11.0, "hit_and_miss"),
        ("higher", None, "no_target"),
        ("higher", float("nan"), "no_target"),
        (None, 20.0, "no_direction"),
    ],
)
def test_assurance(polarity: object, target: object, assurance: str) -> None:
    assert run(BASE, polarity=polarity, target=target).assurance == assurance


def test_target_on_a_limit_is_hit_and_miss() -> None:
    limits = spc.xmr_limits(BASE)
    assert spc.assurance_of(limits, limits.upper, "higher") == "hit_and_miss"
    assert spc.assurance_of(limits, limits.lower, "lower") == "hit_and_miss"


# ---------------------------------------------------------------- too few points, rebasing, gaps


@pytest.mark.parametrize(("points", "has_limits"), [(0, False), (1, False), (11, False), (12, True)])
def test_minimum_points(points: int, has_limits: bool) -> None:
    result = run(BASE[:points] if points <= 12 else BASE, target=11.0)
    assert result.has_limits is has_limits
    assert (result.variation == "too_few") is not has_limits
    assert (result.assurance == "too_few") is not has_limits
    assert np.isnan(result.upper).all() is not has_limits or points == 0
    if not has_limits:
        assert not any(result.rule)
    assert spc.MIN_POINTS == 12
    assert str(spc.MIN_POINTS) in spc.too_few_note(points)


def test_rebase_recalculates_limits_from_its_date() -> None:
    values = BASE + [30.0, 32.0] * 6
    dates = months(24)
    whole = spc.analyse(dates, values, polarity="higher")
    rebased = spc.analyse(dates, values, polarity="higher", rebases=[dates[12]])
    assert len(whole.segments) == 1 and len(rebased.segments) == 2
    first, second = (s.limits for s in rebased.segments)
    assert first is not None and second is not None
    assert (first.mean, second.mean) == (11.0, 31.0)
    assert not any(rebased.rule)  # each segment is stable on its own
    assert any(whole.rule[12:])  # as one segment, the later level is special cause
    assert rebased.segment.tolist() == [0] * 12 + [1] * 12


def test_rebase_between_months_starts_at_the_next_point() -> None:
    dates = months(24)
    rebased = spc.analyse(dates, BASE * 2, rebases=[date(2023, 12, 15)])
    assert rebased.segments[1].start == 12


def test_rebase_with_too_few_points_after_it() -> None:
    dates = months(18)
    result = spc.analyse(dates, (BASE + BASE)[:18], polarity="higher", target=11.0, rebases=[dates[12]])
    assert result.segments[0].limits is not None and result.segments[1].limits is None
    assert result.variation == "too_few" and result.assurance == "too_few"
    assert np.isnan(result.mean[12:]).all() and not np.isnan(result.mean[:12]).any()


def test_rebase_before_the_first_point_changes_nothing() -> None:
    result = spc.analyse(months(12), BASE, rebases=[date(2000, 1, 1)])
    assert len(result.segments) == 1


def test_missing_values_and_order() -> None:
    dates = months(13)
    values = [*BASE, float("nan")]
    shuffled = list(zip(dates, values, strict=True))[::-1]
    result = spc.analyse([d for d, _ in shuffled], [v for _, v in shuffled], polarity="higher")
    assert list(result.periods) == dates[:12]
    assert result.values.tolist() == BASE


# ---------------------------------------------------------------- the summary's shortcut


def _random_series(seed: int) -> tuple[list[float], str | None, float]:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 60))
    kind, sign = seed % 5, 1 if seed % 2 else -1
    values = rng.normal(50, 5, n)
    if kind == 1:
        values[-7:] = np.sort(values[-7:])[::sign]  # a trend at the end, rising or falling
    elif kind == 2:
        values[-8:] += 6 * sign  # a shift at the end
    elif kind == 3:
        values[-1] += 30 * sign  # an outlier at the end
    elif kind == 4:
        values[-3:] = 50 + sign * np.array([11.0, 4.0, 11.5])  # 2 of 3 near a limit
    values = np.round(values, int(rng.integers(0, 2)))  # rounding makes ties and points on the mean
    return list(values), (None, "higher", "lower")[seed % 3], float(rng.normal(50, 10))


@pytest.mark.parametrize("seed", range(300))
def test_latest_icons_agree_with_the_full_analysis(seed: int) -> None:
    values, polarity, target = _random_series(seed)
    dates = months(len(values))
    rebases = [dates[len(values) // 3]] if seed % 5 == 0 else []
    full = spc.analyse(dates, values, polarity=polarity, target=target, rebases=rebases)
    variation, assurance, limits = spc.latest_icons(
        np.array(dates, dtype="datetime64[ns]"), values, polarity=polarity, target=target, rebases=rebases
    )
    assert (variation, assurance) == (full.variation, full.assurance)
    assert limits == full.latest_limits
