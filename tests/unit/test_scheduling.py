"""``OrgModel.at``: one-off calls hold their callable, fire in time and scheduling order, and keep Mesa's ids."""

from __future__ import annotations

import gc
import pickle

from mesa.time.events import Event

from model.org import OrgModel


def _org() -> OrgModel:
    org = OrgModel(rng=1, weeks=2, delivery_teams=1, incident_rate_per_week=0.0, demand_per_week=0.05)
    org._event_list._events.clear()  # only the calls scheduled by the test
    return org


class Recorder:
    def __init__(self, calls: list, name: str) -> None:
        self.calls, self.name = calls, name

    def hit(self, *args) -> None:
        self.calls.append((self.name, *args))


def test_calls_fire_in_time_then_scheduling_order_whatever_the_callable():
    org = _org()
    calls: list = []
    kept, other = Recorder(calls, "kept"), Recorder(calls, "other")

    def closure(x):
        calls.append(("closure", x))

    org.at(5.0, kept.hit, 1)
    org.at(5.0, other.hit, 2)
    org.at(5.0, closure, 3)
    org.at(5.0, lambda: calls.append(("lambda",)))  # Mesa's own Event refuses lambdas
    org.at(5.0, kept.hit, 4)
    org.at(3.0, other.hit, 0)
    del other, closure
    gc.collect()
    org.run_until(10.0)
    assert calls == [("other", 0), ("kept", 1), ("other", 2), ("closure", 3), ("lambda",), ("kept", 4)]
    assert not org._event_list._events  # nothing left behind


def test_an_owner_referenced_only_by_the_event_still_fires():
    org = _org()
    calls: list = []
    org.at(1.0, Recorder(calls, "temporary").hit, "x")
    gc.collect()
    org.run_until(2.0)
    assert calls == [("temporary", "x")]


def test_one_off_and_mesa_events_at_one_instant_fire_in_the_order_they_were_made():
    org = _org()
    calls: list = []
    rec = Recorder(calls, "at")
    org.at(2.0, rec.hit, 1)
    org.schedule_event(rec.hit, at=2.0)  # through Mesa's own Event, with no arguments
    org.at(2.0, rec.hit, 3)
    ids = sorted(e.unique_id for e in org._event_list._events)
    assert ids == list(range(ids[0], ids[0] + 3))  # one id each from Mesa's counter, in scheduling order
    org.run_until(3.0)
    assert calls == [("at", 1), ("at",), ("at", 3)]


def test_a_cancelled_call_does_not_fire_and_an_event_exposes_its_target_as_mesa_does():
    org = _org()
    calls: list = []
    rec = Recorder(calls, "r")
    org.at(1.0, rec.hit, "cancelled")
    org.at(1.0, rec.hit, "kept")
    first, second = sorted(org._event_list._events, key=lambda e: e.unique_id)
    assert isinstance(first, Event) and first.fn() == rec.hit  # Event.fn() returns the callable
    org._event_list.remove(first)
    assert first.fn is None
    org.run_until(2.0)
    assert calls == [("r", "kept")]
    assert second.fn is not None  # firing does not drop the target; the event itself is gone from the list


def test_a_pending_call_survives_pickling():
    org = _org()
    org.at(1.0, org.weekly)
    (event,) = org._event_list._events
    copy = pickle.loads(pickle.dumps(event))
    assert copy.time == 1.0 and copy.unique_id == event.unique_id and copy.fn().__name__ == "weekly"


def test_past_times_run_now_and_times_past_the_horizon_are_dropped():
    org = _org()
    calls: list = []
    rec = Recorder(calls, "r")
    org.run_until(4.0)
    org.at(1.0, rec.hit, "late")
    org.at(org.horizon + 1.0, rec.hit, "beyond")
    assert [e.time for e in org._event_list._events] == [4.0]
    org.run_until(5.0)
    assert calls == [("r", "late")]


def test_recurring_events_fire_on_schedule_stop_at_the_end_and_keep_mesa_order():
    from mesa.time import Priority, Schedule

    org = _org()
    calls: list = []
    rec = Recorder(calls, "r")
    generator = org.schedule_recurring(rec.hit, Schedule(interval=2.0, start=1.0, end=7.0), priority=Priority.LOW)
    org.at(3.0, rec.hit, "one-off")  # same time, higher priority: fires first although scheduled later
    org.run_until(12.0)
    assert calls == [("r",), ("r", "one-off"), ("r",), ("r",), ("r",)]  # at 1, 3, 3, 5, 7: none after the end
    assert generator.execution_count == 4 and not generator.is_active
