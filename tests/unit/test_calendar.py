from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.calendar import HOURS_PER_DAY, HOURS_PER_WEEK, Calendar

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def at(day: int, hour: float, week: int = 0) -> float:
    return week * HOURS_PER_WEEK + day * HOURS_PER_DAY + hour


def working_between(cal: Calendar, a: float, b: float) -> float:
    """Working hours inside [a, b], by intersecting with each weekday's working interval."""
    total = 0.0
    day = math.floor(a / HOURS_PER_DAY)
    while day * HOURS_PER_DAY < b:
        if day % 7 < 5:
            lo = max(a, day * HOURS_PER_DAY + cal.start)
            hi = min(b, day * HOURS_PER_DAY + cal.end)
            total += max(0.0, hi - lo)
        day += 1
    return total


def test_weekday_and_week():
    assert Calendar.weekday(0.0) == MON
    assert Calendar.weekday(at(FRI, 23.99)) == FRI
    assert Calendar.weekday(at(SUN, 12)) == SUN
    assert Calendar.weekday(at(MON, 0, week=3)) == MON
    assert Calendar.week(at(SUN, 23.9)) == 0
    assert Calendar.week(at(MON, 0, week=1)) == 1


@pytest.mark.parametrize(
    ("t", "working"),
    [
        (at(MON, 9), True),
        (at(MON, 8.99), False),
        (at(MON, 16.99), True),
        (at(MON, 17), False),
        (at(WED, 12), True),
        (at(FRI, 16.5), True),
        (at(FRI, 17.5), False),
        (at(SAT, 10), False),
        (at(SUN, 12), False),
        (at(MON, 0), False),
        (at(TUE, 9, week=5), True),
        (at(SAT, 9, week=5), False),
    ],
)
def test_is_working(t: float, working: bool):
    assert Calendar().is_working(t) is working


def test_is_working_custom_hours():
    cal = Calendar(0, 24)
    assert cal.is_working(at(MON, 0)) and cal.is_working(at(FRI, 23.99))
    assert not cal.is_working(at(SAT, 0))
    assert cal.day_length == 24.0
    assert Calendar(7, 15).day_length == 8.0


def test_is_night():
    assert Calendar.is_night(at(TUE, 22))
    assert Calendar.is_night(at(TUE, 3))
    assert not Calendar.is_night(at(TUE, 7))
    assert not Calendar.is_night(at(TUE, 21.99))


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (at(FRI, 18), at(MON, 9, week=1)),
        (at(FRI, 17), at(MON, 9, week=1)),
        (at(SAT, 3), at(MON, 9, week=1)),
        (at(SUN, 23.5), at(MON, 9, week=1)),
        (at(MON, 0), at(MON, 9)),
        (at(MON, 9), at(MON, 9)),
        (at(MON, 13.25), at(MON, 13.25)),
        (at(TUE, 17), at(WED, 9)),
        (at(THU, 23), at(FRI, 9)),
    ],
)
def test_next_working(t: float, expected: float):
    assert Calendar().next_working(t) == expected


def test_next_working_friday_evening_to_monday_morning():
    assert Calendar().next_working(4 * 24 + 18) == 7 * 24 + 9


@pytest.mark.parametrize(
    ("t", "hours", "expected"),
    [
        (at(MON, 10), 3, at(MON, 13)),
        (at(MON, 16), 3, at(TUE, 11)),  # across a night
        (at(MON, 16), 1, at(MON, 17)),  # ends exactly at close
        (at(FRI, 16), 3, at(MON, 11, week=1)),  # across a weekend
        (at(SAT, 12), 2, at(MON, 11, week=1)),  # starts at the weekend
        (at(MON, 20), 0, at(TUE, 9)),  # zero hours out of hours -> when work resumes
        (at(MON, 9), 40, at(FRI, 17)),  # a working week
        (at(MON, 9), 41, at(MON, 10, week=1)),
        (at(WED, 12), 8 * 7, at(FRI, 12, week=1)),
    ],
)
def test_add_working_hours(t: float, hours: float, expected: float):
    assert Calendar().add_working_hours(t, hours) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    t=st.floats(0, 4 * HOURS_PER_WEEK),
    hours=st.floats(0, 120),
    start=st.integers(0, 22),
    length=st.integers(1, 10),
)
def test_add_working_hours_adds_exactly_that_much_working_time(t, hours, start, length):
    cal = Calendar(start, min(24, start + length))
    end = cal.add_working_hours(t, hours)
    assert end >= t
    assert working_between(cal, t, end) == pytest.approx(hours, abs=1e-6)
    # and it is the earliest such time: no later than the end of the last working stretch used
    if hours > 0:
        assert cal.is_working(end - 1e-7) or cal.is_working(end)


@pytest.mark.parametrize(
    ("t", "weekday", "hour", "expected"),
    [
        (at(MON, 0), WED, 10, at(WED, 10)),
        (at(WED, 10), WED, 10, at(WED, 10, week=1)),  # strictly after
        (at(WED, 9.99), WED, 10, at(WED, 10)),
        (at(WED, 10.01), WED, 10, at(WED, 10, week=1)),
        (at(SUN, 23), MON, 20, at(MON, 20, week=1)),
        (at(TUE, 20, week=4), TUE, 20, at(TUE, 20, week=5)),
    ],
)
def test_next_weekday_time(t: float, weekday: int, hour: float, expected: float):
    assert Calendar().next_weekday_time(t, weekday, hour) == expected


@settings(max_examples=200, deadline=None)
@given(t=st.floats(0, 10 * HOURS_PER_WEEK), weekday=st.integers(0, 6), hour=st.floats(0, 23.99))
def test_next_weekday_time_is_strictly_after_and_within_a_week(t, weekday, hour):
    nxt = Calendar().next_weekday_time(t, weekday, hour)
    assert t < nxt <= t + HOURS_PER_WEEK
    assert Calendar.weekday(nxt) == weekday
    assert nxt % HOURS_PER_DAY == pytest.approx(hour, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(t=st.floats(0, 10 * HOURS_PER_WEEK), start=st.integers(0, 23), length=st.integers(1, 24))
def test_next_working_is_the_earliest_working_time(t, start, length):
    cal = Calendar(start, min(24, start + length))
    nxt = cal.next_working(t)
    assert nxt >= t
    assert cal.is_working(nxt)
    assert working_between(cal, t, nxt) == 0.0
    assert nxt - t < 3 * HOURS_PER_DAY + HOURS_PER_DAY
