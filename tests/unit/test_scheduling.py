"""``OrgModel.at``: methods of resident objects go straight onto Mesa's event list, anything else is kept alive."""

from __future__ import annotations

import gc

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


def test_model_flows_desks_and_policy_are_resident():
    org = _org()
    desk = org.delivery.desk_for(org.team("app_ops"))
    for owner in (org, org.delivery, org.support, org.policy, desk):
        assert org._resident[id(owner)] is owner


def test_calls_fire_in_scheduling_order_whichever_path_they_take():
    org = _org()
    calls: list = []
    resident, other = Recorder(calls, "resident"), Recorder(calls, "other")
    org.resident(resident)

    def closure(x):
        calls.append(("closure", x))

    org.at(5.0, resident.hit, 1)
    org.at(5.0, other.hit, 2)
    org.at(5.0, closure, 3)
    org.at(5.0, lambda: calls.append(("lambda",)))
    org.at(5.0, resident.hit, 4)
    org.at(3.0, other.hit, 0)
    del other, closure
    gc.collect()
    org.run_until(10.0)
    assert calls == [("other", 0), ("resident", 1), ("other", 2), ("closure", 3), ("lambda",), ("resident", 4)]
    assert not org._pending  # every keep-alive is released when its call fires


def test_an_owner_referenced_only_by_the_event_still_fires():
    org = _org()
    calls: list = []
    org.at(1.0, Recorder(calls, "temporary").hit, "x")
    gc.collect()
    org.run_until(2.0)
    assert calls == [("temporary", "x")]


def test_past_times_run_now_and_times_past_the_horizon_are_dropped():
    org = _org()
    calls: list = []
    rec = Recorder(calls, "r")
    org.resident(rec)
    org.run_until(4.0)
    org.at(1.0, rec.hit, "late")
    org.at(org.horizon + 1.0, rec.hit, "beyond")
    assert [e.time for e in org._event_list._events] == [4.0]
    org.run_until(5.0)
    assert calls == [("r", "late")]
