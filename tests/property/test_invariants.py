from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.pay import Kind, PayRule
from model.params import PARAMS, ParamError, validate

SMALL = {"weeks": (2, 8), "delivery_teams": (1, 4), "developers_per_team": (3, 6)}
# derandomize: the same 25 examples every run, so the suite is not flaky (explore with more examples locally)
SETTINGS = settings(
    max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _strategy(name: str) -> st.SearchStrategy:
    p = PARAMS[name]
    if p.kind is bool:
        return st.booleans()
    if p.kind is str:
        return st.sampled_from(p.options())
    low, high = SMALL.get(name, (p.low, p.high))
    if p.kind is int:
        return st.integers(int(low), int(high))
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def valid_params(draw) -> dict[str, Any]:
    cross = {"workday_start_hour", "workday_end_hour", "demand_shock_week"}
    out = {name: draw(_strategy(name)) for name in PARAMS if name not in cross}
    start = draw(st.integers(0, 22))
    out["workday_start_hour"] = start
    out["workday_end_hour"] = draw(st.integers(start + 1, 24))
    out["demand_shock_week"] = draw(st.integers(0, out["weeks"]))
    return out


@st.composite
def invalid_params(draw) -> tuple[dict[str, Any], str]:
    """A small valid set with one value pushed out of its schema range (or of the wrong type)."""
    base = {"weeks": 2, "delivery_teams": 1}
    name = draw(st.sampled_from(list(PARAMS)))
    p = PARAMS[name]
    if p.kind is bool:
        bad = draw(st.sampled_from([0, 1, "true", None, 0.5]))
    elif p.kind is str:
        bad = draw(st.text(max_size=8).filter(lambda s: s not in p.options()))
    else:
        span = p.high - p.low
        below = st.floats(p.low - 10 * span - 1, p.low, exclude_max=True, allow_nan=False)
        above = st.floats(p.high, p.high + 10 * span + 1, exclude_min=True, allow_nan=False)
        bad = draw(st.one_of(below, above, st.just(math.nan), st.booleans(), st.just("1")))
        if p.kind is int and isinstance(bad, float) and bad.is_integer() and draw(st.booleans()):
            bad = int(bad)
    base[name] = bad
    return base, name


# --- internal invariants of one organisation ---------------------------------------------------------------
def check_invariants(org) -> None:
    horizon = org.horizon
    support, delivery = org.support, org.delivery
    assert org.time == pytest.approx(horizon)

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

    # queues: non-negative lengths and Little's law on every delivery and support queue
    for q in [*delivery.queues.values(), *queues.values()]:
        assert len(q) >= 0
        assert q.arrivals - q.departures == len(q), q.name
        assert all(0 <= t <= horizon for t in q.items.values()), q.name
        check = q.check(horizon)
        assert check.mean_length >= 0 and check.arrival_rate >= 0 and check.mean_wait_h >= 0
        assert check.gap < 1e-6 * max(1.0, check.mean_length), (q.name, check)

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
        assert ledger.amount(key[1], key[0]) == pytest.approx(amount[key], rel=1e-9, abs=1e-9)
        assert ledger.hours(key[1], key[0]) == pytest.approx(hours[key], rel=1e-9, abs=1e-9)
    assert ledger.amount() == pytest.approx(sum(e.amount for e in ledger.entries), rel=1e-9, abs=1e-9)

    # standby: paid once per rota-week to rotas with standby pay, at the weekly rate
    standby = [e for e in ledger.entries if e.kind == Kind.STANDBY]
    paid_rotas = [r for r in org.rotas if r.spec.pay_rule is PayRule.STANDBY_AND_CALLOUT]
    assert len(standby) == org.p["weeks"] * len(paid_rotas)
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
        blocker = getattr(s, "blocked_by", None)  # a failed deployment holds new releases until restored
        if blocker is not None:
            assert blocker.restored is None and blocker.service == s.sid and blocker.change_caused, blocker

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


def check_summary(summary: dict[str, Any], params: dict[str, Any], seed: int) -> None:
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


@SETTINGS
@given(params=valid_params(), seed=st.integers(0, 2**31 - 1))
def test_invariants_hold_for_any_valid_parameter_set(params, seed):
    from model.org import OrgModel
    from model.run import run

    params = validate(params)
    result = run(params, seed)
    check_summary(result.summary, params, seed)
    assert len(result.daily) == params["weeks"] * 7 + 1
    assert result.daily["incidents_cum"].is_monotonic_increasing
    assert result.daily["deployments_cum"].is_monotonic_increasing
    assert (result.daily["incidents_open"] >= 0).all()

    org = OrgModel(rng=seed, **params)
    org.run_until(org.horizon)
    check_invariants(org)
    assert len(org.support.incidents) == result.summary["incidents"]
    assert sum(s.deployments for s in org.services) == int(result.daily["deployments_cum"].iloc[-1])


@SETTINGS
@given(case=invalid_params(), seed=st.integers(0, 1000))
def test_invalid_parameter_set_raises_before_any_model_is_built(case, seed):
    import mesa

    import model.org
    from model.run import run

    params, name = case
    with pytest.raises(ParamError) as info:
        validate(params)
    message = str(info.value)
    assert name in message and "\n" not in message
    built = []

    def trap(*args, **kwargs):
        built.append(args)
        raise AssertionError("a model was built from an invalid parameter set")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(mesa.Model, "__init__", trap)
        mp.setattr(model.org.OrgModel, "_build_organisation", trap)
        with pytest.raises(ParamError, match=name):
            run(params, seed)
        with pytest.raises(ParamError, match=name):
            model.org.OrgModel(rng=seed, **params)
    assert built == []


@pytest.mark.parametrize("seed", [1.5, "7", True, None])
def test_bad_seed_raises_param_error(seed):
    from model.run import run

    with pytest.raises(ParamError, match="seed"):
        run({"weeks": 1}, seed)


# --- known bug: a failed deployment is redeployed in zero time ---------------------------------------------


def test_failed_deployment_is_not_retried_at_the_same_instant():
    from model.org import OrgModel
    from model.services import Feature

    org = OrgModel(
        rng=1,
        operating_model="ybiori",
        weeks=2,
        cab_enabled=False,
        app_ops_queue_enabled=False,
        deploy_failure_p0=0.5,
        operability_start=0.0,
    )
    service = org.services[0]
    batch = [Feature(10_000 + i, service.sid, 1.0, 0.0) for i in range(11)]  # fail_p = 0.5 * 2.0 * 1 = 1
    for f in batch:
        f.done = 0.0
    service.ready = batch
    org.delivery.try_release(service)
    attempts = [r.deployed for r in org.delivery.releases if r.deployed is not None]
    assert len(attempts) == len(set(attempts)), "two deployment attempts of one service at the same instant"
    assert len(org.support.incidents) <= 1


def test_ybiori_without_cab_and_app_ops_queue_runs():
    from model.run import run

    params = {
        "operating_model": "ybiori",
        "weeks": 2,
        "cab_enabled": False,
        "app_ops_queue_enabled": False,
        "deploy_failure_p0": 0.5,
        "operability_start": 0.0,
        "demand_per_week": 20.0,
        "feature_effort_h": 1.0,
        "smoke_test_h": 8.0,
    }
    result = run(params, 2)  # used to recurse: failed batches were retried at the same instant
    # each failed deployment now waits for its incident to be restored, so failures cannot storm
    assert result.summary["incidents"] < 100
