"""Working time vs out of hours on an hourly clock that starts on a Monday at 00:00.

Follows calibration.md A1: Monday to Friday working hours (09:00-17:00 by default), the rest out of hours.
"""

from __future__ import annotations

import math

HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 168.0


class Calendar:
    """Answer 'is this working time?' and 'when does work resume?' for model times in hours."""

    def __init__(self, start_hour: int = 9, end_hour: int = 17) -> None:
        self.start = float(start_hour)
        self.end = float(end_hour)
        self.day_length = self.end - self.start

    @staticmethod
    def weekday(t: float) -> int:
        """Day of the week of time ``t`` (0 is Monday)."""
        return int(t // HOURS_PER_DAY) % 7

    @staticmethod
    def week(t: float) -> int:
        """Whole weeks elapsed at time ``t``."""
        return int(t // HOURS_PER_WEEK)

    def is_working(self, t: float) -> bool:
        """True when ``t`` falls in working hours on a weekday."""
        hour = t % HOURS_PER_DAY
        return self.weekday(t) < 5 and self.start <= hour < self.end

    @staticmethod
    def is_night(t: float) -> bool:
        """True between 22:00 and 07:00, when a page costs sleep."""
        hour = t % HOURS_PER_DAY
        return hour >= 22.0 or hour < 7.0

    def next_working(self, t: float) -> float:
        """The earliest working time at or after ``t``."""
        if self.is_working(t):
            return t
        day0 = math.floor(t / HOURS_PER_DAY) * HOURS_PER_DAY
        candidate = day0 + self.start
        if candidate < t:
            candidate += HOURS_PER_DAY
        while self.weekday(candidate) >= 5:
            candidate += HOURS_PER_DAY
        return candidate

    def add_working_hours(self, t: float, hours: float) -> float:
        """The time at which ``hours`` of working time starting at ``t`` are done."""
        t = self.next_working(t)
        while True:
            day_end = math.floor(t / HOURS_PER_DAY) * HOURS_PER_DAY + self.end
            left = day_end - t
            if hours <= left + 1e-12:
                return t + hours
            hours -= left
            t = self.next_working(day_end)

    def next_weekday_time(self, t: float, weekday: int, hour: float) -> float:
        """The first time strictly after ``t`` that is ``hour`` o'clock on ``weekday``."""
        week0 = math.floor(t / HOURS_PER_WEEK) * HOURS_PER_WEEK
        candidate = week0 + weekday * HOURS_PER_DAY + hour
        while candidate <= t:
            candidate += HOURS_PER_WEEK
        return candidate
