"""Queues with exact bookkeeping: every entry and exit timestamped, and the area under the length curve.

Little's law (calibration.md B7) is then a bookkeeping oracle: time-averaged length = arrival rate x mean
time in queue, with items still waiting at the horizon counted up to the horizon.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LittleCheck:
    """The three sides of Little's law for one queue over [0, horizon]."""

    name: str
    mean_length: float  # L, from the running area
    arrival_rate: float  # lambda, arrivals per hour
    mean_wait_h: float  # W, from the item timestamps

    @property
    def gap(self) -> float:
        """|L - lambda W|, which is zero up to rounding when the books are right."""
        return abs(self.mean_length - self.arrival_rate * self.mean_wait_h)


class TimedQueue:
    """A bag of items with enter/leave timestamps and a running integral of its length."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: dict[int, float] = {}  # id(item) -> entry time
        self._held: dict[int, object] = {}  # id(item) -> the item itself, for ``waiting``
        self.arrivals = 0
        self.departures = 0
        self.sojourn_done = 0.0
        self._area = 0.0
        self._last = 0.0
        self.max_length = 0
        self.recent: deque[float] = deque(maxlen=50)  # the latest sojourn times, for daily series

    def __len__(self) -> int:
        return len(self.items)

    def _advance(self, t: float) -> None:
        self._area += len(self.items) * (t - self._last)
        self._last = t

    def enter(self, t: float, item: object) -> None:
        """An item joins the queue at time ``t``."""
        key = id(item)
        if key in self.items:
            raise ValueError(f"{item!r} is already in queue {self.name}")
        self._advance(t)
        self.items[key] = t
        self._held[key] = item
        self.arrivals += 1
        self.max_length = max(self.max_length, len(self.items))

    def leave(self, t: float, item: object) -> float:
        """An item leaves at time ``t``; returns how long it stayed."""
        self._advance(t)
        key = id(item)
        entered = self.items.pop(key)
        del self._held[key]
        self.departures += 1
        self.sojourn_done += t - entered
        self.recent.append(t - entered)
        return t - entered

    def waiting(self) -> list[object]:
        """The items in the queue now, in the order they entered."""
        return list(self._held.values())

    def __contains__(self, item: object) -> bool:
        return id(item) in self.items

    def check(self, horizon: float) -> LittleCheck:
        """Little's law over [0, horizon] (horizon >= the last event)."""
        area = self._area + len(self.items) * (horizon - self._last)
        waiting = sum(horizon - t for t in self.items.values())
        n = self.arrivals
        mean_wait = (self.sojourn_done + waiting) / n if n else 0.0
        return LittleCheck(self.name, area / horizon if horizon else 0.0, n / horizon if horizon else 0.0, mean_wait)
