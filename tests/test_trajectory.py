"""Trajectory to target: the recent rate, the needed rate, when the target is reached, the sentence."""

from __future__ import annotations

from datetime import date

import pytest

from domain import trajectory as tj


def months(n: int, start: date = date(2016, 1, 1)) -> list[date]:
    return [tj.add_months(start, i) for i in range(n)]


@pytest.mark.parametrize(
    ("values", "target", "polarity", "due", "reached", "will", "words"),
    [
        # rising 5 points a month from 60: 80 is reached 4 months after Jun 2016
        ([35, 40, 45, 50, 55, 60], 80, "higher", date(2016, 12, 1), date(2016, 10, 1), True, "reached by Oct 2016"),
        ([35, 40, 45, 50, 55, 60], 80, "higher", date(2016, 9, 1), date(2016, 10, 1), False,
         "not reached by the action's timescale (09/16)"),
        ([60, 55, 50, 45, 40, 35], 80, "higher", date(2016, 12, 1), None, False, "not reached"),  # moving away
        ([50, 50, 50], 80, "higher", date(2016, 12, 1), None, False, "not reached"),  # flat
        ([30, 28, 26, 24], 20, "lower", date(2016, 12, 1), date(2016, 6, 1), True, "reached by Jun 2016"),
        ([85, 90], 80, "higher", date(2016, 12, 1), date(2016, 2, 1), True, "Already meets the target of 80"),
        ([80], 80, "higher", date(2016, 12, 1), date(2016, 1, 1), True, "Already meets"),  # on the target is meeting it
        ([50], 80, "higher", date(2016, 12, 1), None, None, "too few recent observations"),
        ([40, 50], 80, "higher", date(2016, 1, 1), date(2016, 5, 1), False, "timescale (01/16) has passed"),
    ],
    ids=["in time", "too late", "moving away", "flat", "lower is better", "met", "exactly met", "one point",
         "timescale passed"],
)  # fmt: skip
def test_trajectory(
    values: list[float], target: float, polarity: str, due: date, reached: date | None, will: bool | None, words: str
) -> None:
    t = tj.trajectory(months(len(values)), values, target=target, polarity=polarity, timescale=due)
    assert t is not None
    assert t.reached_by == reached
    assert t.will_reach is will
    assert words in tj.sentence(t, "%")


def test_rates_and_projection() -> None:
    t = tj.trajectory(months(6), [35, 40, 45, 50, 55, 60], target=80, polarity="higher", timescale=date(2016, 12, 1))
    assert t is not None
    assert t.recent_rate == pytest.approx(5.0)
    assert t.needed_rate == pytest.approx(20 / 6)
    assert t.projection == ((date(2016, 6, 1), 60.0), (date(2016, 12, 1), pytest.approx(90.0)))
    text = tj.sentence(t, "%")
    assert "Needs +3.3 points a month to reach 80% by 12/16" in text
    assert "the recent rate is +5 points a month (Jan 2016 to Jun 2016)" in text


def test_recent_rate_uses_only_the_last_six_months() -> None:
    periods = months(13)
    values = [0.0] * 6 + [10.0, 12, 14, 16, 18, 20, 22]  # flat for half a year, then rising 2 a month
    found = tj.recent_rate(periods, values)
    assert found is not None
    assert found[0] == pytest.approx(2.0) and found[1] == date(2016, 7, 1)


def test_sparse_series_two_points_a_month_apart() -> None:
    t = tj.trajectory([date(2016, 10, 1), date(2016, 11, 1)], [37, 78], target=100, polarity="higher",
                      timescale=date(2017, 3, 1))  # fmt: skip
    assert t is not None and t.recent_rate == pytest.approx(41.0)
    assert t.reached_by == date(2016, 12, 1)


@pytest.mark.parametrize(
    ("target", "polarity", "values"),
    [(None, "higher", [1.0]), (float("nan"), "higher", [1.0]), (80, None, [1.0]), (80, "higher", [float("nan")])],
)
def test_no_trajectory(target: object, polarity: object, values: list[float]) -> None:
    got = tj.trajectory(months(len(values)), values, target=target, polarity=polarity, timescale=date(2017, 1, 1))  # type: ignore[arg-type]
    assert got is None
