"""Pay rules and the ledger: every standby week, callout, TOIL hour and unpaid hour booked to an account.

Pay terms follow the seed (S1) and calibration.md A7: Ops are paid standby + callout from OpEx; Delivery in
You Build It Ops Run It is unpaid best endeavours, sometimes with unofficial time off in lieu.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from enum import StrEnum
from operator import attrgetter
from typing import NamedTuple


class PayRule(StrEnum):
    """How an engineer is compensated for being on call and for being called out."""

    STANDBY_AND_CALLOUT = "standby_and_callout"
    CALLOUT_ONLY = "callout_only"
    BEST_ENDEAVOURS = "best_endeavours"  # unpaid; may get unofficial TOIL

    @property
    def paid(self) -> bool:
        """True when out-of-hours work earns money, so the engineer is obliged to answer."""
        return self is not PayRule.BEST_ENDEAVOURS


class Kind(StrEnum):
    """What a ledger entry pays for."""

    SALARY = "salary"
    STANDBY = "standby"
    CALLOUT = "callout"
    TOIL = "toil"
    UNPAID_OOH = "unpaid_ooh"


class Entry(NamedTuple):
    """One booking: when, to which account and team, for what, how much money and how many hours.

    Immutable and hashable; a NamedTuple rather than a frozen dataclass, which costs about 5 us per booking.
    """

    time: float
    account: str  # "capex" or "opex"
    team: str
    kind: Kind
    amount: float  # GBP, never negative
    hours: float = 0.0
    engineer: int = -1


_TIME = attrgetter("time")  # an entry's booking time, the key of the ledger's binary searches


class Ledger:
    """An append-only list of entries with running totals by (account, kind) kept alongside."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self._amount: dict[tuple[str, Kind], float] = defaultdict(float)
        self._hours: dict[tuple[str, Kind], float] = defaultdict(float)
        self._sums: dict[tuple[bool, Kind | None, str | None], float] = {}  # amount()/hours() since the last booking
        self._in_time_order = True  # every entry so far booked no earlier than the one before (the model's way)

    def book(self, entry: Entry) -> None:
        """Append an entry; amounts and hours must not be negative."""
        if not (0 <= entry.amount < math.inf and 0 <= entry.hours < math.inf):  # also rejects NaN
            raise ValueError(f"booking must be finite and not negative: {entry}")
        if entry.account not in ("capex", "opex"):
            raise ValueError(f"unknown account {entry.account!r}")
        if self.entries and entry.time < self.entries[-1].time:
            self._in_time_order = False
        self.entries.append(entry)
        self._amount[entry.account, entry.kind] += entry.amount
        self._hours[entry.account, entry.kind] += entry.hours
        self._sums.clear()

    def amount(self, kind: Kind | None = None, account: str | None = None) -> float:
        """Total money booked, optionally for one kind and/or one account."""
        return self._sum(True, kind, account)

    def hours(self, kind: Kind | None = None, account: str | None = None) -> float:
        """Total hours booked, optionally for one kind and/or one account."""
        return self._sum(False, kind, account)

    def _sum(self, money: bool, kind: Kind | None, account: str | None) -> float:
        """A total of the running totals, remembered until the next booking (the daily series ask for four a day)."""
        key = (money, kind, account)
        total = self._sums.get(key)
        if total is None:
            totals = self._amount if money else self._hours
            total = self._sums[key] = sum(
                (v for (acc, k), v in totals.items() if kind in (None, k) and account in (None, acc)), 0.0
            )
        return total

    def amount_between(self, account: str, start: float, end: float) -> float:
        """Money booked to ``account`` at times in [start, end), summed in booking order.

        While bookings come in time order, only the entries in the window are read (two binary searches), so a
        quarterly question costs the same in a run's tenth year as in its first.
        """
        entries = self.entries
        if self._in_time_order:
            lo = bisect_left(entries, start, key=_TIME)
            entries = entries[lo : bisect_left(entries, end, lo, key=_TIME)]
        return sum(e.amount for e in entries if e.account == account and start <= e.time < end)

    def by_team(self, kind: Kind) -> dict[str, float]:
        """Money booked per team for one kind, summed from the entries."""
        out: dict[str, float] = defaultdict(float)
        for e in self.entries:
            if e.kind == kind:
                out[e.team] += e.amount
        return dict(out)
