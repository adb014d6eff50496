"""Invariants every run must keep: conservation of work and incidents, queue books, ledger, knowledge.

Used by the property tests and by ``OperatingModelContract``, so a user's operating model is held to the same
bookkeeping as the built-in ones (issue 9: invariants under stress).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from agents.pay import Kind, PayRule
from model.operating_models.base import OperatingModel

base_active = OperatingModel.rota_active


def _close(a: float, b: float) -> bool:
    """Equal up to rounding (relative and absolute 1e-9)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def check_invariants(org) -> None:
    """Assert every bookkeeping invariant of a finished run (raises AssertionError naming what broke)."""
    horizon = org.horizon
    support, delivery = org.support, org.delivery
    assert _close(org.time, horizon)

    # incidents: restored, or (once detected) in exactly one team queue, the one it names
    queues = support.queues
    for incident in support.incidents:
        holders = [name for name, q in queues.items() if incident in q]
        if incident.restored is not None:
            assert incident.queue == "", incident
            assert holders == [], (incident, holders)
            assert incident.restored >= incident.started
            continue
        if incident.detected is None:  # failed too close to the horizon to be noticed yet
            assert incident.queue == "" and holders == [], incident
            continue
        assert incident.queue, incident
        assert incident.queue in queues, incident.queue
        assert holders == [incident.queue], (incident, holders)
    open_total = sum(len(q) for q in queues.values())
    assert open_total == sum(1 for i in support.incidents if i.restored is None and i.queue)

    # incidents: timestamps in order, and the handoffs form one chain from team to team
    for incident in support.incidents:
        stamps = [incident.started, incident.detected, incident.acknowledged, incident.restored]
        known = [t for t in stamps if t is not None]
        assert known == sorted(known), (incident.iid, stamps)
        assert all(t <= horizon + 1e-9 for t in known), (incident.iid, stamps)
        if incident.acknowledged is not None:
            assert incident.detected is not None
        for before, after in zip(incident.handoffs, incident.handoffs[1:], strict=False):
            assert after.from_team == before.to_team, (incident.iid, before, after)
            assert after.time >= before.time
        if incident.handoffs and incident.restored is None:
            assert incident.handoffs[-1].to_team == incident.queue, incident.iid

    # queues: the books agree with themselves (Little's law holds exactly on them, by construction) ...
    for q in [*delivery.queues.values(), *queues.values()]:
        assert q.arrivals - q.departures == len(q), q.name
        assert all(0 <= t <= horizon for t in q.items.values()), q.name
        assert [id(item) for item in q.waiting()] == list(q.items), q.name  # what it holds is what it times
        check = q.check(horizon)
        assert check.mean_length >= 0 and check.arrival_rate >= 0 and check.mean_wait_h >= 0
        assert check.gap < 1e-6 * max(1.0, check.mean_length), (q.name, check)
    # ... and with the items' own records, kept apart from the queues: each release's stage times, each
    # incident's detection, handoffs and restore. A queue that timed its items wrongly fails here.
    for stage, q in delivery.queues.items():
        visits = [
            (r.stages[stage][0], horizon if r in q else r.stages[stage][2])
            for r in delivery.releases
            if stage in r.stages
        ]
        _same_visits(q, visits, horizon)
    visits_by_queue: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for incident in support.incidents:
        if incident.detected is None:
            continue
        names = [support.paths[incident.iid][0].team.name, *(h.to_team for h in incident.handoffs)]
        times = [incident.detected, *(h.time for h in incident.handoffs)]
        ends = [*times[1:], horizon if incident.restored is None else incident.restored]
        for name, enter, leave in zip(names, times, ends, strict=True):
            visits_by_queue[name].append((enter, leave))
    assert set(visits_by_queue) <= set(queues), set(visits_by_queue) - set(queues)
    for name, q in queues.items():
        _same_visits(q, visits_by_queue[name], horizon)

    # ledger: totals are the sums of the entries; nothing negative
    ledger = org.ledger
    amount, hours = defaultdict(float), defaultdict(float)
    for e in ledger.entries:
        assert e.amount >= 0 and e.hours >= 0, e
        assert e.account in ("capex", "opex")
        assert math.isfinite(e.amount) and math.isfinite(e.hours)
        amount[e.account, e.kind] += e.amount
        hours[e.account, e.kind] += e.hours
    for key in set(amount) | set(ledger._amount):
        assert _close(ledger.amount(key[1], key[0]), amount[key])
        assert _close(ledger.hours(key[1], key[0]), hours[key])
    assert _close(ledger.amount(), sum(e.amount for e in ledger.entries))

    # standby: paid once per rota-week to rotas with standby pay, at the weekly rate
    standby = [e for e in ledger.entries if e.kind == Kind.STANDBY]
    paid_rotas = [r for r in org.rotas if r.spec.pay_rule is PayRule.STANDBY_AND_CALLOUT]
    always = [r for r in paid_rotas if r.spec.team.kind != "delivery" or type(org.policy).rota_active is base_active]
    assert org.p["weeks"] * len(always) <= len(standby) <= org.p["weeks"] * len(paid_rotas)
    per_week = defaultdict(int)
    for e in standby:
        per_week[e.team, int(e.time // 168)] += 1
    rotas_per_team = defaultdict(int)
    for r in paid_rotas:
        rotas_per_team[r.spec.team.name] += 1
    assert all(n <= rotas_per_team[team] for (team, _), n in per_week.items())  # at most once per rota-week
    assert all(e.amount == org.p["standby_rate_per_week"] for e in standby)

    # releases: every finished stage visit has enter <= start <= end, and a release goes live at most once
    for r in delivery.releases:
        done = r.failed or r.accepted is not None
        for stage, (enter, start, end) in r.stages.items():
            if done:
                assert enter <= start <= end, (r.rid, stage, enter, start, end)
        if r.live is not None:
            assert not r.failed and r.deployed == r.live and r.created <= r.live
        if r.accepted is not None:
            assert r.live is not None and r.accepted >= r.live

    # ties: every tie can carry a call (strength in (0, 1]), and never sits below its base
    for a, b, data in org.comms.edges(data=True):
        assert 0.0 < data["weight"] <= 1.0 and 0.0 <= data["base"] <= data["weight"] + 1e-12, (a, b, data)

    # people: knowledge within [0, 1]
    for e in org.engineers:
        for sid, k in e.knowledge.items():
            assert 0.0 <= k <= 1.0, (e.unique_id, sid, k)
        assert 0.0 <= e.morale <= 1.0
        assert e.fatigue >= 0.0

    # services: stocks within [0, 1], counts non-negative
    for s in org.services:
        for stock in (s.telemetry, s.failure_design, s.documentation):
            assert 0.0 <= stock <= 1.0, s.sid
        assert s.latent_faults >= 0 and s.worked_around >= 0
        for change in ("standard", "normal"):  # the release slots are per change class
            assert sum(1 for r in s.in_flight if r.change == change) <= org.p["max_releases_in_flight"]
        for r in s.in_flight:
            assert all(f.change == r.change for f in r.features), r.rid
        for blocker in s.blocked_by:  # a failed deployment holds new releases until restored
            assert blocker.restored is None and blocker.service == s.sid and blocker.change_caused, blocker
    # ... so no release of a service is cut while one of its failed deployments is still being restored
    cut: dict[int, list[float]] = defaultdict(list)
    for r in delivery.releases:
        cut[r.service].append(r.created)
    for incident in support.incidents:
        if incident.change_caused:
            end = horizon if incident.restored is None else incident.restored
            held = [t for t in cut[incident.service] if incident.started < t < end]
            assert not held, (incident.iid, incident.service, incident.started, end, held)

    # features: every arrived feature is in exactly one place
    places: dict[int, list[str]] = defaultdict(list)
    for team in org.delivery_teams:
        for f in team.features:
            places[id(f)].append(f"backlog:{team.name}")
    for s in org.services:
        for f in s.ready:
            places[id(f)].append(f"ready:{s.sid}")
        for r in s.in_flight:
            assert not r.failed
            if r.live is None:
                for f in r.features:
                    places[id(f)].append(f"in_flight:{r.rid}")
            else:  # deployed, finishing its remaining stages: its features are live
                assert all(f.live == r.live for f in r.features)
    for f in delivery.features:
        if f.live is not None:
            places[id(f)].append("live")
    arrived = {id(f) for f in delivery.features}
    assert set(places) <= arrived
    for f in delivery.features:
        assert len(places[id(f)]) == 1, (f, places[id(f)])
        if f.live is not None:
            assert f.done is not None and f.arrived <= f.done <= f.live
    assert sum(s.features_live for s in org.services) == sum(1 for f in delivery.features if f.live is not None)
    assert len(delivery.features) == sum(sum(v) for v in delivery.arrivals_week.values())


def _same_visits(q, visits: list[tuple[float, float]], horizon: float) -> None:
    """The queue's books count these (enter, leave) visits and their hours (to the horizon for those still in)."""
    assert q.arrivals == len(visits), (q.name, q.arrivals, len(visits))
    assert all(0 <= enter <= leave <= horizon for enter, leave in visits), q.name
    hours = sum(leave - enter for enter, leave in visits)
    booked = q.check(horizon).mean_length * horizon
    assert math.isclose(booked, hours, rel_tol=1e-6, abs_tol=1e-6), (q.name, booked, hours)


class QueueSampler:
    """Looks at every queue's length every ``every_h`` hours while a model runs, apart from the queues' books.

    Attach it to a model before running; ``check_sampled_littles_law`` then compares the time-averaged length it
    saw with the books' arrival rate x mean wait (Little's law, calibration.md B7). It only reads: a run with a
    sampler attached gives the same results as one without.
    """

    def __init__(self, org, every_h: float = 0.5) -> None:
        if not every_h > 0:
            raise ValueError(f"every_h={every_h} is not allowed: it must be > 0")
        self.every_h = every_h
        self.names = [*(f"delivery:{k}" for k in org.delivery.queues), *(f"support:{k}" for k in org.support.queues)]
        self.queues = [*org.delivery.queues.values(), *org.support.queues.values()]
        self.area = [0.0] * len(self.queues)  # sum of (length seen) x (hours until the next look)
        self.lengths = [len(q) for q in self.queues]
        self.last = org.time
        self.looks = 0
        org.at(org.time, self._look, org)

    def _look(self, org) -> None:
        now = org.time
        step = now - self.last
        self.area = [a + n * step for a, n in zip(self.area, self.lengths, strict=True)]
        self.lengths = [len(q) for q in self.queues]
        self.last = now
        self.looks += 1
        org.at(now + self.every_h, self._look, org)

    def mean_lengths(self, horizon: float) -> list[float]:
        """The time-averaged length of each queue over [0, horizon], from the looks (each held to the next)."""
        step = horizon - self.last
        return [(a + n * step) / horizon for a, n in zip(self.area, self.lengths, strict=True)]


def check_sampled_littles_law(org, sampler: QueueSampler) -> None:
    """Little's law on every queue: the length the sampler saw = the books' arrival rate x mean wait.

    Held to a hard bound, not a statistical one: each arrival or departure can shift a sampled average by at most
    one item for one sampling interval, so the two sides differ by at most every_h x (arrivals + departures) /
    horizon. A queue whose books time items wrongly (late exits, say) exceeds it.
    """
    horizon = org.horizon
    assert sampler.looks >= horizon / sampler.every_h, (sampler.looks, horizon)  # it looked all run long
    for name, q, seen in zip(sampler.names, sampler.queues, sampler.mean_lengths(horizon), strict=True):
        books = q.check(horizon)
        bound = sampler.every_h * (q.arrivals + q.departures) / horizon
        gap = abs(seen - books.arrival_rate * books.mean_wait_h)
        assert gap <= bound + 1e-9, (name, seen, books, bound)


def check_summary(summary: dict[str, Any], params: dict[str, Any], seed: int) -> None:
    """Assert a run summary names the run it came from and holds no impossible value."""
    assert summary["seed"] == seed
    assert summary["weeks"] == params["weeks"]
    assert summary["operating_model"] == params["operating_model"]
    assert summary["delivery_teams"] == params["delivery_teams"]
    for key, value in summary.items():
        if isinstance(value, bool | str):
            continue
        assert isinstance(value, int | float), (key, value)
        assert math.isfinite(value) or math.isnan(value), (key, value)
        # money, hours and durations are never negative (other keys may use -1 for "never")
        if not math.isnan(value) and any(m in key for m in ("cost", "loss", "hours", "time", "_h_")):
            assert value >= 0, (key, value)
    for key in ("standby_cost", "callout_cost", "capex_cost", "opex_cost", "incidents", "features_live"):
        assert summary[key] >= 0, key
    assert summary["capex_cost"] + summary["opex_cost"] > 0  # salaries are always paid
    for key in (
        "change_failure_rate",
        "share_resolved_at_l1",
        "weeks_discontinuous_share",
        "repeat_incident_share",
        "lead_time_wait_share",
        "share_reassigned",
    ):
        assert math.isnan(summary[key]) or 0 <= summary[key] <= 1, key
    assert summary["incidents_open_end"] <= summary["incidents"]
