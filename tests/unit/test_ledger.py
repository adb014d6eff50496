from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agents.pay import Entry, Kind, Ledger, PayRule


def _entries(n: int = 300, seed: int = 7) -> list[Entry]:
    rng = random.Random(seed)
    teams = ["team-1", "team-2", "app_ops", "ops_bridge"]
    return [
        Entry(
            time=float(i),
            account=rng.choice(["capex", "opex"]),
            team=rng.choice(teams),
            kind=rng.choice(list(Kind)),
            amount=round(rng.uniform(0, 500), 2),
            hours=round(rng.uniform(0, 8), 2),
            engineer=rng.randrange(20),
        )
        for i in range(n)
    ]


def test_pay_rules():
    assert PayRule.STANDBY_AND_CALLOUT.paid
    assert PayRule.CALLOUT_ONLY.paid
    assert not PayRule.BEST_ENDEAVOURS.paid


def test_empty_ledger():
    led = Ledger()
    assert led.amount() == 0 and led.hours() == 0
    assert led.amount(Kind.STANDBY, "opex") == 0
    assert led.by_team(Kind.SALARY) == {}


def test_totals_equal_sums_of_entries_by_kind_and_account():
    led = Ledger()
    entries = _entries()
    for e in entries:
        led.book(e)
    assert led.entries == entries
    assert led.amount() == pytest.approx(sum(e.amount for e in entries))
    assert led.hours() == pytest.approx(sum(e.hours for e in entries))
    for kind in Kind:
        assert led.amount(kind) == pytest.approx(sum(e.amount for e in entries if e.kind == kind))
        assert led.hours(kind) == pytest.approx(sum(e.hours for e in entries if e.kind == kind))
        for account in ("capex", "opex"):
            sel = [e for e in entries if e.kind == kind and e.account == account]
            assert led.amount(kind, account) == pytest.approx(sum(e.amount for e in sel))
            assert led.hours(kind, account) == pytest.approx(sum(e.hours for e in sel))
    for account in ("capex", "opex"):
        assert led.amount(account=account) == pytest.approx(sum(e.amount for e in entries if e.account == account))
    assert led.amount(account="capex") + led.amount(account="opex") == pytest.approx(led.amount())


def test_filters_by_hand():
    led = Ledger()
    led.book(Entry(0.0, "opex", "app_ops", Kind.STANDBY, 250.0))
    led.book(Entry(1.0, "opex", "app_ops", Kind.CALLOUT, 50.0, 1.5))
    led.book(Entry(2.0, "capex", "team-1", Kind.CALLOUT, 50.0, 2.0))
    led.book(Entry(3.0, "capex", "team-1", Kind.UNPAID_OOH, 0.0, 3.0))
    led.book(Entry(3.0, "capex", "team-1", Kind.TOIL, 93.0, 3.0))
    assert led.amount(Kind.CALLOUT) == 100.0
    assert led.amount(Kind.CALLOUT, "capex") == 50.0
    assert led.hours(Kind.CALLOUT) == 3.5
    assert led.amount(account="capex") == 143.0
    assert led.amount(account="opex") == 300.0
    assert led.hours(Kind.UNPAID_OOH) == 3.0 and led.amount(Kind.UNPAID_OOH) == 0.0
    assert led.amount(Kind.SALARY) == 0.0


def test_by_team_sums():
    led = Ledger()
    entries = _entries(seed=8)
    for e in entries:
        led.book(e)
    for kind in Kind:
        per_team = led.by_team(kind)
        expected: dict[str, float] = {}
        for e in entries:
            if e.kind == kind:
                expected[e.team] = expected.get(e.team, 0.0) + e.amount
        assert per_team.keys() == expected.keys()
        for team, value in expected.items():
            assert per_team[team] == pytest.approx(value)
        assert sum(per_team.values()) == pytest.approx(led.amount(kind))


@pytest.mark.parametrize(("amount", "hours"), [(-0.01, 0.0), (10.0, -1.0), (-5.0, -5.0)])
def test_negative_bookings_rejected(amount: float, hours: float):
    led = Ledger()
    led.book(Entry(0.0, "opex", "app_ops", Kind.STANDBY, 250.0))
    with pytest.raises(ValueError, match="negative"):
        led.book(Entry(1.0, "opex", "app_ops", Kind.CALLOUT, amount, hours))
    assert len(led.entries) == 1
    assert led.amount() == 250.0 and led.hours() == 0.0


@pytest.mark.parametrize("account", ["CAPEX", "", "budget", "op ex"])
def test_unknown_account_rejected(account: str):
    led = Ledger()
    with pytest.raises(ValueError, match="unknown account"):
        led.book(Entry(0.0, account, "app_ops", Kind.STANDBY, 250.0))
    assert led.entries == []
    assert led.amount() == 0.0


def test_zero_amount_is_allowed():
    led = Ledger()
    led.book(Entry(0.0, "capex", "team-1", Kind.UNPAID_OOH, 0.0, 2.0))
    assert led.hours(Kind.UNPAID_OOH) == 2.0
    assert led.by_team(Kind.UNPAID_OOH) == {"team-1": 0.0}


def test_entries_are_immutable():
    e = Entry(0.0, "opex", "app_ops", Kind.STANDBY, 250.0)
    with pytest.raises(AttributeError):
        e.amount = -1.0  # type: ignore[misc]


@pytest.mark.parametrize(("amount", "hours"), [(float("nan"), 0.0), (1.0, float("nan")), (float("inf"), 0.0)])
def test_non_finite_bookings_rejected(amount: float, hours: float):
    led = Ledger()
    with pytest.raises(ValueError):
        led.book(Entry(0.0, "opex", "app_ops", Kind.CALLOUT, amount, hours))


def test_totals_read_between_bookings_stay_current():
    """Totals are remembered between bookings (the daily series read them every day); a booking must refresh them."""
    led = Ledger()
    seen = []
    for e in _entries(60):
        led.book(e)
        seen.append((led.amount(), led.hours(Kind.CALLOUT), led.amount(Kind.STANDBY, "opex"), led.amount()))
    running = [0.0, 0.0, 0.0]
    for e, (total, callout_h, standby_opex, again) in zip(_entries(60), seen, strict=True):
        running[0] += e.amount
        running[1] += e.hours if e.kind == Kind.CALLOUT else 0.0
        running[2] += e.amount if (e.kind, e.account) == (Kind.STANDBY, "opex") else 0.0
        assert (total, callout_h, standby_opex) == pytest.approx(running)
        assert again == total


def _window_by_scan(entries: list[Entry], account: str, start: float, end: float) -> float:
    return sum(e.amount for e in entries if e.account == account and start <= e.time < end)


@given(
    times=st.lists(st.integers(0, 40).map(float), max_size=60),
    shuffled=st.booleans(),
    start=st.integers(-5, 45).map(float),
    width=st.integers(0, 30).map(float),
    account=st.sampled_from(["capex", "opex"]),
)
def test_amount_between_equals_a_scan_of_every_entry_to_the_last_bit(times, shuffled, start, width, account):
    """The quarterly Opex review reads a window by binary search while bookings come in time order."""
    times = times if shuffled else sorted(times)  # the model always books in time order; a plugin may not
    rng = random.Random(len(times))
    ledger = Ledger()
    for t in times:
        ledger.book(Entry(t, rng.choice(["capex", "opex"]), "team-1", Kind.SALARY, rng.uniform(0, 500) / 3))
    expected = _window_by_scan(ledger.entries, account, start, start + width)
    assert ledger.amount_between(account, start, start + width) == expected


def test_amount_between_includes_the_start_and_excludes_the_end():
    ledger = Ledger()
    for t in (1.0, 2.0, 2.0, 3.0):
        ledger.book(Entry(t, "opex", "app_ops", Kind.STANDBY, t * 10))
    assert ledger.amount_between("opex", 2.0, 3.0) == 40.0
    assert ledger.amount_between("opex", 0.0, 2.0) == 10.0
    assert ledger.amount_between("capex", 0.0, 9.0) == 0.0
    ledger.book(Entry(0.5, "opex", "app_ops", Kind.STANDBY, 7.0))  # out of order: read by a scan from now on
    assert ledger.amount_between("opex", 0.0, 2.0) == 17.0
